"""What git says: the uncommitted files `fix` refuses to rewrite (tracked and changed, or untracked, as `cargo fix`
decides); the findings `audit --diff-base REV` reports: those the tree at the merge base of REV and HEAD lacks (same
file, code and symbol), the extra ones taken from the lines `git diff -U0` shows changed."""

from __future__ import annotations

import dataclasses
import io
import os
import re
import subprocess
import tarfile
import tempfile
from collections import Counter
from collections.abc import Iterable

from igny8_refactor.audit.config import ConfigError

HUNK = re.compile(r"^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@")


class VcsError(Exception):
    """git is there but could not say; the message names what it could not judge."""


def _git(*args: str, cwd: str, text: bool = True) -> subprocess.CompletedProcess:
    return subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=text, stdin=subprocess.DEVNULL)


def _reason(done: subprocess.CompletedProcess) -> str:
    """git's own complaint: its `fatal:`/`error:` line, else its first line."""
    lines = [line.strip() for line in os.fsdecode(done.stderr).splitlines() if line.strip()]
    fatal = [line for line in lines if line.startswith(("fatal:", "error:"))]
    return (fatal or lines or [f"exit status {done.returncode}"])[0]


def dirty_files(paths: Iterable[str]) -> list[str]:
    """The `paths` (as given) with uncommitted changes; VcsError names one git could not judge."""
    paths = list(paths)
    by_directory: dict[str, dict[str, str]] = {}  # git is asked in each file's own folder, so in its own repository
    for path in paths:
        directory, name = os.path.split(os.path.realpath(path))
        by_directory.setdefault(directory, {})[name] = path
    dirty = set()
    for directory, names in by_directory.items():
        status = ("status", "--porcelain=v1", "-z", "--no-renames", "--untracked-files=all", "--ignore-submodules=none")
        try:
            done = _git(*status, "--", *(f":(literal){name}" for name in names), cwd=directory)
        except FileNotFoundError:
            return []  # no git at all: nothing to ask
        if done.returncode == 0:
            reported = {os.path.basename(entry[3:]) for entry in done.stdout.split("\0")}
            dirty.update(path for name, path in names.items() if name in reported)
        elif "not a git repository" not in done.stderr:
            first = next(iter(names.values()))
            raise VcsError(f"{first}: cannot tell whether it has uncommitted changes (git: {_reason(done)})")
    return [path for path in paths if path in dirty]


def toplevel(directory: str) -> str | None:
    """The root of the git work tree holding `directory`; None without git, outside a repository, or git failing."""
    try:
        return _git("rev-parse", "--show-toplevel", cwd=directory).stdout.strip() or None
    except FileNotFoundError:
        return None


def _changed_lines(rev: str, top: str, under: str) -> dict[str, set[int] | None]:
    """Lines added or changed since `rev` under `under`, by absolute path; None for an untracked file."""
    diff = _git("-c", "core.quotepath=off", "diff", "--no-ext-diff", "--no-color", "-U0", rev, "--", under, cwd=top)
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
    for name in _git("ls-files", "-z", "--others", "--exclude-standard", "--", under, cwd=top).stdout.split("\0"):
        if name:
            changed[os.path.join(top, name)] = None
    return changed


def _key(finding, base: str) -> tuple[str, str, str]:
    return os.path.relpath(os.path.abspath(finding.path), base).replace(os.sep, "/"), finding.code, finding.symbol


def new_since(rev: str, findings: list, config, run, warn) -> list:
    """The `findings` this change introduces; `run(config)` audits a tree. VcsError when git cannot say."""
    root = os.path.realpath(config.root)
    top = toplevel(root)
    if top is None:
        raise VcsError(f"--diff-base {rev}: {root} is not in a git repository")
    if _git("rev-parse", "--verify", "-q", "HEAD", cwd=top).returncode != 0:
        return list(findings)  # the first commit: everything in it is new
    base = _git("merge-base", rev, "HEAD", cwd=top).stdout.strip() or rev
    changed = _changed_lines(base, top, root)
    old: Counter | None = Counter()
    with tempfile.TemporaryDirectory(prefix="igny8-diff-base-") as temp:
        old_root = os.path.join(os.path.realpath(temp), os.path.relpath(root, top))
        tree = _git("archive", "--format=tar", base, "--", os.path.relpath(root, top), cwd=top, text=False)
        # REV is known (git diff took it): an archive that fails is a folder REV lacks, every finding in it is new
        if tree.returncode == 0:
            with tarfile.open(fileobj=io.BytesIO(tree.stdout)) as archive:
                archive.extractall(temp, filter="data")
            try:
                old = Counter(_key(f, old_root) for f in run(dataclasses.replace(config, root=old_root)).findings)
            except ConfigError as exc:
                old = None
                warn(f"--diff-base {rev}: the tree at {rev} cannot be analysed ({exc}); reporting changed lines only")

    def on_changed_line(finding) -> bool:
        lines = changed.get(os.path.realpath(finding.path), set())
        return lines is None or finding.line in lines

    if old is None:
        return [f for f in findings if on_changed_line(f)]
    # those on unchanged lines are matched with REV's first: the extra ones are the changed lines'
    new = set()
    for finding in sorted(findings, key=on_changed_line):
        key = _key(finding, root)
        if old[key] > 0:
            old[key] -= 1
        else:
            new.add(id(finding))
    return [f for f in findings if id(f) in new]
