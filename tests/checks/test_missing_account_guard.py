"""missing-account-guard: the plan's two guards (engine, run_ai_task), and get_model_config called without an account."""

from __future__ import annotations

import pytest

ENGINE = "igny8_core/ai/engine.py"
TASKS = "igny8_core/ai/tasks.py"
IMPORT = "from igny8_core.ai.settings import get_model_config\n"
CALL = "model_config = get_model_config(function_name, account=self.account)"


def found(result):
    return [(f.line, f.column, f.symbol, f.message) for f in result.findings if f.kind == "missing-account-guard"]


def engine(body: str) -> dict[str, str]:
    return {ENGINE: IMPORT + "class AIEngine:\n    def execute(self, function_name, flag=None):\n" + body}


@pytest.mark.parametrize(
    "guard",
    [
        "if not self.account:\n            raise ValueError('Account is required')",
        "if self.account is None:\n            return None",
        "assert self.account",
        "if self.account is None or not function_name:\n            raise ValueError('x')",
        "if not function_name or not self.account:\n            raise ValueError('x')",
        "if not self .account:\n            raise ValueError('x')",
        "if self.account == None:\n            return None",
        "if not self.account: raise ValueError('x')",
        "assert self.account; assert function_name",
        "assert function_name and self.account",
        "assert self.account != None",
    ],
    ids=[
        "if-not-raise",
        "is-none-return",
        "assert",
        "or-condition-left",
        "or-condition-right",
        "spaced-attribute",
        "eq-none-return",
        "one-line-suite",
        "second-assert-on-a-line",
        "assert-and",
        "assert-ne-none",
    ],
)
def test_dominating_guard_is_accepted(audit_tree, guard):
    assert found(audit_tree(engine(f"        {guard}\n        {CALL}\n"))) == []


def test_call_inside_if_account_is_accepted(audit_tree):
    assert found(audit_tree(engine(f"        if self.account:\n            {CALL}\n"))) == []


@pytest.mark.parametrize(
    "test",
    [
        "self.account and function_name",
        "function_name and self.account",
        "self.account is not None",
        "self.account != None",
    ],
)
def test_call_inside_an_if_that_proves_the_account_is_accepted(audit_tree, test):
    assert found(audit_tree(engine(f"        if {test}:\n            {CALL}\n"))) == []


MAY_BE_NONE = "`get_model_config` is called with `self.account` that may be None"


@pytest.mark.parametrize(
    "test",
    [
        "self.account is None",
        "self.account or function_name",
        "ready(self.account)",
        "0 < self.account < 9",
    ],
)
def test_call_inside_an_if_that_does_not_prove_the_account_is_flagged(audit_tree, test):
    assert found(audit_tree(engine(f"        if {test}:\n            {CALL}\n"))) == [
        (5, 28, "igny8_core.ai.engine.AIEngine.execute", MAY_BE_NONE),
    ]


@pytest.mark.parametrize(
    "statement",
    [
        "if not self.account:\n            logger.warning('no account')",  # the branch goes on
        "if self.account is not None:\n            return None",  # proves the opposite
        "if self.account != None:\n            return None",
        "if not self.account and not function_name:\n            raise ValueError('x')",  # neither alone
        "if function_name:\n            return None",
        "if not self.account:\n            raise ValueError('x')\n        else:\n            pass",
        "assert self.account or function_name",
        "assert self.account is None",
    ],
)
def test_a_statement_that_does_not_prove_the_account_is_no_guard(audit_tree, statement):
    line = 4 + statement.count("\n") + 1
    assert found(audit_tree(engine(f"        {statement}\n        {CALL}\n"))) == [
        (line, 24, "igny8_core.ai.engine.AIEngine.execute", MAY_BE_NONE),
    ]


def test_guard_inside_try_is_accepted(audit_tree):
    body = f"        try:\n            if not self.account:\n                raise ValueError('x')\n            {CALL}\n        except KeyError:\n            pass\n"
    assert found(audit_tree(engine(body))) == []


def test_unguarded_attribute_is_flagged(audit_tree):
    assert found(audit_tree(engine(f"        validated = 1\n        {CALL}\n"))) == [
        (
            5,
            24,
            "igny8_core.ai.engine.AIEngine.execute",
            "`get_model_config` is called with `self.account` that may be None",
        )
    ]


