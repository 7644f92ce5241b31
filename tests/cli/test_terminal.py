"""Colour only on a terminal (NO_COLOR, FORCE_COLOR respected), a progress bar on stderr for long runs, whole help lines.

The terminal is a real pseudo-terminal: stdout and stderr each get their own, or a pipe.
"""

from __future__ import annotations

import json
import os
import pty
import subprocess
import sys
import threading

import pytest
from cli_helpers import LEGACY_CORE, clean_env, tool, write

ESC = "\x1b["


# the real command line with the progress bar's one-second threshold set to `delay` seconds, so
# that a run is "long" (0 s) or "short" (an hour) whatever the load on the machine
def with_delay(delay: float) -> list[str]:
    return [
        sys.executable,
        "-c",
        (
            f"import sys, igny8_refactor.ui as ui; ui.PROGRESS_DELAY = {delay!r}; "
            "from igny8_refactor.cli import main; sys.argv[0] = 'igny8-refactor'; main()"
        ),
    ]


def _drain(fd: int, into: list[bytes]) -> None:
    while True:
        try:
            chunk = os.read(fd, 65536)
        except OSError:  # EIO: the other side is closed
            return
        if not chunk:
            return
        into.append(chunk)


def run(*args: str, cwd, env=None, stdout_tty=False, stderr_tty=False, command=None):
    """Run the tool with stdout and/or stderr on a pseudo-terminal; returns (status, stdout, stderr)."""
    command = command or [sys.executable, "-m", "igny8_refactor"]
    streams, readers, outputs = {}, [], {}
    for name, tty in (("stdout", stdout_tty), ("stderr", stderr_tty)):
        if tty:
            master, slave = pty.openpty()
            streams[name] = slave
            outputs[name] = []
            reader = threading.Thread(target=_drain, args=(master, outputs[name]), daemon=True)
            reader.start()
            readers.append((reader, master, slave))
        else:
            streams[name] = subprocess.PIPE
    proc = subprocess.Popen(
        [*command, *args],
        cwd=cwd,
        env=env or clean_env(),
        stdin=subprocess.DEVNULL,
        stdout=streams["stdout"],
        stderr=streams["stderr"],
    )
    for _, _, slave in readers:
        os.close(slave)
    piped_out, piped_err = proc.communicate(timeout=300)
    for reader, master, _ in readers:
        reader.join(timeout=30)
        os.close(master)

    def text(name, piped):
        data = b"".join(outputs[name]) if name in outputs else piped
        return data.decode("utf-8", "replace").replace("\r\n", "\n")

    return proc.returncode, text("stdout", piped_out), text("stderr", piped_err)


# -- colour -------------------------------------------------------------------------------
def test_findings_are_coloured_on_a_terminal_only(project):
    status, out, _ = run("audit", "--no-cache", cwd=project, stdout_tty=True)
    assert status == 1
    assert f"{ESC}1msrc/app/ai_core.py:3:9:{ESC}0m {ESC}31m{ESC}1mIG103{ESC}0m `_default_model`" in out
    status, out, _ = run("audit", "--no-cache", cwd=project)
    assert status == 1 and ESC not in out
    assert out.splitlines()[0] == "src/app/ai_core.py:3:9: IG103 `_default_model` holds a fallback model"


@pytest.mark.parametrize(
    "env, tty, coloured",
    [
        ({"NO_COLOR": "1"}, True, False),
        ({"FORCE_COLOR": "1"}, False, True),
        ({"NO_COLOR": "1", "FORCE_COLOR": "1"}, False, False),  # NO_COLOR wins, as in Python 3.13
        ({"TERM": "dumb"}, True, False),
        ({"NO_COLOR": ""}, True, True),  # empty means unset (no-color.org)
    ],
    ids=[
        "no-color-on-terminal",
        "force-color-in-pipe",
        "no-color-beats-force-color",
        "dumb-terminal",
        "empty-no-color",
    ],
)
def test_colour_environment_variables(project, env, tty, coloured):
    status, out, _ = run("audit", "--no-cache", cwd=project, env=clean_env(**env), stdout_tty=tty)
    assert status == 1
    assert (ESC in out) is coloured


