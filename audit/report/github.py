"""GitHub Actions workflow commands: one `::error` annotation per finding."""

from __future__ import annotations

import os
from collections.abc import Iterable

from igny8_refactor.audit.findings import Finding, InputError


def escape_data(text: str) -> str:
    """Escape a workflow-command message (the part after `::`)."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """Escape a workflow-command property value (`file=`, `title=`, ...)."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def _command(level: str, properties: dict[str, object], message: str) -> str:
    props = ",".join(f"{key}={escape_property(str(value))}" for key, value in properties.items())
    return f"::{level} {props}::{escape_data(message)}"


def _path(path: str, root: str | None) -> str:
    """`path` relative to `root` (the repository's root, where GitHub anchors annotations); as given without one."""
    return path if root is None else os.path.relpath(os.path.abspath(path), root).replace(os.sep, "/")


def render(findings: Iterable[Finding], errors: Iterable[InputError] = (), checks=None, root=None) -> str:
    lines = []
    for error in errors:
        properties = {"file": _path(error.path, root), "title": "igny8-refactor: unreadable input"}
        lines.append(_command("error", properties, error.reason))
    for finding in sorted(findings):
        properties = {
            "file": _path(finding.path, root),
            "line": finding.line,
            "col": finding.column,
            "title": f"{finding.code} {finding.kind}",
        }
        lines.append(_command("error", properties, finding.message))
    return "\n".join(lines) + "\n" if lines else ""
