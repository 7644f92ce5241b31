"""A module whose names are read at run time keeps them: `vars(m)`, `dir(m)`,
`inspect.getmembers(m)`, `m.__dict__[...]`, `m.__all__`; and when `m` is a package that
star-imports a submodule, the submodule's `__all__` entries and functions are kept too, since
they are what lands in `m`'s namespace."""

from __future__ import annotations

from pathlib import Path

import pytest
from cli_helpers import write
from click.testing import CliRunner

from igny8_refactor.cli import cli

CORE = '__all__ = ["alpha", "beta"]\n\n\ndef alpha():\n    return 1\n\n\ndef beta():\n    return 2\n'
FILES = {
    "setup.cfg": "[igny8_refactor]\ninternal = lib, app\nunsafe-fixes = true\n",
    "lib/__init__.py": "",
    "lib/filters/__init__.py": "from .core import *  # noqa: F403\n",
    "lib/filters/core.py": CORE,
    "app/__init__.py": "",
}
READS = {
    "vars": "print(vars(filters))",
    "dir": "print(dir(filters))",
    "getmembers": "import inspect\n\nprint(inspect.getmembers(filters))",
    "dunder-dict": 'print(filters.__dict__["beta"])',
    "passed-around": "registry = {'filters': filters}",
}


def fix(tmp_path: Path, monkeypatch, use: str, **extra: str):
    write(tmp_path, {**FILES, "app/use.py": f"from lib import filters\n\n{use}\n", **extra})
    monkeypatch.chdir(tmp_path)
    return CliRunner().invoke(cli, ["fix", "--allow-dirty", "--no-cache", "."])


@pytest.mark.parametrize("read", sorted(READS))
def test_the_names_a_read_namespace_holds_through_a_star_import_are_kept(tmp_path, monkeypatch, read):
    done = fix(tmp_path, monkeypatch, READS[read])
    assert done.exit_code == 0, done.output
    assert (tmp_path / "lib/filters/core.py").read_text() == CORE


def test_the_all_of_a_package_re_exporting_a_star_import_read_at_run_time(tmp_path, monkeypatch):
    package = "from .core import *  # noqa: F403\nfrom .core import __all__\n"
    done = fix(tmp_path, monkeypatch, "print(filters.__all__)", **{"lib/filters/__init__.py": package})
    assert (tmp_path / "lib/filters/core.py").read_text() == CORE, done.output


def test_without_a_namespace_read_the_unused_name_goes(tmp_path, monkeypatch):
    done = fix(tmp_path, monkeypatch, "print(filters.alpha())")
    assert done.exit_code == 0, done.output
    assert (tmp_path / "lib/filters/core.py").read_text() == '__all__ = ["alpha"]\n\n\ndef alpha():\n    return 1\n'


def test_an_app_label_naming_the_package_keeps_none_of_its_re_exports(tmp_path, monkeypatch):
    """A module named in a string (INSTALLED_APPS) is loaded by name: its re-exports are not read through it."""
    done = fix(tmp_path, monkeypatch, "print(filters.alpha())\nINSTALLED_APPS = ['lib.filters']")
    assert done.exit_code == 0, done.output
    assert "beta" not in (tmp_path / "lib/filters/core.py").read_text()
