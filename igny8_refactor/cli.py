"""The `igny8-refactor` command line: a thin click shell over audit/ and codemods/."""

from __future__ import annotations

import signal
import sys

import click

import igny8_refactor
from igny8_refactor import __version__
from igny8_refactor.ui import color_from_env

INTERRUPTED = 130  # 128 + SIGINT, as a shell reports it


class _Group(click.Group):
    def invoke(self, ctx):
        # click turns Ctrl-C into "Aborted!" and exit 1, the "changes needed" status
        try:
            return super().invoke(ctx)
        except Exception as exc:
            # an import interrupted halfway may surface as another error raised from the interruption
            if not isinstance(exc.__context__, KeyboardInterrupt):
                raise
        except KeyboardInterrupt:
            pass
        click.echo("interrupted", err=True)
        raise click.exceptions.Exit(INTERRUPTED)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
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
    if signal.getsignal(signal.SIGINT) is igny8_refactor._interrupted:
        signal.signal(signal.SIGINT, signal.default_int_handler)
    # a file name that is not UTF-8 is printed as its bytes (as ls and grep do), not a traceback
    reconfigure = getattr(sys.stdout, "reconfigure", None)
    if reconfigure is not None and sys.stdout.errors == "strict":
        reconfigure(errors="surrogateescape")
    cli(prog_name="igny8-refactor")
