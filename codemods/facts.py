"""Project facts the codemods need: orphan exports and dead functions, from one audit run."""
from __future__ import annotations

import dataclasses
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

ORPHAN_KIND = "orphan-export"
UNUSED_KIND = "unused-function"
GUARD_KIND = "missing-account-guard"
KINDS = (ORPHAN_KIND, UNUSED_KIND, GUARD_KIND)


def in_packages(dotted: str, packages: Iterable[str]) -> bool:
    """True when `dotted` is one of `packages` or lies inside one."""
    return any(dotted == p or dotted.startswith(p + ".") for p in packages)


def names_under(symbols: Iterable[str], module: str) -> frozenset[str]:
    """The names of `module`'s own members among dotted `symbols`."""
    prefix = module + "."
    return frozenset(s[len(prefix):] for s in symbols if s.startswith(prefix) and "." not in s[len(prefix):])


def module_name_for(path: str | os.PathLike) -> str | None:
    """The dotted module name of a file, from the `__init__.py` files above it."""
    path = Path(path).resolve()
    if path.suffix != ".py":
        return None
    parts = [] if path.stem == "__init__" else [path.stem]
    directory = path.parent
    while (directory / "__init__.py").is_file():
        parts.append(directory.name)
        if directory.parent == directory:
            break
        directory = directory.parent
    return ".".join(reversed(parts)) or None


@dataclass(frozen=True)
class Facts:
    """Dotted symbols the analysis found: orphan exports, unused functions, unguarded scopes.

    `modules` maps each resolved file path that has a fact to its dotted module name.
    """

    orphans: frozenset[str] = frozenset()
    unused: frozenset[str] = frozenset()
    modules: dict[str, str] = field(default_factory=dict)
    # per resolved path: the functions (dotted) that call get_model_config with a maybe-None account
    guards: dict[str, frozenset[str]] = field(default_factory=dict)
    # model-config dicts ("module.NAME") that another module still uses: never deleted
    shared: frozenset[str] = frozenset()

    def with_project(self, project, config_names: Iterable[str]) -> "Facts":
        """Add what only the import graph knows: which config dicts other modules use."""
        shared = set()
        names = tuple(config_names)
        for module in project.modules:
            bound = project.bindings(module)
            for name in names:
                if name in bound and bound[name][0] == "local" and project.users((module, name)) - {module}:
                    shared.add(f"{module}.{name}")
        return dataclasses.replace(self, shared=frozenset(shared))

    @classmethod
    def from_findings(cls, findings, internal: Iterable[str] = ("igny8_core",), keep: Iterable[str] = ()) -> "Facts":
        """Keep only what may be rewritten: removals inside `internal` packages, never a `keep` definition.

        Guards add code and are safe anywhere: every missing-account-guard scope is kept.
        """
        internal, keep = tuple(internal), frozenset(keep)
        orphans, unused, modules, guards = set(), set(), {}, {}
        for finding in findings:
            if finding.kind not in KINDS or "." not in finding.symbol:
                continue
            path = str(Path(finding.path).resolve())
            if finding.kind == GUARD_KIND:
                guards.setdefault(path, set()).add(finding.symbol)
                modules.setdefault(path, module_name_for(path) or "")
                continue
            module = finding.symbol.rsplit(".", 1)[0]
            if not in_packages(module, internal):
                continue
            if finding.kind == ORPHAN_KIND:
                orphans.add(finding.symbol)
            elif finding.symbol not in keep:
                unused.add(finding.symbol)
            modules[path] = module
        return cls(frozenset(orphans), frozenset(unused), modules, {k: frozenset(v) for k, v in guards.items()})

    def guards_for(self, path: str | os.PathLike | None) -> frozenset[str]:
        if path is None:
            return frozenset()
        return self.guards.get(str(Path(path).resolve()), frozenset())

    def module_of(self, path: str | os.PathLike | None) -> str | None:
        if path is None:
            return None
        resolved = str(Path(path).resolve())
        return self.modules.get(resolved) or module_name_for(resolved)



_CACHE: dict[str, Facts] = {}


def facts_for(path: str | os.PathLike | None) -> Facts:
    """Facts of the project around `path`, for a codemod run alone (`python -m libcst.tool codemod`).

    The project is the configuration file's directory and its configured `paths`; the audit
    runs once per project and process.
    """
    from audit.config import find_config_file, load_config

    start = Path(path).resolve().parent if path else Path.cwd()
    config_file = find_config_file(start)
    root = config_file.parent if config_file else Path.cwd().resolve()
    key = str(root)
    if key not in _CACHE:
        from audit.api import run_audit

        config = load_config(root, config_file)
        paths = [str(root / p) for p in config.paths]
        result = run_audit(paths, config)
        facts = Facts.from_findings(result.findings, config.internal, config.keep)
        _CACHE[key] = facts.with_project(result.project, config.config_names)
    return _CACHE[key]


def config_for(path: str | os.PathLike | None):
    """The configuration that applies to `path`."""
    from audit.config import load_config

    start = Path(path).resolve().parent if path else Path.cwd()
    return load_config(start)
