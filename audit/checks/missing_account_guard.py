"""`get_model_config(...)` reached with an account that may be None, or `run_ai_task` without `account_id` validation.

With IntegrationSettings as the only source of model configuration, a call without an
account cannot succeed; the caller must refuse early with a clear error instead of
passing None down. A call is guarded when a dominating `if not X: raise` (or
`if X is None: ...` ending in raise/return, or `assert X`) precedes it, when it sits
inside `if X:`, or when X cannot be None there (a parameter without a default, a local
never set to None). Calls that pass no account at all are not flagged.
"""
from __future__ import annotations

import functools

from audit.checks import Check, register

GUARDED_FUNCTION = "get_model_config"
TASK_FUNCTION = "run_ai_task"
TASK_PARAMETER = "account_id"


@functools.cache
def _visitor_class():
    """The LibCST visitor, built on first use so that listing and cached runs never import LibCST."""
    import libcst as cst
    import libcst.matchers as m
    from audit.patterns import LOGGING_METHODS, CheckVisitor

    def _code(node: cst.CSTNode) -> str:
        return "".join(cst.Module(body=[]).code_for_node(node).split())

    def _exits(body) -> bool:
        statements = body.body if isinstance(body, (cst.IndentedBlock, cst.SimpleStatementSuite)) else []
        if not statements:
            return False
        last = statements[-1]
        if isinstance(last, cst.SimpleStatementLine):
            return bool(last.body) and isinstance(last.body[-1], (cst.Raise, cst.Return, cst.Continue, cst.Break))
        if isinstance(last, (cst.Raise, cst.Return, cst.Continue, cst.Break)):
            return True
        return False

    def _negated_subject(test: cst.BaseExpression) -> str | None:
        """X when `test` is `not X`, `X is None` or `X == None`."""
        if isinstance(test, cst.UnaryOperation) and isinstance(test.operator, cst.Not):
            return _code(test.expression)
        if isinstance(test, cst.Comparison) and len(test.comparisons) == 1:
            target = test.comparisons[0]
            if isinstance(target.operator, (cst.Is, cst.Equal)) and m.matches(target.comparator, m.Name("None")):
                return _code(test.left)
        if isinstance(test, cst.BooleanOperation) and isinstance(test.operator, cst.Or):
            return _negated_subject(test.left) or _negated_subject(test.right)
        return None

    def _positive_subject(test: cst.BaseExpression) -> str | None:
        """X when `test` is `X` or `X is not None`."""
        if isinstance(test, (cst.Name, cst.Attribute)):
            return _code(test)
        if isinstance(test, cst.Comparison) and len(test.comparisons) == 1:
            target = test.comparisons[0]
            if isinstance(target.operator, (cst.IsNot, cst.NotEqual)) and m.matches(target.comparator, m.Name("None")):
                return _code(test.left)
        if isinstance(test, cst.BooleanOperation) and isinstance(test.operator, cst.And):
            return _positive_subject(test.left) or _positive_subject(test.right)
        return None

    def _guard_subjects(stmt: cst.CSTNode) -> set[str]:
        """Expressions that `stmt` proves not None for the statements after it."""
        subjects = set()
        if isinstance(stmt, cst.If) and stmt.orelse is None and _exits(stmt.body):
            subject = _negated_subject(stmt.test)
            if subject:
                subjects.add(subject)
        elif isinstance(stmt, cst.SimpleStatementLine):
            for small in stmt.body:
                if isinstance(small, cst.Assert):
                    subject = _positive_subject(small.test)
                    if subject:
                        subjects.add(subject)
        return subjects

    def _is_logging(stmt: cst.CSTNode) -> bool:
        if not (isinstance(stmt, cst.SimpleStatementLine) and len(stmt.body) == 1 and isinstance(stmt.body[0], cst.Expr)):
            return False
        call = stmt.body[0].value
        if not isinstance(call, cst.Call):
            return False
        func = call.func
        if isinstance(func, cst.Name):
            return func.value == "print"
        return isinstance(func, cst.Attribute) and func.attr.value in LOGGING_METHODS

    class _Visitor(CheckVisitor):
        def _statement_of(self, node):
            """(block statements, index) pairs from `node` up to its function."""
            current = node
            while current is not None and not isinstance(current, (cst.FunctionDef, cst.Module)):
                parent = self.parent(current)
                yield current, parent
                current = parent

        def _guarded(self, call: cst.Call, subject: str) -> bool:
            for child, parent in self._statement_of(call):
                if isinstance(parent, (cst.IndentedBlock, cst.Module)):
                    for stmt in parent.body:
                        if stmt is child:
                            break
                        if subject in _guard_subjects(stmt):
                            return True
                elif isinstance(parent, cst.If) and child is parent.body:
                    if _positive_subject(parent.test) == subject:
                        return True
                elif isinstance(parent, cst.IfExp) and child is parent.body:
                    if _positive_subject(parent.test) == subject:
                        return True
            return False

        def _function(self, node) -> cst.FunctionDef | None:
            current = self.parent(node)
            while current is not None and not isinstance(current, cst.FunctionDef):
                current = self.parent(current)
            return current

        def _may_be_none(self, expr: cst.BaseExpression, call: cst.Call) -> bool:
            if m.matches(expr, m.Name("None")):
                return True
            if isinstance(expr, cst.Attribute):
                return True
            if not isinstance(expr, cst.Name):
                return False
            function = self._function(call)
            if function is None:
                return False
            params = function.params
            for param in (*params.posonly_params, *params.params, *params.kwonly_params):
                if param.name.value == expr.value:
                    return param.default is not None and m.matches(param.default, m.Name("None"))
            assigned_none = m.findall(
                function.body,
                m.Assign(targets=[m.AssignTarget(target=m.Name(expr.value))], value=m.Name("None")),
            )
            return bool(assigned_none)

        def visit_Call(self, node):
            func = node.func
            name = func.value if isinstance(func, cst.Name) else func.attr.value if isinstance(func, cst.Attribute) else None
            if name != GUARDED_FUNCTION:
                return
            account = None
            for position, arg in enumerate(node.args):
                if arg.keyword is not None and arg.keyword.value == "account":
                    account = arg.value
                elif arg.keyword is None and arg.star == "" and position == 1:
                    account = arg.value
            if account is None or not self._may_be_none(account, node):
                return
            subject = _code(account)
            if m.matches(account, m.Name("None")) or not self._guarded(node, subject):
                self.report(
                    node,
                    self.scope_name(node),
                    f"`{GUARDED_FUNCTION}` is called with `{subject}` that may be None",
                )

        def _is_engine_task(self, node: cst.FunctionDef) -> bool:
            if node.name.value == TASK_FUNCTION:
                return True
            is_task = False
            for decorator in node.decorators:
                target = decorator.decorator
                if isinstance(target, cst.Call):
                    target = target.func
                names = self.qualified(target)
                if any(n.endswith("shared_task") or n.endswith(".task") for n in names):
                    is_task = True
            if not is_task:
                return False
            return bool(m.findall(node.body, m.Call(func=m.Name(value=m.MatchIfTrue(lambda v: v.endswith("Engine"))))))

        def visit_FunctionDef(self, node):
            params = node.params
            names = {p.name.value for p in (*params.posonly_params, *params.params, *params.kwonly_params)}
            if TASK_PARAMETER not in names or not self._is_engine_task(node):
                return
            body = node.body.body if isinstance(node.body, cst.IndentedBlock) else node.body.body
            for stmt in body:
                if TASK_PARAMETER in _guard_subjects(stmt):
                    return
                if _is_logging(stmt) or not m.findall(stmt, m.Name(TASK_PARAMETER)):
                    continue
                self.report(
                    stmt,
                    self.scope_name(stmt),
                    f"`{node.name.value}` uses `{TASK_PARAMETER}` without checking that it is set",
                )
                return

    return _Visitor


@register
class MissingAccountGuard(Check):
    """`get_model_config` reached with a possibly-None account, or `run_ai_task` without `account_id` validation.

    Without an account there is no IntegrationSettings row to read: fail early and clearly.
    """

    kind, code, fixable = "missing-account-guard", "IG105", True
    VALID = [
        "def execute(self, name):\n    if not self.account:\n        raise ValueError('Account is required')\n"
        "    return get_model_config(name, account=self.account)",
        "def run(name, account):\n    return get_model_config(name, account=account)",
        "def run_ai_task(function_name, payload, account_id=None):\n    if not account_id:\n"
        "        raise ValueError('account_id is required')\n    account = Account.objects.get(id=account_id)",
    ]
    INVALID = [
        "def execute(self, name):\n    return get_model_config(name, account=self.account)",
        "def run(name, account=None):\n    return get_model_config(name, account)",
        "def run_ai_task(function_name, payload, account_id=None):\n    account = None\n    if account_id:\n"
        "        account = Account.objects.get(id=account_id)",
    ]

    def visitor(self, ctx):
        return _visitor_class()(self, ctx)
