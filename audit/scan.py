"""The per-file pass: read and parse one file once, and reduce it to a `FileScan` record.

LibCST runs only on files whose names show a rule may match.
"""

from __future__ import annotations

import ast
import bisect
import io
import re
import sys
import tokenize
import warnings
from pathlib import Path

from vulture.core import _ignore_function
from vulture.utils import get_decorator_name

from igny8_refactor.audit.checks import file_rules_want, trigger_words
from igny8_refactor.audit.pool import collector_paused
from igny8_refactor.audit.records import (
    Export,
    FileFinding,
    FileScan,
    Function,
    Import,
    ScanSettings,
    Suppression,
    resolve_relative,
)
from igny8_refactor.audit.rule_visitor import run_file_checks
from igny8_refactor.audit.source import SourceError, decode, read_source

SUPPRESSION = re.compile(r"#\s*igny8:\s*ignore(-file)?\b(?:\[([^\]]*)\])?", re.IGNORECASE)
DOTTED = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)+(?::[A-Za-z_][A-Za-z0-9_]*)?$")
DYNAMIC_IMPORTERS = frozenset({"import_module", "__import__"})
DEEP_LIMIT = 12000
LARGE_FILE = 200_000  # characters; above this LibCST sees only the statements that can match
FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)
# a name bound inside one of these is not a module global
SCOPES = (*FUNCTIONS, ast.ClassDef, ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)
SCOPE, FUNCTION = "scope", "function"
IMPORT_HOOKS = frozenset({"meta_path", "path_hooks"})
# decorators that bind names in the module namespace behind the scan's back
NAMESPACE_DECORATORS = frozenset({"global_enum", "_simple_enum"})
CONDITIONAL = (ast.If, ast.Try, ast.TryStar, ast.While, ast.For, ast.AsyncFor, ast.With, ast.AsyncWith, ast.Match)
# fields that never hold a node: names, numbers, operators and contexts
LEAF_FIELDS = frozenset(
    "ctx op ops id attr name names asname module level arg kind type_comment conversion is_async simple kwd_attrs"
    " rest tag lineno".split()
)
SORTED_FACTS = ("bound", "local", "classes", "reads", "value_reads", "attrs", "strings")  # walker sets kept sorted


