"""`igny8-refactor fix`."""
from __future__ import annotations

import click


@click.command()
@click.argument("paths", nargs=-1)
def fix(paths) -> None:
    """Apply the codemods."""
    click.echo("igny8-refactor fix: not built yet", err=True)
    raise SystemExit(2)
