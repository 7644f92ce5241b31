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
        finally:
            os.close(fd)
    except OSError as exc:
        raise SourceError(f"cannot read: {exc.strerror or exc.__class__.__name__}") from None


def decode(data: bytes) -> str:
    """Decode source bytes as Python does: BOM, then coding cookie, else UTF-8 (BOM removed, newlines kept)."""
    if b"\x00" in data:
        raise SourceError("binary file (contains NUL bytes)")
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
    except SyntaxError as exc:
        raise SourceError(f"cannot decode: {exc.msg}") from None
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise SourceError(f"cannot decode as {encoding}: {exc.reason} at byte {exc.start}") from None
    except LookupError as exc:
        raise SourceError(f"cannot decode as {encoding}: {exc}") from None
    return text.removeprefix("\ufeff")


def read_source(path: str) -> str:
    return decode(read_bytes(path))
