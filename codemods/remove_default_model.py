"""Remove the `_default_model` fallback: its initialisation goes, `model or self._default_model` becomes a guard."""
from __future__ import annotations

import argparse
from typing import Sequence

import libcst as cst
import libcst.matchers as m
from libcst.codemod import CodemodContext, SkipFile, VisitorBasedCodemodCommand

from codemods._util import raise_guard, with_body
from codemods.registry import register

ATTRIBUTE = "_default_model"
MESSAGE = "Model is required. Ensure IntegrationSettings is configured for the account."


def _is_default_model(node: cst.CSTNode) -> bool:
    return m.matches(node, m.Attribute(value=m.Name("self"), attr=m.Name(ATTRIBUTE)))


def _assigns_default_model(small: cst.CSTNode) -> bool:
    """`self._default_model = ...` (plain, annotated or augmented)."""
    if isinstance(small, cst.Assign):
        return len(small.targets) == 1 and _is_default_model(small.targets[0].target)
    if isinstance(small, (cst.AnnAssign, cst.AugAssign)):
        return _is_default_model(small.target)
    return False


def _is_settings_import(small: cst.CSTNode) -> bool:
    """`from django.conf import settings [as x]` / `import django.conf...`: what the init needed."""
    if isinstance(small, cst.ImportFrom):
        return m.matches(small.module, m.Attribute(value=m.Name("django"), attr=m.Name("conf")))
    if isinstance(small, cst.Import):
        return all((a.evaluated_name or "").startswith("django") for a in small.names)
    return False


def _only_initialises(statements: Sequence[cst.BaseStatement]) -> bool:
    """True when a block does nothing but set `self._default_model` (and import settings for it)."""
    seen_assignment = False
    for statement in statements:
        if isinstance(statement, cst.SimpleStatementLine):
            for small in statement.body:
                if _assigns_default_model(small):
                    seen_assignment = True
                elif not (_is_settings_import(small) or isinstance(small, cst.Pass)):
                    return False
        elif isinstance(statement, cst.Try):
            if not _is_initialisation_try(statement):
                return False
            seen_assignment = True
        else:
            return False
    return seen_assignment


def _is_initialisation_try(statement: cst.CSTNode) -> bool:
    """`try: <init> except ...: <init>` (optionally with else/finally made of the same)."""
    if not isinstance(statement, cst.Try):
        return False
    blocks = [statement.body.body, *(h.body.body for h in statement.handlers)]
    if statement.orelse is not None:
        blocks.append(statement.orelse.body.body)
    if statement.finalbody is not None:
        blocks.append(statement.finalbody.body.body)
    return _only_initialises(statement.body.body) and all(
        _only_initialises(block) or all(m.matches(s, m.SimpleStatementLine(body=[m.Pass()])) for s in block)
        for block in blocks
    )


@register
class RemoveDefaultModel(VisitorBasedCodemodCommand):
    DESCRIPTION = "Remove the settings-backed `_default_model` and require an explicit model in run_ai_request."

    NEEDS_FACTS = False

    @classmethod
    def prefilter(cls, data: bytes, path: str, config, facts) -> bool:
        """Cheap test on the raw bytes."""
        return ATTRIBUTE.encode() in data

    @classmethod
    def from_config(cls, context: CodemodContext, config, facts) -> "RemoveDefaultModel":
        return cls(context)

    @staticmethod
    def add_args(arg_parser: argparse.ArgumentParser) -> None:
        arg_parser.add_argument(
            "--message", dest="message", default=MESSAGE, metavar="TEXT",
            help="The ValueError message raised when no model is given.",
        )

    def __init__(self, context: CodemodContext, message: str = MESSAGE) -> None:
        super().__init__(context)
        self.message = message

    def visit_Module(self, node: cst.Module) -> bool:
        if not m.findall(node, m.Attribute(attr=m.Name(ATTRIBUTE))):
            raise SkipFile(f"no {ATTRIBUTE} here")
        return True

    def visit_Try(self, node: cst.Try) -> bool:
        return not _is_initialisation_try(node)  # removed whole by the enclosing block

    def _rewrite_block(
        self, originals: Sequence[cst.BaseStatement], statements: Sequence[cst.BaseStatement]
    ) -> list[cst.BaseStatement] | None:
        """The block with initialisations dropped and fallbacks turned into guards; None if unchanged.

        `originals` are the same statements as parsed: import removal looks them up by identity.
        """
        changed = False
        result: list[cst.BaseStatement] = []
        for original, statement in zip(originals, statements):
            if isinstance(statement, cst.Try) and _is_initialisation_try(statement):
                self.remove_unused_import_by_node(original)
                changed = True
                continue
            if isinstance(statement, cst.SimpleStatementLine):
                kept = [s for s in statement.body if not _assigns_default_model(s)]
                if len(kept) != len(statement.body):
                    for small, original_small in zip(statement.body, original.body):
                        if _assigns_default_model(small):
                            self.remove_unused_import_by_node(original_small)
                    changed = True
                    if not kept:
                        continue
                    statement = statement.with_changes(body=[*kept[:-1], kept[-1].with_changes(semicolon=cst.MaybeSentinel.DEFAULT)])
                replaced = self._guard_fallback(statement)
                if replaced is not None:
                    result.extend(replaced)
                    changed = True
                    continue
            result.append(statement)
        return result if changed else None

    def _guard_fallback(self, statement: cst.SimpleStatementLine) -> list[cst.BaseStatement] | None:
        """`x = <model> or self._default_model` (or `<model> if <model> else ...`) -> guard + `x = <model>`."""
        if len(statement.body) != 1:
            return None
        small = statement.body[0]
        if not isinstance(small, (cst.Assign, cst.AnnAssign)) or small.value is None:
            return None
        value = small.value
        if m.matches(value, m.BooleanOperation(operator=m.Or())) and _is_default_model(value.right):
            model = value.left  # `model or self._default_model`
        elif isinstance(value, cst.IfExp) and _is_default_model(value.orelse) and value.body.deep_equals(value.test):
            model = value.body  # `model if model else self._default_model`
        else:
            return None
        guard = raise_guard(self.module, model, self.message).with_changes(leading_lines=statement.leading_lines)
        targets = small.targets if isinstance(small, cst.Assign) else [cst.AssignTarget(small.target)]
        if all(t.target.deep_equals(model) for t in targets) and isinstance(small, cst.Assign):
            return [guard]  # `model = model or self._default_model`
        assignment = statement.with_changes(
            body=[small.with_changes(value=model.with_changes(lpar=[], rpar=[]) if isinstance(model, cst.Name) else model)],
            leading_lines=(),
        )
        return [guard, assignment]

    def leave_IndentedBlock(self, original_node: cst.IndentedBlock, updated_node: cst.IndentedBlock) -> cst.BaseSuite:
        statements = self._rewrite_block(original_node.body, updated_node.body)
        if statements is None:
            return updated_node
        return with_body(updated_node, statements)

    def leave_Module(self, original_node: cst.Module, updated_node: cst.Module) -> cst.Module:
        if m.findall(updated_node, m.Attribute(value=m.Name("self"), attr=m.Name(ATTRIBUTE))):
            self.warn(f"`self.{ATTRIBUTE}` is still read here; remove that use by hand")
        return updated_node
