"""hardcoded-model-config: the MODEL_CONFIG dict and every use of it, through aliases."""

from __future__ import annotations

import pytest

from igny8_refactor.audit.config import Config

DEFINITION = "MODEL_CONFIG = {\n    'auto_cluster': {'model': 'gpt-4o-mini', 'max_tokens': 4000},\n}\n"


def found(result):
    return [(f.path, f.line, f.column, f.symbol) for f in result.findings if f.kind == "hardcoded-model-config"]


def test_definition_and_uses_in_the_defining_module(audit_tree):
    code = DEFINITION + "\ndef get(name):\n    return MODEL_CONFIG.get(name, {}).copy()\n\nget('x')\n"
    result = audit_tree({"pkg/__init__.py": "", "pkg/settings.py": code})
    assert found(result) == [
        ("pkg/settings.py", 1, 1, "pkg.settings.MODEL_CONFIG"),
        ("pkg/settings.py", 6, 12, "pkg.settings.MODEL_CONFIG"),
    ]
    # the literals inside the dict belong to this check, not to model-literal-default
    assert [f.kind for f in result.findings] == ["hardcoded-model-config"] * 2


def test_aliased_and_attribute_uses_in_other_modules(audit_tree):
    files = {
        "pkg/__init__.py": "",
        "pkg/settings.py": DEFINITION,
        "pkg/a.py": "from pkg.settings import MODEL_CONFIG as MC\nconfig = MC['auto_cluster']\n",
        "pkg/b.py": "import pkg.settings as s\nconfig = s.MODEL_CONFIG['auto_cluster']\n",
        "pkg/c.py": "from .settings import MODEL_CONFIG\nconfig = dict(MODEL_CONFIG)\n",
    }
    assert found(audit_tree(files)) == [
        ("pkg/a.py", 2, 10, "pkg.settings.MODEL_CONFIG"),
        ("pkg/b.py", 2, 10, "pkg.settings.MODEL_CONFIG"),
        ("pkg/c.py", 2, 15, "pkg.settings.MODEL_CONFIG"),
        ("pkg/settings.py", 1, 1, "pkg.settings.MODEL_CONFIG"),
    ]


def test_look_alikes_are_not_flagged(audit_tree):
    code = (
        "MODEL_LABELS = {'gpt-4o-mini': 'GPT-4o mini'}\n\n"
        "def f(MODEL_CONFIG):\n    return MODEL_CONFIG.get('x')\n\n"
        "class C:\n    MODEL_CONFIG = {}\n\n"
        "def g():\n    MODEL_CONFIG = {}\n    return MODEL_CONFIG\n"
    )
    assert found(audit_tree({"a.py": code})) == []


def test_names_come_from_the_configuration(audit_tree):
    result = audit_tree(
        {"a.py": "AI_TABLE = {}\nMODEL_CONFIG = {}\nx = AI_TABLE\n"}, config=Config(config_names=("AI_TABLE",))
    )
    assert [(line, col) for _, line, col, _ in found(result)] == [(1, 1), (3, 5)]


PLAN = {
    "igny8_core/__init__.py": "",
    "igny8_core/ai/__init__.py": "",
    "igny8_core/models.py": "class IntegrationSettings:\n    objects = None\n",
    "igny8_core/ai/functions.py": "from igny8_core.ai.settings import get_model_config\n\nUSED = [get_model_config]\n",
}
GET = "\ndef get_model_config(function_name, account=None):\n    return MODEL_CONFIG.get(function_name)\n"


def test_the_dict_is_fixable_when_the_rewrite_removes_its_only_use(audit_tree):
    result = audit_tree({**PLAN, "igny8_core/ai/settings.py": DEFINITION + GET})
    assert [(f.line, f.fixable, f.note) for f in result.findings if f.kind == "hardcoded-model-config"] == [
        (1, True, ""),
        (6, True, ""),
    ]


def test_the_dict_stays_while_a_use_the_plan_does_not_rewrite_remains(audit_tree):
    later = "\n\nNAMES = list(MODEL_CONFIG)\n"
    result = audit_tree({**PLAN, "igny8_core/ai/settings.py": DEFINITION + GET + later})
    assert [(f.line, f.fixable, f.note) for f in result.findings if f.kind == "hardcoded-model-config"] == [
        (1, False, "`MODEL_CONFIG` is still used at igny8_core/ai/settings.py:9"),
        (6, True, ""),
        (9, False, "a use the plan does not rewrite: read the model from IntegrationSettings"),
    ]