def test_guard_after_the_call_or_in_another_branch_does_not_count(audit_tree):
    body = (
        "        if flag:\n            if not self.account:\n                raise ValueError('x')\n"
        f"        {CALL}\n        if not self.account:\n            raise ValueError('x')\n"
    )
    assert [line for line, *_ in found(audit_tree(engine(body)))] == [7]


def test_call_is_recognised_through_an_alias_and_a_relative_import(audit_tree):
    files = {
        ENGINE: "from .settings import get_model_config as gmc\n"
        "class AIEngine:\n    def execute(self, name):\n        return gmc(name, account=self.account)\n",
        "igny8_core/__init__.py": "",
        "igny8_core/ai/__init__.py": "",
    }
    assert [symbol for _, _, symbol, _ in found(audit_tree(files))] == ["igny8_core.ai.engine.AIEngine.execute"]


def test_a_function_only_named_get_model_config_is_not_the_plans(audit_tree):
    files = {
        ENGINE: "from vendor.sdk import get_model_config\n"
        "class AIEngine:\n    def execute(self, name):\n        return get_model_config(name)\n"
    }
    assert found(audit_tree(files)) == []


def test_views_with_a_possibly_none_account_are_fine_and_without_one_are_flagged(audit_tree):
    files = {
        "igny8_core/modules/planner/views.py": IMPORT
        + "def cluster(request):\n    return get_model_config('auto_cluster', account=request.account)\n\n"
        "def broken(request):\n    return get_model_config('auto_cluster')\n\n"
        "def literal(request):\n    return get_model_config('auto_cluster', account=None)\n\n"
        "def forwarded(request, **kwargs):\n    return get_model_config('auto_cluster', **kwargs)\n\n"
        "urlpatterns = [cluster, broken, literal, forwarded]\n",
    }
    result = audit_tree(files)
    assert [(line, symbol) for line, _, symbol, _ in found(result)] == [
        (6, "igny8_core.modules.planner.views.broken"),
        (9, "igny8_core.modules.planner.views.literal"),
    ]
    assert all(not f.fixable for f in result.findings if f.kind == "missing-account-guard")


def test_parameters_and_locals_in_the_engine(audit_tree):
    files = {
        ENGINE: IMPORT
        + (
            "def required(name, account):\n    return get_model_config(name, account=account)\n\n"
            "def optional(name, account=None):\n    return get_model_config(name, account)\n\n"
            "def loaded(name, account_id):\n    account = Account.objects.get(id=account_id)\n    return get_model_config(name, account=account)\n\n"
            "def maybe(name, account_id):\n    account = None\n    if account_id:\n        account = 1\n    return get_model_config(name, account=account)\n"
        )
    }
    assert [(line, symbol) for line, _, symbol, _ in found(audit_tree(files))] == [
        (6, "igny8_core.ai.engine.optional"),
        (16, "igny8_core.ai.engine.maybe"),
    ]


def test_continue_in_a_loop_guards_the_rest_of_the_body(audit_tree):
    files = {
        ENGINE: IMPORT
        + (
            "def run_all(self, names):\n    for name in names:\n        if self.account is None:\n            continue\n"
            "        get_model_config(name, account=self.account)\n\n"
            "def run_some(self, names):\n    for name in names:\n        get_model_config(name, account=self.account)\n"
        )
    }
    assert [symbol for _, _, symbol, _ in found(audit_tree(files))] == ["igny8_core.ai.engine.run_some"]


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

TRY_TASK = """\
@shared_task
def run_ai_task(function_name, payload, account_id=None):
    try:
        account = None
        if account_id:
            account = Account.objects.get(id=account_id)
        return AIEngine(account=account).execute(function_name, payload)
    except Exception:
        logger.exception("failed")
        raise
"""


def test_legacy_task_is_flagged_at_the_first_unchecked_use(audit_tree):
    assert found(audit_tree({TASKS: LEGACY_TASK})) == [
        (7, 5, "igny8_core.ai.tasks.run_ai_task", "`run_ai_task` uses `account_id` without checking that it is set")
    ]


def test_refactored_task_is_accepted(audit_tree):
    assert found(audit_tree({TASKS: REFACTORED_TASK})) == []


