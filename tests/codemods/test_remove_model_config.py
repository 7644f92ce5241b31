"""RemoveModelConfig: MODEL_CONFIG goes, get_model_config reads IntegrationSettings only."""
from __future__ import annotations

import textwrap

import pytest
from libcst.codemod import CodemodContext, CodemodTest

from codemods.remove_model_config import RemoveModelConfig
from codemod_helpers import legacy_source, refactored_function, run_codemod, target_source

DEFAULTS = dict(config_names=["MODEL_CONFIG"], fallback_settings=["DEFAULT_AI_MODEL"], model_patterns=[r"^gpt-[\w.-]+$"], shared=[])
IMPORT = "from igny8_core.modules.system.models import IntegrationSettings\n"
NEW_FUNCTION = refactored_function("get_model_config")


def new_function(**renames: str) -> str:
    text = NEW_FUNCTION
    for old, new in renames.items():
        text = text.replace(old, new)
    return text


def dedent(text: str) -> str:
    return textwrap.dedent(text).lstrip("\n")


OLD_FUNCTION = dedent('''
    def get_model_config(function_name, account=None):
        """Old docstring."""
        actual_name = FUNCTION_ALIASES.get(function_name, function_name)
        config = MODEL_CONFIG.get(actual_name, {}).copy()
        if account:
            from igny8_core.modules.system.models import IntegrationSettings
            row = IntegrationSettings.objects.filter(account=account).first()
            if row:
                config.update(row.config)
        return config
''')


