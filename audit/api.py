"""`run_audit`: discover, scan each file once (cached, in parallel), build the project, run the rules.

Its findings' `fixable` and the fixes `fix` applies come from one decision (`audit.fixability`).
"""

from __future__ import annotations

import dataclasses
import functools
import os
from dataclasses import dataclass, field
from pathlib import Path

from igny8_refactor.audit.cache import Cache, digest
from igny8_refactor.audit.checks import Check, load_checks
from igny8_refactor.audit.config import Config, ConfigError, check_packages, expand
from igny8_refactor.audit.evidence import evidence_for, gather
from igny8_refactor.audit.files import SourceFile, build_roots, discover, git_ignored, module_name, source_root
from igny8_refactor.audit.findings import Finding, InputError
from igny8_refactor.audit.fixability import Fixes, decide_fixes
from igny8_refactor.audit.pool import map_in_processes
from igny8_refactor.audit.project import Project
from igny8_refactor.audit.records import FileScan, ScanSettings, in_packages
from igny8_refactor.audit.scan import scan_file
from igny8_refactor.audit.source import SourceError, read_bytes

POOL_THRESHOLD = 24  # fewer files than this are scanned in-process


@dataclass
class AuditResult:
    findings: list[Finding]
    errors: list[InputError]
    project: Project | None
    fixes: Fixes | None = None  # None when nothing was analysed
    files: list[SourceFile] = field(default_factory=list)
    modules: dict[str, str] = field(default_factory=dict)  # reported path (relative) -> module
    suppressed: int = 0  # findings silenced by `# igny8: ignore` comments
    analysed: int = 0  # files reported on, unreadable ones included (those read for references only are not)


def relative(path: str, cwd: str | None = None) -> str:
    """`path` relative to `cwd` (the current directory by default), with forward slashes."""
    try:
        rel = os.path.relpath(path, cwd or os.getcwd())
    except ValueError:
        rel = path
    return rel.replace(os.sep, "/")


def displayed(path) -> str:
    """`path` relative to the current directory when below it ("/"-separated), else as given."""
    rel = relative(str(path))
    return str(path) if rel.startswith("..") or os.path.isabs(rel) else rel


def select_checks(select=(), ignore=()) -> dict[str, type[Check]]:
    """Enabled rules by kind. Names are kinds, codes or code prefixes (`IG1`); KeyError for an unknown one."""
    chosen = [c for name in select for c in expand(name)] if select else load_checks().values()
    ignored = {c.kind for name in ignore for c in expand(name)}
    return {c.kind: c for c in sorted(chosen, key=lambda c: c.code) if c.kind not in ignored}


def _scan_task(task) -> FileScan:
    path, module, is_package, settings, data = task
    try:
        return scan_file(path, module, is_package, settings, data=data)
    except (RecursionError, MemoryError):
        return FileScan(module, is_package, error="cannot analyse: too deeply nested")
    except Exception as exc:  # never let one file stop the run
        return FileScan(module, is_package, error=f"cannot analyse: internal error ({exc.__class__.__name__}: {exc})")


