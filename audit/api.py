"""`run_audit`: discover, scan each file once (cached, in parallel), build the project, run the checks."""
from __future__ import annotations

import dataclasses
import os
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path

from audit.cache import CACHE_DIR, Cache, digest
from audit.checks import Check, load_checks, resolve
from audit.config import Config, ConfigError
from audit.findings import Finding, InputError
from audit.project import Project, SourceFile, discover
from audit.scan import ScanSettings, scan_file
from audit.source import SourceError, read_bytes_and_stat

POOL_THRESHOLD = 24  # fewer files than this are scanned in-process


@dataclass
class AuditResult:
    findings: list[Finding]
    errors: list[InputError]
    project: Project
    suppressed: int = 0  # findings silenced by `# igny8: ignore` comments


def relative(path: str, cwd: str | None = None) -> str:
    cwd = cwd or os.getcwd()
    try:
        rel = os.path.relpath(path, cwd)
    except ValueError:
        rel = path
    return rel.replace(os.sep, "/")


def select_checks(select=(), ignore=()) -> dict[str, type[Check]]:
    """Enabled checks by kind. Names are kinds or codes; KeyError for an unknown one."""
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
    path, module, is_package, settings, known_digest = task
    try:
        data, stat_result = read_bytes_and_stat(path)
    except SourceError as exc:
        return path, None, None, None, {"module": module, "is_package": is_package, "error": str(exc)}
    content_digest = digest(data)
    if known_digest is not None and content_digest == known_digest:
        return path, stat_result.st_mtime_ns, stat_result.st_size, content_digest, None
    try:
        result = scan_file(path, module, is_package, settings, data=data)
    except (RecursionError, MemoryError):
        result = {"module": module, "is_package": is_package, "error": "cannot analyse: too deeply nested"}
    except Exception as exc:  # never let one file stop the run
        reason = f"cannot analyse: internal error ({exc.__class__.__name__}: {exc})"
        result = {"module": module, "is_package": is_package, "error": reason}
    return path, stat_result.st_mtime_ns, stat_result.st_size, content_digest, result


