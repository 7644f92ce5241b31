"""The LibCST side of the per-file rules: the visitor base each rule extends, the context it reports into, and
the run over one file.

A visitor reports each finding with the edit that fixes it, as Fixit's `report(node, replacement=...)`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import KW_ONLY, InitVar, dataclass, field

import libcst as cst
from libcst.metadata import MetadataWrapper, ParentNodeProvider, PositionProvider, QualifiedNameProvider

from igny8_refactor.audit.checks import load_checks
from igny8_refactor.audit.records import Edit, FileFinding, ScanSettings, resolve_relative
from igny8_refactor.audit.target_config import FUNCTION, rewrite

# the plan's five files, by their module's last part ("" is the package's own __init__.py)
PLAN_FILES = frozenset({"", "settings", "ai_core", "engine", "tasks"})

Replacement = cst.CSTNode | cst.RemovalSentinel | cst.FlattenSentinel | Callable[[cst.CSTNode], object]
FIXED_ELSEWHERE = object()  # fixed by another edit of the same rule in this file (a second call behind one guard)


def plan_file(module: str, ai_package: str) -> str | None:
    """Which of the plan's files `module` is ("settings", "ai_core", ..., "" for the package), else None."""
    if module == ai_package:
        return ""
    rest = module.removeprefix(ai_package + ".")
    return rest if rest != module and rest in PLAN_FILES else None


@dataclass(eq=False)
class FileContext:
    """What a rule's visitor needs: the module, its name, the configuration, and where its findings go."""

    wrapper: MetadataWrapper
    module: str
    is_package: bool
    settings: ScanSettings
    _: KW_ONLY
    fixing: InitVar[bool] = False
    resolved: dict[str, str] | None = None  # when fixing: class -> the project module defining it (for `Edit.needs`)
    findings: list[FileFinding] = field(default_factory=list)
    memo: dict = field(default_factory=dict)  # per-file results rules share (the plan's get_model_config rewrite)

    def __post_init__(self, fixing: bool) -> None:
        self.plan = plan_file(self.module, self.settings.ai_package)
        self.edits: dict[FileFinding, tuple[cst.CSTNode, Replacement]] | None = {} if fixing else None

    def position(self, node: cst.CSTNode):
        # resolved on the first report only (and kept by the wrapper): positions cost a fifth of a LibCST pass
        return self.wrapper.resolve(PositionProvider)[node]

    def code(self, node: cst.CSTNode) -> str:
        return self.wrapper.module.code_for_node(node)

    def absolute(self, qualified: str) -> str:
        """A qualified name as LibCST gives it, made absolute and module-prefixed."""
        if qualified.startswith("."):
            rest = qualified.lstrip(".")
            return resolve_relative(self.module, self.is_package, len(qualified) - len(rest), rest)
        if "." not in qualified or "<locals>" in qualified:
            return f"{self.module}.{qualified}" if self.module else qualified
        return qualified

    def plan_name(self, file: str, name: str) -> str:
        """The dotted name of `name` in one of the plan's files (`settings`, `tasks`, ...)."""
        return f"{self.settings.ai_package}.{file}.{name}" if file else f"{self.settings.ai_package}.{name}"


