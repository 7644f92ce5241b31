"""The seed's findings, pinned whole: igny8_core with the legacy AI framework overlaid."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

from tool_runner import run_tool

REPO = Path(__file__).resolve().parents[2]
LEGACY = REPO / "tests" / "fixtures" / "legacy" / "igny8_core"
GOLDEN = REPO / "tests" / "fixtures" / "audit" / "legacy_overlay.json"


def cli(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return run_tool(*args, cwd=cwd)


def overlay(tmp_path: Path) -> Path:
    shutil.copytree(REPO / "igny8_core", tmp_path / "igny8_core", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(LEGACY, tmp_path / "igny8_core", dirs_exist_ok=True)
    return tmp_path


def test_legacy_overlay_reports_exactly_the_seed_findings(tmp_path):
    root = overlay(tmp_path)
    done = cli("audit", "--format", "json", "--no-cache", "igny8_core", cwd=root)
    assert done.returncode == 1, done.stderr
    assert done.stderr.startswith("Found ") and len(done.stderr.splitlines()) == 1  # the summary, no error line
    assert json.loads(done.stdout) == json.loads(GOLDEN.read_text(encoding="utf-8"))


def test_golden_holds_the_seed_list():
    findings = json.loads(GOLDEN.read_text(encoding="utf-8"))
    by_kind: dict[str, list[str]] = {}
    for finding in findings:
        assert list(finding) == ["kind", "code", "path", "line", "column", "symbol", "message", "fixable"]
        by_kind.setdefault(finding["kind"], []).append(finding["symbol"])
    orphans = {s.rsplit(".", 1)[1] for s in by_kind["orphan-export"]}
    assert orphans == {
        "register_function",
        "list_functions",
        "get_model",
        "get_max_tokens",
        "get_temperature",
        "MODEL_CONFIG",
    }
    assert sorted(by_kind["unused-function"]) == [
        "igny8_core.ai.settings.get_max_tokens",
        "igny8_core.ai.settings.get_model",
        "igny8_core.ai.settings.get_temperature",
    ]
    assert set(by_kind["hardcoded-model-config"]) == {"igny8_core.ai.settings.MODEL_CONFIG"}
    assert by_kind["settings-fallback"] == ["django.conf.settings.DEFAULT_AI_MODEL"]
    # the two guards the plan asks for, and the dead helpers' account-less calls (removed with them)
    assert {f["path"] for f in findings if f["kind"] == "missing-account-guard"} == {
        "igny8_core/ai/engine.py",
        "igny8_core/ai/tasks.py",
        "igny8_core/ai/settings.py",
    }
    assert set(by_kind) == {
        "orphan-export",
        "unused-function",
        "hardcoded-model-config",
        "settings-fallback",
        "default-model-fallback",
        "model-literal-default",
        "missing-account-guard",
    }


def test_text_output_of_the_overlay(tmp_path):
    root = overlay(tmp_path)
    done = cli("audit", "--no-cache", "igny8_core", cwd=root)
    lines = done.stdout.splitlines()
    assert "igny8_core/ai/settings.py:11:1: IG101 `MODEL_CONFIG` is a hardcoded per-function model default" in lines
    assert lines[-1].startswith(f"Found {len(lines) - 1} findings (")


def test_refactored_igny8_core_is_clean():
    done = cli("audit", "--no-cache", cwd=REPO)
    assert done.stderr == ""
    assert done.stdout.startswith("All checks passed: ") and len(done.stdout.splitlines()) == 1
    assert done.returncode == 0
