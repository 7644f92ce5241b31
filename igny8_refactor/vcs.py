"""Which of the files `fix` would rewrite hold uncommitted changes, according to git.

As `cargo fix` decides: a tracked file that differs from HEAD (in the index or the
working tree) and an untracked file are dirty; a file git ignores, or one outside any
git repository, is not.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterable
from pathlib import Path


class VcsError(Exception):
    """git is there but could not say; the message is the reason after the path."""


def _reason(done: subprocess.CompletedProcess) -> str:
    """git's own complaint: its `fatal:`/`error:` line, else its first line."""
    lines = [line.strip() for line in done.stderr.splitlines() if line.strip()]
    for line in lines:
        if line.startswith(("fatal:", "error:")):
            return line
    return lines[0] if lines else f"exit status {done.returncode}"


def _git(args: list[str], cwd: str) -> subprocess.CompletedProcess:
    return subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, stdin=subprocess.DEVNULL)


def _toplevel(directory: str) -> str | None:
    """The root of the git work tree holding `directory`; None when it is not in one."""
    try:
        done = _git(["rev-parse", "--show-toplevel"], directory)
    except FileNotFoundError:
        return None  # no git at all: nothing to ask
    if done.returncode == 0:
        return done.stdout.strip() or None
    if "not a git repository" in done.stderr:
        return None
    raise VcsError(f"cannot tell whether it has uncommitted changes (git: {_reason(done)})")


def dirty_files(paths: Iterable[str]) -> list[str]:
    """The `paths` (as given) with uncommitted changes; VcsError names one git could not judge."""
    by_top: dict[str, list[tuple[str, str]]] = {}
    tops: dict[str, str | None] = {}
    for path in paths:
        directory = os.path.dirname(os.path.realpath(path))
        if directory not in tops:
            try:
                tops[directory] = _toplevel(directory)
            except VcsError as exc:
                raise VcsError(f"{path}: {exc}") from None
        top = tops[directory]
        if top is not None:
            by_top.setdefault(top, []).append((path, os.path.relpath(os.path.realpath(path), top)))
    dirty: list[str] = []
    for top, files in by_top.items():
        relative = {Path(rel).as_posix(): path for path, rel in files}
        done = _git(
            [
                "status",
                "--porcelain=v1",
                "-z",
                "--untracked-files=all",
                "--ignore-submodules=none",
                "--",
                *(f":(literal){rel}" for rel in relative),
            ],
            top,
        )
        if done.returncode != 0:
            raise VcsError(f"{files[0][0]}: cannot tell whether it has uncommitted changes (git: {_reason(done)})")
        entries = done.stdout.split("\0")
        i = 0
        while i < len(entries):
            entry = entries[i]
            i += 1
            if len(entry) < 4:
                continue
            status, name = entry[:2], entry[3:]
            if "R" in status or "C" in status:
                i += 1  # the source path of a rename or copy follows
            if name in relative:
                dirty.append(relative[name])
    order = {path: n for n, (path, _) in enumerate(item for files in by_top.values() for item in files)}
    return sorted(set(dirty), key=order.__getitem__)
