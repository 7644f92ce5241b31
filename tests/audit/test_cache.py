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


def _lines_by_path(cache_file):
    lines = cache_file.read_bytes().splitlines()[1:]
    return {read_document(b"\n".join([cache_file.read_bytes().splitlines()[0], line]))["entries"].popitem()[0]: line
            for line in lines}


def test_a_warm_run_writes_the_entries_it_did_not_change_back_as_they_were_read(tmp_path, monkeypatch, write_files):
    write_files({"a.py": FALLBACK, "b.py": "x = 1\n", "c.py": "import os\n"})
    monkeypatch.chdir(tmp_path)
    run_audit([], Config(), jobs=1)
    [cache_file] = cache_files(tmp_path)
    a, b = str(tmp_path / "a.py"), str(tmp_path / "b.py")
    before = _lines_by_path(cache_file)
    # a's line spelled with spaces the encoder never writes: the same value, other bytes
    spaced = before[a].replace(b'["bound",', b'["bound", ', 1)
    assert spaced != before[a]
    cache_file.write_bytes(cache_file.read_bytes().replace(before[a], spaced))
    (tmp_path / "b.py").write_text("x = 2\ny = 3\n", encoding="utf-8")
    run_audit([], Config(), jobs=1)
    after = _lines_by_path(cache_file)
    # the entries looked up and kept are copied byte for byte; the changed file's is encoded anew
    assert after[a] == spaced and after[str(tmp_path / "c.py")] == before[str(tmp_path / "c.py")]
    assert after[b] != before[b] and '"y"' in after[b].decode()
    assert read_document(cache_file.read_bytes())["entries"][a][5] == read_document(
        b"\n".join([cache_file.read_bytes().splitlines()[0], before[a]]))["entries"][a][5]


def test_a_line_that_no_longer_matches_its_entry_is_encoded_from_the_run(tmp_path, monkeypatch, write_files):
    from audit.cache import Cache
    from audit.records import ScanSettings

    settings = ScanSettings.from_config(Config())
    scan = FileScan("a", False, bound=("x",))
    cache = Cache(str(tmp_path), settings)
    cache.store("/p/a.py", 1, 10, "d1", "a", False, scan)
    cache.save()
    warm = Cache(str(tmp_path), settings)
    assert warm.lookup("/p/a.py", os.stat_result((0, 0, 0, 0, 0, 0, 10, 0, 0, 0)), "a", False)[0] is None  # stale stat
    entry = warm._get("/p/a.py", "a", False)
    assert entry[5] == scan
    # another run rewrote the file meanwhile: the same path with other content (digest d2)
    other = Cache(str(tmp_path), settings)
    other.store("/p/a.py", 2, 11, "d2", "a", False, FileScan("a", False, bound=("y",)))
    other.save()
    warm.store("/p/b.py", 1, 5, "d3", "b", False, FileScan("b", False))  # something to write
    warm.save()
    entries = read_document(open(warm.file, "rb").read())["entries"]
    assert entries["/p/a.py"][:3] == (1, 10, "d1") and FileScan.from_json(entries["/p/a.py"][5]) == scan
    assert sorted(entries) == ["/p/a.py", "/p/b.py"]


def test_entries_keep_their_order_even_when_the_file_was_rewritten_in_another(tmp_path):
    from audit.cache import Cache
    from audit.records import ScanSettings

    settings = ScanSettings.from_config(Config())
    scans = {name: FileScan(name, False, bound=(f"{name}_x",)) for name in "abc"}
    first = Cache(str(tmp_path), settings)
    for name in "abc":
        first.store(f"/p/{name}.py", 1, 2, f"d{name}", name, False, scans[name])
    first.save()
    warm = Cache(str(tmp_path), settings)
    for name in "abc":
        assert warm._get(f"/p/{name}.py", name, False)[5] == scans[name]
    reordered = Cache(str(tmp_path), settings)
    reordered.entries = dict(reversed(list(reordered.entries.items())))
    reordered.dirty = True
    reordered.save()  # c, b, a: the same entries in another order
    warm.store("/p/d.py", 1, 2, "dd", "d", False, FileScan("d", False))
    warm.save()
    entries = read_document(open(warm.file, "rb").read())["entries"]
    assert list(entries) == ["/p/a.py", "/p/b.py", "/p/c.py", "/p/d.py"]
    assert all(FileScan.from_json(entries[f"/p/{name}.py"][5]) == scans[name] for name in "abc")
