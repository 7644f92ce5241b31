"""The project model: module names, every import form, every `__all__` form, resolution across modules."""

from __future__ import annotations

from igny8_refactor.audit.checks.orphan_export import orphan_exports
from igny8_refactor.audit.checks.unused_function import unused_functions
from igny8_refactor.audit.config import Config


def kinds(result, kind):
    return sorted(f.symbol for f in result.findings if f.kind == kind)


def test_module_names_for_packages_namespace_packages_and_src_layout(audit_tree, tmp_path):
    result = audit_tree(
        {
            "pkg/__init__.py": "",
            "pkg/sub/__init__.py": "",
            "pkg/sub/mod.py": "x = 1\n",
            "nspkg/inner/tool.py": "y = 2\n",
            "src/lib/__init__.py": "",
            "src/lib/api.py": "z = 3\n",
        }
    )
    project = result.project
    assert project.path_of("pkg.sub.mod") == str(tmp_path / "pkg/sub/mod.py")
    assert project.is_package("pkg.sub")
    assert project.path_of("nspkg.inner.tool") == str(tmp_path / "nspkg/inner/tool.py")
    assert project.path_of("lib.api") == str(tmp_path / "src/lib/api.py")


def test_package_named_on_the_command_line_keeps_its_dotted_name(audit_tree):
    result = audit_tree({"app/__init__.py": "", "app/core/__init__.py": "", "app/core/m.py": "x = 1\n"}, "app/core")
    assert set(result.project.modules) == {"app", "app.core", "app.core.m"}  # the whole project is read


def test_all_in_every_form(audit_tree):
    result = audit_tree(
        {
            "pkg/__init__.py": "",
            "pkg/m.py": """\
                a = b = c = d = e = f = g = 1
                __all__ = ['a'] + ['b']
                __all__ += ('c',)
                __all__.extend(['d'])
                __all__.append('e')
                __all__ = __all__ + ['f']
            """,
            "pkg/t.py": "g = 1\n__all__ = ('g',)\n",
        }
    )
    assert [e.name for e in result.project.modules["pkg.m"].exports] == ["a", "b", "c", "d", "e", "f"]
    assert [e.name for e in result.project.modules["pkg.t"].exports] == ["g"]
    assert kinds(result, "orphan-export") == [
        "pkg.m.a",
        "pkg.m.b",
        "pkg.m.c",
        "pkg.m.d",
        "pkg.m.e",
        "pkg.m.f",
        "pkg.t.g",
    ]


def test_import_forms_count_as_uses(audit_tree):
    result = audit_tree(
        {
            "pkg/__init__.py": "",
            "pkg/a.py": "x = 1\n__all__ = ['x']\n",
            "pkg/b.py": "y = 1\n__all__ = ['y']\n",
            "pkg/c.py": "z = 1\n__all__ = ['z']\n",
            "pkg/d.py": "w = 1\nv = 2\n__all__ = ['w', 'v']\n",
            "pkg/e.py": "u = 1\n__all__ = ['u']\n",
            "pkg/sub/__init__.py": "",
            "pkg/sub/user.py": """\
                import pkg.a as alias
                from .. import b
                from ..c import (z as zed)
                from pkg.d import *
                import pkg.e
                print(alias.x, b.y, zed, w, pkg.e.u)
            """,
        }
    )
    assert kinds(result, "orphan-export") == ["pkg.d.v"]


def test_reexport_chain(audit_tree):
    files = {
        "lib/__init__.py": "from lib.impl import used, unused\n__all__ = ['used', 'unused']\n",
        "lib/impl.py": "def used():\n    pass\n\ndef unused():\n    pass\n",
        "app.py": "from lib import used\nused()\n",
    }
    result = audit_tree(files)
    assert kinds(result, "orphan-export") == ["lib.unused"]
    assert kinds(result, "unused-function") == ["lib.impl.unused"]


def test_a_reexport_of_an_object_used_elsewhere_is_the_packages_public_face(audit_tree):
    # used from where it is defined (the plan's `get_model_config`): the package's re-export is no orphan
    files = {
        "lib/__init__.py": "from lib.impl import helper\n__all__ = ['helper']\n",
        "lib/impl.py": "def helper():\n    pass\n",
        "app.py": "from lib.impl import helper\nhelper()\n",
    }
    result = audit_tree(files)
    assert kinds(result, "orphan-export") == []
    assert kinds(result, "unused-function") == []


