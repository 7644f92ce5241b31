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
        ("pkg/__init__.py", 1, "pkg.settings.get_model", "`get_model` is imported from `pkg.settings`, which does not define it")
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
