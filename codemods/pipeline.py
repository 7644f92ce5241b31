"""The `fix` pipeline: analyse, apply the edits the findings carry, analyse the result, repeat, then write.

Rounds go on to a fixed point (what a removal leaves dead goes in the same run). Nothing is written unless
the last analysis shows no working import broken and no fixable finding left.
"""

from __future__ import annotations

import ast
import dataclasses
import difflib
import itertools
import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

import libcst as cst
import libcst.matchers as m
from libcst.codemod import CodemodContext
from libcst.codemod.visitors import GatherUnusedImportsVisitor, RemoveImportsVisitor
from libcst.helpers import get_absolute_module_from_package_for_import

from igny8_refactor.audit.api import UNSAFE_NOTE, displayed, relative, run_audit
from igny8_refactor.audit.atomic import CommitError, commit
from igny8_refactor.audit.checks import load_checks, select_fixes
from igny8_refactor.audit.checks.orphan_export import LIBRARY_NOTE
from igny8_refactor.audit.pool import map_in_processes
from igny8_refactor.audit.records import ScanSettings
from igny8_refactor.audit.rule_visitor import run_file_rules
from igny8_refactor.audit.source import SourceError, read_bytes

MAX_ROUNDS = 10


@dataclass
class FileResult:
    path: str
    old: bytes = b""
    new: bytes | None = None  # None: nothing to write (unchanged or failed)
    error: str | None = None  # the reason after "path: "
    name: str = ""  # the path relative to the project root, for diff headers

    @property
    def changed(self) -> bool:
        return self.error is None and self.new is not None and self.new != self.old

    def diff(self) -> str:
        if not self.changed:
            return ""
        name = self.name or self.path
        old, new = (_text(data).splitlines(keepends=True) for data in (self.old, self.new))
        return "".join(difflib.unified_diff(old, new, f"a/{name}", f"b/{name}"))


@dataclass
class FixResult:
    files: list[FileResult] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # "path: reason" lines from outside any one file
    notes: list[str] = field(default_factory=list)  # "path:line:col: note: CODE ... : why" for findings left
    applied: list[str] = field(default_factory=list)  # "path:line: CODE symbol" for every fix, round by round
    unsafe: int = 0  # findings an unsafe fix would remove (--unsafe-fixes)
    analysed: int = 0
    rounds: int = 0

    @property
    def changed(self) -> list[FileResult]:
        return [f for f in self.files if f.changed]

    @property
    def failed(self) -> list[FileResult]:
        return [f for f in self.files if f.error is not None]


def _text(data: bytes) -> str:
    try:
        return cst.parse_module(data).code
    except Exception:  # noqa: BLE001 - only for display
        return data.decode("utf-8", "replace")


# -- one file -----------------------------------------------------------------------------
def apply_fixes(data: bytes, module: str, is_package: bool, settings, findings, drops, resolved=None) -> bytes:
    """`data` with the edits of this file's `findings` applied, and the imports in `drops` or left unused removed.

    Per-file rules run again on the same bytes and hand over their replacements; project-wide rules edit by name.
    """
    tree = cst.parse_module(data)
    checks = load_checks()
    wanted = {(f.line, f.column, f.code, f.symbol) for f in findings}
    edits: dict[int, object] = {}
    removed: set[str] = set()
    # the parsed file's metadata (its wrapper) serves the rules and the check for unused imports
    ctx = run_file_rules(tree, module, is_package, settings, fixing=True, resolved=resolved)
    for report, (target, replacement) in ctx.edits.items():
        if (report.line, report.column, report.code, report.symbol) in wanted:
            edits[id(target)] = replacement
            removed.update(report.edit.removes)
    by_kind: dict[str, set[str]] = {}
    for finding in findings:
        if checks[finding.kind].scope == "project":
            by_kind.setdefault(finding.kind, set()).add(finding.symbol.rpartition(".")[2])
        elif checks[finding.kind].scope == "meta":  # a stale suppression comment: found by its line
            by_kind.setdefault(finding.kind, set()).add((finding.line, finding.symbol))
    orphan_kind = next(k for k, c in checks.items() if c.prunes_all)
    if removed:
        by_kind.setdefault(orphan_kind, set()).update(removed)  # a deleted name leaves its own module's __all__
    for kind, names in by_kind.items():
        for target, replacement in checks[kind].edits(tree, names).items():
            edits[id(target)] = replacement

    package = module if is_package else module.rpartition(".")[0]
    context = CodemodContext(full_package_name=package)
    # every import the file reads now is scheduled; RemoveImportsVisitor drops those nothing reads afterwards
    wrapper = ctx.wrapper
    wrapper.resolve_many(GatherUnusedImportsVisitor.METADATA_DEPENDENCIES)
    unused = GatherUnusedImportsVisitor(dataclasses.replace(context, wrapper=wrapper))
    wrapper.visit(unused)
    imports = _import_triples(tree, package)
    scheduled = imports - {_triple(node, alias, package) for alias, node in unused.unused_imports}
    # an import that fed only an `__all__` entry pruned here goes too, however `__all__` was built
    # (LibCST counts `__all__ = [...]` and `+=` entries as uses, not `__all__.extend([...])`)
    pruned = by_kind.get(orphan_kind, set())
    scheduled |= {t for t in imports if (t[2] or t[1] or t[0].split(".")[0]) in pruned}
    scheduled |= {(imp.target, imp.name, imp.asname) for imp in drops}

    new = tree.visit(_Apply(edits))
    if scheduled:
        new = _RemoveImports(context, sorted(scheduled, key=repr)).transform_module(new)
    return _top_trimmed(tree, new).bytes


