"""The per-file cache: reused while content is unchanged, refreshed when it changes, bypassed by --no-cache."""
from __future__ import annotations

import dataclasses
import os

from audit.api import run_audit
from audit.cache import CACHE_DIR, read_document, write_document
from audit.config import Config
from audit.records import FileScan, Report

FALLBACK = "from django.conf import settings\nmodel = settings.DEFAULT_AI_MODEL\n"


def cache_files(root):
    return sorted(p for p in (root / CACHE_DIR).glob("audit-*.jsonl"))


def tamper(cache_file, path, message):
    """Rewrite the cached findings of `path`, to see whether a later run reads them."""
    document = read_document(cache_file.read_bytes())
    entries = document["entries"]
    mtime, size, digest, module, is_package, result = entries[path]
    scan = dataclasses.replace(FileScan.from_json(result), reports=(Report(1, 1, "IG101", "hardcoded-model-config", "x", message, None, "n"),))
    entries[path] = (mtime, size, digest, module, is_package, scan.to_json())
    cache_file.write_bytes(write_document(document))


def messages(result):
    return [f.message for f in result.findings]


def test_unchanged_file_is_read_from_the_cache(tmp_path, monkeypatch, write_files):
    write_files({"a.py": FALLBACK})
    monkeypatch.chdir(tmp_path)
    first = run_audit([], Config(), jobs=1)
    assert messages(first) == ["model default read from Django settings `DEFAULT_AI_MODEL`"]
    [cache_file] = cache_files(tmp_path)
    tamper(cache_file, str(tmp_path / "a.py"), "from the cache")
    assert messages(run_audit([], Config(), jobs=1)) == ["from the cache"]

    # same content, new mtime: the content hash still matches
    os.utime(tmp_path / "a.py", ns=(1, 1))
    assert messages(run_audit([], Config(), jobs=1)) == ["from the cache"]

    # changed content: scanned again
    (tmp_path / "a.py").write_text(FALLBACK + "other = settings.DEFAULT_AI_MODEL\n", encoding="utf-8")
    assert len(run_audit([], Config(), jobs=1).findings) == 2


def test_no_cache_neither_reads_nor_writes(tmp_path, monkeypatch, write_files):
    write_files({"a.py": FALLBACK})
    monkeypatch.chdir(tmp_path)
    run_audit([], Config(), jobs=1, use_cache=False)
    assert not (tmp_path / CACHE_DIR).exists()
    run_audit([], Config(), jobs=1)
    [cache_file] = cache_files(tmp_path)
    tamper(cache_file, str(tmp_path / "a.py"), "from the cache")
    assert messages(run_audit([], Config(), jobs=1, use_cache=False)) == [
        "model default read from Django settings `DEFAULT_AI_MODEL`"
    ]


def test_configuration_is_part_of_the_key(tmp_path, monkeypatch, write_files):
    write_files({"a.py": "TABLE = {}\n"})
    monkeypatch.chdir(tmp_path)
    assert run_audit([], Config(), jobs=1).findings == []
    flagged = run_audit([], Config(config_names=("TABLE",)), jobs=1)
    assert [f.code for f in flagged.findings] == ["IG101"]
    assert len(cache_files(tmp_path)) == 2


def test_parallel_cold_run_matches_a_serial_one(tmp_path, monkeypatch, write_files):
    files = {f"pkg/m{i}.py": f"def f{i}(model='gpt-4.1'):\n    return model\n\nf{i}()\n" for i in range(40)}
    files["pkg/__init__.py"] = ""
    write_files(files)
    monkeypatch.chdir(tmp_path)
    serial = run_audit([], Config(), jobs=1, use_cache=False)
    parallel = run_audit([], Config(), jobs=2, use_cache=False)
    assert len(serial.findings) == 40
    assert parallel.findings == serial.findings


def test_unwritable_cache_directory_still_reports(tmp_path, monkeypatch, write_files):
    write_files({"a.py": FALLBACK})
    (tmp_path / CACHE_DIR).write_text("not a directory", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert len(run_audit([], Config(), jobs=1).findings) == 1


def test_deleted_files_are_dropped_from_the_cache(tmp_path, monkeypatch, write_files):
    write_files({"a.py": FALLBACK, "b.py": FALLBACK})
    monkeypatch.chdir(tmp_path)
    run_audit([], Config(), jobs=1)
    (tmp_path / "b.py").unlink()
    assert [f.path for f in run_audit([], Config(), jobs=1).findings] == ["a.py"]
    [cache_file] = cache_files(tmp_path)
    assert sorted(read_document(cache_file.read_bytes())["entries"]) == [str(tmp_path / "a.py")]
