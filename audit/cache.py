"""The per-file result cache: one JSON file per configuration under `.igny8_refactor_cache/`.

Entries are keyed by path and validated by (mtime, size) first, then by content hash,
so a second run over an unchanged tree only stats files. The file name carries a hash of
the format, the tool version, the Python version and the per-file configuration, so a
change in any of them starts a fresh cache.

The cache is data, never code: a JSON document written by `dumps` and read by `loads`,
which give back exactly the Python value stored (dicts, lists, tuples, str, int, float,
bool, None; a tuple stays a tuple). JSON objects are tags: `{"t": [...]}` is a tuple,
`{"d": [[key, value], ...]}` a dict (any hashable key). Whatever is read is checked: a
file or an entry of the wrong shape is ignored (and rebuilt by the run), never an error.
Each entry's result is checked by the `decode` function the caller gives (it returns the
value to use, or raises ValueError, TypeError, KeyError or IndexError); by default the
shape of today's per-file scan results (`decode_scan_result`).
"""
from __future__ import annotations

import glob
import hashlib
import json
import math
import os
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

from igny8_refactor import __version__

CACHE_DIR = ".igny8_refactor_cache"
FORMAT = 9  # bump when the shape of per-file results changes
DOCUMENT = "igny8-refactor-cache"
GITIGNORE = b"*\n"
STALE_TEMP_SECONDS = 3600  # a temp file this old in the cache directory was left by a crash


def fingerprint(settings) -> str:
    text = repr((FORMAT, __version__, sys.version_info[:3], settings))
    return hashlib.sha256(text.encode()).hexdigest()[:20]


def digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


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


def loads(data: bytes) -> Any:
    """The value `dumps` wrote; ValueError/TypeError/RecursionError for anything else."""
    return json.loads(data, object_hook=_untag, parse_constant=_no_constant)


# -- the shape of a per-file scan result -----------------------------------------------------
@dataclass(frozen=True)
class _Optional:
    """None, or a value of `spec`."""

    spec: Any


@dataclass(frozen=True)
class _Many:
    """A tuple of any length whose items are of `spec`."""

    spec: Any


def _valid(value: Any, spec: Any) -> bool:
    """Whether `value` has the shape `spec`: a type (exactly that type), `[spec]` (a list of
    them), `(spec, ...)` (a tuple of exactly those), `_Optional(spec)` or `_Many(spec)`."""
    if isinstance(spec, _Optional):
        return value is None or _valid(value, spec.spec)
    if isinstance(spec, _Many):
        if type(value) is not tuple:
            return False
        if isinstance(spec.spec, type):  # the common case, names: no call per item
            kind = spec.spec
            return all(type(item) is kind for item in value)
        return all(_valid(item, spec.spec) for item in value)
    if isinstance(spec, list):
        return type(value) is list and all(_valid(item, spec[0]) for item in value)
    if isinstance(spec, tuple):
        return type(value) is tuple and len(value) == len(spec) and all(map(_valid, value, spec))
    return type(value) is spec


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


def decode_scan_result(value: Any):
    """The `FileScan` stored as `value` if it has the shape of one (`audit.records`), else ValueError.

    A `FileScan` is returned as it is: decoding twice is harmless.
    """
    from audit.records import FileScan

    if isinstance(value, FileScan):
        return value
    if type(value) is not dict:
        raise ValueError(f"not a scan result: {type(value).__name__}")
    for key, spec in SCAN_RESULT.items():
        if key not in value or not _valid(value[key], spec):
            raise ValueError(f"bad or missing {key!r}")
    return FileScan.from_json(value)


def encode_scan_result(value: Any):
    """A `FileScan` as the plain data `decode_scan_result` reads back."""
    from audit.records import FileScan

    return value.to_json() if isinstance(value, FileScan) else value


def _entry_ok(entry: Any) -> bool:
    """(mtime_ns, size, digest, module, is_package, result)"""
    return (
        type(entry) is tuple
        and len(entry) == 6
        and type(entry[0]) is int
        and type(entry[1]) is int
        and entry[0] >= 0
        and entry[1] >= 0
        and type(entry[2]) is str
        and type(entry[3]) is str
        and type(entry[4]) is bool
    )


class Cache:
    """path -> (mtime_ns, size, digest, module, is_package, result)."""

    def __init__(
        self, directory: str | None, settings, decode: Callable[[Any], Any] = decode_scan_result,
        encode: Callable[[Any], Any] | None = encode_scan_result,
    ):
        """`decode` turns a stored result into the value to use (and must accept that value again);
        `encode` turns such a value back into plain data for saving."""
        self.directory = directory
        self.encode = encode
        self.file = os.path.join(directory, f"audit-{fingerprint(settings)}.json") if directory else None
        self.decode = decode
        self.entries: dict[str, tuple] = {}
        self.dirty = False
        if self.file:
            self.entries = self._load(self.file)

    @staticmethod
    def _load(file: str) -> dict[str, tuple]:
        """The entries of `file`; {} when it is missing or not a cache this version wrote."""
        try:
            document = loads(Path(file).read_bytes())
        except FileNotFoundError:
            return {}
        except (OSError, ValueError, TypeError, RecursionError, MemoryError):
            return {}
        if (
            type(document) is not dict
            or document.get("format") != DOCUMENT
            or document.get("version") != FORMAT
            or type(document.get("entries")) is not dict
        ):
            return {}
        return {path: entry for path, entry in document["entries"].items() if type(path) is str and _entry_ok(entry)}

    def _get(self, path: str):
        """The entry of `path` with its result decoded; a bad one is dropped."""
        entry = self.entries.get(path)
        if entry is None:
            return None
        try:
            result = self.decode(entry[5])
        except (ValueError, TypeError, KeyError, IndexError, AttributeError):
            del self.entries[path]
            self.dirty = True
            return None
        if result is not entry[5]:
            entry = (*entry[:5], result)
            self.entries[path] = entry
        return entry

    def lookup(self, path: str, stat_result, module: str, is_package: bool):
        entry = self._get(path)
        if entry is None or entry[3] != module or entry[4] != is_package:
            return None, None
        if entry[0] == stat_result.st_mtime_ns and entry[1] == stat_result.st_size:
            return entry[5], entry
        return None, entry  # stale by stat; the content hash may still match

    def store(self, path: str, mtime_ns: int, size: int, content_digest: str, module: str, is_package: bool, result: dict):
        self.entries[path] = (mtime_ns, size, content_digest, module, is_package, result)
        self.dirty = True

    def prune(self, roots: list[str], keep: set[str]) -> None:
        """Forget files under `roots` that this run did not find (deleted, renamed, excluded)."""
        prefixes = tuple(root.rstrip(os.sep) + os.sep for root in roots)
        stale = [path for path in self.entries if path not in keep and (path in roots or path.startswith(prefixes))]
        for path in stale:
            del self.entries[path]
        if stale:
            self.dirty = True

    def save(self) -> None:
        if not self.file or not self.dirty:
            return
        entries = []
        for path, entry in self.entries.items():
            try:
                if self.encode is not None:
                    entry = (*entry[:5], self.encode(entry[5]))
                entries.append([path, to_json(entry)])
            except (TypeError, ValueError):
                continue  # not plain data: scanned again next time
        document = {"d": [["format", DOCUMENT], ["version", FORMAT], ["entries", {"d": entries}]]}
        try:
            from audit.atomic import replace_file

            prepare_directory(self.directory)
            replace_file(self.file, _encode(document))
        except OSError:
            pass  # a read-only tree still gets its report
        else:
            self.dirty = False


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