class _Walker:
    """Collects imports, uses and module-level bindings, in a post-order traversal like vulture's that never
    steps into fields that cannot hold a node; vulture's rules decide which definitions are functions."""

    def __init__(self, path: str, module: str, is_package: bool, model_re, lines: list[str] | None = None):
        self.filename = Path(path)  # vulture's rules tell test files by their path
        self.module = module
        self.is_package = is_package
        self.model_re = model_re
        self.lines = lines  # None: an ASCII file, whose byte offsets are its columns
        self.cond = self.in_function = self.scopes = 0  # nesting depths; `scopes` counts classes, comprehensions too
        # the facts `FileScan` keeps (its fields say what each holds)
        self.bound, self.local, self.classes = set(), set(), set()
        self.reads, self.value_reads, self.attrs, self.strings, self.name_strings = set(), set(), set(), set(), set()
        self.imports: list[Import] = []
        self.functions: list[Function] = []  # every module-level definition, vulture's functions or not
        self.exports: list[Export] = []
        self.all_refs: list[str] = []  # `other.__all__` pieces
        self.all_declared = self.all_unknown = self.uses_globals = self.dynamic_import = False
        self.identifiers: set[str] = set()  # every name and attribute spelled in the file (what the rules look for)
        self.function_names: set[str] = set()  # what vulture counts as functions (not methods, not test functions)
        self.model_lines: list[int] = []

    _dispatch: dict = {}
    _leaves: dict = {}  # the commonest nodes (names, attributes, constants), visited without the dispatch

    def visit(self, node):
        cls = node.__class__
        info = self._dispatch.get(cls)
        if info is None:
            info = self._dispatch[cls] = _node_info(type(self), cls)
        method, cond, scope, fields = info
        if cond:
            self.cond += 1
        if scope:
            self.scopes += 1
            if scope is FUNCTION:
                self.in_function += 1
        leaves = self._leaves
        for field in fields:
            value = getattr(node, field)
            if value.__class__ is list:
                for item in value:
                    leaf = leaves.get(item.__class__)
                    if leaf is not None:
                        leaf(self, item)
                    elif item is not None:
                        self.visit(item)
            else:
                leaf = leaves.get(value.__class__)
                if leaf is not None:
                    leaf(self, value)
                elif value is not None:
                    self.visit(value)
        if cond:
            self.cond -= 1
        if scope:
            self.scopes -= 1
            if scope is FUNCTION:
                self.in_function -= 1
        if method is not None:
            method(self, node)

    def column(self, line: int, col: int) -> int:
        return _char_col(self.lines, line, col) if self.lines else col + 1

    def visit_Assign(self, node):  # not vulture's, which counts `__all__` strings as uses
        targets = node.targets if node.__class__ is ast.Assign else [node.target]
        if not self.scopes and node.value is not None and any(_declares_all(target) for target in targets):
            self.all_declared = self.all_declared or node.__class__ is not ast.AugAssign
            self._all_value(node.value)

    visit_AnnAssign = visit_AugAssign = visit_Assign

    def _export(self, node: ast.Constant, prunable: bool) -> None:
        self.exports.append(Export(node.value, node.lineno, self.column(node.lineno, node.col_offset), prunable))

    def _all_value(self, value) -> None:
        if isinstance(value, (ast.List, ast.Tuple)) and all(_is_string(elt) for elt in value.elts):
            for elt in value.elts:
                self._export(elt, True)
        elif isinstance(value, ast.BinOp) and isinstance(value.op, ast.Add):
            self._all_value(value.left)
            self._all_value(value.right)
        elif (
            isinstance(value, ast.Attribute)
            and value.attr == "__all__"
            and isinstance(value.value, (ast.Name, ast.Attribute))
        ):
            self.all_refs.append(ast.unparse(value.value))
        elif (
            isinstance(value, ast.Call)
            and isinstance(value.func, ast.Name)
            and value.func.id in ("list", "tuple")
            and len(value.args) == 1
        ):
            self._all_value(value.args[0])
        elif not (isinstance(value, ast.Name) and value.id == "__all__"):
            self.all_unknown = True

    def visit_Expr(self, node):
        func, args = getattr(node.value, "func", None), getattr(node.value, "args", ())
        if self.scopes or not (isinstance(func, ast.Attribute) and getattr(func.value, "id", None) == "__all__"):
            return
        if func.attr == "append" and len(args) == 1 and _is_string(args[0]):
            self._export(args[0], False)
        elif func.attr == "extend" and len(args) == 1:
            self._all_value(args[0])
        elif func.attr not in ("remove", "sort", "reverse", "pop", "clear"):
            self.all_unknown = True

    def visit_Name(self, node):
        name = node.id
        self.identifiers.add(name)
        ctx = node.ctx.__class__
        if ctx is not ast.Store:
            self.reads.add(name)
            self.value_reads.add(name)
        if ctx is not ast.Load and not self.scopes:
            self.bound.add(name)
            if ctx is ast.Store:
                self.local.add(name)

    def visit_ExceptHandler(self, node):  # also `match` captures: module-level names, not local definitions
        if node.name and not self.scopes:
            self.bound.add(node.name)

    visit_MatchAs = visit_MatchStar = visit_ExceptHandler

    def visit_MatchMapping(self, node):
        if node.rest and not self.scopes:
            self.bound.add(node.rest)

    def visit_Attribute(self, node):
        self.identifiers.add(node.attr)
        value = node.value
        chain = [node.attr]
        while value.__class__ is ast.Attribute:
            chain.append(value.attr)
            value = value.value
        if node.value.__class__ is not ast.Name:
            self.visit(node.value)
        else:
            # the object was not visited as a bare name (see `_node_info`): read it here
            self.identifiers.add(value.id)
            self.reads.add(value.id)
        if node.ctx.__class__ is ast.Store:
            return
        if node.attr == "f_globals" or (node.attr in IMPORT_HOOKS and getattr(node.value, "id", None) == "sys"):
            # `sys._getframe(1).f_globals[...] = ...` injects names; an import hook may provide any submodule
            self.uses_globals = True
        if value.__class__ is ast.Name:
            self.attrs.add(".".join([value.id, *reversed(chain)]))
        else:
            # attribute of a call result, subscript, literal...: a use by name, as vulture counts it
            self.attrs.add("?." + node.attr)

    def visit_FunctionDef(self, node):
        self.identifiers.add(node.name)
        decorators = {get_decorator_name(decorator) for decorator in node.decorator_list}
        first = node.args.args[0].arg if node.args.args else None
        # vulture's function: not a property, not a method, not a test function in a test file
        if decorators.isdisjoint({"@property", "@staticmethod", "@classmethod"}) and first != "self":
            if not _ignore_function(self.filename, node.name):
                self.function_names.add(node.name)
        if self.scopes:
            return
        self.bound.add(node.name)
        self.local.add(node.name)
        start = min([node.lineno] + [d.lineno for d in node.decorator_list])
        column = self.column(node.lineno, node.col_offset)
        self.functions.append(
            Function(node.name, node.lineno, column, bool(node.decorator_list), node.end_lineno, start, self.cond > 0)
        )

    visit_AsyncFunctionDef = visit_FunctionDef

    def visit_Constant(self, node):
        value = node.value
        if type(value) is str and 2 < len(value) < 200:
            if len(value) < 64 and value.isidentifier():
                self.identifiers.add(value)  # getattr(settings, "NAME"), {"model": ...} keys
                self.name_strings.add(value)
            if "." in value and DOTTED.match(value):
                self.strings.add(value.replace(":", "."))  # "pkg.mod:attr" names pkg.mod.attr
            elif self.model_re.match(value):
                self.model_lines.append(node.lineno)

    def visit_ClassDef(self, node):
        for decorator in node.decorator_list:
            target = decorator.func if isinstance(decorator, ast.Call) else decorator
            name = target.attr if isinstance(target, ast.Attribute) else getattr(target, "id", "")
            if name in NAMESPACE_DECORATORS:
                self.uses_globals = True
        if not self.scopes:
            self.bound.add(node.name)
            self.local.add(node.name)
            self.classes.add(node.name)

    def visit_Subscript(self, node):
        # sys.modules[__name__]: the module may be replaced or extended
        value = node.value
        if (
            isinstance(value, ast.Attribute)
            and value.attr == "modules"
            and getattr(value.value, "id", None) == "sys"
            and getattr(node.slice, "id", None) == "__name__"
        ):
            self.uses_globals = True

    def visit_Global(self, node):
        self.bound.update(node.names)
        self.local.update(node.names)

    def visit_Call(self, node):
        func = node.func
        if isinstance(func, ast.Name) and func.id in ("globals", "vars") and not node.args:
            self.uses_globals = True
        name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else None
        if name in DYNAMIC_IMPORTERS and node.args and not isinstance(node.args[0], ast.Constant):
            self.dynamic_import = True  # a module by a computed name: any module object may flow anywhere

    def visit_Import(self, node):
        column = self.column(node.lineno, node.col_offset)
        for alias in node.names:
            self.identifiers.update(alias.name.split("."))
            self.imports.append(
                Import("import", alias.name, None, alias.asname, node.lineno, column, self.cond > 0, not self.scopes)
            )
            if not self.scopes:
                self.bound.add(alias.asname or alias.name.split(".")[0])

    def visit_ImportFrom(self, node):
        target = resolve_relative(self.module, self.is_package, node.level or 0, node.module)
        # a relative import inside a function may run in another package's namespace: not checked
        unchecked = self.cond > 0 or bool(node.level and self.in_function)
        for alias in node.names:
            self.identifiers.add(alias.name)
            column = self.column(alias.lineno, alias.col_offset)
            self.imports.append(
                Import("from", target, alias.name, alias.asname, alias.lineno, column, unchecked, not self.scopes)
            )
            if not self.scopes and alias.name != "*":
                self.bound.add(alias.asname or alias.name)


