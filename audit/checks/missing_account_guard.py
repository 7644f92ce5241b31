"""The plan's two account guards, and `get_model_config(...)` calls that can only fail.

After the refactor there is no model without an account. The plan asks for two guards:
in the engine, `if not self.account: raise ValueError("Account is required for AI function
execution")` before its `get_model_config(...)` call; in the Celery task `run_ai_task`,
`if not account_id: raise ValueError("account_id is required for AI task execution")` before
the account is loaded. Both are recognised when written by hand, wherever they stand
(inside `try`, `with`, after other checks; `if not a or not b: raise` guards both), and
inserted by the fix. Anywhere else, a `get_model_config(...)` call that passes no account at
all is reported (it always raises after the refactor); a call that passes a possibly-None
account is fine, since the refactored `get_model_config` itself raises on it.
Calls are recognised by what they resolve to through the imports, not by their spelling.
"""

from __future__ import annotations

import libcst as cst

from igny8_refactor.audit.checks import Check, Invalid, lazy_module, register
from igny8_refactor.audit.edits import raise_guard
from igny8_refactor.audit.patterns import FIXED_ELSEWHERE, LOGGING_METHODS, RuleVisitor

m = lazy_module("libcst.matchers")

GUARDED_FUNCTION = "get_model_config"
TASK_FUNCTION = "run_ai_task"
TASK_PARAMETER = "account_id"
ENGINE_MESSAGE = "Account is required for AI function execution"
TASK_MESSAGE = "account_id is required for AI task execution"
CODEMOD = "require_account_guard"


def key(node: cst.CSTNode) -> str:
    """An expression's source without whitespace: `self.account` however it is spaced."""
    return "".join(cst.Module(body=[]).code_for_node(node).split())


def exits(body) -> bool:
    statements = body.body if isinstance(body, (cst.IndentedBlock, cst.SimpleStatementSuite)) else []
    if not statements:
        return False
    last = statements[-1]
    if isinstance(last, cst.SimpleStatementLine):
        return bool(last.body) and isinstance(last.body[-1], (cst.Raise, cst.Return, cst.Continue, cst.Break))
    return isinstance(last, (cst.Raise, cst.Return, cst.Continue, cst.Break))


def negated(test) -> set[str]:
    """X for `not X`, `X is None`, `X == None`; every operand of an `or`."""
    if isinstance(test, cst.UnaryOperation) and isinstance(test.operator, cst.Not):
        return {key(test.expression)}
    if isinstance(test, cst.Comparison) and len(test.comparisons) == 1:
        target = test.comparisons[0]
        if isinstance(target.operator, (cst.Is, cst.Equal)) and m.matches(target.comparator, m.Name("None")):
            return {key(test.left)}
    if isinstance(test, cst.BooleanOperation) and isinstance(test.operator, cst.Or):
        return negated(test.left) | negated(test.right)
    return set()


def positive(test) -> set[str]:
    """X for `X`, `X is not None`, `X != None`; every operand of an `and`."""
    if isinstance(test, (cst.Name, cst.Attribute)):
        return {key(test)}
    if isinstance(test, cst.Comparison) and len(test.comparisons) == 1:
        target = test.comparisons[0]
        if isinstance(target.operator, (cst.IsNot, cst.NotEqual)) and m.matches(target.comparator, m.Name("None")):
            return {key(test.left)}
    if isinstance(test, cst.BooleanOperation) and isinstance(test.operator, cst.And):
        return positive(test.left) | positive(test.right)
    return set()


def guard_subjects(statement) -> set[str]:
    """What `statement` proves set for the statements after it."""
    if isinstance(statement, cst.If) and statement.orelse is None and exits(statement.body):
        return negated(statement.test)
    if isinstance(statement, cst.SimpleStatementLine):
        found = set()
        for small in statement.body:
            if isinstance(small, cst.Assert):
                found |= positive(small.test)
        return found
    return set()


def is_logging(statement) -> bool:
    if not (
        isinstance(statement, cst.SimpleStatementLine)
        and len(statement.body) == 1
        and isinstance(statement.body[0], cst.Expr)
    ):
        return False
    call = statement.body[0].value
    if not isinstance(call, cst.Call):
        return False
    func = call.func
    if isinstance(func, cst.Name):
        return func.value == "print"
    return isinstance(func, cst.Attribute) and func.attr.value in LOGGING_METHODS


def uses(node, name: str) -> bool:
    return bool(m.findall(node, m.Name(name)))


