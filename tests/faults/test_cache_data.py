"""The cache is data, never code, and anything malformed in it is ignored and rebuilt."""
from __future__ import annotations

import json
import os
import pickle
import time
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

from audit import cache as cache_module
from audit.cache import CACHE_DIR, Cache, decode_scan_result, dumps, loads, read_document, to_json
from audit.config import Config
from audit.scan import ScanSettings, scan_file
from faults_helpers import ROOT, invoke

FALLBACK = "from django.conf import settings\nmodel = settings.DEFAULT_AI_MODEL\n"
EXPECTED = "a.py:2:9: IG102 model default read from Django settings `DEFAULT_AI_MODEL`\nFound 1 finding (0 fixable): 1 file checked.\n"


def cache_file(root: Path) -> Path:
    [found] = (root / CACHE_DIR).glob("audit-*.jsonl")
    return found


def document(root: Path) -> dict:
    return read_document(cache_file(root).read_bytes())


# -- the format: what goes in comes out, types included ----------------------------------------
def same(a, b) -> bool:
    if type(a) is not type(b):
        return False
    if isinstance(a, (list, tuple)):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    if isinstance(a, dict):
        return list(a) == list(b) and all(same(a[k], b[k]) for k in a)
    return a == b


scalars = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text()
keys = st.none() | st.booleans() | st.integers() | st.text() | st.tuples(st.integers(), st.text())
values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=4) | st.lists(inner, max_size=4).map(tuple) | st.dictionaries(keys, inner, max_size=4),
    max_leaves=25,
)


@settings(max_examples=300, deadline=None)
@given(values)
def test_round_trip_gives_back_the_same_value_and_types(value) -> None:
    back = loads(dumps(value))
    assert same(back, value), (back, value)


def test_surrogate_escaped_file_names_round_trip_as_ascii() -> None:
    name = os.fsdecode(b"pkg/caf\xe9.py")
    data = dumps({name: (1, name)})
    assert data.isascii()
    assert loads(data) == {name: (1, name)}


@pytest.mark.parametrize("value", [{1, 2}, object(), float("nan"), float("inf"), b"bytes", [frozenset()]])
def test_what_is_not_data_is_refused(value) -> None:
    with pytest.raises((TypeError, ValueError)):
        to_json(value)


@pytest.mark.parametrize(
    "text",
    ['{"x": 1}', '{"t": 1}', '{"d": [[1]]}', '{"d": [[[1], 2]]}', '{"d": 5}', '{"t": [1], "d": []}', "NaN", "[Infinity]", "{}"],
)
def test_what_dumps_never_writes_is_refused(text) -> None:
    with pytest.raises((ValueError, TypeError)):
        loads(text.encode())


def test_every_real_scan_result_has_the_shape_the_cache_accepts() -> None:
    """The validator and audit/scan.py agree (it would otherwise reject, or let through, real entries)."""
    scan_settings = ScanSettings.from_config(Config())
    count = 0
    for base in (ROOT / "igny8_core", ROOT / "tests" / "fixtures"):
        for path in sorted(base.rglob("*.py")):
            result = scan_file(str(path), "pkg." + path.stem, path.name == "__init__.py", scan_settings)
            if result.error:
                continue
            assert decode_scan_result(loads(dumps(result.to_json()))) == result, path
            count += 1
    assert count > 50


# -- the cache refuses to run code -----------------------------------------------------------
class RunsCode:
    def __init__(self, marker: str) -> None:
        self.marker = marker

    def __reduce__(self):
        return (os.system, (f"touch {self.marker}",))


