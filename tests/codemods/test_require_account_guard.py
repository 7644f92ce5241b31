"""require_account_guard (the missing-account-guard fix): the plan's two account guards, in the engine and in run_ai_task.

Every case runs the real `fix` pipeline on a tiny project (`--only require_account_guard`): the
code stands in the plan's `igny8_core/ai/engine.py` or `igny8_core/ai/tasks.py`, and
`get_model_config` is recognised through its import from `igny8_core/ai/settings.py`.
The cases of the former RequireAccountIdGuard (run_ai_task) are at the end: that command is now
part of this one.
"""

from __future__ import annotations

import pytest
from codemod_helpers import dedent, fix_project, legacy_source, notes_of, target_source

ONLY = ["require_account_guard"]
ENGINE = "igny8_core/ai/engine.py"
TASKS = "igny8_core/ai/tasks.py"
IMPORT = "from igny8_core.ai.settings import get_model_config\n\n\n"
SETTINGS = {"igny8_core/ai/settings.py": "def get_model_config(function_name, account=None):\n    return {}\n"}
GUARD = 'raise ValueError("Account is required for AI function execution")'
ID_GUARD = 'raise ValueError("account_id is required for AI task execution")'


def guarded(tmp_path, source: str, target: str = ENGINE, prefix: str = IMPORT) -> str:
    """`source` (dedented, after `prefix`) in `target` after the fix; returned without `prefix`."""
    files = {**SETTINGS, target: prefix + dedent(source)}
    text = fix_project(tmp_path, files, target, only=ONLY).decode()
    assert text.startswith(prefix)
    return text[len(prefix) :]


# -- no-op cases first ---------------------------------------------------------------------
def test_module_without_the_call_is_unchanged(tmp_path) -> None:
    assert guarded(tmp_path, "x = get_config(a, account=b)\n", prefix="") == "x = get_config(a, account=b)\n"


def test_same_call_outside_the_plans_engine_is_left_alone(tmp_path) -> None:
    # changed: the audit's flagged scopes are gone; the plan's engine guard goes only in the
    # AI package's engine.py, elsewhere the refactored get_model_config raises by itself
    source = "def f(self):\n    return get_model_config('x', account=self.account)\n"
    assert guarded(tmp_path, source, target="igny8_core/ai/views.py") == source


def test_call_spelled_alike_but_not_imported_is_left_alone(tmp_path) -> None:
    # changed: calls are recognised through the import, not by name
    source = (
        "def get_model_config(n, account=None):\n    return {}\n\n\nclass AIEngine:\n"
        "    def execute(self):\n        return get_model_config('x', account=self.account)\n"
    )
    assert guarded(tmp_path, source, prefix="") == source


def test_refactored_engine_is_unchanged(tmp_path) -> None:
    assert guarded(tmp_path, target_source("engine.py").decode(), prefix="") == target_source("engine.py").decode()


def test_call_without_account_is_left_with_a_note(tmp_path) -> None:
    # changed: reported (it always raises after the refactor) and left for a person
    source = "def f(name):\n    return get_model_config(name)\n"
    assert guarded(tmp_path, source) == source
    assert any("pass the account the call is made for" in n for n in notes_of(tmp_path, only=ONLY)), notes_of(
        tmp_path, only=ONLY
    )


def test_account_that_cannot_be_none_needs_no_guard(tmp_path) -> None:
    source = dedent("""
        def f(name, account):
            other = load()
            return get_model_config(name, account=account), get_model_config(name, account=other)
    """)
    assert guarded(tmp_path, source) == source


def test_guard_in_an_enclosing_block_counts(tmp_path) -> None:
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
    assert guarded(tmp_path, source) == source


def test_enclosing_if_and_assert_count(tmp_path) -> None:
    source = dedent("""
        def run(self, name, account=None):
            if self.account is not None:
                get_model_config(name, account=self.account)
            assert account
            return get_model_config(name, account=account)
    """)
    assert guarded(tmp_path, source) == source


def test_is_none_guard_counts(tmp_path) -> None:
    source = dedent("""
        def run(self, name):
            if self.account is None:
                raise RuntimeError("no account")
            return get_model_config(name, self.account)
    """)
    assert guarded(tmp_path, source) == source


def test_either_operand_of_an_or_guard_counts(tmp_path) -> None:
    # issue 8: `if not self.other or not self.account: raise` guards both
    source = dedent("""
        class AIEngine:
            def execute(self, name):
                if not self.other or not self.account:
                    raise ValueError("missing")
                return get_model_config(name, account=self.account)
    """)
    assert guarded(tmp_path, source) == source


