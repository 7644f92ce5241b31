"""fix's last check: a result that breaks an import the project had working is never written,
and an import that never worked is not blamed on the fix when the fix only makes it checked."""

from __future__ import annotations

import pytest
from codemod_helpers import LEGACY, PACKAGES, fix_tree, write_tree

from igny8_refactor.audit.config import Config
from igny8_refactor.codemods import pipeline

# the plan's get_model_config imports IntegrationSettings inside `if account:`, from a module
# this project does not have: the import never worked, and the rewrite takes it out of the `if`
LEGACY_SETTINGS = (LEGACY / "settings.py").read_text()
CALLER = "from igny8_core.ai.settings import get_model_config\n\nUSED = [get_model_config]\n"


def test_an_import_that_never_worked_is_not_blamed_on_the_fix(tmp_path):
    assert "from igny8_core.modules.system.models import IntegrationSettings" in LEGACY_SETTINGS
    write_tree(tmp_path, {**PACKAGES, "igny8_core/ai/settings.py": LEGACY_SETTINGS, "igny8_core/app.py": CALLER})
    result = fix_tree(tmp_path, only=["remove_model_config"])
    assert result.errors == []
    fixed = (tmp_path / "igny8_core/ai/settings.py").read_text()
    assert "MODEL_CONFIG" not in fixed and "IntegrationSettings" in fixed
    assert fix_tree(tmp_path, only=["remove_model_config"]).changed == []


HELPER = "def helper():\n    return 1\n\n\ndef other():\n    return 2\n"


@pytest.mark.parametrize(
    "importer",
    [
        "from pkg.mod import helper\n\nUSED = [helper]\n",
        "def run():\n    from pkg.mod import helper\n    return helper()\n\n\nUSED = [run]\n",  # inside a function: checked too
    ],
    ids=["module-level", "function-local"],
)
def test_a_result_that_breaks_a_working_import_is_refused(tmp_path, monkeypatch, importer):
    # a fault in the edit step (the rules never plan this): it deletes `helper`, which app.py imports
    write_tree(
        tmp_path,
        {
            "pkg/__init__.py": "",
            "pkg/mod.py": HELPER,
            "pkg/app.py": importer,
            "pkg/dead.py": "def unused():\n    pass\n",
        },
    )
    real = pipeline.apply_fixes

    def also_deletes_helper(data, *args, **kwargs):
        new = real(data, *args, **kwargs)
        return b"def other():\n    return 2\n" if data == HELPER.encode() else new

    monkeypatch.setattr(pipeline, "apply_fixes", also_deletes_helper)
    result = fix_tree(tmp_path, Config(internal=("pkg",), keep=()))
    assert any("the fix would break this import of `pkg.mod.helper`; nothing written" in e for e in result.errors), (
        result.errors
    )
    assert (tmp_path / "pkg/mod.py").read_text() == HELPER
    assert (tmp_path / "pkg/dead.py").read_text() == "def unused():\n    pass\n"  # all or nothing