_Walker._leaves = {
    ast.Name: _Walker.visit_Name,
    ast.Attribute: _Walker.visit_Attribute,
    ast.Constant: _Walker.visit_Constant,
}


def _node_info(walker, cls) -> tuple:
    """(visitor, is conditional, scope (None, SCOPE or FUNCTION), fields to step into) for one node class."""
    if cls in (ast.Constant, ast.MatchSingleton, ast.Attribute):
        fields = ()  # a constant's value is not a node; `visit_Attribute` steps into its object itself
    else:
        fields = tuple(f for f in cls._fields if f not in LEAF_FIELDS)
    return (
        getattr(walker, "visit_" + cls.__name__, None),
        issubclass(cls, CONDITIONAL),
        FUNCTION if issubclass(cls, FUNCTIONS) else SCOPE if issubclass(cls, SCOPES) else None,
        fields,
    )


def _is_string(node) -> bool:
    return isinstance(node, ast.Constant) and isinstance(node.value, str)


def _declares_all(target) -> bool:
    """Whether an assignment target binds `__all__` (alone, or in a tuple or list)."""
    return any(isinstance(n, ast.Name) and n.id == "__all__" and isinstance(n.ctx, ast.Store) for n in ast.walk(target))


def _suppressions(text: str) -> list[Suppression]:
    """The `# igny8: ignore[...]` and `# igny8: ignore-file[...]` comments."""
    if "igny8:" not in text.lower():
        return []
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(text).readline))
    except (tokenize.TokenError, SyntaxError, IndentationError):
        return []
    found = []
    for token in tokens:
        match = SUPPRESSION.search(token.string) if token.type == tokenize.COMMENT else None
        if match:
            codes = None if match.group(2) is None else tuple(c.strip() for c in match.group(2).split(",") if c.strip())
            found.append(Suppression(token.start[0], token.start[1] + 1, codes, bool(match.group(1))))
    return found


