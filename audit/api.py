"""`run_audit`: discover, scan each file once (cached, in parallel), build the project, run the rules.

The result carries the findings with `fixable` decided by `audit.fixability`, and the plan
`fix` applies: one decision for both commands.
"""
from __future__ import annotations

import dataclasses
import functools
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from audit.cache import CACHE_DIR, Cache, digest
from audit.checks import Check, load_checks, resolve
from audit.config import Config, ConfigError
from audit.files import SourceFile, discover
from audit.findings import Finding, InputError
from audit.pool import collector_paused, map_in_processes

if TYPE_CHECKING:
    from audit.fixability import FixPlan
    from audit.project import Project
    from audit.records import FileScan, ScanSettings

# the project model, the fix plan, the records and the source reader are imported where they
# are used: an audit answered from the memo (audit.memo) needs none of them

POOL_THRESHOLD = 24  # fewer files than this are scanned in-process


@dataclass
class AuditResult:
    findings: list[Finding]
    errors: list[InputError]
    project: Project | None
    plan: FixPlan | None = None  # None for a report from the memo or when nothing was analysed
    files: list[SourceFile] = field(default_factory=list)
    modules: dict[str, str] = field(default_factory=dict)  # reported path (relative) -> module
    suppressed: int = 0  # findings silenced by `# igny8: ignore` comments
    analysed: int = 0  # files reported on, unreadable ones included (those read for references only are not)
    directories: list[str] = field(default_factory=list)  # every directory the discovery walked
    memoized: bool = False  # the report is the one the memo holds for this tree (read or just stored)


def relative(path: str, cwd: str | None = None) -> str:
    """`path` relative to `cwd` (the current directory by default), with forward slashes."""
    cwd = cwd or os.getcwd()
    if os.path.isabs(path) and os.path.isabs(cwd):
        return _relative(path, cwd)  # remembered: the answer depends on the two strings alone
    return _relative.__wrapped__(path, cwd)


@functools.lru_cache(maxsize=1 << 16)
def _relative(path: str, cwd: str) -> str:
    # a run asks for each file's reported path several times (its findings, its errors, the writable set)
    try:
        rel = os.path.relpath(path, cwd)
    except ValueError:
        rel = path
    return rel.replace(os.sep, "/")


def select_checks(select=(), ignore=()) -> dict[str, type[Check]]:
    """Enabled rules by kind. Names are kinds or codes; KeyError for an unknown one."""
    checks = load_checks()
    if select:
        chosen = {}
        for name in select:
            if name.upper() == "ALL":
                chosen.update(checks)
                continue
            check = resolve(name)
            chosen[check.kind] = check
    else:
        chosen = dict(checks)
    for name in ignore:
        check = resolve(name)
        chosen.pop(check.kind, None)
    return dict(sorted(chosen.items(), key=lambda item: item[1].code))


def _inside(path: Path, roots: list[Path]) -> bool:
    return any(path == root or root in path.parents for root in roots)


def _scan_task(task):
    from audit.records import FileScan
    from audit.source import SourceError, read_bytes_and_stat

    path, module, is_package, settings, known_digest, override = task
    if override is not None:
        return path, None, None, None, _scan(path, module, is_package, settings, override)
    try:
        data, stat_result = read_bytes_and_stat(path)
    except SourceError as exc:
        return path, None, None, None, FileScan(module, is_package, error=str(exc))
    content_digest = digest(data)
    if known_digest is not None and content_digest == known_digest:
        return path, stat_result.st_mtime_ns, stat_result.st_size, content_digest, None
    return path, stat_result.st_mtime_ns, stat_result.st_size, content_digest, _scan(path, module, is_package, settings, data)


def _scan(path, module, is_package, settings, data: bytes) -> FileScan:
    from audit.records import FileScan
    from audit.scan import scan_file  # here, not at the top: a memoised run never scans

    try:
        return scan_file(path, module, is_package, settings, data=data)
    except (RecursionError, MemoryError):
        return FileScan(module, is_package, error="cannot analyse: too deeply nested")
    except Exception as exc:  # never let one file stop the run
        return FileScan(module, is_package, error=f"cannot analyse: internal error ({exc.__class__.__name__}: {exc})")


def _shown(outcomes, total: int, progress):
    """The scan outcomes, through the caller's `progress(iterable, length)` when it gave one."""
    return outcomes if progress is None else progress(outcomes, total)