def _top_trimmed(old, new):
    """`new` without the blank lines a removed first statement leaves at the top of the file (a header
    ending in a comment keeps them: the comment is not glued to code it was not written for)."""
    if not new.body or not old.body or new.header and new.header[-1].comment is not None:
        return new
    if old.code_for_node(old.body[0]) == new.code_for_node(new.body[0]):
        return new  # the first statement is still there
    first = new.body[0]
    kept = list(itertools.dropwhile(lambda line: line.comment is None, first.leading_lines))
    return new.with_changes(body=[first.with_changes(leading_lines=kept), *new.body[1:]])


def _triple(node, alias, package):
    """(module, name, alias) as LibCST's import visitors name an imported object; None for __future__/star."""
    if isinstance(node, cst.Import):
        return (alias.evaluated_name, None, alias.evaluated_alias)
    absolute = get_absolute_module_from_package_for_import(package, node)
    if not absolute or absolute == "__future__":
        return None
    return (absolute, alias.evaluated_name, alias.evaluated_alias)


def _import_triples(tree, package) -> set:
    nodes = [
        node for node in m.findall(tree, m.Import() | m.ImportFrom()) if not isinstance(node.names, cst.ImportStar)
    ]
    return {_triple(node, alias, package) for node in nodes for alias in node.names} - {None}


class _RemoveImports(RemoveImportsVisitor):
    """RemoveImportsVisitor keeping the trailing comma of a parenthesised import: `(a, b,)` -> `(a,)`."""

    def leave_ImportFrom(self, original_node, updated_node):
        result = super().leave_ImportFrom(original_node, updated_node)
        names = original_node.names
        if (
            isinstance(result, cst.ImportFrom)
            and result.lpar is not None  # never a star import: `(*)` does not parse
            and isinstance(names[-1].comma, cst.Comma)
            and result.names[-1].comma == cst.MaybeSentinel.DEFAULT
        ):
            result = result.with_changes(
                names=[*result.names[:-1], result.names[-1].with_changes(comma=names[-1].comma)]
            )
        return result


class _Apply(cst.CSTTransformer):
    """A transformer putting each edit's replacement in place of its target node (matched by identity)."""

    def __init__(self, edits) -> None:
        super().__init__()
        self.edits = edits

    def on_leave(self, original_node, updated_node):
        replacement = self.edits.get(id(original_node), updated_node)
        result = replacement(updated_node) if callable(replacement) else replacement
        if isinstance(result, cst.IndentedBlock) and not result.body:
            result = result.with_changes(body=[cst.SimpleStatementLine([cst.Pass()])])
        return result


# -- the run ------------------------------------------------------------------------------
POOL_THRESHOLD = 8  # fewer files to rewrite than this are rewritten in-process


def _apply_one(task) -> tuple[bytes | None, str | None]:
    """(new bytes, None), or (None, why) when the file's edits could not be applied or do not parse."""
    rel, data, module, is_package, settings, findings, drops, resolved = task
    try:
        new = apply_fixes(data, module, is_package, settings, findings, drops, resolved)
        if new != data:  # a module Python itself accepts, decoding included
            compile(new, rel, "exec", dont_inherit=True, flags=ast.PyCF_ONLY_AST)
    except RecursionError:
        return None, "too deeply nested for the rewriter (LibCST)"
    except Exception as exc:  # noqa: BLE001 - whatever the reason, it is not written
        return None, f"{exc.__class__.__name__}: {exc}"
    return new, None


def _apply_all(tasks: list, jobs: int) -> list[tuple[bytes | None, str | None]]:
    if jobs > 1 and len(tasks) >= POOL_THRESHOLD:
        # the matchers are loaded here: the workers (and those of the next analysis) inherit them
        results = map_in_processes(_apply_one, tasks, min(jobs, len(tasks)), preload=("libcst.matchers",))
        if results is not None:
            return results
    return [_apply_one(task) for task in tasks]


