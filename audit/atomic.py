"""Writing files: one at a time without a half-written state, several as all or nothing.

`replace_file` writes a temp file next to the target, gives it the owner, group and mode of
the file it replaces, and renames it over the target: a reader sees the old file or the new
one, never a mix.

`commit` writes the files of one `fix`:

1. each target is read: a file that no longer holds the bytes `fix` read is never overwritten,
   and a target that is not a regular file under the project root (a symlink leading out of
   it) is refused;
2. every new file is prepared next to its target (a failure here writes nothing);
3. each is renamed over its target, right after one more comparison of the target with the
   bytes `fix` read;
4. if any step fails (an I/O error, an edit made meanwhile, Ctrl-C), the files already
   replaced are put back, each only if it still holds exactly the bytes this run wrote (an
   edit made since is kept and named), and `CommitError` is raised.

Nothing is recorded on disk: a crash (SIGKILL, power loss) in step 3 leaves each file wholly
old or wholly new, and git shows and undoes what was written (docs/fixing.md).
"""

from __future__ import annotations

import os
import secrets
import stat
from collections.abc import Iterable, Sequence
from pathlib import Path


class CommitError(Exception):
    """A commit that did not happen; the message is `path: reason`."""


def _temp_beside(path: Path) -> Path:
    return path.with_name(f".{path.name}.{secrets.token_hex(8)}.tmp")


def replace_file(path: str | os.PathLike, data: bytes | Iterable[bytes]) -> None:
    """Replace `path` by `data` (bytes, or an iterable of bytes written in turn) all at once.

    An existing file's owner, group and mode are kept (OSError when its owner cannot be given
    to the new file: nothing is written then); a new file gets 0666 less the umask.
    """
    path = Path(path)
    try:
        info = os.stat(path)
    except FileNotFoundError:
        info = None
    tmp = _temp_beside(path)
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


def _read(path: Path) -> bytes:
    with open(path, "rb") as handle:
        return handle.read()


def _reason(exc: OSError) -> str:
    return exc.strerror or str(exc)


def commit(changes: Sequence[tuple[str | os.PathLike, bytes, bytes]], root: str | os.PathLike) -> None:
    """Write each `(path, old, new)` as one transaction; `old` is what the file held when it was read.

    A path whose real file lies outside `root` (through a symlink) is refused.
    """
    real_root = Path(os.path.realpath(root))
    for path, old, _new in changes:
        target = Path(os.path.realpath(path))
        if real_root not in target.parents and Path(os.path.abspath(path)) != target:
            raise CommitError(f"{path}: a symlink to a file outside the project ({target}); not written")
        try:
            if not stat.S_ISREG(os.stat(target).st_mode):
                raise CommitError(f"{path}: not a regular file; not written")
            if _read(target) != old:
                raise CommitError(f"{path}: changed on disk since it was read; not overwritten")
        except OSError as exc:
            raise CommitError(f"{path}: cannot read: {_reason(exc)}") from None
    written: list[tuple[str | os.PathLike, bytes, bytes]] = []
    try:
        for path, old, new in changes:
            if _read(Path(path)) != old:
                raise CommitError(f"{path}: changed on disk since it was read; not overwritten")
            try:
                replace_file(os.path.realpath(path), new)
            except OSError as exc:
                raise CommitError(f"{path}: cannot write: {_reason(exc)}; nothing written") from None
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
            if _read(Path(path)) == new:
                replace_file(os.path.realpath(path), old)
                continue
        except OSError:
            pass
        kept.append(str(path))
    return kept