def test_a_pickle_under_the_cache_name_runs_nothing(tmp_path: Path, monkeypatch) -> None:
    (tmp_path / "a.py").write_text(FALLBACK)
    done = invoke(tmp_path, monkeypatch, "audit")
    assert (done.exit_code, done.output) == (1, EXPECTED)
    marker = tmp_path / "pwned"
    payload = pickle.dumps({str(tmp_path / "a.py"): RunsCode(str(marker))})
    target = cache_file(tmp_path)
    target.write_bytes(payload)
    old_name = target.with_name("audit-0123456789abcdef0123.pickle")  # what an older version read
    old_name.write_bytes(payload)
    done = invoke(tmp_path, monkeypatch, "audit")
    assert (done.exit_code, done.output) == (1, EXPECTED)
    assert not marker.exists()
    assert not old_name.exists()  # the old format is removed, never read
    assert document(tmp_path)["format"] == cache_module.DOCUMENT  # rebuilt as data


# -- malformed: ignored and rebuilt, never an error ----------------------------------------------
def entry_of(root: Path) -> tuple:
    return document(root)["entries"][str(root / "a.py")]


def rewrite(root: Path, change) -> None:
    """`change(doc, entries, path)` the file's content (`read_document`), then write it back as
    lines: the header, then per entry `[path, *entry]`, or an entry that is not a tuple as it is
    (a value: a line that is not an entry's shape; bytes: a line that is not data)."""
    doc = document(root)
    path = str(root / "a.py")
    entries = doc["entries"]
    change(doc, entries, path)
    lines = [dumps({key: value for key, value in doc.items() if key != "entries"})]
    for key, entry in entries.items():
        lines.append(entry if type(entry) is bytes else dumps([key, *entry] if type(entry) is tuple else entry))
    cache_file(root).write_bytes(b"".join(line + b"\n" for line in lines))


def drop_key(key):
    def change(doc, entries, path):
        entry = entries[path]
        result = dict(entry[5])
        del result[key]
        entries[path] = (*entry[:5], result)

    return change


def set_result(key, value):
    def change(doc, entries, path):
        entry = entries[path]
        entries[path] = (*entry[:5], dict(entry[5], **{key: value}))

    return change


MALFORMED = {
    "five-tuple": lambda doc, entries, path: entries.__setitem__(path, entries[path][:5]),
    "seven-tuple": lambda doc, entries, path: entries.__setitem__(path, (*entries[path], 1)),
    "object-not-list": lambda doc, entries, path: entries.__setitem__(path, {"path": path, "entry": entries[path]}),
    "list-in-a-list": lambda doc, entries, path: entries.__setitem__(path, [[path, *entries[path]]]),
    "not-json-line": lambda doc, entries, path: entries.__setitem__(path, b"\x80\x04garbage"),
    "half-a-line": lambda doc, entries, path: entries.__setitem__(path, dumps([path, *entries[path]])[:60]),
    "line-with-more-after-it": lambda doc, entries, path: entries.__setitem__(path, dumps([path, *entries[path]]) + b"[1]"),
    "empty-line": lambda doc, entries, path: entries.__setitem__(path, b""),
    "none-result": lambda doc, entries, path: entries.__setitem__(path, (*entries[path][:5], None)),
    "none-entry": lambda doc, entries, path: entries.__setitem__(path, None),
    "missing-used": drop_key("used"),
    "missing-imports": drop_key("imports"),
    "findings-short": set_result("reports", [(2, 9, "IG102")]),
    "findings-wrong-types": set_result("reports", [("2", 9, "IG102", "k", "s", "m", True)]),
    "imports-not-list": set_result("imports", "import os"),
    "used-holds-int": set_result("used", [1]),
    "all-bad": set_result("exports", [("x", 1)]),
    "suppressions-bad": set_result("suppressions", [(1, 1, ["IG102"])]),
    "bool-mtime": lambda doc, entries, path: entries.__setitem__(path, (True, *entries[path][1:])),
    "negative-size": lambda doc, entries, path: entries.__setitem__(path, (entries[path][0], -1, *entries[path][2:])),
    "int-module": lambda doc, entries, path: entries.__setitem__(path, (*entries[path][:3], 3, *entries[path][4:])),
    "int-path": lambda doc, entries, path: entries.__setitem__(7, entries.pop(path)),
    "header-with-entries": lambda doc, entries, path: doc.__setitem__("entries_too", 1),
    "other-version": lambda doc, entries, path: doc.__setitem__("version", cache_module.FORMAT - 1),
    "other-format": lambda doc, entries, path: doc.__setitem__("format", "something else"),
}
RAW = {
    "not-json": b"\x80\x04garbage",
    "empty": b"",
    "json-null": b"null",
    "json-list": b"[1, 2]",
    "plain-json-object": json.dumps({"format": cache_module.DOCUMENT, "version": cache_module.FORMAT, "entries": {}}).encode(),
    "one-document": None,  # filled in below: the whole cache as one value, as version 9 wrote it
    "deeply-nested": b"[" * 100000 + b"]" * 100000,
    "truncated": None,  # filled in below: half of a real cache file
}


