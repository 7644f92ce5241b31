"""The per-file records: what one file's scan yields, as named types that cross processes and the cache.

Every record is a NamedTuple of plain values, so it pickles, turns into JSON as a list and
comes back with `Record(*row)`; nothing reads a record by index.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple


@dataclass(frozen=True)
class ScanSettings:
    """The configuration a per-file pass depends on (part of the cache key)."""

    config_names: tuple[str, ...]
    fallback_settings: tuple[str, ...]
    model_patterns: tuple[str, ...]
    ai_package: str = "igny8_core.ai"

    @property
    def model_re(self) -> re.Pattern:
        """One regex for `model_patterns` (matching nothing when there are none)."""
        return model_regex(self.model_patterns)

    @classmethod
    def from_config(cls, config) -> ScanSettings:
        return cls(
            tuple(config.config_names),
            tuple(config.fallback_settings),
            tuple(config.model_patterns),
            config.ai_package,
        )


@lru_cache(maxsize=8)
def model_regex(patterns: tuple[str, ...]) -> re.Pattern:
    return re.compile("|".join(f"(?:{p})" for p in patterns) or r"(?!)")


class Import(NamedTuple):
    """One imported name: `import target [as asname]` or `from target import name [as asname]`."""

    kind: str  # "import" | "from"
    target: str  # absolute module
    name: str | None  # the imported name ("*" for a star import); None for `import`
    asname: str | None
    line: int
    column: int  # 1-based
    conditional: bool  # inside try/if/loop/with, or a relative import inside a function: not checked
    toplevel: bool  # a module-level statement (binds a module global)

    @property
    def local(self) -> str:
        """The name this import binds where it stands."""
        if self.kind == "import":
            return self.asname or self.target.split(".")[0]
        return self.asname or self.name or ""


class Function(NamedTuple):
    """A module-level function definition."""

    name: str
    line: int
    column: int
    decorated: bool
    end_line: int = 0  # last line of the definition (for the edit that removes it)
    start_line: int = 0  # first line, decorators included
    conditional: bool = False  # defined inside an if/try/with/loop at module level


class Export(NamedTuple):
    """One string entry of a module's `__all__`."""

    name: str
    line: int
    column: int
    prunable: bool = True  # False: added by `__all__.append(...)`, which the fix does not rewrite


class Edit(NamedTuple):
    """Where a finding's replacement applies: the source range of the node it rewrites."""

    start_line: int
    start_column: int
    end_line: int
    end_column: int
    removes: tuple[str, ...] = ()  # module-level names the edit deletes (vetoed if another module needs them)
    needs: tuple[str, ...] = ()  # classes the edit imports, to be found in the project (one module each)

    def covers(self, line: int, column: int) -> bool:
        return (self.start_line, self.start_column) <= (line, column) <= (self.end_line, self.end_column)


class Report(NamedTuple):
    """A finding of a per-file rule, before paths are made relative."""

    line: int
    column: int
    code: str
    kind: str
    symbol: str
    message: str
    edit: Edit | None  # None: the rule has no replacement for it
    note: str  # why it is not fixable ("" when it has an edit or is fixed by another one)

    @classmethod
    def load(cls, row) -> Report:
        row = list(row)
        if row[6] is not None:
            edit = list(row[6])
            row[6] = Edit(*edit[:4], *(tuple(part) for part in edit[4:]))
        return cls(*row)


def resolve_relative(module: str, is_package: bool, level: int, target: str | None) -> str:
    """The absolute module named by `from <level dots><target> import ...` inside `module`."""
    if level == 0:
        return target or ""
    parts = module.split(".") if module else []
    if not is_package:
        parts = parts[:-1]
    if level > 1:
        parts = parts[: len(parts) - (level - 1)] if level - 1 <= len(parts) else []
    if target:
        parts.append(target)
    return ".".join(parts)


def in_packages(dotted: str, packages) -> bool:
    """True when `dotted` is one of `packages` or lies inside one (`pkg_sdk` is not inside `pkg`)."""
    return any(dotted == p or dotted.startswith(p + ".") for p in packages)


@dataclass
class FileScan:
    """Everything the audit keeps of one file: made in one pass, cached, read by the project model."""

    module: str
    is_package: bool
    error: str | None = None
    bound: tuple[str, ...] = ()  # module-level names bound by any statement
    local: tuple[str, ...] = ()  # ... by something other than an import
    imports: tuple[Import, ...] = ()
    exports: tuple[Export, ...] | None = None  # `__all__` entries; None: no `__all__`
    export_refs: tuple[str, ...] = ()  # `other.__all__` pieces of `__all__`
    exports_unknown: bool = False  # `__all__` built in a way that cannot be listed
    has_getattr: bool = False  # a module-level `__getattr__`
    dynamic: bool = False  # writes its globals in ways the scan cannot list
    dynamic_import: bool = False  # imports modules by a computed name
    functions: tuple[Function, ...] = ()
    classes: tuple[str, ...] = ()  # module-level class definitions
    loads: tuple[str, ...] = ()  # names read (`x`)
    bare: tuple[str, ...] = ()  # names read as a value, not as the object of an attribute (`f(x)`, `y = x`)
    attrs: tuple[str, ...] = ()  # attribute chains on a name ("m.f", "self.x") or "?.attr"
    strings: tuple[str, ...] = ()  # dotted-path strings ("pkg.mod.f", "pkg.mod:f" as "pkg.mod.f")
    words: tuple[str, ...] = ()  # string constants that are plain names (`get_class("label", "name")`)
    suppressions: tuple[tuple, ...] = ()  # (line, column, codes or None)
    reports: tuple[Report, ...] = ()

    def to_json(self) -> dict:
        """Plain data for the cache: JSON writes the records (named tuples) as lists."""
        return dict(vars(self))

    @classmethod
    def from_json(cls, data: dict) -> FileScan:
        """The inverse of `to_json` (lists back into records); ValueError/TypeError/KeyError on a bad shape."""
        if type(data) is not dict:
            raise TypeError(f"not a scan result: {type(data).__name__}")
        fields = {key: tuple(value) if type(value) is list else value for key, value in data.items()}
        for key, record in (("imports", Import), ("exports", Export), ("functions", Function)):
            if fields[key] is not None:
                fields[key] = tuple(record(*row) for row in fields[key])
        fields["suppressions"] = tuple(
            (line, col, None if codes is None else tuple(codes)) for line, col, codes in fields["suppressions"]
        )
        fields["reports"] = tuple(Report.load(row) for row in fields["reports"])
        return cls(**fields)
