"""One rule, one truth: a finding is fixable exactly when `fix` removes it, and a finding left says why.

Every rule's INVALID examples, and the legacy fixtures, go through the real `fix`; afterwards no
finding marked fixable remains, each finding that remains was marked not fixable before and is
named in a `note:` line, and a second `fix` changes nothing.
"""

from __future__ import annotations

import shutil
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner

from igny8_refactor.audit.api import run_audit
from igny8_refactor.audit.checks import load_checks
from igny8_refactor.audit.config import Config
from igny8_refactor.cli import cli
from igny8_refactor.codemods.pipeline import run_fix
from tests.checks.test_examples import split_files
from tests.conftest import write_tree

REPO = Path(__file__).resolve().parents[1]
LEGACY = REPO / "tests" / "fixtures" / "legacy" / "igny8_core"
PLAN_PACKAGE = "igny8_core/ai/"


def key(finding):
    return (finding.code, finding.symbol, finding.message)


def invalid_examples():
    for kind, check in load_checks().items():
        for index, case in enumerate(check.INVALID):
            snippet = case.code
            files = split_files(snippet)
            yield pytest.param(files, id=f"{kind}-invalid-{index}")
            # the same example inside the plan's package, where the plan's rewrites apply
            if list(files) == ["example.py"]:
                for plan_file in ("settings.py", "ai_core.py", "engine.py", "tasks.py"):
                    yield pytest.param(
                        {
                            "igny8_core/__init__.py": "",
                            "igny8_core/ai/__init__.py": "",
                            PLAN_PACKAGE + plan_file: snippet,
                        },
                        id=f"{kind}-invalid-{index}-in-{plan_file[:-3]}",
                    )


def legacy_fixtures():
    yield pytest.param("overlay", id="legacy-overlay")
    yield pytest.param("checks", id="legacy-checks")


def check_fix_keeps_its_word(root: Path, monkeypatch, paths=(".",), config=None):
    monkeypatch.chdir(root)
    config = config or Config()
    before = run_audit(list(paths), config, use_cache=False, jobs=1)
    assert not before.errors, before.errors
    result = run_fix(list(paths), config, use_cache=False, jobs=1, unsafe_fixes=True)
    assert not result.errors, result.errors
    assert not result.failed, [(f.path, f.error) for f in result.failed]
    after = run_audit(list(paths), config, use_cache=False, jobs=1)

    assert [f for f in after.findings if f.fixable] == []
    left = Counter(key(f) for f in after.findings)
    not_fixable_before = Counter(key(f) for f in before.findings if not f.fixable)
    assert left <= not_fixable_before, "a finding marked fixable survived, or fix made a new one"
    for finding in after.findings:
        assert finding.note, finding
        assert any(
            note.startswith(f"{finding.path}:{finding.line}:{finding.column}: note: {finding.code} ")
            or note.startswith("note: ")
            and finding.note.startswith("not in an `internal` package")
            for note in result.notes
        ), (finding, result.notes)
    again = run_fix(list(paths), config, use_cache=False, jobs=1, unsafe_fixes=True)
    assert again.changed == [] and not again.errors
    return before, after


@pytest.mark.parametrize("files", list(invalid_examples()))
def test_invalid_examples_through_fix(tmp_path, monkeypatch, files):
    write_tree(tmp_path, files)
    check_fix_keeps_its_word(tmp_path, monkeypatch)


@pytest.mark.parametrize("which", list(legacy_fixtures()))
def test_legacy_fixtures_through_fix(tmp_path, monkeypatch, which):
    if which == "overlay":
        ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "db.sqlite3")
        shutil.copytree(REPO / "igny8_core", tmp_path / "igny8_core", ignore=ignore)
        shutil.copytree(LEGACY, tmp_path / "igny8_core", dirs_exist_ok=True, ignore=ignore)
        (tmp_path / "setup.cfg").write_text("[igny8_refactor]\npaths = igny8_core\nexclude = igny8_core/*/migrations\n")
        monkeypatch.chdir(tmp_path)
        from igny8_refactor.audit.config import load_config

        before, after = check_fix_keeps_its_word(tmp_path, monkeypatch, ["igny8_core"], load_config(tmp_path))
        assert before.findings and after.findings == []
    else:
        shutil.copy(
            REPO / "tests" / "fixtures" / "legacy_checks" / "check_fallbacks.py", tmp_path / "check_fallbacks.py"
        )
        before, _ = check_fix_keeps_its_word(tmp_path, monkeypatch)
        assert before.findings


