"""The check registry: one module per check, each registering itself on import."""
from __future__ import annotations

import importlib
import pkgutil
from typing import ClassVar, Iterator

CHECKS: dict[str, type["Check"]] = {}


class Check:
    """Base class. Subclasses set `kind`, `code`, `fixable`, `VALID`, `INVALID` and implement `run`.

    `scope` says how a check runs: "file" checks return a LibCST visitor from
    `visitor(ctx)` (run once per file in the per-file pass, results cached);
    "project" checks implement `run(project)` over the whole-project model and
    yield Findings; "meta" checks are applied by `audit.api` itself.
    """

    kind: ClassVar[str]
    code: ClassVar[str]
    fixable: ClassVar[bool] = False
    scope: ClassVar[str] = "file"
    VALID: ClassVar[list[str]] = []
    INVALID: ClassVar[list[str]] = []

    @classmethod
    def summary(cls) -> str:
        return (cls.__doc__ or "").strip().splitlines()[0] if cls.__doc__ else ""


def register(cls: type[Check]) -> type[Check]:
    if cls.kind in CHECKS:
        raise ValueError(f"duplicate check {cls.kind!r}")
    if any(other.code == cls.code for other in CHECKS.values()):
        raise ValueError(f"duplicate check code {cls.code!r}")
    CHECKS[cls.kind] = cls
    return cls


def load_checks() -> dict[str, type[Check]]:
    """Import every module of this package so that each check registers itself."""
    for info in pkgutil.iter_modules(__path__):
        importlib.import_module(f"{__name__}.{info.name}")
    return dict(sorted(CHECKS.items(), key=lambda item: item[1].code))


def iter_checks() -> Iterator[type[Check]]:
    yield from load_checks().values()


def resolve(name: str) -> type[Check]:
    """A check by kind or code; KeyError when there is none."""
    checks = load_checks()
    if name in checks:
        return checks[name]
    for check in checks.values():
        if check.code == name.upper():
            return check
    raise KeyError(name)