def run_fix(
    paths: Sequence[str],
    config,
    *,
    only: Sequence[str] = (),
    jobs: int | None = None,
    use_cache: bool = True,
    write: bool = True,
    progress: Callable[[Iterable, int], Iterable] | None = None,  # wraps the first analysis: (items, length)
    force_exclude: bool = False,
    unsafe_fixes: bool | None = None,
    overrides: dict[str, bytes] | None = None,
) -> FixResult:
    """Fix the project around `paths`; write the changed files when `write` (all of them or none).

    `unsafe_fixes` (default: the configuration's) also removes unused code outside the AI package;
    `overrides` gives some files' contents instead of the disk's (absolute path -> bytes: `--stdin-filename`)."""
    kinds = select_fixes(only) if only else None  # KeyError names an unknown rule
    settings = ScanSettings.from_config(config)
    result = FixResult()
    contents: dict[str, bytes] = dict(overrides or {})  # absolute path -> new bytes
    originals: dict[str, bytes] = {}
    first = None
    for round_number in range(1, MAX_ROUNDS + 2):
        audit = run_audit(
            list(paths),
            config,
            jobs=jobs,
            use_cache=use_cache,
            overrides=contents,
            force_exclude=force_exclude,
            kinds=kinds,
            progress=progress if first is None else None,
            unsafe_fixes=unsafe_fixes,
        )
        first = first or audit
        fixes = audit.fixes
        targets = sorted(fixes.paths())
        if not targets:
            break
        if round_number > MAX_ROUNDS:
            result.errors.append(f"{', '.join(targets[:3])}: no fixed point after {MAX_ROUNDS} rounds; nothing written")
            break
        result.rounds = round_number
        result.applied += [
            f"{f.path}:{f.line}: {f.code} {f.symbol}" for rel in targets for f in fixes.edits.get(rel, ())
        ]
        by_path = {os.path.abspath(s.path): s for s in audit.files}
        tasks = []
        for rel in targets:
            key = os.path.abspath(rel)
            if key not in by_path:
                continue
            try:
                data = contents[key] if key in contents else read_bytes(key)
            except SourceError as exc:
                result.errors.append(f"{rel}: {exc}")
                continue
            originals.setdefault(key, data)
            source, edits, drops = by_path[key], fixes.edits.get(rel, ()), fixes.drops.get(rel, ())
            tasks.append((rel, data, source.module, source.is_package, settings, edits, drops, fixes.imports.get(rel)))
        changed = False
        for (rel, data, *_), (new, failure) in zip(tasks, _apply_all(tasks, jobs or os.cpu_count() or 1)):
            if failure is not None:
                result.errors.append(f"{rel}: the fix could not be applied: {failure}; nothing written")
                return _finish(result, originals, contents, first, audit, write=False, root=config.root)
            if new != data:
                contents[os.path.abspath(rel)] = new
                changed = True
        if not changed:
            break
    if contents:
        _verify(result, first, audit, kinds)
    return _finish(result, originals, contents, first, audit, write=write and not result.errors, root=config.root)


def _verify(result: FixResult, before, after, kinds) -> None:
    """Refuse a result with damage a rule names (a working import broken), or a fixable finding left."""
    checks = load_checks()
    damages = [(f, checks[f.kind].damage(before.project, f)) for f in after.findings]
    result.errors += [f"{f.path}:{f.line}:{f.column}: {damage}; nothing written" for f, damage in damages if damage]
    result.errors += [
        f"{f.path}:{f.line}:{f.column}: {f.code} is marked fixable but the fix did not remove it; nothing written"
        for f in after.findings
        if f.fixable and (kinds is None or f.kind in kinds)
    ]


def _finish(result: FixResult, originals, contents, first, final, *, write: bool, root: str) -> FixResult:
    """Collect the per-file results; the notes name the findings the fixed tree still has, and why."""
    result.analysed = first.analysed
    result.files += [FileResult(error.path, error=error.reason) for error in first.errors]
    result.unsafe = sum(1 for f in final.findings if f.note == UNSAFE_NOTE)
    left = [f for f in final.findings if not f.fixable and f.note and f.note not in (UNSAFE_NOTE, LIBRARY_NOTE)]
    result.notes = [f"{f.path}:{f.line}:{f.column}: note: {f.code} `{f.symbol}` left as it is: {f.note}" for f in left]
    library = sum(1 for f in final.findings if not f.fixable and f.note == LIBRARY_NOTE)
    if library:
        result.notes.append(
            f"note: {library} orphan or unused definition(s) outside the `internal` packages are "
            "reported, not removed (they may be a library's public API)"
        )
    for key in sorted(contents):
        name = relative(key, root)  # diffs apply with `patch -p1` from the root
        result.files.append(FileResult(displayed(key), originals.get(key, contents[key]), contents[key], name=name))
    if write:
        write_changes(result, root)
    return result


def write_changes(result: FixResult, root: str | os.PathLike) -> None:
    """Write the changed files of a `run_fix(..., write=False)` result, all or none (`audit.atomic.commit`):
    on failure the reason goes to `result.errors` and every changed file is marked not written."""
    changed = result.changed
    if not changed:
        return
    try:
        commit([(f.path, f.old, f.new) for f in changed], root)
    except CommitError as exc:
        result.errors.append(f"{exc}; every file left as it was")
        for file_result in changed:
            file_result.error = "not written"