def test_fix_check_agrees_with_audit(tmp_path, monkeypatch):
    """`fix --check` exits 1 exactly when the audit has a fixable finding."""
    write_tree(
        tmp_path,
        {
            "igny8_core/__init__.py": "",
            "igny8_core/ai/__init__.py": "",
            "igny8_core/ai/ai_core.py": "class C:\n    def run(self, model=None):\n        return model or self.default_model\n",
        },
    )
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    audit = runner.invoke(cli, ["audit", "--no-cache", "--format", "json"])
    assert '"fixable": false' in audit.output  # a `return`, not a plain assignment: no automatic fix
    check = runner.invoke(cli, ["fix", "--no-cache", "--check"])
    assert check.exit_code == 0, check.output
    assert "note: IG103" in check.output


# -- the cases that showed the two copies disagreeing -------------------------------------------

PLAN = {"igny8_core/__init__.py": "", "igny8_core/ai/__init__.py": ""}


def fix_tree(tmp_path, monkeypatch, files, *paths, config=None):
    write_tree(tmp_path, {**PLAN, **files})
    monkeypatch.chdir(tmp_path)
    config = config or Config()
    before = run_audit(list(paths) or ["."], config, use_cache=False, jobs=1, unsafe_fixes=True)
    result = run_fix(list(paths) or ["."], config, use_cache=False, jobs=1, unsafe_fixes=True)
    after = run_audit(list(paths) or ["."], config, use_cache=False, jobs=1, unsafe_fixes=True)
    return before, result, after


def test_a_guard_on_either_operand_of_or_is_seen_by_audit_and_fix(tmp_path, monkeypatch):
    engine = (
        "from igny8_core.ai.settings import get_model_config\n\nclass AIEngine:\n    def execute(self, n):\n"
        "        if not self.other or not self.account:\n            raise ValueError('x')\n"
        "        return get_model_config(n, account=self.account)\n"
    )
    before, result, _ = fix_tree(tmp_path, monkeypatch, {"igny8_core/ai/engine.py": engine})
    assert [f for f in before.findings if f.kind == "missing-account-guard"] == []
    assert result.changed == []


@pytest.mark.parametrize("attribute", ["_default_model", "default_model", "_defaultModel"])
def test_default_model_however_spelled_is_reported_and_fixed_alike(tmp_path, monkeypatch, attribute):
    ai_core = (
        "class AICore:\n    def __init__(self):\n"
        f"        self.{attribute} = 'gpt-4.1'\n\n"
        "    def run_ai_request(self, prompt, model=None):\n"
        f"        active_model = model or self.{attribute}\n        return active_model\n"
    )
    before, result, after = fix_tree(tmp_path, monkeypatch, {"igny8_core/ai/ai_core.py": ai_core})
    flagged = [f for f in before.findings if f.kind == "default-model-fallback"]
    assert len(flagged) == 2 and all(f.fixable for f in flagged)
    assert after.findings == []
    assert (tmp_path / "igny8_core/ai/ai_core.py").read_text() == (
        "class AICore:\n    def __init__(self):\n        pass\n\n"
        "    def run_ai_request(self, prompt, model=None):\n"
        "        if not model:\n"
        '            raise ValueError("Model is required. Ensure IntegrationSettings is configured for the account.")\n'
        "        active_model = model\n        return active_model\n"
    )


