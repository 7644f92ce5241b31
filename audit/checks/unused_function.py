from __future__ import annotations

import re

import libcst as cst

from igny8_refactor.audit.checks import Check, Invalid, register
from igny8_refactor.audit.checks.orphan_export import LIBRARY_NOTE
from igny8_refactor.audit.findings import Finding
from igny8_refactor.audit.records import Edit, in_packages

# functions frameworks call by name
CONVENTIONS = re.compile(
    r"pytest_\w+"  # pytest hooks, in a conftest.py or a plugin module
    r"|setup"  # a Sphinx extension's (or conf.py's) `setup(app)`
    r"|load_tests|setUpModule|tearDownModule"  # unittest's protocols: its loader and runner call them by name
    r"|(?:setup|teardown)_(?:module|function)"  # pytest's xunit-style module fixtures
)


def is_convention(module: str, name: str) -> bool:
    return bool(CONVENTIONS.fullmatch(name))


def unused_functions(project, module: str, keep=()):
    """Module-level functions of `module` nothing in the project calls or references."""
    data = project.modules.get(module)
    if data is None:
        return
    own_reads = set(data.reads)
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


def _message(project, module: str, name: str) -> str:
    passed_on = name in project.exported_names(module) or project.carriers((module, name))
    if passed_on:  # imported or exported, and read nowhere: say so, not "never referenced"
        return f"function `{name}` is only imported or listed in `__all__`, never called or read"
    return f"function `{name}` is never called or referenced"


