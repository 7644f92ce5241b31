"""Helpers shared by the benchmarks: finding the tools, copying a tree, timing one run."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

BIN = Path(sys.executable).parent
REPO = Path(__file__).resolve().parent.parent


def compile_tool() -> None:
    """Byte-compile the tool's packages, as installing a wheel does: with PYTHONDONTWRITEBYTECODE
    set, an editable install would otherwise compile them from source on every run."""
    import compileall

    for package in ("audit", "codemods", "igny8_refactor"):
        compileall.compile_dir(REPO / package, quiet=1)


def tool(name: str, prog: str) -> str:
    """The command `name` installed next to this Python (the venv), else on PATH; exit if neither."""
    path = BIN / name
    if path.exists():
        return str(path)
    found = shutil.which(name)
    if not found:
        sys.exit(f"{prog}: {name}: not installed next to {sys.executable} nor on PATH")
    return found


def django_source(prog: str) -> Path:
    """The installed Django package's directory."""
    try:
        import django
    except ImportError:
        sys.exit(f"{prog}: Django is not installed next to {sys.executable}: pip install -e '.[django]'")
    return Path(django.__file__).resolve().parent


def copy_tree(source: Path, dest: Path) -> int:
    """Copy `source` to `dest` without bytecode; the number of .py files copied."""
    shutil.copytree(source, dest, symlinks=True, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    return sum(1 for _ in dest.rglob("*.py"))


@dataclass
class Run:
    wall: float  # seconds
    cpu: float  # user + sys seconds of the child and the processes it waited for
    maxrss_mb: float  # the largest resident set of any one of them
    returncode: int


def run(cmd: list[str], cwd: Path, ok: tuple[int, ...] | None, prog: str) -> Run:
    """Run `cmd` once (stdout discarded); exit with its stderr if its status is not in `ok` (None: any).

    With `ok` given, a Python traceback on stderr is a failure too: a crash exits 1, as findings do.
    """
    with tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        child = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=err)
        _, status, usage = os.wait4(child.pid, 0)
        wall = time.perf_counter() - started
        child.returncode = os.waitstatus_to_exitcode(status)
        if ok is not None:
            err.seek(0)
            message = err.read().decode(errors="replace").strip()
            if child.returncode not in ok or "Traceback (most recent call last):" in message:
                sys.exit(f"{prog}: {' '.join(cmd)} exited {child.returncode}:\n{message[-2000:]}")
    return Run(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, child.returncode)
