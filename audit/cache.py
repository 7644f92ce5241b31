"""The per-file analysis cache: one JSON file per tool code and settings, path -> [content hash, scan result].

A result is reused only for the same bytes and the exact tool code that wrote it. Nothing in it
directs a write or silences a finding unchecked: the directory is never followed through a symlink,
ignores itself (`.gitignore`), and is not trusted when git tracks it; anything malformed is a miss.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import sys
from pathlib import Path

from igny8_refactor.audit.atomic import replace_file
from igny8_refactor.audit.files import git
from igny8_refactor.audit.records import FileScan

CACHE_DIR = ".igny8_refactor_cache"
GITIGNORE = b"*\n"


@functools.cache
def _code_fingerprint() -> str:
    """A hash of the analysis code itself: an upgrade that keeps its version string still starts afresh."""
    code = hashlib.sha256(repr(sys.version_info[:3]).encode())
    package = Path(__file__).parent
    for path in sorted(package.rglob("*.py")):
        code.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes())
    return code.hexdigest()


def digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def _tracked_by_git(directory: Path) -> bool:
    out = git("ls-files", "--", CACHE_DIR, cwd=directory.parent)
    return out is not None and out.returncode == 0 and bool(out.stdout.strip())


class Cache:
    def __init__(self, root: str | os.PathLike, settings, warn=None) -> None:
        self.directory = Path(root) / CACHE_DIR
        key = hashlib.sha256(repr((_code_fingerprint(), settings)).encode()).hexdigest()[:20]
        self.file = self.directory / f"audit-{key}.json"
        self.entries: dict[str, list] = {}
        self.usable = not self.directory.is_symlink()
        if self.usable and self.directory.is_dir() and _tracked_by_git(self.directory):
            self.usable = False
            if warn is not None:
                warn(f"{self.directory}: tracked by git, so not trusted as a cache; ignored")
        self.dirty = False
        if self.usable:
            try:
                fd = os.open(self.file, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
                with os.fdopen(fd, "rb") as handle:
                    entries = json.load(handle)
                if isinstance(entries, dict):
                    self.entries = entries
            except (OSError, ValueError, RecursionError):
                pass

    def get(self, path: str, content_digest: str) -> FileScan | None:
        """The cached scan of `path` if its content hashed to `content_digest` then too."""
        entry = self.entries.get(path)
        if not (isinstance(entry, list) and len(entry) == 2 and entry[0] == content_digest):
            return None
        try:
            result = FileScan.from_json(entry[1])
        except (ValueError, TypeError, KeyError, IndexError, AttributeError):
            return None
        return None if result.error else result

    def put(self, path: str, content_digest: str, result: FileScan) -> None:
        if not result.error:
            self.entries[path] = [content_digest, result.to_json()]
            self.dirty = True

    def keep_only(self, paths: set[str]) -> None:
        """Forget the files this run did not find (deleted, renamed, excluded)."""
        kept = {path: entry for path, entry in self.entries.items() if path in paths}
        self.dirty = self.dirty or len(kept) < len(self.entries)
        self.entries = kept

    def save(self) -> None:
        if not (self.usable and self.dirty):
            return
        try:
            self.directory.mkdir(exist_ok=True)
            if self.directory.is_symlink() or not self.directory.is_dir():
                return
            gitignore = self.directory / ".gitignore"
            if gitignore.is_symlink() or not gitignore.exists():
                gitignore.unlink(missing_ok=True)
                replace_file(gitignore, GITIGNORE)
            replace_file(self.file, json.dumps(self.entries, separators=(",", ":")).encode())
            for old in self.directory.glob("audit-*"):  # written by another version or settings
                if old != self.file:
                    old.unlink()
        except OSError:
            pass  # a read-only tree still gets its report