@register
class UnusedFunction(Check):
    kind, code, fixable = "unused-function", "IG002", True
    scope = "project"
    codemod = "remove_dead_helpers"
    VALID = [
        "# pkg/core.py\ndef helper():\n    return 1\n# pkg/app.py\nfrom pkg.core import helper\nhelper()",
        "# pkg/core.py\ndef helper():\n    return 1\n# pkg/app.py\nimport pkg.core as core\n"
        "from pkg.other import use\nuse(core)\n# pkg/other.py\ndef use(mod):\n    return mod.helper()",
        # unittest's loader calls `load_tests` by name (django-otp adds its doctests so)
        "# pkg/tests.py\nimport doctest\nimport pkg.util\n\n\ndef load_tests(loader, tests, pattern):\n"
        "    tests.addTest(doctest.DocTestSuite(pkg.util))\n    return tests\n\n\ndef setUpModule():\n    pass\n"
        "# pkg/util.py\nX = 1",
    ]
    INVALID = [
        Invalid(
            "# pkg/core.py\ndef helper():\n    return 1\n__all__ = ['helper']\n# pkg/app.py\nimport pkg.core",
            expected=None,
        ),
        Invalid(
            "# pkg/settings.py\ndef get_model(name):\n    return name\n"
            "# pkg/migrations/0002_data.py\n"
            "def forwards(apps, schema_editor):\n    apps.get_model('planner', 'Keywords')",
            expected=None,
        ),
        Invalid(
            "# igny8_core/core.py\ndef helper():\n    return 1\n\n\ndef used():\n    return 2\n"
            "# igny8_core/app.py\nfrom igny8_core.core import used\nused()\n",
            expected="# igny8_core/core.py\ndef used():\n    return 2\n"
            "# igny8_core/app.py\nfrom igny8_core.core import used\nused()\n",
        ),
    ]
    DOCS = '''\
    A module-level function that nothing in the project calls or references.

    ## What it flags

    A function defined at module level that no code in the analysed project calls, passes
    around, decorates with, or otherwise references (the analysis builds on vulture). A
    function whose only use is an entry in an orphan `__all__` (see `orphan-export`, IG001)
    counts as unused too: vulture alone would count the `__all__` string as a use. Names in
    the `keep` setting are never reported.

    ## Why it hurts

    Dead helpers are read, reviewed, type-checked and migrated for nothing, and they keep old
    behaviour one import away. In the igny8 AI framework, `get_model`, `get_max_tokens` and
    `get_temperature` each called `get_model_config` *without an account* and fell back to a
    hardcoded `"gpt-4.1"`: unused today, they were the easiest way to bring the fallback back.

    ## Example

    Before (`igny8_core/ai/settings.py`; nothing calls `get_model`):

    ```python
    def get_model_config(function_name, account=None):
        ...


    def get_model(function_name: str) -> str:
        """Get model name for function"""
        config = get_model_config(function_name)
        return config.get("model", "gpt-4.1")
    ```

    After:

    ```python
    def get_model_config(function_name, account=None):
        ...
    ```

    ## How `igny8-refactor fix` handles it

    Fixable inside `internal` packages: the `remove_dead_helpers` codemod removes the definition
    and the imports that only it read, and the imports elsewhere that only carried it (an import
    never read, or one feeding an orphan `__all__` entry). A function that becomes unused because
    of a removal goes in the same run: `fix` repeats until nothing changes, so a second `fix` is a
    no-op. Functions outside `internal` packages, names listed in `keep`, and any function another
    module still imports and reads are never removed.

    ## What counts as a use

    Uses are resolved by meaning, through the import graph: a name read in the function's own
    module; `from m import f` followed by a read of `f`; `import m` then `m.f`; a star import whose
    consumer uses `f`; a dotted-path string naming it (`"pkg.mod.f"` or `"pkg.mod:f"`, as Django
    settings and Celery name things). An attribute of any other object (`apps.get_model(...)` on a
    migration's `apps` parameter, `self.f()`) is not a use, unless the module object itself flows
    somewhere as a value (passed as an argument, stored, `getattr(module, name)`, `import_module`
    with a computed name, `sys.modules[__name__]`); then every attribute of that name keeps it
    alive. A dotted string in the function's own module that names it counts too.

    Framework conventions count as uses: decorated functions are never reported (Celery tasks, signal
    receivers, template tags and filters, admin actions, pytest fixtures: a decorator may register
    them); pytest hooks (`pytest_*`, in a `conftest.py` or a plugin module); a Sphinx extension's or
    `conf.py`'s `setup(app)`; unittest's `load_tests`, `setUpModule` and `tearDownModule`, and pytest's
    `setup_module`-style module fixtures (called by name); a name imported from a module that provides
    names at run time (a module `__getattr__` re-exporting lazily); when any module imports modules by a
    computed name (`import_module(f"pkg.{label}")`), any name written as a string
    (`get_class("offer.utils", "load_proxy")`); anything a dotted string names (Django settings:
    middleware, context processors, authentication backends, `EXCEPTION_HANDLER`, handlers; Celery's
    `"module:attr"` paths); URL handlers reached through `views.x` in a URLconf. Classes (apps'
    `AppConfig`, management commands' `Command`, models, admin classes) and module variables
    (`application` in `wsgi.py`/`asgi.py`) are not functions and are never reported. To keep any other
    function a framework reaches by name, list its dotted name in `keep`:

    ```ini
    [igny8_refactor]
    keep =
        igny8_core.ai.registry.register_function
        myproject.hooks.on_startup
    ```

    A finding is marked fixable exactly when `fix` removes it; `fix` prints a `note:` line for each
    finding it leaves, saying why.

    ## Suppressing it

    A trailing comment on the `def` line:

    ```python
    def debug_dump(registry):  # igny8: ignore[unused-function]
        ...
    ```

    For a function that must stay for good (an admin or debugging hook), prefer adding its
    dotted name to `keep` in the configuration.
    '''

    def run(self, project, config):
        for module in sorted(project.reported):
            path = project.path_of(module)
            internal = in_packages(module, config.internal)
            for function in unused_functions(project, module, config.keep):
                removable = internal and not function.conditional
                yield Finding(
                    path=path,
                    line=function.line,
                    column=function.column,
                    code=self.code,
                    kind=self.kind,
                    symbol=f"{module}.{function.name}",
                    message=_message(project, module, function.name),
                    fixable=removable,
                    edit=Edit(
                        function.start_line or function.line,
                        1,
                        function.end_line or function.line,
                        10**6,
                        (function.name,),
                    )
                    if removable
                    else None,
                    note=""
                    if removable
                    else LIBRARY_NOTE
                    if not internal
                    else "defined inside a conditional block (another branch may define it too): remove it by hand",
                )

    @staticmethod
    def edits(tree, names: set[str]) -> dict:
        """{node: replacement} deleting the module-level functions `names` of `tree`."""
        return {
            statement: cst.RemoveFromParent()
            for statement in tree.body
            if isinstance(statement, cst.FunctionDef) and statement.name.value in names
        }
