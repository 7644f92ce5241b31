"""The per-file result cache: one JSON-lines file per configuration under `.igny8_refactor_cache/`.

Entries are keyed by path and validated by (mtime, size) first, then by content hash,
so a second run over an unchanged tree only stats files. The file name carries a hash of
the format, the tool version, the Python version and the per-file configuration, so a
change in any of them starts a fresh cache.

The file (`audit-<hash>.jsonl`) holds one value a line: first the header, the value
`{"format": "igny8-refactor-cache", "version": FORMAT}`, then one line per entry,
`[path, mtime_ns, size, digest, module, is_package, result]`. Reading the file decodes only
each entry's leading fields and keeps its result as text until the run looks the path up, so
that the file's text and its decoded values are never all held at once; the strings of the
decoded results are shared (a name spelled in a thousand files is held once), and the result
of a file the run never looks up is written back as it was read. Writing streams the lines.

The cache is data, never code: each line is a JSON value written by `dumps` and read by
`loads`, which give back exactly the Python value stored (dicts, lists, tuples, str, int,
float, bool, None; a tuple stays a tuple). JSON objects are tags: `{"t": [...]}` is a tuple,
`{"d": [[key, value], ...]}` a dict (any hashable key). Whatever is read is checked: a file
with another header is ignored, and so is a line of the wrong shape (an entry whose result is
of the wrong shape, when it is looked up); the run rebuilds what was ignored, and none of it
is an error.
Each entry's result is checked by the `decode` function the caller gives (it returns the
value to use, or raises ValueError, TypeError, KeyError or IndexError); by default the
shape of today's per-file scan results (`decode_scan_result`).
"""
from __future__ import annotations

import functools
import glob
import json
import math
import os
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterator

from igny8_refactor import __version__

try:  # hashlib's own blake2b, without importing hashlib, which loads OpenSSL (milliseconds a run)
    from _blake2 import blake2b
except ImportError:  # pragma: no cover - an interpreter built without it
    from hashlib import blake2b

CACHE_DIR = ".igny8_refactor_cache"
FORMAT = 10  # bump when the shape of the file or of per-file results changes
DOCUMENT = "igny8-refactor-cache"
GITIGNORE = b"*\n"
STALE_TEMP_SECONDS = 3600  # a temp file this old in the cache directory was left by a crash


def fingerprint(settings) -> str:
    import hashlib

    text = repr((FORMAT, __version__, sys.version_info[:3], settings))
    return hashlib.sha256(text.encode()).hexdigest()[:20]


def digest(data: bytes) -> str:
    return blake2b(data, digest_size=16).hexdigest()


# -- the data format -----------------------------------------------------------------------
def to_json(value: Any) -> Any:
    """`value` as plain JSON data, tuples and dicts tagged; TypeError/ValueError if it is not data."""
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"not a finite number: {value!r}")
        return value
    if isinstance(value, tuple):
        return {"t": [to_json(item) for item in value]}
    if isinstance(value, list):
        return [to_json(item) for item in value]
    if isinstance(value, dict):
        return {"d": [[to_json(key), to_json(item)] for key, item in value.items()]}
    raise TypeError(f"cannot store a {type(value).__name__} in the cache")


def _untag(obj: dict) -> Any:
    if len(obj) == 1:
        if type(obj.get("t")) is list:
            return tuple(obj["t"])
        pairs = obj.get("d")
        if type(pairs) is list and all(type(pair) is list and len(pair) == 2 for pair in pairs):
            return dict(pairs)  # TypeError for an unhashable key
    raise ValueError(f"not a cache value: {obj!r:.80}")


def _no_constant(name: str):
    raise ValueError(f"not a cache value: {name}")


def _encode(data: Any) -> bytes:
    """Plain JSON data (what `to_json` returns) as compact ASCII JSON: a file name's undecodable
    bytes (lone surrogates) become \\udcXX escapes, which `loads` turns back into the same str."""
    return json.dumps(data, separators=(",", ":")).encode()


def dumps(value: Any) -> bytes:
    return _encode(to_json(value))


def loads(data: bytes | str) -> Any:
    """The value `dumps` wrote; ValueError/TypeError/RecursionError for anything else."""
    if type(data) is str:
        return _DECODER.decode(data)
    return json.loads(data, object_hook=_untag, parse_constant=_no_constant)


_DECODER = json.JSONDecoder(object_hook=_untag, parse_constant=_no_constant)
_SCALAR = json.JSONDecoder(parse_constant=_no_constant).raw_decode  # an entry's leading fields: no objects


