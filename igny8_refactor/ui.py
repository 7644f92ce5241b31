"""Terminal niceties, all through click: colour only when wanted, a progress bar for long runs."""

from __future__ import annotations

import contextlib
import sys
import time
from collections.abc import Iterable, Iterator

import click

PROGRESS_DELAY = 1.0  # seconds a run must last before its progress bar appears
_clock = time.monotonic
_DIFF_STYLES = {
    "+++": {"bold": True},
    "---": {"bold": True},
    "+": {"fg": "green"},
    "-": {"fg": "red"},
    "@@": {"fg": "cyan"},
}


def progress(items: Iterable, length: int, label: str = "") -> Iterator:
    """Yield `items`; after PROGRESS_DELAY seconds, with stderr a terminal, show a bar on stderr."""
    ctx = click.get_current_context(silent=True)
    try:
        wanted = sys.stderr.isatty()
    except (AttributeError, ValueError):  # no stderr, or a closed one
        wanted = False
    # not with colour off (its cursor codes are escape codes too), nor --quiet
    if not wanted or (ctx and (ctx.color is False or ctx.params.get("quiet"))):
        yield from items
        return
    start = _clock()
    bar = None
    with contextlib.ExitStack() as stack:
        for done, item in enumerate(items, 1):
            yield item
            if bar is not None:
                bar.update(1)
            elif _clock() - start >= PROGRESS_DELAY and done < length:
                bar = click.progressbar(length=length, label=label, file=sys.stderr, color=ctx and ctx.color)
                stack.enter_context(bar).update(done)


def error_line(path: str, reason: str) -> str:
    """`path: reason`, the path in bold."""
    return f"{click.style(path, bold=True)}: {reason}"


def finding_line(line: str, finding) -> str:
    """A text-report line `path:line:col: CODE message`, the location bold and the code red."""
    location = f"{finding.path}:{finding.line}:{finding.column}:"
    head = f"{location} {finding.code} "
    if not line.startswith(head):
        return line
    return f"{click.style(location, bold=True)} {click.style(finding.code, fg='red', bold=True)} {line[len(head) :]}"


def diff_text(diff: str) -> str:
    """A unified diff with removed lines red, added lines green and hunk headers cyan."""
    out = []
    for line in diff.splitlines(keepends=True):
        body = line.removesuffix("\n")
        style = next((style for prefix, style in _DIFF_STYLES.items() if line.startswith(prefix)), None)
        out.append(line if style is None else click.style(body, **style) + line[len(body) :])
    return "".join(out)


def good(text: str) -> str:
    return click.style(text, fg="green", bold=True)


def bad(text: str) -> str:
    return click.style(text, fg="red", bold=True)
