"""Reading one Python file: bytes, PEP 263 coding cookie, UTF-8 BOM, newline style."""

from __future__ import annotations

import io
import os
import stat
import tokenize

MAX_BYTES = 64 * 1024 * 1024


class SourceError(Exception):
    """The file cannot be read or decoded; the message is the reason printed after the path."""


def read_bytes(path: str) -> bytes:
    """The file's bytes; SourceError for anything that is not a readable regular file (a FIFO never blocks)."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as exc:
        raise SourceError(_os_reason(exc)) from None
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise SourceError("is a directory, not a file")
        if not stat.S_ISREG(info.st_mode):
            raise SourceError("not a regular file")
        if info.st_size > MAX_BYTES:
            raise SourceError(f"file too large ({info.st_size} bytes)")
        with os.fdopen(fd, "rb", closefd=False) as handle:
            return handle.read()
    except OSError as exc:
        raise SourceError(_os_reason(exc)) from None
    finally:
        os.close(fd)


def decode(data: bytes) -> str:
    """Decode source bytes as Python does: BOM, then coding cookie, else UTF-8 (BOM removed, newlines kept)."""
    if b"\x00" in data:
        raise SourceError("binary file (contains NUL bytes)")
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
    except SyntaxError as exc:
        raise SourceError(f"cannot decode: {exc.msg if hasattr(exc, 'msg') else exc}") from None
    try:
        text = data.decode(encoding)
    except (UnicodeDecodeError, LookupError) as exc:
        reason = exc.reason if isinstance(exc, UnicodeDecodeError) else str(exc)
        where = f" at byte {exc.start}" if isinstance(exc, UnicodeDecodeError) else ""
        raise SourceError(f"cannot decode as {encoding}: {reason}{where}") from None
    return text.removeprefix("\ufeff")


def read_source(path: str) -> str:
    return decode(read_bytes(path))


def _os_reason(exc: OSError) -> str:
    reason = exc.strerror or exc.__class__.__name__
    return f"cannot read: {reason}"
