"""No traceback for any file name, in any format; Ctrl-C exits 130 and leaves nothing behind;
reports and baselines written as ordinary files."""

from __future__ import annotations

import json
import os
import re
import stat
from pathlib import Path

import pytest
from faults_helpers import invoke, stray_temp_files, tool

from igny8_refactor.audit import atomic
from igny8_refactor.audit.cache import CACHE_DIR

NAME = b"caf\xe9.py"  # Latin-1, not UTF-8
CONFIG_DICT = 'MODEL_CONFIG = {"summarize": {"model": "gpt-4.1"}}\n'
STRICT = {"PYTHONIOENCODING": "utf-8:strict"}  # as under a UTF-8 locale: no lenient stdout


@pytest.fixture
def odd_tree(tmp_path: Path) -> Path:
    pkg = tmp_path / "pkg"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    with open(os.path.join(os.fsencode(pkg), NAME), "w") as handle:
        handle.write(CONFIG_DICT)
    return tmp_path


def name() -> str:
    return "pkg/" + os.fsdecode(NAME)


@pytest.mark.parametrize("fmt", ["text", "json", "github", "sarif"])
def test_a_non_utf8_file_name_in_every_format(odd_tree: Path, fmt: str) -> None:
    done = tool(odd_tree, "audit", "--no-cache", "--format", fmt, env=STRICT)
    assert done.returncode == 1, done.stderr
    assert b"Traceback" not in done.stderr
    if fmt == "text":
        assert done.stdout.startswith(b"pkg/caf\xe9.py:1:1: IG101 ")
    elif fmt == "github":
        assert b"::error file=pkg/caf\xe9.py,line=1,col=1," in done.stdout
    else:
        document = json.loads(done.stdout.decode("utf-8"))  # valid UTF-8, valid JSON
        if fmt == "json":
            assert [f["path"] for f in document] == [name()]  # the same name back, via its \\udce9 escape
        else:
            [result] = document["runs"][0]["results"]
            location = result["locations"][0]["physicalLocation"]["artifactLocation"]
            assert location["uri"] == "pkg/caf%E9.py"  # the file's own bytes, percent-encoded
            assert result["properties"]["symbol"] == "pkg." + os.fsdecode(b"caf\xe9") + ".MODEL_CONFIG"
            assert len(result["partialFingerprints"]["igny8Fingerprint/v1"]) == 32


@pytest.mark.parametrize("fmt", ["text", "sarif"])
def test_a_report_file_with_a_non_utf8_name_in_it(odd_tree: Path, fmt: str) -> None:
    done = tool(odd_tree, "audit", "--no-cache", "--format", fmt, "--output", "report.out", env=STRICT)
    assert done.returncode == 1 and b"Traceback" not in done.stderr
    data = (odd_tree / "report.out").read_bytes()
    assert (b"pkg/caf\xe9.py:1:1:" in data) if fmt == "text" else (b"pkg/caf%E9.py" in data)
    mode = stat.S_IMODE(os.stat(odd_tree / "report.out").st_mode)
    umask = os.umask(0)
    os.umask(umask)
    assert mode == 0o666 & ~umask  # an ordinary new file, not 0600
    assert stray_temp_files(odd_tree) == []


def test_baseline_with_a_non_utf8_name_round_trips(odd_tree: Path) -> None:
    written = tool(odd_tree, "audit", "--no-cache", "--write-baseline", "baseline.json", env=STRICT)
    assert written.returncode == 0 and b"Traceback" not in written.stderr
    data = (odd_tree / "baseline.json").read_bytes()
    data.decode("utf-8")  # valid UTF-8
    assert stat.S_IMODE(os.stat(odd_tree / "baseline.json").st_mode) != 0o600
    checked = tool(odd_tree, "audit", "--no-cache", "--baseline", "baseline.json", env=STRICT)
    assert checked.returncode == 0, checked.stdout  # the same finding: recognised, not new


def test_fix_diff_and_fix_with_a_non_utf8_name(odd_tree: Path) -> None:
    (odd_tree / "pkg" / "__init__.py").write_text("from pkg.other import x\n")
    (odd_tree / "pkg" / "other.py").write_text("x = 1\n")
    shown = tool(odd_tree, "fix", "--diff", env=STRICT)
    assert b"Traceback" not in shown.stderr, shown.stderr
    assert shown.returncode in (0, 1)
    done = tool(odd_tree, "fix", env=STRICT)
    assert done.returncode in (0, 1) and b"Traceback" not in done.stderr


