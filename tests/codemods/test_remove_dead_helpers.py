"""remove_dead_helpers (the unused-function fix): unused module-level functions go, `keep` names never do.

Every case runs the real `fix` pipeline on a tiny project; what is unused is found by the
project analysis (`igny8_core/app.py` imports what the case says is used).
"""

from __future__ import annotations

import pytest
from codemod_helpers import PACKAGES, dedent, fix_project, fix_tree, legacy_source, notes_of, target_source, write_tree

from igny8_refactor.audit.config import Config

SETTINGS = "igny8_core/ai/settings.py"


def user(*names: str, module: str = "igny8_core.ai.settings") -> dict[str, str]:
    if not names:
        return {}
    return {"igny8_core/app.py": f"from {module} import {', '.join(names)}\n\nUSED = [{', '.join(names)}]\n"}


def removed(
    tmp_path, before: str | bytes, *used: str, target: str = SETTINGS, config: Config | None = None, **others
) -> str:
    files = {target: before, **user(*used), **others}
    return fix_project(tmp_path, files, target, config, only=["remove_dead_helpers"]).decode()


# -- no-op cases first ---------------------------------------------------------------------
def test_nothing_unused_is_unchanged(tmp_path) -> None:
    assert removed(tmp_path, "def f():\n    pass\n", "f") == "def f():\n    pass\n"


def test_keep_name_is_never_removed(tmp_path) -> None:
    source = "def register_function(name):\n    pass\n"
    config = Config(keep=("igny8_core.ai.registry.register_function",))
    assert removed(tmp_path, source, target="igny8_core/ai/registry.py", config=config) == source


def test_outside_internal_packages_nothing_is_removed(tmp_path) -> None:
    source = "def helper():\n    pass\n"
    files = {"lib/__init__.py": "", "lib/mod.py": source}
    assert fix_project(tmp_path, files, "lib/mod.py", only=["remove_dead_helpers"], packages=False) == source.encode()
    assert notes_of(tmp_path) == [
        "note: 1 orphan or unused definition(s) outside the `internal` packages are reported, not removed "
        "(they may be a library's public API)"
    ]


def test_methods_and_nested_functions_of_the_same_name_stay(tmp_path) -> None:
    source = dedent("""
        class A:
            def get_model(self):
                pass


        def outer():
            def get_model():
                pass
            return get_model
    """)
    assert removed(tmp_path, source, "A", "outer") == source


def test_module_passed_as_a_value_keeps_its_functions(tmp_path) -> None:
    # issue 8: the module object flows into another function as an argument, which reads
    # `.get_model` on it: the helper may be reached through it and stays
    source = "def get_model():\n    pass\n"
    app = "import igny8_core.ai.settings as s\nfrom igny8_core.other import use\n\nuse(s)\n"
    others = {"igny8_core/app.py": app, "igny8_core/other.py": "def use(mod):\n    return mod.get_model()\n"}
    assert removed(tmp_path, source, **others) == source


def test_decorated_function_is_left_alone(tmp_path) -> None:
    # changed: a decorator may register the function (Celery, signals), so decorated functions
    # are never reported as unused, `functools.lru_cache` included
    source = dedent("""
        import functools


        @functools.lru_cache
        def get_model(name: str) -> str:
            return "x"
    """)
    assert removed(tmp_path, source) == source


# -- rewrites ------------------------------------------------------------------------------
def test_unused_functions_are_removed_with_their_comments(tmp_path) -> None:
    # changed: the decorated helper of the old case is now left alone (see above); an import that
    # only the removed code read goes with it (LibCST's GatherUnusedImportsVisitor)
    before = dedent("""
        import functools


        def used():
            return 1


        # cached helper nobody calls
        def get_model(name: str) -> str:
            return functools.reduce(max, name)


        def get_temperature(name):
            return 0.7
    """)
    assert removed(tmp_path, before, "used") == "def used():\n    return 1\n"