def test_explicit_none_account_is_declined_with_a_note(tmp_path) -> None:
    source = "def f(name):\n    return get_model_config(name, account=None)\n"
    assert guarded(tmp_path, source) == source
    assert any("pass the account the call is made for" in n for n in notes_of(tmp_path, only=ONLY)), notes_of(
        tmp_path, only=ONLY
    )


def test_the_definition_itself_is_not_guarded(tmp_path) -> None:
    source = dedent("""
        def get_model_config(function_name, account=None):
            return get_model_config(function_name, account=account)
    """)
    assert guarded(tmp_path, source, target="igny8_core/ai/settings.py", prefix="") == source


# -- rewrites ------------------------------------------------------------------------------
def test_guard_inserted_before_keyword_call(tmp_path) -> None:
    before = """
        class AIEngine:
            def execute(self, fn):
                validated = fn.validate()

                model_config = get_model_config(fn.name, account=self.account)
                return model_config
    """
    after = f"""
        class AIEngine:
            def execute(self, fn):
                validated = fn.validate()

                if not self.account:
                    {GUARD}
                model_config = get_model_config(fn.name, account=self.account)
                return model_config
    """
    assert guarded(tmp_path, before) == dedent(after)


def test_aliased_import_is_recognised(tmp_path) -> None:
    # issue 8: the call is recognised through its import, whatever it is called here
    prefix = "from igny8_core.ai.settings import get_model_config as gmc\n\n\n"
    before = """
        class AIEngine:
            def execute(self, fn):
                return gmc(fn.name, account=self.account)
    """
    after = f"""
        class AIEngine:
            def execute(self, fn):
                if not self.account:
                    {GUARD}
                return gmc(fn.name, account=self.account)
    """
    assert guarded(tmp_path, before, prefix=prefix) == dedent(after)


def test_positional_account_and_module_attribute_call(tmp_path) -> None:
    prefix = "from igny8_core.ai import settings as ai_settings\n\n\n"
    before = """
        def run(name, acct=None):
            return ai_settings.get_model_config(name, acct)['model']
    """
    after = f"""
        def run(name, acct=None):
            if not acct:
                {GUARD}
            return ai_settings.get_model_config(name, acct)['model']
    """
    assert guarded(tmp_path, before, prefix=prefix) == dedent(after)


def test_second_call_in_the_same_block_needs_no_second_guard(tmp_path) -> None:
    before = """
        def run(a, b, account=None):
            x = get_model_config(a, account=account)
            y = get_model_config(b, account=account)
    """
    after = f"""
        def run(a, b, account=None):
            if not account:
                {GUARD}
            x = get_model_config(a, account=account)
            y = get_model_config(b, account=account)
    """
    assert guarded(tmp_path, before) == dedent(after)


def test_guard_after_the_call_does_not_count(tmp_path) -> None:
    before = """
        def run(a):
            account = None
            x = get_model_config(a, account=account)
            if not account:
                raise ValueError("late")
    """
    after = f"""
        def run(a):
            account = None
            if not account:
                {GUARD}
            x = get_model_config(a, account=account)
            if not account:
                raise ValueError("late")
    """
    assert guarded(tmp_path, before) == dedent(after)


def test_legacy_engine_becomes_the_target_byte_for_byte(tmp_path) -> None:
    files = {**SETTINGS, ENGINE: legacy_source("engine.py")}
    assert fix_project(tmp_path, files, ENGINE, only=ONLY) == target_source("engine.py")


# -- run_ai_task refuses to run without an account_id (formerly RequireAccountIdGuard) -------
def test_module_without_the_task_is_unchanged(tmp_path) -> None:
    source = "def other(account_id):\n    return account_id\n"
    assert guarded(tmp_path, source, target=TASKS, prefix="") == source


def test_refactored_tasks_module_is_unchanged(tmp_path) -> None:
    assert (
        guarded(tmp_path, target_source("tasks.py").decode(), target=TASKS, prefix="")
        == target_source("tasks.py").decode()
    )


def test_task_already_guarded_with_is_none_is_unchanged(tmp_path) -> None:
    source = dedent("""
        def run_ai_task(function_name, payload, account_id=None):
            if account_id is None:
                raise ValueError('missing')
            account = Account.objects.get(pk=account_id)
    """)
    assert guarded(tmp_path, source, target=TASKS, prefix="") == source


