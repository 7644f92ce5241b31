"""Run the command line inside the test process, as the console script runs it, with a subprocess's result.

`igny8-refactor ARGS` is `igny8_refactor.cli.main()` with `sys.argv` set. `run_tool` calls exactly that, with the working
directory, the whole environment, stdin (empty) and the two output streams (pipes, not a
terminal) set as a child process would have them, and puts them all back afterwards; it returns
a `subprocess.CompletedProcess`, so a test reads `returncode`, `stdout` and `stderr` as it would
from `subprocess.run`. Starting an interpreter for each run costs more than most runs. Real
processes are still started where the process is the point: the installed `igny8-refactor`
script (the pre-commit hook entries in tests/cli/test_allow_dirty.py and test_force_exclude.py,
the first `fix` of tests/checkout, tests/test_end_to_end.py, tests/real), `python -m
igny8_refactor` (on a pseudo-terminal in tests/cli/test_terminal.py, under several hash seeds in
tests/cli/test_same_in_every_run.py), an installed wheel or git URL
(tests/cli/test_install_and_shadowing.py) and signals (tests/faults).

What a fresh process would not share with the test process: the rule caches are cleared before
each test (tests/conftest.py) and before each run here; nothing else in audit/, codemods/ or
igny8_refactor/ keeps state between runs.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import traceback
from pathlib import Path

from click.testing import CliRunner

from igny8_refactor.audit import target_config
from igny8_refactor.audit.checks import _triggers
from igny8_refactor.audit.records import model_regex
from igny8_refactor.audit.scan import _Walker

PROGRAM = "igny8-refactor"


def clear_rule_caches() -> None:
    """What each new process computes afresh: the trigger names, model regexes, the seed function's template, the
    scan's dispatch."""
    _triggers.cache_clear()
    model_regex.cache_clear()
    target_config._template.cache_clear()
    _Walker._dispatch.clear()


def _universal_newlines(text: str) -> str:
    # what subprocess.run(text=True) does to a child's output
    return text.replace("\r\n", "\n").replace("\r", "\n")


@contextlib.contextmanager
def _as_on_a_pipe():
    """Help text as wide as a child process on a pipe makes it: $COLUMNS, else 80 (click's
    runner forces 80 whatever $COLUMNS says, and a test process's own stdout may be a terminal)."""
    from unittest import mock

    from click import formatting

    def no_terminal(*args):
        raise OSError("not a terminal")

    forced, formatting.FORCED_WIDTH = formatting.FORCED_WIDTH, None
    try:
        with mock.patch("os.get_terminal_size", no_terminal):
            yield
    finally:
        formatting.FORCED_WIDTH = forced


def run_tool(*args: str, cwd: Path | str, env: dict | None = None, text: bool = True) -> subprocess.CompletedProcess:
    """`igny8-refactor ARGS` run in `cwd` with exactly the environment `env` (default: this one).

    `text=True` decodes the output as UTF-8 with universal newlines (as `subprocess.run(...,
    text=True)`); `text=False` returns the bytes as written.
    """
    from igny8_refactor import cli

    overrides: dict[str, str | None] = {}
    if env is not None:
        overrides = {name: None for name in os.environ if name not in env}
        overrides.update(env)
    argv = [PROGRAM, *map(str, args)]
    runner = CliRunner()
    saved_argv, saved_cwd = sys.argv, os.getcwd()
    status = 0
    clear_rule_caches()
    with runner.isolation(input=b"", env=overrides) as (out, err, _), _as_on_a_pipe():
        try:
            os.chdir(cwd)
            sys.argv = argv
            cli.main()
        except SystemExit as exc:
            code = exc.code
            if code is None:
                status = 0
            elif isinstance(code, int):
                status = int(code)
            else:  # sys.exit("message"): printed on stderr, status 1, as the interpreter does
                print(code, file=sys.stderr)
                status = 1
        except Exception:  # uncaught: the interpreter's traceback and status 1
            traceback.print_exc(file=sys.stderr)
            status = 1
        finally:
            sys.argv = saved_argv
            os.chdir(saved_cwd)
            with contextlib.suppress(Exception):
                sys.stdout.flush()
                sys.stderr.flush()
        stdout, stderr = out.getvalue(), err.getvalue()
    clear_rule_caches()
    if text:
        return subprocess.CompletedProcess(
            argv, status, _universal_newlines(stdout.decode("utf-8")), _universal_newlines(stderr.decode("utf-8"))
        )
    return subprocess.CompletedProcess(argv, status, stdout, stderr)
