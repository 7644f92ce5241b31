"""The rule registry: one module per rule, each registering itself on import.

A rule finds its pattern and carries the fix with each finding (see `audit.patterns`);
`igny8-refactor fix` applies exactly the edits the findings carry, so a finding is
fixable if and only if `fix` removes it.
"""

from __future__ import annotations

import functools
import importlib
import importlib.util
import pkgutil
import re
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from typing import ClassVar

CHECKS: dict[str, type[Check]] = {}


@dataclass(frozen=True)
class Invalid:
    """An INVALID case: `code` is flagged, and `fix` turns it into `expected` exactly (None: no automatic fix)."""

    code: str
    expected: str | None


class Check:
    """Base class. Subclasses set `kind`, `code`, `fixable`, `VALID`, `INVALID` and implement one scope.

    `scope` says how a rule runs: "file" rules return a LibCST visitor from `visitor(ctx)`
    (run once per file, its reports cached) and say which names a file must spell for
    them to match (`triggers`); "project" rules implement `run(project, config)` over the
    whole-project model, yielding Findings, and `edits(...)` to fix them; "meta" rules
    judge the other findings (suppressions). `codemod` is a name for a group of rules whose
    edits go together, accepted with kinds and codes by `fix --only` and `--rule`;
    `prunes_all` marks the rule whose edits drop names from `__all__` (a name another edit
    deletes leaves `__all__` through it). `DOCS` is the rule's `explain` page.
    """

    kind: ClassVar[str]
    code: ClassVar[str]
    fixable: ClassVar[bool] = False
    scope: ClassVar[str] = "file"
    codemod: ClassVar[str | None] = None
    prunes_all: ClassVar[bool] = False
    VALID: ClassVar[list[str]] = []
    INVALID: ClassVar[list[Invalid]] = []
    DOCS: ClassVar[str] = ""  # the `explain` page below its title: what, why, example, fix, suppression

    @classmethod
    def summary(cls) -> str:
        return next(iter((cls.__doc__ or "").strip().splitlines()), "")

    @classmethod
    def damage(cls, project_before, finding) -> str:
        """Why `finding`, reported after a fix, is damage the fix did ("" when it is not): `fix` then writes nothing."""
        return ""

    @classmethod
    def triggers(cls, settings) -> tuple[frozenset[str], str | None, bool]:
        """(names, name regex, model literals): a file can match only if it spells one of them."""
        return frozenset(), None, False


def lazy_module(name: str):
    """The module `name`, loaded on its first attribute access. For `libcst.matchers`, which the rules
    use only inside their visitors: importing it takes longer than a warm audit, where every file is
    a cache hit and no visitor runs."""
    if name not in sys.modules:
        spec = importlib.util.find_spec(name)
        spec.loader = importlib.util.LazyLoader(spec.loader)
        module = sys.modules[name] = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        parent, _, child = name.rpartition(".")
        if parent:
            setattr(sys.modules[parent], child, module)  # as `import parent.child` binds it
    return sys.modules[name]


def register(cls: type[Check]) -> type[Check]:
    if cls.kind in CHECKS:
        raise ValueError(f"duplicate check {cls.kind!r}")
    if any(other.code == cls.code for other in CHECKS.values()):
        raise ValueError(f"duplicate check code {cls.code!r}")
    CHECKS[cls.kind] = cls
    return cls


def load_checks() -> dict[str, type[Check]]:
    """Import every module of this package so that each rule registers itself."""
    _import_rules()
    return dict(sorted(CHECKS.items(), key=lambda item: item[1].code))


@functools.cache
def _import_rules() -> None:
    for info in pkgutil.iter_modules(__path__):
        importlib.import_module(f"{__name__}.{info.name}")


def resolve(name: str) -> type[Check]:
    """A rule by kind or code; KeyError when there is none."""
    checks = load_checks()
    if name in checks:
        return checks[name]
    for check in checks.values():
        if check.code == name.upper():
            return check
    raise KeyError(name)


def select_fixes(names: Iterable[str] = ()) -> set[str]:
    """The kinds whose edits `names` select, each a kind, a code or a `codemod` group (every
    fixable rule when there are none); KeyError names an unknown one."""
    checks = load_checks()
    if not names:
        return {kind for kind, check in checks.items() if check.fixable}
    kinds: set[str] = set()
    for name in names:
        group = {kind for kind, check in checks.items() if check.codemod == name}
        kinds |= group or {resolve(name).kind}
    return kinds


@functools.lru_cache(maxsize=8)
def _triggers(settings) -> tuple[frozenset[str], re.Pattern | None, bool]:
    names: set[str] = set()
    patterns: list[str] = []
    literals = False
    for check in load_checks().values():
        if check.scope != "file":
            continue
        more, pattern, model_literals = check.triggers(settings)
        names |= more
        if pattern:
            patterns.append(pattern)
        literals = literals or model_literals
    regex = re.compile("|".join(f"(?:{p})" for p in patterns)) if patterns else None
    return frozenset(names), regex, literals


def file_rules_want(identifiers: set[str], model_literal: bool, settings) -> bool:
    """Whether any per-file rule can match a file that spells these names (an ast-level test)."""
    names, regex, literals = _triggers(settings)
    if model_literal and literals:
        return True
    if not names.isdisjoint(identifiers):
        return True
    return regex is not None and any(regex.fullmatch(name) for name in identifiers)


def trigger_words(settings) -> tuple[str, ...]:
    """The names the per-file rules look for (to cut a very large file down to its relevant statements)."""
    return tuple(sorted(_triggers(settings)[0]))
