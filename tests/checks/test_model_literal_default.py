"""model-literal-default: a hardcoded model name used as a default, and its look-alikes."""

from __future__ import annotations

from igny8_refactor.audit.config import Config


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
    assert (
        notes[("igny8_core/ai/settings.py", 9)]
        == "set the model in IntegrationSettings and remove this default by hand"
    )


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


# -- what a finding says, and what is and is not a default ----------------------------------
BY_HAND = "set the model in IntegrationSettings and remove this default by hand"


def described(result):
    return [
        (f.line, f.column, f.code, f.symbol, f.message, f.fixable, f.note)
        for f in result.findings
        if f.kind == "model-literal-default"
    ]


def test_the_message_names_the_literal_and_the_note_says_what_to_do(audit_tree):
    code = "def run(prompt, model='gpt-4o-mini'):\n    return prompt, model or 'o1' '-mini'\n\nrun('x')\n"
    assert described(audit_tree({"s.py": code})) == [
        (1, 23, "IG104", "s.run", "hardcoded model `gpt-4o-mini` is used as a default", False, BY_HAND),
        (2, 29, "IG104", "s.run", "hardcoded model `o1-mini` is used as a default", False, BY_HAND),
    ]


def test_lookups_with_a_literal_default(audit_tree):
    code = (
        "def f(cfg, store):\n"
        "    a = cfg.get('model', 'gpt-4.1')\n"
        "    b = cfg.setdefault('image_model', 'dall-e-3')\n"
        "    c = cfg.pop('chat_model', 'gpt-4o')\n"
        "    d = store.get('model', default='o1-mini')\n"  # a getter taking the default by name
        "    e = cfg.get(key='model')\n"
        "    g = lookup('model', 'gpt-4.1')\n"  # not a method lookup
        "    h = cfg.copy('model', 'gpt-4.1')\n"
        "    i = cfg.get('model')\n"
        "    return a, b, c, d, e, g, h, i\n\nf({}, {})\n"
    )
    assert [(line, column) for line, column, _ in found(audit_tree({"s.py": code}))] == [
        (2, 26),
        (3, 39),
        (4, 31),
        (5, 36),
    ]


def test_a_literal_other_rules_own_does_not_hide_the_defaults_after_it(audit_tree):
    # the literals inside the settings read, the `_default_model` value and the dict named by
    # `config_names` belong to other rules; the defaults after each are still this rule's
    code = (
        "from django.conf import settings\n\n"
        "class AICore:\n"
        "    def __init__(self):\n"
        "        self._default_model = getattr(settings, 'DEFAULT_AI_MODEL', 'gpt-4.1')\n"
        "        self.timeout = getattr(settings, 'DEFAULT_AI_MODEL', getattr(settings, 'DEFAULT_AI_MODEL', 'gpt-4o'))\n"
        "        self._default_model: str = 'gpt-4.1'\n"
        "        self.note: str = 'x'\n\n"
        "    def run(self, model='o1-mini'):\n"
        "        return model\n\n"
        "AI_DEFAULTS = {'chat': {'model': 'gpt-4.1'}}\n"
        "AI_DEFAULTS_TOO: dict = {'chat': {'model': 'gpt-4.1'}}\n"
        "def g(model='gpt-4o-mini'):\n    return model\n\nAICore().run()\ng()\n"
    )
    config = Config(config_names=("AI_DEFAULTS", "AI_DEFAULTS_TOO"))
    assert found(audit_tree({"s.py": code}, config=config)) == [(10, 25, "s.AICore.run"), (15, 13, "s.g")]


def test_an_annotated_value_that_is_not_skipped_does_not_hide_what_follows(audit_tree):
    code = "timeout: int = 30\nname: str = 'gpt-4.1'\n\ndef g(model='gpt-4o-mini'):\n    return model\n\ng()\n"
    assert found(audit_tree({"s.py": code})) == [(4, 13, "s.g")]


def test_constants_not_named_as_defaults_and_targets_without_a_name(audit_tree):
    code = (
        "CHAT_MODEL = 'gpt-4o'\nDEFAULT_TIMEOUT = 30\nDEFAULTS = {}\nDEFAULTS['chat'] = 'gpt-4.1'\n"
        "first, second = 'gpt-4.1', 'gpt-4o'\nDEFAULT_NAME = 'assistant'\n"
    )
    assert found(audit_tree({"s.py": code})) == []


