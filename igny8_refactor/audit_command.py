"""`igny8-refactor audit` and `igny8-refactor list`."""

from __future__ import annotations

import enum
import importlib
import os
import time
from collections import Counter
from typing import TYPE_CHECKING

import click

from igny8_refactor import ui
from igny8_refactor.audit.api import UNSAFE_NOTE, AuditResult, run_audit, select_checks
from igny8_refactor.audit.checks import load_checks
from igny8_refactor.audit.config import ConfigError, expand, load_project_config
from igny8_refactor.audit.report import formats, render
from igny8_refactor.selection import select_paths

if TYPE_CHECKING:
    from igny8_refactor.audit.baseline import Baseline

TEXT_FORMAT = "text"  # the one format for people: its summary is its last line; the others' goes to stderr


class Exit(enum.IntEnum):
    CLEAN = 0
    FINDINGS = 1
    ERROR = 2  # usage error, or an input that could not be read or parsed


def _names(ctx, param, values) -> tuple[str, ...]:
    """Repeatable, comma-separated check names (kind, code or code prefix); unknown names are usage errors."""
    names = []
    for value in values or ():
        for part in value.split(","):
            part = part.strip()
            if not part:
                continue
            try:
                expand(part)
            except KeyError:
                raise click.BadParameter(f"unknown check {part!r}", ctx=ctx, param=param) from None
            names.append(part)
    return tuple(names)


def selection_options(command):
    """`--select` and `--ignore`, the same on `audit` and `fix`."""
    for name, what in (("--ignore", "Skip"), ("--select", "Only")):
        command = click.option(
            name,
            multiple=True,
            callback=_names,
            metavar="CHECK",
            help=f"{what} these checks: kind, code or code prefix (IG1, IG10); repeatable, comma-separated.",
        )(command)
    return command


def load_config(ctx, paths, config_file, *, verbose: bool = False):
    """The configuration of the project around `paths`; a config error ends the run (exit 2)."""
    try:
        config = load_project_config(paths, config_file)
    except ConfigError as exc:
        click.echo(str(exc), err=True)
        ctx.exit(Exit.ERROR)
    if config.shadowed:
        click.echo(
            f"warning: {config.shadowed}: [igny8_refactor] ignored; the [tool.igny8_refactor] table of "
            f"{config.source} in the same folder takes precedence",
            err=True,
        )
    if verbose:
        click.echo(f"configuration: {config.source or 'none (the defaults)'}; project root: {config.root}", err=True)
    return config


def read_stdin(ctx, stdin_filename: str, paths) -> dict[str, bytes]:
    """`--stdin-filename`: the source on stdin, standing for that file (absolute path -> bytes)."""
    if paths:
        click.echo("--stdin-filename: give no PATH, the source is read from stdin", err=True)
        ctx.exit(Exit.ERROR)
    return {os.path.abspath(stdin_filename): click.get_binary_stream("stdin").read()}


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def summary(
    *,
    findings: list,
    files: int,
    errors: int,
    baselined: int | None,
    suppressed: int,
    excluded: int = 0,
    older: tuple[str, int] | None = None,
) -> str | None:
    """One line saying what happened: findings, files checked, baselined, suppressed, errors.

    None when nothing was checked because of errors: their lines already say it all.
    """
    if not files:
        if errors:
            return None
        how = " (--force-exclude)" if excluded else ""
        return f"Nothing to check: every path given is excluded by the configuration's `exclude`{how}."
    if findings:
        fixable = sum(1 for f in findings if f.fixable)
        unsafe = sum(1 for f in findings if f.note == UNSAFE_NOTE)
        more = f", {unsafe} more with --unsafe-fixes" if unsafe else ""
        lead = ui.bad(f"Found {_plural(len(findings), 'finding')} ({fixable} fixable{more})")
    elif errors:
        lead = ui.bad("No findings, but not every input could be analysed")
    else:
        lead = ui.good("All checks passed")
    parts = [f"{_plural(files, 'file')} checked"]
    if baselined is not None:
        parts.append(f"{baselined} baselined")
    if older is not None:
        parts.append(f"{older[1]} already in {older[0]}")
    if suppressed:
        parts.append(f"{suppressed} suppressed")
    if excluded:
        parts.append(f"{_plural(excluded, 'path')} excluded (--force-exclude)")
    if errors:
        parts.append(_plural(errors, "error"))
    return f"{lead}: {', '.join(parts)}."


def select_findings(result: AuditResult, *, baseline: Baseline | None = None) -> list:
    """The findings to report: with a baseline, only those it does not record."""
    findings = list(result.findings)
    if baseline is not None:
        from igny8_refactor.audit.baseline import new_findings

        findings = new_findings(findings, baseline)
    return findings


