"""`igny8-refactor fix`: config -> codemods/pipeline.run_fix -> diff/summary on the terminal."""
from __future__ import annotations

import sys
from enum import IntEnum
from pathlib import Path

import click

PROGRESS_MIN_FILES = 200  # below this a run is short: no bar


class Exit(IntEnum):
    CLEAN = 0
    CHANGES = 1
    ERROR = 2


def _progress(files):
    files = list(files)
    if not sys.stderr.isatty() or len(files) < PROGRESS_MIN_FILES:
        return files

    def bar():
        with click.progressbar(files, label="fixing", file=sys.stderr) as items:
            yield from items

    return bar()


def _commit(result, config) -> None:
    """Write every changed file as one transaction (audit.atomic.commit): all or nothing."""
    from audit.atomic import CommitError, commit
    from audit.cache import CACHE_DIR

    changed = result.changed
    try:
        commit([(f.path, f.old, f.new) for f in changed], Path(config.root) / CACHE_DIR)
    except CommitError as exc:
        result.errors.append(f"{exc}; every file left as it was")
        for file_result in changed:
            file_result.error = "not written"


@click.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=str))
@click.option("--diff", "show_diff", is_flag=True, help="Print a unified diff; write nothing.")
@click.option("--check", is_flag=True, help="Write nothing; exit 1 if anything would change.")
@click.option("--exit-non-zero-on-fix", is_flag=True,
              help="Exit 1 when files were rewritten (as formatters do in a pre-commit hook).")
@click.option("--only", "only", multiple=True, metavar="NAME", help="Run only this codemod (repeatable).")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None, help="Parallel analysis jobs.")
@click.option("--no-cache", is_flag=True, help="Do not read or write the analysis cache.")
@click.option("--config", "config_file", type=click.Path(path_type=str), default=None,
              help="Configuration file (setup.cfg or pyproject.toml).")
@click.pass_context
def fix(ctx, paths, show_diff, check, exit_non_zero_on_fix, only, jobs, no_cache, config_file) -> None:
    """Apply the codemods: analyse the whole project once, then rewrite in place.

    With --diff or --check nothing is written. Exit status: 0 nothing to change (or
    changes written), 1 changes needed (--diff/--check) or written (--exit-non-zero-on-fix),
    2 usage or input error.
    """
    from audit.config import ConfigError, load_config
    from codemods.pipeline import run_fix, select_commands

    try:
        config = load_config(".", config_file)
    except ConfigError as exc:
        click.echo(str(exc), err=True)
        ctx.exit(Exit.ERROR)
    from igny8_refactor.audit_command import recover_interrupted_fix

    if not recover_interrupted_fix(config):
        ctx.exit(Exit.ERROR)
    try:
        if only:
            select_commands(only)
    except KeyError as exc:
        click.echo(f"--only: unknown codemod {exc.args[0]!r} (see `igny8-refactor list`)", err=True)
        ctx.exit(Exit.ERROR)
    if not paths:
        root = Path(config.root)
        paths = tuple(str(root / p) if not Path(p).is_absolute() and root != Path(".") else p for p in config.paths)
    missing = [p for p in paths if not Path(p).exists()]
    for path in missing:
        click.echo(f"{path}: no such file or directory", err=True)
    paths = [p for p in paths if Path(p).exists()]

    write = not (show_diff or check)
    result = run_fix(paths, config, only=only, jobs=jobs, use_cache=not no_cache, write=False, progress=_progress)
    if write:
        _commit(result, config)

    for line in result.errors:
        click.echo(line, err=True)
    for file_result in result.files:
        for warning in file_result.warnings:
            click.echo(f"{file_result.path}: note: {warning}", err=True)
        if file_result.error is not None:
            click.echo(f"{file_result.path}: {file_result.error}", err=True)
        elif show_diff and file_result.changed:
            click.echo(file_result.diff(), nl=False)

    changed, failed = len(result.changed), len(result.failed)
    unchanged = len(result.files) - changed - failed
    verb = "changed" if write else "would change"
    click.echo(f"{changed} files {verb}, {unchanged} unchanged, {failed} failed", err=True)

    if failed or missing or result.errors:
        ctx.exit(Exit.ERROR)
    if changed and (not write or exit_non_zero_on_fix):
        ctx.exit(Exit.CHANGES)
    ctx.exit(Exit.CLEAN)
