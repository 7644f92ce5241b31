"""The options ruff users expect, through the command line: per-file-ignores, `ignore-file`, code prefixes,
`fix --select/--ignore`, `--statistics`, `--stdin-filename`, `-q`/`-v` and `--color`."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from cli_helpers import LEGACY_CORE, clean_env, tool, write

SETUP_CFG = "[igny8_refactor]\nai_package = app\n"


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    """An unused function in app/ and in tests/, and a default-model fallback in the AI package's ai_core.py."""
    write(
        tmp_path,
        {
            "app/__init__.py": "",
            "app/core.py": "def helper():\n    return 1\n",
            "app/ai_core.py": LEGACY_CORE,
            "setup.cfg": SETUP_CFG,
            "tests/__init__.py": "",
            "tests/util.py": "def fixture_helper():\n    return 1\n",
        },
    )
    return tmp_path


def codes(done) -> list[tuple[str, str]]:
    return [(f["path"], f["code"]) for f in json.loads(done.stdout)]


ALL = [("app/ai_core.py", "IG103"), ("app/core.py", "IG002"), ("tests/util.py", "IG002")]


@pytest.mark.parametrize(
    ("name", "config"),
    [
        ("setup.cfg", SETUP_CFG + "internal = app\nper-file-ignores =\n    tests/*: IG002\n    ai_core.py: IG1\n"),
        (
            "pyproject.toml",
            '[tool.igny8_refactor]\nai_package = "app"\ninternal = ["app"]\n\n[tool.igny8_refactor.per-file-ignores]\n'
            '"tests/*" = ["unused-function"]\n"ai_core.py" = ["IG1"]\n',
        ),
    ],
)
def test_per_file_ignores_turn_checks_off_for_matching_files(tree, name, config):
    done = tool("audit", "--no-cache", "--format", "json", cwd=tree)
    assert codes(done) == ALL
    if name != "setup.cfg":
        (tree / "setup.cfg").unlink()
    (tree / name).write_text(config)
    done = tool("audit", "--no-cache", "--format", "json", cwd=tree)
    assert codes(done) == [("app/core.py", "IG002")], done.stderr
    assert "suppressed" not in done.stderr  # turned off, not silenced one by one
    # and `fix` leaves them alone
    fixed = tool("fix", "--unsafe-fixes", "--diff", cwd=tree)
    assert "+++ b/app/core.py" in fixed.stdout
    assert "tests/util.py" not in fixed.stdout and "ai_core.py" not in fixed.stdout


def test_an_unknown_check_in_per_file_ignores_names_the_real_section(tree):
    (tree / "setup.cfg").unlink()
    (tree / "pyproject.toml").write_text('[tool.igny8_refactor.per-file-ignores]\n"tests/*" = ["IG7"]\n')
    done = tool("audit", cwd=tree)
    assert done.returncode == 2
    assert done.stderr.strip().endswith("unknown check 'IG7' in per-file-ignores")


def test_ignore_file_comments_silence_a_whole_file(tree):
    write(tree, {"app/core.py": "# igny8: ignore-file[IG002]\ndef helper():\n    return 1\n"})
    write(tree, {"app/ai_core.py": "# igny8: ignore-file\n" + LEGACY_CORE})
    done = tool("audit", "--no-cache", "--format", "json", cwd=tree)
    assert codes(done) == [("tests/util.py", "IG002")]
    assert "2 suppressed" in done.stderr
    # one that silences nothing is reported, and `fix` deletes it
    write(tree, {"tests/util.py": "# igny8: ignore-file[IG101]\ndef fixture_helper():\n    return 1\n"})
    done = tool("audit", "--no-cache", cwd=tree)
    assert "tests/util.py:1:1: IG900 `# igny8: ignore-file[IG101]` silences no finding\n" in done.stdout
    fixed = tool("fix", "--select", "IG900", cwd=tree)
    assert fixed.returncode == 0, fixed.stderr
    assert (tree / "tests/util.py").read_text() == "def fixture_helper():\n    return 1\n"


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--select", "IG1"], [("app/ai_core.py", "IG103")]),
        (["--select", "IG00"], [("app/core.py", "IG002"), ("tests/util.py", "IG002")]),
        (["--select", "ig0", "--ignore", "IG002"], []),
        (["--ignore", "IG1,unused-function"], []),
    ],
)
def test_code_prefixes_select_and_ignore(tree, args, expected):
    done = tool("audit", "--no-cache", "--format", "json", *args, cwd=tree)
    assert codes(done) == expected, done.stderr


def test_an_unknown_prefix_is_a_usage_error(tree):
    done = tool("audit", "--select", "IG7", cwd=tree)
    assert done.returncode == 2 and "unknown check 'IG7'" in done.stderr