class RuleVisitor(cst.CSTVisitor):
    """Base for rules' visitors: metadata access and reporting (with the fix, when there is one).

    Rules match with `m.matches(...)`: the matcher decorators' bookkeeping on every node costs more than the
    rules themselves, so a rule using one is refused when it is defined.
    """

    METADATA_DEPENDENCIES = (QualifiedNameProvider, ParentNodeProvider)

    def __init_subclass__(cls, **kwargs) -> None:
        super().__init_subclass__(**kwargs)
        markers = ("_call_if_inside_matcher", "_call_if_not_inside_matcher", "_visit_matcher", "_leave_matcher")
        for name, value in vars(cls).items():
            if any(hasattr(value, marker) for marker in markers):
                raise TypeError(f"{cls.__qualname__}.{name}: matcher decorators are not supported; use m.matches()")

    def __init__(self, check, ctx: FileContext):
        super().__init__()
        self.check = check
        self.ctx = ctx

    def report(
        self,
        node: cst.CSTNode,
        symbol: str,
        message: str,
        *,
        fix: tuple[cst.CSTNode, Replacement] | object | None = None,
        note: str = "",
        removes: tuple[str, ...] = (),
        needs: tuple[str, ...] = (),
    ) -> None:
        """Report `node`. `fix` is `(target, replacement)`, FIXED_ELSEWHERE, or None with a `note` saying why."""
        pos = self.ctx.position(node).start
        edit = None
        if isinstance(fix, tuple):
            where = self.ctx.position(fix[0])
            start, end = where.start, where.end
            edit = Edit(start.line, start.column + 1, end.line, end.column + 1, tuple(removes), tuple(needs))
        elif fix is FIXED_ELSEWHERE:
            edit = Edit(pos.line, pos.column + 1, pos.line, pos.column + 1)  # an empty edit: applied by its sibling
        note = "" if edit else note or "no automatic fix for this shape"
        report = FileFinding(pos.line, pos.column + 1, self.check.code, self.check.kind, symbol, message, edit, note)
        self.ctx.findings.append(report)
        if self.ctx.edits is not None and isinstance(fix, tuple):
            self.ctx.edits[report] = fix

    def qualified(self, node: cst.CSTNode) -> set[str]:
        return {q.name for q in self.get_metadata(QualifiedNameProvider, node, set())}

    def resolves_to(self, node: cst.CSTNode, *dotted: str) -> bool:
        """True when `node` names one of `dotted` through this module's imports (aliases, relative imports)."""
        return any(self.ctx.absolute(q) in dotted for q in self.qualified(node))

    def parent(self, node: cst.CSTNode) -> cst.CSTNode | None:
        return self.get_metadata(ParentNodeProvider, node, None)

    def ancestors(self, node: cst.CSTNode):
        current = self.parent(node)
        while current is not None:
            yield current
            current = self.parent(current)

    def statement_of(self, node: cst.CSTNode) -> cst.BaseStatement | None:
        """The statement (a line or a compound statement) that holds `node`."""
        while node is not None and not isinstance(node, (cst.SimpleStatementLine, cst.BaseCompoundStatement)):
            node = self.parent(node)
        return node

    def scope_name(self, node: cst.CSTNode) -> str:
        """Dotted name of the function/class enclosing `node` (the module when there is none)."""
        parts = [a.name.value for a in self.ancestors(node) if isinstance(a, (cst.FunctionDef, cst.ClassDef))]
        return ".".join(filter(None, [self.ctx.module, *reversed(parts)]))

    def enclosing_class(self, node: cst.CSTNode) -> cst.ClassDef | None:
        return next((a for a in self.ancestors(node) if isinstance(a, cst.ClassDef)), None)

    def enclosing_function(self, node: cst.CSTNode) -> cst.FunctionDef | None:
        return next((a for a in self.ancestors(node) if isinstance(a, cst.FunctionDef)), None)

    def plan_rewrite(self, node: cst.CSTNode):
        """(fix, note, needs) for a finding inside the plan's `get_model_config`, which the fix rewrites whole
        ((None, "", ()) elsewhere; (None, reason, ()) when the rewrite cannot be made)."""
        function = self.toplevel_function(node) if self.ctx.plan == "settings" else None
        if function is None or function.name.value != FUNCTION:
            return None, "", ()
        if function not in self.ctx.memo:
            body, why, needs = rewrite(function, self.ctx.wrapper.module, self.ctx.resolved)
            if body is not None and body.deep_equals(function.body):
                body, why = None, "already in the plan's form"
            self.ctx.memo[function] = ((function.body, body) if body is not None else None, why, needs)
        return self.ctx.memo[function]

    def report_in_plan(self, node: cst.CSTNode, symbol: str, message: str, note: str) -> None:
        """Report `node`, fixed by the rewrite of `get_model_config` when inside it; else with `note`."""
        fix, why, needs = self.plan_rewrite(node)
        self.report(node, symbol, message, fix=fix, needs=needs, note=why or note)

    def toplevel_function(self, node: cst.CSTNode) -> cst.FunctionDef | None:
        """The module-level function that holds `node`, if any."""
        statement = next((a for a in self.ancestors(node) if isinstance(self.parent(a), cst.Module)), None)
        return statement if isinstance(statement, cst.FunctionDef) else None


def file_rules():
    return [check for check in load_checks().values() if check.scope == "file"]


def run_file_rules(
    tree: cst.Module,
    module: str,
    is_package: bool,
    settings: ScanSettings,
    *,
    fixing: bool = False,
    rules=None,
    resolved: dict[str, str] | None = None,
) -> FileContext:
    """Run the per-file rules' visitors over one parsed module (one traversal each, metadata computed once)."""
    ctx = FileContext(
        MetadataWrapper(tree, unsafe_skip_copy=True), module, is_package, settings, fixing=fixing, resolved=resolved
    )
    for check in rules if rules is not None else file_rules():
        ctx.wrapper.visit(check().visitor(ctx))
    return ctx


def run_file_checks(text: str, module: str, is_package: bool, settings: ScanSettings) -> list[FileFinding]:
    """Every per-file rule's findings on `text` (the audit's view: no edits kept)."""
    ctx = run_file_rules(cst.parse_module(text), module, is_package, settings)
    return sorted(set(ctx.findings), key=lambda r: (r.line, r.column, r.code, r.symbol))
