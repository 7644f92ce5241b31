"""settings-fallback: reads of the configured fallback settings from Django settings, by qualified name."""

from __future__ import annotations

from pathlib import Path

import libcst as cst


def found(result, kind="settings-fallback"):
    return [(f.line, f.column, f.symbol) for f in result.findings if f.kind == kind]


def test_aliased_settings_import_is_flagged(audit_tree):
    result = audit_tree({"a.py": "from django.conf import settings as s\nm = s.DEFAULT_AI_MODEL\n"})
    assert found(result) == [(2, 5, "django.conf.settings.DEFAULT_AI_MODEL")]


def test_getattr_with_default_is_one_finding_not_two(audit_tree):
    result = audit_tree(
        {"a.py": "from django.conf import settings as s\nm = getattr(s, 'DEFAULT_AI_MODEL', 'gpt-4.1')\n"}
    )
    assert found(result) == [(2, 5, "django.conf.settings.DEFAULT_AI_MODEL")]
    assert [f.kind for f in result.findings] == ["settings-fallback"]


def test_import_inside_a_function_is_followed(audit_tree):
    code = "def f():\n    from django.conf import settings\n    return getattr(settings, 'DEFAULT_AI_MODEL')\n\nf()\n"
    assert found(audit_tree({"a.py": code})) == [(3, 12, "django.conf.settings.DEFAULT_AI_MODEL")]


def test_dotted_module_access_is_flagged(audit_tree):
    assert found(audit_tree({"a.py": "import django.conf\nm = django.conf.settings.DEFAULT_AI_MODEL\n"})) == [
        (2, 5, "django.conf.settings.DEFAULT_AI_MODEL")
    ]


def test_local_variable_named_settings_is_not_django_settings(audit_tree):
    code = (
        "from django.conf import settings\n\n"
        "def f(settings):\n    return settings.DEFAULT_AI_MODEL\n\n"
        "def g():\n    settings = {'DEFAULT_AI_MODEL': 1}\n    return getattr(settings, 'DEFAULT_AI_MODEL', None)\n"
    )
    assert found(audit_tree({"a.py": code})) == []


def test_other_settings_and_other_objects_are_not_flagged(audit_tree):
    code = (
        "from django.conf import settings\nimport config\n"
        "t = settings.OPENAI_TIMEOUT\nm = config.DEFAULT_AI_MODEL\nn = getattr(config, 'DEFAULT_AI_MODEL', 'gpt-4')\n"
    )
    assert found(audit_tree({"a.py": code})) == []


def test_setting_names_come_from_the_configuration(audit_tree):
    from igny8_refactor.audit.config import Config

    code = "from django.conf import settings\na = settings.AI_MODEL\nb = settings.DEFAULT_AI_MODEL\n"
    result = audit_tree({"a.py": code}, config=Config(fallback_settings=("AI_MODEL",)))
    assert found(result) == [(2, 5, "django.conf.settings.AI_MODEL")]


def test_getattr_is_known_by_what_it_resolves_to(audit_tree):
    code = (
        "import builtins\nfrom django.conf import settings\n"
        "a = builtins.getattr(settings, 'DEFAULT_AI_MODEL')\n"
        "b = helpers.getattr(settings, 'DEFAULT_AI_MODEL')\n"  # someone else's getattr
        "c = getattr(settings)\n"  # no setting named: not a read (and not a crash)
    )
    result = audit_tree({"a.py": code})
    assert found(result) == [(3, 5, "django.conf.settings.DEFAULT_AI_MODEL")]
    assert result.errors == []


# -- what a finding says, and the fix it carries --------------------------------------------
PLAN = {
    "igny8_core/__init__.py": "",
    "igny8_core/ai/__init__.py": "",
    "igny8_core/modules/__init__.py": "",
    "igny8_core/modules/system/__init__.py": "",
    "igny8_core/modules/system/models.py": "class IntegrationSettings:\n    objects = None\n",
    "igny8_core/ai/functions.py": "from igny8_core.ai.settings import get_model_config\n\nUSED = [get_model_config]\n",
}
SETTINGS = "igny8_core/ai/settings.py"
MESSAGE = "model default read from Django settings `DEFAULT_AI_MODEL`"
NOT_REWRITTEN = "a read the plan does not rewrite: take the model from IntegrationSettings"


def seed_function(name: str = "get_model_config") -> str:
    """The source of one module-level function of the plan's own settings.py (the fix's template)."""
    module = cst.parse_module((Path(__file__).parents[2] / "igny8_core" / "ai" / "settings.py").read_bytes())
    for statement in module.body:
        if isinstance(statement, cst.FunctionDef) and statement.name.value == name:
            return module.code_for_node(statement.with_changes(leading_lines=()))
    raise LookupError(name)


def described(result):
    return [
        (f.path, f.line, f.column, f.code, f.symbol, f.message, f.fixable, f.note)
        for f in result.findings
        if f.kind == "settings-fallback"
    ]


