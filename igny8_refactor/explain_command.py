"""`igny8-refactor explain`: print the documentation page of one check."""

from __future__ import annotations

import click


@click.command()
@click.argument("name", metavar="CODE-or-KIND")
@click.pass_context
def explain(ctx: click.Context, name: str) -> None:
    """Print the documentation page of one check.

    CODE-or-KIND names the check: `explain IG101` or `explain settings-fallback`.
    """
    from igny8_refactor.audit.check_pages import MissingPage, page
    from igny8_refactor.audit.checks import resolve

    try:
        check = resolve(name)
    except KeyError:
        click.echo(f"igny8-refactor explain: unknown check {name!r} (see `igny8-refactor list`)", err=True)
        ctx.exit(2)
    try:
        text = page(check.kind)
    except MissingPage:
        click.echo(f"igny8-refactor explain: {check.code} {check.kind} has no documentation page", err=True)
        ctx.exit(2)
    click.echo(text, nl=not text.endswith("\n"))
