"""The `igny8-refactor` command line: a thin click shell over audit/ and codemods/."""
from __future__ import annotations

import click

from igny8_refactor import __version__


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="igny8-refactor")
def cli() -> None:
    """Find and remove the igny8 AI framework's model-config fallbacks and orphan code."""


def _add_commands() -> None:
    from igny8_refactor import audit_command, explain_command, fix_command

    cli.add_command(audit_command.audit)
    cli.add_command(audit_command.list_)
    cli.add_command(fix_command.fix)
    cli.add_command(explain_command.explain)


_add_commands()


def main() -> None:
    cli(prog_name="igny8-refactor")
