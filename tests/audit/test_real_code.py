"""Real code nobody here wrote: the installed Django package."""

from __future__ import annotations

import json
import shutil

import django
from tool_runner import run_tool

FALLBACK_KINDS = {"hardcoded-model-config", "settings-fallback", "default-model-fallback", "model-literal-default"}


def test_django_source_has_no_broken_imports_and_no_fallbacks(tmp_path):
    # a copy outside any git work tree: Django alone is the project (in a venv inside a checkout,
    # the checkout would be the project, and its own uses of Django would count)
    shutil.copytree(django.__path__[0], tmp_path / "django", ignore=shutil.ignore_patterns("__pycache__"))
    done = run_tool("audit", "--no-cache", "--format", "json", "django", cwd=tmp_path)
    assert "Traceback" not in done.stderr
    assert len(done.stderr.splitlines()) == 1 and " files checked" in done.stderr  # the summary, no error line
    findings = json.loads(done.stdout)
    kinds = {f["kind"] for f in findings}
    assert "broken-import" not in kinds
    assert not kinds & FALLBACK_KINDS
    assert "missing-account-guard" not in kinds
    # the analysis did run over the whole package: Django's public API is unused inside Django
    assert any(f["symbol"] == "django.shortcuts.get_list_or_404" and f["kind"] == "unused-function" for f in findings)
    assert not (tmp_path / ".igny8_refactor_cache").exists()
