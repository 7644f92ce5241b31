"""The whole-run memo: an unchanged tree's audit is answered from the last run's report.

A warm run that finds every file as the last run left it (same set of files, and for each the
same mtime, ctime, size and inode) needs no scan, no project model and no rules: the last
run's findings are the answer. The memo is one JSON file per configuration and command line
in the cache directory (`run-<key>.json`), written with the cache's data format (never code)
and checked on reading: anything malformed is a miss.

The key covers everything else a report depends on: the tool's version and its own source
files (an upgrade or an edit of the tool is a miss), the Python version (what parses), the
configuration, the paths and check selection asked for, and the working directory (paths are
reported relative to it). A run whose files were modified in the last second stores nothing:
a second edit in the same clock tick could keep the same mtime.
"""
from __future__ import annotations

import glob
import os
import sys
import time
from pathlib import Path

from audit.cache import blake2b, dumps, loads, prepare_directory
from audit.findings import Finding, InputError
from igny8_refactor import __version__

FORMAT = 1  # bump when the shape below changes
SETTLE_NS = 1_000_000_000  # files modified this recently make the run's memo unsafe to keep
KEEP = 8  # memos kept per cache directory (one per recent configuration and command line), newest first
_FINDING = (str, int, int, str, str, str, str, bool, str)  # Finding's report keys in field order, then the note
_TOOL = Path(__file__).resolve().parent  # the audit package: its sources are part of the key


def _tool_state() -> list:
    state = []
    for directory in (_TOOL, _TOOL / "checks", _TOOL / "report"):
        try:
            names = sorted(os.listdir(directory))
        except OSError:
            continue
        for name in names:
            if name.endswith(".py"):
                try:
                    st = os.stat(directory / name)
                except OSError:
                    continue
                state.append((name, st.st_mtime_ns, st.st_size))
    return state


def _hash(value) -> str:
    return blake2b(repr(value).encode("utf-8", "surrogateescape"), digest_size=16).hexdigest()


class Memo:
    """The last report for one configuration and command line, and the tree state it was made on."""

    def __init__(self, directory: str, request) -> None:
        """`request`: every input of the run other than the files (config, paths, selection, cwd)."""
        self.directory = directory
        key = _hash((FORMAT, __version__, sys.version_info[:3], _tool_state(), request))
        self.file = os.path.join(directory, f"run-{key[:20]}.json")
        self.state: str | None = None
        self.settled = False

    def observe(self, files, missing) -> None:
        """Stat every file of the run (`SourceFile`s): the tree state the memo is valid for."""
        started = time.time_ns()
        newest = 0
        rows = []
        for source in files:
            where = (source.path, source.module, source.is_package, source.reported)
            try:
                st = os.stat(source.path)
            except OSError as exc:
                rows.append((*where, exc.errno))
                continue
            rows.append((*where, st.st_mtime_ns, st.st_ctime_ns, st.st_size, st.st_ino, st.st_mode))
            newest = max(newest, st.st_mtime_ns, st.st_ctime_ns)
        self.state = _hash((rows, list(missing)))
        self.settled = newest < started - SETTLE_NS

    def load(self) -> dict | None:
        """The stored report when it was made on this very tree state, else None."""
        if self.state is None:
            return None
        try:
            document = loads(Path(self.file).read_bytes())
            if type(document) is not dict or document.get("format") != FORMAT or document.get("state") != self.state:
                return None
            rows, error_rows = document["findings"], document["errors"]
            if not all(type(row) is tuple and tuple(map(type, row)) == _FINDING for row in rows):
                return None
            if not all(type(row) is tuple and tuple(map(type, row)) == (str, str) for row in error_rows):
                return None
            findings = [Finding(*row[:8], note=row[8]) for row in rows]
            errors = [InputError(*row) for row in error_rows]
            suppressed, analysed = document["suppressed"], document["analysed"]
            if type(suppressed) is not int or type(analysed) is not int:
                return None
        except (OSError, ValueError, TypeError, KeyError, RecursionError, MemoryError):
            return None
        return {"findings": findings, "errors": errors, "suppressed": suppressed, "analysed": analysed}

    def save(self, findings, errors, suppressed: int, analysed: int) -> bool:
        """Keep this run's report for the next run on the same tree (not when files are too fresh);
        whether it was kept."""
        if self.state is None or not self.settled:
            return False
        document = {
            "format": FORMAT,
            "state": self.state,
            "findings": [(*(getattr(f, key) for key in Finding.__dataclass_fields__ if key not in ("edit", "note")),
                          f.note) for f in findings],
            "errors": [(e.path, e.reason) for e in errors],
            "suppressed": suppressed,
            "analysed": analysed,
        }
        try:
            from audit.atomic import replace_file

            prepare_directory(self.directory)
            replace_file(self.file, dumps(document))
        except (OSError, TypeError, ValueError):
            return False  # a read-only tree still gets its report
        self._prune()
        return True

    def _prune(self) -> None:
        """Forget all but the KEEP newest memos (a pre-commit hook names other files each time)."""
        memos = []
        for path in glob.glob(os.path.join(glob.escape(self.directory), "run-*.json")):
            try:
                memos.append((os.stat(path).st_mtime_ns, path))
            except OSError:
                continue
        for _, path in sorted(memos, reverse=True)[KEEP:]:
            try:
                os.unlink(path)
            except OSError:
                pass