# -- the shape of a per-file scan result -----------------------------------------------------
@dataclass(frozen=True)
class _Optional:
    """None, or a value of `spec`."""

    spec: Any


@dataclass(frozen=True)
class _Many:
    """A tuple of any length whose items are of `spec`."""

    spec: Any


def _kinds(spec: Any) -> frozenset | None:
    """The exact types a scalar of shape `spec` may have (a type, or `_Optional` of one); None
    when `spec` is not a scalar's."""
    if isinstance(spec, type):
        return frozenset({spec})
    if isinstance(spec, _Optional) and isinstance(spec.spec, type):
        return frozenset({spec.spec, type(None)})
    return None


def _checker(spec: Any) -> Callable[[Any], bool]:
    """A function telling whether a value has the shape `spec`: a type (exactly that type),
    `[spec]` (a list of them), `(spec, ...)` (a tuple of exactly those), `_Optional(spec)` or
    `_Many(spec)`. Tuples of names and rows of scalars are checked without a Python call per item."""
    kinds = _kinds(spec)
    if kinds is not None:
        return lambda value: type(value) in kinds
    if isinstance(spec, _Optional):
        inner = _checker(spec.spec)
        return lambda value: value is None or inner(value)
    if isinstance(spec, _Many):
        kinds = _kinds(spec.spec)
        if kinds is not None:  # names
            return lambda value: type(value) is tuple and set(map(type, value)) <= kinds
        inner = _checker(spec.spec)
        return lambda value: type(value) is tuple and all(map(inner, value))
    if isinstance(spec, list):
        inner = _checker(spec[0])
        return lambda value: type(value) is list and all(map(inner, value))
    if isinstance(spec, tuple):
        size = len(spec)
        row = [_kinds(part) for part in spec]
        if None not in row:  # a row of scalars: each item's type looked up in its position's kinds
            contains = frozenset.__contains__
            return lambda value: (
                type(value) is tuple and len(value) == size and all(map(contains, row, map(type, value)))
            )
        parts = [_checker(part) for part in spec]
        return lambda value: (
            type(value) is tuple and len(value) == size and all(check(item) for check, item in zip(parts, value))
        )
    raise TypeError(f"not a shape: {spec!r}")


_NAME = _Optional(str)
_NAMES = _Many(str)
_EDIT = (int, int, int, int, _NAMES, _NAMES)
SCAN_RESULT = {  # `FileScan.to_json()` (audit.records)
    "module": str,
    "is_package": bool,
    "error": _NAME,
    "bound": _NAMES,
    "local": _NAMES,
    "imports": _Many((str, str, _NAME, _NAME, int, int, bool, bool)),
    "exports": _Optional(_Many((str, int, int, bool))),
    "export_refs": _NAMES,
    "exports_unknown": bool,
    "has_getattr": bool,
    "dynamic": bool,
    "dynamic_import": bool,
    "functions": _Many((str, int, int, bool, int, int, bool)),
    "classes": _NAMES,
    "used": _NAMES,
    "loads": _NAMES,
    "bare": _NAMES,
    "attrs": _NAMES,
    "strings": _NAMES,
    "words": _NAMES,
    "suppressions": _Many((int, int, _Optional(_NAMES))),
    "reports": _Many((int, int, str, str, str, str, _Optional(_EDIT), str)),
}
_SCAN_CHECKS = {key: _checker(spec) for key, spec in SCAN_RESULT.items()}


def decode_scan_result(value: Any, names: dict[str, str] | None = None):
    """The `FileScan` stored as `value` if it has the shape of one (`audit.records`), else ValueError.

    A `FileScan` is returned as it is: decoding twice is harmless. `names`, when given, is a
    table of strings shared across results (`FileScan.from_json`).
    """
    from audit.records import FileScan

    if isinstance(value, FileScan):
        return value
    if type(value) is not dict:
        raise ValueError(f"not a scan result: {type(value).__name__}")
    for key, check in _SCAN_CHECKS.items():
        if key not in value or not check(value[key]):
            raise ValueError(f"bad or missing {key!r}")
    return FileScan.from_json(value, names)


def encode_scan_result(value: Any):
    """A `FileScan` as the plain data `decode_scan_result` reads back."""
    from audit.records import FileScan

    return value.to_json() if isinstance(value, FileScan) else value


