"""Each codemod runs alone through `python -m libcst.tool codemod`, taking its facts from the tree it runs on."""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from codemods.registry import CODEMODS, rules_of
from codemod_helpers import LEGACY, ROOT, TARGET, write_tree


# the plan's files each command rewrites in the legacy tree; require_account_guard now also
# holds the former require_account_id_guard (engine.py and tasks.py)
FILES_CHANGED = {
    "prune_orphan_exports": 1, "remove_dead_helpers": 1, "remove_default_model": 1,
    "remove_model_config": 1, "require_account_guard": 2,
}


def libcst_tool(cwd: Path, name: str, *paths: str) -> subprocess.CompletedProcess:
    command = CODEMODS[name]
    return subprocess.run(
        [sys.executable, "-m", "libcst.tool", "codemod", f"{name}.{command.__name__}",
         "--hide-progress", "-j", "1", *paths],
        cwd=cwd, capture_output=True, text=True, timeout=300,
    )


def test_every_command_applies_the_edits_of_its_rules() -> None:
    # changed: the registry is derived from the rules' `codemod` attribute (no ORDER list any more)
    assert sorted(CODEMODS) == list(CODEMODS) == sorted(FILES_CHANGED)
    for name in CODEMODS:
        assert rules_of(name), name


def test_commands_run_alone_one_after_another_turn_legacy_into_target(tmp_path: Path) -> None:
    shutil.copytree(ROOT / "igny8_core", tmp_path / "igny8_core", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(LEGACY, tmp_path / "igny8_core" / "ai", dirs_exist_ok=True)
    shutil.copy(ROOT / ".libcst.codemod.yaml", tmp_path / ".libcst.codemod.yaml")
    (tmp_path / "setup.cfg").write_text("[igny8_refactor]\npaths = igny8_core\nexclude = igny8_core/*/migrations\n")
    for name in CODEMODS:
        result = libcst_tool(tmp_path, name, "igny8_core/ai")
        assert result.returncode == 0, result.stderr
        assert f"Transformed {FILES_CHANGED[name]} files successfully" in result.stderr, (name, result.stderr)
        assert "Failed to codemod 0 files" in result.stderr
    for path in sorted(LEGACY.glob("*.py")):
        assert (tmp_path / "igny8_core" / "ai" / path.name).read_bytes() == (TARGET / path.name).read_bytes(), path.name


def test_command_takes_its_facts_and_configuration_from_the_tree_it_runs_on(tmp_path: Path) -> None:
    # changed: facts are no longer passed as arguments (`--orphan`, `--internal`); the command
    # reads the setup.cfg above the file (here `internal = shop`, not this repository's igny8_core)
    # and analyses that project: `b` is used by shop/app.py, `c` by nobody
    write_tree(tmp_path, {
        "setup.cfg": "[igny8_refactor]\npaths = shop\ninternal = shop\n",
        "shop/__init__.py": "from shop.core import a, b, c\n__all__ = ['a', 'b', 'c']\n",
        "shop/core.py": "a = b = c = 1\n",
        "shop/app.py": "from shop import a, b\n\nUSED = [a, b]\n",
    })
    shutil.copy(ROOT / ".libcst.codemod.yaml", tmp_path / ".libcst.codemod.yaml")
    result = libcst_tool(tmp_path, "prune_orphan_exports", "shop")
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "shop/__init__.py").read_text() == "from shop.core import a, b\n__all__ = ['a', 'b']\n"
    assert (tmp_path / "shop/app.py").read_text() == "from shop import a, b\n\nUSED = [a, b]\n"


def test_command_outside_internal_packages_changes_nothing(tmp_path: Path) -> None:
    # the same tree, but the configuration there does not call `shop` internal: a library's API
    write_tree(tmp_path, {
        "setup.cfg": "[igny8_refactor]\npaths = shop\ninternal = other\n",
        "shop/__init__.py": "from shop.core import a, c\n__all__ = ['a', 'c']\n",
        "shop/core.py": "a = c = 1\n",
        "shop/app.py": "from shop import a\n\nUSED = [a]\n",
    })
    shutil.copy(ROOT / ".libcst.codemod.yaml", tmp_path / ".libcst.codemod.yaml")
    result = libcst_tool(tmp_path, "prune_orphan_exports", "shop")
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "shop/__init__.py").read_text() == "from shop.core import a, c\n__all__ = ['a', 'c']\n"
