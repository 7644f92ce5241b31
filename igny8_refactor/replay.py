"""Replay: an `audit` run identical to the last one prints the last one's output, before click is imported.

A warm `audit` whose report comes from the memo (audit.memo) spends most of its time importing
the command line (click) and walking the tree to find its files. When nothing an `audit`
reads has changed, its output is known: the same command line, in the same directory and
environment, on the same files gives the same bytes and exit status. After such a run, the
output is recorded with the list of everything it depended on, each with its `stat` signature
(mtime, ctime, size, inode, mode; or "absent"):

- every directory the walk listed (an entry added, removed or renamed changes its mtime) and
  every file it found;
- the files whose presence decides the configuration and the module names: `pyproject.toml`,
  `setup.cfg` and `__init__.py` in the working directory, each path given and their parents;
  the `--config` and `--baseline` files; the commit journal a crashed `fix` leaves;
- this tool's own packages, every module file loaded by the run and the directories on
  `sys.path` (an upgrade or an edit of the tool or of a dependency is a change).

The next run with the same key (the arguments, the working directory, the whole environment,
the Python installation and the tool's version, the output streams' encodings) stats that list and,
when every signature is the same, writes the recorded output and exits; any difference, and
anything unreadable, is a miss and the run goes on as usual. Nothing is recorded unless every
path listed was last changed at least a second before the run started (a second change in the
same clock tick could leave a signature unchanged, as audit.memo explains), nor for a terminal
(colour, width and progress are the terminal's), nor for a run that writes a file (`--output`,
`--write-baseline`) or that does not use the cache (`--no-cache`).

The record is plain JSON (a data format, never code), checked on reading; a malformed record is
a miss.
"""
from __future__ import annotations

import os
import sys
import time

FORMAT = "igny8-refactor-replay"
VERSION = 1
CACHE_DIR = ".igny8_refactor_cache"  # audit.cache.CACHE_DIR, without importing it
JOURNAL_NAME = "commit-journal.json"  # audit.atomic.JOURNAL_NAME, without importing it
PREFIX = "replay-"
KEEP = 8  # records kept per cache directory, newest first
SETTLE_NS = 1_000_000_000  # as audit.memo.SETTLE_NS
PROBES = ("__init__.py", "pyproject.toml", "setup.cfg")

_current: Replay | None = None  # the run being recorded (set by `start`)


def _signature(path: str):
    """What `stat` says of `path` (following links), or None when it does not exist."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return None
    except NotADirectoryError:
        return None
    return [st.st_mtime_ns, st.st_ctime_ns, st.st_size, st.st_ino, st.st_mode]


def _ascii(stream) -> bool:
    import codecs

    try:
        return codecs.lookup(getattr(stream, "encoding", None) or "ascii").name == "ascii"
    except LookupError:
        return True


def _key(argv: list[str]) -> str | None:
    """The run's key, or None when its output must not be replayed (a terminal, an ASCII stream)."""
    streams = (sys.stdout, sys.stderr)
    try:
        if any(stream is None or stream.isatty() or _ascii(stream) for stream in streams):
            return None
        cwd = os.getcwd()
    except (OSError, ValueError, AttributeError):
        return None
    from igny8_refactor import __version__

    try:
        from _blake2 import blake2b
    except ImportError:  # pragma: no cover - CPython always has it
        from hashlib import blake2b
    request = (FORMAT, VERSION, __version__, sys.version, sys.prefix, list(sys.flags), argv, cwd,
               sorted(os.environ.items()), [(s.encoding, s.errors) for s in streams])
    return blake2b(repr(request).encode("utf-8", "surrogateescape"), digest_size=16).hexdigest()[:24]


class _Tee:
    """A text stream that writes through to `stream` and keeps a copy, in order, in `chunks`."""

    def __init__(self, stream, name: str, chunks: list) -> None:
        self._stream, self._name, self._chunks = stream, name, chunks
        self.encoding, self.errors = stream.encoding, stream.errors

    def write(self, text: str) -> int:
        written = self._stream.write(text)
        self._chunks.append([self._name, text])
        return written

    def writelines(self, lines) -> None:
        for line in lines:
            self.write(line)

    def flush(self) -> None:
        self._stream.flush()

    def isatty(self) -> bool:
        return False

    def fileno(self) -> int:
        return self._stream.fileno()

    def writable(self) -> bool:
        return True

    def __getattr__(self, name):
        return getattr(self._stream, name)


