"""The rules' codemod runs alone through `python -m libcst.tool codemod command.RuleCodemod`, taking its facts
from the tree it runs on."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from codemod_helpers import LEGACY, ROOT, TARGET, write_tree

from igny8_refactor.audit.checks import load_checks

# the groups of rules whose fixes go together (`codemod`), in name order, as `fix` once listed them
GROUPS = sorted({check.codemod for check in load_checks().values() if check.codemod})


def libcst_tool(cwd: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "libcst.tool", "codemod", "command.RuleCodemod", "--hide-progress", "-j", "1", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
    )


def legacy_checkout(tmp_path: Path) -> None:
    shutil.copytree(ROOT / "igny8_core", tmp_path / "igny8_core", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(LEGACY, tmp_path / "igny8_core" / "ai", dirs_exist_ok=True)
    shutil.copy(ROOT / ".libcst.codemod.yaml", tmp_path / ".libcst.codemod.yaml")
    (tmp_path / "setup.cfg").write_text("[igny8_refactor]\npaths = igny8_core\nexclude = igny8_core/*/migrations\n")


def assert_target(tmp_path: Path) -> None:
    for path in sorted(LEGACY.glob("*.py")):
        assert (tmp_path / "igny8_core" / "ai" / path.name).read_bytes() == (TARGET / path.name).read_bytes(), path.name


def test_every_fixable_rule_is_in_a_group_and_every_group_is_a_rule_name() -> None:
    fixable = {kind for kind, check in load_checks().items() if check.fixable}
    assert fixable == {kind for kind, check in load_checks().items() if check.codemod}
    assert GROUPS and not set(GROUPS) & set(load_checks())


def test_the_command_with_every_fixable_rule_turns_legacy_into_target(tmp_path: Path) -> None:
    legacy_checkout(tmp_path)
    result = libcst_tool(tmp_path, "igny8_core/ai")
    assert result.returncode == 0, result.stderr
    assert "Failed to codemod 0 files" in result.stderr
    assert_target(tmp_path)


def test_the_command_run_group_after_group_turns_legacy_into_target(tmp_path: Path) -> None:
    legacy_checkout(tmp_path)
    changed = 0
    for group in GROUPS:
        result = libcst_tool(tmp_path, "--rule", group, "igny8_core/ai")
        assert result.returncode == 0, result.stderr
        assert "Failed to codemod 0 files" in result.stderr, (group, result.stderr)
        changed += int(result.stderr.split("Transformed ", 1)[1].split()[0])
    assert changed >= len(GROUPS)  # each group rewrote at least one of the plan's files
    assert_target(tmp_path)


def test_an_unknown_rule_is_a_usage_error(tmp_path: Path) -> None:
    legacy_checkout(tmp_path)
    result = libcst_tool(tmp_path, "--rule", "IG999", "igny8_core/ai")
    assert result.returncode == 2
    assert "unknown rule 'IG999'" in result.stderr
    for path in sorted(LEGACY.glob("*.py")):
        assert (tmp_path / "igny8_core" / "ai" / path.name).read_bytes() == path.read_bytes(), path.name


def test_command_takes_its_facts_and_configuration_from_the_tree_it_runs_on(tmp_path: Path) -> None:
    # changed: facts are no longer passed as arguments (`--orphan`, `--internal`); the command
    # reads the setup.cfg above the file (here `internal = shop`, not this repository's igny8_core)
    # and analyses that project: `b` is used by shop/app.py, `c` by nobody
    write_tree(
        tmp_path,
        {
            "setup.cfg": "[igny8_refactor]\npaths = shop\ninternal = shop\nunsafe-fixes = true\n",
            "shop/__init__.py": "from shop.core import a, b, c\n__all__ = ['a', 'b', 'c']\n",
            "shop/core.py": "a = b = c = 1\n",
            "shop/app.py": "from shop import a, b\n\nUSED = [a, b]\n",
        },
    )
    shutil.copy(ROOT / ".libcst.codemod.yaml", tmp_path / ".libcst.codemod.yaml")
    result = libcst_tool(tmp_path, "--rule", "IG001", "shop")
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "shop/__init__.py").read_text() == "from shop.core import a, b\n__all__ = ['a', 'b']\n"
    assert (tmp_path / "shop/app.py").read_text() == "from shop import a, b\n\nUSED = [a, b]\n"


def test_command_outside_internal_packages_changes_nothing(tmp_path: Path) -> None:
    # the same tree, but the configuration there does not call `shop` internal: a library's API
    write_tree(
        tmp_path,
        {
            "setup.cfg": "[igny8_refactor]\npaths = shop\ninternal = other\n",
            "other/__init__.py": "",  # the project's internal package; shop is a library beside it
            "shop/__init__.py": "from shop.core import a, c\n__all__ = ['a', 'c']\n",
            "shop/core.py": "a = c = 1\n",
            "shop/app.py": "from shop import a\n\nUSED = [a]\n",
        },
    )
    shutil.copy(ROOT / ".libcst.codemod.yaml", tmp_path / ".libcst.codemod.yaml")
    result = libcst_tool(tmp_path, "--rule", "orphan-export", "shop")
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "shop/__init__.py").read_text() == "from shop.core import a, c\n__all__ = ['a', 'c']\n"


def test_a_configuration_error_skips_the_file_with_one_line_and_no_traceback(tmp_path: Path) -> None:
    legacy_checkout(tmp_path)
    (tmp_path / "setup.cfg").write_text("[igny8_refactor]\npaths = igny8_core\ninternal = igny8_cor\n")
    before = (tmp_path / "igny8_core/ai/settings.py").read_bytes()
    result = libcst_tool(tmp_path, "igny8_core/ai/settings.py")
    assert "Traceback" not in result.stderr
    assert "Skipped codemodding " in result.stderr
    assert "igny8_core/ai/settings.py: configuration error: " in result.stderr
    assert "`internal` names `igny8_cor`, which matches no module of the project" in result.stderr
    assert (tmp_path / "igny8_core/ai/settings.py").read_bytes() == before


def test_a_user_project_following_the_readme(tmp_path: Path) -> None:
    """Outside this repository: `initialize` writes the file, `modules:` gets igny8_refactor.codemods, and
    the README's command line rewrites the file with the installed package."""
    project = tmp_path / "user-project"
    write_tree(project, {"igny8_core/__init__.py": "", "igny8_core/ai/__init__.py": ""})
    (project / "igny8_core/ai/ai_core.py").write_text(
        'class AICore:\n    def __init__(self):\n        self._default_model = "gpt-4.1"\n'
    )
    run = [sys.executable, "-m", "libcst.tool"]
    done = subprocess.run([*run, "initialize", "."], cwd=project, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    config = project / ".libcst.codemod.yaml"
    config.write_text(config.read_text().replace("modules:\n", "modules:\n- 'igny8_refactor.codemods'\n", 1))
    readme = (ROOT / "README.md").read_text()
    line = next(line for line in readme.splitlines() if line.startswith("python -m libcst.tool codemod "))
    args = line.split()[3:-1]  # the README's options, with this project's file
    done = subprocess.run(
        [*run, *args, "igny8_core/ai/ai_core.py"], cwd=project, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr
    assert "Transformed 1 files successfully" in done.stderr
    assert (
        project / "igny8_core/ai/ai_core.py"
    ).read_text() == "class AICore:\n    def __init__(self):\n        pass\n"