class _Stored:
    """An entry's result as the text the cache file holds, not decoded yet."""

    __slots__ = ("text",)

    def __init__(self, text: str) -> None:
        self.text = text


def _meta_ok(meta: list) -> bool:
    """[path, mtime_ns, size, digest, module, is_package]"""
    return (
        len(meta) == 6
        and type(meta[0]) is str
        and type(meta[1]) is int
        and type(meta[2]) is int
        and meta[1] >= 0
        and meta[2] >= 0
        and type(meta[3]) is str
        and type(meta[4]) is str
        and type(meta[5]) is bool
    )


def _split_entry(line: str) -> tuple[list, str]:
    """The six leading fields of an entry line, decoded, and its result's text; ValueError if the
    line is not `[<six scalars>,<result>]` (the result itself is checked when it is decoded)."""
    if not (line.startswith("[") and line.endswith("]")):
        raise ValueError("not an entry")
    meta = []
    end = 1
    for _ in range(6):
        value, end = _SCALAR(line, end)
        if line[end:end + 1] != ",":
            raise ValueError("not an entry")
        end += 1
        meta.append(value)
    return meta, line[end:-1]


def _entry_lines(handle) -> Iterator[tuple[list, str, bytes] | None]:
    """For each line after the header: (leading fields, result text, the line as read), or None
    for a line that is not an entry of the right shape."""
    for raw in handle:
        try:
            meta, text = _split_entry(raw.rstrip(b"\n").decode("ascii"))
        except (ValueError, RecursionError):
            yield None
            continue
        yield (meta, text, raw) if _meta_ok(meta) else None


def _header() -> bytes:
    return dumps({"format": DOCUMENT, "version": FORMAT}) + b"\n"


def read_document(data: bytes) -> dict:
    """A whole cache file as one value, for tools and tests (a run reads it lazily, `Cache`):
    the header's keys and `"entries"`, {path: (mtime_ns, size, digest, module, is_package,
    result)} with each result as `loads` gives it. ValueError/TypeError when a line is not data."""
    header, *rows = data.splitlines()
    document = loads(header)
    if type(document) is not dict:
        raise ValueError("not a cache file")
    entries = {}
    for row in map(loads, rows):
        if type(row) is not list or not row:
            raise ValueError("not an entry")
        entries[row[0]] = tuple(row[1:])
    return {**document, "entries": entries}


def write_document(document: dict) -> bytes:
    """The file `read_document` reads as `document`."""
    header = dumps({key: value for key, value in document.items() if key != "entries"})
    rows = [dumps([path, *entry]) for path, entry in document["entries"].items()]
    return b"".join(line + b"\n" for line in (header, *rows))


