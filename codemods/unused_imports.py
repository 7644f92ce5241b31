"""The imports of a module that nothing reads, as LibCST's GatherUnusedImportsVisitor finds them, without its cost.

GatherUnusedImportsVisitor, and the GatherExportsVisitor and GatherNamesFromStringAnnotationsVisitor it builds
for each module, are matcher-decoratable visitors: building one scans every attribute of its class for matcher
decorators (15-25 ms an instance, three instances a module), and the string-annotation visitor needs
QualifiedNameProvider resolved for every node of the module. `unused_imports` gives the same pairs from one
plain traversal and the module's ScopeProvider metadata:

- the candidates (every `import`; every `from` import except star imports, `from . import` with no module
  name, and `from __future__`) and the in-use test are GatherUnusedImportsVisitor's `visit_Import`,
  `visit_ImportFrom` and `is_in_use`;
- the names read in string annotations are GatherNamesFromStringAnnotationsVisitor's: its visit methods on
  a plain visitor, each qualified name computed from the node's scope as QualifiedNameProvider computes it,
  and only for the calls and subscripts the traversal reaches;
- the names in `__all__` are GatherExportsVisitor's: its visit methods on a plain visitor, run on the
  assignments that can set `__all__` only (nothing else it visits can hold an assignment).

tests/codemods/test_unused_imports_parity.py holds the result to GatherUnusedImportsVisitor's own over
Django, LibCST and this repository's trees.
"""
from __future__ import annotations

from typing import Collection, Mapping, Union, cast

import libcst as cst
import libcst.matchers as m
from libcst.codemod.visitors._gather_string_annotation_names import FUNCS_CONSIDERED_AS_STRING_ANNOTATIONS
from libcst.codemod.visitors._gather_unused_imports import MODULES_IGNORED_BY_DEFAULT
from libcst.helpers import get_full_name_for_node
from libcst.metadata import ImportAssignment, MetadataWrapper, ParentNodeProvider, Scope, ScopeProvider
from libcst.metadata.scope_provider import _gen_dotted_names  # what GatherUnusedImportsVisitor itself uses

Imported = tuple[cst.ImportAlias, Union[cst.Import, cst.ImportFrom]]


def unused_imports(wrapper: MetadataWrapper) -> set[Imported]:
    """GatherUnusedImportsVisitor's `unused_imports` after visiting `wrapper.module`: (alias, import) pairs."""
    scopes = wrapper.resolve(ScopeProvider)
    found = _Gather(scopes)
    wrapper.module.visit(found)
    exports = _Exports()
    for statement in found.exports:
        statement.visit(exports)
    exported = exports.explicit_exported_objects
    unused = set()
    for alias, node in found.imports:
        scope = scopes[node]  # as GatherUnusedImportsVisitor's get_metadata: every import has a scope
        if scope is not None and not _in_use(scope, alias, exported, found.names):
            unused.add((alias, node))
    return unused


def _in_use(scope: Scope, alias: cst.ImportAlias, exported: Collection[str], annotation_names: Collection[str]) -> bool:
    """GatherUnusedImportsVisitor.is_in_use: a name the alias binds is exported, named in a string annotation,
    or bound by an import that something reads."""
    asname = alias.asname
    names = _gen_dotted_names(cst.ensure_type(asname.name, cst.Name) if asname is not None else alias.name)
    for name_or_alias, _ in names:
        if name_or_alias in exported or name_or_alias in annotation_names:
            return True
        for assignment in scope[name_or_alias]:
            if isinstance(assignment, ImportAssignment) and len(assignment.references) > 0:
                return True
    return False


def _may_set_all(node: Union[cst.Assign, cst.AnnAssign, cst.AugAssign]) -> bool:
    """Whether `_Exports` can take exports from `node` (a superset: it decides)."""
    targets = [t.target for t in node.targets] if isinstance(node, cst.Assign) else [node.target]
    for target in targets:
        if get_full_name_for_node(target) == "__all__":
            return True
        if isinstance(target, cst.Tuple) and any(get_full_name_for_node(e.value) == "__all__" for e in target.elements):
            return True
    return False


