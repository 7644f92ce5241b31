"""The per-file cache: a result is reused only for the same bytes, the same tool code and settings,
and nothing a repository carries in its place can silence a finding or direct a write."""

from __future__ import annotations

import dataclasses
import json
import os
import signal
import subprocess
import sys

import pytest

from igny8_refactor.audit import cache as cache_module
from igny8_refactor.audit.api import run_audit
from igny8_refactor.audit.cache import CACHE_DIR
from igny8_refactor.audit.config import Config
from igny8_refactor.audit.records import FileFinding, FileScan

FALLBACK = "from django.conf import settings\nmodel = settings.DEFAULT_AI_MODEL\n"
FOUND = "model default read from Django settings `DEFAULT_AI_MODEL`"


def cache_files(root):
    return sorted((root / CACHE_DIR).glob("audit-*.json"))


def tamper(root, path, message):
    """Rewrite the cached findings of `path`, to see whether a later run reads them."""
    [cache_file] = cache_files(root)
    entries = json.loads(cache_file.read_bytes())
    digest, result = entries[str(path)]
    report = FileFinding(1, 1, "IG101", "hardcoded-model-config", "x", message, None, "n")
    entries[str(path)] = [digest, dataclasses.replace(FileScan.from_json(result), findings=(report,)).to_json()]
    cache_file.write_text(json.dumps(entries))


def messages(result):
    return [f.message for f in result.findings]


def test_a_result_is_reused_while_the_content_is_the_same(tmp_path, monkeypatch, write_files):
    write_files({"a.py": FALLBACK})
    monkeypatch.chdir(tmp_path)
    assert messages(run_audit([], Config(), jobs=1)) == [FOUND]
    tamper(tmp_path, tmp_path / "a.py", "from the cache")
    assert messages(run_audit([], Config(), jobs=1)) == ["from the cache"]
    os.utime(tmp_path / "a.py", ns=(1, 1))  # a new mtime, the same bytes: still the cached result
    assert messages(run_audit([], Config(), jobs=1)) == ["from the cache"]


def test_new_content_with_the_same_mtime_and_size_is_scanned_again(tmp_path, monkeypatch, write_files):
    write_files({"a.py": FALLBACK})
    monkeypatch.chdir(tmp_path)
    run_audit([], Config(), jobs=1)
    tamper(tmp_path, tmp_path / "a.py", "from the cache")
    info = os.stat(tmp_path / "a.py")
    (tmp_path / "a.py").write_text(FALLBACK.replace("model =", "other ="))  # same size
    os.utime(tmp_path / "a.py", ns=(info.st_atime_ns, info.st_mtime_ns))  # as `touch -r` leaves it
    assert os.stat(tmp_path / "a.py").st_size == info.st_size
    assert messages(run_audit([], Config(), jobs=1)) == [FOUND]


def test_no_cache_neither_reads_nor_writes(tmp_path, monkeypatch, write_files):
    write_files({"a.py": FALLBACK})
    monkeypatch.chdir(tmp_path)
    run_audit([], Config(), jobs=1, use_cache=False)
    assert not (tmp_path / CACHE_DIR).exists()
    run_audit([], Config(), jobs=1)
    tamper(tmp_path, tmp_path / "a.py", "from the cache")
    assert messages(run_audit([], Config(), jobs=1, use_cache=False)) == [FOUND]


def test_the_settings_and_the_tools_own_code_are_part_of_the_key(tmp_path, monkeypatch, write_files):
    write_files({"a.py": "TABLE = {}\n"})
    monkeypatch.chdir(tmp_path)
    assert run_audit([], Config(), jobs=1).findings == []
    assert [f.code for f in run_audit([], Config(config_names=("TABLE",)), jobs=1).findings] == ["IG101"]
    assert run_audit([], Config(), jobs=1).findings == []
    assert len(cache_files(tmp_path)) == 1  # the file of other settings or another version is removed
    [before] = cache_files(tmp_path)
    monkeypatch.setattr(cache_module, "_code_fingerprint", lambda: "an upgraded rule")
    run_audit([], Config(), jobs=1)
    assert cache_files(tmp_path) != [before]