class Cache:
    """path -> (mtime_ns, size, digest, module, is_package, result)."""

    def __init__(
        self, directory: str | None, settings, decode: Callable[[Any], Any] | None = None,
        encode: Callable[[Any], Any] | None = encode_scan_result,
    ):
        """`decode` turns a stored result into the value to use (and must accept that value again);
        by default `decode_scan_result`, sharing the strings of every result this cache decodes.
        `encode` turns such a value back into plain data for saving."""
        self.directory = directory
        self.encode = encode
        self.file = os.path.join(directory, f"audit-{fingerprint(settings)}.jsonl") if directory else None
        self.decode = decode if decode is not None else functools.partial(decode_scan_result, names={})
        self.entries: dict[str, tuple] = {}
        self.dirty = False
        self._decoded: set[str] = set()  # results decoded from the file's lines and not replaced since
        if self.file:
            self.entries = self._load(self.file)

    def _load(self, file: str) -> dict[str, tuple]:
        """The entries of `file`, results not decoded; {} when it is missing or not a cache this
        version wrote. A line that is not an entry is left out (and the file written again)."""
        entries: dict[str, tuple] = {}
        try:
            with open(file, "rb") as handle:
                if handle.readline() != _header():
                    return {}
                for line in _entry_lines(handle):
                    if line is None:
                        self.dirty = True
                        continue
                    meta, text, _ = line
                    entries[meta[0]] = (*meta[1:], _Stored(text))
        except (OSError, MemoryError):
            return {}
        return entries

    def _get(self, path: str, module: str, is_package: bool):
        """The entry of `path` with its result decoded, if it is of `module`; a bad one is dropped."""
        entry = self.entries.get(path)
        if entry is None or entry[3] != module or entry[4] != is_package:
            return None
        result = entry[5]
        if type(result) is _Stored:
            try:
                result = self.decode(_DECODER.decode(result.text))
            except (ValueError, TypeError, KeyError, IndexError, AttributeError, RecursionError):
                del self.entries[path]
                self.dirty = True
                return None
            entry = (*entry[:5], result)
            self.entries[path] = entry
            self._decoded.add(path)
        return entry

    def lookup(self, path: str, stat_result, module: str, is_package: bool):
        entry = self._get(path, module, is_package)
        if entry is None:
            return None, None
        if entry[0] == stat_result.st_mtime_ns and entry[1] == stat_result.st_size:
            return entry[5], entry
        return None, entry  # stale by stat; the content hash may still match

    def store(self, path: str, mtime_ns: int, size: int, content_digest: str, module: str, is_package: bool, result: dict):
        self.entries[path] = (mtime_ns, size, content_digest, module, is_package, result)
        self._decoded.discard(path)
        self.dirty = True

    def prune(self, roots: list[str], keep: set[str]) -> None:
        """Forget files under `roots` that this run did not find (deleted, renamed, excluded)."""
        prefixes = tuple(root.rstrip(os.sep) + os.sep for root in roots)
        stale = [path for path in self.entries if path not in keep and (path in roots or path.startswith(prefixes))]
        for path in stale:
            del self.entries[path]
        if stale:
            self.dirty = True

    def _lines(self) -> Iterator[bytes]:
        """The file's lines: the header, then each entry that is plain data (others are scanned again next time).

        A warm run looks every file up, decoding its result, and keeps most of them: those are
        copied from the file as it is now rather than encoded again (`_line_on_disk`).
        """
        yield _header()
        disk = self._disk_lines()  # opens the file only when first asked for a line
        try:
            for path, entry in self.entries.items():
                if path in self._decoded:
                    line = _line_on_disk(disk, path, entry)
                    if line is not None:
                        yield line
                        continue
                result = entry[5]
                try:
                    head = _encode([path, *entry[:5]])
                    if type(result) is _Stored:
                        text = result.text.encode("ascii")
                    else:
                        text = _encode(to_json(self.encode(result) if self.encode is not None else result))
                except (TypeError, ValueError):
                    continue
                yield b"".join((head[:-1], b",", text, b"]\n"))
        finally:
            disk.close()

    def _disk_lines(self) -> Iterator[tuple[list, bytes]]:
        """(leading fields, line) of each entry line of the file as it is now, in its order."""
        try:
            with open(self.file, "rb") as handle:
                if handle.readline() != _header():
                    return
                for line in _entry_lines(handle):
                    if line is not None:
                        meta, _, raw = line
                        yield meta, raw if raw.endswith(b"\n") else raw + b"\n"
        except OSError:
            return

    def save(self) -> None:
        if not self.file or not self.dirty:
            return
        try:
            from audit.atomic import replace_file

            prepare_directory(self.directory)
            replace_file(self.file, self._lines())
        except OSError:
            pass  # a read-only tree still gets its report
        else:
            self.dirty = False


def _line_on_disk(disk: Iterator[tuple[list, bytes]], path: str, entry: tuple) -> bytes | None:
    """The line of `path` in the file, read on from where the last search stopped (the entries keep
    the file's order), when its leading fields equal the entry's: the same path, stat, content hash,
    module and package flag, in a file of this cache's format and settings, so it holds the result
    the entry holds, whoever wrote it. None otherwise: the entry is encoded again."""
    for meta, line in disk:
        if meta[0] == path:
            return line if tuple(meta[1:]) == entry[:5] else None
    return None


def prepare_directory(directory: str) -> None:
    """Create the cache directory with its `.gitignore` (rewritten atomically if it is not
    exactly `*`), and remove what a crash or an older version left in it."""
    os.makedirs(directory, exist_ok=True)
    gitignore = os.path.join(directory, ".gitignore")
    try:
        current = Path(gitignore).read_bytes()
    except FileNotFoundError:
        current = None
    if current != GITIGNORE:
        from audit.atomic import replace_file

        replace_file(gitignore, GITIGNORE)
    now = time.time()
    for leftover in glob.glob(os.path.join(glob.escape(directory), "audit-*.pickle")):
        _remove(leftover)
    for temp in glob.glob(os.path.join(glob.escape(directory), ".*.tmp")):
        try:
            old = now - os.stat(temp).st_mtime > STALE_TEMP_SECONDS
        except OSError:
            continue
        if old:
            _remove(temp)


def _remove(path: str) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass
