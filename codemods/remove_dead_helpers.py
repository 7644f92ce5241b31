"""Remove module-level functions the analysis found unused (internal packages, never a `keep` name)."""
from __future__ import annotations

import argparse
from typing import Collection

import libcst as cst
from libcst.codemod import CodemodContext, SkipFile, VisitorBasedCodemodCommand

from codemods.facts import config_for, facts_for, in_packages, module_name_for, names_under
from codemods.registry import register


@register
class RemoveDeadHelpers(VisitorBasedCodemodCommand):
    DESCRIPTION = "Remove module-level functions nothing in the project calls (get_model, get_max_tokens, ...)."

    NEEDS_FACTS = True

    @classmethod
    def prefilter(cls, data: bytes, path: str, config, facts) -> bool:
        """Cheap test on the raw bytes; `facts` None: not analysed (no internal package in the run)."""
        return facts is not None and path in facts.modules and b"def " in data

    @classmethod
    def from_config(cls, context: CodemodContext, config, facts) -> "RemoveDeadHelpers":
        return cls(
            context, unused=facts.unused, internal=config.internal, keep=config.keep,
            module_name=facts.module_of(context.filename),
        )

    @staticmethod
    def add_args(arg_parser: argparse.ArgumentParser) -> None:
        arg_parser.add_argument(
            "--unused",
            dest="unused",
            action="append",
            metavar="MODULE.FUNCTION",
            help="An unused function, as a dotted name (repeatable). Default: found by the audit.",
        )
        arg_parser.add_argument(
            "--internal", dest="internal", action="append", metavar="PACKAGE",
            help="A package whose functions may be removed (repeatable). Default: from the configuration.",
        )
        arg_parser.add_argument(
            "--keep", dest="keep", action="append", metavar="MODULE.FUNCTION",
            help="A function never removed (repeatable). Default: from the configuration.",
        )

    def __init__(
        self,
        context: CodemodContext,
        unused: Collection[str] | None = None,
        internal: Collection[str] | None = None,
        keep: Collection[str] | None = None,
        module_name: str | None = None,
    ) -> None:
        super().__init__(context)
        self.unused = None if unused is None else frozenset(unused)
        self.internal = None if internal is None else tuple(internal)
        self.keep = None if keep is None else frozenset(keep)
        self.module_name = module_name
        self.names: frozenset[str] = frozenset()

    def visit_Module(self, node: cst.Module) -> bool:
        filename = self.context.filename
        if self.unused is None:
            facts = facts_for(filename)
            unused, module = facts.unused, self.module_name or facts.module_of(filename)
        else:
            unused = self.unused
            module = self.module_name or self.context.full_module_name or (filename and module_name_for(filename))
        if not module:
            raise SkipFile("not inside a package")
        config = None
        internal = self.internal
        keep = self.keep
        if internal is None or keep is None:
            config = config_for(filename)
            internal = config.internal if internal is None else internal
            keep = frozenset(config.keep) if keep is None else keep
        if not in_packages(module, internal):
            raise SkipFile("not an internal package")
        self.names = frozenset(n for n in names_under(unused, module) if f"{module}.{n}" not in keep)
        if not self.names:
            raise SkipFile("no unused functions here")
        return True

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        return False  # only module-level definitions are candidates

    def visit_ClassDef(self, node: cst.ClassDef) -> bool:
        return False

    def leave_Module(self, original_node: cst.Module, updated_node: cst.Module) -> cst.Module:
        body = []
        for statement in updated_node.body:
            if isinstance(statement, cst.FunctionDef) and statement.name.value in self.names:
                self.remove_unused_import_by_node(statement)
                continue
            body.append(statement)
        if len(body) == len(updated_node.body):
            return updated_node
        return updated_node.with_changes(body=body)