def test_a_use_inside_a_dead_function_goes_with_it_and_does_not_keep_the_dict(audit_tree):
    dead = "\n\ndef dead(name):\n    return MODEL_CONFIG[name]\n"
    result = audit_tree({**PLAN, "igny8_core/ai/settings.py": DEFINITION + GET + dead})
    assert [(f.kind, f.line, f.fixable, f.note) for f in result.findings] == [
        ("hardcoded-model-config", 1, True, ""),
        ("hardcoded-model-config", 6, True, ""),
        ("unused-function", 9, True, ""),
        ("hardcoded-model-config", 10, True, ""),
    ]


def test_a_class_attribute_of_the_same_name_and_its_reads_are_not_the_modules_dict(audit_tree):
    code = (
        "class Defaults:\n    MODEL_CONFIG = {'x': {'model': 'gpt-4.1'}}\n    NAMES = list(MODEL_CONFIG)\n\n"
        "copy = dict(Defaults.MODEL_CONFIG)\n"
    )
    assert found(audit_tree({"a.py": code})) == []


# -- what a finding says, and the fix it carries --------------------------------------------
DEFINED = "`MODEL_CONFIG` is a hardcoded per-function model default"
USED = "`MODEL_CONFIG` (hardcoded model defaults) is used"
BY_HAND = "outside the plan's `igny8_core.ai.settings`: remove it by hand"
NOT_REWRITTEN = "a use the plan does not rewrite: read the model from IntegrationSettings"


def described(result):
    return [
        (f.path, f.line, f.column, f.code, f.symbol, f.message, f.fixable, f.note)
        for f in result.findings
        if f.kind == "hardcoded-model-config"
    ]


def test_outside_the_plan_every_finding_says_what_to_do(audit_tree):
    files = {
        "pkg/__init__.py": "",
        "pkg/settings.py": DEFINITION + "\nNAMES = sorted(MODEL_CONFIG)\n",
        "pkg/a.py": "from pkg.settings import MODEL_CONFIG as MC\nconfig = MC['auto_cluster']\n",
        "pkg/b.py": "import pkg.settings as s\nconfig = s.MODEL_CONFIG['auto_cluster']\n",
    }
    result = audit_tree(files)
    symbol = "pkg.settings.MODEL_CONFIG"
    assert described(result) == [
        ("pkg/a.py", 2, 10, "IG101", symbol, USED, False, NOT_REWRITTEN),  # named by the dict, not the alias
        ("pkg/b.py", 2, 10, "IG101", symbol, USED, False, NOT_REWRITTEN),
        ("pkg/settings.py", 1, 1, "IG101", symbol, DEFINED, False, BY_HAND),
        ("pkg/settings.py", 5, 16, "IG101", symbol, USED, False, NOT_REWRITTEN),
    ]
    assert [f.edit for f in result.findings] == [None] * 4


def test_the_note_names_the_configured_ai_package_and_the_message_the_configured_name(audit_tree):
    config = Config(config_names=("AI_TABLE",), ai_package="app.ai")
    result = audit_tree({"a.py": "AI_TABLE = {}\nx = AI_TABLE\n"}, config=config)
    assert [(f.line, f.message, f.note) for f in result.findings] == [
        (
            1,
            "`AI_TABLE` is a hardcoded per-function model default",
            "outside the plan's `app.ai.settings`: remove it by hand",
        ),
        (2, "`AI_TABLE` (hardcoded model defaults) is used", NOT_REWRITTEN),
    ]


def test_only_a_module_level_dict_is_a_definition_whatever_came_before_it(audit_tree):
    code = (
        "def f():\n    def inner():\n        pass\n    MODEL_CONFIG = {}\n    return MODEL_CONFIG\n\n"
        "class C:\n    class Inner:\n        pass\n    MODEL_CONFIG = {}\n\n"
        "MODEL_CONFIG = {'a': {'model': 'gpt-4.1'}}\n\n"
        "def g():\n    return 1\n\n"
        "class D:\n    pass\n\n"
        "MODEL_CONFIG: dict = {'b': {'model': 'gpt-4.1'}}\n"
        "OTHER = MODEL_CONFIG = {}\n"
    )
    assert found(audit_tree({"a.py": code})) == [
        ("a.py", 12, 1, "a.MODEL_CONFIG"),
        ("a.py", 20, 1, "a.MODEL_CONFIG"),
        ("a.py", 21, 9, "a.MODEL_CONFIG"),
    ]


def test_writes_to_the_name_are_not_uses_and_reads_are(audit_tree):
    code = (
        "MODEL_CONFIG = load()\nMODEL_CONFIG: dict = load()\nMODEL_CONFIG += {}\n"
        "copy: dict = MODEL_CONFIG\nMODEL_CONFIG['x'] = 1\n"
    )
    result = audit_tree({"a.py": code})
    assert [(f.line, f.column, f.message) for f in result.findings] == [(4, 14, USED), (5, 1, USED)]


