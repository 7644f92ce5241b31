"""A deep but valid file (a long string concatenation, as generated code has) is analysed; where
LibCST cannot rewrite it, `fix` says so in one line and writes nothing. A file Python itself
cannot parse (past its own nesting limit) is a parse error, as it is for Python."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

COMMAND = Path(sys.executable).with_name("igny8-refactor")


def project(tmp_path: Path, parts: int) -> Path:
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg/__init__.py").write_text("")
    (tmp_path / "setup.cfg").write_text("[igny8_refactor]\ninternal = pkg\n")
    concatenation = " + ".join(['"gpt-4o"'] * parts)
    (tmp_path / "pkg/deep.py").write_text(f"X = {concatenation}\n\n\ndef dead(model='gpt-4o-mini'):\n    return 1\n")
    return tmp_path


def run(root: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(COMMAND), *args, "--no-cache", "."], cwd=root, capture_output=True, text=True)


def test_a_deep_valid_file_is_analysed_and_fix_says_it_is_too_deep_for_the_rewriter(tmp_path: Path) -> None:
    root = project(tmp_path, 2400)
    before = (root / "pkg/deep.py").read_text()
    audited = run(root, "audit")
    assert audited.returncode == 1, audited.stderr
    assert "pkg/deep.py:4:1: IG002 function `dead` is never called or referenced" in audited.stdout
    assert "cannot parse" not in audited.stderr
    fixed = run(root, "fix", "--unsafe-fixes", "--allow-dirty")
    assert fixed.returncode == 2
    assert (
        "pkg/deep.py: the fix could not be applied: too deeply nested for the rewriter (LibCST); nothing written"
        in fixed.stderr
    )
    assert "Traceback" not in fixed.stderr
    assert (root / "pkg/deep.py").read_text() == before


def test_a_file_python_cannot_parse_either_is_a_parse_error(tmp_path: Path) -> None:
    root = project(tmp_path, 10_000)
    assert subprocess.run([sys.executable, "-c", "import pkg.deep"], cwd=root, capture_output=True).returncode != 0
    audited = run(root, "audit")
    assert audited.returncode == 2
    assert "pkg/deep.py: cannot parse: too deeply nested" in audited.stderr


def test_a_folder_deeper_than_path_max_is_named_on_a_cold_and_a_warm_run(tmp_path: Path) -> None:
    """Paths longer than PATH_MAX cannot be opened by name: the folder is one named error (exit 2),
    the rest is analysed, and a warm run says exactly what the cold one said."""
    root = project(tmp_path, 1)
    here = os.getcwd()
    try:
        os.chdir(root / "pkg")
        while len(os.getcwd()) < 4400:  # built step by step: os.makedirs would need the whole path at once
            os.mkdir("d" * 200)
            os.chdir("d" * 200)
            Path("__init__.py").write_text("")
        Path("m.py").write_text("def deep():\n    return 1\n")
    finally:
        os.chdir(here)
    cold = subprocess.run([str(COMMAND), "audit", "."], cwd=root, capture_output=True, text=True)
    warm = subprocess.run([str(COMMAND), "audit", "."], cwd=root, capture_output=True, text=True)
    assert cold.returncode == 2, cold.stderr
    assert "Traceback" not in cold.stderr
    assert cold.stderr.count(": cannot read directory: File name too long") == 1
    assert "pkg/deep.py:4:1: IG002 function `dead` is never called or referenced" in cold.stdout
    assert (warm.returncode, warm.stdout, warm.stderr) == (cold.returncode, cold.stdout, cold.stderr)
