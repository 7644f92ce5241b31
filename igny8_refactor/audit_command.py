"""`igny8-refactor audit`, `list` and `explain`, and what `fix` takes the same way (PATHS, options, config).

Exit status: 0 clean, 1 findings (`fix`: changes), 2 a usage error or an input that could not be read or parsed.
The errors of configurations, baselines and git revisions end the run in cli.py.
"""

from __future__ import annotations

import functools
import json
import os
import time
from collections import Counter
from types import SimpleNamespace
from typing import NoReturn

import click

from igny8_refactor import ui
from igny8_refactor.audit.api import UNSAFE_NOTE, AuditResult, run_audit, select_checks
from igny8_refactor.audit.atomic import replace_file
from igny8_refactor.audit.baseline import load_baseline, new_findings, raw_bytes, write_baseline
from igny8_refactor.audit.check_pages import MissingPage, page
from igny8_refactor.audit.checks import load_checks, resolve
from igny8_refactor.audit.config import expand, load_project_config
from igny8_refactor.audit.report import FORMATS, render
from igny8_refactor.selection import Selection, select_paths
from igny8_refactor.vcs import new_since, toplevel

ERROR = 2


def fail(message: str) -> NoReturn:
    click.echo(message, err=True)
    raise click.exceptions.Exit(ERROR)


def warn(message: str) -> None:
    click.echo(f"warning: {message}", err=True)


def plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def _names(ctx, param, values) -> tuple[str, ...]:
    """Repeatable, comma-separated check names (kind, code or code prefix); unknown names are usage errors."""
    names = tuple(part.strip() for value in values for part in value.split(",") if part.strip())
    for name in names:
        try:
            expand(name)
        except KeyError:
            raise click.BadParameter(f"unknown check {name!r}", ctx=ctx, param=param) from None
    return names


def _set_color(ctx, param, value) -> None:
    if value != "auto":
        ctx.color = value == "always"


def project_options(*, unsafe_help: str, stdin_help: str):
    """PATHS and the options `audit` and `fix` share; the command is passed the context first."""
    options = [
        click.argument("paths", nargs=-1, type=click.Path()),
        *(
            click.option(
                name,
                multiple=True,
                callback=_names,
                metavar="CHECK",
                help=f"{what} these checks: kind, code or code prefix (IG1, IG10); repeatable, comma-separated.",
            )
            for name, what in (("--select", "Only"), ("--ignore", "Skip"))
        ),
        click.option("--jobs", "-j", type=click.IntRange(min=1), help="Worker processes [default: CPU count]."),
        click.option(
            "--no-cache", is_flag=True, help="Neither read nor write the analysis cache (.igny8_refactor_cache/)."
        ),
        click.option("--unsafe-fixes", is_flag=True, default=None, help=unsafe_help),
        click.option(
            "--force-exclude",
            is_flag=True,
            help="Apply the configured `exclude` to paths named on the command line too.",
        ),
        click.option("--stdin-filename", metavar="PATH", help=stdin_help),
        click.option("--config", "config_file", type=click.Path(), help="Read configuration from this file."),
        click.option(
            "--color",
            type=click.Choice(["auto", "always", "never"]),
            default="auto",
            expose_value=False,
            callback=_set_color,
            help="Colour: auto (on a terminal, unless NO_COLOR is set), always or never.",
        ),
        click.option("-q", "--quiet", is_flag=True, help="Print findings and errors only, no summary."),
        click.option("-v", "--verbose", is_flag=True, help="Also name the configuration read, and the time."),
        click.pass_context,
    ]
    return lambda command: functools.reduce(lambda f, option: option(f), reversed(options), command)


