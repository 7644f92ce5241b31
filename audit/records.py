"""The per-file records: what one file's scan yields, as plain values that cross processes and the cache."""

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
        return model_regex(self.model_patterns)

    @classmethod
    def from_config(cls, config) -> ScanSettings:
        return cls(
            tuple(config.config_names), tuple(config.fallback_settings), tuple(config.model_patterns), config.ai_package
        )


@lru_cache(maxsize=8)
def model_regex(patterns: tuple[str, ...]) -> re.Pattern:
    """One regex for `patterns`, matching nothing when there are none."""
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
    end_line: int  # last line of the definition (for the edit that removes it)
    start_line: int  # first line, decorators included
    conditional: bool  # defined inside an if/try/with/loop at module level


class Export(NamedTuple):
    """One string entry of a module's `__all__`."""

    name: str
    line: int
    column: int
    prunable: bool  # False: added by `__all__.append(...)`, which the fix does not rewrite


class Suppression(NamedTuple):
    """One `# igny8: ignore[...]` comment."""

    line: int
    column: int
    codes: tuple[str, ...] | None  # None: every check
    whole_file: bool  # `# igny8: ignore-file[...]`


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


class FileFinding(NamedTuple):
    """A finding of a per-file rule in one file (the file is its `FileScan`'s): made a `Finding` with its path."""

    line: int
    column: int
    code: str
    kind: str
    symbol: str
    message: str
    edit: Edit | None  # None: the rule has no replacement for it
    note: str  # why it is not fixable ("" when it has an edit or is fixed by another one)


def resolve_relative(module: str, is_package: bool, level: int, target: str | None) -> str:
    """The absolute module named by `from <level dots><target> import ...` inside `module`."""
    if level == 0:
        return target or ""
    parts = module.split(".") if module else []
    parts = parts[: max(len(parts) - level + is_package, 0)]
    return ".".join([*parts, target] if target else parts)


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
    reads: tuple[str, ...] = ()  # names read (`x`)
    value_reads: tuple[str, ...] = ()  # names read as a value, not as the object of an attribute (`f(x)`, `y = x`)
    attrs: tuple[str, ...] = ()  # attribute chains on a name ("m.f", "self.x") or "?.attr"
    strings: tuple[str, ...] = ()  # dotted-path strings ("pkg.mod.f", "pkg.mod:f" as "pkg.mod.f")
    name_strings: tuple[str, ...] = ()  # string constants that are plain names (`get_class("label", "name")`)
    suppressions: tuple[Suppression, ...] = ()
    findings: tuple[FileFinding, ...] = ()

    def to_json(self) -> dict:
        """Plain data for the cache: JSON writes the records (named tuples) as lists."""
        return dict(vars(self))

    @classmethod
    def from_json(cls, data: dict) -> FileScan:
        """The inverse of `to_json`; ValueError, TypeError, KeyError, IndexError or AttributeError on a bad shape."""
        fields = {key: tuple(value) if type(value) is list else value for key, value in data.items()}
        for key, record in (("imports", Import), ("exports", Export), ("functions", Function)):
            if fields[key] is not None:
                fields[key] = tuple(record(*row) for row in fields[key])
        fields["suppressions"] = tuple(
            Suppression(line, col, None if codes is None else tuple(codes), whole_file)
            for line, col, codes, whole_file in fields["suppressions"]
        )
        fields["findings"] = tuple(
            FileFinding(*row[:6], None if row[6] is None else Edit(*row[6][:4], *map(tuple, row[6][4:])), *row[7:])
            for row in fields["findings"]
        )
        return cls(**fields)
