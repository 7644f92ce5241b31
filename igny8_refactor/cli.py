"""The `igny8-refactor` command line: a thin click shell over audit/ and codemods/."""

from __future__ import annotations

import _signal
import os
import sys

import click

import igny8_refactor
from igny8_refactor import __version__
from igny8_refactor.audit.baseline import BaselineError
from igny8_refactor.audit.config import ConfigError
from igny8_refactor.audit_command import ERROR, audit, explain, list_
from igny8_refactor.fix_command import fix
from igny8_refactor.vcs import VcsError

INTERRUPTED = 130  # 128 + SIGINT, as a shell reports it


class _Group(click.Group):
    def invoke(self, ctx):
        # As the command, Ctrl-C has ended the run quietly so far (igny8_refactor/__init__.py); from here on it is a
        # KeyboardInterrupt, which `fix` rolls back on, and then quiet again. The C calls leave no gap between.
        quiet = _signal.getsignal(_signal.SIGINT)
        command = quiet is igny8_refactor._interrupted
        try:
            if command:
                _signal.signal(_signal.SIGINT, _signal.default_int_handler)
            return super().invoke(ctx)
        except (ConfigError, BaselineError, VcsError) as exc:  # a configuration, baseline or git revision unusable
            click.echo(str(exc), err=True)
            raise click.exceptions.Exit(ERROR) from None
        except Exception as exc:
            # an import interrupted halfway may surface as another error raised from the interruption
            if not isinstance(exc.__context__, KeyboardInterrupt):
                raise
        except KeyboardInterrupt:  # click turns it into "Aborted!" and exit 1, the "changes needed" status
            pass
        finally:
            if command:
                _signal.signal(_signal.SIGINT, quiet)
        click.echo("interrupted", err=True)
        raise click.exceptions.Exit(INTERRUPTED)


@click.group(
    cls=_Group, commands=[audit, list_, fix, explain], context_settings={"help_option_names": ["-h", "--help"]}
)
@click.version_option(__version__, prog_name="igny8-refactor")
@click.pass_context
def cli(ctx: click.Context) -> None:
    """Find and remove the igny8 AI framework's model-config fallbacks and orphan code.

    Colour is used on a terminal only; NO_COLOR turns it off, FORCE_COLOR turns it on.
    """
    # as Python 3.13 decides: NO_COLOR off, then FORCE_COLOR on, then TERM=dumb off; None lets click decide
    if os.environ.get("NO_COLOR") or os.environ.get("FORCE_COLOR"):
        ctx.color = not os.environ.get("NO_COLOR")
    elif os.environ.get("TERM") == "dumb":
        ctx.color = False


def main() -> None:
    # a file name that is not UTF-8 is printed as its bytes (as ls and grep do), not a traceback
    reconfigure = getattr(sys.stdout, "reconfigure", None)
    if reconfigure is not None and sys.stdout.errors == "strict":
        reconfigure(errors="surrogateescape")
    cli(prog_name="igny8-refactor")
