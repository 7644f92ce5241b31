"""The codemod registry: one module per codemod, each registering itself on import."""
from __future__ import annotations

import importlib
import pkgutil

from libcst.codemod import Codemod

import codemods

CODEMODS: dict[str, type[Codemod]] = {}

# The order `fix` applies them in: exports first (their facts come from the untouched
# tree), then dead helpers, then the model-config rewrites, then the guards.
ORDER = (
    "prune_orphan_exports",
    "remove_dead_helpers",
    "remove_model_config",
    "remove_default_model",
    "require_account_guard",
    "require_account_id_guard",
)


def register(cls: type[Codemod]) -> type[Codemod]:
    """Class decorator: file the command under its module's name."""
    name = cls.__module__.rsplit(".", 1)[-1]
    if name in CODEMODS and CODEMODS[name] is not cls:
        raise ValueError(f"duplicate codemod {name!r}")
    cls.NAME = name
    CODEMODS[name] = cls
    return cls


def load_codemods() -> dict[str, type[Codemod]]:
    """Import every codemod module; return the registry in application order."""
    for info in pkgutil.iter_modules(codemods.__path__):
        if info.name not in ("registry", "pipeline", "facts", "_util"):
            importlib.import_module(f"codemods.{info.name}")
    rank = {name: i for i, name in enumerate(ORDER)}
    ordered = sorted(CODEMODS.items(), key=lambda item: (rank.get(item[0], len(rank)), item[0]))
    CODEMODS.clear()
    CODEMODS.update(ordered)
    return dict(CODEMODS)


# Filled on import, so `from codemods.registry import CODEMODS` is complete.
load_codemods()