class _Gather(cst.CSTVisitor):
    """One traversal: the imports (GatherUnusedImportsVisitor's candidates), the assignments that may set
    `__all__`, and the names in string annotations (GatherNamesFromStringAnnotationsVisitor on a plain visitor).

    The string-annotation visitor does not descend into a call that is not a typing function, a `Literal[...]`
    subscript, or a string; none of those can hold a statement or an annotation, so skipping them loses no
    import and no assignment.
    """

    def __init__(
        self,
        scopes: Mapping[cst.CSTNode, Scope | None],
        ignored_modules: Collection[str] = MODULES_IGNORED_BY_DEFAULT,
        typing_functions: Collection[str] = FUNCS_CONSIDERED_AS_STRING_ANNOTATIONS,
    ) -> None:
        super().__init__()
        self._scopes = scopes
        self._ignored_modules = ignored_modules
        self._typing_functions = typing_functions
        self._annotation_stack: list[cst.CSTNode] = []
        self.imports: list[Imported] = []
        self.exports: list[cst.CSTNode] = []
        self.names: set[str] = set()

    def _qualified_names(self, node: cst.CSTNode):
        """QualifiedNameProvider's value for `node`."""
        scope = self._scopes.get(node)
        return scope.get_qualified_names_for(node) if scope else set()

    # GatherUnusedImportsVisitor
    def visit_Import(self, node: cst.Import) -> bool:
        self.imports.extend((alias, node) for alias in node.names)
        return False

    def visit_ImportFrom(self, node: cst.ImportFrom) -> bool:
        module = node.module
        if not isinstance(node.names, cst.ImportStar) and module is not None and module.value not in self._ignored_modules:
            self.imports.extend((alias, node) for alias in node.names)
        return False

    # GatherExportsVisitor's statements
    def _assignment(self, node: Union[cst.Assign, cst.AnnAssign, cst.AugAssign]) -> bool:
        if _may_set_all(node):
            self.exports.append(node)
        return True

    visit_Assign = visit_AnnAssign = visit_AugAssign = _assignment

    # GatherNamesFromStringAnnotationsVisitor
    def visit_Annotation(self, node: cst.Annotation) -> bool:
        self._annotation_stack.append(node)
        return True

    def leave_Annotation(self, original_node: cst.Annotation) -> None:
        self._annotation_stack.pop()

    def visit_Subscript(self, node: cst.Subscript) -> bool:
        # A Literal["foo"] should not be interpreted as a use of the symbol "foo".
        return not any(qn.name == "typing.Literal" for qn in self._qualified_names(node))

    def visit_Call(self, node: cst.Call) -> bool:
        if any(qn.name in self._typing_functions for qn in self._qualified_names(node)):
            self._annotation_stack.append(node)
            return True
        return False

    def leave_Call(self, original_node: cst.Call) -> None:
        if self._annotation_stack and self._annotation_stack[-1] == original_node:
            self._annotation_stack.pop()

    def visit_ConcatenatedString(self, node: cst.ConcatenatedString) -> bool:
        if self._annotation_stack:
            self._handle_any_string(node)
        return False

    def visit_SimpleString(self, node: cst.SimpleString) -> bool:
        if self._annotation_stack:
            self._handle_any_string(node)
        return False

    def _handle_any_string(self, node: Union[cst.SimpleString, cst.ConcatenatedString]) -> None:
        value = node.evaluated_value
        if value is None:
            return
        try:
            mod = cst.parse_module(value)
        except cst.ParserSyntaxError:
            # Not all strings inside a type annotation are meant to be valid Python code.
            return
        extracted_nodes = m.extractall(
            mod,
            m.Name(
                value=m.SaveMatchedNode(m.DoNotCare(), "name"),
                metadata=m.MatchMetadataIfTrue(ParentNodeProvider, lambda parent: not isinstance(parent, cst.Attribute)),
            )
            | m.SaveMatchedNode(m.Attribute(), "attribute"),
            metadata_resolver=MetadataWrapper(mod, unsafe_skip_copy=True),
        )
        self.names.update(cast(str, values["name"]) for values in extracted_nodes if "name" in values)
        self.names.update(
            name
            for values in extracted_nodes
            if "attribute" in values
            for name, _ in _gen_dotted_names(cast(cst.Attribute, values["attribute"]))
        )


