"""orphan-export on the seed's layout: the legacy AI package __init__ re-exports names nobody imports."""

from __future__ import annotations

INIT = """\
from pkg.registry import register_function, get_function
from pkg.settings import get_model_config, get_model
__all__ = ['register_function', 'get_function', 'get_model_config', 'get_model']
"""


def test_exports_are_used_only_through_the_package(audit_tree):
    files = {
        "pkg/__init__.py": INIT,
        "pkg/registry.py": "def register_function():\n    pass\n\ndef get_function():\n    pass\n",
        "pkg/settings.py": "def get_model_config():\n    pass\n\ndef get_model():\n    return get_model_config()\n",
        "pkg/tasks.py": "from pkg import get_function\nget_function()\n",
        "pkg/engine.py": "from pkg.settings import get_model_config\nget_model_config()\n",
    }
    result = audit_tree(files)
    orphans = [(f.line, f.column, f.symbol, f.message) for f in result.findings if f.kind == "orphan-export"]
    assert orphans == [
        (
            3,
            12,
            "pkg.register_function",
            "`register_function` is exported from `pkg` but no other module uses it from there",
        ),
        # not `get_model_config`: engine.py uses the object the package re-exports (the plan keeps it)
        (3, 69, "pkg.get_model", "`get_model` is exported from `pkg` but no other module uses it from there"),
    ]


def test_dunders_and_an_all_read_at_run_time_are_never_orphans(audit_tree):
    files = {
        "lib/__init__.py": "from lib.filters import *\n__version__ = '1.0'\n__all__ = ['__version__']\n",
        "lib/filters.py": "def by_price():\n    pass\n\ndef by_size():\n    pass\n__all__ = ['by_price', 'by_size']\n",
        # a dunder first does not end the check of the entries after it; `_x__`, `__y` are no dunders
        "lib/shapes.py": "def square():\n    pass\n_x__ = __y = 1\n__all__ = ['__doc__', 'square', '_x__', '__y']\n",
        "tests/test_filters.py": "import lib.filters\n\ndef test_all():\n    assert lib.filters.__all__\n",
    }
    orphans = [f.symbol for f in audit_tree(files).findings if f.kind == "orphan-export"]
    assert orphans == ["lib.shapes.square", "lib.shapes._x__", "lib.shapes.__y"]


def test_star_import_consumer_that_uses_a_name(audit_tree):
    files = {
        "lib/__init__.py": "",
        "lib/api.py": "def a():\n    pass\n\ndef b():\n    pass\n__all__ = ['a', 'b']\n",
        "app.py": "from lib.api import *\na()\n",
    }
    assert [f.symbol for f in audit_tree(files).findings if f.kind == "orphan-export"] == ["lib.api.b"]


def test_a_celery_app_exported_under_any_name_is_wiring(audit_tree):
    # Celery's Django setup: the project package exports the `app` of its `celery` module
    files = {
        "proj/__init__.py": (
            "from .celery import app as worker\nfrom .celery import other\nfrom .tasks import app as queue\n"
            "from .my_celery import app\nfrom .conf.celery import app as conf_app\n"
            "__all__ = ('worker', 'other', 'queue', 'app', 'conf_app')\n"
        ),
        "proj/conf/__init__.py": "",
        "proj/conf/celery.py": "app = object()\n",
        "proj/celery.py": "app = other = object()\n",
        "proj/tasks.py": "app = object()\n",
        "proj/my_celery.py": "app = object()\n",
    }
    orphans = [f.symbol for f in audit_tree(files).findings if f.kind == "orphan-export"]
    assert orphans == ["proj.other", "proj.queue", "proj.app"]


def test_a_finding_names_its_place_code_edit_and_note(audit_tree):
    from igny8_refactor.audit.config import Config
    from igny8_refactor.audit.records import Edit

    files = {
        "pkg/__init__.py": "",
        "pkg/api.py": "def helper():\n    pass\n\ndef used():\n    pass\n\n__all__ = ['used', 'helper']\n",
        "lib/__init__.py": "",
        "lib/api.py": "def helper():\n    pass\n\n__all__ = ['helper']\n",
        "app.py": "from pkg.api import used\nused()\n",
    }
    result = audit_tree(files, config=Config(internal=("pkg",)))
    orphans = [f for f in result.findings if f.kind == "orphan-export"]
    assert [(f.path, f.line, f.column, f.code, f.symbol, f.message, f.fixable, f.edit, f.note) for f in orphans] == [
        (
            "lib/api.py",
            4,
            12,
            "IG001",
            "lib.api.helper",
            "`helper` is exported from `lib.api` but no other module uses it from there",
            False,
            None,
            "not in an `internal` package: it may be a library's public API",
        ),
        (
            "pkg/api.py",
            7,
            20,
            "IG001",
            "pkg.api.helper",
            "`helper` is exported from `pkg.api` but no other module uses it from there",
            True,
            Edit(7, 20, 7, 28),
            "",
        ),
    ]
    # the edit spans the quoted entry
    assert files["pkg/api.py"].splitlines()[6][20 - 1 : 28 - 1] == "'helper'"


def test_an_appended_export_beside_a_prunable_one_keeps_its_note(audit_tree, tmp_path):
    from igny8_refactor.audit.config import Config
    from igny8_refactor.codemods.pipeline import run_fix

    source = "class A:\n    pass\n\n\nclass B:\n    pass\n\n\n__all__ = ['A']; __all__.append('B')\n"
    files = {"pkg/__init__.py": "", "pkg/api.py": source}
    config = Config(internal=("pkg",))
    orphans = [f for f in audit_tree(files, config=config).findings if f.kind == "orphan-export"]
    assert [(f.line, f.column, f.symbol, f.fixable, f.note) for f in orphans] == [
        (9, 12, "pkg.api.A", True, ""),
        (9, 33, "pkg.api.B", False, "added with `__all__.append(...)`: remove it by hand"),
    ]
    result = run_fix(["."], config, use_cache=False, jobs=1, unsafe_fixes=True)
    assert result.errors == []
    assert (tmp_path / "pkg/api.py").read_text() == source.replace("['A']", "[]")
    assert result.notes == [
        "pkg/api.py:9:30: note: IG001 `pkg.api.B` left as it is: added with `__all__.append(...)`: remove it by hand",
    ]


def test_a_name_reached_through_a_lazy_module_does_not_hide_the_next_orphan(audit_tree):
    files = {
        "pkg/__init__.py": "",
        "pkg/lazy.py": "def __getattr__(name):\n    return name\n",
        "pkg/mod.py": "def helper():\n    pass\n\ndef other():\n    pass\n\n__all__ = ['helper', 'other']\n",
        "app.py": "from pkg.lazy import helper\nhelper()\n",
    }
    assert [(f.line, f.column, f.symbol) for f in audit_tree(files).findings if f.kind == "orphan-export"] == [
        (7, 22, "pkg.mod.other"),
    ]
