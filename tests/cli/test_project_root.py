"""The project is found from the files, not from where the command stands, and always read whole.

A Django project one folder down (`backend/`, its config there, the git root above): run from the
git root on one staged file, from a sibling folder with `..`, or from inside an app, every command
sees the same project, names its modules as Python imports them, and reports what it holds.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from cli_helpers import git, write
from click.testing import CliRunner

from igny8_refactor.cli import cli

HELPERS = "def format_price(value):\n    return f'{value:.2f}'\n\n\ndef never_called():\n    return 1\n"
FILES = {
    "backend/setup.cfg": (
        "[igny8_refactor]\npaths = .  # the whole backend\ninternal = shop, catalog   ; the project's own packages\n"
    ),
    "backend/manage.py": "import sys\n\nif __name__ == '__main__':\n    print(sys.argv)\n",
    "backend/shop/__init__.py": "",
    "backend/shop/helpers.py": HELPERS,
    "backend/shop/views.py": "from shop.helpers import format_price\n\n\ndef show(item):\n    return format_price(item)\n",
    "backend/shop/urls.py": "from shop.views import show\n\nurlpatterns = [show]\n",
    "backend/catalog/__init__.py": "",
    "backend/catalog/util.py": "def dead_in_catalog():\n    return 2\n",
    "README.md": "a project\n",
}


@pytest.fixture
def checkout(tmp_path: Path) -> Path:
    write(tmp_path, FILES)
    git("init", "-q", cwd=tmp_path)
    git("add", "-A", cwd=tmp_path)
    git("-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-q", "-m", "initial", cwd=tmp_path)
    return tmp_path


def run(cwd: Path, monkeypatch, *args: str):
    monkeypatch.chdir(cwd)
    return CliRunner().invoke(cli, [*args, "--no-cache"])


def symbols(output: str) -> set[str]:
    return {line.split(": ", 2)[1] for line in output.splitlines() if line.count(":") >= 4 and " IG" in line}


def imports_work(backend: Path) -> bool:
    code = "import shop.urls; print(shop.urls.urlpatterns)"
    return subprocess.run([sys.executable, "-c", code], cwd=backend, capture_output=True).returncode == 0


def test_the_fix_hook_on_one_staged_file_from_the_git_root_keeps_what_other_modules_import(checkout, monkeypatch):
    helpers = checkout / "backend/shop/helpers.py"
    done = run(
        checkout,
        monkeypatch,
        "fix",
        "--allow-dirty",
        "--force-exclude",
        "--exit-non-zero-on-fix",
        "backend/shop/helpers.py",
    )
    assert done.exit_code in (0, 1), done.output
    assert "def format_price" in helpers.read_text()  # imported by shop.views: live
    assert imports_work(checkout / "backend")


def test_modules_are_named_from_the_import_root_not_the_folder_above(checkout, monkeypatch):
    done = run(checkout, monkeypatch, "audit", "--format", "json", "backend")
    import json

    findings = {f["symbol"] for f in json.loads(done.stdout)}
    assert "shop.helpers.never_called" in findings
    assert "catalog.util.dead_in_catalog" in findings
    assert not any(s.startswith("backend.") for s in findings)
    assert "shop.helpers.format_price" not in findings


def test_a_sibling_folder_given_with_dotdot_is_reported(checkout, monkeypatch):
    done = run(checkout / "backend/shop", monkeypatch, "audit", "../catalog")
    assert done.exit_code == 1, done.output
    assert "../catalog/util.py:1:1: IG002" in done.output
    assert "never_called" not in done.output  # shop's finding: not under the path given


def test_a_run_inside_an_app_reports_that_app_only_but_reads_the_whole_project(checkout, monkeypatch):
    done = run(checkout / "backend/catalog", monkeypatch, "audit", ".")
    assert done.exit_code == 1, done.output
    assert "util.py:1:1: IG002" in done.output
    assert "helpers" not in done.output and "format_price" not in done.output


def test_the_same_findings_from_wherever_the_command_stands(checkout, monkeypatch):
    seen = set()
    for cwd, path in [(checkout, "backend"), (checkout / "backend", "."), (checkout / "backend/shop", "..")]:
        done = run(cwd, monkeypatch, "audit", "--format", "json", path)
        import json

        seen.add(frozenset((f["symbol"], f["code"]) for f in json.loads(done.stdout)))
    assert len(seen) == 1


def test_inline_comments_in_setup_cfg_values_are_comments(checkout, monkeypatch):
    # `internal = shop, catalog   ; the project's own packages`: both packages' dead code is fixable
    done = run(checkout / "backend", monkeypatch, "audit", "--format", "json", "--unsafe-fixes")
    import json

    fixable = {f["symbol"] for f in json.loads(done.stdout) if f["fixable"]}
    assert {"shop.helpers.never_called", "catalog.util.dead_in_catalog"} <= fixable


def test_paths_of_two_projects_are_an_error(checkout, monkeypatch, tmp_path_factory):
    other = tmp_path_factory.mktemp("other")
    (other / "setup.cfg").write_text("[igny8_refactor]\n")
    (other / "m.py").write_text("x = 1\n")
    done = run(checkout, monkeypatch, "audit", "backend", str(other))
    assert done.exit_code == 2
    assert "belong to different projects" in done.output


def test_a_folder_that_cannot_be_listed_is_an_error_and_nothing_is_removed(checkout, monkeypatch):
    blocked = str(checkout / "backend/catalog")
    scandir = os.scandir

    def denied(path="."):
        if os.fspath(path) == blocked:
            raise PermissionError(13, "Permission denied")
        return scandir(path)

    monkeypatch.setattr(os, "scandir", denied)
    before = (checkout / "backend/shop/helpers.py").read_text()
    done = run(checkout / "backend", monkeypatch, "fix", "--allow-dirty")
    assert done.exit_code == 2, done.output
    assert "catalog: cannot read directory: Permission denied" in done.output
    assert (checkout / "backend/shop/helpers.py").read_text() == before


def test_a_diff_from_another_folder_applies_with_patch_p1_from_the_project_root(checkout, monkeypatch):
    done = run(checkout / "backend/shop", monkeypatch, "fix", "--diff", "--unsafe-fixes", "../catalog")
    assert done.exit_code == 1, done.output
    assert "--- a/catalog/util.py\n+++ b/catalog/util.py\n" in done.stdout
    applied = subprocess.run(
        ["git", "apply", "-p1", "-"], input=done.stdout, text=True, cwd=checkout / "backend", capture_output=True
    )
    assert applied.returncode == 0, applied.stderr
    assert "dead_in_catalog" not in (checkout / "backend/catalog/util.py").read_text()


@pytest.mark.parametrize(
    ("setting", "named"),
    [("internal = shpo", "internal"), ("ai_package = shop.aii", "ai_package"), ("keep = shop.helpers_x.f", "keep")],
)
def test_a_package_setting_that_matches_no_module_is_a_config_error(checkout, monkeypatch, setting, named):
    (checkout / "backend/setup.cfg").write_text(f"[igny8_refactor]\npaths = .\n{setting}\n")
    before = (checkout / "backend/shop/helpers.py").read_text()
    for command in ("audit", "fix"):
        done = run(checkout / "backend", monkeypatch, command)
        assert done.exit_code == 2, done.output
        assert f"`{named}` names `{setting.split(' = ')[1]}`, which matches no module of the project" in done.output
    assert (checkout / "backend/shop/helpers.py").read_text() == before


NAMESPACE = {
    "lib/acme/tools/__init__.py": "",
    "lib/acme/tools/helpers.py": "def used():\n    return 1\n\n\ndef dead():\n    return 2\n",
    "app/__init__.py": "",
    "app/views.py": "from acme.tools.helpers import used\n\nVALUE = used()\n",
}
BUILD_CONFIGS = {
    "setuptools-where": ("pyproject.toml", '[tool.setuptools.packages.find]\nwhere = ["lib", "."]\n'),
    "setuptools-package-dir": ("pyproject.toml", '[tool.setuptools.package-dir]\n"" = "lib"\n'),
    "setup.cfg-find": ("setup.cfg", "[options.packages.find]\nwhere = lib\n"),
    "poetry-from": ("pyproject.toml", '[tool.poetry]\npackages = [{include = "acme", from = "lib"}]\n'),
    "src-setting": ("pyproject.toml", '[tool.igny8_refactor]\nsrc = ["lib", "."]\n'),
}


@pytest.mark.parametrize("layout", sorted(BUILD_CONFIGS))
def test_a_namespace_package_under_a_declared_root_is_named_as_python_imports_it(tmp_path, monkeypatch, layout):
    """`lib/acme/` has no `__init__.py` (a namespace package); the build configuration (or `src`)
    says `lib` is where imports start, so `acme.tools.helpers.used` is the name `app` imports."""
    name, build = BUILD_CONFIGS[layout]
    tool = "" if "igny8_refactor" in build else "[tool.igny8_refactor]\n"
    config = f'{tool}internal = ["acme", "app"]\nunsafe-fixes = true\n'
    if name == "pyproject.toml":
        write(tmp_path, {**NAMESPACE, name: build + config})
    else:
        write(tmp_path, {**NAMESPACE, name: build, "pyproject.toml": config})
    git("init", "-q", cwd=tmp_path)
    git("add", "-A", cwd=tmp_path)
    git("-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-q", "-m", "initial", cwd=tmp_path)
    done = run(tmp_path, monkeypatch, "fix")
    assert done.exit_code == 0, done.output
    assert (tmp_path / "lib/acme/tools/helpers.py").read_text() == "def used():\n    return 1\n"


def test_a_src_setting_naming_no_folder_is_a_config_error(tmp_path, monkeypatch):
    write(tmp_path, {**NAMESPACE, "setup.cfg": "[igny8_refactor]\nsrc = lbi\n"})
    done = run(tmp_path, monkeypatch, "audit")
    assert done.exit_code == 2
    assert "`src` names `lbi`, which is not a folder of the project" in done.output
