"""`igny8-refactor audit` and `igny8-refactor list`."""
from __future__ import annotations

import click


@click.command()
@click.argument("paths", nargs=-1)
def audit(paths) -> None:
    """Report findings."""
    click.echo("igny8-refactor audit: not built yet", err=True)
    raise SystemExit(2)


@click.command(name="list")
def list_() -> None:
    """List every check and codemod."""
    click.echo("igny8-refactor list: not built yet", err=True)
    raise SystemExit(2)
