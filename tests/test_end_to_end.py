"""End to end: legacy igny8_core -> `igny8-refactor fix` -> clean audit, the refactored tree byte for byte.

The rewritten tree is checked file for file (every file, not only the Python ones) against this
repository's igny8_core; that tree's behaviour is what tests/runtime checks, in this same run, so
it is not run a second time on the copy.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LEGACY = ROOT / "tests" / "fixtures" / "legacy" / "igny8_core"
TARGET = ROOT / "igny8_core"
BIN = Path(sys.executable).parent
TOOL = str(BIN / "igny8-refactor") if (BIN / "igny8-refactor").exists() else shutil.which("igny8-refactor")


def tool(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([TOOL, *args], cwd=cwd, capture_output=True, text=True, timeout=600)


def legacy_files() -> list[Path]:
    return sorted(p.relative_to(LEGACY) for p in LEGACY.rglob("*.py"))


@pytest.fixture(scope="module")
def fixed_tree(tmp_path_factory) -> tuple[Path, subprocess.CompletedProcess]:
    """A copy of the project with the legacy AI framework laid over it, after one `fix`."""
    tree = tmp_path_factory.mktemp("checkout")
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "db.sqlite3")
    shutil.copytree(TARGET, tree / "igny8_core", ignore=ignore)
    shutil.copy(ROOT / "manage.py", tree / "manage.py")
    shutil.copytree(LEGACY, tree / "igny8_core", dirs_exist_ok=True)
    (tree / "setup.cfg").write_text("[igny8_refactor]\npaths = igny8_core\nexclude = igny8_core/*/migrations\n")
    for relative in legacy_files():
        assert (tree / "igny8_core" / relative).read_bytes() == (LEGACY / relative).read_bytes()
    before = tool("audit", "--format", "json", "--no-cache", cwd=tree)
    assert before.returncode == 1, before.stderr
    assert json.loads(before.stdout), "the legacy tree has findings"
    return tree, tool("fix", cwd=tree)


def test_fix_succeeds_and_reports_its_summary(fixed_tree) -> None:
    tree, result = fixed_tree
    assert result.returncode == 0, result.stderr
    assert f"{len(legacy_files())} files changed" in result.stderr
    assert "0 failed" in result.stderr


def test_rewritten_ai_files_equal_the_refactored_ones_byte_for_byte(fixed_tree) -> None:
    tree, _ = fixed_tree
    for relative in legacy_files():
        assert (tree / "igny8_core" / relative).read_bytes() == (TARGET / relative).read_bytes(), relative


def _project_files(root: Path) -> set[Path]:
    """Every file of a copy of igny8_core (templates, static files and data included), caches and databases left out."""
    return {
        p.relative_to(root)
        for p in root.rglob("*")
        if p.is_file() and "__pycache__" not in p.parts and p.suffix != ".pyc" and p.name != "db.sqlite3"
    }


def test_whole_tree_equals_the_refactored_project(fixed_tree) -> None:
    tree, _ = fixed_tree
    ours = _project_files(TARGET)
    theirs = _project_files(tree / "igny8_core")
    assert ours == theirs
    assert {p for p in ours if p.suffix == ".py"} >= set(legacy_files())
    for relative in sorted(ours):
        assert (tree / "igny8_core" / relative).read_bytes() == (TARGET / relative).read_bytes(), relative


def test_audit_reports_zero_findings_afterwards(fixed_tree) -> None:
    tree, _ = fixed_tree
    after = tool("audit", "--format", "json", "--no-cache", cwd=tree)
    assert after.returncode == 0, after.stdout + after.stderr
    assert json.loads(after.stdout) == []


def test_second_fix_changes_nothing(fixed_tree) -> None:
    tree, _ = fixed_tree
    check = tool("fix", "--check", cwd=tree)
    assert check.returncode == 0, check.stderr
    assert "0 files would change" in check.stderr


def _code_nobody_here_wrote(name: str) -> list[Path]:
    if name == "django":
        import django

        return [Path(django.__file__).parent]
    # the standard library, less the trees of deliberately broken test inputs and installed packages
    stdlib = Path(sysconfig.get_paths()["stdlib"])
    skipped = {"test", "lib2to3", "site-packages", "__pycache__"}
    return sorted(
        p
        for p in stdlib.iterdir()
        if p.name not in skipped and (p.suffix == ".py" or (p.is_dir() and (p / "__init__.py").exists()))
    )


@pytest.mark.parametrize("name", ["django", "stdlib"])
def test_fix_check_on_code_nobody_here_wrote_changes_nothing(tmp_path: Path, name: str) -> None:
    # copied into a folder of their own: that folder is the project (in place, the whole standard
    # library with its deliberately broken test inputs, or this checkout around the venv, would be)
    code = tmp_path / "code"
    code.mkdir()
    for root in _code_nobody_here_wrote(name):
        if root.is_file():
            shutil.copy2(root, code / root.name)
        else:
            shutil.copytree(root, code / root.name, ignore=shutil.ignore_patterns("__pycache__"))
    roots = sorted(code.iterdir())
    files = [p for root in roots for p in ([root] if root.is_file() else root.rglob("*.py"))]
    assert len(files) > 500
    before = {p: p.stat().st_mtime_ns for p in files}
    result = tool("fix", "--check", "--no-cache", *map(str, roots), cwd=tmp_path)
    assert result.returncode == 0, result.stderr[-3000:]
    assert f"0 files would change, {len(files)} unchanged, 0 failed" in result.stderr
    assert "Traceback" not in result.stderr
    assert {p: p.stat().st_mtime_ns for p in files} == before
