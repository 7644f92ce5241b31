"""hardcoded-model-config: the MODEL_CONFIG dict and every use of it, through aliases."""
from __future__ import annotations

from audit.config import Config

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
    result = audit_tree({"a.py": "AI_TABLE = {}\nMODEL_CONFIG = {}\nx = AI_TABLE\n"}, config=Config(config_names=("AI_TABLE",)))
    assert [(line, col) for _, line, col, _ in found(result)] == [(1, 1), (3, 5)]


PLAN = {
    "igny8_core/__init__.py": "", "igny8_core/ai/__init__.py": "",
    "igny8_core/models.py": "class IntegrationSettings:\n    objects = None\n",
    "igny8_core/ai/functions.py": "from igny8_core.ai.settings import get_model_config\n\nUSED = [get_model_config]\n",
}
GET = "\ndef get_model_config(function_name, account=None):\n    return MODEL_CONFIG.get(function_name)\n"


def test_the_dict_is_fixable_when_the_rewrite_removes_its_only_use(audit_tree):
    result = audit_tree({**PLAN, "igny8_core/ai/settings.py": DEFINITION + GET})
    assert [(f.line, f.fixable, f.note) for f in result.findings if f.kind == "hardcoded-model-config"] == [
        (1, True, ""), (6, True, ""),
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


def test_a_dict_sharing_its_line_in_the_plans_settings_is_left_with_the_reason(audit_tree):
    result = audit_tree({**PLAN, "igny8_core/ai/settings.py": "MODEL_CONFIG = {}; OTHER = 1\n"})
    assert [(f.line, f.fixable, f.edit, f.note) for f in result.findings if f.kind == "hardcoded-model-config"] == [
        (1, False, None, "shares its line with other statements: remove it by hand"),
    ]