def test_task_body_inside_try_is_flagged_and_a_guard_there_is_accepted(audit_tree):
    assert [line for line, *_ in found(audit_tree({TASKS: TRY_TASK}))] == [5]
    guarded = TRY_TASK.replace(
        "    try:\n", "    try:\n        if not account_id:\n            raise ValueError('account_id is required')\n"
    )
    assert found(audit_tree({TASKS: guarded})) == []


def test_a_task_outside_the_plans_tasks_module_is_not_checked(audit_tree):
    assert found(audit_tree({"igny8_core/modules/writer/tasks.py": LEGACY_TASK})) == []


def test_other_task_in_the_tasks_module_is_not_checked(audit_tree):
    code = LEGACY_TASK.replace("def run_ai_task", "def run_function")
    assert found(audit_tree({TASKS: code})) == []


@pytest.mark.parametrize(
    "first, line",
    [
        ("print('start', account_id)", 3),  # printing it is no use: the load is
        ("logger.info('start %s', account_id)", 3),
        ("validate(account_id)", 2),
        ("account_id", 2),
        ("self.check(account_id)", 2),
    ],
    ids=["print", "logger", "other-call", "bare-name", "method-call"],
)
def test_the_first_use_of_account_id_is_the_first_that_is_not_logging(audit_tree, first, line):
    code = f"def run_ai_task(function_name, payload, account_id=None):\n    {first}\n    account = load(account_id)\n"
    assert found(audit_tree({TASKS: code})) == [
        (line, 5, "igny8_core.ai.tasks.run_ai_task", "`run_ai_task` uses `account_id` without checking that it is set"),
    ]


WITHOUT = "`get_model_config` is called without an account: it always raises after the refactor"


def test_which_argument_is_the_account_and_what_each_finding_says(audit_tree):
    files = {
        ENGINE: IMPORT
        + (
            "def positional_none(name):\n    return get_model_config(name, None)\n\n"
            "def other_keyword(name, acct=None):\n    return get_model_config(name, acct=acct)\n\n"
            # the account is the second argument: here a required parameter, never None
            "def third_positional(name, flag, account=None):\n    return get_model_config(name, flag, account)\n\n"
            "def star(name, args):\n    return get_model_config(name, *args)\n\n"
            "def spaced(self, name):\n    return get_model_config(name, account=self. account)\n\n"
            "USED = [positional_none, other_keyword, third_positional, star, spaced]\n"
        )
    }
    result = audit_tree(files)
    guards = [f for f in result.findings if f.kind == "missing-account-guard"]
    assert [(f.line, f.column, f.code, f.symbol, f.message, f.fixable, f.note) for f in guards] == [
        (
            3,
            12,
            "IG105",
            "igny8_core.ai.engine.positional_none",
            WITHOUT,
            False,
            "pass the account the call is made for",
        ),
        (6, 12, "IG105", "igny8_core.ai.engine.other_keyword", WITHOUT, False, "pass the account the call is made for"),
        (
            15,
            12,
            "IG105",
            "igny8_core.ai.engine.spaced",
            "`get_model_config` is called with `self.account` that may be None",
            True,
            "",
        ),
    ]


def test_which_accounts_may_be_none_in_the_engine(audit_tree):
    files = {
        ENGINE: IMPORT
        + (
            "def posonly(name, account=None, /):\n    return get_model_config(name, account)\n\n"
            "def kwonly(name, *, account=None):\n    return get_model_config(name, account=account)\n\n"
            "def kwonly_required(name, *, account):\n    return get_model_config(name, account=account)\n\n"
            "def other_default(name, account=DEFAULT):\n    return get_model_config(name, account=account)\n\n"
            "def computed(name):\n    return get_model_config(name, account=current())\n\n"
            "def item(name, accounts):\n    return get_model_config(name, account=accounts[0])\n\n"
            "def reset_elsewhere(name, account_id):\n    account = load(account_id)\n    other = None\n"
            "    return get_model_config(name, account=account)\n\n"
            "CONFIG = get_model_config('x', account=default_account)\n"
            "SETTINGS = get_model_config('x', account=settings.account)\n"
        )
    }
    assert [(line, symbol, message) for line, _, symbol, message in found(audit_tree(files))] == [
        (3, "igny8_core.ai.engine.posonly", "`get_model_config` is called with `account` that may be None"),
        (6, "igny8_core.ai.engine.kwonly", "`get_model_config` is called with `account` that may be None"),
        (26, "igny8_core.ai.engine", "`get_model_config` is called with `settings.account` that may be None"),
    ]


