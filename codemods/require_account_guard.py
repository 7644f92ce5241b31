"""Insert `if not <account>: raise ValueError(...)` before get_model_config(..., account=<account>)."""
from __future__ import annotations

import argparse
from typing import Collection, Sequence

import libcst as cst
import libcst.matchers as m
from libcst.codemod import CodemodContext, SkipFile, VisitorBasedCodemodCommand

from codemods._util import raise_guard
from codemods.facts import facts_for
from codemods.registry import register

FUNCTION = "get_model_config"
MESSAGE = "Account is required for AI function execution"


def _account_argument(call: cst.Call, function: str) -> cst.BaseExpression | None:
    """The account passed to `function(...)` (keyword `account=` or second positional)."""
    if not m.matches(call.func, m.Name(function) | m.Attribute(attr=m.Name(function))):
        return None
    positional = [a for a in call.args if a.keyword is None and not a.star]
    for arg in call.args:
        if arg.keyword is not None and arg.keyword.value == "account":
            return arg.value
    if len(positional) >= 2:
        return positional[1].value
    return None


@register
class RequireAccountGuard(VisitorBasedCodemodCommand):
    DESCRIPTION = "Require an account before get_model_config(): insert the seed's account guard."

    NEEDS_FACTS = True

    @classmethod
    def prefilter(cls, data: bytes, path: str, config, facts) -> bool:
        """Cheap test on the raw bytes; `facts` None: not analysed yet (text alone decides)."""
        return FUNCTION.encode() in data and (facts is None or bool(facts.guards_for(path)))

    @classmethod
    def from_config(cls, context: CodemodContext, config, facts) -> "RequireAccountGuard":
        return cls(context, scopes=facts.guards_for(context.filename))

    @staticmethod
    def add_args(arg_parser: argparse.ArgumentParser) -> None:
        arg_parser.add_argument(
            "--scope", dest="scopes", action="append", metavar="MODULE.FUNCTION",
            help="A function the audit flagged (repeatable). Default: found by the audit (missing-account-guard).",
        )
        arg_parser.add_argument(
            "--message", dest="message", default=MESSAGE, metavar="TEXT",
            help="The ValueError message raised when the account is missing.",
        )

    def __init__(
        self,
        context: CodemodContext,
        scopes: Collection[str] | None = None,
        message: str = MESSAGE,
        function: str = FUNCTION,
    ) -> None:
        super().__init__(context)
        self.scopes = None if scopes is None else frozenset(scopes)
        self.message = message
        self.function = function
        self._guarded: list[frozenset[str]] = [frozenset()]
        self._blocks: list[tuple[cst.IndentedBlock, dict[int, int], list[int]]] = []
        self._names: list[str] = []  # enclosing classes and functions
        self._functions: list[cst.FunctionDef] = []

    def visit_Module(self, node: cst.Module) -> bool:
        if self.scopes is None:
            self.scopes = facts_for(self.context.filename).guards_for(self.context.filename)
        if not self.scopes:
            raise SkipFile("no missing-account-guard finding here")
        if not m.findall(node, m.Call(func=m.Name(self.function) | m.Attribute(attr=m.Name(self.function)))):
            raise SkipFile(f"no {self.function}() call here")
        return True

    # -- where we are ------------------------------------------------------------------
    def visit_ClassDef(self, node: cst.ClassDef) -> bool:
        self._names.append(node.name.value)
        return True

    def leave_ClassDef(self, original_node: cst.ClassDef, updated_node: cst.ClassDef) -> cst.ClassDef:
        self._names.pop()
        return updated_node

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        if node.name.value == self.function:
            return False  # its own body validates the account already
        self._names.append(node.name.value)
        self._functions.append(node)
        return True

    def leave_FunctionDef(self, original_node: cst.FunctionDef, updated_node: cst.FunctionDef) -> cst.FunctionDef:
        if original_node.name.value != self.function:
            self._names.pop()
            self._functions.pop()
        return updated_node

    def _in_flagged_scope(self) -> bool:
        if not self._names:
            return False
        qualified = ".".join(self._names)
        module = self.context.full_module_name
        return any(
            scope == qualified or scope.endswith("." + qualified) or (module and scope == f"{module}.{qualified}")
            for scope in self.scopes
        )

    def _may_be_none(self, account: cst.BaseExpression) -> bool:
        """As the audit sees it: an attribute, a parameter defaulting to None, a local once set to None."""
        if isinstance(account, cst.Attribute):
            return True
        if not isinstance(account, cst.Name) or not self._functions:
            return False
        function = self._functions[-1]
        params = function.params
        for param in (*params.posonly_params, *params.params, *params.kwonly_params):
            if param.name.value == account.value:
                return param.default is not None and m.matches(param.default, m.Name("None"))
        return bool(m.findall(function.body, m.Assign(targets=[m.AssignTarget(m.Name(account.value))], value=m.Name("None"))))

    def _accounts_in(self, statement: cst.SimpleStatementLine) -> list[cst.BaseExpression]:
        accounts = []
        if not self._in_flagged_scope():
            return accounts
        for call in m.findall(statement, m.Call()):
            account = _account_argument(call, self.function)
            if account is None:
                continue
            if m.matches(account, m.Name("None")):
                self.warn(f"{self.function}() is called with account=None; left as it is")
                continue
            if not m.matches(account, m.Name() | m.Attribute()):
                self.warn(f"{self.function}() account is not a plain name or attribute; left as it is")
                continue
            if not self._may_be_none(account):
                continue
            if not any(account.deep_equals(a) for a in accounts):
                accounts.append(account)
        return accounts

    def on_visit(self, node: cst.CSTNode) -> bool:
        # remember which statement of the innermost block is being visited
        if self._blocks and id(node) in self._blocks[-1][1]:
            self._blocks[-1][2][0] = self._blocks[-1][1][id(node)]
        return super().on_visit(node)

    def visit_IndentedBlock(self, node: cst.IndentedBlock) -> bool:
        # a nested block inherits the guards that precede it in the enclosing blocks
        inherited = set(self._guarded[-1])
        if self._blocks:
            parent, _, current = self._blocks[-1]
            for statement in parent.body[: current[0]]:
                inherited |= _guard_subjects(statement)
            enclosing = parent.body[current[0]] if current[0] < len(parent.body) else None
            if isinstance(enclosing, cst.If) and enclosing.body is node:
                inherited |= _positive(enclosing.test)  # inside `if X:`
        self._guarded.append(frozenset(inherited))
        self._blocks.append((node, {id(s): i for i, s in enumerate(node.body)}, [0]))
        return True

    def _rewrite_block(self, statements: Sequence[cst.BaseStatement], inherited: frozenset[str]) -> list[cst.BaseStatement] | None:
        changed = False
        guarded = set(inherited)
        result: list[cst.BaseStatement] = []
        for statement in statements:
            if isinstance(statement, cst.SimpleStatementLine):
                guards = []
                for account in self._accounts_in(statement):
                    key = _key(account)
                    if key in guarded:
                        continue
                    guards.append(raise_guard(self.module, account, self.message))
                    guarded.add(key)
                if guards:
                    guards[0] = guards[0].with_changes(leading_lines=statement.leading_lines)
                    result.extend(guards)
                    statement = statement.with_changes(leading_lines=())
                    changed = True
            guarded |= _guard_subjects(statement)
            result.append(statement)
        return result if changed else None

    def leave_IndentedBlock(self, original_node: cst.IndentedBlock, updated_node: cst.IndentedBlock) -> cst.IndentedBlock:
        inherited = self._guarded.pop()
        self._blocks.pop()
        statements = self._rewrite_block(updated_node.body, inherited)
        return updated_node if statements is None else updated_node.with_changes(body=statements)


