"""`igny8-refactor explain` and the check pages: one page per registered check, shipped in the package."""
from __future__ import annotations

import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from audit.check_pages import page, section
from audit.checks import load_checks
from igny8_refactor.cli import cli
from tool_runner import run_tool

REPO = Path(__file__).resolve().parents[2]
CHECKS = load_checks()
SECTIONS = ("What it flags", "Why it hurts", "Example", "How `igny8-refactor fix` handles it", "Suppressing it")


def test_the_registry_holds_the_documented_codes():
    codes = {check.code: kind for kind, check in CHECKS.items()}
    assert codes == {
        "IG001": "orphan-export",
        "IG002": "unused-function",
        "IG003": "broken-import",
        "IG101": "hardcoded-model-config",
        "IG102": "settings-fallback",
        "IG103": "default-model-fallback",
        "IG104": "model-literal-default",
        "IG105": "missing-account-guard",
        "IG900": "unused-suppression",
    }


def test_docs_checks_holds_exactly_one_page_per_registered_check():
    pages = {p.stem for p in (REPO / "docs" / "checks").glob("*.md")}
    assert pages == set(CHECKS)


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
    assert by_code.output == by_kind.output == lower.output == (REPO / "docs" / "checks" / f"{kind}.md").read_text()


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
    """Build a wheel from the sources, install it alone, and read a page through it."""
    src = tmp_path / "src"
    src.mkdir()
    for name in ("setup.cfg", "pyproject.toml", "README.md"):
        shutil.copy2(REPO / name, src / name)
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    for package in ("audit", "codemods", "igny8_refactor"):
        shutil.copytree(REPO / package, src / package, symlinks=True, ignore=ignore)
    shutil.copytree(REPO / "docs" / "checks", src / "docs" / "checks")
    dist = tmp_path / "dist"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(dist), str(src)],
        check=True, capture_output=True, text=True, timeout=300,
    )
    (wheel,) = dist.glob("igny8_refactor-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        shipped = {Path(n).stem: archive.read(n).decode() for n in archive.namelist() if n.startswith("audit/checks/docs/")}
    assert shipped == {kind: (REPO / "docs" / "checks" / f"{kind}.md").read_text() for kind in CHECKS}

    target = tmp_path / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target", str(target), str(wheel)],
        check=True, capture_output=True, text=True, timeout=300,
    )
    probe = "import audit.check_pages as p, sys; sys.stdout.write(p.__file__ + '\\n' + p.page('settings-fallback'))"
    proc = subprocess.run(
        [sys.executable, "-I", "-S", "-c", f"import sys; sys.path.insert(0, {str(target)!r}); {probe}"],
        capture_output=True, text=True, cwd=tmp_path,
    )
    assert proc.returncode == 0, proc.stderr
    where, text = proc.stdout.split("\n", 1)
    assert where.startswith(str(target))
    assert text == (REPO / "docs" / "checks" / "settings-fallback.md").read_text()


@pytest.mark.parametrize("kind", sorted(CHECKS))
def test_codemods_a_page_names_are_registered(kind):
    from codemods.registry import CODEMODS

    fix_section = section(page(kind), "How `igny8-refactor fix` handles it")
    # codemods are named by verb phrases (STYLE section 7): every such name on the page must exist
    named = set(re.findall(r"`((?:remove|require|prune|rewrite|drop|add|replace)_[a-z_]+)`", fix_section))
    assert named <= set(CODEMODS), named - set(CODEMODS)
    if CHECKS[kind].fixable:
        assert named, f"{kind} is fixable but its page names no codemod"
