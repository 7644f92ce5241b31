"""Writing files without ever leaving them half-written.

`replace_file` replaces one file (temp file in the same directory, then a rename).

`commit` replaces several files as one transaction, the way `fix` needs it:

1. every target is read and compared with the bytes the caller based its change on;
2. a journal holding the old bytes of every file is written (atomically) to `journal_dir`;
3. a temp file `.<name>.<id>.tmp` is prepared next to each target, carrying the target's
   owner, group, mode and extended attributes;
4. each temp file is swapped with its target (`renameat2(RENAME_EXCHANGE)` where the kernel
   has it), and the old file now under the temp name is compared once more with the
   expected bytes: an edit that landed at any time before the swap is swapped back, intact;
5. the old files and the journal are removed.

If any step fails (an I/O error, an immutable file, an edit made meanwhile, Ctrl-C) every
file already replaced is restored, every temp file removed, and `CommitError("path: reason")`
raised (KeyboardInterrupt and SystemExit are re-raised as they are, after the same cleanup).

A file with several hard links, or whose owner or extended attributes a new file could not
carry, is written in place instead (the journal keeps its old bytes), so every link keeps
seeing it and its metadata is untouched.

If the process dies in the middle (SIGKILL, power loss), the journal is still there:
`recover(journal_dir)`, called at the start of every run, puts back the old bytes of every
file the journal names (a file edited since is left alone and named) and removes the temp
files it lists. Recovery always rolls back: the tree is exactly as before the interrupted
run, and `fix` can simply run again.
"""
from __future__ import annotations

# base64, ctypes, hashlib and secrets are imported where they are used: an audit imports
# this module to look for a journal, and most runs find none
import errno
import fcntl
import json
import os
import stat
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Sequence

JOURNAL_NAME = "commit-journal.json"
JOURNAL_FORMAT = "igny8-refactor-commit-journal"
JOURNAL_VERSION = 1
# test hook: seconds to sleep after each file is swapped, so that a test can kill the
# process in the middle of a commit
PAUSE_ENV = "IGNY8_REFACTOR_COMMIT_PAUSE"
RENAME_EXCHANGE = 2
AT_FDCWD = -100


class CommitError(Exception):
    """A commit that did not happen; the message is `path: reason`. Every file is as it was."""


# -- one file ----------------------------------------------------------------------------
def replace_file(path: str | os.PathLike, data: bytes | Iterable[bytes], *, prefix: str | None = None) -> None:
    """Replace `path` by `data` all at once, keeping the owner, group, mode and extended
    attributes of an existing file (as far as this process may set them). `data` may also be
    an iterable of byte strings, written one after the other (never all held at once).

    A new file gets the usual mode (0666 less the umask). The temp file is created next to
    `path`, never in a shared temp directory; on any failure (Ctrl-C included) it is
    removed and `path` is untouched.
    """
    path = Path(path)
    try:
        info = os.stat(path)
    except OSError:
        info = None
    import secrets

    tmp = path.with_name(f"{prefix or f'.{path.name}.'}{secrets.token_hex(8)}.tmp")
    # a new file: the usual mode (0666 less the umask, applied by the kernel); else private
    # until it has the mode of the file it replaces
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666 if info is None else 0o600)
    try:
        with os.fdopen(fd, "wb") as handle:
            if isinstance(data, (bytes, bytearray, memoryview)):
                handle.write(data)
            else:
                handle.writelines(data)
            handle.flush()
            if info is not None:
                try:
                    _copy_metadata(path, info, handle.fileno())
                except OSError:  # not ours to give away: at least the mode
                    os.fchmod(handle.fileno(), stat.S_IMODE(info.st_mode))
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        _unlink(tmp)
        raise


def _copy_metadata(source: Path, info: os.stat_result, fd: int) -> None:
    """Give the open file `fd` the owner, group, mode and xattrs of `source` (stat `info`);
    OSError if this process may not set one of them."""
    if (info.st_uid, info.st_gid) != (os.geteuid(), os.getegid()):
        os.fchown(fd, info.st_uid, info.st_gid)
    os.fchmod(fd, stat.S_IMODE(info.st_mode))  # after fchown, which may clear set-id bits
    for name, value in _xattrs(source):
        os.setxattr(fd, name, value)


