"""The project model: which files are modules of which names, and the whole-project import graph.

Built once per run from the per-file scan results (plain data, see `audit.scan`).
"""
from __future__ import annotations

import fnmatch
import os
from dataclasses import dataclass, field
from pathlib import Path

SKIP_DIRS = frozenset({"__pycache__", "site-packages", "node_modules"})
MODULE = "<module>"
# attributes every module object has
MODULE_ATTRIBUTES = frozenset({
    "__name__", "__doc__", "__file__", "__path__", "__spec__", "__loader__", "__package__",
    "__builtins__", "__cached__", "__dict__", "__annotations__", "__all__",
})  # first element of an origin key naming a module object


@dataclass
class SourceFile:
    path: str  # absolute
    module: str
    is_package: bool


@dataclass
class Discovery:
    files: list[SourceFile] = field(default_factory=list)
    missing: list[tuple[str, str]] = field(default_factory=list)  # (path, reason)


def _is_excluded(path: Path, patterns: tuple[str, ...], base: Path) -> bool:
    if not patterns:
        return False
    try:
        rel = path.relative_to(base).as_posix()
    except ValueError:
        rel = path.as_posix()
    parts = rel.split("/")
    for pattern in patterns:
        pattern = pattern.rstrip("/")
        if "/" in pattern:
            for i in range(1, len(parts) + 1):
                if fnmatch.fnmatchcase("/".join(parts[:i]), pattern):
                    return True
        elif any(fnmatch.fnmatchcase(part, pattern) for part in parts):
            return True
    return False


def source_root(arg: Path, anchors: set[Path]) -> Path:
    """The directory module names are relative to, for a path given on the command line."""
    directory = arg if arg.is_dir() else arg.parent
    if (directory / "__init__.py").is_file():
        while (directory / "__init__.py").is_file() and directory.parent != directory:
            directory = directory.parent
        return directory
    if (
        arg.is_dir()
        and directory not in anchors
        and directory.parent in anchors
        and directory.name.isidentifier()
        and directory.name != "src"
    ):
        return directory.parent  # a namespace package named on the command line
    return directory


def module_name(path: Path, root: Path) -> tuple[str, bool]:
    rel = path.relative_to(root).with_suffix("")
    parts = list(rel.parts)
    if parts and parts[0] == "src" and len(parts) > 1:
        parts = parts[1:]
    is_package = bool(parts) and parts[-1] == "__init__"
    if is_package:
        parts = parts[:-1]
    return ".".join(parts), is_package


def discover(paths: list[str], exclude: tuple[str, ...], base: Path, anchors: set[Path]) -> Discovery:
    """Every .py file under `paths` (files named directly are taken as they are)."""
    found = Discovery()
    seen: set[str] = set()
    for raw in paths:
        arg = Path(os.path.abspath(raw))
        if not os.path.lexists(arg):
            found.missing.append((raw, "no such file or directory"))
            continue
        if arg.is_dir():
            root = source_root(arg, anchors)
            for dirpath, dirnames, filenames in os.walk(arg):
                current = Path(dirpath)
                dirnames[:] = sorted(
                    d for d in dirnames
                    if d not in SKIP_DIRS and not d.startswith(".") and not _is_excluded(current / d, exclude, base)
                )
                for name in sorted(filenames):
                    if not name.endswith(".py"):
                        continue
                    path = current / name
                    if _is_excluded(path, exclude, base):
                        continue
                    key = str(path)
                    if key in seen:
                        continue
                    seen.add(key)
                    module, is_package = module_name(path, root)
                    found.files.append(SourceFile(key, module, is_package))
        else:
            key = str(arg)
            if key in seen:
                continue
            seen.add(key)
            root = source_root(arg, anchors)
            module, is_package = module_name(arg, root)
            found.files.append(SourceFile(key, module, is_package))
    return found


def _parents(dotted: str):
    parts = dotted.split(".")
    for i in range(1, len(parts)):
        yield ".".join(parts[:i])


