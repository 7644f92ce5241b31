"""The project model: which module is which file, and what each name resolves to across modules.

Built once per run from the per-file `FileScan` records, it answers the project-wide rules' questions
of meaning: what `m.x` in a module refers to, who uses a definition, which imports only carry a name.
"""

from __future__ import annotations

import os
from collections import defaultdict

from igny8_refactor.audit.files import SourceFile
from igny8_refactor.audit.records import FileScan, Import

MODULE = "<module>"  # first element of an origin key naming a module object
# attributes every module object has
MODULE_ATTRIBUTES = frozenset(
    "__name__ __doc__ __file__ __path__ __spec__ __loader__ __package__ __builtins__ __cached__ __dict__"
    " __annotations__ __all__".split()
)


def parents(dotted: str):
    """`a`, `a.b` for `a.b.c`."""
    parts = dotted.split(".")
    for i in range(1, len(parts)):
        yield ".".join(parts[:i])


class Project:
    """Modules by dotted name, their bindings, `__all__` entries and imports; resolution across them."""

    def __init__(self, files: list[SourceFile], results: dict[str, FileScan]):
        self.files, self.results = files, results
        self.modules: dict[str, FileScan] = {}
        self.paths: dict[str, str] = {}  # module -> path
        self.reported: set[str] = set()  # modules whose findings are reported and rewritten
        self.unparsed: list[str] = []
        for source in files:
            data = results.get(source.path)
            if data is None or data.error:
                self.unparsed.append(source.path)
            elif source.module not in self.modules:
                self.modules[source.module] = data
                self.paths[source.module] = source.path
                if source.reported:
                    self.reported.add(source.module)
        self._bindings: dict[str, dict] = {}
        self._star_cache: dict[str, set[str] | None] = {}
        self._dynamic_cache: dict[str, bool] = {}
        self._uses: dict[tuple, set[str]] | None = None
        self._carriers: dict[tuple, list[tuple[str, Import]]] = defaultdict(list)
        self._escaping: set[str] = set()
        self._read_as_object: set[str] = set()  # escaping through code (`vars(m)`, `m.__dict__`), not by name
        # module -> the modules that `from module import *`
        self._star_importers: dict[str, set[str]] = defaultdict(set)
        self._lazy: set[str] = set()  # names reached in ways the import graph cannot follow

    def path_of(self, module: str) -> str | None:
        return self.paths.get(module)

    def is_package(self, module: str) -> bool:
        data = self.modules.get(module)
        return bool(data and data.is_package)

    def bindings(self, module: str) -> dict:
        """Module-level name -> ("import", module) / ("from", module, name) / ("local",)."""
        if module not in self._bindings:
            table: dict[str, tuple] = {}
            for imp in self.modules[module].imports:
                if imp.toplevel and imp.kind == "import":
                    table.setdefault(imp.local, ("import", imp.target if imp.asname else imp.local))
                elif imp.toplevel and imp.name != "*":
                    table.setdefault(imp.local, ("from", imp.target, imp.name))
            table.update(dict.fromkeys(self.modules[module].local, ("local",)))
            self._bindings[module] = table
        return self._bindings[module]

    def star_names(self, module: str, _stack: tuple = ()) -> set[str] | None:
        """Names `from module import *` binds; None when they cannot be known."""
        if module in self._star_cache:
            return self._star_cache[module]
        data = self.modules.get(module)
        if data is None or module in _stack:
            return None
        if data.exports_unknown or data.export_refs:
            names = None
        elif data.exports is not None:
            names = {export.name for export in data.exports}
        else:
            names = {n for n in data.bound if not n.startswith("_")}
            for imp in data.imports:
                if imp.name == "*":
                    more = self.star_names(imp.target, _stack + (module,))
                    if more is None:
                        names = None
                        break
                    names |= more
        self._star_cache[module] = names
        return names

    def is_dynamic(self, module: str) -> bool:
        """Names may be bound in ways the scan cannot list (module __getattr__, globals(), unknown star imports)."""
        if module not in self._dynamic_cache:
            data = self.modules[module]
            stars = (self.star_names(imp.target) for imp in data.imports if imp.name == "*")
            self._dynamic_cache[module] = data.has_getattr or data.dynamic or any(names is None for names in stars)
        return self._dynamic_cache[module]

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

    def resolve(self, module: str, name: str, _depth: int = 0) -> tuple:
        """The origin of `module.name`: (defining module, name) or (MODULE, dotted module)."""
        known = module in self.modules and _depth <= 50
        binding = self.bindings(module).get(name) if known else None
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
        for imp in self.modules[module].imports if known else ():
            if imp.name == "*" and name in (self.star_names(imp.target) or ()):
                return self.resolve(imp.target, name, _depth + 1)
        return (module, name)

    def is_bound(self, module: str, name: str) -> bool:
        if module not in self.modules:
            return False
        stars = (self.star_names(imp.target) for imp in self.modules[module].imports if imp.name == "*")
        return (
            name in self.bindings(module)
            or (self.is_package(module) and self.has_submodule(module, name))
            or any(names is None or name in names for names in stars)
        )

    def _walk_chain(self, origin: tuple, attrs: list[str], user: str, uses: dict) -> None:
        for attr in attrs:
            if origin[0] != MODULE:
                return  # an attribute of a project object (a class, an instance): not a module global
            if attr == "__dict__":
                self._escaping.add(origin[1])  # `m.__dict__[...]`: any name of m may be read
                self._read_as_object.add(origin[1])
            uses[(origin[1], attr)].add(user)  # `m.x` uses m's own `x`, re-export or not
            origin = self.resolve(origin[1], attr)
            uses[origin].add(user)

    def _collect_uses(self) -> None:
        uses: dict[tuple, set[str]] = defaultdict(set)
        named_in_strings: set[str] = set()
        for user, data in self.modules.items():
            if data.dynamic:
                self._escaping.add(user)  # `sys.modules[__name__]`, `globals()`: the module reaches itself
            exported = {export.name for export in data.exports or ()}
            reads = set(data.reads)
            roots: dict[str, list[list[str]]] = defaultdict(list)
            for chain in data.attrs:
                parts = chain.split(".")
                if parts[0] != "?":
                    roots[parts[0]].append(parts[1:])
            bound_here = self.bindings(user)
            for name in data.value_reads:  # a module object read as a value may reach any attribute
                binding = bound_here.get(name)
                if binding is not None and binding[0] != "local":
                    origin = self.resolve(user, name)
                    if origin[0] == MODULE:
                        self._escaping.add(origin[1])
                        self._read_as_object.add(origin[1])
            for imp in data.imports:
                local = imp.local
                if imp.kind == "import":
                    for parent in (*parents(imp.target), imp.target):
                        uses[(MODULE, parent)].add(user)
                    base = imp.target if imp.asname else local
                    for attrs in roots.get(local, ()):
                        self._walk_chain((MODULE, base), attrs, user, uses)
                    continue
                uses[(MODULE, imp.target)].add(user)
                if imp.name == "*":
                    self._star_importers[imp.target].add(user)
                    for used in ((reads | set(roots)) - set(bound_here)) & (self.star_names(imp.target) or set()):
                        origin = self.resolve(imp.target, used)
                        uses[origin].add(user)
                        uses[(imp.target, used)].add(user)
                        for attrs in roots.get(used, ()):
                            self._walk_chain(origin, attrs, user, uses)
                    continue
                if (
                    imp.target in self.modules
                    and self.is_dynamic(imp.target)
                    and not self.is_bound(imp.target, imp.name)
                ):
                    self._lazy.add(imp.name)  # a module `__getattr__` (or the like) provides it: from where, unknown
                origin = self.resolve(imp.target, imp.name)
                if local not in reads and local not in roots:
                    # imported, never read: it only carries the name (into `__all__`, or nowhere)
                    self._carriers[origin].append((user, imp))
                    if origin != (imp.target, imp.name):
                        self._carriers[(imp.target, imp.name)].append((user, imp))
                    if not (imp.toplevel and local in exported) and origin[0] == MODULE:
                        uses[origin].add(user)  # a submodule import runs the module
                    continue
                uses[origin].add(user)
                uses[(imp.target, imp.name)].add(user)
                for attrs in roots.get(local, ()):
                    self._walk_chain(origin, attrs, user, uses)
            for dotted in data.strings:
                if dotted in self.modules:
                    self._escaping.add(dotted)  # import_module("pkg.mod") and the like
                parts = dotted.split(".")
                for cut in range(len(parts) - 1, 0, -1):
                    prefix = ".".join(parts[:cut])
                    if prefix in self.modules:
                        named_in_strings.add(prefix)
                        uses[(MODULE, prefix)].add(user)
                        self._walk_chain((MODULE, prefix), parts[cut:], user, uses)
                        break
        if any(data.dynamic_import for data in self.modules.values()):
            # `import_module(name)` with a computed name: the modules spelled in strings may come back as
            # objects, and a name written as a string anywhere may be looked up (`get_class("mod", "name")`)
            self._escaping |= named_in_strings
            self._lazy.update(*(data.name_strings for data in self.modules.values()))
        self._uses = uses

    def users(self, origin: tuple) -> set[str]:
        """Modules that use `origin`: read it, reach it by attribute or string, or re-export it to a user."""
        if self._uses is None:
            self._collect_uses()
        return self._uses.get(origin, set())

    def carriers(self, origin: tuple) -> list[tuple[str, Import]]:
        """(module, import) pairs that import `origin` and never read it: they go when it goes."""
        if self._uses is None:
            self._collect_uses()
        return self._carriers.get(origin, [])

    def reached_dynamically(self, module: str, name: str) -> bool:
        """Whether `module.name` may be reached through a module object flowing as a value (`vars(m)`,
        `m.__dict__`, passed around): every name in it is kept alive, and every object it re-exports."""
        if self._uses is None:
            self._collect_uses()
        # what a module read as an object re-exports; a module only named in a string (an app
        # label in INSTALLED_APPS) is loaded by name, its re-exports are not reached through it
        return module in self._escaping or any(
            self.resolve(other, name) == (module, name) for other in self._read_as_object
        )

    def namespace_read(self, module: str, _seen: frozenset = frozenset()) -> bool:
        """Whether the names `module` binds are read at run time: its `__all__` read, its module
        object passed around, or the same of a module that star-imports it (whose namespace then
        holds what this `__all__` lists)."""
        if self.users((module, "__all__")) - {module} or module in self._read_as_object:
            return True
        importers = self._star_importers.get(module, set()) - _seen - {module}
        return any(self.namespace_read(user, _seen | {module}) for user in importers)

    def named_dynamically(self, name: str) -> bool:
        """Whether `name` is imported from a module providing names at run time (a lazy `__getattr__`), or,
        when some module imports modules by a computed name, written as a string anywhere (`get_class(...)`)."""
        if self._uses is None:
            self._collect_uses()
        return name in self._lazy

    def exported_names(self, module: str) -> set[str]:
        data = self.modules.get(module)
        return {export.name for export in data.exports or ()} if data else set()
