"""`igny8-refactor fix`: config -> codemods/pipeline.run_fix -> git check -> write -> summary."""

from __future__ import annotations

import os
import time
from enum import IntEnum

import click

from igny8_refactor import ui
from igny8_refactor.audit_command import load_config, read_stdin, selection_options
from igny8_refactor.selection import select_paths

PROGRESS_MIN_FILES = 200  # kept for callers; the bar now depends on how long the run takes


class Exit(IntEnum):
    CLEAN = 0
    CHANGES = 1
    ERROR = 2


def _progress(items, length):
    return ui.progress(items, length, label="fixing")


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


@click.command(short_help="Apply the codemods: rewrite files in place, or show the diff.")
@click.argument("paths", nargs=-1, type=click.Path(path_type=str))
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
@click.option(
    "--force-exclude", is_flag=True, help="Apply the configured `exclude` to paths named on the command line too."
)
@click.option(
    "--unsafe-fixes",
    is_flag=True,
    default=None,
    help="Also remove unused functions and orphan exports outside the AI package.",
)
@click.option("--show-fixes", is_flag=True, help="Name every fix applied (the default; kept for ruff users).")
@selection_options
@click.option(
    "--only",
    "only",
    multiple=True,
    metavar="NAME",
    help="Fix only this rule: a code, kind or codemod group (repeatable; --select that also takes codemod groups).",
)
@click.option(
    "--jobs",
    "-j",
    type=click.IntRange(min=1),
    default=None,
    help="Worker processes for the analysis and the rewrites [default: CPU count].",
)
@click.option("--no-cache", is_flag=True, help="Do not read or write the analysis cache.")
@click.option(
    "--stdin-filename",
    metavar="PATH",
    default=None,
    help="Fix the source of PATH read from stdin and print the result on stdout (nothing is written).",
)
@click.option(
    "--config",
    "config_file",
    type=click.Path(path_type=str),
    default=None,
    help="Configuration file (setup.cfg or pyproject.toml).",
)
@ui.terminal_options
@click.pass_context
def fix(
    ctx,
    paths,
    show_diff,
    check,
    exit_non_zero_on_fix,
    allow_dirty,
    force_exclude,
    unsafe_fixes,
    show_fixes,
    select,
    ignore,
    only,
    jobs,
    no_cache,
    stdin_filename,
    config_file,
    quiet,
    verbose,
) -> None:
    """Apply the codemods: analyse the whole project once, then rewrite in place.

    With --diff or --check nothing is written. Before writing, files with uncommitted git
    changes (untracked ones included) stop the run unless --allow-dirty is given; outside a
    git repository nothing is checked. Exit status: 0 nothing to change (or changes
    written), 1 changes needed (--diff/--check) or written (--exit-non-zero-on-fix), 2 usage
    or input error, or files with uncommitted changes.
    """
    from igny8_refactor.audit.checks import select_fixes
    from igny8_refactor.audit.config import ConfigError, expand
    from igny8_refactor.codemods.pipeline import run_fix, write_changes

    started = time.monotonic()
    overrides = read_stdin(ctx, stdin_filename, paths) if stdin_filename else None
    if overrides:
        paths = (stdin_filename,)
    config = load_config(ctx, paths, config_file, verbose=verbose)
    try:
        kinds = select_fixes(only) if only else set()
    except KeyError as exc:
        click.echo(f"--only: unknown rule {exc.args[0]!r} (see `igny8-refactor list`)", err=True)
        ctx.exit(Exit.ERROR)
    if select or ignore:  # --only and --select add up; --ignore takes away
        kinds |= {check.kind for name in select for check in expand(name)}
        kinds = (kinds or select_fixes()) - {check.kind for name in ignore for check in expand(name)}
        if not kinds:
            click.echo("Nothing to fix: no rule is selected.", err=True)
            ctx.exit(Exit.CLEAN)
    only = sorted(kinds)

    selection = select_paths([] if overrides else paths, config, force_exclude=force_exclude)
    if overrides:
        selection.paths, selection.errors, selection.defaulted = list(paths), [], False
    for error in selection.errors:
        click.echo(ui.error_line(error.path, error.reason), err=True)
    if selection.nothing_left:
        if selection.errors:
            ctx.exit(Exit.ERROR)
        click.echo(
            f"Nothing to fix: {_plural(len(selection.excluded), 'path')} excluded by the configuration "
            "(--force-exclude).",
            err=True,
        )
        ctx.exit(Exit.CLEAN)

    write = not (show_diff or check or overrides)
    try:
        result = run_fix(
            selection.paths,
            config,
            only=only,
            jobs=jobs,
            use_cache=not no_cache,
            write=False,
            progress=_progress,
            force_exclude=force_exclude,
            unsafe_fixes=unsafe_fixes,
            overrides=overrides,
        )
    except ConfigError as exc:
        click.echo(str(exc), err=True)
        ctx.exit(Exit.ERROR)

    if write and result.changed and not allow_dirty:
        from igny8_refactor.vcs import VcsError, dirty_files

        try:
            dirty = dirty_files([f.path for f in result.changed])
        except VcsError as exc:
            _echo_errors(result)
            click.echo(f"{exc}; pass --allow-dirty to fix anyway", err=True)
            ctx.exit(Exit.ERROR)
        if dirty:
            _echo_errors(result)
            click.echo(
                f"{', '.join(dirty)}: uncommitted changes (untracked files count); commit or stash them "
                "first so the rewrite can be reviewed and undone, or pass --allow-dirty to fix anyway",
                err=True,
            )
            ctx.exit(Exit.ERROR)
    if write and not result.errors:
        # never a result the pipeline refused (a broken import, a fixable finding left); all or nothing
        write_changes(result, config.root)

    _echo_errors(result, warnings=not quiet)
    done = (write or overrides and not (show_diff or check)) and not result.errors  # stdin: fixed on stdout
    if result.changed and not result.errors and not quiet:
        for line in result.applied:  # every removal and rewrite is named, as ruff's --show-fixes
            click.echo(f"{'fixed' if done else 'would fix'} {line}", err=True)
    if overrides and not (show_diff or check):  # --stdin-filename: the source, fixed or as it came
        (key, data), *_ = overrides.items()
        fixed = next((f.new for f in result.changed if os.path.abspath(f.path) == key), data)
        click.get_binary_stream("stdout").write(fixed)
    if show_diff:
        for file_result in result.changed:
            click.echo(ui.diff_text(file_result.diff()), nl=False)

    changed, failed = len(result.changed), len(result.failed)
    unchanged = max(result.analysed - changed - failed, 0)
    verb = "changed" if done else "would change"
    summary = f"{_plural(changed, 'file')} {verb}, {unchanged} unchanged, {failed} failed"
    if selection.errors:
        summary += f", {_plural(len(selection.errors), 'error')}"
    if selection.excluded:
        summary += f", {_plural(len(selection.excluded), 'path')} excluded (--force-exclude)"
    if result.unsafe:
        summary += f" ({result.unsafe} more fixable with --unsafe-fixes)"
    if verbose:
        summary += f" ({time.monotonic() - started:.2f}s)"
    if not quiet:
        click.echo(ui.bad(summary) if failed else summary, err=True)

    if failed or selection.errors or result.errors:
        ctx.exit(Exit.ERROR)
    if changed and (not done or exit_non_zero_on_fix):
        ctx.exit(Exit.CHANGES)
    ctx.exit(Exit.CLEAN)


def _echo_errors(result, *, warnings: bool = False) -> None:
    for line in result.errors:
        click.echo(line, err=True)
    for file_result in result.files:
        if file_result.error is not None:
            click.echo(ui.error_line(file_result.path, file_result.error), err=True)
    if warnings:
        for note in result.notes:
            click.echo(note, err=True)