def _key(node: cst.CSTNode) -> str:
    """An expression's source without whitespace: `self.account` however it is spaced."""
    return "".join(cst.Module(body=[]).code_for_node(node).split())


def _exits(body: cst.BaseSuite) -> bool:
    statements = body.body
    if not statements:
        return False
    last = statements[-1]
    if isinstance(last, cst.SimpleStatementLine):
        return bool(last.body) and isinstance(last.body[-1], (cst.Raise, cst.Return))
    return isinstance(last, (cst.Raise, cst.Return))


def _negated(test: cst.BaseExpression) -> set[str]:
    """X for `not X`, `X is None`, `X == None` (either side of an `or`)."""
    if isinstance(test, cst.UnaryOperation) and isinstance(test.operator, cst.Not):
        return {_key(test.expression)}
    if isinstance(test, cst.Comparison) and len(test.comparisons) == 1:
        target = test.comparisons[0]
        if isinstance(target.operator, (cst.Is, cst.Equal)) and m.matches(target.comparator, m.Name("None")):
            return {_key(test.left)}
    if isinstance(test, cst.BooleanOperation) and isinstance(test.operator, cst.Or):
        return _negated(test.left) | _negated(test.right)
    return set()


def _positive(test: cst.BaseExpression) -> set[str]:
    """X for `X`, `X is not None`, `X != None` (either side of an `and`)."""
    if isinstance(test, (cst.Name, cst.Attribute)):
        return {_key(test)}
    if isinstance(test, cst.Comparison) and len(test.comparisons) == 1:
        target = test.comparisons[0]
        if isinstance(target.operator, (cst.IsNot, cst.NotEqual)) and m.matches(target.comparator, m.Name("None")):
            return {_key(test.left)}
    if isinstance(test, cst.BooleanOperation) and isinstance(test.operator, cst.And):
        return _positive(test.left) | _positive(test.right)
    return set()


def _guard_subjects(statement: cst.CSTNode) -> set[str]:
    """What `statement` proves set for the statements after it (the audit's rule)."""
    if isinstance(statement, cst.If) and statement.orelse is None and _exits(statement.body):
        return _negated(statement.test)
    if isinstance(statement, cst.SimpleStatementLine):
        found = set()
        for small in statement.body:
            if isinstance(small, cst.Assert):
                found |= _positive(small.test)
        return found
    return set()