@click.command()
@click.argument("paths", nargs=-1, type=click.Path())
@click.option(
    "--format",
    "fmt",
    type=click.Choice(formats()),
    default="text",
    show_default=True,
    help="Output format.",
)
@selection_options
@click.option(
    "--jobs",
    "-j",
    type=click.IntRange(min=1),
    default=None,
    help="Worker processes for a cold run [default: CPU count].",
)
@click.option("--no-cache", is_flag=True, help="Neither read nor write .igny8_refactor_cache/.")
@click.option(
    "--baseline", type=click.Path(dir_okay=False), default=None, help="Report only findings not in this baseline file."
)
@click.option(
    "--write-baseline",
    "baseline_out",
    type=click.Path(dir_okay=False),
    default=None,
    metavar="FILE",
    help="Record today's findings in FILE and exit 0.",
)
@click.option(
    "--diff-base",
    metavar="REV",
    default=None,
    help="Report only the findings this change introduces since the git revision REV (e.g. origin/main).",
)
@click.option(
    "--output",
    "-o",
    "output_file",
    type=click.Path(dir_okay=False),
    default=None,
    metavar="FILE",
    help="Write the report to FILE (atomically) instead of stdout.",
)
@click.option("--statistics", is_flag=True, help="Print the number of findings of each check instead of the findings.")
@click.option("--exit-zero", is_flag=True, help="Exit 0 even when there are findings.")
@click.option(
    "--unsafe-fixes",
    is_flag=True,
    default=None,
    help="Count removals outside the AI package as fixable (as `fix --unsafe-fixes` applies them).",
)
@click.option(
    "--force-exclude", is_flag=True, help="Apply the configured `exclude` to paths named on the command line too."
)
@click.option(
    "--stdin-filename",
    metavar="PATH",
    default=None,
    help="Read the source of PATH from stdin (an editor's unsaved buffer); the rest of the project from disk.",
)
@click.option("--config", "config_file", type=click.Path(), default=None, help="Read configuration from this file.")
@ui.terminal_options
@click.pass_context
def audit(
    ctx,
    paths,
    fmt,
    select,
    ignore,
    jobs,
    no_cache,
    baseline,
    baseline_out,
    diff_base,
    output_file,
    statistics,
    exit_zero,
    unsafe_fixes,
    force_exclude,
    stdin_filename,
    config_file,
    quiet,
    verbose,
) -> None:
    """Report findings in PATHS (default: the configured paths)."""
    started = time.monotonic()
    overrides = read_stdin(ctx, stdin_filename, paths) if stdin_filename else None
    if overrides:
        paths = (stdin_filename,)
    config = load_config(ctx, paths, config_file, verbose=verbose)
    known = None
    if baseline:
        from igny8_refactor.audit.baseline import BaselineError, load_baseline

        try:
            known = load_baseline(baseline)
        except BaselineError as exc:
            click.echo(str(exc), err=True)
            ctx.exit(Exit.ERROR)
    selection = select_paths([] if overrides else paths, config, force_exclude=force_exclude)
    if overrides:
        selection.paths, selection.errors, selection.defaulted = list(paths), [], False
    engine_paths = [] if selection.defaulted and not selection.errors else selection.paths

    def run(config, paths=engine_paths, overrides=overrides, use_cache=not no_cache):
        return run_audit(
            paths,
            config,
            jobs=jobs,
            use_cache=use_cache,
            select=select,
            ignore=ignore,
            progress=_progress,
            warn=_warn,
            unsafe_fixes=unsafe_fixes,
            overrides=overrides,
        )

    if selection.nothing_left:
        result = AuditResult(findings=[], errors=[], project=None)
    else:
        try:
            result = run(config)
        except ConfigError as exc:
            click.echo(str(exc), err=True)
            ctx.exit(Exit.ERROR)
    result.errors = sorted({*selection.errors, *result.errors}, key=lambda e: (e.path, e.reason))
    findings = select_findings(result, baseline=known)
    baselined = None if known is None else len(result.findings) - len(findings)
    older = None
    if diff_base and not selection.nothing_left:
        from igny8_refactor.diff_base import new_since
        from igny8_refactor.vcs import VcsError

        try:
            # the tree at REV: its configured paths, from disk, never cached
            kept = new_since(diff_base, findings, config, lambda c: run(c, [], None, False), _warn)
        except VcsError as exc:
            click.echo(str(exc), err=True)
            ctx.exit(Exit.ERROR)
        older = (diff_base, len(findings) - len(kept))
        findings = kept
    for error in result.errors:
        click.echo(ui.error_line(error.path, error.reason), err=True)
    if baseline_out:
        from igny8_refactor.audit.baseline import BaselineError
        from igny8_refactor.audit.baseline import write_baseline as record_baseline

        if selection.nothing_left:  # nothing was analysed: an empty baseline would forget every finding
            click.echo(f"{baseline_out}: not written, nothing was analysed", err=True)
            ctx.exit(Exit.ERROR if result.errors else Exit.CLEAN)
        try:
            count = record_baseline(result.findings, baseline_out)
        except BaselineError as exc:
            click.echo(str(exc), err=True)
            ctx.exit(Exit.ERROR)
        click.echo(f"{baseline_out}: recorded {count} finding{'' if count == 1 else 's'}", err=True)
        ctx.exit(Exit.ERROR if result.errors else Exit.CLEAN)

    def enabled_checks() -> dict:  # looked up only by a format that lists the rules (SARIF)
        return select_checks(select or config.select, (*config.ignore, *ignore))

    human = fmt == TEXT_FORMAT
    if statistics:
        output = _statistics(findings, fmt)
        human = False
    else:
        output = render(fmt, findings, result.errors, enabled_checks, root=_report_root(fmt, config))
    line = summary(
        findings=findings,
        files=result.analysed,
        errors=len(result.errors),
        baselined=baselined,
        suppressed=result.suppressed,
        excluded=len(selection.excluded),
        older=older,
    )
    if quiet:
        line = None
    elif verbose and line:
        line += f" ({time.monotonic() - started:.2f}s)"
    if human and line:
        output += click.unstyle(line) + "\n"
    if output_file:
        from igny8_refactor.audit.baseline import atomic_write_text

        try:
            atomic_write_text(output_file, output)
        except OSError as exc:
            click.echo(f"{output_file}: cannot write report: {exc.strerror or exc}", err=True)
            ctx.exit(Exit.ERROR)
        if line:
            click.echo(line, err=True)
    elif human:
        for text, finding in zip(output.splitlines(keepends=True), findings):
            click.echo(ui.finding_line(text, finding), nl=False)
        if line:
            click.echo(line)
    else:
        click.echo(output, nl=False)
        if line:
            click.echo(line, err=True)
    if result.errors:
        ctx.exit(Exit.ERROR)
    if findings and not exit_zero:
        ctx.exit(Exit.FINDINGS)
    ctx.exit(Exit.CLEAN)


