"""Which findings the fix removes: one decision, made once, for `audit` and `fix` alike.

Every rule reports its findings with the edit that fixes them (or a note why there is none).
Project-wide facts then decide which edits may be applied:

- an edit that deletes a module-level name is dropped when something else still needs the
  name: a module that reads it (by import, attribute or dotted string), a finding that uses
  it and that no other edit removes, an `__all__` that keeps exporting it, or the module
  object being passed around;
- when any file of the project cannot be parsed, nothing is deleted at all: the facts are
  incomplete (the plan's local rewrites still apply);
- a finding without an edit of its own is fixed when it lies inside an edit that stays (a
  literal inside a function that is deleted, a settings read inside a rewritten body).

The result, `FixPlan`, is what `fix` applies: the surviving edits and the imports that only
carried a deleted name into another module.
"""

from __future__ import annotations

import dataclasses
import os
from dataclasses import dataclass, field

from igny8_refactor.audit.checks import load_checks
from igny8_refactor.audit.findings import Finding
from igny8_refactor.audit.records import Import


@dataclass
class FixPlan:
    """What the fix does, per file (relative path): the findings whose edits apply, and imports to drop."""

    edits: dict[str, list[Finding]] = field(default_factory=dict)
    drops: dict[str, list[Import]] = field(default_factory=dict)  # carrier imports of deleted names
    imports: dict[str, dict[str, str]] = field(default_factory=dict)  # per file: class -> module defining it

    def paths(self) -> set[str]:
        return set(self.edits) | set(self.drops)


def _covered(finding: Finding, edits: list[Finding]) -> bool:
    return any(
        other is not finding and other.edit is not None and other.edit.covers(finding.line, finding.column)
        for other in edits
    )


def settle(
    findings: list[Finding],
    project,
    modules: dict[str, str],
    project_kinds: set[str],
    kinds: set[str] | None = None,
    writable=lambda path: True,
    veto: dict[int, str] | None = None,
) -> tuple[list[Finding], FixPlan]:
    """The findings with `fixable` decided, and the plan that fixes exactly the fixable ones.

    `modules` maps a finding's path to its module; `project_kinds` are the kinds whose edits
    delete definitions on project-wide facts (orphans, unused functions); `kinds`, when given,
    are the only rules whose edits apply (`fix --only`); only files `writable(path)` accepts
    are edited (the paths given on the command line); `veto` maps a finding's id to why its edit
    may not apply (a suppression, evidence of use outside Python, an unsafe fix not asked for).
    """
    notes: dict[int, str] = dict(veto or {})
    alive = {id(f) for f in findings if f.edit is not None and writable(f.path) and id(f) not in notes}
    by_path: dict[str, list[Finding]] = {}
    for finding in findings:
        by_path.setdefault(finding.path, []).append(finding)

    def surviving(path: str) -> list[Finding]:
        return [f for f in by_path.get(path, ()) if id(f) in alive]

    def drop(finding: Finding, why: str) -> None:
        alive.discard(id(finding))
        notes[id(finding)] = why

    unparsed = sorted({os.path.relpath(p) for p in project.unparsed})
    shown = ", ".join(unparsed[:3]) + (", ..." if len(unparsed) > 3 else "")
    for finding in findings:
        if id(finding) in alive and kinds is not None and finding.kind not in kinds:
            drop(finding, "its codemod is not selected (--only)")
        elif id(finding) in alive and unparsed and (finding.kind in project_kinds or finding.edit.removes):
            what = "path of the project cannot" if len(unparsed) == 1 else "paths of the project cannot"
            drop(finding, f"nothing is deleted while {len(unparsed)} {what} be read or parsed ({shown})")

    pruning = {kind for kind, check in load_checks().items() if check.prunes_all}  # findings that leave `__all__`
    orphans = {
        (modules.get(f.path), f.symbol.rpartition(".")[2]) for f in findings if f.kind in pruning and id(f) in alive
    }
    resolved: dict[str, dict[str, str]] = {}
    for finding in [f for f in findings if id(f) in alive]:  # classes an edit imports: in exactly one module
        for name in finding.edit.needs:
            where = sorted(m for m, data in project.modules.items() if name in data.classes)
            if len(where) != 1:
                drop(
                    finding,
                    f"`{name}` is imported nowhere here and defined in "
                    + (f"{len(where)} project modules ({', '.join(where[:3])})" if where else "no project module")
                    + ": import it inside the function and run the fix again",
                )
                break
            resolved.setdefault(finding.path, {})[name] = where[0]
    drops: dict[str, list[Import]] = {}
    for finding in [f for f in findings if id(f) in alive]:
        module = modules.get(finding.path)
        for name in finding.edit.removes:
            reason = _needed(finding, module, name, project, findings, alive, by_path, orphans, writable)
            if reason:
                drop(finding, reason)
                break
    for finding in [f for f in findings if id(f) in alive]:  # imports that only carried a deleted name go with it
        for name in finding.edit.removes:
            for user, imp in project.carriers((modules.get(finding.path), name)):
                path = os.path.relpath(project.path_of(user)).replace(os.sep, "/")
                drops.setdefault(path, []).append(imp)

    plan = FixPlan(drops=drops, imports=resolved)
    out = []
    for finding in findings:
        if id(finding) in alive:
            plan.edits.setdefault(finding.path, []).append(finding)
            out.append(dataclasses.replace(finding, fixable=True, note=""))
        elif _covered(finding, surviving(finding.path)):
            out.append(dataclasses.replace(finding, fixable=True, edit=None, note=""))
        else:
            note = notes.get(id(finding)) or finding.note or "no automatic fix"
            out.append(dataclasses.replace(finding, fixable=False, edit=None, note=note))
    return out, plan


def _needed(finding, module, name, project, findings, alive, by_path, orphans, writable) -> str:
    """Why `module.name` may not be deleted ("" when nothing needs it)."""
    if module is None:
        return "the file is not a module of the project"
    readers = sorted(project.users((module, name)) - {module})
    if readers:
        return f"`{name}` is still used by `{readers[0]}`" + (
            f" and {len(readers) - 1} more" if len(readers) > 1 else ""
        )
    if project.reached_dynamically(module, name):
        return f"`{module}` is passed around as an object: `{name}` may be reached through it"
    if name in project.exported_names(module) and (module, name) not in orphans:
        return f"`{name}` is still in the `__all__` of `{module}`"
    symbol = f"{module}.{name}"
    for other in findings:
        if other is finding or other.symbol != symbol or other.kind != finding.kind:
            continue
        if other.edit is not None and other.edit.covers(finding.line, finding.column):
            continue
        if id(other) in alive or _covered(other, [f for f in by_path.get(other.path, ()) if id(f) in alive]):
            continue
        if other.line == finding.line and other.column == finding.column:
            continue
        return f"`{name}` is still used at {other.path}:{other.line}"
    for user, imp in project.carriers((module, name)):
        if imp.local in project.exported_names(user) and (user, imp.local) not in orphans:
            return f"`{name}` is still exported by `{user}`"
        if not writable(os.path.relpath(project.path_of(user)).replace(os.sep, "/")):
            return f"`{name}` is imported by `{user}`, which is not among the files being fixed"
    return ""
