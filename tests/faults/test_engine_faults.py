"""Faults in the rule engine's files (codemods/pipeline.py, audit/scan.py, audit/project.py).

These tests describe issue 14's cases that live in the engine; they fail until the engine
handles them and are deliberately not skipped.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from faults_helpers import tool

FALLBACK = "from django.conf import settings\nmodel = settings.DEFAULT_AI_MODEL\n"


@pytest.fixture
def looped(tmp_path: Path) -> Path:
    """A package with symlink loops (a file-named loop and a two-link cycle) and `exclude` set."""
    pkg = tmp_path / "pkg"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    (pkg / "a.py").write_text(FALLBACK)
    os.symlink("loop.py", pkg / "loop.py")
    os.symlink("c.py", pkg / "b.py")
    os.symlink("b.py", pkg / "c.py")
    os.symlink("cycle", pkg / "cycle")
    (tmp_path / "setup.cfg").write_text("[igny8_refactor]\npaths = pkg\nexclude = pkg/generated\n")
    return tmp_path


@pytest.mark.parametrize("command", [("fix", "--check"), ("fix",), ("audit", "--no-cache")])
def test_symlink_loops_with_exclude_set_are_named_not_a_traceback(looped: Path, command) -> None:
    done = tool(looped, *command)
    stderr = done.stderr.decode()
    assert "Traceback" not in stderr and "RuntimeError" not in stderr, stderr
    assert done.returncode in (1, 2)  # a finding in a.py, or the loops named as unreadable inputs
    for line in stderr.splitlines():
        if "loop.py" in line or "b.py" in line or "c.py" in line:
            assert line.startswith("pkg/") and ": " in line  # `path: reason`


def test_symlink_loops_do_not_stop_the_other_files(looped: Path) -> None:
    done = tool(looped, "audit", "--no-cache")
    assert b"pkg/a.py:2:9: IG102" in done.stdout


# valid Python (CPython compiles each) that is deep for a recursive visitor; the module also
# holds what sends it through the checks and the codemods (MODEL_CONFIG, get_model_config)
PREAMBLE = 'MODEL_CONFIG = {"summarize": {"model": "gpt-4.1"}}\n\n\ndef get_model_config(name):\n    return MODEL_CONFIG[name]\n\n\n'
DEEP = {
    "long-sum": "z = " + " + ".join(["1"] * 1000) + "\n",
    "long-string-concat": "s = " + " + ".join(["'x'"] * 1000) + "\n",
    "long-bool-chain": "b = " + " and ".join(["x"] * 1000) + "\n",
    "deep-unary": "y = " + "-" * 1000 + "1\n",
    "deep-calls": "def f(*a):\n    return a\n\n\nw = " + "f(" * 190 + ")" * 190 + "\n",
}


@pytest.mark.parametrize("case", sorted(DEEP))
@pytest.mark.parametrize("command", [("audit", "--no-cache"), ("fix", "--check")])
def test_valid_deeply_nested_code_is_analysed_not_reported(tmp_path: Path, case: str, command) -> None:
    source = PREAMBLE + DEEP[case] + FALLBACK
    (tmp_path / "deep.py").write_text(source)
    compiled = subprocess.run(
        [sys.executable, "-c", "compile(open('deep.py').read(), 'deep.py', 'exec')"], cwd=tmp_path
    )
    assert compiled.returncode == 0  # Python itself accepts it
    done = tool(tmp_path, *command)
    stderr = done.stderr.decode()
    assert "nested" not in stderr and "RecursionError" not in stderr and "Traceback" not in stderr, stderr
    assert done.returncode in (0, 1), stderr
    if command[0] == "audit":
        assert b"deep.py:" in done.stdout and b"IG101" in done.stdout and b"IG102" in done.stdout  # analysed
