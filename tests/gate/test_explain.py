"""`igny8-refactor explain` and the check pages: one page per registered check, held by its rule (`DOCS`)."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner
from tool_runner import run_tool

from igny8_refactor.audit.check_pages import page, section
from igny8_refactor.audit.checks import load_checks
from igny8_refactor.cli import cli

REPO = Path(__file__).resolve().parents[2]
CHECKS = load_checks()
SECTIONS = ("What it flags", "Why it hurts", "Example", "How `igny8-refactor fix` handles it", "Suppressing it")


def test_every_registered_check_has_its_own_page_in_its_rule():
    pages = {kind: page(kind) for kind in CHECKS}
    assert len(set(pages.values())) == len(CHECKS)  # no two rules share a page
    assert not (REPO / "docs" / "checks").exists()  # the rule module is the only place a page lives


@pytest.mark.parametrize("kind", sorted(CHECKS))
def test_every_page_has_the_title_and_all_sections(kind):
    check = CHECKS[kind]
    text = page(kind)
    assert text.splitlines()[0] == f"# {check.code} {kind}"
    for title in SECTIONS:
        assert section(text, title), f"{kind}: section {title!r} missing or empty"
    assert "```python" in section(text, "Example")
    if kind != "unused-suppression":
        assert f"igny8: ignore[{kind}]" in section(text, "Suppressing it")


@pytest.mark.parametrize("kind", sorted(CHECKS))
def test_explain_by_code_and_by_kind_print_the_page(kind):
    check = CHECKS[kind]
    runner = CliRunner()
    by_code = runner.invoke(cli, ["explain", check.code])
    by_kind = runner.invoke(cli, ["explain", kind])
    lower = runner.invoke(cli, ["explain", check.code.lower()])
    assert by_code.exit_code == by_kind.exit_code == lower.exit_code == 0
    assert by_code.output == by_kind.output == lower.output == page(kind)
    assert by_code.output == f"# {check.code} {kind}\n\n" + textwrap.dedent(check.DOCS)


def test_list_and_explain_agree_with_the_registry():
    result = CliRunner().invoke(cli, ["list"])
    assert result.exit_code == 0, result.output
    for kind, check in CHECKS.items():
        line = next((l for l in result.output.splitlines() if re.search(rf"\b{check.code}\b", l)), None)
        assert line is not None, f"{check.code} missing from `list`"
        assert kind in line
        assert check.summary() in line
        explained = CliRunner().invoke(cli, ["explain", check.code]).output
        assert explained.startswith(f"# {check.code} {kind}\n")
    # the codemod, and each group of rules `--rule` and `fix --only` take by one name, with its codes
    assert "  command.RuleCodemod  " in result.output
    for group in {check.codemod for check in CHECKS.values() if check.codemod}:
        codes = ", ".join(check.code for check in CHECKS.values() if check.codemod == group)
        assert any(l.split() == [group, "the", "fixes", "of", *codes.split()] for l in result.output.splitlines()), (
            group
        )


@pytest.mark.parametrize("name", ["IG999", "no-such-check", ""])
def test_unknown_check_exits_2_with_one_clear_line(name):
    proc = run_tool("explain", name, cwd=REPO)
    assert proc.returncode == 2
    assert proc.stdout == ""
    assert proc.stderr == f"igny8-refactor explain: unknown check {name!r} (see `igny8-refactor list`)\n"


def test_explain_needs_a_name():
    result = CliRunner().invoke(cli, ["explain"])
    assert result.exit_code == 2
    assert "Missing argument" in result.output


def test_pages_ship_inside_the_wheel_and_load_when_installed(tmp_path):
    """Build a wheel from the sources, install it alone, and explain a check through it."""
    src = tmp_path / "src"
    src.mkdir()
    for name in ("setup.cfg", "pyproject.toml", "README.md"):
        shutil.copy2(REPO / name, src / name)
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    for package in ("audit", "codemods", "igny8_refactor"):
        shutil.copytree(REPO / package, src / package, symlinks=True, ignore=ignore)
    dist = tmp_path / "dist"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(dist), str(src)],
        check=True,
        capture_output=True,
        text=True,
        timeout=300,
    )
    (wheel,) = dist.glob("igny8_refactor-*.whl")
    target = tmp_path / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target", str(target), str(wheel)],
        check=True,
        capture_output=True,
        text=True,
        timeout=300,
    )
    probe = "import igny8_refactor.audit.check_pages as p, sys; sys.stdout.write(p.__file__ + '\\n' + p.page('settings-fallback'))"
    proc = subprocess.run(
        [sys.executable, "-I", "-c", f"import sys; sys.path.insert(0, {str(target)!r}); {probe}"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert proc.returncode == 0, proc.stderr
    where, text = proc.stdout.split("\n", 1)
    assert where.startswith(str(target))
    assert text == page("settings-fallback")


@pytest.mark.parametrize("kind", sorted(CHECKS))
def test_the_codemod_groups_a_page_names_exist(kind):
    groups = {check.codemod for check in CHECKS.values() if check.codemod}
    fix_section = section(page(kind), "How `igny8-refactor fix` handles it")
    # groups are named by verb phrases (STYLE section 7): every such name on the page must exist
    named = set(re.findall(r"`((?:remove|require|prune|rewrite|drop|add|replace)_[a-z_]+)`", fix_section))
    assert named <= groups, named - groups
    if CHECKS[kind].fixable:
        assert CHECKS[kind].codemod in named, f"{kind} is fixable but its page does not name its group"