def prepare(args: SimpleNamespace) -> tuple:
    """(config, Selection, {path: the bytes read from stdin} or None); `--stdin-filename` becomes `args.paths`."""
    overrides = None
    if args.stdin_filename:
        if args.paths:
            fail("--stdin-filename: give no PATH, the source is read from stdin")
        overrides = {os.path.abspath(args.stdin_filename): click.get_binary_stream("stdin").read()}
        args.paths = (args.stdin_filename,)
    config = load_project_config(args.paths, args.config_file)
    if config.shadowed:
        warn(
            f"{config.shadowed}: [igny8_refactor] ignored; the [tool.igny8_refactor] table of {config.source} "
            "in the same folder takes precedence"
        )
    if args.verbose:
        click.echo(f"configuration: {config.source or 'none (the defaults)'}; project root: {config.root}", err=True)
    if overrides:
        return config, Selection(paths=list(args.paths)), overrides
    return config, select_paths(args.paths, config, force_exclude=args.force_exclude), None


def _summary(findings: list, result: AuditResult, counted: list[str], excluded: int) -> str | None:
    """One line saying what happened; None when nothing was checked because of errors (their lines say it all)."""
    if not result.analysed:
        if result.errors:
            return None
        how = " (--force-exclude)" if excluded else ""
        return f"Nothing to check: every path given is excluded by the configuration's `exclude`{how}."
    if findings:
        fixable = sum(1 for f in findings if f.fixable)
        unsafe = sum(1 for f in findings if f.note == UNSAFE_NOTE)
        more = f", {unsafe} more with --unsafe-fixes" if unsafe else ""
        lead = ui.bad(f"Found {plural(len(findings), 'finding')} ({fixable} fixable{more})")
    elif result.errors:
        lead = ui.bad("No findings, but not every input could be analysed")
    else:
        lead = ui.good("All checks passed")
    parts = [f"{plural(result.analysed, 'file')} checked", *counted]
    if result.suppressed:
        parts.append(f"{result.suppressed} suppressed")
    if excluded:
        parts.append(f"{plural(excluded, 'path')} excluded (--force-exclude)")
    if result.errors:
        parts.append(plural(len(result.errors), "error"))
    return f"{lead}: {', '.join(parts)}."


@click.command()
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="text", show_default=True, help="Output format.")
@click.option("--baseline", type=click.Path(dir_okay=False), help="Report only findings not in this baseline file.")
@click.option(
    "--write-baseline",
    "baseline_out",
    type=click.Path(dir_okay=False),
    metavar="FILE",
    help="Record today's findings in FILE and exit 0.",
)
@click.option(
    "--diff-base",
    metavar="REV",
    help="Report only the findings this change introduces since the git revision REV (e.g. origin/main).",
)
@click.option(
    "--output",
    "-o",
    "output_file",
    type=click.Path(dir_okay=False),
    metavar="FILE",
    help="Write the report to FILE (atomically) instead of stdout.",
)
@click.option("--statistics", is_flag=True, help="Print the number of findings of each check instead of the findings.")
@click.option("--exit-zero", is_flag=True, help="Exit 0 even when there are findings.")
@project_options(
    unsafe_help="Count removals outside the AI package as fixable (as `fix --unsafe-fixes` applies them).",
    stdin_help="Read the source of PATH from stdin (an editor's unsaved buffer); the rest of the project from disk.",
)
def audit(ctx, fmt, baseline, baseline_out, diff_base, output_file, statistics, exit_zero, **params) -> None:
    """Report findings in PATHS (default: the configured paths)."""
    started = time.monotonic()
    args = SimpleNamespace(**params)
    config, selection, overrides = prepare(args)
    known = load_baseline(baseline) if baseline else None

    def run(config, paths, overrides=None, use_cache=False) -> AuditResult:
        return run_audit(
            paths,
            config,
            jobs=args.jobs,
            use_cache=use_cache,
            select=args.select,
            ignore=args.ignore,
            progress=functools.partial(ui.progress, label="analysing"),
            warn=warn,
            unsafe_fixes=args.unsafe_fixes,
            overrides=overrides,
        )

    if selection.paths:
        # no PATH given: the engine is given none and takes the configured paths itself
        paths = selection.paths if args.paths or selection.errors else []
        result = run(config, paths, overrides, use_cache=not args.no_cache)
    else:
        result = AuditResult(findings=[], errors=[], project=None)
    result.errors = sorted({*selection.errors, *result.errors}, key=lambda e: (e.path, e.reason))
    findings = list(result.findings) if known is None else new_findings(result.findings, known)
    counted = [] if known is None else [f"{len(result.findings) - len(findings)} baselined"]
    if diff_base and selection.paths:
        kept = new_since(diff_base, findings, config, lambda config: run(config, []), warn)  # REV's tree, uncached
        counted.append(f"{len(findings) - len(kept)} already in {diff_base}")
        findings = kept
    for error in result.errors:
        click.echo(ui.error_line(error.path, error.reason), err=True)
    if baseline_out:
        if not selection.paths:  # nothing was analysed: an empty baseline would forget every finding
            click.echo(f"{baseline_out}: not written, nothing was analysed", err=True)
        else:
            count = write_baseline(result.findings, baseline_out)
            click.echo(f"{baseline_out}: recorded {plural(count, 'finding')}", err=True)
        ctx.exit(ERROR if result.errors else 0)

    human = fmt == "text" and not statistics  # the one format for people: its summary is its last line
    if statistics:
        output = _statistics(findings, fmt)
    else:
        root = None  # where GitHub annotations and SARIF locations start: the git root, wherever the run is
        if fmt in ("github", "sarif"):
            root = toplevel(os.path.realpath(config.root)) or os.path.realpath(config.root)
        # the enabled rules, looked up only by a format that lists them (SARIF)
        checks = functools.partial(select_checks, args.select or config.select, (*config.ignore, *args.ignore))
        output = render(fmt, findings, result.errors, checks, root=root)
    line = None if args.quiet else _summary(findings, result, counted, len(selection.excluded))
    if args.verbose and line:
        line += f" ({time.monotonic() - started:.2f}s)"
    if human and line:
        output += click.unstyle(line) + "\n"
    if output_file:
        try:
            replace_file(output_file, raw_bytes(output))
        except OSError as exc:
            fail(f"{output_file}: cannot write report: {exc.strerror or exc}")
    elif human:
        for text, finding in zip(output.splitlines(keepends=True), findings):
            click.echo(ui.finding_line(text, finding), nl=False)
    else:
        click.echo(output, nl=False)
    if line:
        click.echo(line, err=not human or bool(output_file))
    if result.errors:
        ctx.exit(ERROR)
    ctx.exit(1 if findings and not exit_zero else 0)


