"""model-literal-default: a hardcoded model name used as a default, and its look-alikes."""
from __future__ import annotations

from audit.config import Config


def found(result):
    return [(f.line, f.column, f.symbol) for f in result.findings if f.kind == "model-literal-default"]


def test_get_with_a_model_default(audit_tree):
    code = "def get_model(config):\n    return config.get('model', 'gpt-4.1')\n\nget_model({})\n"
    assert found(audit_tree({"s.py": code})) == [(2, 32, "s.get_model")]


def test_fallback_dict_parameter_default_and_or(audit_tree):
    code = (
        "def f(prompt, model='gpt-4o-mini'):\n"
        "    default_config = {'model': 'gpt-4.1', 'max_tokens': 4000}\n"
        "    return model or 'o1-mini', default_config\n\nf('x')\n"
    )
    assert found(audit_tree({"s.py": code})) == [(1, 21, "s.f"), (2, 32, "s.f"), (3, 21, "s.f")]


def test_look_alikes_are_not_flagged(audit_tree):
    code = (
        "import logging\nlogger = logging.getLogger(__name__)\n"
        "MODEL_LABELS = {'gpt-4o-mini': 'GPT-4o mini', 'gpt-4.1': 'GPT-4.1'}\n"
        "def f(config, active_model):\n"
        "    logger.info('switching to gpt-4 for %s', 'gpt-4.1')\n"
        "    model = config.get('model')\n"
        "    tokens = config.get('max_tokens', 4000)\n"
        "    label = config.get('label', 'gpt-4.1')\n"
        "    return {'model': active_model}, model, tokens, label\n\nf({}, 'x')\n"
    )
    assert found(audit_tree({"s.py": code})) == []


def test_model_patterns_come_from_the_configuration(audit_tree):
    code = "def f(model='my-llm-large', other='gpt-4.1'):\n    return model\n\nf()\n"
    result = audit_tree({"s.py": code}, config=Config(model_patterns=(r"^my-llm-\w+$",)))
    assert found(result) == [(1, 13, "s.f")]


def test_data_dicts_are_not_defaults(audit_tree):
    code = (
        "def seed(IntegrationSettings, account):\n"
        "    IntegrationSettings.objects.create(account=account, config={'model': 'gpt-4o-mini'})\n"
        "    body = {'model': 'gpt-4.1', 'messages': []}\n"
        "    return body\n\n"
        "def reply():\n    return {'model': 'gpt-4o-mini', 'choices': []}\n\nseed(1, 2)\nreply()\n"
    )
    assert found(audit_tree({"s.py": code})) == []


def test_dicts_used_as_defaults(audit_tree):
    code = (
        "FALLBACK = {'chat': {'model': 'gpt-4o'}}\n"
        "def f(config, options={'model': 'gpt-4.1'}):\n"
        "    config.update({'model': 'gpt-4.1'})\n"
        "    config.setdefault('chat', {'model': 'o1-mini'})\n"
        "    merged = config.get('chat', {'model': 'gpt-4o-mini'})\n"
        "    return merged or {'model': 'gpt-4.1'}\n\n"
        "def default_settings():\n    return {'model': 'gpt-4.1'}\n\nf({})\ndefault_settings()\n"
    )
    assert [line for line, _, _ in found(audit_tree({"s.py": code}))] == [1, 2, 3, 4, 5, 6, 9]


def test_fixable_only_where_a_codemod_rewrites_it(audit_tree):
    settings = (
        "def get_model_config(name, account=None):\n"
        "    from igny8_core.modules.system.models import IntegrationSettings\n"
        "    default_config = {'model': 'gpt-4.1'}\n    return default_config\n\n"
        "def get_model(name):\n    return get_model_config(name).get('model', 'gpt-4.1')\n\n"
        "def used(model='gpt-4o'):\n    return model\n\nused()\n"
    )
    files = {
        "igny8_core/__init__.py": "",
        "igny8_core/ai/__init__.py": "",
        "igny8_core/ai/settings.py": settings,
        "igny8_core/other.py": settings,  # the same code outside the plan's settings module
        "lib/__init__.py": "def get_model(config):\n    return config.get('model', 'gpt-4.1')\n",
    }
    result = audit_tree(files)
    fixable = [(f.path, f.line, f.fixable) for f in result.findings if f.kind == "model-literal-default"]
    assert fixable == [
        ("igny8_core/ai/settings.py", 3, True),  # get_model_config is rewritten whole
        ("igny8_core/ai/settings.py", 7, True),  # get_model is unused: removed
        ("igny8_core/ai/settings.py", 9, False),  # a parameter default of a used function
        ("igny8_core/other.py", 3, False),  # not the plan's get_model_config: nothing rewrites it
        ("igny8_core/other.py", 7, True),  # unused: removed
        ("igny8_core/other.py", 9, False),
        ("lib/__init__.py", 2, False),  # not internal: a library's function stays
    ]
    notes = {(f.path, f.line): f.note for f in result.findings if f.kind == "model-literal-default" and not f.fixable}
    assert notes[("igny8_core/ai/settings.py", 9)] == "set the model in IntegrationSettings and remove this default by hand"


def test_constant_named_as_a_default(audit_tree):
    code = (
        "DEFAULT_MODEL = 'gpt-4.1'\nCHAT_MODEL = 'gpt-4o'\n"
        "class C:\n    def __init__(self):\n        self.fallback_model = 'o1-mini'\n        self._default_model = 'gpt-4.1'\n"
    )
    result = audit_tree({"s.py": code})
    assert [(line, symbol) for line, _, symbol in found(result)] == [(1, "s"), (5, "s.C.__init__")]
    assert [f.line for f in result.findings if f.kind == "default-model-fallback"] == [6]


def test_an_annotated_constant_named_as_a_default_is_flagged_like_a_plain_one(audit_tree):
    code = (
        "DEFAULT_MODEL: str = 'gpt-4.1'\nCHAT_MODEL: str = 'gpt-4o'\nFALLBACK_MODEL: str\n"
        "class C:\n    def __init__(self):\n        self.fallback_model: str = 'o1-mini'\n"
        "        self._default_model: str = 'gpt-4.1'\n"
    )
    result = audit_tree({"s.py": code})
    assert [(line, column, symbol) for line, column, symbol in found(result)] == [(1, 22, "s"), (6, 36, "s.C.__init__")]
    assert [f.line for f in result.findings if f.kind == "default-model-fallback"] == [7]
