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
        (3, 12, "pkg.register_function", "`register_function` is exported from `pkg` but nothing imports it"),
        # engine.py imports it from pkg.settings: the package's re-export is not what it uses
        (3, 49, "pkg.get_model_config", "`get_model_config` is exported from `pkg` but nothing imports it"),
        (3, 69, "pkg.get_model", "`get_model` is exported from `pkg` but nothing imports it"),
    ]


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