def test_reexport_used_through_the_package_is_kept(audit_tree):
    files = {
        "lib/__init__.py": "from lib.impl import helper\n__all__ = ['helper']\n",
        "lib/impl.py": "def helper():\n    pass\n",
        "app.py": "import lib\nlib.helper()\n",
        "tool.py": "print('lib.helper')\n",
    }
    assert kinds(audit_tree(files), "orphan-export") == []


def test_module_getattr_hides_nothing(audit_tree):
    files = {
        "lazy/__init__.py": "__all__ = ['thing']\n\ndef __getattr__(name):\n    return 1\n",
        "app.py": "from lazy import other\n",
    }
    result = audit_tree(files)
    assert kinds(result, "orphan-export") == []
    assert kinds(result, "broken-import") == []


def test_broken_import_is_reported(audit_tree):
    files = {
        "pkg/__init__.py": "",
        "pkg/core.py": "def run():\n    pass\n",
        "app.py": "from pkg.core import run, get_model\nrun()\n",
    }
    result = audit_tree(files)
    assert kinds(result, "broken-import") == ["pkg.core.get_model"]
    finding = next(f for f in result.findings if f.kind == "broken-import")
    assert (finding.path, finding.line, finding.column, finding.fixable) == ("app.py", 1, 27, False)


def test_broken_import_is_conservative(audit_tree):
    files = {
        "pkg/__init__.py": "",
        "pkg/sub.py": "",
        "pkg/dyn.py": "globals()['made'] = 1\n",
        "pkg/star.py": "from os.path import *\n",
        "pkg/forms.py": """\
            from typing import TYPE_CHECKING
            try:
                from json import loads
            except ImportError:
                loads = None
            if TYPE_CHECKING:
                from decimal import Decimal
            for looped in range(1):
                pass
            with open(__file__) as handle:
                pass
            temp = 1
            del temp

            def setter():
                global late
                late = 1
        """,
        "app.py": """\
            from pkg import sub
            from pkg.dyn import made
            from pkg.star import anything
            from pkg.forms import loads, Decimal, looped, handle, temp, late
            try:
                from pkg.forms import optional
            except ImportError:
                optional = None
            from os import nothing_checked_outside_the_project
        """,
    }
    assert kinds(audit_tree(files), "broken-import") == []


def test_function_only_exported_counts_as_unused(audit_tree):
    files = {
        "pkg/__init__.py": "from pkg.s import get_model, get_model_config\n__all__ = ['get_model', 'get_model_config']\n",
        "pkg/s.py": "def get_model_config():\n    pass\n\ndef get_model():\n    return get_model_config()\n",
        "pkg/engine.py": "from pkg.s import get_model_config\nget_model_config()\n",
    }
    result = audit_tree(files)
    assert kinds(result, "unused-function") == ["pkg.s.get_model"]
    # engine.py uses get_model_config (imported from pkg.s): pkg's re-export of it is no orphan
    assert kinds(result, "orphan-export") == ["pkg.get_model"]


def test_keep_silences_unused_function_but_not_the_export(audit_tree):
    files = {
        "pkg/__init__.py": "from pkg.registry import register_function\n__all__ = ['register_function']\n",
        "pkg/registry.py": "def register_function():\n    pass\n",
    }
    config = Config(keep=("pkg.registry.register_function",))
    result = audit_tree(files, config=config)
    assert kinds(result, "unused-function") == []
    assert kinds(result, "orphan-export") == ["pkg.register_function"]


def test_attribute_on_a_third_party_object_does_not_keep_a_function_alive(audit_tree):
    files = {
        "pkg/__init__.py": "",
        "pkg/s.py": "def get_model():\n    pass\n\ndef kept():\n    pass\n",
        "pkg/app.py": "from django.apps import apps\napps.get_model('a', 'B')\n\nclass C:\n    def f(self):\n        self.kept()\n",
    }
    # `self` is a parameter: its attribute cannot be the module function either
    assert kinds(audit_tree(files), "unused-function") == ["pkg.s.get_model", "pkg.s.kept"]