def test_run_ai_task_is_checked_only_as_a_module_level_function_with_the_parameter(audit_tree):
    code = (
        "class Runner:\n    def run_ai_task(self, account_id=None):\n        return load(account_id)\n\n\n"
        "def run_ai_task(function_name, *, account_id=None):\n    return load(account_id)\n"
    )
    assert found(audit_tree({TASKS: code})) == [
        (7, 5, "igny8_core.ai.tasks.run_ai_task", "`run_ai_task` uses `account_id` without checking that it is set"),
    ]


def test_a_use_only_in_a_handler_is_flagged_at_the_try(audit_tree):
    code = (
        "def run_ai_task(function_name, payload, account_id=None):\n    try:\n        started = 1\n"
        "    except KeyError:\n        retry(account_id)\n"
    )
    assert found(audit_tree({TASKS: code})) == [
        (2, 5, "igny8_core.ai.tasks.run_ai_task", "`run_ai_task` uses `account_id` without checking that it is set"),
    ]


def test_the_package_re_export_of_get_model_config_is_the_plans_too(audit_tree):
    files = {
        "igny8_core/modules/planner/views.py": "from igny8_core.ai import get_model_config\n\n"
        "def broken(request):\n    return get_model_config('auto_cluster')\n\nurlpatterns = [broken]\n",
    }
    assert found(audit_tree(files)) == [(4, 12, "igny8_core.modules.planner.views.broken", WITHOUT)]


def test_one_guard_per_account_and_block_the_others_are_fixed_by_it(audit_tree):
    from igny8_refactor.audit.records import Edit

    files = {
        ENGINE: IMPORT
        + (
            "def run(self, a, b, flag, account=None):\n"
            "    x = get_model_config(a, account=account)\n"  # guarded here
            "    y = get_model_config(a, account=self.account)\n"  # another account: its own guard
            "    z = get_model_config(b, account=account)\n"  # fixed by the first guard
            "    if flag:\n        w = get_model_config(b, account=account)\n"  # in a block inside the first's
            "    return x, y, z, w\n\n"
            "def other(a, account=None):\n    return get_model_config(a, account=account)\n\n"  # another function
            "def branch(a, flag, account=None):\n    if flag:\n        x = get_model_config(a, account=account)\n"
            "    return get_model_config(a, account=account)\n\n"  # after the branch: not covered by its guard
            "USED = [run, other, branch]\n"
        )
    }
    guards = [f for f in audit_tree(files).findings if f.kind == "missing-account-guard"]
    assert [(f.line, f.column, f.fixable, f.edit) for f in guards] == [
        (3, 9, True, Edit(3, 5, 3, 45)),
        (4, 9, True, Edit(4, 5, 4, 50)),
        (5, 9, True, Edit(5, 9, 5, 9)),
        (7, 13, True, Edit(7, 13, 7, 13)),
        (11, 12, True, Edit(11, 5, 11, 48)),
        (15, 13, True, Edit(15, 9, 15, 49)),
        (16, 12, True, Edit(16, 5, 16, 48)),
    ]


def test_a_nested_function_with_its_own_account_gets_its_own_guard(audit_tree):
    from igny8_refactor.audit.records import Edit

    files = {
        ENGINE: IMPORT
        + (
            "def run(a, account=None):\n    x = get_model_config(a, account=account)\n\n"
            "    def inner(b, account=None):\n        return get_model_config(b, account=account)\n\n"
            "    return x, inner\n\nUSED = [run]\n"
        )
    }
    guards = [f for f in audit_tree(files).findings if f.kind == "missing-account-guard"]
    assert [(f.line, f.symbol, f.edit) for f in guards] == [
        (3, "igny8_core.ai.engine.run", Edit(3, 5, 3, 45)),
        (6, "igny8_core.ai.engine.run.inner", Edit(6, 9, 6, 52)),
    ]
