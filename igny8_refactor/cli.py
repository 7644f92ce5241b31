"""The `igny8-refactor` command line: a thin click shell over audit/ and codemods/."""
from __future__ import annotations

import click

from igny8_refactor import __version__
from igny8_refactor.ui import color_from_env


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="igny8-refactor")
@click.pass_context
def cli(ctx: click.Context) -> None:
    """Find and remove the igny8 AI framework's model-config fallbacks and orphan code.

    Colour is used on a terminal only; NO_COLOR turns it off, FORCE_COLOR turns it on.
    """
    ctx.color = color_from_env()


def _add_commands() -> None:
    from igny8_refactor import audit_command, explain_command, fix_command

    cli.add_command(audit_command.audit)
    cli.add_command(audit_command.list_)
    cli.add_command(fix_command.fix)
    cli.add_command(explain_command.explain)


_add_commands()


def main() -> None:
    cli(prog_name="igny8-refactor")
