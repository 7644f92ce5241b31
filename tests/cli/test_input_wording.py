"""Bad input reads the same in `audit` and `fix`: one stderr line, `path: reason`."""

from __future__ import annotations

import os

import pytest
from cli_helpers import LEGACY_CORE, tool


def _syntax(root):
    (root / "bad.py").write_text(LEGACY_CORE + "def broken(:\n    pass\n")  # a file fix would otherwise rewrite


def _indentation(root):
    (root / "bad.py").write_text("\tx = 1\n")


def _undecodable(root):
    (root / "bad.py").write_bytes(b"x = '\xff\xfe'\n")


def _wrong_coding(root):
    (root / "bad.py").write_bytes("# -*- coding: ascii -*-\nx = 'caf\u00e9'\n".encode("utf-8"))


def _binary(root):
    (root / "bad.py").write_bytes(b"x = 1\x00\x01\x02\n")


def _broken_symlink(root):
    (root / "bad.py").symlink_to(root / "gone.py")


def _fifo(root):
    os.mkfifo(root / "bad.py")


def _directory_named_as_a_file(root):
    (root / "bad.py").mkdir()


CASES = {
    "syntax-error": (_syntax, "cannot parse with Python 3.11: invalid syntax (line 9, column 12)"),
    "unexpected-indent": (_indentation, "cannot parse with Python 3.11: unexpected indent (line 1, column 1)"),
    "undecodable-utf8": (_undecodable, "cannot decode: invalid or missing encoding declaration"),
    "wrong-coding-cookie": (_wrong_coding, None),
    "nul-bytes": (_binary, "binary file (contains NUL bytes)"),
    "broken-symlink": (_broken_symlink, "cannot read: No such file or directory"),
    "fifo": (_fifo, "not a regular file"),
    "missing": (lambda root: None, "no such file or directory"),
}


@pytest.mark.parametrize("case", list(CASES))
def test_audit_and_fix_name_the_file_with_the_same_reason(tmp_path, case):
    make, reason = CASES[case]
    make(tmp_path)
    # a file the plan rewrites (the AI package's ai_core.py), beside the bad one
    (tmp_path / "setup.cfg").write_text("[igny8_refactor]\npaths = .\nai_package = app\n")
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "__init__.py").write_text("")
    (tmp_path / "app" / "ai_core.py").write_text(LEGACY_CORE)
    audit = tool("audit", "--no-cache", "bad.py", "app/ai_core.py", cwd=tmp_path)
    fix = tool("fix", "--check", "--no-cache", "bad.py", "app/ai_core.py", cwd=tmp_path)
    assert audit.returncode == fix.returncode == 2
    assert "Traceback" not in audit.stderr + fix.stderr
    audit_lines = [line for line in audit.stderr.splitlines() if line.startswith("bad.py")]
    fix_lines = [line for line in fix.stderr.splitlines() if line.startswith("bad.py")]
    assert len(audit_lines) == 1, audit.stderr
    assert audit_lines == fix_lines
    if reason is not None:
        assert audit_lines == [f"bad.py: {reason}"]
    else:
        assert audit_lines[0].startswith("bad.py: cannot decode")
    # the other file is still processed by both
    assert "app/ai_core.py:3:9: IG103" in audit.stdout
    assert "1 file would change" in fix.stderr


def test_a_directory_named_like_a_module_is_worded_alike(tmp_path):
    _directory_named_as_a_file(tmp_path)
    audit = tool("audit", "--no-cache", "bad.py", cwd=tmp_path)
    fix = tool("fix", "--check", "bad.py", cwd=tmp_path)
    assert audit.returncode == fix.returncode == 2
    assert audit.stderr == fix.stderr == "bad.py: no Python files found\n"
