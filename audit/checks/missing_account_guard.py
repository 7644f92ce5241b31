import libcst as cst

from igny8_refactor.audit.checks import Check, Invalid, lazy_module, register
from igny8_refactor.audit.edits import raise_guard
from igny8_refactor.audit.patterns import targets_of
from igny8_refactor.audit.rule_visitor import FIXED_ELSEWHERE, RuleVisitor

m = lazy_module("libcst.matchers")

GUARDED_FUNCTION = "get_model_config"
TASK_FUNCTION = "run_ai_task"
TASK_PARAMETER = "account_id"
ENGINE_MESSAGE = "Account is required for AI function execution"
TASK_MESSAGE = "account_id is required for AI task execution"
LOGGING_METHODS = frozenset({"debug", "info", "warning", "warn", "error", "exception", "critical", "log"})


def key(node: cst.CSTNode) -> str:
    """An expression's source without whitespace: `self.account` however it is spaced."""
    return "".join(cst.Module(body=[]).code_for_node(node).split())


def exits(body: cst.BaseSuite) -> bool:
    last = body.body[-1]
    if isinstance(last, cst.SimpleStatementLine):
        last = last.body[-1]
    return isinstance(last, (cst.Raise, cst.Return, cst.Continue, cst.Break))


def compared_to_none(operator, left=None):
    """`<left> <operator> None`, any left side when `left` is None."""
    target = m.ComparisonTarget(operator=operator, comparator=m.Name("None"))
    return m.Comparison(left=left or m.DoNotCare(), comparisons=[target])


def negated(test) -> set[str]:
    """X for `not X`, `X is None`, `X == None`; every operand of an `or`."""
    if m.matches(test, m.UnaryOperation(operator=m.Not())):
        return {key(test.expression)}
    if m.matches(test, compared_to_none(m.Is() | m.Equal())):
        return {key(test.left)}
    if m.matches(test, m.BooleanOperation(operator=m.Or())):
        return negated(test.left) | negated(test.right)
    return set()


def positive(test) -> set[str]:
    """X for `X`, `X is not None`, `X != None`; every operand of an `and`."""
    if isinstance(test, (cst.Name, cst.Attribute)):
        return {key(test)}
    if m.matches(test, compared_to_none(m.IsNot() | m.NotEqual())):
        return {key(test.left)}
    if m.matches(test, m.BooleanOperation(operator=m.And())):
        return positive(test.left) | positive(test.right)
    return set()


def guard_subjects(statement) -> set[str]:
    """What `statement` proves set for the statements after it."""
    if isinstance(statement, cst.If) and statement.orelse is None and exits(statement.body):
        return negated(statement.test)
    if isinstance(statement, cst.SimpleStatementLine):
        return set().union(*(positive(small.test) for small in statement.body if isinstance(small, cst.Assert)))
    return set()


def is_logging(statement) -> bool:
    """`print(...)` or `<logger>.info(...)` alone on its line."""
    method = m.Attribute(attr=m.Name(m.MatchIfTrue(LOGGING_METHODS.__contains__)))
    return m.matches(statement, m.SimpleStatementLine(body=[m.Expr(m.Call(func=m.Name("print") | method))]))


def uses(node) -> bool:
    return bool(m.findall(node, m.Name(TASK_PARAMETER)))


def is_set():
    """`account_id` / `account_id is not None`."""
    return m.Name(TASK_PARAMETER) | compared_to_none(m.IsNot(), left=m.Name(TASK_PARAMETER))


def assigning(value):
    """A line with one assignment (plain or annotated) whose value `value` matches."""
    return m.SimpleStatementLine(body=[m.Assign(value=value) | m.AnnAssign(value=value)])


def is_load(statement) -> bool:
    """`x = <expression using account_id>`: the account being loaded."""
    return m.matches(statement, assigning(m.MatchIfTrue(lambda value: value is not None and uses(value))))


def assigns_none(statement, load) -> bool:
    """`account = None` right before `if account_id: account = ...`."""
    loaded = targets_of(load.body[0])
    target = m.MatchIfTrue(lambda node: any(node.deep_equals(other) for other in loaded))
    none = m.Assign(targets=[m.AssignTarget(target)], value=m.Name("None"))
    return m.matches(statement, m.SimpleStatementLine(body=[none]))