def _scan_all(files: list[SourceFile], settings: ScanSettings, cache: Cache | None, jobs: int, progress=None) -> dict[str, dict]:
    results: dict[str, dict] = {}
    tasks = []
    stale: dict[str, tuple] = {}
    for source in files:
        entry = None
        if cache is not None:
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
        tasks.append((source.path, source.module, source.is_package, settings, entry[2] if entry else None))
    outcomes = None
    if len(tasks) >= POOL_THRESHOLD and jobs > 1:
        chunksize = max(1, min(32, len(tasks) // (jobs * 4) or 1))
        try:
            with ProcessPoolExecutor(max_workers=jobs) as pool:
                outcomes = list(_shown(pool.map(_scan_task, tasks, chunksize=chunksize), len(tasks), progress))
        except (OSError, BrokenProcessPool):
            outcomes = None  # no usable process pool here: scan in this process
    if outcomes is None:
        outcomes = list(_shown((_scan_task(task) for task in tasks), len(tasks), progress))
    for path, mtime_ns, size, content_digest, result in outcomes:
        if result is None:  # content unchanged since the cached scan
            entry = stale[path]
            result = entry[5]
            if cache is not None:
                cache.store(path, mtime_ns, size, content_digest, entry[3], entry[4], result)
        elif cache is not None and mtime_ns is not None and not result.get("error"):
            cache.store(path, mtime_ns, size, content_digest, result["module"], result["is_package"], result)
        results[path] = result
    return results


def _shown(outcomes, total: int, progress):
    """The scan outcomes, through the caller's `progress(iterable, length)` when it gave one."""
    return outcomes if progress is None else progress(outcomes, total)


def _suppressed(finding: Finding, codes) -> bool:
    if codes is None:
        return True
    wanted = {c.lower() for c in codes}
    return finding.code.lower() in wanted or finding.kind.lower() in wanted


def _apply_suppressions(findings, results, enabled, reported_paths, checks_all):
    kept = []
    by_line: dict[tuple[str, int], list] = {}
    for path in reported_paths:
        for line, col, codes in results.get(path, {}).get("suppressions", ()) or ():
            by_line.setdefault((path, line), []).append([col, codes, set()])
    for finding in findings:
        hits = by_line.get((finding.path, finding.line))
        silenced = False
        if hits:
            for suppression in hits:
                if _suppressed(finding, suppression[1]):
                    silenced = True
                    suppression[2].add(finding.code)
                    suppression[2].add(finding.kind)
        if not silenced:
            kept.append(finding)
    unused = []
    meta = checks_all.get("unused-suppression")
    if meta is None or "unused-suppression" not in enabled:
        return kept, unused
    enabled_names = {c.code.lower() for c in enabled.values()} | {k.lower() for k in enabled}
    for (path, line), suppressions in by_line.items():
        for col, codes, matched in suppressions:
            if codes is None:
                if not matched:
                    unused.append((path, line, col, "all", "`# igny8: ignore` silences no finding"))
                continue
            matched_lower = {m.lower() for m in matched}
            for code in codes:
                low = code.lower()
                if low in matched_lower:
                    continue
                try:
                    check = resolve(code)
                except KeyError:
                    unused.append((path, line, col, code, f"`{code}` in `# igny8: ignore[...]` is not a known check"))
                    continue
                if check.kind in enabled or low in enabled_names:
                    unused.append((path, line, col, code, f"`# igny8: ignore[{code}]` silences no finding"))
    extra = [
        Finding(path=p, line=ln, column=c, code=meta.code, kind=meta.kind, symbol=sym, message=msg, fixable=False)
        for p, ln, c, sym, msg in unused
    ]
    return kept, extra


REWRITTEN_FUNCTIONS = ("get_model_config",)  # rewritten whole by the remove_model_config codemod


def _refine_fixable(findings: list[Finding], project: Project, config: Config) -> list[Finding]:
    """A model literal is fixable only where a codemod rewrites it away.

    That is inside `get_model_config` (rewritten to the IntegrationSettings-only logic) or
    inside an unused module-level function of an internal package (removed).
    """
    from audit.checks.orphan_export import is_internal

    unused: dict[str, set[str]] = {}
    out = []
    for finding in findings:
        if finding.kind == "model-literal-default" and finding.fixable:
            module, _, function = finding.symbol.rpartition(".")
            fixable = function in REWRITTEN_FUNCTIONS
            if not fixable and module in project.modules and is_internal(module, config.internal):
                if module not in unused:
                    unused[module] = {name for name, _, _ in project.unused_functions(module, config.keep)}
                fixable = function in unused[module]
            if not fixable:
                finding = dataclasses.replace(finding, fixable=False)
        out.append(finding)
    return out


def run_audit(
    paths: list[str],
    config: Config,
    *,
    jobs: int | None = None,
    use_cache: bool = True,
    select=(),
    ignore=(),
    progress=None,
) -> AuditResult:
    """Analyse the project and return every finding (sorted) and every unreadable input.

    ConfigError when a configured check name is unknown (flags are checked by the CLI).
    `progress(iterable, length)`, when given, wraps the per-file scan (a progress bar).
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

    checks_all = load_checks()
    try:
        enabled = select_checks(select or config.select, (*config.ignore, *ignore))
    except KeyError as exc:
        where = config.source or "configuration"
        raise ConfigError(f"{where}: unknown check {exc.args[0]!r} in select/ignore") from None

    discovery = discover(project_paths, tuple(config.exclude), root, {cwd_path, root})
    files = discovery.files
    settings = ScanSettings.from_config(config)
    cache = Cache(str(root / CACHE_DIR), settings) if use_cache else None
    results = _scan_all(files, settings, cache, jobs or os.cpu_count() or 1, progress)
    if cache is not None:
        cache.prune(project_paths, {source.path for source in files})
        cache.save()

    def reported(path: str) -> bool:
        if report_only is None:
            return True
        candidate = Path(path)
        return _inside(candidate, report_only)

    errors = [InputError(relative(p, cwd), reason) for p, reason in discovery.missing]
    findings: list[Finding] = []
    by_rel: dict[str, dict] = {}
    for source in files:
        result = results[source.path]
        if not reported(source.path):
            continue
        rel = relative(source.path, cwd)
        if result.get("error"):
            errors.append(InputError(rel, result["error"]))
            continue
        by_rel[rel] = result
        for line, col, code, kind, symbol, message, fixable in result.get("findings", ()):
            if kind in enabled:
                findings.append(Finding(rel, line, col, code, kind, symbol, message, fixable))

    project = Project(files, results)
    for kind, check in enabled.items():
        if check.scope != "project":
            continue
        for finding in check().run(project, config):
            if reported(finding.path):
                findings.append(dataclasses.replace(finding, path=relative(finding.path, cwd)))

    findings = _refine_fixable(findings, project, config)
    found = len(set(findings))
    findings, extra = _apply_suppressions(findings, by_rel, enabled, list(by_rel), checks_all)
    suppressed = found - len(set(findings))
    findings.extend(extra)
    findings = sorted(set(findings), key=lambda f: (f.path, f.line, f.column, f.code, f.symbol))
    errors.sort(key=lambda e: (e.path, e.reason))
    return AuditResult(findings=findings, errors=errors, project=project, suppressed=suppressed)
