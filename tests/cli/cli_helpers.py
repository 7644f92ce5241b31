"""Helpers for the command-line tests: run the tool as a user does, write files, drive git.

`tool(...)` runs the command line inside the test process (tests/tool_runner.py: the console
script's own entry function, with the working directory, environment and output streams of a
child process); `igny8(...)` starts a real process, for what only a process shows (the
installed script, `python -m`, a terminal, signals).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
CONSOLE_SCRIPT = Path(sys.executable).parent / "igny8-refactor"
GIT_IDENTITY = [
    "-c",
    "user.name=igny8 tests",
    "-c",
    "user.email=tests@igny8.invalid",
    "-c",
    "commit.gpgsign=false",
    "-c",
    "core.hooksPath=/dev/null",
    "-c",
    "init.defaultBranch=main",
]

# A module the remove_default_model codemod rewrites (its `_default_model` initialisation goes).
LEGACY_CORE = (
    "class AICore:\n"
    "    def __init__(self):\n"
    '        self._default_model = "gpt-4.1"\n'
    "\n"
    "    def run(self, model=None):\n"
    "        if not model:\n"
    '            raise ValueError("Model is required.")\n'
    "        return model\n"
)
SETUP_CFG = "[igny8_refactor]\npaths = src\nexclude = src/*/migrations\nai_package = app\ninternal = app\n"
# An excluded migration with a function nothing calls: `fix` removes it only when the file is named.
MIGRATION_WITH_DEAD_HELPER = "def unused_helper():\n    pass\n\noperations = []\n"


def clean_env(**extra: str) -> dict[str, str]:
    """The environment without the colour switches (each test sets the ones it is about)."""
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR", "VIRTUAL_ENV")}
    env.update(extra)
    return env


def igny8(*args: str, cwd: Path, env: dict | None = None, entry: str = "module", timeout: int = 300):
    """Run the tool as a user does: `python -m igny8_refactor ...` or the `igny8-refactor` script."""
    command = [sys.executable, "-m", "igny8_refactor"] if entry == "module" else [str(CONSOLE_SCRIPT)]
    return subprocess.run(
        [*command, *args],
        cwd=cwd,
        env=env or clean_env(),
        capture_output=True,
        text=True,
        timeout=timeout,
        stdin=subprocess.DEVNULL,
    )


def tool(*args: str, cwd: Path, env: dict | None = None) -> subprocess.CompletedProcess:
    """`igny8-refactor ARGS` run in this process, with the environment `env` (default: `clean_env()`)."""
    from tool_runner import run_tool

    return run_tool(*args, cwd=cwd, env=env or clean_env())


def git(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(["git", *GIT_IDENTITY, *args], cwd=cwd, check=True, capture_output=True, text=True)


def write(root: Path, files: dict[str, str | bytes]) -> None:
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