def test_a_parallel_cold_run_matches_a_serial_one(tmp_path, monkeypatch, write_files):
    files = {f"pkg/m{i}.py": f"def f{i}(model='gpt-4.1'):\n    return model\n\nf{i}()\n" for i in range(40)}
    files["pkg/__init__.py"] = ""
    write_files(files)
    monkeypatch.chdir(tmp_path)
    serial = run_audit([], Config(), jobs=1, use_cache=False)
    assert len(serial.findings) == 40
    assert run_audit([], Config(), jobs=2, use_cache=False).findings == serial.findings


def test_deleted_files_are_dropped_from_the_cache(tmp_path, monkeypatch, write_files):
    write_files({"a.py": FALLBACK, "b.py": FALLBACK})
    monkeypatch.chdir(tmp_path)
    run_audit([], Config(), jobs=1)
    (tmp_path / "b.py").unlink()
    assert [f.path for f in run_audit([], Config(), jobs=1).findings] == ["a.py"]
    [cache_file] = cache_files(tmp_path)
    assert list(json.loads(cache_file.read_bytes())) == [str(tmp_path / "a.py")]


@pytest.mark.parametrize(
    "content",
    [b"not json", b"[1, 2]", b'{"X": 1}', b"{}", '{{"{path}": ["{digest}", {{"module": 3}}]}}', b"\xff\xfe"],
    ids=["text", "list", "entry-not-a-pair", "empty", "bad-result", "binary"],
)
def test_a_malformed_cache_is_a_miss(tmp_path, monkeypatch, write_files, content):
    write_files({"a.py": FALLBACK})
    monkeypatch.chdir(tmp_path)
    run_audit([], Config(), jobs=1)
    [cache_file] = cache_files(tmp_path)
    if isinstance(content, str):
        path = str(tmp_path / "a.py")
        content = content.format(path=path, digest=json.loads(cache_file.read_bytes())[path][0]).encode()
    cache_file.write_bytes(content)
    assert messages(run_audit([], Config(), jobs=1)) == [FOUND]
    assert str(tmp_path / "a.py") in json.loads(cache_file.read_bytes())  # rebuilt


def test_a_cache_git_tracks_is_ignored_with_a_warning(tmp_path, monkeypatch, write_files):
    """A cache committed to a repository could say a file has no findings: it is not used."""
    write_files({"a.py": FALLBACK})
    monkeypatch.chdir(tmp_path)
    run_audit([], Config(), jobs=1)
    tamper(tmp_path, tmp_path / "a.py", "planted")
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.com"]
    subprocess.run([*git, "init", "-q"], check=True)
    subprocess.run([*git, "add", "-f", CACHE_DIR], check=True)
    warnings = []
    assert messages(run_audit([], Config(), jobs=1, warn=warnings.append)) == [FOUND]
    assert warnings == [f"{tmp_path / CACHE_DIR}: tracked by git, so not trusted as a cache; ignored"]


def test_a_cache_directory_that_is_a_symlink_is_never_followed(tmp_path, monkeypatch, write_files):
    project, elsewhere = tmp_path / "project", tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / ".gitignore").write_text("keep me\n")
    (elsewhere / "audit-keep").write_text("keep me too\n")
    project.mkdir()
    (project / "a.py").write_text(FALLBACK)
    (project / CACHE_DIR).symlink_to(elsewhere)
    monkeypatch.chdir(project)
    assert messages(run_audit([], Config(), jobs=1)) == [FOUND]
    assert sorted(p.name for p in elsewhere.iterdir()) == [".gitignore", "audit-keep"]
    assert (elsewhere / ".gitignore").read_text() == "keep me\n"