class Project:
    """Modules by dotted name, their bindings, `__all__` entries and imports; resolution across them."""

    def __init__(self, files: list[SourceFile], results: dict[str, dict]):
        self.files = files
        self.modules: dict[str, dict] = {}
        self.paths: dict[str, str] = {}  # module -> path
        self.results = results
        for source in files:
            data = results.get(source.path)
            if not data or data.get("error"):
                continue
            if source.module in self.modules:
                continue
            self.modules[source.module] = data
            self.paths[source.module] = source.path
        self._bindings: dict[str, dict] = {}
        self._star_cache: dict[str, set[str] | None] = {}
        self._uses: dict[tuple, set[str]] | None = None
        self._loose_names: set[str] | None = None

    # ---- per-module facts ------------------------------------------------------------

    def path_of(self, module: str) -> str | None:
        return self.paths.get(module)

    def exports(self, module: str) -> list[tuple[str, int, int]]:
        """`__all__` entries of `module`: (name, line, column)."""
        data = self.modules.get(module)
        return list(data.get("all") or []) if data else []

    def imports(self, module: str) -> list[tuple]:
        data = self.modules.get(module)
        return list(data["imports"]) if data else []

    def is_package(self, module: str) -> bool:
        data = self.modules.get(module)
        return bool(data and data["is_package"])

    def bindings(self, module: str) -> dict:
        """Module-level name -> ("import", module) / ("from", module, name) / ("local",)."""
        cached = self._bindings.get(module)
        if cached is not None:
            return cached
        data = self.modules[module]
        table: dict[str, tuple] = {}
        for kind, target, name, asname, _line, _col, _cond, toplevel in data["imports"]:
            if not toplevel:
                continue
            if kind == "import":
                if asname:
                    table.setdefault(asname, ("import", target))
                else:
                    top = target.split(".")[0]
                    table.setdefault(top, ("import", top))
            elif name != "*":
                table.setdefault(asname or name, ("from", target, name))
        for name in data["local"]:
            table[name] = ("local",)
        self._bindings[module] = table
        return table

    def star_names(self, module: str, _stack: tuple = ()) -> set[str] | None:
        """Names `from module import *` binds; None when they cannot be known."""
        if module in self._star_cache:
            return self._star_cache[module]
        data = self.modules.get(module)
        if data is None or module in _stack:
            return None
        if data.get("all") is not None or data.get("all_refs") or data.get("all_unknown"):
            if data.get("all_unknown") or data.get("all_refs"):
                names = None
            else:
                names = {name for name, _, _ in data["all"]}
        else:
            names = {n for n in data["bound"] if not n.startswith("_")}
            for kind, target, name, *_ in data["imports"]:
                if kind == "from" and name == "*":
                    more = self.star_names(target, _stack + (module,))
                    if more is None:
                        names = None
                        break
                    names |= more
        self._star_cache[module] = names
        return names

    def is_dynamic(self, module: str) -> bool:
        """Names may be bound in ways the scan cannot list (module __getattr__, globals(), unknown star imports)."""
        data = self.modules[module]
        if data["getattr"] or data["dynamic"]:
            return True
        for kind, target, name, *_ in data["imports"]:
            if kind == "from" and name == "*" and self.star_names(target) is None:
                return True
        return False

    def has_submodule(self, package: str, name: str) -> bool:
        if f"{package}.{name}" in self.modules:
            return True
        path = self.paths.get(package)
        if not path or not self.is_package(package):
            return False
        directory = os.path.dirname(path)
        if os.path.isdir(os.path.join(directory, name)):
            return True
        try:
            return any(entry.split(".")[0] == name for entry in os.listdir(directory))
        except OSError:
            return False

    # ---- resolution ------------------------------------------------------------------

    def resolve(self, module: str, name: str, _depth: int = 0) -> tuple:
        """The origin of `module.name`: (defining module, name) or (MODULE, dotted module)."""
        if module not in self.modules or _depth > 50:
            if f"{module}.{name}" in self.modules:
                return (MODULE, f"{module}.{name}")
            return (module, name)
        binding = self.bindings(module).get(name)
        if binding is not None:
            if binding[0] == "local":
                return (module, name)
            if binding[0] == "import":
                return (MODULE, binding[1])
            _, target, imported = binding
            if target in self.modules and (target, imported) != (module, name):
                return self.resolve(target, imported, _depth + 1)
            if f"{target}.{imported}" in self.modules:
                return (MODULE, f"{target}.{imported}")
            return (target, imported)
        if f"{module}.{name}" in self.modules:
            return (MODULE, f"{module}.{name}")
        data = self.modules[module]
        for kind, target, imported, *_ in data["imports"]:
            if kind == "from" and imported == "*":
                names = self.star_names(target)
                if names and name in names:
                    return self.resolve(target, name, _depth + 1)
        return (module, name)

    def is_bound(self, module: str, name: str) -> bool:
        data = self.modules.get(module)
        if data is None:
            return False
        if name in self.bindings(module):
            return True
        if self.is_package(module) and self.has_submodule(module, name):
            return True
        for kind, target, imported, *_ in data["imports"]:
            if kind == "from" and imported == "*":
                names = self.star_names(target)
                if names is None or name in names:
                    return True
        return False

    def _walk_chain(self, origin: tuple, attrs: list[str], user: str, uses: dict, loose: set[str]) -> None:
        for i, attr in enumerate(attrs):
            if origin[0] != MODULE:
                if origin[0] in self.modules:
                    loose.update(attrs[i:])  # attributes of a project object: counted by name
                return
            origin = self.resolve(origin[1], attr)
            uses.setdefault(origin, set()).add(user)

    def _collect_uses(self) -> None:
        uses: dict[tuple, set[str]] = {}
        loose: set[str] = set()
        for user, data in self.modules.items():
            exported = {name for name, _, _ in (data.get("all") or [])}
            loads = set(data["loads"])
            roots: dict[str, list[list[str]]] = {}
            for chain in data["attrs"]:
                parts = chain.split(".")
                if parts[0] == "?":
                    loose.add(parts[1])
                    continue
                roots.setdefault(parts[0], []).append(parts[1:])
            bound_here = self.bindings(user)
            import_roots: set[str] = set()
            for kind, target, name, asname, _line, _col, _cond, toplevel in data["imports"]:
                if kind == "import":
                    for parent in (*_parents(target), target):
                        uses.setdefault((MODULE, parent), set()).add(user)
                    if asname:
                        local, base = asname, target
                    else:
                        local, base = target.split(".")[0], target.split(".")[0]
                    import_roots.add(local)
                    for attrs in roots.get(local, ()):
                        self._walk_chain((MODULE, base), attrs, user, uses, loose)
                    continue
                uses.setdefault((MODULE, target), set()).add(user)
                if name == "*":
                    names = self.star_names(target)
                    if names:
                        for used in (loads | set(roots)) - set(bound_here):
                            if used in names:
                                origin = self.resolve(target, used)
                                uses.setdefault(origin, set()).add(user)
                                for attrs in roots.get(used, ()):
                                    self._walk_chain(origin, attrs, user, uses, loose)
                    continue
                local = asname or name
                import_roots.add(local)
                referenced = local in loads or local in roots
                if toplevel and local in exported and not referenced:
                    continue  # a re-export only: not a use by itself
                origin = self.resolve(target, name)
                uses.setdefault(origin, set()).add(user)
                uses.setdefault((target, name), set()).add(user)
                for attrs in roots.get(local, ()):
                    self._walk_chain(origin, attrs, user, uses, loose)
            for root, chains in roots.items():
                if root in import_roots:
                    continue
                for attrs in chains:  # self.x, obj.x, a local: counted by name, as vulture does
                    loose.update(attrs)
            for dotted in data["strings"]:
                parts = dotted.split(".")
                for cut in range(len(parts) - 1, 0, -1):
                    prefix = ".".join(parts[:cut])
                    if prefix in self.modules:
                        uses.setdefault((MODULE, prefix), set()).add(user)
                        self._walk_chain((MODULE, prefix), parts[cut:], user, uses, loose)
                        break
        self._uses = uses
        self._loose_names = loose

    def users(self, origin: tuple) -> set[str]:
        """Modules that use `origin` (re-export-only imports excluded)."""
        if self._uses is None:
            self._collect_uses()
        return self._uses.get(origin, set())

    def loose_attribute_names(self) -> set[str]:
        """Attribute names used on objects the import graph cannot follow (counted by name)."""
        if self._loose_names is None:
            self._collect_uses()
        return self._loose_names

    # ---- questions the checks and the codemods ask -------------------------------------

    def orphan_exports(self, module: str) -> list[tuple[str, int, int]]:
        """`__all__` entries of `module` that no other module imports or uses."""
        out = []
        data = self.modules.get(module)
        if not data or not data.get("all"):
            return out
        for name, line, col in data["all"]:
            if not self.is_bound(module, name):
                continue  # provided by __getattr__ or something else the scan cannot see
            origin = self.resolve(module, name)
            owner = origin[1] if origin[0] == MODULE else origin[0]
            users = self.users(origin) - {module, owner}
            if origin != (module, name):
                users |= self.users((module, name)) - {module}
            if not users:
                out.append((name, line, col))
        return out

    def unused_functions(self, module: str, keep: tuple[str, ...] = ()) -> list[tuple[str, int, int]]:
        """Module-level functions of `module` nothing in the project calls or references."""
        data = self.modules.get(module)
        if not data:
            return []
        names = self.used_names()
        loose = self.loose_attribute_names()
        out = []
        for name, line, col, decorated in data["functions"]:
            if decorated or (name.startswith("__") and name.endswith("__")):
                continue
            if f"{module}.{name}" in keep:
                continue
            if name in names or name in loose:
                continue
            if self.users((module, name)) - {module}:
                continue
            out.append((name, line, col))
        return out

    def used_names(self) -> set[str]:
        cached = getattr(self, "_used_names", None)
        if cached is None:
            cached = set()
            for data in self.modules.values():
                cached.update(data["used"])
            self._used_names = cached
        return cached

    def _missing_module(self, dotted: str) -> tuple[str, str] | None:
        """(package, name) when `dotted` names a module a project package does not have."""
        if dotted in self.modules:
            return None
        package, _, last = dotted.rpartition(".")
        if not package or package not in self.modules or not self.is_package(package):
            return None
        if self.is_dynamic(package) or self.is_bound(package, last):
            return None
        return package, last

    def broken_imports(self, module: str) -> list[tuple[str, str, int, int]]:
        """Imports in `module` of what a project module does not bind: (module, name, line, column).

        `from X import n` where X binds no `n`, and `import X.m` / `from X.m import n` where
        the project package X has no module `m`.
        """
        data = self.modules.get(module)
        out = []
        if not data:
            return out
        for kind, target, name, _asname, line, col, cond, _toplevel in data["imports"]:
            if cond or target == "__future__" or target == module:
                continue
            if kind == "import":
                for dotted in (*_parents(target), target):
                    missing = self._missing_module(dotted)
                    if missing:
                        out.append((*missing, line, col))
                        break
                continue
            if target not in self.modules:
                missing = None
                for dotted in (*_parents(target), target):
                    missing = self._missing_module(dotted)
                    if missing:
                        out.append((*missing, line, col))
                        break
                continue
            if name == "*" or name in MODULE_ATTRIBUTES:
                continue
            if self.is_dynamic(target) or self.is_bound(target, name):
                continue
            out.append((target, name, line, col))
        return out