@pytest.mark.parametrize("case", sorted(MALFORMED) + sorted(RAW))
def test_malformed_cache_is_ignored_and_rebuilt(tmp_path: Path, monkeypatch, case: str) -> None:
    (tmp_path / "a.py").write_text(FALLBACK)
    first = invoke(tmp_path, monkeypatch, "audit")
    assert (first.exit_code, first.output) == (1, EXPECTED)
    if case in MALFORMED:
        rewrite(tmp_path, MALFORMED[case])
    else:
        raw = RAW[case]
        if case == "truncated":
            raw = cache_file(tmp_path).read_bytes()[:40]
        elif case == "one-document":
            raw = dumps(document(tmp_path))
        cache_file(tmp_path).write_bytes(raw)
    again = invoke(tmp_path, monkeypatch, "audit")
    assert (again.exit_code, again.output) == (1, EXPECTED)
    entry = entry_of(tmp_path)  # rebuilt: a valid entry again
    assert [f.code for f in decode_scan_result(entry[5]).reports] == ["IG102"]
    assert invoke(tmp_path, monkeypatch, "audit").output == EXPECTED


def test_a_cached_result_is_used_only_through_the_decoder(tmp_path: Path) -> None:
    settings = ("x",)
    seen = []

    def decode(value):
        seen.append(value)
        if value == "bad":
            raise KeyError("bad")
        return ("decoded", value)

    first = Cache(str(tmp_path), settings, decode=decode)
    first.store("/p/good.py", 5, 6, "d1", "good", False, "good")
    first.store("/p/bad.py", 5, 6, "d2", "bad", False, "bad")
    first.save()
    stat = type("S", (), {"st_mtime_ns": 5, "st_size": 6})()
    second = Cache(str(tmp_path), settings, decode=decode)
    hit, entry = second.lookup("/p/good.py", stat, "good", False)
    assert hit == ("decoded", "good") and entry == (5, 6, "d1", "good", False, ("decoded", "good"))
    assert second.lookup("/p/bad.py", stat, "bad", False) == (None, None)
    assert "/p/bad.py" not in second.entries and second.dirty
    assert second.lookup("/p/good.py", stat, "other-module", False) == (None, None)
    assert second.lookup("/p/good.py", stat, "good", True) == (None, None)
    changed = type("S", (), {"st_mtime_ns": 7, "st_size": 6})()
    assert second.lookup("/p/good.py", changed, "good", False)[0] is None
    assert second.lookup("/p/good.py", changed, "good", False)[1][2] == "d1"


def test_entries_that_are_not_data_are_left_out_not_fatal(tmp_path: Path) -> None:
    settings = ("y",)
    cache = Cache(str(tmp_path), settings, decode=lambda value: value)
    cache.store("/p/a.py", 1, 2, "d", "a", False, {"ok": (1, "x")})
    cache.store("/p/b.py", 1, 2, "d", "b", False, {"bad": {1, 2}})
    cache.save()
    again = Cache(str(tmp_path), settings, decode=lambda value: value)
    assert list(again.entries) == ["/p/a.py"] and not again.dirty
    stat = type("S", (), {"st_mtime_ns": 1, "st_size": 2})()
    assert again.lookup("/p/a.py", stat, "a", False) == ({"ok": (1, "x")}, (1, 2, "d", "a", False, {"ok": (1, "x")}))
    again.save()  # nothing changed: nothing written


