"""The whole-run memo: an unchanged tree gets the last report; any change to the tree, the
configuration or the request is a fresh analysis; a bad memo file is a miss, never an error."""
from __future__ import annotations

import json
import os
import time

import pytest

from audit import memo as memo_module
from audit.api import run_audit
from audit.cache import CACHE_DIR, dumps, loads
from audit.config import Config
from tests.cli.cli_helpers import igny8

FALLBACK = "from django.conf import settings\nmodel = settings.DEFAULT_AI_MODEL\n"
FALLBACK_MSG = "model default read from Django settings `DEFAULT_AI_MODEL`"


@pytest.fixture
def settled(monkeypatch):
    """Files count as settled at once (the real rule waits a second after the last change)."""
    monkeypatch.setattr(memo_module, "SETTLE_NS", 0)


def memo_files(root):
    return sorted((root / CACHE_DIR).glob("run-*.json"))


def tamper(memo_file, message):
    """Rewrite the message of every remembered finding, to see whether a later run reads them."""
    document = loads(memo_file.read_bytes())
    document["findings"] = [(*row[:6], message, *row[7:]) for row in document["findings"]]
    memo_file.write_bytes(dumps(document))


def audit(**kwargs):
    return run_audit([], Config(), jobs=1, memoize=True, **kwargs)


def messages(result):
    return [f.message for f in result.findings]


def later(path, text):
    """Rewrite `path` and move its mtime forward, so the change is visible whatever the clock tick."""
    st = path.stat()
    path.write_text(text)
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000))


def test_unchanged_tree_is_answered_from_the_memo(tmp_path, monkeypatch, write_files, settled):
    write_files({"a.py": FALLBACK, "b.py": "import a\n"})
    monkeypatch.chdir(tmp_path)
    first = audit()
    assert messages(first) == [FALLBACK_MSG] and first.project is not None
    [memo_file] = memo_files(tmp_path)
    tamper(memo_file, "from the memo")
    second = audit()
    assert messages(second) == ["from the memo"]
    assert second.project is None  # no analysis at all
    assert (second.analysed, second.suppressed, second.errors) == (first.analysed, first.suppressed, first.errors)
    assert [f.path for f in second.findings] == [f.path for f in first.findings]


def test_memo_holds_the_same_report_as_a_full_run(tmp_path, monkeypatch, write_files, settled):
    write_files({
        "a.py": FALLBACK + "x = 1  # igny8: ignore\n",
        "pkg/__init__.py": "from pkg.mod import helper\n__all__ = ['helper', 'gone']\n",
        "pkg/mod.py": "def helper():\n    pass\n\ndef unused():\n    pass\n",
        "broken.py": "def (:\n",
    })
    monkeypatch.chdir(tmp_path)
    full = run_audit([], Config(), jobs=1)
    audit()  # stores the memo
    remembered = audit()
    assert remembered.project is None
    assert remembered.findings == full.findings
    assert [f.note for f in remembered.findings] == [f.note for f in full.findings]
    assert [f.fixable for f in remembered.findings] == [f.fixable for f in full.findings]
    assert remembered.errors == full.errors and remembered.errors  # the unparsable file is still named
    assert (remembered.analysed, remembered.suppressed) == (full.analysed, full.suppressed)


@pytest.mark.parametrize("change", ["edit", "new file", "deleted file", "chmod", "config", "select"])
def test_any_change_is_a_fresh_analysis(tmp_path, monkeypatch, write_files, settled, change):
    write_files({"src/a.py": FALLBACK, "src/b.py": "VALUE = 1\n"})
    monkeypatch.chdir(tmp_path)
    audit()
    [memo_file] = memo_files(tmp_path)
    tamper(memo_file, "stale")
    kwargs = {}
    if change == "edit":
        later(tmp_path / "src/b.py", "VALUE = 2\n")
    elif change == "new file":
        (tmp_path / "src/c.py").write_text("import a\n")
    elif change == "deleted file":
        (tmp_path / "src/b.py").unlink()
    elif change == "chmod":
        (tmp_path / "src/b.py").chmod(0o600)
        os.utime(tmp_path / "src/b.py")  # the mode alone changes the state too; this makes the tick visible
    elif change == "select":
        kwargs = {"select": ("settings-fallback",)}
    if change == "config":
        result = run_audit([], Config(fallback_settings=("DEFAULT_AI_MODEL", "OTHER")), jobs=1, memoize=True)
    else:
        result = audit(**kwargs)
    assert result.project is not None
    assert "stale" not in messages(result) and FALLBACK_MSG in messages(result)


def test_paths_are_reported_relative_to_the_current_directory_of_each_run(tmp_path, monkeypatch, write_files, settled):
    write_files({"setup.cfg": "[igny8_refactor]\n", "src/a.py": FALLBACK})
    config = Config(paths=("src",), root=str(tmp_path), source=str(tmp_path / "setup.cfg"))
    monkeypatch.chdir(tmp_path)
    assert [f.path for f in run_audit([], config, jobs=1, memoize=True).findings] == ["src/a.py"]
    monkeypatch.chdir(tmp_path / "src")  # the same tree and configuration, seen from below
    assert [f.path for f in run_audit([], config, jobs=1, memoize=True).findings] == ["a.py"]