def test_task_without_account_id_is_left_alone(tmp_path) -> None:
    # changed: no finding at all (nothing reads an account_id), so no warning either
    source = "def run_ai_task(function_name, payload):\n    pass\n"
    assert guarded(tmp_path, source, target=TASKS, prefix="") == source
    assert not [n for n in notes_of(tmp_path, only=ONLY) if "IG105" in n]


def test_other_task_name_is_left_alone(tmp_path) -> None:
    # changed: the task name was a codemod argument (`functions=`); the plan's rule names run_ai_task
    source = "def run_batch(account_id):\n    account = load(account_id)\n"
    assert guarded(tmp_path, source, target=TASKS, prefix="") == source


def test_task_outside_the_plans_tasks_module_is_left_alone(tmp_path) -> None:
    # changed: the plan's rewrites touch only the AI package's five files
    source = "def run_ai_task(function_name, payload, account_id=None):\n    account = load(account_id)\n"
    assert guarded(tmp_path, source, target="igny8_core/ai/jobs.py", prefix="") == source


TASK_REWRITES = [
    (
        """
        def run_ai_task(function_name, payload, account_id=None):
            logger.info("start %s", account_id)

            account = None
            if account_id:
                account = Account.objects.get(id=account_id)

            return run(account)
        """,
        f"""
        def run_ai_task(function_name, payload, account_id=None):
            logger.info("start %s", account_id)

            if not account_id:
                {ID_GUARD}
            account = Account.objects.get(id=account_id)

            return run(account)
        """,
    ),
    (
        """
        def run_ai_task(function_name, payload, account_id=None):
            if account_id is not None:
                account = get_account(account_id)
                log(account)
            return account
        """,
        f"""
        def run_ai_task(function_name, payload, account_id=None):
            if not account_id:
                {ID_GUARD}
            account = get_account(account_id)
            log(account)
            return account
        """,
    ),
    (
        """
        @shared_task(bind=True)
        def run_ai_task(self, function_name, payload, account_id):
            # load the account
            account: Account = Account.objects.select_related('plan').get(pk=account_id)
            return account
        """,
        f"""
        @shared_task(bind=True)
        def run_ai_task(self, function_name, payload, account_id):
            # load the account
            if not account_id:
                {ID_GUARD}
            account: Account = Account.objects.select_related('plan').get(pk=account_id)
            return account
        """,
    ),
    (
        """
        def run_ai_task(function_name, payload, account_id=None):
            account = Account.objects.get(id=account_id) if account_id else None
            return account
        """,
        f"""
        def run_ai_task(function_name, payload, account_id=None):
            if not account_id:
                {ID_GUARD}
            account = Account.objects.get(id=account_id)
            return account
        """,
    ),
]


@pytest.mark.parametrize(
    "before, after",
    TASK_REWRITES,
    ids=["conditional-load-flattened", "is-not-none-condition", "unconditional-load", "conditional-expression-load"],
)
def test_task_guard(tmp_path, before: str, after: str) -> None:
    assert guarded(tmp_path, before, target=TASKS, prefix="") == dedent(after)


def test_legacy_tasks_module_becomes_the_target_byte_for_byte(tmp_path) -> None:
    files = {TASKS: legacy_source("tasks.py")}
    assert fix_project(tmp_path, files, TASKS, only=ONLY) == target_source("tasks.py")


TASK_NOTE = "`account_id` is first used in a shape not rewritten: add the guard by hand"


@pytest.mark.parametrize(
    "body, line",
    [
        ("if account_id:\n    started = True\nreturn run(account_id)\n", 2),  # the `if` loads nothing
        ("cache[account_id] = load()\n", 2),  # an assignment whose value does not read it
        ("for item in fetch(account_id):\n    handle(item)\n", 2),
        ("account = Account.objects.get(id=account_id); log(account)\nreturn account\n", 2),
        ("if payload is not None:\n    account = load(account_id)\nreturn account\n", 2),
        ("if account_id > 0:\n    account = load(account_id)\nreturn account\n", 2),
        ("if account_id == None:\n    account = load(account_id)\nreturn account\n", 2),
        ("if account_id is not DEFAULT:\n    account = load(account_id)\nreturn account\n", 2),
        ("if account_id:\n    account = load(account_id)\nelse:\n    account = None\nreturn account\n", 2),
        ("with lock(account_id):\n    account = load(account_id)\nreturn account\n", 2),
        ("if account_id: account = load(account_id)\nreturn account\n", 2),
        ("account = load(account_id) if account_id else None; log(account)\nreturn account\n", 2),
    ],
    ids=[
        "if-without-a-load",
        "value-without-it",
        "for-loop",
        "two-statements-on-a-line",
        "if-on-another-name",
        "if-compares-otherwise",
        "if-equals-none",
        "if-is-not-another-name",
        "if-with-else",
        "with-item-uses-it",
        "one-line-if",
        "conditional-load-and-another-statement",
    ],
)
def test_task_first_use_in_a_shape_not_rewritten_is_left_with_a_note(tmp_path, body, line) -> None:
    source = "def run_ai_task(function_name, payload, account_id=None):\n" + "".join(
        f"    {text}\n" for text in body.splitlines()
    )
    assert guarded(tmp_path, source, target=TASKS, prefix="") == source
    assert [n for n in notes_of(tmp_path, only=ONLY) if "IG105" in n] == [
        f"{TASKS}:{line}:5: note: IG105 `igny8_core.ai.tasks.run_ai_task` left as it is: {TASK_NOTE}",
    ]