def test_machine_formats_are_never_coloured(project):
    status, out, err = run("audit", "--no-cache", "--format", "json", cwd=project, env=clean_env(FORCE_COLOR="1"))
    assert status == 1
    assert ESC not in out and json.loads(out)[0]["code"] == "IG103"
    assert ESC in err  # the summary on stderr is for people


def test_diff_is_coloured_on_a_terminal(project):
    status, out, _ = run("fix", "--diff", cwd=project, stdout_tty=True)
    assert status == 1
    assert f'{ESC}31m-        self._default_model = "gpt-4.1"{ESC}0m' in out
    status, out, _ = run("fix", "--diff", cwd=project)
    assert ESC not in out and '-        self._default_model = "gpt-4.1"' in out.splitlines()


# -- progress -----------------------------------------------------------------------------
@pytest.fixture
def many_files(project):
    write(project, {f"src/app/mod{i}.py": LEGACY_CORE for i in range(40)})
    return project


@pytest.mark.parametrize("command, label", [(["audit", "--no-cache"], "analysing"), (["fix", "--check"], "fixing")])
def test_a_long_run_shows_a_progress_bar_on_stderr(many_files, command, label):
    status, out, err = run(*command, cwd=many_files, stderr_tty=True, command=with_delay(0.0))
    assert status == 1
    assert label in err and "100%" in err
    assert label not in out


@pytest.mark.parametrize("command, label", [(["audit", "--no-cache"], "analysing"), (["fix", "--check"], "fixing")])
def test_no_bar_when_stderr_is_not_a_terminal(many_files, command, label):
    status, out, err = run(*command, cwd=many_files, command=with_delay(0.0))
    assert status == 1
    assert label not in err and "%" not in err


@pytest.mark.parametrize("command, label", [(["audit", "--no-cache"], "analysing"), (["fix", "--check"], "fixing")])
def test_no_bar_for_a_run_shorter_than_the_threshold(many_files, command, label):
    status, _, err = run(*command, cwd=many_files, stderr_tty=True, command=with_delay(3600.0))
    assert status == 1
    assert label not in err


@pytest.mark.parametrize(("args", "env"), [(["--color", "never"], {}), ([], {"NO_COLOR": "1"})], ids=["flag", "env"])
def test_colour_off_means_no_escape_code_on_a_terminal_not_even_the_bar(many_files, args, env):
    for command in (["audit", "--no-cache"], ["fix", "--diff"]):
        status, out, err = run(
            *command,
            *args,
            cwd=many_files,
            env=clean_env(**env),
            stdout_tty=True,
            stderr_tty=True,
            command=with_delay(0.0),
        )
        assert status == 1
        assert "\x1b" not in out + err and "%" not in err


def test_the_threshold_is_one_second():
    from igny8_refactor import ui

    assert ui.PROGRESS_DELAY == 1.0


# -- help ---------------------------------------------------------------------------------
def test_every_command_help_line_is_whole_in_the_command_list():
    done = tool("--help", cwd=".", env=clean_env(COLUMNS="80"))
    assert done.returncode == 0
    commands = done.stdout.split("Commands:\n", 1)[1].splitlines()
    rows = {line.split()[0]: line.split(None, 1)[1] for line in commands if line.strip()}
    assert set(rows) == {"audit", "explain", "fix", "list"}
    assert not [row for row in rows.values() if row.endswith("...")], rows
    assert rows["fix"] == "Apply the codemods: rewrite files in place, or show the diff."


def test_flags_are_documented_in_the_command_help():
    fix = tool("fix", "--help", cwd=".", env=clean_env(COLUMNS="100")).stdout
    assert "--allow-dirty" in fix and "--force-exclude" in fix and "untracked" in fix
    audit = tool("audit", "--help", cwd=".", env=clean_env(COLUMNS="100")).stdout
    assert "--force-exclude" in audit
