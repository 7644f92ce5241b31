"""`igny8-refactor fix`: config -> codemods/pipeline.run_fix -> git check -> write -> summary."""

from __future__ import annotations

import functools
import os
import time
from types import SimpleNamespace

import click

from igny8_refactor import ui
from igny8_refactor.audit_command import ERROR, fail, plural, prepare, project_options

_progress = functools.partial(ui.progress, label="fixing")


@click.command(short_help="Apply the codemods: rewrite files in place, or show the diff.")
@click.option("--diff", "show_diff", is_flag=True, help="Print a unified diff; write nothing.")
@click.option("--check", is_flag=True, help="Write nothing; exit 1 if anything would change.")
@click.option(
    "--exit-non-zero-on-fix",
    is_flag=True,
    help="Exit 1 when files were rewritten (as formatters do in a pre-commit hook).",
)
@click.option(
    "--allow-dirty",
    is_flag=True,
    help="Rewrite files that have uncommitted git changes (staged, unstaged or untracked).",
)
@click.option("--show-fixes", is_flag=True, help="Name every fix applied (the default; kept for ruff users).")
@click.option(
    "--only",
    multiple=True,
    metavar="NAME",
    help="Fix only this rule: a code, kind or codemod group (repeatable; --select that also takes codemod groups).",
)
@project_options(
    unsafe_help="Also remove unused functions and orphan exports outside the AI package.",
    stdin_help="Fix the source of PATH read from stdin and print the result on stdout (nothing is written).",
)
def fix(ctx, show_diff, check, exit_non_zero_on_fix, allow_dirty, show_fixes, only, **params) -> None:
    """Apply the codemods: analyse the whole project once, then rewrite in place.

    With --diff or --check nothing is written. Before writing, files with uncommitted git
    changes (untracked ones included) stop the run unless --allow-dirty is given; outside a
    git repository nothing is checked. Exit status: 0 nothing to change (or changes
    written), 1 changes needed (--diff/--check) or written (--exit-non-zero-on-fix), 2 usage
    or input error, or files with uncommitted changes.
    """
    from igny8_refactor.audit.checks import select_fixes
    from igny8_refactor.audit.config import expand
    from igny8_refactor.codemods.pipeline import run_fix, write_changes

    started = time.monotonic()
    args = SimpleNamespace(**params)
    config, selection, overrides = prepare(args)
    try:
        kinds = select_fixes(only) if only else set()
    except KeyError as exc:
        fail(f"--only: unknown rule {exc.args[0]!r} (see `igny8-refactor list`)")
    if args.select or args.ignore:  # --only and --select add up; --ignore takes away
        kinds |= {check.kind for name in args.select for check in expand(name)}
        kinds = (kinds or select_fixes()) - {check.kind for name in args.ignore for check in expand(name)}
        if not kinds:
            click.echo("Nothing to fix: no rule is selected.", err=True)
            ctx.exit(0)
    for error in selection.errors:
        click.echo(ui.error_line(error.path, error.reason), err=True)
    if not selection.paths:
        if selection.errors:
            ctx.exit(ERROR)
        excluded = plural(len(selection.excluded), "path")
        click.echo(f"Nothing to fix: {excluded} excluded by the configuration (--force-exclude).", err=True)
        ctx.exit(0)

    result = run_fix(
        selection.paths,
        config,
        only=sorted(kinds),
        jobs=args.jobs,
        use_cache=not args.no_cache,
        write=False,
        progress=_progress,
        force_exclude=args.force_exclude,
        unsafe_fixes=args.unsafe_fixes,
        overrides=overrides,
    )

    def echo_errors(warnings: bool = False) -> None:
        for line in result.errors:
            click.echo(line, err=True)
        for file_result in result.files:
            if file_result.error is not None:
                click.echo(ui.error_line(file_result.path, file_result.error), err=True)
        for note in result.notes if warnings else ():
            click.echo(note, err=True)

    write = not (show_diff or check or overrides)
    if write and result.changed and not allow_dirty:
        from igny8_refactor.vcs import VcsError, dirty_files

        try:
            dirty = dirty_files([f.path for f in result.changed])
            refusal = dirty and (
                f"{', '.join(dirty)}: uncommitted changes (untracked files count); commit or stash them first so "
                "the rewrite can be reviewed and undone, or pass --allow-dirty to fix anyway"
            )
        except VcsError as exc:
            refusal = f"{exc}; pass --allow-dirty to fix anyway"
        if refusal:
            echo_errors()
            fail(refusal)
    if write and not result.errors:
        # never a result the pipeline refused (a broken import, a fixable finding left); all or nothing
        write_changes(result, config.root)

    echo_errors(warnings=not args.quiet)
    done = not (show_diff or check or result.errors)  # written, or (--stdin-filename) fixed on stdout
    if result.changed and not result.errors and not args.quiet:
        for line in result.applied:  # every removal and rewrite is named, as ruff's --show-fixes
            click.echo(f"{'fixed' if done else 'would fix'} {line}", err=True)
    if overrides and not (show_diff or check):  # --stdin-filename: the source, fixed or as it came
        ((key, data),) = overrides.items()
        fixed = next((f.new for f in result.changed if os.path.abspath(f.path) == key), data)
        click.get_binary_stream("stdout").write(fixed)
    if show_diff:
        for file_result in result.changed:
            click.echo(ui.diff_text(file_result.diff()), nl=False)

    changed, failed = len(result.changed), len(result.failed)
    unchanged = max(result.analysed - changed - failed, 0)
    summary = (
        f"{plural(changed, 'file')} {'changed' if done else 'would change'}, {unchanged} unchanged, {failed} failed"
    )
    if selection.errors:
        summary += f", {plural(len(selection.errors), 'error')}"
    if selection.excluded:
        summary += f", {plural(len(selection.excluded), 'path')} excluded (--force-exclude)"
    if result.unsafe:
        summary += f" ({result.unsafe} more fixable with --unsafe-fixes)"
    if args.verbose:
        summary += f" ({time.monotonic() - started:.2f}s)"
    if not args.quiet:
        click.echo(ui.bad(summary) if failed else summary, err=True)
    if failed or selection.errors or result.errors:
        ctx.exit(ERROR)
    ctx.exit(1 if changed and (not done or exit_non_zero_on_fix) else 0)