class _Exports(cst.CSTVisitor):
    """GatherExportsVisitor on a plain visitor: `explicit_exported_objects`, the strings of the lists, tuples
    and sets assigned to `__all__` (`=`, annotated, `+=` of a list or tuple, and one item of a tuple assignment).

    The statements it is given are all it needs: GatherExportsVisitor looks into nothing else that can hold an
    assignment, and its state does not outlive a statement.
    """

    def __init__(self) -> None:
        super().__init__()
        self.explicit_exported_objects: set[str] = set()
        self._is_assigned_export: set[Union[cst.Tuple, cst.List, cst.Set]] = set()
        self._in_assigned_export: set[Union[cst.Tuple, cst.List, cst.Set]] = set()

    def visit_AnnAssign(self, node: cst.AnnAssign) -> bool:
        value = node.value
        if value:
            if self._handle_assign_target(node.target, value):
                return True
        return False

    def visit_AugAssign(self, node: cst.AugAssign) -> bool:
        if m.matches(node, m.AugAssign(target=m.Name("__all__"), operator=m.AddAssign(), value=m.List() | m.Tuple())):
            value = node.value
            if isinstance(value, (cst.List, cst.Tuple)):
                self._is_assigned_export.add(value)
            return True
        return False

    def visit_Assign(self, node: cst.Assign) -> bool:
        for target_node in node.targets:
            if self._handle_assign_target(target_node.target, node.value):
                return True
        return False

    def _handle_assign_target(self, target: cst.BaseExpression, value: cst.BaseExpression) -> bool:
        target_name = get_full_name_for_node(target)
        if target_name == "__all__":
            # Assignments such as `__all__ = ["os"]` or `__all__ = exports = ["os"]`
            if isinstance(value, (cst.List, cst.Tuple, cst.Set)):
                self._is_assigned_export.add(value)
                return True
        elif isinstance(target, cst.Tuple) and isinstance(value, cst.Tuple):
            # Assignments such as `__all__, x = ["os"], []`
            for element_idx, element_node in enumerate(target.elements):
                element_name = get_full_name_for_node(element_node.value)
                if element_name == "__all__":
                    element_value = value.elements[element_idx].value
                    if isinstance(element_value, (cst.List, cst.Tuple, cst.Set)):
                        self._is_assigned_export.add(value)
                        self._is_assigned_export.add(element_value)
                        return True
        return False

    def _visit_collection(self, node: Union[cst.List, cst.Tuple, cst.Set]) -> bool:
        if node in self._is_assigned_export:
            self._in_assigned_export.add(node)
            return True
        return False

    def _leave_collection(self, original_node: Union[cst.List, cst.Tuple, cst.Set]) -> None:
        self._is_assigned_export.discard(original_node)
        self._in_assigned_export.discard(original_node)

    visit_List = visit_Tuple = visit_Set = _visit_collection
    leave_List = leave_Tuple = leave_Set = _leave_collection

    def visit_SimpleString(self, node: cst.SimpleString) -> bool:
        self._handle_string_export(node)
        return False

    def visit_ConcatenatedString(self, node: cst.ConcatenatedString) -> bool:
        self._handle_string_export(node)
        return False

    def _handle_string_export(self, node: Union[cst.SimpleString, cst.ConcatenatedString]) -> None:
        if self._in_assigned_export:
            name = node.evaluated_value
            if not isinstance(name, str):
                return
            self.explicit_exported_objects.add(name)