def test_import_used_elsewhere_stays(tmp_path) -> None:
    before = dedent("""
        import functools


        def get_model():
            return functools.partial(max)


        @functools.cache
        def used():
            pass
    """)
    after = dedent("""
        import functools


        @functools.cache
        def used():
            pass
    """)
    assert removed(tmp_path, before, "used") == after


def test_attribute_call_on_another_object_does_not_keep_a_helper(tmp_path) -> None:
    # issue 8: `apps.get_model(...)` in a data migration cannot reach the settings module's helper
    migration = dedent("""
        from django.db import migrations


        def forwards(apps, schema_editor):
            Keywords = apps.get_model("planner", "Keywords")
            Keywords.objects.all()


        class Migration(migrations.Migration):
            operations = [migrations.RunPython(forwards)]
    """)
    before = "def used():\n    return 1\n\n\ndef get_model(name):\n    return name\n"
    others = {
        "igny8_core/planner/__init__.py": "",
        "igny8_core/planner/migrations/__init__.py": "",
        "igny8_core/planner/migrations/0002_data.py": migration,
    }
    assert removed(tmp_path, before, "used", **others) == "def used():\n    return 1\n"
    assert (tmp_path / "igny8_core/planner/migrations/0002_data.py").read_text() == migration


def test_legacy_helpers_are_removed_and_the_rest_is_untouched(tmp_path) -> None:
    head = legacy_source("settings.py").split(b"\n\n\ndef get_model(")[0]
    after = removed(tmp_path, legacy_source("settings.py"), "get_model_config")
    assert after.encode() == head + b"\n"
    assert "def get_model_config(" in after


def test_target_settings_is_unchanged(tmp_path) -> None:
    assert removed(tmp_path, target_source("settings.py"), "get_model_config") == target_source("settings.py").decode()


def test_relative_imports_only_the_removed_function_read_go_with_it(tmp_path) -> None:
    helpers = "def shout(x):\n    return x.upper()\n\n\ndef used():\n    return 1\n"
    before = dedent("""
        from .helpers import shout, used
        from ..other import loud


        def _dead():
            return shout(loud)


        def run():
            return used()
    """)
    after = dedent("""
        from .helpers import used


        def run():
            return used()
    """)
    files = {
        "igny8_core/ai/engine.py": before,
        "igny8_core/ai/helpers.py": helpers,
        "igny8_core/other.py": "loud = 1\n",
        **user("run", module="igny8_core.ai.engine"),
    }
    assert fix_project(tmp_path, files, "igny8_core/ai/engine.py", only=["remove_dead_helpers"]).decode() == after
    assert (tmp_path / "igny8_core/ai/helpers.py").read_text() == "def used():\n    return 1\n"


def test_a_module_python_parses_but_would_not_compile_is_still_fixed(tmp_path) -> None:
    # the result is checked the way audit reads files (the parser), not by compiling it:
    # a `return` outside a function is the compiler's error, so it is the file's own, left as it is
    write_tree(
        tmp_path,
        {**PACKAGES, "igny8_core/ai/engine.py": "import os\n\n\ndef _dead():\n    return os.sep\n\nreturn 1\n"},
    )
    result = fix_tree(tmp_path, only=["remove_dead_helpers"])
    assert not result.errors and not result.failed, (result.errors, [f.error for f in result.failed])
    assert (tmp_path / "igny8_core/ai/engine.py").read_text() == "return 1\n"