def test_a_read_outside_the_plans_rewrite_says_what_to_do(audit_tree):
    code = "from django.conf import settings\n\nm = settings.DEFAULT_AI_MODEL\nn = getattr(settings, 'DEFAULT_AI_MODEL', None)\n"
    result = audit_tree({"a.py": code})
    assert described(result) == [
        ("a.py", 3, 5, "IG102", "django.conf.settings.DEFAULT_AI_MODEL", MESSAGE, False, NOT_REWRITTEN),
        ("a.py", 4, 5, "IG102", "django.conf.settings.DEFAULT_AI_MODEL", MESSAGE, False, NOT_REWRITTEN),
    ]
    assert [f.edit for f in result.findings] == [None, None]


def test_the_message_names_the_configured_setting(audit_tree):
    from igny8_refactor.audit.config import Config

    code = "from django.conf import settings\n\nm = getattr(settings, 'AI_MODEL')\n"
    result = audit_tree({"a.py": code}, config=Config(fallback_settings=("AI_MODEL",)))
    assert [(f.symbol, f.message) for f in result.findings] == [
        ("django.conf.settings.AI_MODEL", "model default read from Django settings `AI_MODEL`"),
    ]


def test_a_read_inside_the_plans_get_model_config_is_fixed_by_the_rewrite(audit_tree):
    code = (
        "from django.conf import settings\n\nFUNCTION_ALIASES = {}\n\n\n"
        "def get_model_config(function_name, account=None):\n"
        "    actual_name = FUNCTION_ALIASES.get(function_name, function_name)\n"
        "    return {'model': settings.DEFAULT_AI_MODEL}\n\n\n"
        "def timeout():\n    return getattr(settings, 'DEFAULT_AI_MODEL', 30)\n\n\nUSED = [timeout]\n"
    )
    result = audit_tree({**PLAN, SETTINGS: code})
    assert described(result) == [
        (SETTINGS, 8, 22, "IG102", "django.conf.settings.DEFAULT_AI_MODEL", MESSAGE, True, ""),
        (SETTINGS, 12, 12, "IG102", "django.conf.settings.DEFAULT_AI_MODEL", MESSAGE, False, NOT_REWRITTEN),
    ]
    # the edit is the old body, which needs the model class
    edit = result.findings[0].edit
    assert (edit.start_line, edit.start_column, edit.end_line, edit.end_column) == (7, 5, 8, 48)
    assert (edit.removes, edit.needs) == ((), ("IntegrationSettings",))


def fixed(tmp_path, monkeypatch, write_files, files: dict[str, str], target: str) -> str:
    """`target`'s text after the real `fix` of the project `files` (which must succeed)."""
    from igny8_refactor.audit.config import Config
    from igny8_refactor.codemods.pipeline import run_fix

    write_files(files)
    monkeypatch.chdir(tmp_path)
    result = run_fix(["."], Config(), use_cache=False, jobs=1)
    assert not result.errors and not result.failed, (result.errors, [(f.path, f.error) for f in result.failed])
    return (tmp_path / target).read_text(encoding="utf-8")


def test_the_fix_rewrites_get_model_config_and_drops_the_settings_import(tmp_path, monkeypatch, write_files):
    code = (
        "from django.conf import settings\n\nFUNCTION_ALIASES = {}\n\n\n"
        "def get_model_config(function_name, account=None):\n"
        "    actual_name = FUNCTION_ALIASES.get(function_name, function_name)\n"
        "    return {'model': settings.DEFAULT_AI_MODEL}\n"
    )
    after = fixed(tmp_path, monkeypatch, write_files, {**PLAN, SETTINGS: code}, SETTINGS)
    assert after == "FUNCTION_ALIASES = {}\n\n\n" + seed_function()


def test_a_rewrite_the_plan_declines_gives_its_reason_as_the_note(audit_tree):
    code = (
        "from django.conf import settings\n\n\n"
        "def get_model_config(function_name):\n    return {'model': settings.DEFAULT_AI_MODEL}\n"
    )
    result = audit_tree({**PLAN, SETTINGS: code})
    [(line, fixable, note)] = [(f.line, f.fixable, f.note) for f in result.findings if f.kind == "settings-fallback"]
    assert (line, fixable, note) == (5, False, "`get_model_config` has no account parameter")


def test_the_rule_runs_on_files_that_spell_a_configured_setting_name():
    from igny8_refactor.audit.checks.settings_fallback import SettingsFallback
    from igny8_refactor.audit.records import ScanSettings

    settings = ScanSettings(("MODEL_CONFIG",), ("DEFAULT_AI_MODEL", "AI_MODEL"), ("gpt-",))
    # the names only: neither a name pattern nor every file with a model literal
    assert SettingsFallback.triggers(settings) == (frozenset({"DEFAULT_AI_MODEL", "AI_MODEL"}), None, False)