def test_a_tree_changed_within_the_last_second_is_not_remembered(tmp_path, monkeypatch, write_files):
    write_files({"a.py": FALLBACK})
    monkeypatch.chdir(tmp_path)
    audit()
    assert memo_files(tmp_path) == []  # a.py was written just now: an edit in the same tick could go unseen
    old = time.time_ns() - 5_000_000_000
    os.utime(tmp_path / "a.py", ns=(old, old))
    monkeypatch.setattr(memo_module, "time", type("Clock", (), {"time_ns": staticmethod(lambda: time.time_ns() + 5_000_000_000)}))
    audit()
    assert len(memo_files(tmp_path)) == 1


@pytest.mark.parametrize("content", [
    b"", b"not json", b"[]", b'{"d": []}',
    lambda doc: {**doc, "format": 99},
    lambda doc: {**doc, "findings": "x"},
    lambda doc: {**doc, "findings": [("a.py", "1", 1, "IG1", "k", "s", "m", True, "")]},
    lambda doc: {**doc, "findings": [("a.py", 1, 1, "IG1", "k", "s", "m", True)]},
    lambda doc: {**doc, "errors": [("a.py",)]},
    lambda doc: {**doc, "suppressed": None},
    lambda doc: {k: v for k, v in doc.items() if k != "analysed"},
])
def test_a_bad_memo_is_a_miss(tmp_path, monkeypatch, write_files, settled, content):
    write_files({"a.py": FALLBACK})
    monkeypatch.chdir(tmp_path)
    audit()
    [memo_file] = memo_files(tmp_path)
    if callable(content):
        content = dumps(content(loads(memo_file.read_bytes())))
    memo_file.write_bytes(content)
    result = audit()
    assert result.project is not None and messages(result) == [FALLBACK_MSG]
    audit()
    assert audit().project is None  # rewritten good, and used again


def test_without_memoize_or_cache_the_memo_is_neither_read_nor_written(tmp_path, monkeypatch, write_files, settled):
    write_files({"a.py": FALLBACK})
    monkeypatch.chdir(tmp_path)
    run_audit([], Config(), jobs=1, use_cache=False, memoize=True)
    assert memo_files(tmp_path) == []
    audit()
    tamper(memo_files(tmp_path)[0], "stale")
    assert messages(run_audit([], Config(), jobs=1)) == [FALLBACK_MSG]  # fix's analysis never reads it
    assert messages(run_audit([], Config(), jobs=1, use_cache=False, memoize=True)) == [FALLBACK_MSG]


def test_command_line_warm_run_reports_as_the_cold_one(tmp_path):
    (tmp_path / "setup.cfg").write_text("[igny8_refactor]\npaths = app\n")
    (tmp_path / "app").mkdir()
    (tmp_path / "app/__init__.py").write_text("")
    (tmp_path / "app/settings.py").write_text(FALLBACK)
    time.sleep(1.1)  # let the files settle, so that the first run leaves a memo
    cold = igny8("audit", "--no-cache", "--format", "json", cwd=tmp_path)
    first = igny8("audit", "--format", "json", cwd=tmp_path)
    assert memo_files(tmp_path)
    warm = igny8("audit", "--format", "json", cwd=tmp_path)
    assert cold.returncode == first.returncode == warm.returncode == 1
    assert json.loads(cold.stdout) == json.loads(first.stdout) == json.loads(warm.stdout) != []
    assert cold.stderr == warm.stderr
    later(tmp_path / "app/settings.py", "MODEL = 'from IntegrationSettings'\n")
    fixed = igny8("audit", "--format", "json", cwd=tmp_path)
    assert fixed.returncode == 0 and json.loads(fixed.stdout) == []


def test_only_the_newest_memos_are_kept(tmp_path, monkeypatch, write_files, settled):
    write_files({"a.py": FALLBACK, "b.py": "VALUE = 1\n"})
    monkeypatch.chdir(tmp_path)
    for index in range(memo_module.KEEP + 3):  # another command line each time, as a hook's file lists are
        run_audit([], Config(fallback_settings=(f"SETTING_{index}",)), jobs=1, memoize=True)
        newest = max(memo_files(tmp_path), key=lambda p: p.stat().st_mtime_ns)
        os.utime(newest, ns=(index * 1_000_000_000, index * 1_000_000_000))  # strictly ordered
    kept = memo_files(tmp_path)
    assert len(kept) == memo_module.KEEP
    last = run_audit([], Config(fallback_settings=(f"SETTING_{memo_module.KEEP + 2}",)), jobs=1, memoize=True)
    assert last.project is None  # the newest is among those kept
