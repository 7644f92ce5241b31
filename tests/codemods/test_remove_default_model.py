"""RemoveDefaultModel: the `_default_model` initialisation goes; the fallback becomes a guard.

Every case runs the real `fix` pipeline on a tiny project with the code in the plan's
`igny8_core/ai/ai_core.py`, and compares the bytes it writes.
"""
from __future__ import annotations

import pytest

from codemod_helpers import dedent, fix_project, legacy_source, notes_of, target_source

AI_CORE = "igny8_core/ai/ai_core.py"
GUARD = 'raise ValueError("Model is required. Ensure IntegrationSettings is configured for the account.")'


def fixed(tmp_path, source: str | bytes, target: str = AI_CORE) -> bytes:
    return fix_project(tmp_path, {target: source}, target, only=["remove_default_model"])


# -- no-op cases first ---------------------------------------------------------------------
def test_module_without_default_model_is_unchanged(tmp_path) -> None:
    source = "class A:\n    def run(self, model):\n        return model\n"
    assert fixed(tmp_path, source) == source.encode()


def test_refactored_ai_core_is_unchanged(tmp_path) -> None:
    assert fixed(tmp_path, target_source("ai_core.py")) == target_source("ai_core.py")


def test_other_reads_are_reported_not_rewritten(tmp_path) -> None:
    source = dedent("""
        class A:
            def model(self):
                return self._default_model
    """)
    assert fixed(tmp_path, source) == source.encode()
    notes = notes_of(tmp_path)
    assert any("_default_model" in n and "a read the plan does not rewrite" in n for n in notes), notes


def test_same_code_outside_the_plans_ai_core_is_left_with_a_note(tmp_path) -> None:
    # new semantics: the plan's rewrites touch only the AI package's five files
    source = dedent("""
        class AICore:
            def __init__(self):
                self._default_model = 'gpt-4.1'

            def run(self, model=None):
                return model or self._default_model
    """)
    assert fixed(tmp_path, source, target="igny8_core/ai/client.py") == source.encode()
    notes = notes_of(tmp_path)
    assert notes and all("outside the plan's `igny8_core.ai.ai_core`" in n for n in notes), notes


# -- rewrites ------------------------------------------------------------------------------
REWRITES = [
    pytest.param(
        """
        class A:
            def __init__(self):
                try:
                    connect()
                    self._default_model = 'gpt-4.1'
                except Exception:
                    self._default_model = None
        """,
        """
        class A:
            def __init__(self):
                try:
                    connect()
                except Exception:
                    pass
        """,
        id="try-with-other-work-keeps-the-try",
    ),
    pytest.param(
        """
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
        """,
        """
        class AICore:
            def __init__(self, key):
                self.key = key

            def other(self):
                pass
        """,
        id="try-except-around-settings-import-removed",
    ),
    pytest.param(
        """
        from django.conf import settings as dj_settings


        class AICore:
            def __init__(self):
                self.timeout = 3
                self._default_model = getattr(dj_settings, "DEFAULT_AI_MODEL", "gpt-4.1")
        """,
        """
        class AICore:
            def __init__(self):
                self.timeout = 3
        """,
        id="bare-getattr-with-aliased-settings-import",
    ),
    pytest.param(
        """
        from django.conf import settings


        class AICore:
            def __init__(self):
                self._default_model = settings.DEFAULT_AI_MODEL
        """,
        """
        class AICore:
            def __init__(self):
                pass
        """,
        id="only-statement-of-init-becomes-pass",
    ),
    pytest.param(
        """
        class AICore:
            def __init__(self):
                self.a = 1; self._default_model = 'gpt-4o-mini'
        """,
        """
        class AICore:
            def __init__(self):
                self.a = 1
        """,
        id="plain-assignment-and-semicolons",
    ),
    pytest.param(
        """
        class AICore:
            def run(self, prompt, model=None):
                # pick the model
                active_model = model or self._default_model
                return active_model
        """,
        f"""
        class AICore:
            def run(self, prompt, model=None):
                # pick the model
                if not model:
                    {GUARD}
                active_model = model
                return active_model
        """,
        id="fallback-becomes-guard-and-plain-assignment",
    ),
    pytest.param(
        """
        class AICore:
            def run(self, model=None):
                model = model or self._default_model
                return model
        """,
        f"""
        class AICore:
            def run(self, model=None):
                if not model:
                    {GUARD}
                return model
        """,
        id="self-assignment-fallback-becomes-only-the-guard",
    ),
    pytest.param(
        """
        class AICore:
            def run(self, model=None):
                chosen = model if model else self._default_model
        """,
        f"""
        class AICore:
            def run(self, model=None):
                if not model:
                    {GUARD}
                chosen = model
        """,
        id="conditional-expression-fallback",
    ),
    pytest.param(
        """
        class AICore:
            def run(self, cfg):
                name: str = cfg.model or self._default_model
        """,
        f"""
        class AICore:
            def run(self, cfg):
                if not cfg.model:
                    {GUARD}
                name: str = cfg.model
        """,
        id="fallback-on-an-attribute",
    ),
    pytest.param(
        # issue 8: `default_model` without the underscore is the same attribute to audit and fix
        """
        class AICore:
            def __init__(self):
                self.default_model = 'gpt-4.1'

            def run(self, model=None):
                active_model = model or self.default_model
                return active_model
        """,
        f"""
        class AICore:
            def __init__(self):
                pass

            def run(self, model=None):
                if not model:
                    {GUARD}
                active_model = model
                return active_model
        """,
        id="default-model-without-underscore",
    ),
]


@pytest.mark.parametrize("before, after", REWRITES)
def test_rewrite(tmp_path, before: str, after: str) -> None:
    assert fixed(tmp_path, dedent(before)).decode() == dedent(after)


def test_legacy_ai_core_becomes_the_target_byte_for_byte(tmp_path) -> None:
    assert fixed(tmp_path, legacy_source("ai_core.py")) == target_source("ai_core.py")


def test_tab_indented_crlf_module_keeps_its_style(tmp_path) -> None:
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
    assert fixed(tmp_path, source.encode()) == expected.encode()