# -- Ctrl-C ----------------------------------------------------------------------------------
def test_ctrl_c_during_an_audit_exits_130_with_no_traceback(tmp_path: Path, monkeypatch) -> None:
    (tmp_path / "a.py").write_text(CONFIG_DICT)
    import igny8_refactor.audit_command as audit_command

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(audit_command, "run_audit", interrupted)
    done = invoke(tmp_path, monkeypatch, "audit")
    assert done.exit_code == 130
    assert done.output == "interrupted\n"


def test_ctrl_c_while_the_cache_is_written_leaves_no_temp_file(tmp_path: Path, monkeypatch) -> None:
    (tmp_path / "a.py").write_text(CONFIG_DICT)
    real_fsync = os.fsync
    directory = tmp_path / CACHE_DIR

    def interrupt_cache_fsync(fd):
        if os.readlink(f"/proc/self/fd/{fd}").startswith(str(directory / ".audit-")):
            raise KeyboardInterrupt
        return real_fsync(fd)

    monkeypatch.setattr(atomic.os, "fsync", interrupt_cache_fsync)
    done = invoke(tmp_path, monkeypatch, "audit")
    assert done.exit_code == 130
    assert stray_temp_files(tmp_path) == []
    assert not list(directory.glob("audit-*.json"))


def test_ctrl_c_during_fix_analysis_writes_nothing(tmp_path: Path, monkeypatch) -> None:
    source = "class AICore:\n    def __init__(self):\n        self._default_model = 'gpt-4.1'\n\n    def run(self, model=None):\n        return model or self._default_model\n"
    (tmp_path / "core.py").write_text(source)
    import igny8_refactor.codemods.pipeline as pipeline

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(pipeline, "run_fix", interrupted)
    done = invoke(tmp_path, monkeypatch, "fix")
    assert done.exit_code == 130
    assert (tmp_path / "core.py").read_text() == source


def before_the_handler(stderr: str) -> bool:
    """A traceback from before `igny8_refactor/__init__.py` installs its handler: Python's start-up
    (`init_import_site`, `init_sys_streams`), the entry script's first line, or the package's own
    imports. No frame of the tool's code other than that module can be in it."""
    if "Fatal Python error: init_" in stderr:
        return True
    if not stderr.startswith("Traceback") or not stderr.rstrip().endswith("KeyboardInterrupt"):
        return False
    ours = re.findall(r'File "[^"]*/igny8_refactor/([^"]+)"', stderr)
    return all(path == "__init__.py" for path in ours)


def test_ctrl_c_at_any_moment_of_a_real_run_exits_130_with_no_traceback(tmp_path: Path) -> None:
    """The installed command, interrupted from its first milliseconds (still importing click and
    LibCST) to its last (the pool of workers scanning): one line, exit 130, whatever the moment."""
    import shutil
    import signal
    import subprocess
    import sys
    import time

    command = Path(sys.executable).with_name("igny8-refactor")
    checkout = Path(__file__).resolve().parents[2] / "examples" / "checkout"
    shutil.copytree(checkout, tmp_path / "checkout")
    outcomes = []
    for step in range(24):
        run = subprocess.Popen(
            [str(command), "audit", "--no-cache", "--jobs", "2", "."],
            cwd=tmp_path / "checkout",
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        time.sleep(step * 0.025)
        run.send_signal(signal.SIGINT)
        stderr = run.communicate(timeout=60)[1].decode(errors="replace")
        if before_the_handler(stderr) or (run.returncode == -signal.SIGINT and not stderr):
            continue  # Python's own start-up, before the tool's first lines install the handler
        if run.returncode in (0, 1, 2) and "interrupted" not in stderr:
            continue  # the run was over before the signal came
        outcomes.append((step, run.returncode, stderr.strip()))
    assert outcomes, "no run was interrupted: make the project bigger"
    assert [o for o in outcomes if o[1:] != (130, "interrupted")] == []


POOL_SCRIPT = """
import os, signal, sys, time
import multiprocessing, multiprocessing.process
from igny8_refactor.audit.pool import map_in_processes

def slow(task):
    time.sleep(0.5)
    return task

def interrupt_at_first_result(results):
    for result in results:
        raise KeyboardInterrupt
        yield result

start = multiprocessing.process.BaseProcess.start

def start_then_interrupt(self):
    start(self)  # the worker is forked; the pool has not yet recorded it
    os.kill(os.getpid(), signal.SIGINT)

if __name__ == "__main__":
    caller_s_own = multiprocessing.Process(target=time.sleep, args=(30,))  # not the pool's to stop
    caller_s_own.start()
    if sys.argv[1] == "fork":
        multiprocessing.process.BaseProcess.start = start_then_interrupt
        wrap = None
    else:
        wrap = interrupt_at_first_result
    try:
        map_in_processes(slow, list(range(200)), 2, wrap=wrap)
    except KeyboardInterrupt:
        print("interrupted", "the caller's own process alive" if caller_s_own.is_alive() else "")
    caller_s_own.terminate()
"""


@pytest.mark.parametrize("moment", ["fork", "results"])
def test_ctrl_c_in_the_pool_ends_the_run_without_waiting_for_the_workers(tmp_path: Path, moment: str) -> None:
    """Interrupted while a worker is forked, the run used to wait at exit, forever, for a worker the
    pool never recorded; interrupted while results come, for the 100 s of scanning left."""
    import subprocess
    import sys

    script = tmp_path / "pool_run.py"
    script.write_text(POOL_SCRIPT)
    run = subprocess.run([sys.executable, str(script), moment], capture_output=True, text=True, timeout=30)
    assert (run.returncode, run.stdout, run.stderr) == (0, "interrupted the caller's own process alive\n", "")


EVERY_LINE_SCRIPT = """
import os, signal, sys
sys.argv = ["igny8-refactor", "audit", "--no-cache", "--jobs", "1", "--format", "json", "."]
import igny8_refactor  # as the command: Ctrl-C ends it quietly until the subcommand runs
import igny8_refactor.cli as cli


def in_child(target):
    # (exit status, stderr) of cli.main() in a forked child: SIGINT at its `target`-th Python line,
    # or, for target 0, the number of lines run before the subcommand (cli._Group.invoke) starts
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(read)
        os.dup2(write, 2)
        os.dup2(os.open(os.devnull, os.O_WRONLY), 1)
        count = 0

        def tracer(frame, event, arg):
            nonlocal count
            if event == "call" and not target and frame.f_code is cli._Group.invoke.__code__:
                os.write(2, str(count).encode())
                os._exit(0)
            if event == "line":
                count += 1
                if count == target:
                    sys.settrace(None)
                    os.kill(os.getpid(), signal.SIGINT)
                    return None
            return tracer

        sys.settrace(tracer)
        try:
            cli.main()
        except SystemExit as exc:
            os._exit(exc.code if isinstance(exc.code, int) else 1)
        except BaseException:
            import traceback
            traceback.print_exc()
            os._exit(99)
        os._exit(0)
    os.close(write)
    with os.fdopen(read, "rb") as stream:
        err = stream.read().decode(errors="replace").strip()
    return os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]), err


before = int(in_child(0)[1])
# every 3rd line up to the subcommand (a gap in the handling is never shorter: `signal.signal` alone runs
# a dozen lines of Python), then every line of its start
targets = [*range(1, before, 3), *range(before, before + 300)]
print(repr([before, [(target, *in_child(target)) for target in targets]]))
"""


def test_ctrl_c_at_any_line_from_main_into_the_subcommand_exits_130_quietly(tmp_path: Path) -> None:
    """Ctrl-C at the Python lines the command runs from `cli.main` (click parsing its arguments) into the
    subcommand: the quiet handler, then a KeyboardInterrupt the subcommand handles, and no line between
    where it is a traceback or click's "Aborted!"."""
    import subprocess
    import sys

    (tmp_path / "core.py").write_text("MODEL_CONFIG = {}\n")
    done = subprocess.run(
        [sys.executable, "-c", EVERY_LINE_SCRIPT], cwd=tmp_path, capture_output=True, text=True, timeout=600
    )
    assert done.returncode == 0, done.stderr[-3000:]
    before, results = eval(done.stdout)  # noqa: S307 - the script's own repr of numbers and strings
    assert before > 1000  # click's parsing, and the tool's own lines, come first
    assert [r for r in results if r[1:] != (130, "interrupted")] == []