class TestRemoveModelConfig(CodemodTest):
    TRANSFORM = RemoveModelConfig

    # -- no-op cases first ---------------------------------------------------------------
    def test_module_without_config_or_function_is_skipped(self) -> None:
        self.assertCodemod("x = {'model': 1}\n", "x = {'model': 1}\n", expected_skip=True, **DEFAULTS)

    def test_refactored_settings_module_is_unchanged(self) -> None:
        from codemod_helpers import TARGET

        source = (TARGET / "settings.py").read_text()
        run = run_codemod(RemoveModelConfig, source, **DEFAULTS)
        assert run.unchanged

    def test_function_without_fallback_is_left_alone(self) -> None:
        before = dedent('''
            def get_model_config(function_name, account=None):
                return lookup(function_name, account)
        ''')
        self.assertCodemod(before, before, **DEFAULTS)

    def test_function_without_account_parameter_is_declined_with_a_warning(self) -> None:
        before = dedent('''
            def get_model_config(function_name):
                return MODEL_CONFIG[function_name]
        ''')
        self.assertCodemod(
            before, before, expected_warnings=["get_model_config has no account parameter; left as it is"], **DEFAULTS
        )

    def test_dict_still_used_elsewhere_is_kept_with_a_warning(self) -> None:
        before = dedent('''
            MODEL_CONFIG = {"a": {"model": "gpt-4.1"}}

            def names():
                return list(MODEL_CONFIG)
        ''')
        self.assertCodemod(before, before, expected_warnings=["`MODEL_CONFIG` is still used in this module; left in place"], **DEFAULTS)

    # -- rewrites ------------------------------------------------------------------------
    def test_plain_dict_and_its_comment_are_removed(self) -> None:
        before = dedent('''
            """Settings."""

            # Per-function defaults
            MODEL_CONFIG = {
                "auto_cluster": {"model": "gpt-4o-mini", "max_tokens": 4000},
            }
            OTHER = 1
        ''')
        after = dedent('''
            """Settings."""
            OTHER = 1
        ''')
        self.assertCodemod(before, after, **DEFAULTS)

    def test_annotated_single_quoted_dict_with_comments_inside_is_removed(self) -> None:
        before = dedent("""
            from typing import Any

            MODEL_CONFIG: dict[str, dict[str, Any]] = {
                # clustering
                'auto_cluster': {'model': 'gpt-4o-mini',  # cheap
                                 'temperature': 0.7,},
            }
            KEEP = True
        """)
        after = dedent("""
            KEEP = True
        """)
        # `typing.Any` fed only the annotation: it goes with the dict
        self.assertCodemod(before, after, **DEFAULTS)

    def test_deleted_dict_leaves_the_modules_own_all(self) -> None:
        before = dedent('''
            __all__ = [
                'MODEL_CONFIG',  # defaults
                'OTHER',
            ]
            MODEL_CONFIG = {}
            OTHER = 1
        ''')
        after = dedent('''
            __all__ = [
                'OTHER',
            ]
            OTHER = 1
        ''')
        self.assertCodemod(before, after, **DEFAULTS)

    def test_configured_dict_name_is_removed(self) -> None:
        before = "AI_DEFAULTS = {'x': {'model': 'gpt-4.1'}}\nMODEL_CONFIG = 1\n"
        after = "MODEL_CONFIG = 1\n"
        self.assertCodemod(before, after, config_names=["AI_DEFAULTS"], fallback_settings=[], model_patterns=[], shared=[])

    def test_dict_another_module_imports_is_kept_with_a_warning(self) -> None:
        before = "MODEL_CONFIG = {'x': {'model': 'gpt-4.1'}}\n"
        self.assertCodemod(
            before, before, expected_warnings=["`MODEL_CONFIG` is still imported by another module; left in place"],
            context_override=CodemodContext(full_module_name="igny8_core.ai.settings"),
            **{**DEFAULTS, "shared": ["igny8_core.ai.settings.MODEL_CONFIG"]},
        )

    def test_function_body_becomes_the_seed_logic_and_import_is_added(self) -> None:
        before = dedent('''
            """Settings."""

            FUNCTION_ALIASES = {"auto_generate_ideas": "generate_ideas"}

            MODEL_CONFIG = {"auto_cluster": {"model": "gpt-4o-mini"}}


        ''') + OLD_FUNCTION
        after = dedent('''
            """Settings."""
            from igny8_core.modules.system.models import IntegrationSettings

            FUNCTION_ALIASES = {"auto_generate_ideas": "generate_ideas"}


        ''') + NEW_FUNCTION
        self.assertCodemod(before, after, **DEFAULTS)

    def test_own_alias_dict_and_parameter_names_are_kept(self) -> None:
        before = dedent('''
            ALIASES = {}


            def get_model_config(name, acct=None):
                real = ALIASES.get(name, name)
                return {"model": getattr(settings, "DEFAULT_AI_MODEL", "gpt-4.1"), "for": real}
        ''')
        after = IMPORT + "\n" + dedent('''
            ALIASES = {}


        ''') + new_function(**{
            "(function_name, account=None)": "(name, acct=None)",
            "if not account:": "if not acct:",
            "account=account,": "account=acct,",
            "{account.id}": "{acct.id}",
            "FUNCTION_ALIASES.get(function_name, function_name)": "ALIASES.get(name, name)",
        })
        self.assertCodemod(before, after, **DEFAULTS)

    def test_without_alias_resolution_the_alias_step_is_left_out(self) -> None:
        before = dedent('''
            def get_model_config(function_name, account=None):
                return {"model": "gpt-4.1"}
        ''')
        run = run_codemod(RemoveModelConfig, before, **DEFAULTS)
        assert "FUNCTION_ALIASES" not in run.code and "actual_name" not in run.code
        assert "IntegrationSettings.objects.get(" in run.code

    def test_existing_integration_settings_import_is_not_duplicated(self) -> None:
        before = dedent('''
            from myproject.models import IntegrationSettings


            def get_model_config(function_name, account=None):
                return {"model": settings.DEFAULT_AI_MODEL}
        ''')
        run = run_codemod(RemoveModelConfig, before, **DEFAULTS)
        assert run.code.count("import IntegrationSettings") == 1
        assert run.code.startswith("from myproject.models import IntegrationSettings\n")

    def test_settings_import_used_only_by_the_old_body_is_dropped(self) -> None:
        before = dedent('''
            from django.conf import settings as dj


            def get_model_config(function_name, account=None):
                return {"model": dj.DEFAULT_AI_MODEL}
        ''')
        run = run_codemod(RemoveModelConfig, before, **DEFAULTS)
        assert "django.conf" not in run.code
        assert run.code.startswith(IMPORT)

    def test_settings_import_still_used_elsewhere_stays(self) -> None:
        before = dedent('''
            from django.conf import settings


            def get_model_config(function_name, account=None):
                return {"model": settings.DEFAULT_AI_MODEL}


            def timeout():
                return settings.OPENAI_TIMEOUT
        ''')
        run = run_codemod(RemoveModelConfig, before, **DEFAULTS)
        assert "from django.conf import settings\n" in run.code


def test_legacy_settings_module_gets_the_target_logic() -> None:
    run = run_codemod(RemoveModelConfig, legacy_source("settings.py"), **DEFAULTS)
    # everything of the target is there; the dead helpers are another codemod's job
    assert run.new.startswith(target_source("settings.py"))
    assert b"MODEL_CONFIG" not in run.new


@pytest.mark.parametrize("newline", ["\r\n", "\n"], ids=["crlf", "lf"])
def test_newlines_and_tabs_are_kept(newline: str) -> None:
    source = "MODEL_CONFIG = {\n\t'a': 1,\n}\n\n\ndef get_model_config(function_name, account=None):\n\treturn MODEL_CONFIG.get(function_name)\n"
    run = run_codemod(RemoveModelConfig, source.replace("\n", newline), **DEFAULTS)
    text = run.new.decode()
    assert "\tif not account:" in text and "    if not account" not in text
    assert text.count(newline) == text.count("\n")
