"""Replay: a warm `audit` identical to the last one prints its output without analysing anything;
any change to what the output depends on is an ordinary run; a bad record is a miss, never an error.

Every run goes through the real command line (`python -m igny8_refactor`) in a subprocess. A
record is kept only for paths changed at least a second before the run, so each test lets its
tree settle first. To see whether a run was replayed, the record's output is rewritten: a
replayed run prints the rewritten text, an ordinary run the real report.
"""
from __future__ import annotations

import io
import json
import os
import time

import pytest

from audit.cache import CACHE_DIR, GITIGNORE
from igny8_refactor import replay
from tests.cli.cli_helpers import clean_env, igny8, write

FALLBACK = "from django.conf import settings\nmodel = settings.DEFAULT_AI_MODEL\n"
TREE = {
    "setup.cfg": "[igny8_refactor]\npaths = app\n",
    "app/__init__.py": "",
    "app/settings.py": FALLBACK,
    "app/sub/__init__.py": "",
    "app/sub/other.py": "VALUE = 1\n",
    # the cache directory made beforehand: a first run then changes no folder it walks, and is recorded
    f"{CACHE_DIR}/.gitignore": GITIGNORE,
}
JSON = ("audit", "--format", "json")
TAMPERED = "replayed\n"


def run(*args, cwd, env=None, entry="module"):
    """The tool in a subprocess, in one fixed environment (pytest's own variable changes between
    a test's phases, and the whole environment is part of a record's key)."""
    env = {k: v for k, v in (env or clean_env()).items() if k != "PYTEST_CURRENT_TEST"}
    return igny8(*args, cwd=cwd, env=env, entry=entry)


def records(root):
    return sorted((root / CACHE_DIR).glob("replay-*.json"))


def tamper(root):
    """Rewrite the stdout of the only record (a replayed run then prints TAMPERED)."""
    [record] = records(root)
    document = json.loads(record.read_bytes())
    document["output"] = [["stdout", TAMPERED]] + [row for row in document["output"] if row[0] == "stderr"]
    record.write_bytes(json.dumps(document).encode())
    return record


def settle():
    time.sleep(1.1)  # a record is kept only for paths last changed more than a second before the run


@pytest.fixture
def recorded(tmp_path):
    """A settled tree whose `audit --format json` run has been recorded, and tampered with."""
    write(tmp_path, TREE)
    settle()
    first = run(*JSON, cwd=tmp_path)  # analyses, stores the memo, and is recorded
    assert first.returncode == 1
    assert len(records(tmp_path)) == 1
    tamper(tmp_path)
    return tmp_path, first


def test_an_identical_run_is_replayed_with_its_status_and_both_streams(recorded):
    root, first = recorded
    replayed = run(*JSON, cwd=root)
    assert replayed.stdout == TAMPERED
    assert replayed.stderr == first.stderr == "Found 1 finding (0 fixable): 4 files checked.\n"
    assert replayed.returncode == 1
    assert [f["symbol"] for f in json.loads(first.stdout)] == ["django.conf.settings.DEFAULT_AI_MODEL"]


def test_the_console_script_replays_too(recorded):
    root, first = recorded
    replayed = run(*JSON, cwd=root, entry="script")
    # the script's sys.argv[0] differs, the arguments do not: the key is the arguments
    assert (replayed.stdout, replayed.returncode) == (TAMPERED, 1)


def _edit_in_place(root):
    with open(root / "app/settings.py", "r+") as handle:  # same size, same inode: the mtime tells
        handle.write(FALLBACK.replace("model", "MODEL"))


CHANGES = {
    "a file edited": _edit_in_place,
    "a file added to a subfolder": lambda root: (root / "app/sub/new.py").write_text(FALLBACK),
    "a file removed": lambda root: (root / "app/sub/other.py").unlink(),
    "a subfolder added": lambda root: write(root, {"app/sub/deep/x.py": FALLBACK}),
    "a package above the root": lambda root: (root / "__init__.py").write_text(""),
    "the configuration edited": lambda root: (root / "setup.cfg").write_text("[igny8_refactor]\npaths = app\nselect = IG001\n"),
    "a configuration nearer the working directory": lambda root: (root / "app/setup.cfg").write_text("[igny8_refactor]\n"),
    "a pyproject.toml beside the configuration": lambda root: (root / "pyproject.toml").write_text(
        "[tool.igny8_refactor]\npaths = ['app']\nignore = ['IG003']\n"),
    "a folder made unreadable": lambda root: os.chmod(root / "app/sub", 0o300),
}


@pytest.mark.parametrize("change", CHANGES.values(), ids=CHANGES.keys())
def test_any_change_is_an_ordinary_run(recorded, change):
    root, _ = recorded
    change(root)
    try:
        after = run(*JSON, cwd=root)
        fresh = run("audit", "--format", "json", "--no-cache", cwd=root)
    finally:
        os.chmod(root / "app/sub", 0o755)
    assert after.stdout != TAMPERED
    assert (after.stdout, after.stderr, after.returncode) == (fresh.stdout, fresh.stderr, fresh.returncode)


REQUESTS = {
    "other arguments": lambda root: run("audit", "--format", "json", "app", cwd=root),
    "another format": lambda root: run("audit", cwd=root),
    "another working directory": lambda root: run(*JSON, cwd=root / "app"),
    "another environment": lambda root: run(*JSON, cwd=root, env=clean_env(SOME_SETTING="1")),
    "colour asked for": lambda root: run(*JSON, cwd=root, env=clean_env(FORCE_COLOR="1")),
}