class Replay:
    """One run's key, and (while it runs) what it printed and what it offered to record."""

    def __init__(self, argv: list[str], key: str, started: int) -> None:
        self.argv, self.key, self.started = argv, key, started
        self.chunks: list = []
        self.offer: tuple[str, list[str]] | None = None  # (cache directory, paths the output depends on)

    def find(self) -> dict | None:
        """The record of the last identical run when every signature it lists is unchanged."""
        name = PREFIX + self.key + ".json"
        directory = os.getcwd()
        while True:
            path = os.path.join(directory, CACHE_DIR, name)
            if os.path.isfile(path):
                break
            parent = os.path.dirname(directory)
            if parent == directory:
                return None
            directory = parent
        document = _load(path)
        if document is None or document["key"] != self.key:
            return None
        for watched, signature in document["watch"]:
            if _signature(watched) != signature:
                return None
        return document

    def play(self, document: dict) -> None:
        """Write the recorded output, in the order it was written, and exit with the recorded status."""
        streams = {"stdout": sys.stdout, "stderr": sys.stderr}
        for stream, text in document["output"]:
            streams[stream].write(text)
            if stream == "stderr":
                sys.stderr.flush()
        sys.stdout.flush()
        sys.exit(document["status"])

    def record(self, status) -> None:
        """Keep this run's output when it was offered and every path it depends on had settled."""
        if self.offer is None or isinstance(status, bool) or not isinstance(status, int) or not 0 <= status <= 2:
            return
        status = int(status)  # the command's exit codes are an IntEnum
        directory, paths = self.offer
        watch = []
        settled_before = self.started - SETTLE_NS
        for path in dict.fromkeys(paths):
            signature = _signature(path)
            if signature is not None and max(signature[0], signature[1]) >= settled_before:
                return  # changed while this run read it, or too recently to tell
            watch.append([path, signature])
        document = {"format": FORMAT, "version": VERSION, "key": self.key, "watch": watch,
                    "output": self.chunks, "status": status}
        import json

        from audit.atomic import replace_file

        try:
            data = json.dumps(document, ensure_ascii=True, separators=(",", ":")).encode("ascii")
            replace_file(os.path.join(directory, PREFIX + self.key + ".json"), data)
        except (OSError, TypeError, ValueError):
            return  # a read-only tree still gets its report
        _prune(directory)


def _load(path: str) -> dict | None:
    import json

    try:
        with open(path, "rb") as handle:
            document = json.loads(handle.read())
        if type(document) is not dict or document.get("format") != FORMAT or document.get("version") != VERSION:
            return None
        if type(document.get("key")) is not str or type(document.get("status")) is not int:
            return None
        watch, output = document.get("watch"), document.get("output")
        if type(watch) is not list or type(output) is not list:
            return None
        for row in watch:
            if type(row) is not list or len(row) != 2 or type(row[0]) is not str:
                return None
            if row[1] is not None and (type(row[1]) is not list or len(row[1]) != 5
                                       or not all(type(n) is int for n in row[1])):
                return None
        for row in output:
            if type(row) is not list or len(row) != 2 or row[0] not in ("stdout", "stderr") or type(row[1]) is not str:
                return None
    except (OSError, ValueError, RecursionError, MemoryError):
        return None
    return document


def _prune(directory: str) -> None:
    """Forget all but the KEEP newest records."""
    records = []
    try:
        names = os.listdir(directory)
    except OSError:
        return
    for name in names:
        if name.startswith(PREFIX) and name.endswith(".json"):
            try:
                records.append((os.stat(os.path.join(directory, name)).st_mtime_ns, name))
            except OSError:
                continue
    for _, name in sorted(records, reverse=True)[KEEP:]:
        try:
            os.unlink(os.path.join(directory, name))
        except OSError:
            pass


def start(argv: list[str]) -> Replay | None:
    """Replay the last identical run (exits) or begin recording this one; None when neither applies."""
    global _current
    started = time.time_ns()
    if not argv or argv[0] != "audit":
        return None
    key = _key(argv)
    if key is None:
        return None
    run = Replay(argv, key, started)
    try:
        document = run.find()
    except (OSError, ValueError, UnicodeError):
        document = None  # a record that cannot be used is a miss
    if document is not None:
        run.play(document)
    _current = run
    return run


def offer(root: str, paths: list[str], given: list[str], extra: list[str]) -> None:
    """Called by `audit` when its report is the memo's for this tree: record it at the end of the run.

    `paths`: the directories walked and the files found; `given`: the paths named on the command
    line; `extra`: other files read (a `--config` or `--baseline` file).
    """
    run = _current
    if run is None:
        return
    cwd = os.getcwd()
    depends = list(paths)
    for start_path in (cwd, *(os.path.abspath(p) for p in given)):
        directory = start_path if os.path.isdir(start_path) else os.path.dirname(start_path)
        depends.append(start_path)
        while True:
            depends.extend(os.path.join(directory, name) for name in PROBES)
            parent = os.path.dirname(directory)
            if parent == directory:
                break
            directory = parent
    depends.extend(os.path.abspath(p) for p in extra)
    cache = os.path.join(root, CACHE_DIR)
    depends.append(os.path.join(cache, JOURNAL_NAME))
    here = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    for package in ("audit", "audit/checks", "audit/report", "codemods", "igny8_refactor"):
        depends.append(os.path.join(here, package))
    depends.extend(entry for entry in sys.path if entry and os.path.isdir(entry))  # a new module there could shadow one
    for module in list(sys.modules.values()):
        file = getattr(module, "__file__", None)
        if type(file) is str:
            depends.append(file)
    run.offer = (cache, depends)


def main(entry) -> None:
    """Run `entry` (the click command line) for `sys.argv`, replaying or recording it."""
    # a file name that is not UTF-8 is printed as its bytes (as ls and grep do), not a traceback
    for stream in (sys.stdout,):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None and stream.errors == "strict":
            reconfigure(errors="surrogateescape")
    run = start(sys.argv[1:])
    if run is None:
        entry()
        return
    real = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = _Tee(real[0], "stdout", run.chunks), _Tee(real[1], "stderr", run.chunks)
    status = None
    try:
        entry()
        status = 0
    except SystemExit as exc:
        status = 0 if exc.code is None else exc.code
        raise
    finally:
        sys.stdout, sys.stderr = real
        global _current
        _current = None
        if status is not None:
            run.record(status)