def test_fix_takes_select_and_ignore_and_only_stays_an_alias(tree):
    (tree / "setup.cfg").write_text(SETUP_CFG + "internal = app, tests\n")
    changed = {}
    for args in (["--select", "IG1"], ["--only", "IG103"], ["--ignore", "IG002"], ["--select", "IG0"]):
        done = tool("fix", "--diff", "--unsafe-fixes", *args, cwd=tree)
        changed[args[1]] = sorted(line[6:] for line in done.stdout.splitlines() if line.startswith("+++ b/"))
    assert changed == {
        "IG1": ["app/ai_core.py"],
        "IG103": ["app/ai_core.py"],
        "IG002": ["app/ai_core.py"],
        "IG0": ["app/core.py", "tests/util.py"],
    }
    done = tool("fix", "--select", "IG9", "--ignore", "IG900", cwd=tree)
    assert done.returncode == 0 and done.stderr == "Nothing to fix: no rule is selected.\n"


def test_statistics_count_each_check(tree):
    done = tool("audit", "--no-cache", "--statistics", cwd=tree)
    assert done.returncode == 1
    assert done.stdout == "2\tIG002\t[ ] unused-function\n1\tIG103\t[*] default-model-fallback\n"
    assert done.stderr.startswith("Found 3 findings")
    done = tool("audit", "--no-cache", "--statistics", "--format", "json", cwd=tree)
    assert json.loads(done.stdout)[0] == {"code": "IG002", "name": "unused-function", "count": 2, "fixable": False}


def run_with_stdin(args, cwd: Path, source: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "igny8_refactor", *args],
        cwd=cwd,
        input=source,
        capture_output=True,
        text=True,
        env=clean_env(),
        timeout=120,
    )


def test_stdin_filename_audits_the_buffer_under_its_name(tree):
    unsaved = "def helper():\n    return 1\n\n\nVALUE = helper()\n"
    done = run_with_stdin(["audit", "--no-cache", "--stdin-filename", "app/core.py"], tree, unsaved)
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout == "All checks passed: 1 file checked.\n"
    # a file that is not on disk yet, in the project: the rest of the project still counts
    done = run_with_stdin(["audit", "--no-cache", "--stdin-filename", "app/new.py"], tree, "def spare():\n    pass\n")
    assert done.returncode == 1
    assert done.stdout.startswith("app/new.py:1:1: IG002 ")


def test_stdin_filename_fix_prints_the_fixed_source_and_writes_nothing(tree):
    before = (tree / "app/ai_core.py").read_bytes()
    done = run_with_stdin(["fix", "--stdin-filename", "app/ai_core.py"], tree, LEGACY_CORE + "# edited\n")
    assert done.returncode == 0, done.stderr
    assert "_default_model" not in done.stdout and done.stdout.endswith("# edited\n")
    assert (tree / "app/ai_core.py").read_bytes() == before
    assert done.stderr.splitlines()[-1] == "1 file changed, 0 unchanged, 0 failed"
    # nothing to fix: the source comes back as it went in
    clean = "VALUE = 1\n"
    done = run_with_stdin(["fix", "-q", "--stdin-filename", "app/ai_core.py"], tree, clean)
    assert (done.returncode, done.stdout, done.stderr) == (0, clean, "")


def test_quiet_prints_findings_only_and_verbose_names_the_configuration(tree):
    quiet = tool("audit", "--no-cache", "-q", cwd=tree)
    assert quiet.returncode == 1
    assert len(quiet.stdout.splitlines()) == 3 and quiet.stderr == ""
    verbose = tool("audit", "--no-cache", "-v", cwd=tree)
    assert f"configuration: {tree / 'setup.cfg'}" in verbose.stderr
    assert verbose.stdout.splitlines()[-1].startswith("Found 3 findings")
    fix = tool("fix", "-q", "--check", cwd=tree)
    assert fix.returncode == 1 and fix.stderr == ""


@pytest.mark.parametrize(
    ("args", "env", "coloured"),
    [
        (["--color", "always"], {}, True),
        (["--color", "always"], {"NO_COLOR": "1"}, True),  # the flag decides over the environment
        (["--color", "never"], {"FORCE_COLOR": "1"}, False),
        ([], {"FORCE_COLOR": "1"}, True),
        ([], {"NO_COLOR": "1", "FORCE_COLOR": "1"}, False),
        ([], {}, False),  # not a terminal
    ],
)
def test_color(tree, args, env, coloured):
    audit = tool("audit", "--no-cache", *args, cwd=tree, env=clean_env(**env))
    fix = tool("fix", "--diff", "--no-cache", *args, cwd=tree, env=clean_env(**env))
    output = audit.stdout + audit.stderr + fix.stdout + fix.stderr
    assert ("\x1b[" in output) == coloured, output