def test_decorated_and_string_referenced_functions_are_used(audit_tree):
    files = {
        "pkg/__init__.py": "",
        "pkg/tasks.py": "import functools\n\n@functools.cache\ndef cached():\n    pass\n\ndef by_path():\n    pass\n",
        "pkg/settings.py": "TASK = 'pkg.tasks.by_path'\n",
    }
    assert kinds(audit_tree(files), "unused-function") == []


def test_internal_decides_fixable(audit_tree):
    files = {
        "igny8_core/__init__.py": "def helper():\n    pass\n",
        "lib/__init__.py": "def helper():\n    pass\n",
    }
    result = audit_tree(files)
    fixable = {f.symbol: f.fixable for f in result.findings if f.kind == "unused-function"}
    assert fixable == {"igny8_core.helper": True, "lib.helper": False}


def test_import_hook_packages_may_provide_any_name(audit_tree):
    files = {
        "vendor/__init__.py": "",
        "vendor/extern/__init__.py": (
            "import sys\n\nclass VendorImporter:\n    def install(self):\n        sys.meta_path.append(self)\n\n"
            "VendorImporter().install()\n"
        ),
        "vendor/app.py": "from vendor.extern import packaging\n",
    }
    assert kinds(audit_tree(files), "broken-import") == []


def test_interface_the_codemods_read(audit_tree):
    files = {
        "pkg/__init__.py": "from pkg.settings import MODEL_CONFIG, get_model\n__all__ = ['MODEL_CONFIG', 'get_model']\n",
        "pkg/settings.py": "MODEL_CONFIG = {}\n\ndef get_model():\n    return MODEL_CONFIG\n",
        "pkg/engine.py": "from pkg.settings import MODEL_CONFIG\nprint(MODEL_CONFIG)\n",
    }
    project = audit_tree(files).project
    assert project.bindings("pkg.settings")["MODEL_CONFIG"] == ("local",)
    assert project.bindings("pkg")["get_model"] == ("from", "pkg.settings", "get_model")
    assert project.users(("pkg.settings", "MODEL_CONFIG")) == {"pkg.engine"}
    assert project.users(("pkg.settings", "get_model")) == set()
    assert [(e.name, e.line, e.column) for e in orphan_exports(project, "pkg")] == [
        ("get_model", 2, 28),  # not MODEL_CONFIG: engine.py uses it (imported from pkg.settings)
    ]
    assert [(f.name, f.line, f.column) for f in unused_functions(project, "pkg.settings")] == [("get_model", 3, 1)]
    [imp] = project.modules["pkg.engine"].imports
    assert (imp.kind, imp.target, imp.name, imp.asname) == ("from", "pkg.settings", "MODEL_CONFIG", None)
    # `pkg/__init__.py` imports both and reads neither: it only carries them
    assert [user for user, _ in project.carriers(("pkg.settings", "get_model"))] == ["pkg"]


def test_a_module_read_as_an_object_reaches_what_it_star_reexports(audit_tree):
    files = {
        "lib/__init__.py": "from lib.impl import *\n",
        "lib/impl.py": "__all__ = ['helper']\n\ndef helper():\n    pass\n\ndef other():\n    pass\n",
        "app.py": "import lib\n",
    }
    project = audit_tree(files).project
    assert not project.reached_dynamically("lib.impl", "helper")  # imported, never read as an object
    files["app.py"] = "import lib\nprint(vars(lib))\n"
    project = audit_tree(files).project
    assert project.reached_dynamically("lib.impl", "helper")  # re-exported by the star import
    assert not project.reached_dynamically("lib.impl", "other")  # outside `__all__`: the star skips it
    assert project.namespace_read("lib.impl")  # its star importer's namespace is read


def test_a_computed_import_adds_the_modules_named_in_strings_to_those_read_dynamically(audit_tree):
    files = {
        "lib/__init__.py": "",
        "lib/registry.py": "def helper():\n    pass\n\ndef lookup(name):\n    return globals()[name]\n",
        "lib/other.py": "def spare():\n    pass\n",
        "app.py": "import importlib\n\ndef load(name):\n    return importlib.import_module(name)\n\nload('lib.other')\n",
    }
    project = audit_tree(files).project
    assert project.reached_dynamically("lib.registry", "helper")  # its own globals() read: kept, as before
    assert project.reached_dynamically("lib.other", "spare")  # named in a string, loaded by a computed name