@collector_paused()
def scan_file(path: str, module: str, is_package: bool, settings: ScanSettings, data: bytes | None = None) -> FileScan:
    """Analyse one file; `error` is set when the file could not be used. The cyclic garbage collector is paused:
    a syntax tree holds no cycles, and its passes over the many nodes a parse allocates cost a fifth of the parse."""
    try:
        text = read_source(path) if data is None else decode(data)
    except SourceError as exc:
        return FileScan(module, is_package, error=str(exc))
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # SyntaxWarnings are the file's business, not the report's
            tree = ast.parse(text, filename=path)
    except SyntaxError as exc:
        # the file may just use newer syntax
        version = "{}.{}".format(*sys.version_info[:2])
        reason = f"cannot parse with Python {version}: {exc.msg} (line {exc.lineno}, column {exc.offset})"
        return FileScan(module, is_package, error=reason)
    except (RecursionError, MemoryError):
        return FileScan(module, is_package, error="cannot parse: too deeply nested")
    except ValueError as exc:
        return FileScan(module, is_package, error=f"cannot parse: {exc}")
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(max(limit, DEEP_LIMIT))  # the visitors recurse in Python only
    try:
        return _analyse(tree, text, path, module, is_package, settings)
    finally:
        sys.setrecursionlimit(limit)


