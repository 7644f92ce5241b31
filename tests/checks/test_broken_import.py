"""broken-import: a name the target project module does not bind."""

from __future__ import annotations


def found(result):
    return [(f.path, f.line, f.symbol, f.message) for f in result.findings if f.kind == "broken-import"]


def test_removed_helper_still_imported(audit_tree):
    files = {
        "pkg/__init__.py": "from pkg.settings import get_model_config, get_model\n",
        "pkg/settings.py": "def get_model_config():\n    pass\n",
    }
    assert found(audit_tree(files)) == [
        (
            "pkg/__init__.py",
            1,
            "pkg.settings.get_model",
            "`get_model` is imported from `pkg.settings`, which does not define it",
        )
    ]


def test_relative_and_submodule_imports(audit_tree):
    files = {
        "pkg/__init__.py": "from . import sub\nfrom .sub import thing\nfrom .sub import missing\n",
        "pkg/sub.py": "thing = 1\n",
    }
    assert [symbol for _, _, symbol, _ in found(audit_tree(files))] == ["pkg.sub.missing"]


def test_names_outside_the_project_are_not_checked(audit_tree):
    assert found(audit_tree({"a.py": "from os import does_not_exist\nfrom json import loads\n"})) == []


def test_module_missing_from_a_project_package(audit_tree):
    files = {
        "pkg/__init__.py": "",
        "pkg/real.py": "x = 1\n",
        "pkg/compiled.cpython-311-x86_64-linux-gnu.so": b"",
        "app.py": (
            "import pkg.real\nimport pkg.gone\nfrom pkg.removed import thing\nfrom pkg import compiled\n"
            "import os.nothing\ntry:\n    import pkg.optional\nexcept ImportError:\n    pass\n"
        ),
    }
    assert [(line, symbol) for _, line, symbol, _ in found(audit_tree(files))] == [(2, "pkg.gone"), (3, "pkg.removed")]


def test_a_missing_submodule_is_named_under_its_own_package(audit_tree):
    files = {
        "pkg/__init__.py": "",
        "pkg/sub/__init__.py": "",
        "app.py": "import pkg.sub.gone\nfrom pkg.sub.gone2 import x\n",
    }
    assert found(audit_tree(files)) == [
        ("app.py", 1, "pkg.sub.gone", "`gone` is imported from `pkg.sub`, which does not define it"),
        ("app.py", 2, "pkg.sub.gone2", "`gone2` is imported from `pkg.sub`, which does not define it"),
    ]


def test_submodules_an_import_hook_or_a_binding_provides_are_not_missing(audit_tree):
    files = {
        "vendor/__init__.py": "",
        # setuptools' VendorImporter: `import vendor.extern.packaging` works through sys.meta_path
        "vendor/extern/__init__.py": "import sys\n\nclass Hook:\n    pass\n\nsys.meta_path.append(Hook())\n",
        # six.moves: the package binds the name and registers it as a module
        "compat/__init__.py": "import sys\nimport types\n\nmoves = types.ModuleType('compat.moves')\nsys.modules['compat.moves'] = moves\n",
        "app.py": "import vendor.extern.packaging\nimport compat.moves\nimport compat.missing\n",
    }
    assert [symbol for _, _, symbol, _ in found(audit_tree(files))] == ["compat.missing"]


def test_a_finding_names_its_place_code_note_and_no_fix(audit_tree):
    files = {
        "pkg/__init__.py": "",
        "pkg/core.py": "def run():\n    pass\n",
        "app.py": "def start():\n    from pkg.core import gone\n    import pkg.removed\n    return gone\n\n\nUSED = [start]\n",
    }
    findings = [f for f in audit_tree(files).findings if f.kind == "broken-import"]
    assert [(f.path, f.line, f.column, f.code, f.symbol, f.message, f.fixable, f.edit, f.note) for f in findings] == [
        (
            "app.py",
            2,
            26,
            "IG003",
            "pkg.core.gone",
            "`gone` is imported from `pkg.core`, which does not define it",
            False,
            None,
            "restore the definition or change the import",
        ),
        (
            "app.py",
            3,
            5,
            "IG003",
            "pkg.removed",
            "`removed` is imported from `pkg`, which does not define it",
            False,
            None,
            "restore the definition or change the import",
        ),
    ]
    assert all(f.fixable is False for f in findings)


def test_star_imports_module_attributes_and_lazy_modules_resolve(audit_tree):
    files = {
        "pkg/__init__.py": "",
        "pkg/mod.py": "x = 1\n",
        "pkg/lazy.py": "def __getattr__(name):\n    return name\n",
        "app.py": (
            "from pkg.mod import *\nfrom pkg.mod import __file__, __doc__\nfrom pkg.lazy import anything\n"
            "from pkg.mod import nothing\n"
        ),
    }
    assert found(audit_tree(files)) == [
        ("app.py", 4, "pkg.mod.nothing", "`nothing` is imported from `pkg.mod`, which does not define it"),
    ]


def test_a_future_statement_is_not_an_import_of_a_project_module(audit_tree):
    # a future statement is read by the compiler: a project file named `__future__.py` does not serve it
    files = {
        "__future__.py": "",
        "app.py": "from __future__ import annotations\nfrom __future__ import missing_name\n",
    }
    assert found(audit_tree(files)) == []


def test_resolves_names_in_modules_and_submodules_of_namespace_packages(audit_tree):
    from igny8_refactor.audit.checks.broken_import import resolves

    files = {
        "ns/mod.py": "x = 1\n",  # no ns/__init__.py: `ns` is a namespace package, not a module
        "pkg/__init__.py": "",
        "pkg/mod.py": "x = 1\n",
    }
    project = audit_tree(files).project
    assert "ns" not in project.modules
    assert (resolves(project, "ns", "mod"), resolves(project, "ns", "gone")) == (True, False)
    assert [resolves(project, "pkg.mod", name) for name in ("x", "nothing", "__file__")] == [True, False, True]
    assert (resolves(project, "pkg", "mod"), resolves(project, "pkg", "gone")) == (True, False)
