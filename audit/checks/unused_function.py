"""A module-level function nothing in the project calls or references (vulture-backed).

vulture's visitor collects the definitions; uses are resolved by meaning: a name read in
the function's own module, an import of it that is read (`from m import f; f()`), an
attribute through the import graph (`import m; m.f()`), a star import, a dotted-path
string (`"pkg.mod.f"`, `"pkg.mod:f"`, as Django settings and Celery name things). An
attribute of some other object (`apps.get_model(...)` on a migration's `apps` parameter)
is not a use of a module function `get_model` — unless the module object itself flows
somewhere as a value (passed as an argument, `getattr(module, name)`, `import_module` with a
computed name), in which case any attribute of that name keeps it alive. An import that
is never read does not keep it alive: the fix removes such imports with the function.
A function whose only use is an `__all__` entry counts as unused. Decorated functions are
left alone (a decorator may register them); names in `keep` are never reported. Functions
of `internal` packages are removed by the fix.
"""
from __future__ import annotations

import re

from audit.checks import Check, register
from audit.findings import Finding
from audit.checks.orphan_export import LIBRARY_NOTE
from audit.records import Edit, in_packages


# functions frameworks call by name
CONVENTIONS = re.compile(
    r"pytest_\w+"  # pytest hooks, in a conftest.py or a plugin module
    r"|setup"  # a Sphinx extension's (or conf.py's) `setup(app)`
)


def is_convention(module: str, name: str) -> bool:
    return bool(CONVENTIONS.fullmatch(name))


def unused_functions(project, module: str, keep=()):
    """Module-level functions of `module` nothing in the project calls or references."""
    data = project.modules.get(module)
    if data is None:
        return
    own_reads = set(data.loads)
    own_strings = set(data.strings)
    for function in data.functions:
        name = function.name
        if function.decorated or (name.startswith("__") and name.endswith("__")):
            continue
        if f"{module}.{name}" in keep or name in own_reads or is_convention(module, name):
            continue
        if f"{module}.{name}" in own_strings:
            continue  # the module names its own function in a string (a route, a signal path)
        if project.users((module, name)) - {module} or project.reached_dynamically(module, name):
            continue
        if project.named_dynamically(name):
            continue
        yield function


@register
class UnusedFunction(Check):
    """Module-level function that nothing in the project calls or references.

    Dead code: it keeps old fallbacks and imports alive and misleads readers.
    """

    kind, code, fixable = "unused-function", "IG002", True
    scope = "project"
    codemod = "remove_dead_helpers"
    VALID = [
        "# pkg/core.py\ndef helper():\n    return 1\n# pkg/app.py\nfrom pkg.core import helper\nhelper()",
        "# pkg/core.py\ndef helper():\n    return 1\n# pkg/app.py\nimport pkg.core as core\n"
        "from pkg.other import use\nuse(core)\n# pkg/other.py\ndef use(mod):\n    return mod.helper()",
    ]
    INVALID = [
        "# pkg/core.py\ndef helper():\n    return 1\n__all__ = ['helper']\n# pkg/app.py\nimport pkg.core",
        "# pkg/settings.py\ndef get_model(name):\n    return name\n"
        "# pkg/migrations/0002_data.py\ndef forwards(apps, schema_editor):\n    apps.get_model('planner', 'Keywords')",
    ]

    def run(self, project, config):
        for module in sorted(project.reported):
            path = project.path_of(module)
            internal = in_packages(module, config.internal)
            for function in unused_functions(project, module, config.keep):
                removable = internal and not function.conditional
                yield Finding(
                    path=path, line=function.line, column=function.column, code=self.code, kind=self.kind,
                    symbol=f"{module}.{function.name}",
                    message=f"function `{function.name}` is never called or referenced",
                    fixable=removable,
                    edit=Edit(function.start_line or function.line, 1, function.end_line or function.line, 10**6,
                              (function.name,)) if removable else None,
                    note="" if removable else LIBRARY_NOTE if not internal else
                    "defined inside a conditional block (another branch may define it too): remove it by hand",
                )

    @staticmethod
    def edits(tree, names: set[str]) -> dict:
        """{node: replacement} deleting the module-level functions `names` of `tree`."""
        import libcst as cst

        return {
            statement: cst.RemoveFromParent()
            for statement in tree.body
            if isinstance(statement, cst.FunctionDef) and statement.name.value in names
        }