def _xattrs(path: Path) -> list[tuple[str, bytes]]:
    try:
        names = os.listxattr(path)
    except OSError as exc:
        if exc.errno in (errno.ENOTSUP, errno.EOPNOTSUPP):
            return []  # a filesystem without extended attributes
        raise
    return [(name, os.getxattr(path, name)) for name in names]


def _unlink(path) -> None:
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass


def _fsync_directory(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


# -- the swap ----------------------------------------------------------------------------
def _load_renameat2():
    import ctypes

    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return libc.renameat2  # int renameat2(int, const char *, int, const char *, unsigned int)
    except (OSError, AttributeError):
        return None


_UNLOADED = object()
_renameat2 = _UNLOADED  # libc's renameat2, looked up by the first exchange (None: there is none)


def _exchange(first: Path, second: Path) -> bool:
    """Swap two names atomically; False when this kernel or filesystem cannot."""
    global _renameat2
    if _renameat2 is _UNLOADED:
        _renameat2 = _load_renameat2()
    if _renameat2 is None:
        return False
    if _renameat2(AT_FDCWD, os.fsencode(first), AT_FDCWD, os.fsencode(second), RENAME_EXCHANGE) == 0:
        return True
    import ctypes

    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP, errno.EOPNOTSUPP):
        return False
    raise OSError(code, os.strerror(code))


def _before_swap(target: Path) -> None:
    """Called right before each target is replaced (tests edit the file here)."""


def _read(path: Path) -> bytes:
    with open(path, "rb") as handle:
        return handle.read()


@dataclass
class _Entry:
    path: Path  # as the caller named it (messages)
    target: Path  # the real file (symlinks followed)
    old: bytes
    new: bytes
    tmp: Path  # the prepared new file; after the swap, the old one
    in_place: bool
    info: os.stat_result | None = None
    state: str = "planned"  # planned -> prepared -> swapped | replaced; or planned -> written (in place)


def _plan(changes, token: str) -> list[_Entry]:
    entries: list[_Entry] = []
    seen: set[Path] = set()
    for raw_path, expected_old, new in changes:
        path = Path(raw_path)
        target = Path(os.path.realpath(path))
        if target in seen:
            raise CommitError(f"{path}: named twice in one commit")
        seen.add(target)
        try:
            info = os.stat(target)
            if not stat.S_ISREG(info.st_mode):
                raise CommitError(f"{path}: not a regular file")
            current = _read(target)
        except OSError as exc:
            raise CommitError(f"{path}: cannot read: {exc.strerror or exc}") from None
        if current != expected_old:
            raise CommitError(f"{path}: changed on disk since it was read; not overwritten")
        entries.append(
            _Entry(path, target, bytes(expected_old), bytes(new), target.with_name(f".{target.name}.{token}.tmp"),
                   in_place=info.st_nlink > 1, info=info)
        )
    return entries