class _Visitor(RuleVisitor):
    def __init__(self, check, ctx):
        super().__init__(check, ctx)
        self.targets = (ctx.plan_name("settings", GUARDED_FUNCTION), ctx.plan_name("", GUARDED_FUNCTION))
        self.scheduled: set[tuple[cst.FunctionDef | None, str, cst.CSTNode]] = set()  # (function, subject, block)

    def _guarded(self, node, subject: str) -> bool:
        """Whether, up to its function, a statement before `node` or an `if` around it proves `subject` set."""
        child = node
        while not isinstance(child, (cst.FunctionDef, cst.Module)):
            parent = self.parent(child)
            if isinstance(parent, (cst.IndentedBlock, cst.Module)):
                if any(subject in guard_subjects(s) for s in parent.body[: parent.body.index(child)]):
                    return True
            elif isinstance(parent, (cst.If, cst.IfExp)) and child is parent.body and subject in positive(parent.test):
                return True
            child = parent
        return False

    def _may_be_none(self, expr, function) -> bool:
        if isinstance(expr, cst.Attribute):  # (`None` itself is reported before)
            return True
        if not isinstance(expr, cst.Name) or function is None:
            return False
        params = function.params
        for param in (*params.posonly_params, *params.params, *params.kwonly_params):
            if param.name.value == expr.value:
                return m.matches(param.default, m.Name("None"))
        none = m.Assign(targets=[m.AssignTarget(target=m.Name(expr.value))], value=m.Name("None"))
        return bool(m.findall(function.body, none))

    # -- get_model_config(...) -------------------------------------------------------
    def visit_Call(self, node):
        if not self.resolves_to(node.func, *self.targets):
            return
        account, unknown = None, False
        for position, arg in enumerate(node.args):
            if arg.star:
                unknown = True  # *args / **kwargs may carry it
            elif arg.keyword is not None and arg.keyword.value == "account" or arg.keyword is None and position == 1:
                account = arg.value
        if account is None and not unknown or m.matches(account, m.Name("None")):
            message = f"`{GUARDED_FUNCTION}` is called without an account: it always raises after the refactor"
            self.report(node, self.scope_name(node), message, note="pass the account the call is made for")
            return
        if account is None or self.ctx.plan != "engine":
            return  # elsewhere the refactored get_model_config raises on a missing account itself
        function = self.enclosing_function(node)
        subject = key(account)
        if not self._may_be_none(account, function) or self._guarded(node, subject):
            return
        self.report(
            node,
            self.scope_name(node),
            f"`{GUARDED_FUNCTION}` is called with `{subject}` that may be None",
            fix=self._engine_fix(node, account, function, subject),
            note="the account is not a plain name or attribute: add the guard by hand",
        )

    def _engine_fix(self, node, account, function, subject):
        statement = self.statement_of(node)
        block = self.parent(statement)
        if not isinstance(account, (cst.Name, cst.Attribute)) or not isinstance(block, (cst.IndentedBlock, cst.Module)):
            return None
        # a guard already goes before this statement or one holding it
        if any((function, subject, ancestor) in self.scheduled for ancestor in self.ancestors(statement)):
            return FIXED_ELSEWHERE
        self.scheduled.add((function, subject, block))
        guard = raise_guard(self.ctx.wrapper.module, account, ENGINE_MESSAGE)
        return (
            statement,
            lambda updated: cst.FlattenSentinel(
                [guard.with_changes(leading_lines=updated.leading_lines), updated.with_changes(leading_lines=())]
            ),
        )

    # -- run_ai_task ----------------------------------------------------------------
    def visit_FunctionDef(self, node):
        params = node.params
        names = {p.name.value for p in (*params.posonly_params, *params.params, *params.kwonly_params)}
        if self.ctx.plan != "tasks" or node.name.value != TASK_FUNCTION or TASK_PARAMETER not in names:
            return
        if not isinstance(self.parent(node), cst.Module) or (found := self._first_use(node.body)) is None:
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
            if is_logging(statement) or not uses(statement):
                continue
            if isinstance(statement, cst.Try) and uses(statement.body):
                return self._first_use(statement.body)
            if isinstance(statement, cst.With) and not any(uses(item) for item in statement.items):
                return self._first_use(statement.body)
            return block, index, statement
        return None

    def _task_fix(self, block, index, statement):
        """The guard before the load: `account = None` / `if account_id: account = load(account_id)` and
        `account = load(account_id) if account_id else None` become the unconditional load."""
        start, leading = index, statement.leading_lines
        loads = m.IndentedBlock(body=[m.MatchIfTrue(is_load), m.ZeroOrMore()])
        if m.matches(statement, m.If(test=is_set(), body=loads, orelse=None)):
            if index and assigns_none(block.body[index - 1], statement.body.body[0]):
                start, leading = index - 1, block.body[index - 1].leading_lines
            loaded = list(statement.body.body)
        elif m.matches(statement, assigning(m.IfExp(test=is_set(), orelse=m.Name("None")))):
            small = statement.body[0]
            loaded = [statement.with_changes(body=[small.with_changes(value=small.value.body)])]
        elif is_load(statement):
            loaded = [statement]
        else:
            return None
        loaded[0] = loaded[0].with_changes(leading_lines=())
        guard = raise_guard(self.ctx.wrapper.module, cst.Name(TASK_PARAMETER), TASK_MESSAGE)
        body = [*block.body[:start], guard.with_changes(leading_lines=leading), *loaded, *block.body[index + 1 :]]
        return (block, block.with_changes(body=body))


@register
class MissingAccountGuard(Check):
    kind, code, fixable = "missing-account-guard", "IG105", True
    codemod = "require_account_guard"

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
    The plan's account guards missing (engine, `run_ai_task`), or `get_model_config` called without an account.

    ## What it flags

    - In the engine (`engine.py` of the AI package), the call to `get_model_config(...)` without
      `if not self.account: raise ...` (or an equivalent guard) before it.
    - The Celery task `run_ai_task(function_name, payload, account_id)` loading the account
      without first rejecting a missing `account_id`.
    - Anywhere, a call to `get_model_config(...)` that passes no account at all: after the
      refactor it always raises.

    A guard written by hand is recognised wherever it stands (inside `try` or `with`, after other
    checks; `if not a or not b: raise` guards both). A call elsewhere that passes an account which
    may be `None` is not a finding: the refactored `get_model_config` raises on it itself. Calls
    are recognised by what they resolve to through the imports, not by their spelling.

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
