"""Safe removal: no removal may break an import, a migration or a second run."""

from __future__ import annotations

import subprocess
import sys

import pytest

from igny8_refactor.audit.api import run_audit
from igny8_refactor.audit.config import Config, load_config
from igny8_refactor.codemods.pipeline import run_fix
from tests.conftest import write_tree

CONFIG = "[igny8_refactor]\npaths = pkg\ninternal = pkg\nexclude = pkg/migrations\n"


def fix(tmp_path, monkeypatch, files):
    write_tree(tmp_path, files)
    monkeypatch.chdir(tmp_path)
    config = load_config(tmp_path) if "setup.cfg" in files else Config(internal=("pkg",))
    before = run_audit([], config, use_cache=False, jobs=1)
    result = (
        run_fix([], config, use_cache=False, jobs=1, unsafe_fixes=True)
        if "setup.cfg" in files
        else run_fix(["."], config, use_cache=False, jobs=1, unsafe_fixes=True)
    )
    return before, result


def imports_cleanly(root, *modules):
    code = "import importlib, sys\nfor name in sys.argv[1:]:\n    importlib.import_module(name)\n"
    done = subprocess.run([sys.executable, "-c", code, *modules], cwd=root, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


def unused(result):
    return [f.symbol for f in result.findings if f.kind == "unused-function"]


def test_helpers_that_excluded_migrations_import_are_kept(tmp_path, monkeypatch):
    files = {
        "setup.cfg": CONFIG,
        "pkg/__init__.py": "",
        "pkg/utils.py": "def postgres_only(fn):\n    return fn\n\ndef backfill(apps, schema_editor):\n    pass\n\ndef dead():\n    pass\n",
        "pkg/migrations/__init__.py": "",
        "pkg/migrations/0002_backfill.py": "from pkg.utils import backfill, postgres_only\n\noperations = [postgres_only(backfill)]\n",
    }
    before, result = fix(tmp_path, monkeypatch, files)
    assert unused(before) == ["pkg.utils.dead"]
    assert [f.path for f in result.changed] == ["pkg/utils.py"]
    imports_cleanly(tmp_path, "pkg.migrations.0002_backfill")


def test_nothing_is_removed_while_a_file_cannot_be_parsed(tmp_path, monkeypatch):
    files = {
        "pkg/__init__.py": "from pkg.core import helper\n__all__ = ['helper']\n",
        "pkg/core.py": "def helper():\n    pass\n",
        "pkg/newer.py": "type Alias = int\nmatch x:\n    case [*rest] if (y := 1):\n        pass\nprint(f'{x!r:{w}}' := 1)\n",
    }
    before, result = fix(tmp_path, monkeypatch, files)
    assert result.changed == []
    assert [f.error for f in result.failed][0].startswith("cannot parse with Python 3.")
    notes = [n for n in result.notes if "IG001" in n or "IG002" in n]
    assert notes and all("cannot be read or parsed (pkg/newer.py)" in n for n in notes)
    assert all(not f.fixable for f in before.findings)


def test_a_removal_that_makes_more_dead_code_goes_in_the_same_run(tmp_path, monkeypatch):
    files = {
        "pkg/__init__.py": "",
        "pkg/core.py": "import json\n\ndef inner():\n    return json.dumps({})\n\ndef outer():\n    return inner()\n",
    }
    before, result = fix(tmp_path, monkeypatch, files)
    assert unused(before) == ["pkg.core.outer"]
    assert result.rounds == 2
    # every edit is named, round by round (`fix` prints them as ruff's --show-fixes does)
    assert result.applied == ["pkg/core.py:6: IG002 pkg.core.outer", "pkg/core.py:3: IG002 pkg.core.inner"]
    assert (tmp_path / "pkg/core.py").read_text().strip() == ""
    again = run_fix(["."], Config(internal=("pkg",)), use_cache=False, jobs=1, unsafe_fixes=True)
    assert again.changed == [] and again.rounds == 0


def test_a_reexport_that_is_also_rebound_keeps_the_package_importable(tmp_path, monkeypatch):
    files = {
        "pkg/__init__.py": (
            "import os\nfrom pkg.core import helper, run\n\nif os.environ.get('X'):\n    helper = None\n\n"
            "__all__ = ['helper', 'run']\n"
        ),
        "pkg/core.py": "def helper():\n    pass\n\ndef run():\n    pass\n",
        "app.py": "from pkg import run\nrun()\n",
    }
    fix(tmp_path, monkeypatch, files)
    imports_cleanly(tmp_path, "pkg", "app")
    assert "def helper" not in (tmp_path / "pkg/core.py").read_text()


def test_a_function_local_import_is_a_use(tmp_path, monkeypatch):
    files = {
        "pkg/__init__.py": "",
        "pkg/core.py": "def helper():\n    pass\n",
        "pkg/app.py": "def main():\n    from pkg.core import helper\n    helper()\n\nmain()\n",
    }
    before, result = fix(tmp_path, monkeypatch, files)
    assert unused(before) == [] and result.changed == []


@pytest.mark.parametrize(
    "reference",
    [
        "ROUTES = {'pkg.core.handler': 'queue'}\n",  # a dotted path
        "BACKEND = 'pkg.core:handler'\n",  # Celery's module:attr
        "REST_FRAMEWORK = {'EXCEPTION_HANDLER': 'pkg.core.handler'}\n",  # Django settings
        "MIDDLEWARE = ['pkg.core.handler']\n",
    ],
    ids=["dotted", "module-colon-attr", "exception-handler", "middleware"],
)
def test_a_string_naming_a_function_keeps_it(tmp_path, monkeypatch, reference):
    files = {"pkg/__init__.py": "", "pkg/core.py": "def handler():\n    pass\n", "settings.py": reference}
    before, result = fix(tmp_path, monkeypatch, files)
    assert unused(before) == [] and result.changed == []


def test_a_two_part_string_names_a_package_function(tmp_path, monkeypatch):
    files = {"pkg/__init__.py": "def handler():\n    pass\n", "settings.py": "HANDLER = 'pkg.handler'\n"}
    before, _ = fix(tmp_path, monkeypatch, files)
    assert unused(before) == []


def test_a_string_in_the_functions_own_module_keeps_it_but_hides_no_orphan(tmp_path, monkeypatch):
    files = {
        "pkg/__init__.py": "from pkg.core import handler\n__all__ = ['handler']\n",
        "pkg/core.py": "def handler():\n    pass\n\nROUTE = 'pkg.core.handler'\n",
    }
    before, _ = fix(tmp_path, monkeypatch, files)
    assert unused(before) == []
    assert [f.symbol for f in before.findings if f.kind == "orphan-export"] == ["pkg.handler"]


def test_framework_conventions_are_uses(tmp_path, monkeypatch):
    files = {
        "pkg/__init__.py": "",
        "pkg/conftest.py": "def pytest_configure(config):\n    pass\n\ndef helper():\n    pass\n",
        "docs/conf.py": "def setup(app):\n    pass\n",
    }
    before, _ = fix(tmp_path, monkeypatch, files)
    assert unused(before) == ["pkg.conftest.helper"]


def test_names_injected_at_run_time_are_not_broken_imports(tmp_path, monkeypatch):
    files = {
        "inject/__init__.py": "import sys\n\ndef install(**names):\n    sys._getframe(1).f_globals.update(names)\n\ninstall(extra=1)\n",
        "lazy/__init__.py": "def __getattr__(name):\n    return name\n",
        "app.py": "from inject import extra\nfrom lazy import anything\nprint(extra, anything)\n",
    }
    write_tree(tmp_path, files)
    monkeypatch.chdir(tmp_path)
    result = run_audit(["."], Config(), use_cache=False, jobs=1)
    assert [f for f in result.findings if f.kind == "broken-import"] == []


def test_celery_wiring_is_not_an_orphan(tmp_path, monkeypatch):
    files = {
        "pkg/__init__.py": "from .celery import app as celery_app\n\n__all__ = ('celery_app',)\n",
        "pkg/celery.py": "app = object()\n",
    }
    before, result = fix(tmp_path, monkeypatch, files)
    assert before.findings == [] and result.changed == []


# -- shapes found on real trees (celery, django-oscar, Django REST framework) -------------------


def test_a_name_a_package_reexports_lazily_is_kept(tmp_path, monkeypatch):
    # celery/__init__.py: a module __getattr__ finds `Celery` through {'celery.app': [...]}
    files = {
        "pkg/__init__.py": (
            "import importlib\n_BY_MODULE = {'pkg.app': ['Celery']}\n\ndef __getattr__(name):\n"
            "    for m, ns in _BY_MODULE.items():\n        if name in ns:\n"
            "            return getattr(importlib.import_module(m), name)\n    raise AttributeError(name)\n"
        ),
        "pkg/app/__init__.py": "from .base import Celery\n\n__all__ = ['Celery']\n",
        "pkg/app/base.py": "class Celery:\n    pass\n",
        "pkg/user.py": "from pkg import Celery\n",
    }
    before, result = fix(tmp_path, monkeypatch, files)
    assert [f for f in before.findings if f.kind == "orphan-export"] == []
    assert result.changed == []
    imports_cleanly(tmp_path, "pkg.user")


def test_functions_loaded_by_a_computed_import_and_a_string_name_are_kept(tmp_path, monkeypatch):
    # django-oscar's get_class("offer.utils", "load_proxy")
    files = {
        "pkg/__init__.py": "",
        "pkg/loading.py": "import importlib\n\ndef get_class(label, name):\n"
        "    return getattr(importlib.import_module(f'pkg.{label}'), name)\n",
        "pkg/features.py": "def is_supported():\n    return True\n\ndef dead():\n    pass\n",
        "pkg/forms.py": "from pkg.loading import get_class\nis_supported = get_class('features', 'is_supported')\n",
    }
    before, result = fix(tmp_path, monkeypatch, files)
    assert unused(before) == ["pkg.features.dead"]
    imports_cleanly(tmp_path, "pkg.forms")


def test_an_export_added_with_append_is_reported_not_fixed(tmp_path, monkeypatch):
    files = {
        "pkg/__init__.py": "",
        "pkg/models.py": "__all__ = []\n\nclass Thing:\n    pass\n\n__all__.append('Thing')\n",
        "pkg/util.py": "def dead():\n    pass\n",
    }
    before, result = fix(tmp_path, monkeypatch, files)
    [orphan] = [f for f in before.findings if f.kind == "orphan-export"]
    assert not orphan.fixable and "__all__.append" in orphan.note
    assert not result.errors and [f.path for f in result.changed] == ["pkg/util.py"]


def test_a_function_defined_in_an_else_branch_is_reported_not_fixed(tmp_path, monkeypatch):
    files = {
        "pkg/__init__.py": "",
        "pkg/client.py": (
            "try:\n    import requests\nexcept ImportError:\n    requests = None\n\n"
            "if requests is not None:\n    class RequestsClient:\n        pass\nelse:\n"
            "    def RequestsClient(*a, **k):\n        raise RuntimeError\n"
        ),
        "pkg/util.py": "def dead():\n    pass\n",
    }
    before, result = fix(tmp_path, monkeypatch, files)
    [function] = [f for f in before.findings if f.symbol == "pkg.client.RequestsClient"]
    assert not function.fixable
    assert function.note == "defined inside a conditional block (another branch may define it too): remove it by hand"
    assert not result.errors and [f.path for f in result.changed] == ["pkg/util.py"]


def test_plugin_hooks_and_extension_setup_are_kept_anywhere(tmp_path, monkeypatch):
    files = {
        "pkg/__init__.py": "",
        "pkg/contrib/__init__.py": "",
        "pkg/contrib/pytest.py": "def pytest_configure(config):\n    pass\n",
        "pkg/contrib/sphinx.py": "def setup(app):\n    return {}\n",
    }
    before, _ = fix(tmp_path, monkeypatch, files)
    assert unused(before) == []


def test_a_function_a_library_still_exports_is_kept(tmp_path, monkeypatch):
    # lib is not internal: its `__all__` is public API, so its orphan entry stays, and with it the function
    files = {
        "pkg/__init__.py": "",
        "pkg/core.py": "def helper():\n    pass\n",
        "lib/__init__.py": "from pkg.core import helper\n__all__ = ['helper']\n",
    }
    before, result = fix(tmp_path, monkeypatch, files)
    [finding] = [f for f in before.findings if f.kind == "unused-function"]
    assert (finding.symbol, finding.fixable, finding.note) == (
        "pkg.core.helper",
        False,
        "`helper` is still exported by `lib`",
    )
    assert result.changed == []


@pytest.mark.parametrize(
    "source, only",
    [
        (
            "def helper():\n    pass\n\n\n__all__ = []\n__all__.append('helper')\n",
            None,
        ),  # the fix never prunes an appended entry
        (
            "def helper():\n    pass\n\n\n__all__ = ['helper']\n",
            ["remove_dead_helpers"],
        ),  # the entry's own codemod not selected
    ],
    ids=["appended-entry", "only-remove-dead-helpers"],
)
def test_a_function_its_own_module_still_exports_is_kept(tmp_path, monkeypatch, source, only):
    # deleting the function would leave `__all__` naming nothing: `from pkg.core import *` would fail
    write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/core.py": source})
    monkeypatch.chdir(tmp_path)
    result = run_fix(["."], Config(internal=("pkg",)), use_cache=False, jobs=1, only=only, unsafe_fixes=True)
    assert result.errors == [] and result.changed == []
    assert result.notes[0] == (
        "pkg/core.py:1:1: note: IG002 `pkg.core.helper` left as it is: `helper` is still in the `__all__` of `pkg.core`"
    )
    assert (tmp_path / "pkg/core.py").read_text() == source
    imports_cleanly(tmp_path, "pkg.core")
    done = subprocess.run(
        [sys.executable, "-c", "from pkg.core import *"], cwd=tmp_path, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr


def test_a_function_carried_into_a_file_not_being_fixed_is_kept(tmp_path, monkeypatch):
    files = {
        "setup.cfg": "[igny8_refactor]\ninternal = pkg\n",  # the project root: tools/ is read, not fixed
        "pkg/__init__.py": "",
        "pkg/core.py": "def helper():\n    pass\n",
        "tools/__init__.py": "",
        "tools/shim.py": "from pkg.core import helper\n",
    }
    write_tree(tmp_path, files)
    monkeypatch.chdir(tmp_path)
    config = load_config(tmp_path)
    [finding] = [f for f in run_audit(["pkg"], config, use_cache=False, jobs=1).findings if f.kind == "unused-function"]
    assert not finding.fixable
    assert finding.note == "`helper` is imported by `tools.shim`, which is not among the files being fixed"
    assert run_fix(["pkg"], config, use_cache=False, jobs=1, unsafe_fixes=True).changed == []
    assert [f.path for f in run_fix(["."], config, use_cache=False, jobs=1, unsafe_fixes=True).changed] == [
        "pkg/core.py",
        "tools/shim.py",
    ]


def test_four_unparsable_files_are_counted_and_the_first_three_named(tmp_path, monkeypatch):
    files = {
        "pkg/__init__.py": "",
        "pkg/core.py": "def helper():\n    pass\n",
        **{f"pkg/bad{i}.py": "def (:\n" for i in range(4)},
    }
    before, result = fix(tmp_path, monkeypatch, files)
    [finding] = [f for f in before.findings if f.kind == "unused-function"]
    assert (
        finding.note
        == "nothing is deleted while 4 paths of the project cannot be read or parsed (pkg/bad0.py, pkg/bad1.py, pkg/bad2.py, ...)"
    )
    assert result.changed == []


def test_only_applies_the_selected_codemods_and_says_so_for_the_others(tmp_path, monkeypatch):
    files = {
        "pkg/__init__.py": "from pkg.core import helper\n__all__ = ['helper']\n",
        "pkg/core.py": "def helper():\n    pass\n",
    }
    write_tree(tmp_path, files)
    monkeypatch.chdir(tmp_path)
    result = run_fix(
        ["."], Config(internal=("pkg",)), only=["prune_orphan_exports"], use_cache=False, jobs=1, unsafe_fixes=True
    )
    assert [f.path for f in result.changed] == ["pkg/__init__.py"]
    assert (tmp_path / "pkg/core.py").read_text() == "def helper():\n    pass\n"
    assert result.notes == [
        "pkg/core.py:1:1: note: IG002 `pkg.core.helper` left as it is: its codemod is not selected (--only)"
    ]
