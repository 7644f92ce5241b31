"""What git says: which files `fix` would rewrite hold uncommitted changes; what changed since a revision.

As `cargo fix` decides: a tracked file that differs from HEAD (in the index or the
working tree) and an untracked file are dirty; a file git ignores, or one outside any
git repository, is not. `audit --diff-base REV` asks for the lines changed since REV and
for the tree at REV.
"""

from __future__ import annotations

import os
import re
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


def toplevel(directory: str) -> str | None:
    """The git work tree's root above `directory`, or None (no git, not in a repository, git failing)."""
    try:
        return _toplevel(directory)
    except VcsError:
        return None


HUNK = re.compile(r"^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@")


def has_commits(top: str) -> bool:
    return _git(["rev-parse", "--verify", "-q", "HEAD"], top).returncode == 0


def merge_base(rev: str, top: str) -> str:
    """Where HEAD's history meets `rev`'s (`git diff REV...` compares with it), or `rev` itself when git cannot say."""
    done = _git(["merge-base", rev, "HEAD"], top)
    return done.stdout.strip() if done.returncode == 0 and done.stdout.strip() else rev


def changed_lines(rev: str, top: str, under: str) -> dict[str, set[int] | None]:
    """Lines added or changed since `rev`, as `git diff -U0 REV` sees them, by absolute path, for the
    files under the folder `under`; None for an untracked file (wholly new). VcsError when git fails."""
    diff = _git(["-c", "core.quotepath=off", "diff", "--no-ext-diff", "--no-color", "-U0", rev, "--", under], top)
    if diff.returncode != 0:
        raise VcsError(f"--diff-base {rev}: {_reason(diff)}")
    changed: dict[str, set[int] | None] = {}
    lines: set[int] = set()
    for line in diff.stdout.splitlines():
        if line.startswith("+++ "):
            name = line[4:]
            lines = changed.setdefault(os.path.join(top, name[2:]), set()) if name.startswith("b/") else set()
        elif hunk := HUNK.match(line):
            start, count = int(hunk[1]), int(hunk[2] or 1)
            lines.update(range(start, start + count))
    others = _git(["ls-files", "-z", "--others", "--exclude-standard", "--", under], top)
    for name in others.stdout.split("\0"):
        if name:
            changed[os.path.join(top, name)] = None
    return changed


def export_tree(rev: str, top: str, under: str, dest: str) -> None:
    """The folder `under` of the git tree at `rev` written below `dest` (as `git archive` exports it)."""
    import io
    import tarfile

    done = subprocess.run(
        ["git", "archive", "--format=tar", rev, "--", os.path.relpath(under, top)],
        cwd=top,
        capture_output=True,
        stdin=subprocess.DEVNULL,
    )
    if done.returncode != 0:
        raise VcsError(f"--diff-base {rev}: {_reason(subprocess.CompletedProcess([], 1, '', done.stderr.decode()))}")
    with tarfile.open(fileobj=io.BytesIO(done.stdout)) as archive:
        archive.extractall(dest, filter="data")
