"""`audit --diff-base REV`: of the whole project's findings, only those this change introduces.

REV stands for the merge base of REV and HEAD (what `git diff REV...HEAD` compares with), so
that what REV's branch did since this one left it is not held against this one. A finding is
new when the tree at REV (exported with `git archive`, analysed the same way) has no finding of
the same code and symbol in the same file: an old finding whose line moved or was edited stays
quiet, and a finding that appears on an untouched line (a function whose last caller this change
removed) is reported. Where a file has more findings of one code and symbol than it had at REV,
the extra ones are those on lines `git diff -U0 REV` shows added or changed (untracked files:
every line). When the tree at REV cannot be analysed, the changed lines alone decide (ruff's rule).
"""

from __future__ import annotations

import dataclasses
import os
import tempfile
from collections import Counter

from igny8_refactor.audit.config import ConfigError
from igny8_refactor.vcs import VcsError, changed_lines, export_tree, has_commits, merge_base, toplevel


def _key(path: str, base: str, finding) -> tuple[str, str, str]:
    return os.path.relpath(os.path.abspath(path), base).replace(os.sep, "/"), finding.code, finding.symbol


def new_since(rev: str, findings: list, config, run, warn) -> list:
    """The `findings` this change introduces; `run(paths, config)` audits a tree. VcsError when git cannot say."""
    root = os.path.realpath(config.root)
    top = toplevel(root)
    if top is None:
        raise VcsError(f"--diff-base {rev}: {root} is not in a git repository")
    if not has_commits(top):
        return list(findings)  # the first commit: everything in it is new
    base = merge_base(rev, top)  # a branch is judged against where it left `rev`, not what `rev` did since
    changed = changed_lines(base, top, root)
    old: Counter | None = Counter()
    with tempfile.TemporaryDirectory(prefix="igny8-diff-base-") as temp:
        old_root = os.path.join(os.path.realpath(temp), os.path.relpath(root, top))
        try:
            export_tree(base, top, root, temp)  # REV is known (git diff took it): a failure is a folder REV lacks
            before = run(dataclasses.replace(config, root=old_root))
            old = Counter(_key(f.path, old_root, f) for f in before.findings)
        except VcsError:
            pass  # the project is new since REV: every finding is
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
        key = _key(finding.path, root, finding)
        if old[key] > 0:
            old[key] -= 1
        else:
            new.add(id(finding))
    return [f for f in findings if id(f) in new]
