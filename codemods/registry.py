"""The codemod registry, derived from the rules: each rule names the command that applies its edits."""
from __future__ import annotations

import importlib

from libcst.codemod import Codemod


def load_codemods() -> dict[str, type[Codemod]]:
    """Every command a rule names, by name (its module's name), sorted."""
    from audit.checks import load_checks
    from codemods.command import RuleCodemod

    found: dict[str, type[Codemod]] = {}
    for check in load_checks().values():
        if check.codemod and check.codemod not in found:
            module = importlib.import_module(f"codemods.{check.codemod}")
            (command,) = [
                value for value in vars(module).values()
                if isinstance(value, type) and issubclass(value, RuleCodemod) and value is not RuleCodemod
            ]
            found[check.codemod] = command
    return dict(sorted(found.items()))


def rules_of(name: str) -> list[str]:
    """The rule kinds whose edits the command `name` applies."""
    from audit.checks import load_checks

    return [kind for kind, check in load_checks().items() if check.codemod == name]


CODEMODS = load_codemods()