def _statistics(findings, fmt: str) -> str:
    """ruff's `--statistics`: how many findings of each check, the most frequent first; `[*]` all fixable."""
    counts = Counter((f.code, f.kind) for f in findings)
    fixable = Counter((f.code, f.kind) for f in findings if f.fixable)
    rows = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    if fmt == "json":
        data = [{"code": c, "name": k, "count": n, "fixable": fixable[(c, k)] == n} for (c, k), n in rows]
        return json.dumps(data, indent=2) + "\n"
    width = max((len(str(n)) for n in counts.values()), default=1)
    return "".join(f"{n:>{width}}\t{c}\t{'[*]' if fixable[(c, k)] == n else '[ ]'} {k}\n" for (c, k), n in rows)


@click.command(name="list")
def list_() -> None:
    """List every check, and the codemod that applies their fixes."""
    checks = load_checks()
    click.echo("Checks:")
    width = max((len(kind) for kind in checks), default=0)
    for kind, check in checks.items():
        fixable = "fixable" if check.fixable else "       "
        click.echo(f"  {check.code}  {kind.ljust(width)}  {fixable}  {check.summary()}")
    from igny8_refactor.codemods.command import RuleCodemod as command  # a broken install is an error

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


@click.command()
@click.argument("name", metavar="CODE-or-KIND")
def explain(name: str) -> None:
    """Print the documentation page of one check.

    CODE-or-KIND names the check: `explain IG101` or `explain settings-fallback`.
    """
    try:
        check = resolve(name)
    except KeyError:
        fail(f"igny8-refactor explain: unknown check {name!r} (see `igny8-refactor list`)")
    try:
        text = page(check.kind)
    except MissingPage:
        fail(f"igny8-refactor explain: {check.code} {check.kind} has no documentation page")
    click.echo(text, nl=not text.endswith("\n"))