def is_load(statement, name: str) -> bool:
    """`x = <expression using account_id>`: the account being loaded."""
    return (
        isinstance(statement, cst.SimpleStatementLine)
        and len(statement.body) == 1
        and isinstance(statement.body[0], (cst.Assign, cst.AnnAssign))
        and statement.body[0].value is not None
        and uses(statement.body[0].value, name)
    )


def sets_when(test, name: str) -> bool:
    """`account_id` / `account_id is not None`."""
    return m.matches(
        test,
        m.Name(name)
        | m.Comparison(
            left=m.Name(name), comparisons=[m.ComparisonTarget(operator=m.IsNot(), comparator=m.Name("None"))]
        ),
    )


def assigns_none(statement, load) -> bool:
    """`account = None` right before `if account_id: account = ...`."""
    if not m.matches(statement, m.SimpleStatementLine(body=[m.Assign(value=m.Name("None"))])):
        return False
    targets = statement.body[0].targets
    first = load.body[0]
    load_targets = first.targets if isinstance(first, cst.Assign) else [cst.AssignTarget(first.target)]
    return len(targets) == 1 and any(targets[0].target.deep_equals(t.target) for t in load_targets)


class _Visitor(RuleVisitor):
    def __init__(self, check, ctx):
        super().__init__(check, ctx)
        self.targets = (ctx.plan_name("settings", GUARDED_FUNCTION), ctx.plan_name("", GUARDED_FUNCTION))
        self.scheduled: list[tuple[cst.FunctionDef, str, cst.CSTNode]] = []  # (function, subject, block)

    # -- where a statement stands ----------------------------------------------------
    def _blocks(self, node):
        """(child, parent) pairs from `node` up to its function."""
        current = node
        while current is not None and not isinstance(current, (cst.FunctionDef, cst.Module)):
            parent = self.parent(current)
            yield current, parent
            current = parent

    def _guarded(self, node, subject: str) -> bool:
        for child, parent in self._blocks(node):
            if isinstance(parent, (cst.IndentedBlock, cst.Module)):
                for statement in parent.body:
                    if statement is child:
                        break
                    if subject in guard_subjects(statement):
                        return True
            elif isinstance(parent, (cst.If, cst.IfExp)) and child is parent.body:
                if subject in positive(parent.test):
                    return True
        return False

    def _may_be_none(self, expr, function) -> bool:
        if m.matches(expr, m.Name("None")) or isinstance(expr, cst.Attribute):
            return True
        if not isinstance(expr, cst.Name) or function is None:
            return False
        params = function.params
        for param in (*params.posonly_params, *params.params, *params.kwonly_params):
            if param.name.value == expr.value:
                return param.default is not None and m.matches(param.default, m.Name("None"))
        return bool(
            m.findall(
                function.body, m.Assign(targets=[m.AssignTarget(target=m.Name(expr.value))], value=m.Name("None"))
            )
        )

    # -- get_model_config(...) -------------------------------------------------------
    def visit_Call(self, node):
        if not self.resolves_to(node.func, *self.targets):
            return
        account, unknown = None, False
        for position, arg in enumerate(node.args):
            if arg.star:
                unknown = True  # *args / **kwargs may carry it
            elif arg.keyword is not None and arg.keyword.value == "account":
                account = arg.value
            elif arg.keyword is None and position == 1:
                account = arg.value
        if account is None and not unknown or account is not None and m.matches(account, m.Name("None")):
            self.report(
                node,
                self.scope_name(node),
                f"`{GUARDED_FUNCTION}` is called without an account: it always raises after the refactor",
                note="pass the account the call is made for",
            )
            return
        if account is None or self.ctx.plan != "engine":
            return  # elsewhere the refactored get_model_config raises on a missing account itself
        function = self.enclosing_function(node)
        if not self._may_be_none(account, function):
            return
        subject = key(account)
        if self._guarded(node, subject):
            return
        self.report(
            node,
            self.scope_name(node),
            f"`{GUARDED_FUNCTION}` is called with `{subject}` that may be None",
            fix=self._engine_fix(node, account, function, subject),
            note="the account is not a plain name or attribute: add the guard by hand",
        )

    def _engine_fix(self, node, account, function, subject):
        if not isinstance(account, (cst.Name, cst.Attribute)):
            return None
        statement = self.statement_of(node)
        block = self.parent(statement)
        if not isinstance(block, (cst.IndentedBlock, cst.Module)):
            return None
        for earlier_function, earlier_subject, earlier_block in self.scheduled:
            if (
                earlier_function is function
                and earlier_subject == subject
                and (earlier_block is block or any(a is earlier_block for a in self.ancestors(statement)))
            ):
                return FIXED_ELSEWHERE
        self.scheduled.append((function, subject, block))
        guard = raise_guard(self.ctx.wrapper.module, account, ENGINE_MESSAGE)
        return (
            statement,
            lambda updated: cst.FlattenSentinel(
                [
                    guard.with_changes(leading_lines=updated.leading_lines),
                    updated.with_changes(leading_lines=()),
                ]
            ),
        )

    # -- run_ai_task ----------------------------------------------------------------
    def visit_FunctionDef(self, node):
        if self.ctx.plan != "tasks" or node.name.value != TASK_FUNCTION:
            return
        if not isinstance(self.parent(node), cst.Module):
            return
        params = node.params
        names = {p.name.value for p in (*params.posonly_params, *params.params, *params.kwonly_params)}
        if TASK_PARAMETER not in names:
            return
        found = self._first_use(node.body)
        if found is None:
            return
        block, index, statement = found
        self.report(
            statement,
            self.scope_name(statement),
            f"`{node.name.value}` uses `{TASK_PARAMETER}` without checking that it is set",
            fix=self._task_fix(block, index, statement),
            note=f"`{TASK_PARAMETER}` is first used in a shape not rewritten: add the guard by hand",
        )

    def _first_use(self, block):
        """(block, index, statement) of the first unguarded use of account_id, descending into try/with."""
        for index, statement in enumerate(block.body):
            if TASK_PARAMETER in guard_subjects(statement):
                return None
            if is_logging(statement) or not uses(statement, TASK_PARAMETER):
                continue
            if isinstance(statement, cst.Try) and uses(statement.body, TASK_PARAMETER):
                return self._first_use(statement.body)
            if isinstance(statement, cst.With) and not any(uses(item, TASK_PARAMETER) for item in statement.items):
                return self._first_use(statement.body)
            return block, index, statement
        return None

    def _task_fix(self, block, index, statement):
        guard = raise_guard(self.ctx.wrapper.module, cst.Name(TASK_PARAMETER), TASK_MESSAGE)
        body = list(block.body)
        if (
            isinstance(statement, cst.If)
            and statement.orelse is None
            and sets_when(statement.test, TASK_PARAMETER)
            and isinstance(statement.body, cst.IndentedBlock)
            and statement.body.body
            and is_load(statement.body.body[0], TASK_PARAMETER)
        ):
            # `account = None` / `if account_id: account = load(account_id)`: the guard, then the load
            start, leading = index, statement.leading_lines
            if index and assigns_none(body[index - 1], statement.body.body[0]):
                start, leading = index - 1, body[index - 1].leading_lines
            inner = list(statement.body.body)
            inner[0] = inner[0].with_changes(leading_lines=())
            new = [*body[:start], guard.with_changes(leading_lines=leading), *inner, *body[index + 1 :]]
            return (block, block.with_changes(body=new))
        if isinstance(statement, cst.SimpleStatementLine) and self._conditional_load(statement):
            small = statement.body[0]
            unconditional = statement.with_changes(body=[small.with_changes(value=small.value.body)], leading_lines=())
            new = [
                *body[:index],
                guard.with_changes(leading_lines=statement.leading_lines),
                unconditional,
                *body[index + 1 :],
            ]
            return (block, block.with_changes(body=new))
        if is_load(statement, TASK_PARAMETER):
            new = [
                *body[:index],
                guard.with_changes(leading_lines=statement.leading_lines),
                statement.with_changes(leading_lines=()),
                *body[index + 1 :],
            ]
            return (block, block.with_changes(body=new))
        return None

    @staticmethod
    def _conditional_load(statement) -> bool:
        """`account = load(account_id) if account_id else None`."""
        if len(statement.body) != 1 or not isinstance(statement.body[0], (cst.Assign, cst.AnnAssign)):
            return False
        value = statement.body[0].value
        return (
            isinstance(value, cst.IfExp)
            and sets_when(value.test, TASK_PARAMETER)
            and m.matches(value.orelse, m.Name("None"))
        )


