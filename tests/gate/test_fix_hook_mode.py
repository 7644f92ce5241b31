"""`fix --exit-non-zero-on-fix`: the igny8-fix hook fails when it rewrote files, as formatters do."""

from __future__ import annotations

import shutil
from pathlib import Path

from click.testing import CliRunner

from igny8_refactor.cli import cli

REPO = Path(__file__).resolve().parents[2]


def test_exit_1_when_files_were_rewritten_then_0(tmp_path, monkeypatch):
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    shutil.copytree(REPO / "igny8_core", tmp_path / "igny8_core", ignore=ignore)
    shutil.copytree(
        REPO / "tests" / "fixtures" / "legacy" / "igny8_core",
        tmp_path / "igny8_core",
        ignore=ignore,
        dirs_exist_ok=True,
    )
    (tmp_path / "setup.cfg").write_text("[igny8_refactor]\npaths = igny8_core\n")
    monkeypatch.chdir(tmp_path)
    engine = tmp_path / "igny8_core" / "ai" / "engine.py"
    before = engine.read_bytes()

    runner = CliRunner()
    first = runner.invoke(cli, ["fix", "--exit-non-zero-on-fix", "igny8_core/ai/engine.py"], catch_exceptions=False)
    assert first.exit_code == 1, first.output
    assert engine.read_bytes() != before
    assert engine.read_bytes() == (REPO / "igny8_core" / "ai" / "engine.py").read_bytes()
    # only the file it was given was rewritten
    for name in ("settings.py", "ai_core.py", "tasks.py", "__init__.py"):
        legacy = REPO / "tests" / "fixtures" / "legacy" / "igny8_core" / "ai" / name
        assert (tmp_path / "igny8_core" / "ai" / name).read_bytes() == legacy.read_bytes(), name

    second = runner.invoke(cli, ["fix", "--exit-non-zero-on-fix", "igny8_core/ai/engine.py"], catch_exceptions=False)
    assert second.exit_code == 0, second.output


def test_without_the_flag_writing_fixes_exits_0(tmp_path, monkeypatch):
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    shutil.copytree(REPO / "tests" / "fixtures" / "legacy" / "igny8_core", tmp_path / "igny8_core", ignore=ignore)
    (tmp_path / "setup.cfg").write_text("[igny8_refactor]\npaths = igny8_core\n")
    monkeypatch.chdir(tmp_path)
    tasks = tmp_path / "igny8_core" / "ai" / "tasks.py"
    before = tasks.read_bytes()
    result = CliRunner().invoke(cli, ["fix", "igny8_core/ai/tasks.py"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert tasks.read_bytes() != before
