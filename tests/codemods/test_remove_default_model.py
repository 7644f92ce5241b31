"""remove_default_model (the default-model-fallback fix): the `_default_model` initialisation goes; the fallback becomes a guard.

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
                chosen = model or self._default_model
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


# -- which `try` is the initialisation's own (removed whole) and which only holds it ------------
def init(try_body: str, handler: str = "self._default_model = 'gpt-4.1'", tail: str = "") -> str:
    """An `__init__` whose only statement is a `try` around the given lines."""
    return (
        "class A:\n    def __init__(self):\n        try:\n"
        + "".join(f"            {line}\n" for line in try_body.splitlines())
        + "        except Exception:\n"
        + "".join(f"            {line}\n" for line in handler.splitlines())
        + tail
    )


INIT_REMOVED = "class A:\n    def __init__(self):\n        pass\n"

INITIALISATION_TRIES = [
    pytest.param(
        init("self._default_model: str = get()", "self._default_model: str = 'gpt-4.1'"),
        INIT_REMOVED,
        id="annotated-assignments",
    ),
    pytest.param(
        init("import django.conf\nself._default_model = django.conf.settings.DEFAULT_AI_MODEL"),
        INIT_REMOVED,
        id="import-of-django-conf-goes-with-it",
    ),
    pytest.param(
        init("import django\nself._default_model = django.conf.settings.DEFAULT_AI_MODEL"),
        INIT_REMOVED,
        id="import-of-django-goes-with-it",
    ),
    pytest.param(init("self._default_model = get()", "pass"), INIT_REMOVED, id="handler-that-only-passes"),
    pytest.param(
        init("try:\n    self._default_model = get()\nexcept KeyError:\n    self._default_model = None"),
        INIT_REMOVED,
        id="nested-initialisation-try",
    ),
    pytest.param(
        init(
            "self._default_model = get()",
            tail="        else:\n            self._default_model = pick(self._default_model)\n"
            "        finally:\n            pass\n",
        ),
        "class A:\n    def __init__(self):\n        pass\n",
        id="else-and-finally-that-only-initialise",
    ),
    # the try does other work too: only the assignments go (then the imports only they read), the
    # try stays (with `pass` where emptied)
    pytest.param(
        init("from other.conf import settings\nself._default_model = settings.X"),
        init("pass", "pass"),
        id="import-from-another-conf-module-is-other-work",
    ),
    pytest.param(
        init("from django.utils import timezone\nself._default_model = timezone.X"),
        init("pass", "pass"),
        id="import-of-another-django-module-is-other-work",
    ),
    pytest.param(
        init("import os\nself._default_model = os.environ['M']"),
        init("pass", "pass"),
        id="import-of-another-package-is-other-work",
    ),
    pytest.param(
        init("import djangoish\nself._default_model = djangoish.M"),
        init("pass", "pass"),
        id="package-whose-name-starts-like-django-is-other-work",
    ),
    pytest.param(
        init("self._default_model = get()", "log('no model')"),
        init("pass", "log('no model')"),
        id="handler-with-other-work",
    ),
    pytest.param(
        init("self._default_model = get()", "pass\nclose()"),
        init("pass", "pass\nclose()"),
        id="handler-passing-then-working",
    ),
    pytest.param(
        init("if flag:\n    self._default_model = get()"),
        init("if flag:\n    pass", "pass"),
        id="compound-statement-in-the-try",
    ),
    pytest.param(
        init("try:\n    connect()\nexcept KeyError:\n    pass\nself._default_model = get()"),
        init("try:\n    connect()\nexcept KeyError:\n    pass", "pass"),
        id="nested-try-doing-other-work",
    ),
    pytest.param(
        init("self._default_model = get()", tail="        else:\n            connect()\n"),
        init("pass", "pass", tail="        else:\n            connect()\n"),
        id="else-with-other-work",
    ),
    pytest.param(
        init("self._default_model = get()", tail="        finally:\n            close()\n"),
        init("pass", "pass", tail="        finally:\n            close()\n"),
        id="finally-with-other-work",
    ),
    pytest.param(
        init("from django.conf import settings", "self._default_model = 'gpt-4.1'"),
        init("from django.conf import settings", "pass"),
        id="try-that-only-imports-is-not-the-initialisation",
    ),
    pytest.param(
        "class A:\n    def __init__(self):\n        try:\n            pass\n        except Exception:\n            pass\n"
        "        self._default_model = 'x'\n",
        "class A:\n    def __init__(self):\n        try:\n            pass\n        except Exception:\n            pass\n",
        id="try-that-sets-nothing-is-not-the-initialisation",
    ),
]


@pytest.mark.parametrize("before, after", INITIALISATION_TRIES)
def test_initialisation_try(tmp_path, before: str, after: str) -> None:
    assert fixed(tmp_path, before).decode() == after


def test_augmented_assignment_is_a_read_reported_and_left(tmp_path) -> None:
    source = init("self._default_model += get()", "pass")
    assert fixed(tmp_path, source).decode() == source
    notes = notes_of(tmp_path)
    assert [n.split(": note: ", 1)[1] for n in notes] == [
        "IG103 `igny8_core.ai.ai_core.A._default_model` left as it is: "
        "a read the plan does not rewrite: pass the model from IntegrationSettings instead"
    ], notes


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


def run_method(body: str) -> str:
    return "class A:\n    def run(self, model=None):\n" + "".join(f"        {line}\n" for line in body.splitlines())


MODEL_GUARD = f"if not model:\n    {GUARD}"


@pytest.mark.parametrize(
    "before, after",
    [
        pytest.param(
            "a = b = model or self._default_model\nreturn a",
            f"{MODEL_GUARD}\na = b = model\nreturn a",
            id="several-targets",
        ),
        pytest.param(
            "model = m2 = model or self._default_model\nreturn model",
            f"{MODEL_GUARD}\nmodel = m2 = model\nreturn model",
            id="several-targets-one-of-them-the-model",
        ),
        pytest.param(
            "m = (model) or self._default_model\nreturn m",
            f"if not (model):\n    {GUARD}\nm = model\nreturn m",
            id="parenthesised-model-name",
        ),
        pytest.param(
            "m = (cfg.model) or self._default_model\nreturn m",
            f"if not (cfg.model):\n    {GUARD}\nm = (cfg.model)\nreturn m",
            id="parenthesised-expression-kept-as-written",
        ),
    ],
)
def test_fallback_assignment_shapes(tmp_path, before: str, after: str) -> None:
    assert fixed(tmp_path, run_method(before)).decode() == run_method(after)


@pytest.mark.parametrize(
    "body, column, why",
    [
        ("return model or self._default_model", 16, "not a plain `x = model or ...` assignment"),
        ("x = 1; m = model or self._default_model\nreturn m", 20, "not a plain `x = model or ...` assignment"),
        ("m = call(model or self._default_model)\nreturn m", 18, "not a plain `x = model or ...` assignment"),
        (
            "m = self._default_model or model\nreturn m",
            13,
            "a read the plan does not rewrite: pass the model from IntegrationSettings instead",
        ),
        (
            "m = model and self._default_model\nreturn m",
            23,
            "a read the plan does not rewrite: pass the model from IntegrationSettings instead",
        ),
        (
            "m = model if other else self._default_model\nreturn m",
            33,
            "a read the plan does not rewrite: pass the model from IntegrationSettings instead",
        ),
    ],
)
def test_fallbacks_the_plan_does_not_rewrite_are_left_with_why(tmp_path, body: str, column: int, why: str) -> None:
    source = run_method(body)
    assert fixed(tmp_path, source).decode() == source
    assert notes_of(tmp_path) == [
        f"{AI_CORE}:3:{column}: note: IG103 `igny8_core.ai.ai_core.A._default_model` left as it is: {why}"
    ]