def _statistics(findings, fmt: str) -> str:
    """ruff's `--statistics`: how many findings of each check, the most frequent first; `[*]` all fixable."""
    counts = Counter((f.code, f.kind) for f in findings)
    fixable = Counter((f.code, f.kind) for f in findings if f.fixable)
    rows = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    if fmt == "json":
        import json

        data = [{"code": c, "name": k, "count": n, "fixable": fixable[(c, k)] == n} for (c, k), n in rows]
        return json.dumps(data, indent=2) + "\n"
    width = max((len(str(n)) for n in counts.values()), default=1)
    return "".join(f"{n:>{width}}\t{c}\t{'[*]' if fixable[(c, k)] == n else '[ ]'} {k}\n" for (c, k), n in rows)


def _report_root(fmt: str, config) -> str | None:
    """Where GitHub annotations and SARIF locations start: the git repository's root, wherever the run is."""
    if fmt not in ("github", "sarif"):
        return None
    from igny8_refactor.vcs import toplevel

    return toplevel(os.path.realpath(config.root)) or os.path.realpath(config.root)


def _warn(message: str) -> None:
    click.echo(f"warning: {message}", err=True)


def _progress(items, length):
    return ui.progress(items, length, label="analysing")


@click.command(name="list")
def list_() -> None:
    """List every check, and the codemod that applies their fixes."""
    checks = load_checks()
    click.echo("Checks:")
    width = max((len(kind) for kind in checks), default=0)
    for kind, check in checks.items():
        fixable = "fixable" if check.fixable else "       "
        click.echo(f"  {check.code}  {kind.ljust(width)}  {fixable}  {check.summary()}")
    command = importlib.import_module("igny8_refactor.codemods.command").RuleCodemod  # a broken install is an error
    groups: dict[str, list[str]] = {}
    for check in checks.values():
        if check.codemod:
            groups.setdefault(check.codemod, []).append(check.code)
    name = f"command.{command.__name__}"
    width = max((len(n) for n in (name, *groups)), default=0)
    click.echo("Codemods:")
    click.echo(f"  {name.ljust(width)}  {command.DESCRIPTION}")
    for group, codes in sorted(groups.items()):
        click.echo(f"  {group.ljust(width)}  the fixes of {', '.join(codes)}")