def test_a_result_is_decoded_when_looked_up_and_written_back_as_read_otherwise(tmp_path: Path) -> None:
    settings = ("z",)
    first = Cache(str(tmp_path), settings, decode=lambda value: value)
    for name in ("a", "b", "c"):
        first.store(f"/p/{name}.py", 1, 2, "d", name, False, {"name": (name, 1)})
    first.save()
    lines = Path(first.file).read_bytes().splitlines()
    seen = []
    again = Cache(str(tmp_path), settings, decode=lambda value: seen.append(value) or value)
    assert seen == []  # reading the file decodes no result
    stat = type("S", (), {"st_mtime_ns": 1, "st_size": 2})()
    assert again.lookup("/p/b.py", stat, "b", False)[0] == {"name": ("b", 1)}
    assert again.lookup("/p/c.py", stat, "other", False) == (None, None)  # another module's: not decoded
    assert seen == [{"name": ("b", 1)}]
    again.store("/p/d.py", 1, 2, "d", "d", False, {"name": ("d", 1)})
    again.save()
    assert Path(again.file).read_bytes().splitlines() == [*lines, dumps(["/p/d.py", 1, 2, "d", "d", False, {"name": ("d", 1)}])]


def test_a_bad_result_is_dropped_when_looked_up(tmp_path: Path, monkeypatch) -> None:
    (tmp_path / "a.py").write_text(FALLBACK)
    invoke(tmp_path, monkeypatch, "audit")
    rewrite(tmp_path, set_result("used", [1]))
    cache = Cache(str(tmp_path / CACHE_DIR), ScanSettings.from_config(Config()))
    path = str(tmp_path / "a.py")
    assert path in cache.entries and not cache.dirty  # read, not decoded yet
    assert cache.lookup(path, os.stat(path), "a", False) == (None, None)
    assert path not in cache.entries and cache.dirty


def test_the_results_of_one_cache_share_their_strings(tmp_path: Path) -> None:
    scanned = decode_scan_result(dict(GOOD, bound=("a_name",), used=("a_name",)))
    cache = Cache(str(tmp_path), ("s",))
    for path in ("/p/a.py", "/p/b.py"):
        cache.store(path, 5, 6, "d", "pkg.mod", False, scanned)
    cache.save()
    again = Cache(str(tmp_path), ("s",))
    a, b = (again.lookup(path, STAT, "pkg.mod", False)[0] for path in ("/p/a.py", "/p/b.py"))
    assert a == b == scanned
    assert a.used[0] is b.used[0] is a.bound[0]  # decoded four times, held once
    assert a.imports[1].target is b.imports[1].target
    other = Cache(str(tmp_path), ("s",)).lookup("/p/a.py", STAT, "pkg.mod", False)[0]
    assert other.used[0] is not a.used[0]  # a table per cache, not one for the process


def test_gitignore_is_repaired_and_old_temp_files_removed(tmp_path: Path, monkeypatch) -> None:
    (tmp_path / "a.py").write_text(FALLBACK)
    invoke(tmp_path, monkeypatch, "audit")
    directory = tmp_path / CACHE_DIR
    assert (directory / ".gitignore").read_bytes() == b"*\n"
    (directory / ".gitignore").write_bytes(b"")  # a full disk once left it empty
    old_temp = directory / ".audit-deadbeef.tmp"
    new_temp = directory / ".audit-cafe.tmp"
    old_temp.write_bytes(b"half")
    new_temp.write_bytes(b"another run's, in progress")
    long_ago = time.time() - cache_module.STALE_TEMP_SECONDS - 60
    os.utime(old_temp, (long_ago, long_ago))
    (tmp_path / "a.py").write_text(FALLBACK + "\n")  # something to save
    invoke(tmp_path, monkeypatch, "audit")
    assert (directory / ".gitignore").read_bytes() == b"*\n"
    assert not old_temp.exists() and new_temp.exists()
    assert sorted(p.name for p in directory.iterdir()) == [".audit-cafe.tmp", ".gitignore", cache_file(tmp_path).name]


