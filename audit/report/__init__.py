"""Reporters: one module per output format, each a pure `render(findings, errors, checks) -> str`.

The registry is filled by importing every module of this package; the module name is
the `--format` value.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable

REPORTERS: dict[str, Callable] = {}


def load_reporters() -> dict[str, Callable]:
    """Format name -> render function, for every module in this package."""
    if not REPORTERS:
        for info in pkgutil.iter_modules(__path__):
            if info.name.startswith("_"):
                continue
            module = importlib.import_module(f"{__name__}.{info.name}")
            render = getattr(module, "render", None)
            if callable(render):
                REPORTERS[info.name] = render
    return dict(sorted(REPORTERS.items()))


def formats() -> list[str]:
    """The `--format` values: the modules of this package (none imported)."""
    return sorted(info.name for info in pkgutil.iter_modules(__path__) if not info.name.startswith("_"))


def render(fmt: str, findings, errors, checks: dict | Callable[[], dict], root: str | None = None) -> str:
    """The report in format `fmt`. `checks`, the enabled rules (kind -> class), may be given as
    a function returning them: it is called only for a format that lists the rules
    (`LISTS_RULES`, SARIF's), so that the others never import the rules. `root`, for the formats
    a code host reads (github, sarif): the folder their paths are relative to (the git root)."""
    if fmt not in formats():
        raise KeyError(fmt)
    module = importlib.import_module(f"{__name__}.{fmt}")
    renderer = getattr(module, "render", None)
    if not callable(renderer):
        raise KeyError(fmt)
    if callable(checks):
        checks = checks() if getattr(module, "LISTS_RULES", False) else {}
    return renderer(findings, errors, checks, **({"root": root} if root else {}))