def _scan_all(
    files: list[SourceFile], settings: ScanSettings, cache: Cache | None, jobs: int, overrides: dict[str, bytes],
    progress=None,
) -> dict[str, FileScan]:
    results: dict[str, FileScan] = {}
    tasks = []
    stale: dict[str, tuple] = {}
    # the cached results decoded here are acyclic; the collector's passes over them, as they
    # accumulate, would cost as much as decoding them
    with collector_paused():
        for source in files:
            entry = None
            override = overrides.get(source.path)
            if cache is not None and override is None:
                try:
                    stat_result = os.stat(source.path)
                except OSError:
                    stat_result = None
                if stat_result is not None:
                    hit, entry = cache.lookup(source.path, stat_result, source.module, source.is_package)
                    if hit is not None:
                        results[source.path] = hit
                        continue
            if entry is not None:
                stale[source.path] = entry
            tasks.append((source.path, source.module, source.is_package, settings, entry[2] if entry else None, override))
    outcomes = None
    if len(tasks) >= POOL_THRESHOLD and jobs > 1:
        # small chunks: the costly files (those the rules parse again with LibCST) sit together in one folder
        chunksize = max(1, min(16, len(tasks) // (jobs * 32)))
        outcomes = map_in_processes(_scan_task, tasks, jobs, preload=("audit.scan",), chunksize=chunksize,
                                    wrap=lambda results: _shown(results, len(tasks), progress))
    if outcomes is None:
        outcomes = list(_shown((_scan_task(task) for task in tasks), len(tasks), progress))
    for path, mtime_ns, size, content_digest, result in outcomes:
        if result is None:  # content unchanged since the cached scan
            entry = stale[path]
            result = entry[5]
            if cache is not None:
                cache.store(path, mtime_ns, size, content_digest, entry[3], entry[4], result)
        elif cache is not None and mtime_ns is not None and not result.error:
            cache.store(path, mtime_ns, size, content_digest, result.module, result.is_package, result)
        results[path] = result
    return results


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
    memoize: bool = False,
) -> AuditResult:
    """Analyse the project and return every finding (sorted), every unreadable input, and the fix plan.

    `overrides` gives some files' contents (absolute path -> bytes) instead of the disk's: `fix`
    uses it to analyse its own result before writing; `kinds` limits the plan to the edits of
those rules (`fix --only`); `progress(iterable, length)`, when given, wraps the per-file scan
(a progress bar). ConfigError when a configured rule name
    is unknown (flags are checked by the CLI). With `memoize` (and the cache), a tree found
    exactly as the last run with the same request left it gets that run's report
    (`audit.memo`): findings and errors only, no project model and no plan.
    """
    cwd = os.getcwd()
    cwd_path = Path(cwd)
    config_found = config.source is not None
    root = Path(config.root).resolve() if config_found else cwd_path
    configured = [(root / p).resolve() for p in config.paths] if config.paths else [root]
    given = [Path(os.path.abspath(p)) for p in paths]
    report_only: list[Path] | None = None
    if not paths:
        project_paths = [str(p) for p in configured]
    elif config_found and all(_inside(p.resolve(), configured) for p in given):
        project_paths = [str(p) for p in configured]
        report_only = given + [p.resolve() for p in given]  # as named, and through symlinks
    else:
        project_paths = [str(p) for p in given]
    # with a configuration, every file under its directory is read for references
    references = [str(root)] if config_found else []

    discovery = discover(
        project_paths, tuple(config.exclude), root, {cwd_path, root}, references=references, force_exclude=force_exclude
    )
    files = discovery.files
    if report_only is not None and not force_exclude:
        named = {str(p) for p in given if p.is_file()} | {str(p.resolve()) for p in given if p.is_file()}
        for source in files:
            if source.path in named:
                source.reported = True  # a file named on the command line is checked, as ruff does
    memo = None
    if memoize and use_cache and not overrides:
        from audit.memo import Memo

        request = (config, [str(p) for p in given], tuple(select), tuple(ignore), force_exclude,
                   sorted(kinds) if kinds is not None else None, cwd)
        memo = Memo(str(root / CACHE_DIR), request)
        memo.observe(files, discovery.missing)
        known = memo.load()
        if known is not None:
            return AuditResult(project=None, files=files, directories=discovery.directories, memoized=True, **known)
    # after the memo: a run with an unknown check name stores no memo, and the rules' modules
    # are part of the memo's key
    try:
        enabled = select_checks(select or config.select, (*config.ignore, *ignore))
    except KeyError as exc:
        where = config.source or "configuration"
        raise ConfigError(f"{where}: unknown check {exc.args[0]!r} in select/ignore") from None
    from audit.fixability import settle
    from audit.project import Project
    from audit.records import ScanSettings

    settings = ScanSettings.from_config(config)
    cache = Cache(str(root / CACHE_DIR), settings) if use_cache else None
    results = _scan_all(files, settings, cache, jobs or os.cpu_count() or 1, overrides or {}, progress)
    if cache is not None:
        cache.prune([*project_paths, *references], {source.path for source in files})
        cache.save()
        cache = None  # its table of shared strings and the entries of files outside this run go now

    def reported(source_path: str) -> bool:
        return report_only is None or _inside(Path(source_path), report_only)

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
        for r in result.reports:
            if r.kind in enabled:
                findings.append(Finding(rel, r.line, r.column, r.code, r.kind, r.symbol, r.message, r.edit is not None,
                                        edit=r.edit, note=r.note))

    project = Project(files, results)
    project_kinds = set()
    for kind, check in load_checks().items():
        if check.scope != "project":
            continue
        project_kinds.add(kind)
        if kind not in enabled:
            continue
        for finding in check().run(project, config):
            findings.append(dataclasses.replace(finding, path=relative(finding.path, cwd)))

    writable = {relative(s.path, cwd) for s in files if s.reported and reported(s.path)}
    analysed = sum(1 for s in files if s.reported and reported(s.path))
    findings, plan = settle(findings, project, modules, project_kinds, kinds, writable=writable.__contains__)
    found = len(set(findings))
    meta = next((check for check in load_checks().values() if check.scope == "meta"), None)
    if meta is not None:
        findings = meta.apply(findings, suppressions, enabled)
    suppressed = found - len({f for f in findings if meta is None or f.kind != meta.kind})
    findings = [f for f in findings if reported(os.path.join(cwd, f.path))]
    findings = sorted(set(findings), key=lambda f: (f.path, f.line, f.column, f.code, f.symbol))
    errors = sorted(set(errors), key=lambda e: (e.path, e.reason))
    memoized = memo is not None and memo.save(findings, errors, suppressed, analysed)
    # errors of files read for references only are named too: they make the project's facts incomplete
    return AuditResult(
        findings=findings, errors=errors, project=project, plan=plan, files=files, modules=modules,
        suppressed=suppressed, analysed=analysed, directories=discovery.directories, memoized=memoized,
    )
