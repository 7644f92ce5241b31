"""The per-file result cache: one file per configuration under `.igny8_refactor_cache/`.

Entries are keyed by path and validated by (mtime, size) first, then by content hash,
so a second run over an unchanged tree only stats files. The file name carries the tool
version, the Python version and the per-file configuration, so a change in any of them
starts a fresh cache.
"""
from __future__ import annotations

import hashlib
import os
import pickle
import sys

from audit.atomic import replace_file
from igny8_refactor import __version__

CACHE_DIR = ".igny8_refactor_cache"
FORMAT = 7  # bump when the shape of per-file results changes


def fingerprint(settings) -> str:
    text = repr((FORMAT, __version__, sys.version_info[:3], settings))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:20]


def digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


class Cache:
    """path -> (mtime_ns, size, digest, module, is_package, result)."""

    def __init__(self, directory: str | None, settings):
        self.directory = directory
        self.file = os.path.join(directory, f"audit-{fingerprint(settings)}.pickle") if directory else None
        self.entries: dict[str, tuple] = {}
        self.dirty = False
        if self.file:
            try:
                with open(self.file, "rb") as handle:
                    loaded = pickle.load(handle)
                if isinstance(loaded, dict):
                    self.entries = loaded
            except (OSError, pickle.PickleError, EOFError, ValueError, TypeError, AttributeError, ImportError):
                self.entries = {}

    def lookup(self, path: str, stat_result, module: str, is_package: bool):
        entry = self.entries.get(path)
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
        try:
            os.makedirs(self.directory, exist_ok=True)
            gitignore = os.path.join(self.directory, ".gitignore")
            if not os.path.exists(gitignore):
                with open(gitignore, "w", encoding="utf-8") as handle:
                    handle.write("*\n")
            replace_file(self.file, pickle.dumps(self.entries, protocol=pickle.HIGHEST_PROTOCOL), prefix=".audit-")
        except OSError:
            pass  # a read-only tree still gets its report
