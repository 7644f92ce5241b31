"""Reporters: one module per output format, each a pure `render(findings, errors, checks) -> str`.

The registry is filled by importing every module of this package; the module name is
the `--format` value.
"""
from __future__ import annotations

import importlib
import pkgutil
from typing import Callable

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


def render(fmt: str, findings, errors, checks: dict) -> str:
    reporters = load_reporters()
    if fmt not in reporters:
        raise KeyError(fmt)
    return reporters[fmt](findings, errors, checks)