def test_a_package_named_build_is_audited_and_fixed(tmp_path, monkeypatch):
    files = {
        "igny8_core/build/__init__.py": "",
        "igny8_core/build/helpers.py": "def unused():\n    return 1\n\ndef used():\n    return 2\n",
        "igny8_core/app.py": "from igny8_core.build.helpers import used\nused()\n",
    }
    before, result, after = fix_tree(tmp_path, monkeypatch, files)
    assert [(f.symbol, f.fixable) for f in before.findings] == [("igny8_core.build.helpers.unused", True)]
    assert [f.path for f in result.changed] == ["igny8_core/build/helpers.py"]
    assert after.findings == []


def test_apps_get_model_in_a_migration_does_not_keep_an_unused_get_model(tmp_path, monkeypatch):
    files = {
        "setup.cfg": "[igny8_refactor]\npaths = igny8_core\nexclude = igny8_core/*/migrations\n",
        "igny8_core/ai/settings.py": "def get_model(function_name):\n    return function_name\n",
        "igny8_core/planner/__init__.py": "",
        "igny8_core/planner/migrations/__init__.py": "",
        "igny8_core/planner/migrations/0002_data.py": (
            "from django.db import migrations\n\n\ndef forwards(apps, schema_editor):\n"
            "    Keywords = apps.get_model('planner', 'Keywords')\n    Keywords.objects.all()\n\n\n"
            "class Migration(migrations.Migration):\n    operations = [migrations.RunPython(forwards)]\n"
        ),
    }
    from igny8_refactor.audit.config import load_config

    write_tree(tmp_path, {**PLAN, **files})
    before, result, after = fix_tree(tmp_path, monkeypatch, {}, config=load_config(tmp_path))
    assert [(f.symbol, f.fixable) for f in before.findings] == [("igny8_core.ai.settings.get_model", True)]
    assert (tmp_path / "igny8_core/ai/settings.py").read_text().strip() == ""
    assert after.findings == []
    migration = tmp_path / "igny8_core/planner/migrations/0002_data.py"
    assert migration.read_text() == files["igny8_core/planner/migrations/0002_data.py"]


def test_an_aliased_get_model_config_import_gets_the_engine_guard(tmp_path, monkeypatch):
    engine = (
        "from igny8_core.ai.settings import get_model_config as gmc\n\nclass AIEngine:\n"
        "    def execute(self, n):\n        config = gmc(n, account=self.account)\n        return config\n"
    )
    settings = "def get_model_config(function_name, account=None):\n    return {}\n"
    files = {"igny8_core/ai/engine.py": engine, "igny8_core/ai/settings.py": settings}
    before, result, after = fix_tree(tmp_path, monkeypatch, files)
    assert [(f.code, f.fixable) for f in before.findings] == [("IG105", True)]
    assert (tmp_path / "igny8_core/ai/engine.py").read_text() == engine.replace(
        "        config = gmc(",
        '        if not self.account:\n            raise ValueError("Account is required for AI function execution")\n'
        "        config = gmc(",
    )
    assert after.findings == []


def test_a_module_passed_as_a_value_keeps_its_functions(tmp_path, monkeypatch):
    files = {
        "igny8_core/ai/settings.py": "def get_model(name):\n    return name\n",
        "igny8_core/loader.py": "import igny8_core.ai.settings as settings_module\n\n\ndef load(registry):\n"
        "    registry.append(settings_module)\n",
        "igny8_core/use.py": "from igny8_core.loader import load\n\n\ndef first(modules):\n"
        "    return modules[0].get_model('x')\n\n\nload([])\nfirst([])\n",
    }
    before, result, _ = fix_tree(tmp_path, monkeypatch, files)
    assert [f for f in before.findings if f.kind == "unused-function"] == []
    assert result.changed == []
    # without the module flowing anywhere, the same attribute is not a use
    (tmp_path / "igny8_core/loader.py").write_text("def load(registry):\n    registry.append(1)\n")
    again = run_audit(["."], Config(), use_cache=False, jobs=1)
    assert [f.symbol for f in again.findings if f.kind == "unused-function"] == ["igny8_core.ai.settings.get_model"]