def test_the_cache_directory_ignores_itself(tmp_path, monkeypatch, write_files):
    write_files({"a.py": FALLBACK})
    monkeypatch.chdir(tmp_path)
    run_audit([], Config(), jobs=1)
    assert (tmp_path / CACHE_DIR / ".gitignore").read_bytes() == b"*\n"


def test_an_unwritable_cache_directory_still_reports(tmp_path, monkeypatch, write_files):
    write_files({"a.py": FALLBACK})
    (tmp_path / CACHE_DIR).write_text("not a directory", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert messages(run_audit([], Config(), jobs=1)) == [FOUND]


def test_a_cache_git_tracks_is_never_written_either(tmp_path, monkeypatch, write_files):
    write_files({"a.py": FALLBACK})
    monkeypatch.chdir(tmp_path)
    run_audit([], Config(), jobs=1)
    [cache_file] = cache_files(tmp_path)
    subprocess.run(["git", "init", "-q"], check=True)
    subprocess.run(["git", "add", "-f", CACHE_DIR], check=True)
    before = cache_file.read_bytes()
    (tmp_path / "b.py").write_text(FALLBACK)  # a new file: a run that may write would add it
    run_audit([], Config(), jobs=1)
    assert cache_file.read_bytes() == before


def test_a_run_with_nothing_new_does_not_rewrite_the_cache(tmp_path, monkeypatch, write_files):
    write_files({"a.py": FALLBACK})
    monkeypatch.chdir(tmp_path)
    run_audit([], Config(), jobs=1)
    [cache_file] = cache_files(tmp_path)
    before = os.stat(cache_file)
    run_audit([], Config(), jobs=1)
    after = os.stat(cache_file)
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)


@pytest.mark.parametrize("planted", ["fifo", "symlink"])
def test_a_cache_file_that_is_a_fifo_or_a_symlink_is_a_miss(tmp_path, monkeypatch, write_files, planted):
    """A FIFO is not waited on; a symlink (to planted results) is not followed."""
    write_files({"a.py": FALLBACK})
    monkeypatch.chdir(tmp_path)
    run_audit([], Config(), jobs=1)
    tamper(tmp_path, tmp_path / "a.py", "planted")
    [cache_file] = cache_files(tmp_path)
    planted_file = tmp_path / "planted.json"
    os.replace(cache_file, planted_file)
    if planted == "fifo":
        os.mkfifo(cache_file)
    else:
        cache_file.symlink_to(planted_file)
    signal.alarm(30)  # a blocking open of the FIFO would hang the run: fail instead
    try:
        assert messages(run_audit([], Config(), jobs=1)) == [FOUND]
    finally:
        signal.alarm(0)
    assert planted_file.read_text().count("planted") == 1  # the target of the link is left alone


def test_without_git_the_cache_is_still_used(tmp_path, monkeypatch, write_files):
    write_files({"a.py": FALLBACK})
    monkeypatch.chdir(tmp_path)
    run_audit([], Config(), jobs=1)
    tamper(tmp_path, tmp_path / "a.py", "from the cache")
    monkeypatch.setenv("PATH", str(tmp_path / "no-git-here"))  # `git` is not found
    assert messages(run_audit([], Config(), jobs=1)) == ["from the cache"]


def test_a_warm_run_never_loads_libcst_matchers(tmp_path, write_files):
    """Every file a cache hit: no rule's visitor runs, and LibCST's matchers (slower to import than
    the whole warm run) stay unloaded; a cold run loads them where a rule matches."""
    write_files({"a.py": FALLBACK})
    script = (
        "import sys\n"
        "from igny8_refactor.audit.api import run_audit\n"
        "from igny8_refactor.audit.config import Config\n"
        "assert run_audit([], Config(), jobs=1).findings\n"
        "print(type(sys.modules.get('libcst.matchers')).__name__)\n"
    )
    loaded = [
        subprocess.run(
            [sys.executable, "-c", script], cwd=tmp_path, capture_output=True, text=True, check=True
        ).stdout.strip()
        for _ in range(2)
    ]
    assert loaded == ["module", "_LazyModule"]
