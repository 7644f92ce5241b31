"""Bad input: each file is analysed correctly or named on stderr (exit 2); the others are still analysed."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from tool_runner import run_tool

GOOD = "from django.conf import settings\nmodel = settings.DEFAULT_AI_MODEL\n"
GOOD_LINE = "good.py:2:9: IG102 model default read from Django settings `DEFAULT_AI_MODEL`"


def audit(root: Path, *args: str) -> subprocess.CompletedProcess:
    (root / "good.py").write_text(GOOD, encoding="utf-8")
    return run_tool("audit", "--no-cache", *args, cwd=root)


def assert_named(done: subprocess.CompletedProcess, name: str, reason: str) -> None:
    assert "Traceback" not in done.stderr
    assert done.returncode == 2
    assert done.stderr.splitlines() == [f"{name}: {reason}"]
    assert GOOD_LINE in done.stdout.splitlines()  # the other file is still analysed


def assert_analysed(done: subprocess.CompletedProcess) -> list[str]:
    assert "Traceback" not in done.stderr
    assert done.stderr == ""
    assert done.returncode == 1
    lines = done.stdout.splitlines()
    assert GOOD_LINE in lines
    return lines


def test_syntax_error(tmp_path):
    (tmp_path / "broken.py").write_text("def f(:\n    pass\n", encoding="utf-8")
    done = audit(tmp_path)
    assert_named(done, "broken.py", "cannot parse with Python 3.11: invalid syntax (line 1, column 7)")


def test_python2_code(tmp_path):
    (tmp_path / "legacy2.py").write_text('print "hello"\n', encoding="utf-8")
    done = audit(tmp_path)
    assert_named(
        done,
        "legacy2.py",
        "cannot parse with Python 3.11: Missing parentheses in call to 'print'. Did you mean print(...)? (line 1, column 1)",
    )


def test_latin1_with_coding_cookie_is_analysed(tmp_path):
    text = (
        '# -*- coding: latin-1 -*-\nfrom django.conf import settings\nname = "caf\xe9"; m = settings.DEFAULT_AI_MODEL\n'
    )
    (tmp_path / "latin.py").write_bytes(text.encode("latin-1"))
    lines = assert_analysed(audit(tmp_path))
    # the column counts characters, not bytes
    assert "latin.py:3:20: IG102 model default read from Django settings `DEFAULT_AI_MODEL`" in lines


def test_utf8_bom_is_analysed(tmp_path):
    (tmp_path / "bom.py").write_bytes(b"\xef\xbb\xbf" + b"MODEL_CONFIG = {'a': {'model': 'gpt-4o-mini'}}\n")
    lines = assert_analysed(audit(tmp_path))
    assert "bom.py:1:1: IG101 `MODEL_CONFIG` is a hardcoded per-function model default" in lines


def test_crlf_is_analysed(tmp_path):
    (tmp_path / "crlf.py").write_bytes(b"import os\r\n\r\ndef f(model='gpt-4.1'):\r\n    return model\r\n\r\nf()\r\n")
    lines = assert_analysed(audit(tmp_path))
    assert "crlf.py:3:13: IG104 hardcoded model `gpt-4.1` is used as a default" in lines


def test_empty_file_is_analysed(tmp_path):
    (tmp_path / "empty.py").write_bytes(b"")
    lines = assert_analysed(audit(tmp_path))
    assert len(lines) == 2


def test_binary_junk(tmp_path):
    (tmp_path / "junk.py").write_bytes(bytes(range(256)) * 8)
    done = audit(tmp_path)
    assert_named(done, "junk.py", "binary file (contains NUL bytes)")


def test_undecodable_bytes(tmp_path):
    (tmp_path / "bad_utf8.py").write_bytes(b"x = '\xff\xfe'\n")
    done = audit(tmp_path)
    assert "Traceback" not in done.stderr
    assert done.returncode == 2
    assert done.stderr == "bad_utf8.py: cannot decode: invalid or missing encoding declaration\n"


def test_unreadable_file_fifo(tmp_path):
    os.mkfifo(tmp_path / "pipe.py")
    done = audit(tmp_path)
    assert_named(done, "pipe.py", "not a regular file")


def test_unreadable_file_broken_symlink(tmp_path):
    (tmp_path / "gone.py").symlink_to(tmp_path / "missing.py")
    done = audit(tmp_path)
    assert_named(done, "gone.py", "cannot read: No such file or directory")


def test_directory_named_like_a_module_given_as_a_file(tmp_path):
    (tmp_path / "pkg.py").mkdir()
    (tmp_path / "pkg.py" / "inner.py").write_text("x = 1\n", encoding="utf-8")
    done = audit(tmp_path, "pkg.py", "good.py")
    assert done.returncode == 1 and done.stderr == ""


def test_symlink_loop(tmp_path):
    (tmp_path / "loop.py").symlink_to(tmp_path / "loop.py")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "up").symlink_to(tmp_path, target_is_directory=True)  # a directory cycle
    done = audit(tmp_path)
    assert_named(done, "loop.py", "cannot read: Too many levels of symbolic links")


def test_five_megabyte_module_is_analysed(tmp_path):
    rows = []
    size = 0
    index = 0
    while size < 5 * 1024 * 1024:
        row = f'value_{index} = {{"key": [{index}, {index}.5, "text {index}"], "other": (None, True)}}\n'
        rows.append(row)
        size += len(row)
        index += 1
    rows.append('fallback = {"model": "gpt-4.1"}\n')
    (tmp_path / "big.py").write_text("".join(rows), encoding="utf-8")
    lines = assert_analysed(audit(tmp_path))
    assert f"big.py:{index + 1}:22: IG104 hardcoded model `gpt-4.1` is used as a default" in lines


def test_deeply_nested_brackets(tmp_path):
    (tmp_path / "nested.py").write_text("x = " + "[" * 5000 + "]" * 5000 + "\n", encoding="utf-8")
    done = audit(tmp_path)
    assert_named(done, "nested.py", "cannot parse with Python 3.11: too many nested parentheses (line 1, column 205)")


def test_deeply_nested_operators(tmp_path):
    (tmp_path / "chain.py").write_text("x = " + "not " * 50000 + "1\n", encoding="utf-8")
    done = audit(tmp_path)
    assert_named(done, "chain.py", "cannot parse: too deeply nested")


def test_long_operator_chain_is_analysed(tmp_path):
    (tmp_path / "chain.py").write_text("MODEL_CONFIG = {}\nx = 1" + " + MODEL_CONFIG" * 2000 + "\n", encoding="utf-8")
    lines = assert_analysed(audit(tmp_path))
    assert sum(1 for line in lines if line.startswith("chain.py:2:") and "IG101" in line) == 2000


def test_missing_path_on_the_command_line(tmp_path):
    done = audit(tmp_path, "nowhere.py", "good.py")
    assert_named(done, "nowhere.py", "no such file or directory")
