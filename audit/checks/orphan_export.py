from __future__ import annotations

import libcst as cst

from igny8_refactor.audit.checks import Check, Invalid, lazy_module, register
from igny8_refactor.audit.edits import is_all_target, prune_sequence
from igny8_refactor.audit.findings import Finding
from igny8_refactor.audit.records import Edit, in_packages

m = lazy_module("libcst.matchers")

LIBRARY_NOTE = "not in an `internal` package: it may be a library's public API"

WIRING = frozenset({"celery_app"})  # names frameworks look up in a project package by convention


def is_framework_wiring(project, module: str, name: str) -> bool:
    """Celery's documented Django setup: the project package exports the app it imports from `.celery`."""
    if name in WIRING:
        return True
    binding = project.bindings(module).get(name)
    return bool(binding and binding[0] == "from" and binding[1].rsplit(".", 1)[-1] == "celery" and binding[2] == "app")


def _origin_used(project, module: str, name: str, keep=()) -> bool:
    """Whether the object `module.name` re-exports is used by a module other than those it passes through
    (followed to where it is defined)."""
    seen = {module}
    binding = project.bindings(module).get(name)
    while binding and binding[0] == "from" and binding[1] in project.modules and binding[1] not in seen:
        target, name = binding[1], binding[2]
        seen.add(target)  # a use inside the module that defines it is not a use elsewhere
        if f"{target}.{name}" in keep:
            return False  # kept by decree where it is defined; its re-exports are judged alone (the plan)
        if project.users((target, name)) - seen:
            return True
        binding = project.bindings(target).get(name)
    return False


def orphan_exports(project, module: str, keep=()):
    """`__all__` entries of `module` whose object is used nowhere: not through `module`, not where it comes from.

    A re-export of a live object is the package's public face (the plan keeps `get_model_config`);
    dunder names (`__version__`) never are orphans, nor is any entry of a module whose names are
    read at run time (`Project.namespace_read`).
    """
    data = project.modules.get(module)
    if data is None or not data.exports:
        return
    if project.namespace_read(module):
        return  # read at run time (`module.__all__`, `vars(module)`, or through a star import): every entry is in use
    for export in data.exports:
        name = export.name
        if name.startswith("__") and name.endswith("__"):
            continue
        if not project.is_bound(module, name) or is_framework_wiring(project, module, name):
            continue  # provided by __getattr__ or something else the scan cannot see
        if project.named_dynamically(name):
            continue
        # a use of this module's `name`: imported from it or reached as `module.name`, or the
        # object it re-exports used elsewhere
        if not project.users((module, name)) - {module} and not _origin_used(project, module, name, keep):
            yield export