TOP = [
    # (before, after): a removed first statement takes its blank lines with it; the header stays
    (
        "# License: MIT\n\nimport os\n\n\ndef _dead():\n    return os.sep\n\n\ndef used():\n    return 1\n",
        "# License: MIT\n\ndef used():\n    return 1\n",
    ),
    (
        "# License: MIT\n\n\ndef _dead():\n    return 1\n\n\ndef used():\n    return 1\n",
        "# License: MIT\n\n\ndef used():\n    return 1\n",
    ),
    (
        "# License: MIT\nimport os\n\n\ndef _dead():\n    return os.sep\n\n\ndef used():\n    return 1\n",
        "# License: MIT\n\n\ndef used():\n    return 1\n",
    ),  # a comment right above: not glued to `used`
    ("\n\ndef _dead():\n    return 1\n\n\ndef used():\n    return 1\n", "\n\ndef used():\n    return 1\n"),
    (
        '"""Doc."""\n\n\ndef _dead():\n    return 1\n\n\ndef used():\n    return 1\n',
        '"""Doc."""\n\n\ndef used():\n    return 1\n',
    ),
    (
        "def _dead():\n    return 1\n\n\n# the one in use\ndef used():\n    return 1\n",
        "# the one in use\ndef used():\n    return 1\n",
    ),
    # a star import does not hide the imports after it from the unused-import check
    (
        "from igny8_core.ai.base import *\nimport os\n\n\ndef _dead():\n    return os.sep\n\n\ndef used():\n    return 1\n",
        "from igny8_core.ai.base import *\n\n\ndef used():\n    return 1\n",
    ),
]


@pytest.mark.parametrize(
    "before, after",
    TOP,
    ids=[
        "header-then-blank",
        "header-then-blanks-then-dead-function",
        "comment-right-above",
        "blank-lines-only",
        "docstring",
        "comment-of-the-next-function",
        "star-import-first",
    ],
)
def test_what_a_removed_first_statement_leaves_at_the_top(tmp_path, before: str, after: str) -> None:
    files = {
        "igny8_core/ai/engine.py": before.encode(),
        "igny8_core/ai/base.py": "X = 1\n",
        **user("used", module="igny8_core.ai.engine"),
    }
    assert fix_project(tmp_path, files, "igny8_core/ai/engine.py", only=["remove_dead_helpers"]).decode() == after


HELPERS = "def _dead():\n    return 1\n\n\ndef used():\n    return 2\n"


@pytest.mark.parametrize(
    "path, before, after",
    [
        # a package's __init__: relative imports resolve from the package itself
        (
            "igny8_core/ai/__init__.py",
            "from .helpers import _dead, used\n\n__all__ = ['used']\n",
            "from .helpers import used\n\n__all__ = ['used']\n",
        ),
        # a plain module: from the package holding it
        (
            "igny8_core/ai/engine.py",
            "from .helpers import _dead, used\n\n\ndef run():\n    return used()\n",
            "from .helpers import used\n\n\ndef run():\n    return used()\n",
        ),
    ],
    ids=["package-init", "module"],
)
def test_a_relative_import_that_only_carried_a_removed_function_goes_with_it(tmp_path, path, before, after) -> None:
    files = {
        path: before,
        "igny8_core/ai/helpers.py": HELPERS,
        "igny8_core/app.py": "from igny8_core.ai import used\nfrom igny8_core.ai.engine import run\n\nused()\nrun()\n",
    }
    if path.endswith("__init__.py"):
        files["igny8_core/ai/engine.py"] = "def run():\n    return 1\n"
    assert fix_project(tmp_path, files, path, only=["remove_dead_helpers"]).decode() == after
    assert (tmp_path / "igny8_core/ai/helpers.py").read_text() == "def used():\n    return 2\n"


def test_a_top_level_packages_init_resolves_its_relative_imports(tmp_path) -> None:
    files = {
        "igny8_core/__init__.py": "from .helpers import shout\n\n\ndef _dead():\n    return shout()\n",
        "igny8_core/helpers.py": "def shout():\n    return 1\n",
        "igny8_core/app.py": "from igny8_core.helpers import shout\n\nshout()\n",
    }
    assert fix_project(tmp_path, files, "igny8_core/__init__.py", only=["remove_dead_helpers"]).strip() == b""
