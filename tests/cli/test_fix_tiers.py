"""Safe fixes by default, removals outside the AI package on request; suppressions and evidence of use
outside Python code bind `fix` as they bind `audit`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cli_helpers import write
from click.testing import CliRunner

from igny8_refactor.cli import cli

FILES = {
    "setup.cfg": "[igny8_refactor]\ninternal = shop\n",
    "shop/__init__.py": "",
    "shop/helpers.py": "def format_price(value):\n    return f'{value:.2f}'\n\n\ndef never_called():\n    return 1\n",
    "shop/views.py": "from shop.helpers import format_price\n\nPAGES = [format_price]\n",
}


@pytest.fixture
def shop(tmp_path: Path) -> Path:
    write(tmp_path, FILES)
    return tmp_path


def run(cwd: Path, monkeypatch, *args: str):
    monkeypatch.chdir(cwd)
    return CliRunner().invoke(cli, [*args, "--no-cache"])


def helpers(root: Path) -> str:
    return (root / "shop/helpers.py").read_text()


def test_removal_outside_the_ai_package_is_an_unsafe_fix(shop, monkeypatch):
    audited = run(shop, monkeypatch, "audit", "--format", "json")
    [finding] = json.loads(audited.stdout)
    assert (finding["symbol"], finding["fixable"]) == ("shop.helpers.never_called", False)
    assert finding["message"] == "function `never_called` is never called or referenced (fixable with --unsafe-fixes)"
    assert "Found 1 finding (0 fixable, 1 more with --unsafe-fixes)" in audited.output
    [finding] = json.loads(run(shop, monkeypatch, "audit", "--format", "json", "--unsafe-fixes").stdout)
    assert (finding["fixable"], finding["message"]) == (True, "function `never_called` is never called or referenced")

    done = run(shop, monkeypatch, "fix")
    assert done.exit_code == 0, done.output
    assert "never_called" in helpers(shop)
    assert "0 files changed, 3 unchanged, 0 failed (1 more fixable with --unsafe-fixes)" in done.output

    done = run(shop, monkeypatch, "fix", "--unsafe-fixes")
    assert done.exit_code == 0, done.output
    assert "fixed shop/helpers.py:5: IG002 shop.helpers.never_called" in done.output
    assert "never_called" not in helpers(shop) and "def format_price" in helpers(shop)


def test_unsafe_fixes_in_the_configuration(shop, monkeypatch):
    (shop / "setup.cfg").write_text("[igny8_refactor]\ninternal = shop\nunsafe-fixes = true  # remove dead code\n")
    assert run(shop, monkeypatch, "fix").exit_code == 0
    assert "never_called" not in helpers(shop)


@pytest.mark.parametrize("comment", ["# igny8: ignore[IG002]", "# igny8: ignore[unused-function]", "# igny8: ignore"])
def test_a_suppressed_finding_is_never_fixed(shop, monkeypatch, comment):
    path = shop / "shop/helpers.py"
    path.write_text(helpers(shop).replace("def never_called():", f"def never_called():  {comment}"))
    audited = run(shop, monkeypatch, "audit")
    assert audited.exit_code == 0, audited.output
    done = run(shop, monkeypatch, "fix", "--unsafe-fixes")
    assert done.exit_code == 0, done.output
    assert "def never_called():" in helpers(shop)


@pytest.mark.parametrize(
    ("name", "text", "where"),
    [
        ("docs/usage.rst", "Usage\n\n    from shop.helpers import never_called\n", "docs/usage.rst:3"),
        ("pyproject.toml", '[project.scripts]\nshop-tool = "shop.helpers:never_called"\n', "pyproject.toml:2"),
        (
            "shop/helpers.pyi",
            "def format_price(value: float) -> str: ...\ndef never_called() -> int: ...\n",
            "shop/helpers.pyi:2",
        ),
        ("config/jobs.json", '{"job": "shop.helpers.never_called"}\n', "config/jobs.json:1"),
    ],
    ids=["docs", "entry-point", "stub", "json-config"],
)
def test_a_use_outside_python_keeps_the_code_and_is_named(shop, monkeypatch, name, text, where):
    write(shop, {name: text})
    audited = run(shop, monkeypatch, "audit", "--unsafe-fixes")
    assert audited.exit_code == 1 and "IG002" in audited.output  # still reported: the gate can fail on it
    done = run(shop, monkeypatch, "fix", "--unsafe-fixes")
    assert done.exit_code == 0, done.output
    assert "def never_called():" in helpers(shop)
    assert f"left as it is: used in {where}: reported, never removed" in done.output


def test_files_git_ignores_are_read_for_references_and_never_reported_or_rewritten(shop, monkeypatch):
    import subprocess

    write(
        shop,
        {
            ".gitignore": "shop/_version.py\nbuild/\n",
            "shop/_version.py": "def version():\n    return '1.0'\n\n\ndef unused_generated():\n    return 0\n",
            "build/lib/shop/copy.py": "def also_unused():\n    return 0\n",
            "shop/about.py": "from shop._version import version\n\nABOUT = version()\n",
        },
    )
    subprocess.run(["git", "init", "-q"], cwd=shop, check=True)
    done = run(shop, monkeypatch, "audit", "--unsafe-fixes")
    assert "_version" not in done.output and "build/" not in done.output
    assert "never_called" in done.output  # the tracked file's finding is still there
    before = (shop / "shop/_version.py").read_text()
    fixed = run(shop, monkeypatch, "fix", "--unsafe-fixes", "--allow-dirty")
    assert fixed.exit_code == 0, fixed.output
    assert (shop / "shop/_version.py").read_text() == before
    assert "1 file changed" in fixed.output or "1 files changed" in fixed.output