def test_unreadable_cache_file_is_a_cold_run(tmp_path: Path, monkeypatch) -> None:
    (tmp_path / "a.py").write_text(FALLBACK)
    invoke(tmp_path, monkeypatch, "audit")
    target = cache_file(tmp_path)
    target.unlink()
    target.mkdir()  # reading it fails with IsADirectoryError
    done = invoke(tmp_path, monkeypatch, "audit")
    assert (done.exit_code, done.output) == (1, EXPECTED)


# -- the shape check, one field at a time --------------------------------------------------------
GOOD = {  # FileScan.to_json(): tuples, as the cache's format keeps them
    "module": "pkg.mod", "is_package": False, "error": None, "bound": ("a",), "local": (), "imports": (
        ("import", "os", None, None, 1, 1, False, True), ("from", "pkg", "x", "y", 2, 1, True, False)),
    "exports": None, "export_refs": (), "exports_unknown": False, "has_getattr": False, "dynamic": False,
    "dynamic_import": False, "functions": (("f", 3, 1, False, 4, 3, False),), "classes": ("C",),
    "used": ("a",), "loads": (), "bare": (), "attrs": ("a.b",), "strings": (), "words": (),
    "suppressions": ((4, 10, None), (5, 10, ("IG101", "IG102")), (6, 1, ())),
    "reports": ((2, 9, "IG102", "settings-fallback", "pkg.x", "message", None, "a note"),
                (3, 1, "IG101", "hardcoded-model-config", "pkg.M", "m", (3, 1, 3, 9, ("M",), ()), "")),
}
GOOD_ALTERNATIVES = {"exports": (("a", 1, 5, True),), "error": "a reason", "suppressions": (), "imports": ()}
BAD = {
    "module": [None, 1, b"pkg"],
    "is_package": [0, None, "False"],
    "error": [1, b"x"],
    "bound": [["a"], (1,), None, "a"],
    "imports": [(("import", "os", None, None, 1, 1, False),), (("import", "os", 1, None, 1, 1, False, True),),
                (["import", "os", None, None, 1, 1, False, True],), (("import", "os", None, None, 1, True, False, True),)],
    "exports": [(("a", 1),), (("a", 1, "5", True),), (["a", 1, 5, True],), ("a", 1, 5, True), "a"],
    "suppressions": [((4, 10, ["IG101"]),), ((4, 10, ("IG101", 1)),), ((4, 10),), ((4, 10, "IG101"),), ([4, 10, None],)],
    "reports": [((2, 9, "IG102", "settings-fallback", "pkg.x", "message", 1, ""),), ((2, 9, "IG102"),),
                ((2.0, 9, "IG102", "k", "s", "m", None, ""),), ((2, 9, "IG102", "k", "s", "m", (1, 2), ""),)],
    "functions": [(("f", 3, 1),), (("f", 3, 1, None, 4, 3, False),)],
}


def test_a_good_result_passes() -> None:
    assert decode_scan_result(GOOD).to_json() == GOOD
    for key, value in GOOD_ALTERNATIVES.items():
        changed = dict(GOOD, **{key: value})
        assert decode_scan_result(changed).to_json() == changed


@pytest.mark.parametrize("key, value", [(k, v) for k, values in sorted(BAD.items()) for v in values])
def test_a_bad_field_is_refused(key, value) -> None:
    with pytest.raises(ValueError, match=f"^bad or missing '{key}'$"):
        decode_scan_result(dict(GOOD, **{key: value}))


@pytest.mark.parametrize("key", sorted(GOOD))
def test_a_missing_field_is_refused(key) -> None:
    result = dict(GOOD)
    del result[key]
    with pytest.raises(ValueError, match=f"^bad or missing '{key}'$"):
        decode_scan_result(result)