def _prepare(entry: _Entry) -> None:
    if entry.in_place:
        return
    fd = os.open(entry.tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(entry.new)
            handle.flush()
            try:
                _copy_metadata(entry.target, entry.info, handle.fileno())
            except OSError:
                entry.in_place = True  # a new file could not carry the owner or the xattrs
            os.fsync(handle.fileno())
    except BaseException:
        _unlink(entry.tmp)
        raise
    if entry.in_place:
        _unlink(entry.tmp)
    else:
        entry.state = "prepared"


def _write_in_place(target: Path, expected: bytes, data: bytes) -> None:
    """Overwrite `target` in place (same inode) if it still holds `expected`."""
    fd = os.open(target, os.O_RDWR)
    with os.fdopen(fd, "r+b") as handle:
        if handle.read() != expected:
            raise _Changed()
        handle.seek(0)
        handle.write(data)
        handle.truncate()
        handle.flush()
        os.fsync(handle.fileno())


class _Changed(Exception):
    pass


def _swap(entry: _Entry) -> None:
    _before_swap(entry.target)
    if entry.in_place:
        _write_in_place(entry.target, entry.old, entry.new)
        entry.state = "written"
        return
    if _exchange(entry.tmp, entry.target):
        entry.state = "swapped"  # the old file is now at entry.tmp
        if _read(entry.tmp) != entry.old:
            raise _Changed()
        return
    # no atomic exchange here: check, then replace (the old bytes stay in the journal)
    if _read(entry.target) != entry.old:
        raise _Changed()
    os.replace(entry.tmp, entry.target)
    entry.state = "replaced"


def _undo(entry: _Entry) -> None:
    """Put back what `entry.target` held before this commit."""
    if entry.state == "swapped":
        if not _exchange(entry.tmp, entry.target):  # it worked a moment ago; just in case
            os.replace(entry.tmp, entry.target)
        entry.state = "prepared"  # the new file, back under the temp name
    elif entry.state == "written":
        _write_in_place(entry.target, entry.new, entry.old)
    elif entry.state == "replaced":
        _restore_bytes(entry.target, entry.old)


def _restore_bytes(target: Path, data: bytes) -> None:
    """Write `data` back to `target`, keeping its metadata (in place when it has hard links)."""
    info = os.stat(target)
    if info.st_nlink > 1:
        with open(target, "r+b") as handle:
            handle.write(data)
            handle.truncate()
            handle.flush()
            os.fsync(handle.fileno())
        return
    replace_file(target, data)


# -- the journal -------------------------------------------------------------------------
def _journal_document(entries: Sequence[_Entry]) -> dict:
    import base64
    import hashlib

    return {
        "format": JOURNAL_FORMAT,
        "version": JOURNAL_VERSION,
        "pid": os.getpid(),
        "files": [
            {
                "path": str(entry.target),
                "tmp": str(entry.tmp),
                "old": base64.b64encode(entry.old).decode(),
                "new_sha256": hashlib.sha256(entry.new).hexdigest(),
            }
            for entry in entries
        ],
    }


class _Lock:
    """An exclusive flock on the journal directory itself (released by the kernel on death)."""

    def __init__(self, directory: Path, operation: int) -> None:
        self.fd = os.open(directory, os.O_RDONLY)
        try:
            fcntl.flock(self.fd, operation)
        except BaseException:
            os.close(self.fd)
            raise

    def release(self) -> None:
        os.close(self.fd)


def commit(changes: Sequence[tuple[os.PathLike | str, bytes, bytes]], journal_dir: os.PathLike | str) -> None:
    """Replace every `path` whose bytes are still `expected_old` by `new`, all or nothing.

    `changes` is a sequence of `(path, expected_old, new)`. On any failure every file is
    left (or put back) as it was and CommitError("path: reason") is raised;
    KeyboardInterrupt and SystemExit propagate after the same rollback.
    """
    changes = [(Path(p), old, new) for p, old, new in changes if old != new]
    if not changes:
        return
    journal_dir = Path(journal_dir)
    journal = journal_dir / JOURNAL_NAME
    try:
        journal_dir.mkdir(parents=True, exist_ok=True)
        lock = _Lock(journal_dir, fcntl.LOCK_EX)  # another commit here: wait for it
    except OSError as exc:
        raise CommitError(f"{journal_dir}: cannot create the commit journal: {exc.strerror or exc}") from None
    try:
        if journal.exists():
            recover(journal_dir, _locked=True)
        import secrets

        entries = _plan(changes, secrets.token_hex(6))
        _run(entries, journal)
    finally:
        lock.release()


def _run(entries: list[_Entry], journal: Path) -> None:
    pause = float(os.environ.get(PAUSE_ENV) or 0)
    try:
        try:
            replace_file(journal, json.dumps(_journal_document(entries)).encode())
            _fsync_directory(journal.parent)
        except OSError as exc:
            raise CommitError(f"{journal}: cannot write the commit journal: {exc.strerror or exc}") from None
        for current in entries:
            _prepare(current)
        for current in entries:
            _swap(current)
            if pause:
                time.sleep(pause)
    except BaseException as exc:
        problems = _rollback(entries)
        if not problems:
            _unlink(journal)
        if isinstance(exc, CommitError) or not isinstance(exc, Exception):
            raise  # Ctrl-C, SystemExit: propagate once the files are back (or journaled)
        where = current.path
        if isinstance(exc, _Changed):
            reason = f"{where}: changed on disk while it was being fixed; nothing written"
        elif isinstance(exc, OSError):
            reason = f"{where}: cannot write: {exc.strerror or exc}; nothing written"
        else:
            reason = f"{where}: cannot write: {exc.__class__.__name__}: {exc}; nothing written"
        # with problems, the journal stays: the next run puts those files back
        raise CommitError("; ".join([reason, *problems])) from None
    for directory in sorted({entry.target.parent for entry in entries}):
        _fsync_directory(directory)  # the renames are on disk before the journal goes
    for entry in entries:
        if entry.state == "swapped":
            _unlink(entry.tmp)  # the old file
    _unlink(journal)


def _rollback(entries: list[_Entry]) -> list[str]:
    problems = []
    for entry in reversed(entries):
        try:
            _undo(entry)
        except _Changed:
            problems.append(f"{entry.path}: edited during the fix; left as it is")
        except OSError as exc:
            problems.append(f"{entry.path}: could not be put back ({exc.strerror or exc}); the next run restores it")
        if entry.state == "prepared":
            _unlink(entry.tmp)
    return problems


# -- recovery ----------------------------------------------------------------------------
def _load_journal(journal: Path) -> list[dict]:
    try:
        document = json.loads(journal.read_bytes())
    except (OSError, ValueError) as exc:
        raise CommitError(f"{journal}: unreadable commit journal ({exc}); delete it once the files are checked") from None
    files = document.get("files") if isinstance(document, dict) else None
    if (
        not isinstance(document, dict)
        or document.get("format") != JOURNAL_FORMAT
        or document.get("version") != JOURNAL_VERSION
        or not isinstance(files, list)
        or not all(
            isinstance(item, dict) and all(isinstance(item.get(k), str) for k in ("path", "tmp", "old", "new_sha256"))
            for item in files
        )
    ):
        raise CommitError(f"{journal}: not a commit journal this version can read; delete it once the files are checked")
    return files


def recover(journal_dir: os.PathLike | str, *, _locked: bool = False) -> list[Path]:
    """Undo a commit interrupted by a crash; return the files put back.

    Each file named by the journal that holds the new bytes gets its old bytes back (its
    metadata kept; in place if it has hard links); one that holds the old bytes is left.
    The temp files the journal lists are removed, then the journal. A file edited or
    deleted since the crash is left as the user made it and named once (CommitError after
    the rest is done, journal removed). A file that cannot be read or written now is named
    too, and the journal kept, so that the next run tries again. Nothing happens while
    another process holds the lock (a commit running right now, not a crash).
    """
    journal_dir = Path(journal_dir)
    journal = journal_dir / JOURNAL_NAME
    if not journal.exists():
        return []
    lock = None
    if not _locked:
        try:
            lock = _Lock(journal_dir, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return []  # a commit is running right now: nothing crashed
        except OSError as exc:
            raise CommitError(f"{journal_dir}: cannot lock the commit journal: {exc.strerror or exc}") from None
    try:
        if not journal.exists():  # pragma: no cover - removed between the check and the lock
            return []
        restored: list[Path] = []
        problems: list[str] = []  # cannot be put back now: the journal is kept
        notes: list[str] = []  # left as the user made them: reported once
        import base64
        import hashlib

        for item in _load_journal(journal):
            path = Path(item["path"])
            tmp = Path(item["tmp"])
            try:
                old = base64.b64decode(item["old"], validate=True)
                current = _read(path)
            except FileNotFoundError:
                notes.append(f"{path}: deleted after an interrupted fix; left as it is")
                _unlink(tmp)
                continue
            except (OSError, ValueError) as exc:
                problems.append(f"{path}: cannot restore after an interrupted fix: {getattr(exc, 'strerror', None) or exc}")
                continue
            if current != old:
                if hashlib.sha256(current).hexdigest() == item["new_sha256"]:
                    try:
                        _restore_bytes(path, old)
                    except OSError as exc:
                        problems.append(f"{path}: cannot restore after an interrupted fix: {exc.strerror or exc}")
                        continue
                    restored.append(path)
                else:
                    notes.append(f"{path}: edited after an interrupted fix; left as it is")
            _unlink(tmp)
        if problems:  # the journal stays: the next run tries again
            raise CommitError("; ".join(problems))
        _unlink(journal)
        if notes:
            raise CommitError("; ".join(notes))
        return restored
    finally:
        if lock is not None:
            lock.release()
