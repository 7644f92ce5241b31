"""Each codemod runs alone through `python -m libcst.tool codemod`, computing its own facts."""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from codemods.registry import CODEMODS, ORDER
from codemod_helpers import LEGACY, ROOT, TARGET


def test_commands_run_alone_in_order_turn_legacy_into_target(tmp_path: Path) -> None:
    shutil.copytree(ROOT / "igny8_core", tmp_path / "igny8_core", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(LEGACY, tmp_path / "igny8_core" / "ai", dirs_exist_ok=True)
    shutil.copy(ROOT / ".libcst.codemod.yaml", tmp_path / ".libcst.codemod.yaml")
    (tmp_path / "setup.cfg").write_text("[igny8_refactor]\npaths = igny8_core\n")
    assert list(CODEMODS) == list(ORDER)
    for name, command in CODEMODS.items():
        result = subprocess.run(
            [sys.executable, "-m", "libcst.tool", "codemod", f"{name}.{command.__name__}",
             "--hide-progress", "-j", "1", "igny8_core/ai"],
            cwd=tmp_path, capture_output=True, text=True, timeout=300,
        )
        assert result.returncode == 0, result.stderr
        assert "Transformed 1 files successfully" in result.stderr, (name, result.stderr)
        assert "Failed to codemod 0 files" in result.stderr
    for path in sorted(LEGACY.glob("*.py")):
        assert (tmp_path / "igny8_core" / "ai" / path.name).read_bytes() == (TARGET / path.name).read_bytes(), path.name


def test_command_with_explicit_facts_needs_no_project(tmp_path: Path) -> None:
    (tmp_path / "mod.py").write_text("from m import a, b\n__all__ = ['a', 'b']\n")
    shutil.copy(ROOT / ".libcst.codemod.yaml", tmp_path / ".libcst.codemod.yaml")
    result = subprocess.run(
        [sys.executable, "-m", "libcst.tool", "codemod", "prune_orphan_exports.PruneOrphanExports",
         "--hide-progress", "-j", "1", "--orphan", "mod.b", "--internal", "mod", "mod.py"],
        cwd=tmp_path, capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "mod.py").read_text() == "from m import a\n__all__ = ['a']\n"
