"""Insert `if not account_id: raise ValueError(...)` in run_ai_task before the account is loaded."""
from __future__ import annotations

import argparse
from typing import Collection

import libcst as cst
import libcst.matchers as m
from libcst.codemod import CodemodContext, SkipFile, VisitorBasedCodemodCommand

from codemods._util import is_raise_guard_for, names_in, raise_guard
from codemods.registry import register

FUNCTIONS = ("run_ai_task",)
PARAMETER = "account_id"
MESSAGE = "account_id is required for AI task execution"


@register
class RequireAccountIdGuard(VisitorBasedCodemodCommand):
    DESCRIPTION = "Require account_id in run_ai_task: guard it and load the account unconditionally."

    NEEDS_FACTS = False

    @classmethod
    def prefilter(cls, data: bytes, path: str, config, facts) -> bool:
        """Cheap test on the raw bytes."""
        return PARAMETER.encode() in data and any(f.encode() in data for f in FUNCTIONS)

    @classmethod
    def from_config(cls, context: CodemodContext, config, facts) -> "RequireAccountIdGuard":
        return cls(context)

    @staticmethod
    def add_args(arg_parser: argparse.ArgumentParser) -> None:
        arg_parser.add_argument(
            "--function", dest="functions", action="append", metavar="NAME",
            help=f"A task function to guard (repeatable). Default: {', '.join(FUNCTIONS)}.",
        )
        arg_parser.add_argument(
            "--message", dest="message", default=MESSAGE, metavar="TEXT",
            help="The ValueError message raised when account_id is missing.",
        )

    def __init__(
        self,
        context: CodemodContext,
        functions: Collection[str] | None = None,
        message: str = MESSAGE,
        parameter: str = PARAMETER,
    ) -> None:
        super().__init__(context)
        self.functions = frozenset(functions or FUNCTIONS)
        self.message = message
        self.parameter = parameter

    def visit_Module(self, node: cst.Module) -> bool:
        if not m.findall(node, m.FunctionDef(name=m.Name(m.MatchIfTrue(lambda n: n in self.functions)))):
            raise SkipFile("no task function here")
        return True

    def leave_FunctionDef(self, original_node: cst.FunctionDef, updated_node: cst.FunctionDef) -> cst.FunctionDef:
        if original_node.name.value not in self.functions or not isinstance(updated_node.body, cst.IndentedBlock):
            return updated_node
        params = original_node.params
        names = {p.name.value for p in (*params.posonly_params, *params.params, *params.kwonly_params)}
        if self.parameter not in names:
            self.warn(f"{original_node.name.value}() has no `{self.parameter}` parameter; left as it is")
            return updated_node
        body = self._rewrite(list(updated_node.body.body))
        if body is None:
            return updated_node
        return updated_node.with_changes(body=updated_node.body.with_changes(body=body))

    def _uses_parameter(self, node: cst.CSTNode) -> bool:
        return self.parameter in names_in(node)

    def _is_load(self, statement: cst.CSTNode) -> bool:
        """`x = <expression using account_id>`: the account being loaded."""
        return m.matches(statement, m.SimpleStatementLine(body=[m.Assign() | m.AnnAssign()])) and (
            statement.body[0].value is not None and self._uses_parameter(statement.body[0].value)
        )

    def _rewrite(self, body: list[cst.BaseStatement]) -> list[cst.BaseStatement] | None:
        subject = cst.Name(self.parameter)
        for index, statement in enumerate(body):
            if is_raise_guard_for(statement, subject):
                return None  # already guarded
            guard = raise_guard(self.module, subject, self.message)
            # `if account_id: account = load(account_id)` (no else): flatten behind the guard
            if (
                isinstance(statement, cst.If)
                and statement.orelse is None
                and m.matches(statement.test, m.Name(self.parameter) | m.Comparison(left=m.Name(self.parameter), comparisons=[m.ComparisonTarget(operator=m.IsNot(), comparator=m.Name("None"))]))
                and isinstance(statement.body, cst.IndentedBlock)
                and statement.body.body
                and self._is_load(statement.body.body[0])
            ):
                start = index
                leading = statement.leading_lines
                previous = body[index - 1] if index else None
                if previous is not None and self._assigns_none(previous, statement.body.body[0]):
                    start, leading = index - 1, previous.leading_lines
                inner = list(statement.body.body)
                inner[0] = inner[0].with_changes(leading_lines=())
                return [*body[:start], guard.with_changes(leading_lines=leading), *inner, *body[index + 1:]]
            if self._is_conditional_load(statement):
                # `account = load(account_id) if account_id else None` -> guard + `account = load(account_id)`
                small = statement.body[0]
                unconditional = statement.with_changes(body=[small.with_changes(value=small.value.body)], leading_lines=())
                return [*body[:index], guard.with_changes(leading_lines=statement.leading_lines), unconditional, *body[index + 1:]]
            if self._is_load(statement):
                return [
                    *body[:index],
                    guard.with_changes(leading_lines=statement.leading_lines),
                    statement.with_changes(leading_lines=()),
                    *body[index + 1:],
                ]
            if not isinstance(statement, cst.SimpleStatementLine) and self._uses_parameter(statement):
                self.warn(f"`{self.parameter}` is used in a shape not rewritten; add the guard by hand")
                return None
        return None

    def _is_conditional_load(self, statement: cst.CSTNode) -> bool:
        parameter = m.Name(self.parameter)
        is_set = parameter | m.Comparison(
            left=parameter, comparisons=[m.ComparisonTarget(operator=m.IsNot(), comparator=m.Name("None"))]
        )
        return m.matches(
            statement,
            m.SimpleStatementLine(body=[m.Assign(value=m.IfExp(test=is_set, orelse=m.Name("None")))
                                        | m.AnnAssign(value=m.IfExp(test=is_set, orelse=m.Name("None")))]),
        )

    @staticmethod
    def _assigns_none(statement: cst.CSTNode, load: cst.SimpleStatementLine) -> bool:
        """`account = None` right before `if account_id: account = ...`."""
        if not m.matches(statement, m.SimpleStatementLine(body=[m.Assign(value=m.Name("None"))])):
            return False
        targets = statement.body[0].targets
        load_targets = load.body[0].targets if isinstance(load.body[0], cst.Assign) else [cst.AssignTarget(load.body[0].target)]
        return len(targets) == 1 and any(targets[0].target.deep_equals(t.target) for t in load_targets)