@pytest.mark.parametrize(
    "load",
    [
        "account = load(account_id) if account_id else DEFAULT",
        "account = load(account_id) if payload else None",
        "account = load(account_id) if account_id == 0 else None",
    ],
    ids=["another-default", "another-condition", "another-comparison"],
)
def test_a_conditional_load_not_on_account_id_alone_is_kept_whole_after_the_guard(tmp_path, load) -> None:
    source = f"def run_ai_task(function_name, payload, account_id=None):\n    {load}\n    return account\n"
    after = (
        f"def run_ai_task(function_name, payload, account_id=None):\n    if not account_id:\n        {ID_GUARD}\n"
        f"    {load}\n    return account\n"
    )
    assert guarded(tmp_path, source, target=TASKS, prefix="") == after


@pytest.mark.parametrize(
    "before, after",
    [
        (  # an annotated load: its `account = None` goes too
            "account = None\nif account_id:\n    account: Account = load(account_id)\nreturn account\n",
            f"if not account_id:\n    {ID_GUARD}\naccount: Account = load(account_id)\nreturn account\n",
        ),
        (  # the statement before sets another name: it stays
            "other = None\nif account_id:\n    account = load(account_id)\nreturn account, other\n",
            f"other = None\nif not account_id:\n    {ID_GUARD}\naccount = load(account_id)\nreturn account, other\n",
        ),
        (
            "started = now()\nif account_id:\n    account = load(account_id)\nreturn account, started\n",
            f"started = now()\nif not account_id:\n    {ID_GUARD}\naccount = load(account_id)\nreturn account, started\n",
        ),
        (  # two names set to None: not only the account's placeholder
            "account = other = None\nif account_id:\n    account = load(account_id)\nreturn account, other\n",
            f"account = other = None\nif not account_id:\n    {ID_GUARD}\naccount = load(account_id)\nreturn account, other\n",
        ),
        (  # the placeholder's comment stays above the guard
            "started = now()\n# the account, if any\naccount = None\nif account_id:\n    account = load(account_id)\n\nreturn account\n",
            f"started = now()\n# the account, if any\nif not account_id:\n    {ID_GUARD}\naccount = load(account_id)\n\nreturn account\n",
        ),
    ],
    ids=["annotated-load", "other-name-none", "other-statement", "two-targets", "comment-above-the-placeholder"],
)
def test_task_guard_replaces_only_the_accounts_own_placeholder(tmp_path, before, after) -> None:
    head = "def run_ai_task(function_name, payload, account_id=None):\n"
    indent = lambda text: "".join(f"    {line}\n" if line else "\n" for line in text.splitlines())
    assert guarded(tmp_path, head + indent(before), target=TASKS, prefix="") == head + indent(after)


