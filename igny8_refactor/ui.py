"""Terminal niceties, all through click: colour only on a terminal, a progress bar for long runs.

Colour follows the conventions Python 3.13 itself follows: `NO_COLOR` (any non-empty value)
turns it off, then `FORCE_COLOR` (any non-empty value) turns it on even off a terminal,
then `TERM=dumb` turns it off; otherwise click decides (on when the stream is a terminal).
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Iterable, Iterator
from typing import TypeVar

import click

T = TypeVar("T")

PROGRESS_DELAY = 1.0  # seconds a run must last before its progress bar appears
_clock = time.monotonic


def color_from_env(environ=None) -> bool | None:
    """True/False when the environment decides, None to let click look at the stream."""
    environ = os.environ if environ is None else environ
    if environ.get("NO_COLOR"):
        return False
    if environ.get("FORCE_COLOR"):
        return True
    if environ.get("TERM") == "dumb":
        return False
    return None


def _stderr_is_terminal() -> bool:
    try:
        return sys.stderr.isatty()
    except (AttributeError, ValueError):
        return False


def _set_color(ctx, param, value) -> None:
    if value != "auto":
        ctx.color = value == "always"


def terminal_options(command):
    """`--color`, `-q/--quiet` and `-v/--verbose`, as ruff spells them."""
    command = click.option(
        "--color",
        type=click.Choice(["auto", "always", "never"]),
        default="auto",
        expose_value=False,
        callback=_set_color,
        help="Colour: auto (on a terminal, unless NO_COLOR is set), always or never.",
    )(command)
    command = click.option("-v", "--verbose", is_flag=True, help="Also name the configuration read, and the time.")(
        command
    )
    return click.option("-q", "--quiet", is_flag=True, help="Print findings and errors only, no summary.")(command)


def _bar_wanted() -> bool:
    """A progress bar: on a terminal, with colour on (its cursor codes are escape codes too), not --quiet."""
    ctx = click.get_current_context(silent=True)
    if ctx is not None and (ctx.color is False or ctx.params.get("quiet")):
        return False
    return _stderr_is_terminal()


def progress(items: Iterable[T], length: int | None = None, label: str = "") -> Iterator[T]:
    """Yield `items`; after PROGRESS_DELAY seconds, with stderr a terminal, show a bar on stderr."""
    if not _bar_wanted():
        yield from items
        return
    if length is None:
        items = list(items)
        length = len(items)
    start = _clock()
    bar = None
    done = 0
    try:
        for item in items:
            yield item
            done += 1
            if bar is None and _clock() - start >= PROGRESS_DELAY and done < length:
                ctx = click.get_current_context(silent=True)
                bar = click.progressbar(length=length, label=label, file=sys.stderr, color=ctx and ctx.color)
                bar.__enter__()
                bar.update(done)
            elif bar is not None:
                bar.update(1)
    finally:
        if bar is not None:
            bar.__exit__(None, None, None)


# -- styles -------------------------------------------------------------------------------
def path_style(text: str) -> str:
    return click.style(text, bold=True)


def error_line(path: str, reason: str) -> str:
    """`path: reason`, the path in bold."""
    return f"{path_style(path)}: {reason}"


def finding_line(line: str, finding) -> str:
    """A text-report line `path:line:col: CODE message` with the location bold and the code red."""
    location = f"{finding.path}:{finding.line}:{finding.column}:"
    head = f"{location} {finding.code} "
    if not line.startswith(head):
        return line
    return f"{path_style(location)} {click.style(finding.code, fg='red', bold=True)} {line[len(head) :]}"


def diff_text(diff: str) -> str:
    """A unified diff with removed lines red, added lines green and hunk headers cyan."""
    out = []
    for line in diff.splitlines(keepends=True):
        body, end = (line[:-1], "\n") if line.endswith("\n") else (line, "")
        if line.startswith(("+++", "---")):
            out.append(click.style(body, bold=True) + end)
        elif line.startswith("+"):
            out.append(click.style(body, fg="green") + end)
        elif line.startswith("-"):
            out.append(click.style(body, fg="red") + end)
        elif line.startswith("@@"):
            out.append(click.style(body, fg="cyan") + end)
        else:
            out.append(line)
    return "".join(out)


def good(text: str) -> str:
    return click.style(text, fg="green", bold=True)


def bad(text: str) -> str:
    return click.style(text, fg="red", bold=True)