def _analyse(tree, text, path, module, is_package, settings) -> FileScan:
    walker = _Walker(path, module, is_package, settings.model_re, None if text.isascii() else text.splitlines())
    try:
        walker.visit(tree)
    except (RecursionError, MemoryError):
        return FileScan(module, is_package, error="cannot analyse: expressions nested too deeply")
    findings: tuple[FileFinding, ...] = ()
    if file_rules_want(walker.identifiers, bool(walker.model_lines), settings):
        try:
            if len(text) > LARGE_FILE:
                words = trigger_words(settings)
                reduced, line_map = _relevant_statements(text, tree, words, sorted(walker.model_lines))
                findings = tuple(_shift(r, line_map) for r in run_file_checks(reduced, module, is_package, settings))
            else:
                findings = tuple(run_file_checks(text, module, is_package, settings))
        except RecursionError:
            return FileScan(module, is_package, error="cannot analyse: expressions nested too deeply")
        except Exception as exc:  # LibCST could not parse what ast accepted
            detail = str(exc).splitlines()[0] if str(exc) else ""
            return FileScan(module, is_package, error=f"cannot parse: {exc.__class__.__name__}: {detail}")
    exported = {export.name for export in walker.exports}
    return FileScan(
        module=module,
        is_package=is_package,
        imports=tuple(walker.imports),
        exports=tuple(walker.exports) if walker.all_declared or walker.exports else None,
        export_refs=tuple(walker.all_refs),
        exports_unknown=walker.all_unknown,
        has_getattr=any(function.name == "__getattr__" for function in walker.functions),
        dynamic=walker.uses_globals,
        dynamic_import=walker.dynamic_import,
        # module-level functions vulture counts as functions (not methods, not ignored test functions)
        functions=tuple(f for f in walker.functions if f.name in walker.function_names),
        name_strings=tuple(sorted(walker.name_strings - exported)),  # not `__all__`'s own entries
        suppressions=tuple(_suppressions(text)),
        findings=findings,
        **{fact: tuple(sorted(getattr(walker, fact))) for fact in SORTED_FACTS},
    )


def _shift(report: FileFinding, line_map: list[int]) -> FileFinding:
    """A report on the reduced text of a large file, moved back to the file's own lines."""
    edit = report.edit
    if edit is not None:
        edit = edit._replace(start_line=line_map[edit.start_line - 1], end_line=line_map[edit.end_line - 1])
    return report._replace(line=line_map[report.line - 1], edit=edit)


def _relevant_statements(
    text: str, tree: ast.Module, words: tuple[str, ...], model_lines: list[int]
) -> tuple[str, list[int]]:
    """`text` reduced to the top-level statements a pattern check can match (whole lines, so columns are
    unchanged; imports always, they give names their meaning), and `line_map[i]`: the line of reduced line i + 1."""
    lines = text.splitlines(keepends=True)
    keep: set[int] = set()
    for stmt in tree.body:
        start = min([stmt.lineno] + [d.lineno for d in getattr(stmt, "decorator_list", ())])
        end = stmt.end_lineno or stmt.lineno
        segment = "".join(lines[start - 1 : end])
        index = bisect.bisect_left(model_lines, start)
        if (
            isinstance(stmt, (ast.Import, ast.ImportFrom))
            or any(word in segment for word in words)
            or (index < len(model_lines) and model_lines[index] <= end)
        ):
            keep.update(range(start, end + 1))
    line_map = sorted(keep)
    kept = (lines[number - 1] for number in line_map)
    reduced = "".join(line if line.endswith(("\n", "\r")) else line + "\n" for line in kept)
    return reduced, [*line_map, len(lines) + 1]


def _char_col(lines: list[str], line: int, col: int) -> int:
    """1-based character column from ast's 0-based UTF-8 byte offset."""
    if line > len(lines) or lines[line - 1].isascii():
        return col + 1
    return len(lines[line - 1].encode("utf-8")[:col].decode("utf-8", "replace")) + 1