def test_or_only_on_its_right_side(audit_tree):
    code = (
        "def f(model, cfg):\n"
        "    a = model and 'gpt-4.1'\n"
        "    b = 'gpt-4.1' or model\n"
        "    c = model or cfg\n"
        "    d = model or 'gpt-4.1'\n"
        "    return a, b, c, d\n\nf(1, 2)\n"
    )
    assert found(audit_tree({"s.py": code})) == [(5, 18, "s.f")]


def test_which_dicts_are_defaults(audit_tree):
    code = (
        "def f(cfg, api, chosen, overrides):\n"
        "    default_config: dict = {'model': 'gpt-4.1'}\n"  # 2: annotated, named as a default
        "    fallback = {}\n"
        "    fallback |= {'model': 'gpt-4o'}\n"  # 4: merged into a name saying so
        "    default_aliases = {'fast': 'gpt-4o-mini'}\n"  # a model under another key: not the model setting
        "    default_chosen = {'model': chosen}\n"  # not a literal
        "    send({'model': 'gpt-4.1'})\n"  # data passed to a function
        "    api.post(cfg, {'model': 'gpt-4.1'})\n"  # data passed to a method
        "    api.get({'model': 'gpt-4.1'}, timeout=5)\n"  # the first argument of a get is not its default
        "    both = overrides or {'model': 'o1-mini'}\n"  # 10: the right side of `or`
        "    left = {'model': 'gpt-4.1'} or overrides\n"
        "    only = overrides and {'model': 'gpt-4.1'}\n"
        "    listed = [{'model': 'gpt-4.1'}]\n"
        "    return both, left, only, listed, default_config, default_aliases, default_chosen\n\n"
        "f({}, None, 'x', {})\n"
    )
    result = audit_tree({"s.py": code})
    assert [(line, column) for line, column, _ in found(result)] == [(2, 38), (4, 27), (10, 35)]
    assert [f.message for f in result.findings if f.kind == "model-literal-default"] == [
        "hardcoded model `gpt-4.1` is used as a default",
        "hardcoded model `gpt-4o` is used as a default",
        "hardcoded model `o1-mini` is used as a default",
    ]


def test_a_dict_returned_by_a_function_named_as_a_default(audit_tree):
    code = (
        "def fallback_config():\n    if True:\n        return {'model': 'gpt-4.1'}\n\n"
        "def reply():\n    return {'model': 'gpt-4o-mini'}\n\n"
        "class Defaults:\n    def default_settings(self):\n        return {'chat': {'model': 'gpt-4o'}}\n\n"
        "fallback_config()\nreply()\nDefaults().default_settings()\n"
    )
    assert found(audit_tree({"s.py": code})) == [(3, 26, "s.fallback_config"), (10, 35, "s.Defaults.default_settings")]


def test_in_the_plans_get_model_config_the_literal_goes_with_the_rewrite(audit_tree):
    settings = (
        "FUNCTION_ALIASES = {}\n\n\n"
        "def get_model_config(function_name, account=None):\n"
        "    actual_name = FUNCTION_ALIASES.get(function_name, function_name)\n"
        "    return {'model': 'gpt-4.1'} if account is None else account.config.get('model', 'gpt-4o')\n"
    )
    files = {
        "igny8_core/__init__.py": "",
        "igny8_core/ai/__init__.py": "",
        "igny8_core/modules/__init__.py": "",
        "igny8_core/modules/system/__init__.py": "",
        "igny8_core/modules/system/models.py": "class IntegrationSettings:\n    objects = None\n",
        "igny8_core/ai/functions.py": "from igny8_core.ai.settings import get_model_config\n\nUSED = [get_model_config]\n",
        "igny8_core/ai/settings.py": settings,
    }
    result = audit_tree(files)
    symbol = "igny8_core.ai.settings.get_model_config"
    assert described(result) == [(6, 85, "IG104", symbol, "hardcoded model `gpt-4o` is used as a default", True, "")]
    [edit] = [f.edit for f in result.findings if f.kind == "model-literal-default"]
    assert (edit.start_line, edit.start_column, edit.end_line, edit.end_column) == (5, 5, 6, 94)
    assert (edit.removes, edit.needs) == ((), ("IntegrationSettings",))


def test_the_rule_runs_on_every_file_with_a_model_literal():
    from igny8_refactor.audit.checks.model_literal_default import ModelLiteralDefault
    from igny8_refactor.audit.records import ScanSettings

    settings = ScanSettings(("MODEL_CONFIG",), ("DEFAULT_AI_MODEL",), ("gpt-",))
    assert ModelLiteralDefault.triggers(settings) == (frozenset(), None, True)
