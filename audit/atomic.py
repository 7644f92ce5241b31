"""Writing files: one at a time without a half-written state, several as all or nothing.

`replace_file` renames a temp file (the old file's owner, group and mode) over the target: a reader sees the
old file or the new one. `commit` checks every target first (a regular file under the root, still holding
the bytes `fix` read), then replaces each after one more comparison; on any failure (I/O, an edit made
meanwhile, Ctrl-C) the files already replaced are put back, each only if it still holds what this run wrote.
Nothing is recorded on disk: a crash leaves each file wholly old or new, for git to show (docs/fixing.md).
"""

from __future__ import annotations

import os
import secrets
import stat
from collections.abc import Iterable, Sequence
from pathlib import Path


class CommitError(Exception):
    """A commit that did not happen; the message is `path: reason`."""


def replace_file(path: str | os.PathLike, data: bytes | Iterable[bytes]) -> None:
    """Replace `path` by `data` (bytes, or an iterable of bytes) at once; an existing file's owner, group and
    mode are kept (OSError, nothing written, when the owner cannot be), a new file gets 0666 less the umask."""
    path = Path(path)
    try:
        info = os.stat(path)
    except FileNotFoundError:
        info = None
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(8)}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666 if info is None else 0o600)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data) if isinstance(data, bytes) else handle.writelines(data)
            handle.flush()
            if info is not None:
                if (info.st_uid, info.st_gid) != (os.geteuid(), os.getegid()):
                    os.fchown(handle.fileno(), info.st_uid, info.st_gid)
                os.fchmod(handle.fileno(), stat.S_IMODE(info.st_mode))  # after fchown, which clears set-id bits
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def commit(changes: Sequence[tuple[str | os.PathLike, bytes, bytes]], root: str | os.PathLike) -> None:
    """Write each `(path, old, new)` as one transaction; `old` is what the file held when it was read."""
    real_root = Path(os.path.realpath(root))
    for path, old, _new in changes:
        target = Path(os.path.realpath(path))
        if real_root not in target.parents and Path(os.path.abspath(path)) != target:
            raise CommitError(f"{path}: a symlink to a file outside the project ({target}); not written")
        try:
            if not stat.S_ISREG(os.stat(target).st_mode):
                raise CommitError(f"{path}: not a regular file; not written")
            if target.read_bytes() != old:
                raise CommitError(f"{path}: changed on disk since it was read; not overwritten")
        except OSError as exc:
            raise CommitError(f"{path}: cannot read: {exc.strerror or exc}") from None
    written: list[tuple[str | os.PathLike, bytes, bytes]] = []
    try:
        for path, old, new in changes:
            if Path(path).read_bytes() != old:
                raise CommitError(f"{path}: changed on disk since it was read; not overwritten")
            try:
                replace_file(os.path.realpath(path), new)
            except OSError as exc:
                raise CommitError(f"{path}: cannot write: {exc.strerror or exc}; nothing written") from None
            written.append((path, old, new))
    except BaseException:
        kept = _roll_back(written)
        if kept:
            raise CommitError(f"{', '.join(kept)}: edited during the fix; kept as edited, the rest rolled back")
        raise


def _roll_back(written) -> list[str]:
    """Put back the old bytes of each written file that still holds what was written; the others' paths."""
    kept = []
    for path, old, new in reversed(written):
        try:
            if Path(path).read_bytes() == new:
                replace_file(os.path.realpath(path), old)
                continue
        except OSError:
            pass
        kept.append(str(path))
    return kept