@register
class MissingAccountGuard(Check):
    """The plan's account guards missing (engine, `run_ai_task`), or `get_model_config` called without an account.

    Without an account there is no IntegrationSettings row to read: fail early and clearly.
    """

    kind, code, fixable = "missing-account-guard", "IG105", True
    codemod = CODEMOD

    @classmethod
    def triggers(cls, settings):
        return frozenset({GUARDED_FUNCTION, TASK_FUNCTION}), None, False

    VALID = [
        "# igny8_core/ai/engine.py\nfrom igny8_core.ai.settings import get_model_config\n"
        "class AIEngine:\n    def execute(self, name):\n        if not self.account:\n"
        "            raise ValueError('Account is required')\n"
        "        return get_model_config(name, account=self.account)",
        "# igny8_core/modules/planner/views.py\nfrom igny8_core.ai.settings import get_model_config\n"
        "def view(request):\n    return get_model_config('auto_cluster', account=request.account)",
        "# igny8_core/ai/tasks.py\ndef run_ai_task(function_name, payload, account_id=None):\n    if not account_id:\n"
        "        raise ValueError('account_id is required')\n    account = Account.objects.get(id=account_id)",
    ]
    INVALID = [
        Invalid(
            "# igny8_core/ai/engine.py\nfrom igny8_core.ai.settings import get_model_config\n"
            "class AIEngine:\n    def execute(self, name):\n"
            "        return get_model_config(name, account=self.account)",
            expected="# igny8_core/ai/engine.py\nfrom igny8_core.ai.settings import get_model_config\n"
            "class AIEngine:\n    def execute(self, name):\n        if not self.account:\n"
            '            raise ValueError("Account is required for AI function execution")\n'
            "        return get_model_config(name, account=self.account)",
        ),
        Invalid(
            "# igny8_core/ai/tasks.py\ndef run_ai_task(function_name, payload, account_id=None):\n    account = None\n"
            "    if account_id:\n        account = Account.objects.get(id=account_id)",
            expected="# igny8_core/ai/tasks.py\ndef run_ai_task(function_name, payload, account_id=None):\n"
            '    if not account_id:\n        raise ValueError("account_id is required for AI task execution")\n'
            "    account = Account.objects.get(id=account_id)",
        ),
        Invalid(
            "# igny8_core/modules/planner/views.py\nfrom igny8_core.ai.settings import get_model_config as gmc\n"
            "def view(request):\n    return gmc('auto_cluster')",
            expected=None,
        ),
    ]
    DOCS = """\
    `get_model_config(...)` reached with an account that may be None, or `run_ai_task` without `account_id` validation.

    ## What it flags

    - A call to `get_model_config(...)` whose `account` argument is missing, or may be
      `None` on the path that reaches the call (it is not checked with `if not account:
      raise ...` or an equivalent guard first).
    - The Celery task `run_ai_task(function_name, payload, account_id)` loading the account
      without first rejecting a missing `account_id`.

    ## Why it hurts

    With IntegrationSettings as the only source of model configuration, an AI function run
    without an account cannot work. Without a guard it fails deep inside the lookup with a
    confusing message, or — in code that still has a fallback — silently runs on a default
    model. The refactoring plan wants the failure at the entry point, with a message that
    says what is missing.

    ## Example

    Before:

    ```python
    validated = fn.validate(payload)

    model_config = get_model_config(function_name, account=self.account)
    ```

    After:

    ```python
    validated = fn.validate(payload)

    if not self.account:
        raise ValueError("Account is required for AI function execution")
    model_config = get_model_config(function_name, account=self.account)
    ```

    And in the task, before the account is loaded:

    ```python
    if not account_id:
        raise ValueError("account_id is required for AI task execution")
    account = Account.objects.get(id=account_id)
    ```

    ## How `igny8-refactor fix` handles it

    Fixable at the plan's two entry points. The `require_account_guard` codemod inserts
    `if not self.account: raise ValueError("Account is required for AI function execution")`
    right before the statement that calls `get_model_config(...)` in the engine (inside a `try`
    or `with` too), and in `run_ai_task` puts
    `if not account_id: raise ValueError("account_id is required for AI task execution")` before
    the account is loaded, replacing `account = None` / `if account_id: account = ...` by the
    unconditional load. A guard already written by hand is recognised, whatever surrounds it. A
    call without any account is reported, not rewritten: which account it should pass is a
    decision for a person.

    A finding is marked fixable exactly when `fix` removes it; `fix` prints a `note:` line for each
    finding it leaves, saying why.

    ## Suppressing it

    A trailing comment on the flagged line:

    ```python
    config = get_model_config(name, account=None)  # igny8: ignore[missing-account-guard]
    ```

    `# igny8: ignore[IG105]` works the same.
    """

    def visitor(self, ctx):
        return _Visitor(self, ctx)
