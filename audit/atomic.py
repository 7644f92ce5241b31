"""Atomic file replacement: a temp file in the same directory, then os.replace."""
from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path


def replace_file(path: str | os.PathLike, data: bytes, *, prefix: str | None = None) -> None:
    """Replace `path` by `data` all at once, keeping the mode of an existing file.

    A reader sees the old bytes or the new bytes, never a mix; on any failure the temp file is
    removed and `path` is untouched.
    """
    path = Path(path)
    directory = path.parent if str(path.parent) else Path(".")
    try:
        mode = stat.S_IMODE(os.stat(path).st_mode)
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    fd, tmp = tempfile.mkstemp(prefix=prefix or f".{path.name}.", suffix=".tmp", dir=directory)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
