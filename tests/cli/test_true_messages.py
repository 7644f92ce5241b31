"""Messages say what is true: plurals, a missing path once, suppressed counts, what IG001 and IG002 claim;
and an `__all__` the fix empties is written `__all__ = []`."""

from __future__ import annotations

from pathlib import Path

from cli_helpers import tool, write

CONFIG = "[igny8_refactor]\npaths = pkg\ninternal = pkg\n"


def test_an_emptied_all_is_written_as_an_empty_list(tmp_path: Path):
    write(
        tmp_path,
        {
            "setup.cfg": CONFIG,
            "pkg/__init__.py": "from pkg.core import helper, run, spare\n\n__all__ = [\n    'helper',\n    'spare',\n]\n\nrun()\n",
            "pkg/core.py": "def run():\n    return 1\n\n\nhelper = spare = None\n",
        },
    )
    done = tool("fix", "--unsafe-fixes", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "pkg/__init__.py").read_text() == "from pkg.core import run\n\n__all__ = []\n\nrun()\n"
    assert "1 file changed, 1 unchanged, 0 failed" in done.stderr


def test_a_missing_configured_path_is_named_once_and_counted_as_one_error(tmp_path: Path):
    write(tmp_path, {"setup.cfg": "[igny8_refactor]\npaths = pkg, missing\n", "pkg/a.py": ""})
    audit = tool("audit", "--no-cache", cwd=tmp_path)
    assert audit.returncode == 2
    assert audit.stderr == "missing: no such file or directory\n"
    assert (
        audit.stdout.splitlines()[-1] == "No findings, but not every input could be analysed: 1 file checked, 1 error."
    )
    fix = tool("fix", "--no-cache", cwd=tmp_path)
    assert fix.returncode == 2
    assert fix.stderr.splitlines() == [
        "missing: no such file or directory",
        "0 files changed, 1 unchanged, 0 failed, 1 error",
    ]


def test_suppressed_counts_only_the_findings_of_the_files_reported(tmp_path: Path):
    write(
        tmp_path,
        {
            "setup.cfg": CONFIG,
            "pkg/__init__.py": "",
            "pkg/a.py": "def spare():  # igny8: ignore[IG002]\n    return 1\n",
            "pkg/b.py": "VALUE = 1\n",
        },
    )
    assert "1 suppressed" in tool("audit", "--no-cache", cwd=tmp_path).stdout
    assert tool("audit", "--no-cache", "pkg/b.py", cwd=tmp_path).stdout == "All checks passed: 1 file checked.\n"


def test_ig001_and_ig002_say_what_is_true_of_a_re_exported_function(tmp_path: Path):
    write(
        tmp_path,
        {
            "setup.cfg": CONFIG,
            "pkg/__init__.py": "from pkg.core import helper\n\n__all__ = ['helper']\n",
            "pkg/core.py": "def helper():\n    return 1\n\n\ndef alone():\n    return 2\n",
            "pkg/app.py": "from pkg.core import helper  # imported, never read\n",
        },
    )
    lines = tool("audit", "--no-cache", cwd=tmp_path).stdout.splitlines()
    tier = " (fixable with --unsafe-fixes)"  # removals outside the AI package are unsafe fixes
    assert lines[:3] == [
        f"pkg/__init__.py:3:12: IG001 `helper` is exported from `pkg` but no other module uses it from there{tier}",
        f"pkg/core.py:1:1: IG002 function `helper` is only imported or listed in `__all__`, never called or read{tier}",
        f"pkg/core.py:5:1: IG002 function `alone` is never called or referenced{tier}",
    ]


def test_a_stale_suppression_is_kept_while_a_file_cannot_be_parsed(tmp_path: Path):
    write(tmp_path, {"setup.cfg": CONFIG, "pkg/__init__.py": "", "pkg/a.py": "VALUE = 1  # igny8: ignore[IG003]\n"})
    assert tool("fix", "--check", cwd=tmp_path).returncode == 1
    write(tmp_path, {"pkg/broken.py": "def (:\n"})
    done = tool("fix", "--check", cwd=tmp_path)
    assert done.returncode == 2
    assert "IG900 `IG003` left as it is: kept while a file of the project cannot be parsed" in done.stderr
    assert "0 files would change" in done.stderr