def _scan_all(
    files: list[SourceFile], settings: ScanSettings, cache: Cache | None, jobs: int, overrides, progress
) -> dict[str, FileScan]:
    """Every file's scan: from the cache when its content is unchanged, else scanned (on every core)."""
    show = progress or (lambda outcomes, _length: outcomes)  # the caller's `progress(iterable, length)`
    results: dict[str, FileScan] = {}
    tasks = []
    digests = {}
    for source in files:
        data = overrides.get(source.path)
        if data is None:
            try:
                data = read_bytes(source.path)
            except SourceError as exc:
                results[source.path] = FileScan(source.module, source.is_package, error=str(exc))
                continue
        if cache is not None:
            digests[source.path] = digest(data)
            hit = cache.get(source.path, digests[source.path])
            if hit is not None and (hit.module, hit.is_package) == (source.module, source.is_package):
                results[source.path] = hit
                continue
        tasks.append((source.path, source.module, source.is_package, settings, data))
    outcomes = None
    if len(tasks) >= POOL_THRESHOLD and jobs > 1:
        # small chunks: the costly files (those the rules parse again with LibCST) sit together in one folder
        chunksize = max(1, min(16, len(tasks) // (jobs * 32)))
        outcomes = map_in_processes(
            _scan_task,
            tasks,
            jobs,
            chunksize=chunksize,
            wrap=lambda outcomes: show(outcomes, len(tasks)),
        )
    if outcomes is None:
        outcomes = list(show((_scan_task(task) for task in tasks), len(tasks)))
    for task, result in zip(tasks, outcomes):
        path = task[0]
        results[path] = result
        if cache is not None and path not in overrides:
            cache.put(path, digests[path], result)
    return results


SUPPRESSED_NOTE = "suppressed by `# igny8: ignore`, which binds fix as it binds audit"
UNSAFE_NOTE = "an unsafe fix (it removes code outside the AI package): applied with --unsafe-fixes"


def _veto(
    findings, meta, suppressions, project_kinds, modules, config, root: Path, imports_by_name
) -> tuple[dict, set]:
    """Why each finding's edit may not apply, by id (a suppression; outside the AI package, a use seen outside
    Python: docs, entry points, stubs, config), and the ids of the other removals outside it: unsafe fixes."""
    kept = {id(f) for f in meta.apply(findings, suppressions, {})}
    veto, unsafe = {id(f): SUPPRESSED_NOTE for f in findings if id(f) not in kept}, set()
    evidence = None
    for finding in findings:
        if finding.edit is None or id(finding) in veto or not (finding.kind in project_kinds or finding.edit.removes):
            continue
        if in_packages(modules.get(finding.path, ""), (config.ai_package,)):
            continue  # the plan's own removals
        if evidence is None:
            evidence = gather(root)
        where = evidence_for(finding.symbol, evidence, imports_by_name)
        if where:
            veto[id(finding)] = f"used in {where}: reported, never removed"
        else:
            unsafe.add(id(finding))
    return veto, unsafe


def run_audit(
    paths: list[str],
    config: Config,
    *,
    jobs: int | None = None,
    use_cache: bool = True,
    select=(),
    ignore=(),
    overrides: dict[str, bytes] | None = None,
    force_exclude: bool = False,
    kinds: set[str] | None = None,
    progress=None,
    warn=None,
    unsafe_fixes: bool | None = None,
) -> AuditResult:
    """Every finding (sorted), every unreadable input, and the fixes; ConfigError for an unknown configured rule.

    `overrides`: some files' contents (absolute path -> bytes) instead of the disk's; `kinds`: the rules whose edits
    the fixes hold (`fix --only`); `progress(iterable, length)` wraps the scan; `warn(message)` hears of an untrusted
    cache; `unsafe_fixes` (default: the configuration's) lets removals outside the AI package be fixed.
    """
    unsafe_fixes = config.unsafe_fixes if unsafe_fixes is None else unsafe_fixes
    cwd = os.getcwd()
    cwd_path = Path(cwd)
    root = Path(config.root).resolve()
    configured = [(root / p).resolve() for p in config.paths] if config.paths else [root]
    configured = [p for p in configured if os.path.lexists(p)]  # a missing one is the command line's error
    given = [Path(os.path.abspath(p)) for p in paths]
    # every file under the project root is read for references, whatever the paths given; the
    # paths given (or the configured ones) decide what is reported and rewritten
    project_paths = [str(p) for p in configured] + [str(p) for p in given]  # given: even in a folder the walk skips
    report_only = [str(p) for p in (*given, *(p.resolve() for p in given))] if paths else None  # as named, via symlinks

    roots = [(root / folder).resolve() for folder in config.src] if config.src else build_roots(root)
    for folder, path in zip(config.src, roots):  # each configured `src` folder must exist
        if not path.is_dir():
            raise ConfigError(f"{config.source}: `src` names `{folder}`, which is not a folder of the project")
    namespaces = frozenset(name.split(".")[0] for name in (*config.internal, config.ai_package, *config.keep))
    discovery = discover(
        project_paths,
        tuple(config.exclude),
        root,
        {cwd_path, root},
        references=[str(root)],
        force_exclude=force_exclude,
        namespaces=namespaces,
        roots=roots,
    )
    files = discovery.files
    for path in set(overrides or ()) - {s.path for s in files}:  # `--stdin-filename` of a file not on disk
        discovery.missing = [(p, why) for p, why in discovery.missing if os.path.abspath(p) != path]
        files.append(SourceFile(path, *module_name(path, source_root(Path(path), {cwd_path, root}, namespaces))))
    named = {str(p) for p in given if p.is_file() or str(p) in (overrides or ())}
    named |= {str(p.resolve()) for p in given if p.is_file()}
    ignored = git_ignored(root)
    # a path named on the command line inside an ignored folder (a virtualenv's package) is asked for
    asked = tuple(f"{p}{os.sep}" for p in given if f"{p}{os.sep}".startswith(ignored))
    for source in files:
        if source.path in named and not force_exclude:
            source.reported = True  # a file named on the command line is checked, as ruff does
        elif source.reported and source.path.startswith(ignored) and not source.path.startswith(asked):
            source.reported = False  # generated or local: read for references, never reported or rewritten
    try:
        enabled = select_checks(select or config.select, (*config.ignore, *ignore))
    except KeyError as exc:
        where = config.source or "configuration"
        raise ConfigError(f"{where}: unknown check {exc.args[0]!r} in select/ignore") from None
    settings = ScanSettings.from_config(config)
    cache = Cache(root, settings, warn=warn) if use_cache else None
    results = _scan_all(files, settings, cache, jobs or os.cpu_count() or 1, overrides or {}, progress)
    if cache is not None:
        cache.keep_only({source.path for source in files})
        cache.save()

    def reported(path: str) -> bool:  # at or below a path given (any path when none is)
        return report_only is None or any(path == p or path.startswith(p.rstrip(os.sep) + os.sep) for p in report_only)

    errors = [InputError(relative(p, cwd), reason) for p, reason in discovery.missing]
    findings: list[Finding] = []
    suppressions: dict[str, tuple] = {}
    modules: dict[str, str] = {}
    for source in files:
        result = results[source.path]
        rel = relative(source.path, cwd)
        if result.error:
            errors.append(InputError(rel, result.error))
            continue
        if not source.reported:
            continue
        modules[rel] = source.module
        suppressions[rel] = result.suppressions
        findings += [
            Finding(rel, *r[:6], r.edit is not None, edit=r.edit, note=r.note)
            for r in result.findings
            if r.kind in enabled
        ]

    project = Project(files, results)
    # a folder that could not be listed hides files: the project's facts are incomplete, as with a parse error
    project.unparsed.extend(path for path, _ in discovery.missing)
    if not project.unparsed:  # with files missing, a package may only look absent
        check_packages(config, project.modules)
    checks = load_checks()
    project_kinds = {kind for kind, check in checks.items() if check.scope == "project"}
    for kind, check in checks.items():
        if kind in project_kinds and kind in enabled:
            findings += [dataclasses.replace(f, path=relative(f.path, cwd)) for f in check().run(project, config)]

    if config.per_file_ignores:  # rules turned off for some files: neither reported nor fixed there
        findings = [f for f in findings if f.kind not in config.ignored_in(f.path)]
    writable = {relative(s.path, cwd) for s in files if s.reported and reported(s.path)}
    analysed = sum(1 for s in files if s.reported and reported(s.path))
    meta = next(check for check in checks.values() if check.scope == "meta")  # the suppression comments' rule
    imports_by_name = any(data.dynamic_import for data in project.modules.values())  # import_module(name)
    veto, unsafe = _veto(findings, meta, suppressions, project_kinds, modules, config, root, imports_by_name)
    decide = functools.partial(decide_fixes, findings, project, modules, project_kinds, kinds, writable.__contains__)
    settled, fixes = decide(veto)
    unsafe = {id(f) for f, done in zip(findings, settled) if done.fixable and id(f) in unsafe}
    if unsafe and not unsafe_fixes:  # settled again without them: what they would have removed stays
        settled, fixes = decide(veto | dict.fromkeys(unsafe, UNSAFE_NOTE))
        # the tier shows in every format (JSON's keys are fixed by the contract)
        settled = [
            dataclasses.replace(done, message=f"{done.message} (fixable with --unsafe-fixes)")
            if id(f) in unsafe
            else done
            for f, done in zip(findings, settled)
        ]
    findings = [f for f in settled if reported(os.path.normpath(os.path.join(cwd, f.path)))]
    found = len(set(findings))
    findings = meta.apply(findings, {p: s for p, s in suppressions.items() if p in writable}, enabled)
    for i, f in enumerate(findings):  # a stale suppression comment: removed by the fix
        if f.kind != meta.kind:
            continue
        if kinds is not None and f.kind not in kinds:
            note = "its codemod is not selected (--only)"
        elif project.unparsed:  # a finding it silences may only be hidden by the file that failed
            note = "kept while a file of the project cannot be parsed"
        else:
            fixes.edits.setdefault(f.path, []).append(f)
            continue
        findings[i] = dataclasses.replace(f, fixable=False, edit=None, note=note)
    suppressed = found - len({f for f in findings if f.kind != meta.kind})
    findings = sorted(set(findings), key=lambda f: (f.path, f.line, f.column, f.code, f.symbol))
    errors = sorted(set(errors), key=lambda e: (e.path, e.reason))
    # errors of files read for references only are named too: they make the project's facts incomplete
    return AuditResult(findings, errors, project, fixes, files, modules, suppressed, analysed)
