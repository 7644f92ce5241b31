"""Which findings the fix removes: one decision, made once, for `audit` and `fix` alike.

Each finding carries its edit (or a note why there is none); project-wide facts decide which edits apply: a
deletion is dropped while something still needs the name (a reader, a finding no other edit removes, an
`__all__`, the module passed around as an object), and nothing is deleted while a file cannot be parsed. A
finding without an edit is fixed when it lies inside an edit that stays.
"""

from __future__ import annotations

import dataclasses
import os
from dataclasses import dataclass, field

from igny8_refactor.audit.checks import load_checks
from igny8_refactor.audit.findings import Finding
from igny8_refactor.audit.records import Import


@dataclass
class Fixes:
    """What the fix does, per file (relative path): the findings whose edits apply, and imports to drop."""

    edits: dict[str, list[Finding]] = field(default_factory=dict)
    drops: dict[str, list[Import]] = field(default_factory=dict)  # carrier imports of deleted names
    imports: dict[str, dict[str, str]] = field(default_factory=dict)  # per file: class -> module defining it

    def paths(self) -> set[str]:
        return set(self.edits) | set(self.drops)


def decide_fixes(
    findings: list[Finding],
    project,
    modules: dict[str, str],
    project_kinds: set[str],
    kinds: set[str] | None = None,
    writable=lambda path: True,
    veto: dict[int, str] | None = None,
) -> tuple[list[Finding], Fixes]:
    """The findings with `fixable` decided, and the fixes that remove exactly the fixable ones.

    `modules`: a finding's path -> its module; `project_kinds`: kinds deleting definitions on project-wide facts;
    `kinds`: the only rules whose edits apply (`fix --only`); `writable(path)`: the files that may be edited;
    `veto`: a finding's id -> why its edit may not apply (a suppression, a use outside Python, an unsafe fix).
    """
    notes: dict[int, str] = dict(veto or {})
    alive = {id(f) for f in findings if f.edit is not None and writable(f.path) and id(f) not in notes}
    by_path: dict[str, list[Finding]] = {}
    for finding in findings:
        by_path.setdefault(finding.path, []).append(finding)

    def covered(finding: Finding) -> bool:  # inside an edit that stays
        return any(
            other is not finding and id(other) in alive and other.edit.covers(finding.line, finding.column)
            for other in by_path[finding.path]
        )

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
                defined = f"{len(where)} project modules ({', '.join(where[:3])})" if where else "no project module"
                why = f"`{name}` is imported nowhere here and defined in {defined}"
                drop(finding, f"{why}: import it inside the function and run the fix again")
                break
            resolved.setdefault(finding.path, {})[name] = where[0]
    drops: dict[str, list[Import]] = {}
    for finding in [f for f in findings if id(f) in alive]:
        module = modules.get(finding.path)
        for name in finding.edit.removes:
            reason = _needed(finding, module, name, project, findings, alive, covered, orphans, writable)
            if reason:
                drop(finding, reason)
                break
        else:  # imports that only carried a deleted name go with it
            for name in finding.edit.removes:
                for user, imp in project.carriers((module, name)):
                    drops.setdefault(_rel(project.path_of(user)), []).append(imp)

    fixes = Fixes(drops=drops, imports=resolved)
    out = []
    for finding in findings:
        if id(finding) in alive:
            fixes.edits.setdefault(finding.path, []).append(finding)
            out.append(dataclasses.replace(finding, fixable=True, note=""))
        elif covered(finding):
            out.append(dataclasses.replace(finding, fixable=True, edit=None, note=""))
        else:
            note = notes.get(id(finding)) or finding.note or "no automatic fix"
            out.append(dataclasses.replace(finding, fixable=False, edit=None, note=note))
    return out, fixes


def _needed(finding, module, name, project, findings, alive, covered, orphans, writable) -> str:
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
    here = (finding.line, finding.column)
    for other in findings:  # a use of the same symbol that stays
        same = other is not finding and other.symbol == f"{module}.{name}" and other.kind == finding.kind
        inside = other.edit is not None and other.edit.covers(*here)
        if same and not inside and id(other) not in alive and not covered(other) and (other.line, other.column) != here:
            return f"`{name}` is still used at {other.path}:{other.line}"
    for user, imp in project.carriers((module, name)):
        if imp.local in project.exported_names(user) and (user, imp.local) not in orphans:
            return f"`{name}` is still exported by `{user}`"
        if not writable(_rel(project.path_of(user))):
            return f"`{name}` is imported by `{user}`, which is not among the files being fixed"
    return ""


def _rel(path: str) -> str:
    return os.path.relpath(path).replace(os.sep, "/")
