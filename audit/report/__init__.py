"""Reporters: each module of this package is a `--format`, its `render(findings, errors, checks, root)` the report."""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable

FORMATS = sorted(info.name for info in pkgutil.iter_modules(__path__) if not info.name.startswith("_"))


def load_reporters() -> dict[str, Callable]:
    """Format name -> render function."""
    return {fmt: importlib.import_module(f"{__name__}.{fmt}").render for fmt in FORMATS}


def render(fmt: str, findings, errors, checks: dict | Callable[[], dict], root: str | None = None) -> str:
    """The report in format `fmt`. `checks`, the enabled rules (kind -> class), may be a function returning them:
    it is called only for a format that lists the rules (SARIF), so that the others never import the rules.
    `root`, for the formats a code host reads (github, sarif): the folder their paths are relative to."""
    module = importlib.import_module(f"{__name__}.{fmt}")
    if callable(checks):
        checks = checks() if getattr(module, "LISTS_RULES", False) else {}
    return module.render(findings, errors, checks, root=root)