@register
class OrphanExport(Check):
    kind, code, fixable = "orphan-export", "IG001", True
    scope = "project"
    codemod, prunes_all = "prune_orphan_exports", True
    VALID = [
        "# pkg/__init__.py\nfrom pkg.core import run\n__all__ = ['run']\n# pkg/app.py\nfrom pkg import run\nrun()",
        "# proj/__init__.py\nfrom .celery import app as celery_app\n__all__ = ('celery_app',)\n"
        "# proj/celery.py\napp = object()",
    ]
    INVALID = [
        Invalid(
            "# pkg/__init__.py\nfrom pkg.core import run, helper\n__all__ = ['run', 'helper']\n"
            "# pkg/app.py\nfrom pkg import run\nrun()",
            expected=None,
        ),
        Invalid(
            "# igny8_core/__init__.py\nfrom igny8_core.core import run, helper\n__all__ = ['run', 'helper']\n"
            "# igny8_core/app.py\nfrom igny8_core import run\nrun()\n",
            expected="# igny8_core/__init__.py\nfrom igny8_core.core import run\n__all__ = ['run']\n"
            "# igny8_core/app.py\nfrom igny8_core import run\nrun()\n",
        ),
    ]
    DOCS = """\
    A name in a module's `__all__` that no other module of the project imports or uses.

    ## What it flags

    Each string in a module's `__all__` whose name no other module of the analysed project
    reaches: not by `from module import name`, not by `import module` followed by
    `module.name`, not through `from module import *` in a module that then uses `name`, and
    not by a dotted-path string (`"pkg.mod.name"`, `"pkg.mod:name"`). An import that is never
    read (it only feeds another `__all__`, or nothing) is not a use. The finding points at the
    string inside `__all__`.

    Whether the export may be *removed* depends on the `internal` setting (default
    `igny8_core`): inside an internal package the export is dead weight; anywhere else it may
    be a library's public API, so it is reported but never rewritten.

    ## Why it hurts

    `__all__` is a promise that a name is part of the package's interface. An export nobody
    uses keeps a helper alive (vulture counts the `__all__` entry as a use), drags in the
    import that feeds it, and makes the next reader believe the name matters. In the igny8 AI
    framework it kept `MODEL_CONFIG`, `get_model`, `get_max_tokens` and `get_temperature`
    looking like supported entry points long after nothing called them.

    ## Example

    Before (`igny8_core/ai/__init__.py`; nothing in the project imports `get_model` or
    `list_functions` from the package):

    ```python
    from igny8_core.ai.registry import get_function, list_functions
    from igny8_core.ai.settings import get_model, get_model_config

    __all__ = [
        'get_function',
        'list_functions',
        'get_model_config',
        'get_model',
    ]
    ```

    After:

    ```python
    from igny8_core.ai.registry import get_function
    from igny8_core.ai.settings import get_model_config

    __all__ = [
        'get_function',
        'get_model_config',
    ]
    ```

    ## How `igny8-refactor fix` handles it

    Fixable inside `internal` packages. The `prune_orphan_exports` codemod drops the orphan names
    from `__all__` and removes the imports that existed only to feed them, keeping comments and
    formatting around them. A function that was used only through the export becomes unused and
    is removed in the same run (`unused-function`, IG002), unless `keep` lists it (by default
    `igny8_core.ai.registry.register_function` and `list_functions`).

    A re-export is used only through the module that re-exports it: importing the object from the
    module that defines it (`from igny8_core.ai.registry import list_functions`) does not keep
    `igny8_core.ai`'s export of it. Framework wiring is never an orphan: Celery's `celery_app`
    (`from .celery import app as celery_app` in the project package).

    A finding is marked fixable exactly when `fix` removes it; `fix` prints a `note:` line for each
    finding it leaves, saying why.

    ## Suppressing it

    Put a trailing comment on the line of the string in `__all__`:

    ```python
    __all__ = [
        'list_functions',  # igny8: ignore[orphan-export]
    ]
    ```

    `# igny8: ignore[IG001]` works the same. To stop reporting the check everywhere, use
    `--ignore orphan-export` or `ignore = orphan-export` in the configuration.
    """

    def run(self, project, config):
        for module in sorted(project.reported):
            path = project.path_of(module)
            internal = in_packages(module, config.internal)
            for export in orphan_exports(project, module, config.keep):
                prunable = internal and export.prunable
                yield Finding(
                    path=path,
                    line=export.line,
                    column=export.column,
                    code=self.code,
                    kind=self.kind,
                    symbol=f"{module}.{export.name}",
                    message=f"`{export.name}` is exported from `{module}` but no other module uses it from there",
                    fixable=prunable,
                    edit=Edit(export.line, export.column, export.line, export.column + len(export.name) + 2)
                    if prunable
                    else None,
                    note=""
                    if prunable
                    else LIBRARY_NOTE
                    if not internal
                    else "added with `__all__.append(...)`: remove it by hand",
                )

    @staticmethod
    def edits(tree, names: set[str]) -> dict:
        """{node: replacement} pruning `names` from every module-level `__all__` of `tree`."""
        out = {}
        for statement in tree.body:
            if not isinstance(statement, cst.SimpleStatementLine):
                continue
            for small in statement.body:
                value = None
                if isinstance(small, cst.Assign) and any(is_all_target(t.target) for t in small.targets):
                    value = small.value
                elif isinstance(small, (cst.AnnAssign, cst.AugAssign)) and is_all_target(small.target) and small.value:
                    value = small.value
                elif (
                    isinstance(small, cst.Expr)
                    and m.matches(small.value, m.Call(func=m.Attribute(value=m.Name("__all__"), attr=m.Name("extend"))))
                    and small.value.args
                ):
                    value = small.value.args[0].value
                if value is not None:
                    pruned = prune_sequence(value, names)
                    if pruned is not value:
                        out[value] = pruned
        return out
