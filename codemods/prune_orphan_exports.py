"""Drop orphan names from `__all__` and the imports that only fed them (internal packages only)."""
from __future__ import annotations

import argparse
from typing import Collection

import libcst as cst
import libcst.matchers as m
from libcst.codemod import CodemodContext, SkipFile, VisitorBasedCodemodCommand
from libcst.metadata import ScopeProvider

from codemods._util import is_all_target, prune_sequence, remove_items
from codemods.facts import config_for, facts_for, in_packages, module_name_for, names_under
from codemods.registry import register

ALL = "__all__"


@register
class PruneOrphanExports(VisitorBasedCodemodCommand):
    DESCRIPTION = "Drop orphan names from __all__ and the imports that existed only to feed them."

    METADATA_DEPENDENCIES = (ScopeProvider,)

    NEEDS_FACTS = True

    @classmethod
    def prefilter(cls, data: bytes, path: str, config, facts) -> bool:
        """Cheap test on the raw bytes; `facts` None: not analysed (no internal package in the run)."""
        return facts is not None and path in facts.modules and b"__all__" in data

    @classmethod
    def from_config(cls, context: CodemodContext, config, facts) -> "PruneOrphanExports":
        return cls(context, orphans=facts.orphans, internal=config.internal, module_name=facts.module_of(context.filename))

    @staticmethod
    def add_args(arg_parser: argparse.ArgumentParser) -> None:
        arg_parser.add_argument(
            "--orphan",
            dest="orphans",
            action="append",
            metavar="MODULE.NAME",
            help="An orphan export, as a dotted name (repeatable). Default: found by the audit.",
        )
        arg_parser.add_argument(
            "--internal",
            dest="internal",
            action="append",
            metavar="PACKAGE",
            help="A package whose exports may be pruned (repeatable). Default: from the configuration.",
        )

    def __init__(
        self,
        context: CodemodContext,
        orphans: Collection[str] | None = None,
        internal: Collection[str] | None = None,
        module_name: str | None = None,
    ) -> None:
        super().__init__(context)
        self.orphans = None if orphans is None else frozenset(orphans)
        self.internal = None if internal is None else tuple(internal)
        self.module_name = module_name
        self.names: frozenset[str] = frozenset()
        self.unused_imports: set[str] = set()

    # -- which names -------------------------------------------------------------------
    def _names_for_module(self) -> frozenset[str]:
        filename = self.context.filename
        if self.orphans is None:
            facts = facts_for(filename)
            orphans, module = facts.orphans, self.module_name or facts.module_of(filename)
        else:
            orphans = self.orphans
            module = self.module_name or self.context.full_module_name
            if module is None and filename:
                module = module_name_for(filename)
        if module is None:
            return frozenset()
        internal = self.internal if self.internal is not None else config_for(filename).internal
        if not in_packages(module, internal):
            return frozenset()
        return names_under(orphans, module)

    def visit_Module(self, node: cst.Module) -> bool:
        self.names = self._names_for_module()
        if not self.names:
            raise SkipFile("no orphan exports here")
        # imports of an orphan name that nothing else in the module references
        scope = self.get_metadata(ScopeProvider, node)
        self.unused_imports = set()
        for name in self.names:
            assignments = scope.assignments[name]
            if assignments and all(
                isinstance(a.node, (cst.Import, cst.ImportFrom)) and not a.references for a in assignments
            ):
                self.unused_imports.add(name)
        return True

    # -- __all__ ---------------------------------------------------------------------
    def _prune_sequence(self, value: cst.BaseExpression) -> cst.BaseExpression:
        return prune_sequence(value, self.names)

    def leave_Assign(self, original_node: cst.Assign, updated_node: cst.Assign) -> cst.Assign:
        if any(is_all_target(t.target) for t in original_node.targets):
            return updated_node.with_changes(value=self._prune_sequence(updated_node.value))
        return updated_node

    def leave_AnnAssign(self, original_node: cst.AnnAssign, updated_node: cst.AnnAssign) -> cst.AnnAssign:
        if is_all_target(original_node.target) and updated_node.value is not None:
            return updated_node.with_changes(value=self._prune_sequence(updated_node.value))
        return updated_node

    def leave_AugAssign(self, original_node: cst.AugAssign, updated_node: cst.AugAssign) -> cst.AugAssign:
        if is_all_target(original_node.target) and isinstance(original_node.operator, cst.AddAssign):
            return updated_node.with_changes(value=self._prune_sequence(updated_node.value))
        return updated_node

    def leave_Call(self, original_node: cst.Call, updated_node: cst.Call) -> cst.Call:
        # __all__.extend([...]) / __all__.append("name") keep their shape; only extend's list is pruned
        if m.matches(original_node.func, m.Attribute(value=m.Name(ALL), attr=m.Name("extend"))) and updated_node.args:
            first = updated_node.args[0]
            return updated_node.with_changes(args=[first.with_changes(value=self._prune_sequence(first.value)), *updated_node.args[1:]])
        return updated_node

    # -- imports ---------------------------------------------------------------------
    def leave_ImportFrom(
        self, original_node: cst.ImportFrom, updated_node: cst.ImportFrom
    ) -> cst.ImportFrom | cst.RemovalSentinel:
        if isinstance(updated_node.names, cst.ImportStar) or not self.unused_imports:
            return updated_node
        if not isinstance(self.get_metadata(ScopeProvider, original_node, None), cst.metadata.GlobalScope):
            return updated_node

        def fed_orphan(alias: cst.ImportAlias) -> bool:
            return alias.evaluated_alias is None and alias.evaluated_name in self.unused_imports or (
                alias.evaluated_alias in self.unused_imports
            )

        opening = updated_node.lpar.whitespace_after if isinstance(updated_node.lpar, cst.LeftParen) else None
        names, opening = remove_items(updated_node.names, fed_orphan, opening)
        if len(names) == len(updated_node.names):
            return updated_node
        if not names:
            return cst.RemoveFromParent()
        changes = {"names": names}
        if opening is not None:
            changes["lpar"] = updated_node.lpar.with_changes(whitespace_after=opening)
        elif not isinstance(updated_node.lpar, cst.LeftParen):
            # an unparenthesised import may not end with a comma
            names[-1] = names[-1].with_changes(comma=cst.MaybeSentinel.DEFAULT)
        return updated_node.with_changes(**changes)

    def leave_Import(self, original_node: cst.Import, updated_node: cst.Import) -> cst.Import | cst.RemovalSentinel:
        if not self.unused_imports:
            return updated_node
        if not isinstance(self.get_metadata(ScopeProvider, original_node, None), cst.metadata.GlobalScope):
            return updated_node

        def fed_orphan(alias: cst.ImportAlias) -> bool:
            return alias.asname is not None and alias.evaluated_alias in self.unused_imports

        names, _ = remove_items(updated_node.names, fed_orphan, None)
        if len(names) == len(updated_node.names):
            return updated_node
        if not names:
            return cst.RemoveFromParent()
        names[-1] = names[-1].with_changes(comma=cst.MaybeSentinel.DEFAULT)
        return updated_node.with_changes(names=names)