@pytest.mark.parametrize("request_", REQUESTS.values(), ids=REQUESTS.keys())
def test_another_request_is_not_answered_by_the_record(recorded, request_):
    root, _ = recorded
    result = request_(root)
    assert result.stdout != TAMPERED and result.returncode == 1
    assert "DEFAULT_AI_MODEL" in result.stdout


@pytest.mark.parametrize("content", [
    b"not json", b"[]", b'{"format": "igny8-refactor-replay", "version": 1}',
    b'{"format": "igny8-refactor-replay", "version": 1, "key": "k", "status": 0, "watch": [], "output": []}',
    b'{"format": "igny8-refactor-replay", "version": 2, "key": "K", "status": 0, "watch": [], "output": []}',
    b'{"format": "igny8-refactor-replay", "version": 1, "key": "K", "status": 0, "watch": [["x", [1]]], "output": []}',
    b'{"format": "igny8-refactor-replay", "version": 1, "key": "K", "status": 0, "watch": [], "output": [["tty", "x"]]}',
    b'{"format": "igny8-refactor-replay", "version": 1, "key": "K", "status": "0", "watch": [], "output": []}',
    b"\xff\xfe",
], ids=["not-json", "a-list", "no-key", "another-key", "another-version", "bad-signature", "bad-stream",
        "bad-status", "not-utf8"])
def test_a_bad_record_is_a_miss(recorded, content):
    root, first = recorded
    [record] = records(root)
    key = record.name[len(replay.PREFIX):-len(".json")]
    record.write_bytes(content.replace(b'"K"', json.dumps(key).encode()))
    result = run(*JSON, cwd=root)
    assert (result.stdout, result.stderr, result.returncode) == (first.stdout, first.stderr, first.returncode)


def test_a_crashed_fixs_journal_is_not_replayed_over(recorded):
    root, _ = recorded
    (root / CACHE_DIR / "commit-journal.json").write_text("{}")
    after = run(*JSON, cwd=root)
    assert after.stdout != TAMPERED
    assert "commit-journal.json" in after.stderr  # the ordinary run's recovery looked at it


def test_nothing_is_recorded_without_the_cache_or_for_a_report_written_to_a_file(tmp_path):
    write(tmp_path, TREE)
    settle()
    for _ in range(3):
        run("audit", "--format", "json", "--no-cache", cwd=tmp_path)
        out = run("audit", "-o", "report.json", cwd=tmp_path)
        assert out.returncode == 1 and "DEFAULT_AI_MODEL" in (tmp_path / "report.json").read_text()
    assert records(tmp_path) == []


def test_a_tree_changed_within_the_last_second_is_not_recorded(tmp_path):
    write(tmp_path, TREE)
    for value in (2, 3):
        (tmp_path / "app/sub/other.py").write_text(f"VALUE = {value}\n")  # just now, before each run
        run(*JSON, cwd=tmp_path)
    assert records(tmp_path) == []
    settle()
    run(*JSON, cwd=tmp_path)
    assert len(records(tmp_path)) == 1


def test_only_the_newest_records_are_kept(tmp_path):
    write(tmp_path, TREE)
    settle()
    run(*JSON, cwd=tmp_path)
    for index in range(replay.KEEP + 2):  # another command line each time, as a hook's file lists are
        assert run(*JSON, f"--jobs={index + 1}", cwd=tmp_path).returncode == 1
    assert len(records(tmp_path)) == replay.KEEP


class _Stream(io.StringIO):
    def __init__(self, tty: bool, encoding: str = "utf-8"):
        super().__init__()
        self._tty, self._encoding = tty, encoding

    def isatty(self):
        return self._tty

    @property
    def encoding(self):
        return self._encoding


@pytest.mark.parametrize("stdout, stderr", [
    (_Stream(True), _Stream(False)), (_Stream(False), _Stream(True)),
    (_Stream(False, "ascii"), _Stream(False)), (_Stream(False), _Stream(False, "ANSI_X3.4-1968")),
], ids=["stdout-a-terminal", "stderr-a-terminal", "stdout-ascii", "stderr-ascii"])
def test_no_key_for_a_terminal_or_an_ascii_stream(monkeypatch, stdout, stderr):
    monkeypatch.setattr("sys.stdout", stdout)
    monkeypatch.setattr("sys.stderr", stderr)
    assert replay._key(["audit"]) is None


def test_the_key_covers_arguments_directory_and_environment(monkeypatch, tmp_path):
    monkeypatch.setattr("sys.stdout", _Stream(False))
    monkeypatch.setattr("sys.stderr", _Stream(False))
    monkeypatch.chdir(tmp_path)
    base = replay._key(["audit"])
    assert base is not None and base == replay._key(["audit"])
    assert replay._key(["audit", "."]) != base
    monkeypatch.setenv("SOME_SETTING", "1")
    assert replay._key(["audit"]) != base
    monkeypatch.delenv("SOME_SETTING")
    (tmp_path / "sub").mkdir()
    monkeypatch.chdir(tmp_path / "sub")
    assert replay._key(["audit"]) != base


def test_other_commands_are_neither_replayed_nor_recorded(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert replay.start(["fix", "--check"]) is None
    assert replay.start([]) is None
