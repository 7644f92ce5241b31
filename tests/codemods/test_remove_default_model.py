"""RemoveDefaultModel: the `_default_model` initialisation goes; the fallback becomes a guard."""
from __future__ import annotations

import textwrap

from libcst.codemod import CodemodTest

from codemods.remove_default_model import RemoveDefaultModel
from codemod_helpers import legacy_source, run_codemod, target_source

GUARD = 'raise ValueError("Model is required. Ensure IntegrationSettings is configured for the account.")'


def dedent(text: str) -> str:
    return textwrap.dedent(text).lstrip("\n")


class TestRemoveDefaultModel(CodemodTest):
    TRANSFORM = RemoveDefaultModel

    # -- no-op cases first ---------------------------------------------------------------
    def test_module_without_default_model_is_skipped(self) -> None:
        source = "class A:\n    def run(self, model):\n        return model\n"
        self.assertCodemod(source, source, expected_skip=True)

    def test_refactored_ai_core_is_unchanged(self) -> None:
        assert run_codemod(RemoveDefaultModel, target_source("ai_core.py")).skipped

    def test_other_reads_are_reported_not_rewritten(self) -> None:
        source = dedent("""
            class A:
                def model(self):
                    return self._default_model
        """)
        self.assertCodemod(
            source, source, expected_warnings=["`self._default_model` is still read here; remove that use by hand"]
        )

    def test_try_with_other_work_is_left_alone(self) -> None:
        source = dedent("""
            class A:
                def __init__(self):
                    try:
                        connect()
                        self._default_model = 'gpt-4.1'
                    except Exception:
                        self._default_model = None
        """)
        after = dedent("""
            class A:
                def __init__(self):
                    try:
                        connect()
                    except Exception:
                        pass
        """)
        # the try does other work: only the assignments inside it go
        self.assertCodemod(source, after)

    # -- rewrites ------------------------------------------------------------------------
    def test_try_except_around_settings_import_is_removed(self) -> None:
        before = dedent("""
            class AICore:
                def __init__(self, key):
                    self.key = key
                    # Model used when the caller passes none
                    try:
                        from django.conf import settings
                        self._default_model = getattr(settings, 'DEFAULT_AI_MODEL', 'gpt-4.1')
                    except:
                        self._default_model = 'gpt-4.1'

                def other(self):
                    pass
        """)
        after = dedent("""
            class AICore:
                def __init__(self, key):
                    self.key = key

                def other(self):
                    pass
        """)
        self.assertCodemod(before, after)

    def test_bare_getattr_with_aliased_settings_import(self) -> None:
        before = dedent("""
            from django.conf import settings as dj_settings


            class AICore:
                def __init__(self):
                    self.timeout = 3
                    self._default_model = getattr(dj_settings, "DEFAULT_AI_MODEL", "gpt-4.1")
        """)
        after = dedent("""
            class AICore:
                def __init__(self):
                    self.timeout = 3
        """)
        self.assertCodemod(before, after)

    def test_only_statement_of_init_becomes_pass(self) -> None:
        before = dedent("""
            from django.conf import settings


            class AICore:
                def __init__(self):
                    self._default_model = settings.DEFAULT_AI_MODEL
        """)
        after = dedent("""
            class AICore:
                def __init__(self):
                    pass
        """)
        self.assertCodemod(before, after)

    def test_plain_assignment_and_semicolons(self) -> None:
        before = dedent("""
            class AICore:
                def __init__(self):
                    self.a = 1; self._default_model = 'gpt-4o-mini'
        """)
        after = dedent("""
            class AICore:
                def __init__(self):
                    self.a = 1
        """)
        self.assertCodemod(before, after)

    def test_fallback_becomes_guard_and_plain_assignment(self) -> None:
        before = dedent("""
            class AICore:
                def run(self, prompt, model=None):
                    # pick the model
                    active_model = model or self._default_model
                    return active_model
        """)
        after = dedent(f"""
            class AICore:
                def run(self, prompt, model=None):
                    # pick the model
                    if not model:
                        {GUARD}
                    active_model = model
                    return active_model
        """)
        self.assertCodemod(before, after)

    def test_self_assignment_fallback_becomes_only_the_guard(self) -> None:
        before = dedent("""
            class AICore:
                def run(self, model=None):
                    model = model or self._default_model
                    return model
        """)
        after = dedent(f"""
            class AICore:
                def run(self, model=None):
                    if not model:
                        {GUARD}
                    return model
        """)
        self.assertCodemod(before, after)

    def test_conditional_expression_fallback(self) -> None:
        before = dedent("""
            class AICore:
                def run(self, model=None):
                    chosen = model if model else self._default_model
        """)
        after = dedent(f"""
            class AICore:
                def run(self, model=None):
                    if not model:
                        {GUARD}
                    chosen = model
        """)
        self.assertCodemod(before, after)

    def test_fallback_on_an_attribute(self) -> None:
        before = dedent("""
            class AICore:
                def run(self, cfg):
                    name: str = cfg.model or self._default_model
        """)
        after = dedent(f"""
            class AICore:
                def run(self, cfg):
                    if not cfg.model:
                        {GUARD}
                    name: str = cfg.model
        """)
        self.assertCodemod(before, after)


def test_legacy_ai_core_becomes_the_target_byte_for_byte() -> None:
    assert run_codemod(RemoveDefaultModel, legacy_source("ai_core.py")).new == target_source("ai_core.py")


def test_tab_indented_crlf_module_keeps_its_style() -> None:
    source = (
        "class A:\r\n"
        "\tdef __init__(self):\r\n"
        "\t\tself.x = 1  # keep me\r\n"
        "\t\tself._default_model = 'gpt-4.1'\r\n"
        "\r\n"
        "\tdef run(self, model=None):\r\n"
        "\t\tm = model or self._default_model\r\n"
        "\t\treturn m\r\n"
    )
    expected = (
        "class A:\r\n"
        "\tdef __init__(self):\r\n"
        "\t\tself.x = 1  # keep me\r\n"
        "\r\n"
        "\tdef run(self, model=None):\r\n"
        "\t\tif not model:\r\n"
        f"\t\t\t{GUARD}\r\n"
        "\t\tm = model\r\n"
        "\t\treturn m\r\n"
    )
    assert run_codemod(RemoveDefaultModel, source).new == expected.encode()