ENGINE_REWRITES = [
    (  # the second call stands in a block inside the first one's: the first guard covers it
        """
        def run(a, b, flag, account=None):
            x = get_model_config(a, account=account)
            if flag:
                y = get_model_config(b, account=account)
        """,
        f"""
        def run(a, b, flag, account=None):
            if not account:
                {GUARD}
            x = get_model_config(a, account=account)
            if flag:
                y = get_model_config(b, account=account)
        """,
    ),
    (  # the first call stands in a branch: the one after the branch needs its own guard
        """
        def run(a, b, flag, account=None):
            if flag:
                x = get_model_config(a, account=account)
            y = get_model_config(b, account=account)
        """,
        f"""
        def run(a, b, flag, account=None):
            if flag:
                if not account:
                    {GUARD}
                x = get_model_config(a, account=account)
            if not account:
                {GUARD}
            y = get_model_config(b, account=account)
        """,
    ),
    (  # another account, another function: a guard each
        """
        def run(self, a, account=None):
            x = get_model_config(a, account=account)
            y = get_model_config(a, account=self.account)


        def other(a, account=None):
            return get_model_config(a, account=account)
        """,
        f"""
        def run(self, a, account=None):
            if not account:
                {GUARD}
            x = get_model_config(a, account=account)
            if not self.account:
                {GUARD}
            y = get_model_config(a, account=self.account)


        def other(a, account=None):
            if not account:
                {GUARD}
            return get_model_config(a, account=account)
        """,
    ),
    (  # the comment above the call stays above the guard
        """
        class AIEngine:
            def execute(self, fn):
                # the model for this function
                return get_model_config(fn.name, account=self.account)
        """,
        f"""
        class AIEngine:
            def execute(self, fn):
                # the model for this function
                if not self.account:
                    {GUARD}
                return get_model_config(fn.name, account=self.account)
        """,
    ),
    (  # a one-line branch: the guard goes before the whole statement
        """
        class AIEngine:
            def execute(self, fn, flag=None):
                if flag: return get_model_config(fn.name, account=self.account)
        """,
        f"""
        class AIEngine:
            def execute(self, fn, flag=None):
                if not self.account:
                    {GUARD}
                if flag: return get_model_config(fn.name, account=self.account)
        """,
    ),
    (  # at module level
        """
        CONFIG = get_model_config('x', account=settings.account)
        """,
        f"""
        if not settings.account:
            {GUARD}
        CONFIG = get_model_config('x', account=settings.account)
        """,
    ),
]


@pytest.mark.parametrize(
    "before, after",
    ENGINE_REWRITES,
    ids=[
        "nested-after-outer",
        "outer-after-branch",
        "other-account-and-function",
        "comment-above",
        "one-line-branch",
        "module-level",
    ],
)
def test_engine_guard_placement(tmp_path, before, after) -> None:
    assert guarded(tmp_path, before) == dedent(after)


TASK_PLACEMENT = [
    (
        """
        def run_ai_task(function_name, payload, account_id=None):
            with lock():
                account = load(account_id)
            return account
        """,
        f"""
        def run_ai_task(function_name, payload, account_id=None):
            with lock():
                if not account_id:
                    {ID_GUARD}
                account = load(account_id)
            return account
        """,
    ),
    (
        """
        def run_ai_task(function_name, payload, account_id=None):
            try:
                account = None
                if account_id:
                    account = Account.objects.get(id=account_id)
                return run(account)
            except KeyError:
                raise
        """,
        f"""
        def run_ai_task(function_name, payload, account_id=None):
            try:
                if not account_id:
                    {ID_GUARD}
                account = Account.objects.get(id=account_id)
                return run(account)
            except KeyError:
                raise
        """,
    ),
    (
        """
        def run_ai_task(function_name, payload, account_id=None):
            started = now()

            # the account, if any
            if account_id:
                account = load(account_id)
            return account
        """,
        f"""
        def run_ai_task(function_name, payload, account_id=None):
            started = now()

            # the account, if any
            if not account_id:
                {ID_GUARD}
            account = load(account_id)
            return account
        """,
    ),
    (
        """
        def run_ai_task(function_name, payload, account_id=None):
            started = now()
            # the account, if any
            account = load(account_id) if account_id else None
            return account
        """,
        f"""
        def run_ai_task(function_name, payload, account_id=None):
            started = now()
            # the account, if any
            if not account_id:
                {ID_GUARD}
            account = load(account_id)
            return account
        """,
    ),
    (
        """
        def run_ai_task(function_name, payload, account_id=None):
            account: Account = load(account_id) if account_id is not None else None
            return account
        """,
        f"""
        def run_ai_task(function_name, payload, account_id=None):
            if not account_id:
                {ID_GUARD}
            account: Account = load(account_id)
            return account
        """,
    ),
]


@pytest.mark.parametrize(
    "before, after",
    TASK_PLACEMENT,
    ids=[
        "inside-with",
        "inside-try",
        "comment-above-the-if",
        "comment-above-the-conditional-load",
        "annotated-conditional-load",
    ],
)
def test_task_guard_placement(tmp_path, before, after) -> None:
    assert guarded(tmp_path, before, target=TASKS, prefix="") == dedent(after)
