"""RequireAccountGuard: no get_model_config(...) call without an account check before it."""
from __future__ import annotations

import textwrap

from libcst.codemod import CodemodTest

from codemods.require_account_guard import RequireAccountGuard
from codemod_helpers import legacy_source, run_codemod, target_source

GUARD = 'raise ValueError("Account is required for AI function execution")'


def dedent(text: str) -> str:
    return textwrap.dedent(text).lstrip("\n")


SCOPES = ["m.f", "m.view", "m.View.get", "m.run", "m.get_model_config", "m.AIEngine.execute"]


class TestRequireAccountGuard(CodemodTest):
    TRANSFORM = RequireAccountGuard

    def assertCodemod(self, before, after, *args, **kwargs):  # the audit's flagged scopes, given
        kwargs.setdefault("scopes", SCOPES)
        super().assertCodemod(before, after, *args, **kwargs)

    # -- no-op cases first ---------------------------------------------------------------
    def test_module_without_the_call_is_skipped(self) -> None:
        self.assertCodemod("x = get_config(a, account=b)\n", "x = get_config(a, account=b)\n", expected_skip=True)

    def test_module_the_audit_did_not_flag_is_skipped(self) -> None:
        source = "def f(self):\n    return get_model_config('x', account=self.account)\n"
        self.assertCodemod(source, source, expected_skip=True, scopes=[])

    def test_function_the_audit_did_not_flag_is_left_alone(self) -> None:
        source = "def other(self):\n    return get_model_config('x', account=self.account)\n"
        self.assertCodemod(source, source)

    def test_refactored_engine_is_unchanged(self) -> None:
        run = run_codemod(RequireAccountGuard, target_source("engine.py"), module="igny8_core.ai.engine",
                          scopes=["igny8_core.ai.engine.AIEngine.execute"])
        assert run.unchanged

    def test_call_without_account_is_left_alone(self) -> None:
        source = "def f(name):\n    return get_model_config(name)\n"
        self.assertCodemod(source, source)

    def test_account_that_cannot_be_none_needs_no_guard(self) -> None:
        source = dedent("""
            def f(name, account):
                other = load()
                return get_model_config(name, account=account), get_model_config(name, account=other)
        """)
        self.assertCodemod(source, source)

    def test_guard_in_an_enclosing_block_counts(self) -> None:
        source = dedent("""
            class View:
                def get(self, request):
                    if not self.account:
                        return error()
                    try:
                        config = {n: get_model_config(n, account=self.account) for n in NAMES}
                    except ValueError:
                        pass
        """)
        self.assertCodemod(source, source)

    def test_enclosing_if_and_assert_count(self) -> None:
        source = dedent("""
            def run(self, name, account=None):
                if self.account is not None:
                    get_model_config(name, account=self.account)
                assert account
                return get_model_config(name, account=account)
        """)
        self.assertCodemod(source, source)

    def test_is_none_guard_counts(self) -> None:
        source = dedent("""
            def run(self, name):
                if self.account is None:
                    raise RuntimeError("no account")
                return get_model_config(name, self.account)
        """)
        self.assertCodemod(source, source)

    def test_explicit_none_account_is_declined_with_a_warning(self) -> None:
        source = "def f(name):\n    return get_model_config(name, account=None)\n"
        self.assertCodemod(source, source, expected_warnings=["get_model_config() is called with account=None; left as it is"])

    def test_the_definition_itself_is_not_guarded(self) -> None:
        source = dedent("""
            def get_model_config(function_name, account=None):
                return get_model_config(function_name, account=account)
        """)
        self.assertCodemod(source, source)

    # -- rewrites ------------------------------------------------------------------------
    def test_guard_inserted_before_keyword_call(self) -> None:
        before = dedent("""
            class AIEngine:
                def execute(self, fn):
                    validated = fn.validate()

                    model_config = get_model_config(fn.name, account=self.account)
                    return model_config
        """)
        after = dedent(f"""
            class AIEngine:
                def execute(self, fn):
                    validated = fn.validate()

                    if not self.account:
                        {GUARD}
                    model_config = get_model_config(fn.name, account=self.account)
                    return model_config
        """)
        self.assertCodemod(before, after)

    def test_positional_account_and_module_attribute_call(self) -> None:
        before = dedent("""
            from igny8_core.ai import settings as ai_settings


            def run(name, acct=None):
                return ai_settings.get_model_config(name, acct)['model']
        """)
        after = dedent(f"""
            from igny8_core.ai import settings as ai_settings


            def run(name, acct=None):
                if not acct:
                    {GUARD}
                return ai_settings.get_model_config(name, acct)['model']
        """)
        self.assertCodemod(before, after)

    def test_second_call_in_the_same_block_needs_no_second_guard(self) -> None:
        before = dedent("""
            def run(a, b, account=None):
                x = get_model_config(a, account=account)
                y = get_model_config(b, account=account)
        """)
        after = dedent(f"""
            def run(a, b, account=None):
                if not account:
                    {GUARD}
                x = get_model_config(a, account=account)
                y = get_model_config(b, account=account)
        """)
        self.assertCodemod(before, after)

    def test_guard_after_the_call_does_not_count(self) -> None:
        before = dedent("""
            def run(a):
                account = None
                x = get_model_config(a, account=account)
                if not account:
                    raise ValueError("late")
        """)
        after = dedent(f"""
            def run(a):
                account = None
                if not account:
                    {GUARD}
                x = get_model_config(a, account=account)
                if not account:
                    raise ValueError("late")
        """)
        self.assertCodemod(before, after)


def test_legacy_engine_becomes_the_target_byte_for_byte() -> None:
    run = run_codemod(RequireAccountGuard, legacy_source("engine.py"), module="igny8_core.ai.engine",
                      scopes=["igny8_core.ai.engine.AIEngine.execute"])
    assert run.new == target_source("engine.py")