@pytest.mark.parametrize("value", [None, [], "x", (1,)])
def test_a_result_that_is_not_a_dict_is_refused(value) -> None:
    with pytest.raises(ValueError, match=f"^not a scan result: {type(value).__name__}$"):
        decode_scan_result(value)


def test_error_messages_of_the_format() -> None:
    with pytest.raises(TypeError, match="^cannot store a set in the cache$"):
        to_json({1})
    with pytest.raises(ValueError, match=r"^not a finite number: nan$"):
        to_json(float("nan"))
    with pytest.raises(ValueError, match=r"^not a cache value: \{'x': 1\}$"):
        loads(b'{"x": 1}')
    with pytest.raises(ValueError, match="^not a cache value: NaN$"):
        loads(b"NaN")
    with pytest.raises(ValueError):
        loads(b'{"d": ["ab"]}')  # a pair must be a two-item list, not a two-letter string


def test_the_encoding_is_compact_ascii() -> None:
    data = dumps({"k": [1, (2, "\u00e9")]})
    assert data == b'{"d":[["k",[1,{"t":[2,"\\u00e9"]}]]]}'


# -- the Cache object ----------------------------------------------------------------------------
STAT = type("Stat", (), {"st_mtime_ns": 5, "st_size": 6})()


def test_a_cache_without_a_directory_does_nothing(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    cache = Cache(None, ("s",))
    assert cache.file is None and cache.entries == {} and not cache.dirty
    assert cache.lookup("/p/a.py", STAT, "a", False) == (None, None)
    cache.store("/p/a.py", 5, 6, "d", "a", False, GOOD)
    cache.save()
    assert list(tmp_path.iterdir()) == []


def test_the_file_name_is_a_fixed_length_hash_of_the_settings(tmp_path: Path) -> None:
    import re

    first, second = Cache(str(tmp_path), ("a",)), Cache(str(tmp_path), ("b",))
    for cache in (first, second):
        assert re.fullmatch(r"audit-[0-9a-f]{20}\.jsonl", os.path.basename(cache.file))
    assert first.file != second.file
    assert Cache(str(tmp_path), ("a",)).file == first.file


def test_saving_a_clean_cache_writes_nothing(tmp_path: Path) -> None:
    cache = Cache(str(tmp_path), ("s",))
    cache.store("/p/a.py", 5, 6, "d", "a", False, GOOD)
    cache.save()
    assert not cache.dirty
    inode = os.stat(cache.file).st_ino
    cache.save()
    Cache(str(tmp_path), ("s",)).save()
    assert os.stat(cache.file).st_ino == inode
    gitignore = os.stat(tmp_path / ".gitignore").st_ino
    cache.store("/p/b.py", 5, 6, "d", "b", False, GOOD)
    cache.save()
    assert os.stat(cache.file).st_ino != inode  # written again, atomically
    assert os.stat(tmp_path / ".gitignore").st_ino == gitignore  # a good .gitignore is left alone


def test_prune_forgets_only_files_under_the_roots_not_found_again(tmp_path: Path) -> None:
    cache = Cache(str(tmp_path), ("s",))
    for path in ("/p/a.py", "/p/b.py", "/p/sub/c.py", "/q/d.py", "/pp.py", "/single.py"):
        cache.store(path, 1, 1, "d", "m", False, GOOD)
    cache.dirty = False
    cache.prune(["/p/", "/single.py"], {"/p/a.py"})
    assert sorted(cache.entries) == ["/p/a.py", "/pp.py", "/q/d.py"]
    assert cache.dirty
    cache.dirty = False
    cache.prune(["/q"], {"/q/d.py"})
    assert not cache.dirty


def test_an_unwritable_cache_is_silent(tmp_path: Path) -> None:
    (tmp_path / "blocked").write_text("a file where the directory should be")
    cache = Cache(str(tmp_path / "blocked"), ("s",))
    cache.store("/p/a.py", 5, 6, "d", "a", False, GOOD)
    cache.save()
    assert cache.dirty  # not saved: still to do
