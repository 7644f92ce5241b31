"""GitHub Actions workflow commands: one `::error` annotation per finding."""

from __future__ import annotations

import os
from collections.abc import Iterable

from igny8_refactor.audit.findings import Finding, InputError


def _escape(text: str, *, prop: bool = False) -> str:
    """Escape a workflow-command message, or (`prop`) a property value, whose `:` and `,` are escaped too."""
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return text.replace(":", "%3A").replace(",", "%2C") if prop else text


def _command(path: str, root: str | None, properties: dict[str, object], message: str) -> str:
    """An `::error` line; its file relative to `root` (the repository's root, where GitHub anchors annotations)."""
    if root is not None:
        path = os.path.relpath(os.path.abspath(path), root).replace(os.sep, "/")
    props = ",".join(f"{key}={_escape(str(value), prop=True)}" for key, value in {"file": path, **properties}.items())
    return f"::error {props}::{_escape(message)}\n"


def render(findings: Iterable[Finding], errors: Iterable[InputError] = (), checks=None, root=None) -> str:
    lines = [_command(e.path, root, {"title": "igny8-refactor: unreadable input"}, e.reason) for e in errors]
    for f in sorted(findings):
        lines.append(
            _command(f.path, root, {"line": f.line, "col": f.column, "title": f"{f.code} {f.kind}"}, f.message)
        )
    return "".join(lines)
