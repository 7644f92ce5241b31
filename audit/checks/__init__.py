"""The rule registry: one module per rule, each registering itself on import."""

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
    """Base class. Subclasses set `kind`, `code`, `fixable`, `VALID`, `INVALID` and implement one `scope`:

    "file" rules return a LibCST visitor from `visitor(ctx)` and name the words a file must spell (`triggers`);
    "project" rules yield Findings from `run(project, config)` and fix them with `edits(tree, names)`; "meta"
    rules judge the other findings (suppressions). `codemod` names a group of rules `fix --only` accepts;
    `prunes_all` marks the rule dropping names from `__all__`. `DOCS` is the rule's `explain` page, its first line
    the rule's one-line summary.
    """

    kind: ClassVar[str]
    code: ClassVar[str]
    fixable: ClassVar[bool] = False
    scope: ClassVar[str] = "file"
    codemod: ClassVar[str | None] = None
    prunes_all: ClassVar[bool] = False
    level: ClassVar[str] = "error"  # SARIF's level for its findings: "error" or "warning"
    VALID: ClassVar[list[str]] = []
    INVALID: ClassVar[list[Invalid]] = []
    DOCS: ClassVar[str] = ""  # the `explain` page below its title: what, why, example, fix, suppression

    @classmethod
    def summary(cls) -> str:
        """The title of the `explain` page (the first line of `DOCS`): `list` and SARIF show it."""
        return next(iter(cls.DOCS.strip().splitlines()), "")

    @classmethod
    def damage(cls, project_before, finding) -> str:
        """Why `finding`, reported after a fix, is damage the fix did ("" when it is not): `fix` then writes nothing."""
        return ""

    @classmethod
    def triggers(cls, settings) -> tuple[frozenset[str], str | None, bool]:
        """(names, name regex, model literals): a file can match only if it spells one of them."""
        return frozenset(), None, False


def lazy_module(name: str):
    """The module `name`, loaded on its first attribute access (`libcst.matchers`: importing it takes longer
    than a warm audit, where no visitor runs)."""
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
    found = checks.get(name) or next((check for check in checks.values() if check.code == name.upper()), None)
    if found is None:
        raise KeyError(name)
    return found


def select_fixes(names: Iterable[str] = ()) -> set[str]:
    """The kinds whose edits `names` (kinds, codes or `codemod` groups; default: every fixable rule) select."""
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
    triggers = [check.triggers(settings) for check in load_checks().values() if check.scope == "file"]
    patterns = [pattern for _, pattern, _ in triggers if pattern]
    regex = re.compile("|".join(f"(?:{p})" for p in patterns)) if patterns else None
    return frozenset().union(*(names for names, _, _ in triggers)), regex, any(literals for *_, literals in triggers)


def file_rules_want(identifiers: set[str], model_literal: bool, settings) -> bool:
    """Whether any per-file rule can match a file that spells these names (an ast-level test)."""
    names, regex, literals = _triggers(settings)
    if (model_literal and literals) or not names.isdisjoint(identifiers):
        return True
    return regex is not None and any(regex.fullmatch(name) for name in identifiers)


def trigger_words(settings) -> tuple[str, ...]:
    """The names the per-file rules look for (to cut a very large file down to its relevant statements)."""
    return tuple(sorted(_triggers(settings)[0]))
