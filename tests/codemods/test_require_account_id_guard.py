"""RequireAccountIdGuard: run_ai_task refuses to run without an account_id."""
from __future__ import annotations

import textwrap

from libcst.codemod import CodemodTest

from codemods.require_account_id_guard import RequireAccountIdGuard
from codemod_helpers import legacy_source, run_codemod, target_source

GUARD = 'raise ValueError("account_id is required for AI task execution")'


def dedent(text: str) -> str:
    return textwrap.dedent(text).lstrip("\n")


class TestRequireAccountIdGuard(CodemodTest):
    TRANSFORM = RequireAccountIdGuard

    # -- no-op cases first ---------------------------------------------------------------
    def test_module_without_the_task_is_skipped(self) -> None:
        source = "def other(account_id):\n    return account_id\n"
        self.assertCodemod(source, source, expected_skip=True)

    def test_refactored_tasks_module_is_unchanged(self) -> None:
        assert run_codemod(RequireAccountIdGuard, target_source("tasks.py")).unchanged

    def test_already_guarded_with_is_none_is_unchanged(self) -> None:
        source = dedent("""
            def run_ai_task(function_name, payload, account_id=None):
                if account_id is None:
                    raise ValueError('missing')
                account = Account.objects.get(pk=account_id)
        """)
        self.assertCodemod(source, source)

    def test_task_without_account_id_is_declined_with_a_warning(self) -> None:
        source = "def run_ai_task(function_name, payload):\n    pass\n"
        self.assertCodemod(
            source, source, expected_warnings=["run_ai_task() has no `account_id` parameter; left as it is"]
        )

    # -- rewrites ------------------------------------------------------------------------
    def test_conditional_load_is_flattened_behind_the_guard(self) -> None:
        before = dedent("""
            def run_ai_task(function_name, payload, account_id=None):
                logger.info("start %s", account_id)

                account = None
                if account_id:
                    account = Account.objects.get(id=account_id)

                return run(account)
        """)
        after = dedent(f"""
            def run_ai_task(function_name, payload, account_id=None):
                logger.info("start %s", account_id)

                if not account_id:
                    {GUARD}
                account = Account.objects.get(id=account_id)

                return run(account)
        """)
        self.assertCodemod(before, after)

    def test_is_not_none_condition_without_none_default(self) -> None:
        before = dedent("""
            def run_ai_task(function_name, payload, account_id=None):
                if account_id is not None:
                    account = get_account(account_id)
                    log(account)
                return account
        """)
        after = dedent(f"""
            def run_ai_task(function_name, payload, account_id=None):
                if not account_id:
                    {GUARD}
                account = get_account(account_id)
                log(account)
                return account
        """)
        self.assertCodemod(before, after)

    def test_unconditional_load_gets_the_guard_before_it(self) -> None:
        before = dedent("""
            @shared_task(bind=True)
            def run_ai_task(self, function_name, payload, account_id):
                # load the account
                account: Account = Account.objects.select_related('plan').get(pk=account_id)
                return account
        """)
        after = dedent(f"""
            @shared_task(bind=True)
            def run_ai_task(self, function_name, payload, account_id):
                # load the account
                if not account_id:
                    {GUARD}
                account: Account = Account.objects.select_related('plan').get(pk=account_id)
                return account
        """)
        self.assertCodemod(before, after)

    def test_conditional_expression_load(self) -> None:
        before = dedent("""
            def run_ai_task(function_name, payload, account_id=None):
                account = Account.objects.get(id=account_id) if account_id else None
                return account
        """)
        after = dedent(f"""
            def run_ai_task(function_name, payload, account_id=None):
                if not account_id:
                    {GUARD}
                account = Account.objects.get(id=account_id)
                return account
        """)
        self.assertCodemod(before, after)

    def test_configured_task_name(self) -> None:
        before = "def run_batch(account_id):\n    account = load(account_id)\n"
        after = f"def run_batch(account_id):\n    if not account_id:\n        {GUARD}\n    account = load(account_id)\n"
        self.assertCodemod(before, after, functions=["run_batch"])


def test_legacy_tasks_module_becomes_the_target_byte_for_byte() -> None:
    assert run_codemod(RequireAccountIdGuard, legacy_source("tasks.py")).new == target_source("tasks.py")