def test_in_the_plans_settings_the_definition_is_deleted_and_the_use_rewritten(audit_tree):
    result = audit_tree({**PLAN, "igny8_core/ai/settings.py": DEFINITION + GET})
    symbol = "igny8_core.ai.settings.MODEL_CONFIG"
    path = "igny8_core/ai/settings.py"
    assert described(result) == [
        (path, 1, 1, "IG101", symbol, DEFINED, True, ""),
        (path, 6, 12, "IG101", symbol, USED, True, ""),
    ]
    definition, use = (f.edit for f in result.findings if f.kind == "hardcoded-model-config")
    # the whole statement goes, naming the dict it removes; the use goes with the old body
    assert (definition.start_line, definition.start_column, definition.end_line, definition.end_column) == (1, 1, 3, 2)
    assert (definition.removes, definition.needs) == (("MODEL_CONFIG",), ())
    assert (use.start_line, use.start_column, use.end_line, use.end_column) == (6, 5, 6, 43)
    assert (use.removes, use.needs) == ((), ("IntegrationSettings",))


def test_the_fix_deletes_the_dict_in_the_plans_settings(tmp_path, monkeypatch, write_files):
    from igny8_refactor.codemods.pipeline import run_fix

    files = {
        **PLAN,
        "igny8_core/ai/settings.py": "OTHER = 1\n\n# defaults\n" + DEFINITION + "LAST = 2\n",
        "igny8_core/ai/functions.py": "from igny8_core.ai.settings import OTHER, LAST\n\nUSED = [OTHER, LAST]\n",
    }
    write_files(files)
    monkeypatch.chdir(tmp_path)
    result = run_fix(["."], Config(), use_cache=False, jobs=1)
    assert not result.errors and not result.failed and not result.notes
    assert (
        tmp_path / "igny8_core/ai/settings.py"
    ).read_text() == "OTHER = 1\nLAST = 2\n"  # the dict goes with its comment and blank line


def test_a_dict_sharing_its_line_in_the_plans_settings_is_left_with_the_reason(audit_tree):
    result = audit_tree({**PLAN, "igny8_core/ai/settings.py": "MODEL_CONFIG = {}; OTHER = 1\n"})
    assert [(f.line, f.fixable, f.edit, f.note) for f in result.findings if f.kind == "hardcoded-model-config"] == [
        (1, False, None, "shares its line with other statements: remove it by hand"),
    ]


@pytest.mark.parametrize("module", ["", "app.defaults"])
def test_the_symbol_is_the_dotted_name_of_the_dict(module):
    from igny8_refactor.audit.records import ScanSettings
    from igny8_refactor.audit.rule_visitor import run_file_checks

    settings = ScanSettings(("MODEL_CONFIG",), ("DEFAULT_AI_MODEL",), ("gpt-",))
    reports = run_file_checks("MODEL_CONFIG = {}\nx = MODEL_CONFIG\n", module, False, settings)
    expected = f"{module}.MODEL_CONFIG" if module else "MODEL_CONFIG"
    assert [(r.line, r.column, r.symbol, r.message) for r in reports] == [
        (1, 1, expected, DEFINED),
        (2, 5, expected, USED),
    ]


def test_the_rule_runs_on_files_that_spell_a_configured_dict_name():
    from igny8_refactor.audit.checks.hardcoded_model_config import HardcodedModelConfig
    from igny8_refactor.audit.records import ScanSettings

    settings = ScanSettings(("MODEL_CONFIG", "AI_TABLE"), ("DEFAULT_AI_MODEL",), ("gpt-",))
    assert HardcodedModelConfig.triggers(settings) == (frozenset({"MODEL_CONFIG", "AI_TABLE"}), None, False)


def test_a_name_bound_both_by_the_import_and_locally_is_a_use_of_the_imported_dict(audit_tree):
    # the name has two qualified names (the import's and the function's local); whichever
    # LibCST lists first, the local one is passed over and the import's is the use
    code = (
        "def f():\n    if flag:\n        from pkg.settings import MODEL_CONFIG\n    else:\n        MODEL_CONFIG = {}\n"
        "    return MODEL_CONFIG\n\n\nf()\n"
    )
    result = audit_tree({"pkg/__init__.py": "", "pkg/settings.py": DEFINITION, "pkg/views.py": code})
    assert [f for f in found(result) if f[0] == "pkg/views.py"] == [
        ("pkg/views.py", 6, 12, "pkg.settings.MODEL_CONFIG")
    ]
