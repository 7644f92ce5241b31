"""missing-account-guard: get_model_config with a possibly-None account, run_ai_task without account_id validation."""
from __future__ import annotations

import pytest


def found(result):
    return [(f.line, f.column, f.symbol, f.message) for f in result.findings if f.kind == "missing-account-guard"]


CALL = "model_config = get_model_config(function_name, account=self.account)"


@pytest.mark.parametrize(
    "guard",
    [
        "if not self.account:\n            raise ValueError('Account is required')",
        "if self.account is None:\n            return None",
        "assert self.account",
        "if self.account is None or not function_name:\n            raise ValueError('x')",
    ],
    ids=["if-not-raise", "is-none-return", "assert", "or-condition"],
)
def test_dominating_guard_is_accepted(audit_tree, guard):
    code = f"class E:\n    def execute(self, function_name):\n        {guard}\n        {CALL}\n"
    assert found(audit_tree({"e.py": code})) == []


def test_call_inside_if_account_is_accepted(audit_tree):
    code = f"class E:\n    def execute(self, function_name):\n        if self.account:\n            {CALL}\n"
    assert found(audit_tree({"e.py": code})) == []


def test_unguarded_attribute_is_flagged(audit_tree):
    code = f"class E:\n    def execute(self, function_name):\n        validated = 1\n        {CALL}\n"
    assert found(audit_tree({"e.py": code})) == [
        (4, 24, "e.E.execute", "`get_model_config` is called with `self.account` that may be None")
    ]


def test_guard_after_the_call_or_in_another_branch_does_not_count(audit_tree):
    code = (
        "class E:\n    def execute(self, function_name, flag):\n"
        "        if flag:\n            if not self.account:\n                raise ValueError('x')\n"
        f"        {CALL}\n        if not self.account:\n            raise ValueError('x')\n"
    )
    assert [line for line, *_ in found(audit_tree({"e.py": code}))] == [6]


def test_parameters_and_locals(audit_tree):
    code = (
        "def required(name, account):\n    return get_model_config(name, account=account)\n\n"
        "def optional(name, account=None):\n    return get_model_config(name, account)\n\n"
        "def loaded(name, account_id):\n    account = Account.objects.get(id=account_id)\n    return get_model_config(name, account=account)\n\n"
        "def maybe(name, account_id):\n    account = None\n    if account_id:\n        account = 1\n    return get_model_config(name, account=account)\n\n"
        "def literal(name):\n    return get_model_config(name, account=None)\n\n"
        "def without(name):\n    return get_model_config(name)\n"
    )
    assert [(line, symbol) for line, _, symbol, _ in found(audit_tree({"m.py": code}))] == [
        (5, "m.optional"),
        (15, "m.maybe"),
        (18, "m.literal"),
    ]


LEGACY_TASK = """\
from celery import shared_task

@shared_task(name='run_ai_task')
def run_ai_task(function_name, payload, account_id=None):
    logger.info("run_ai_task account_id=%s", account_id)
    account = None
    if account_id:
        account = Account.objects.get(id=account_id)
    return AIEngine(account=account).execute(function_name, payload)
"""

REFACTORED_TASK = """\
from celery import shared_task

@shared_task(name='run_ai_task')
def run_ai_task(function_name, payload, account_id=None):
    logger.info("run_ai_task account_id=%s", account_id)
    if not account_id:
        raise ValueError("account_id is required for AI task execution")
    account = Account.objects.get(id=account_id)
    return AIEngine(account=account).execute(function_name, payload)
"""


def test_legacy_task_is_flagged_at_the_first_unchecked_use(audit_tree):
    assert found(audit_tree({"tasks.py": LEGACY_TASK})) == [
        (7, 5, "tasks.run_ai_task", "`run_ai_task` uses `account_id` without checking that it is set")
    ]


def test_refactored_task_is_accepted(audit_tree):
    assert found(audit_tree({"tasks.py": REFACTORED_TASK})) == []


def test_other_celery_task_calling_the_engine_is_checked(audit_tree):
    code = LEGACY_TASK.replace("def run_ai_task", "def run_function")
    assert [symbol for _, _, symbol, _ in found(audit_tree({"tasks.py": code}))] == ["tasks.run_function"]


def test_task_not_calling_the_engine_is_not_checked(audit_tree):
    code = "from celery import shared_task\n\n@shared_task\ndef cleanup(account_id=None):\n    return Account.objects.filter(id=account_id)\n"
    assert found(audit_tree({"tasks.py": code})) == []


def test_continue_in_a_loop_guards_the_rest_of_the_body(audit_tree):
    code = (
        "def run_all(self, names):\n    for name in names:\n        if self.account is None:\n            continue\n"
        "        get_model_config(name, account=self.account)\n\n"
        "def run_some(self, names):\n    for name in names:\n        get_model_config(name, account=self.account)\n"
    )
    assert [symbol for _, _, symbol, _ in found(audit_tree({"m.py": code}))] == ["m.run_some"]
