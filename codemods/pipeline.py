"""The `fix` pipeline: analyse once, run the codemods on each file, verify, write atomically."""
from __future__ import annotations

import difflib
import functools
import fnmatch
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Iterator, Sequence

from audit.atomic import replace_file
from codemods.facts import Facts, in_packages, module_name_for

# LibCST (and with it every codemod) is imported only once a file may need a codemod:
# most trees (Django, the standard library) have none, and the import costs more than the scan.

SKIP_DIRS = frozenset({".git", ".hg", ".svn", ".venv", "venv", ".tox", ".nox", "__pycache__", "node_modules",
                       ".mypy_cache", ".pytest_cache", ".ruff_cache", "build", "dist", ".eggs"})
FACT_KINDS = ("orphan-export", "unused-function", "missing-account-guard")
FACT_CODEMODS = ("prune_orphan_exports", "remove_dead_helpers", "require_account_guard")


def quick_needles(config) -> tuple[bytes, ...]:
    """Text one of which every file a codemod can change contains (files with facts aside).

    A cheap gate before LibCST is even imported; each codemod's own `prefilter` is the
    precise test (tests/codemods/test_guarantees.py keeps the two in step).
    """
    return (b"get_model_config", b"_default_model", b"run_ai_task", *(n.encode() for n in config.config_names))


@dataclass
class FileResult:
    path: str
    old: bytes = b""
    new: bytes | None = None  # None: nothing to write (unchanged or failed)
    error: str | None = None  # the reason after "path: "
    warnings: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return self.error is None and self.new is not None and self.new != self.old

    def diff(self) -> str:
        """A unified diff of the change (text decoded as the file declares)."""
        if not self.changed:
            return ""
        old, new = _text(self.old), _text(self.new)
        return "".join(
            difflib.unified_diff(
                old.splitlines(keepends=True), new.splitlines(keepends=True), f"a/{self.path}", f"b/{self.path}"
            )
        )


@dataclass
class FixResult:
    files: list[FileResult] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # "path: reason" lines from outside any one file

    @property
    def changed(self) -> list[FileResult]:
        return [f for f in self.files if f.changed]

    @property
    def failed(self) -> list[FileResult]:
        return [f for f in self.files if f.error is not None]


def _text(data: bytes) -> str:
    import libcst as cst

    try:
        return cst.parse_module(data).code
    except Exception:  # noqa: BLE001 - only for display
        return data.decode("utf-8", "replace")


# -- which files --------------------------------------------------------------------------
def _display(path: Path) -> str:
    """Relative to the current directory when below it, else as given."""
    try:
        relative = os.path.relpath(path)
    except ValueError:
        return str(path)
    return str(path) if relative.startswith("..") else relative.replace(os.sep, "/")


def _excluded(path: Path, patterns: Sequence[str], root: Path) -> bool:
    if not patterns:
        return False
    candidates = {path.as_posix()}
    for base in (root, Path.cwd()):
        try:
            candidates.add(path.resolve().relative_to(base.resolve()).as_posix())
        except ValueError:
            pass
    for candidate in candidates:
        parts = candidate.split("/")
        prefixes = ["/".join(parts[: i + 1]) for i in range(len(parts))]
        if any(fnmatch.fnmatchcase(prefix, pattern) for prefix in prefixes for pattern in patterns):
            return True
    return False


def iter_python_files(paths: Iterable[str], exclude: Sequence[str] = (), root: str = ".") -> Iterator[Path]:
    """The .py files under `paths`, sorted, skipping VCS/venv/cache directories and `exclude` globs."""
    root_path = Path(root)
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found = []
            for directory, dirnames, filenames in os.walk(path):
                here = Path(directory)
                dirnames[:] = sorted(
                    d for d in dirnames
                    if d not in SKIP_DIRS and not d.endswith(".egg-info") and not _excluded(here / d, exclude, root_path)
                )
                found.extend(here / f for f in filenames if f.endswith(".py"))
            yield from (f for f in sorted(found) if not _excluded(f, exclude, root_path))
        else:
            yield path  # named explicitly: a missing or unreadable one is reported, not skipped


# -- one file -----------------------------------------------------------------------------
def _syntax_reason(exc: Exception) -> str:
    if isinstance(exc, SyntaxError):
        if exc.lineno:
            return f"{exc.lineno}:{max(exc.offset or 1, 1)}: syntax error: {exc.msg}"
        kind = "cannot decode" if "encod" in exc.msg or "codec" in exc.msg else "cannot parse"
        return f"{kind}: {exc.msg}"
    if hasattr(exc, "raw_line") and hasattr(exc, "message"):  # libcst.ParserSyntaxError
        return f"{exc.raw_line}:{exc.raw_column + 1}: syntax error: {exc.message}"
    if isinstance(exc, UnicodeDecodeError):
        return f"cannot decode: {exc.reason}"
    return f"cannot parse: {exc}"


def _read(path: Path) -> bytes:
    info = os.stat(path)
    if not stat.S_ISREG(info.st_mode):
        raise OSError("not a regular file")
    with open(path, "rb") as handle:
        return handle.read()


def _check_source(data: bytes, path: str) -> None:
    """Raise when `data` is not a module Python itself accepts (decoding included)."""
    compile(data, path, "exec", dont_inherit=True, flags=0x400)  # PyCF_ONLY_AST


def fix_file(
    path: Path,
    commands: Sequence[type] | None,
    config,
    facts: "Facts | _Analysis",
    data: bytes | None = None,
) -> FileResult:
    """Run the applicable codemods over one file; never writes. `commands` None: all of them."""
    result = FileResult(_display(path))
    try:
        data = _read(path) if data is None else data
    except OSError as exc:
        result.error = exc.strerror.lower() if getattr(exc, "strerror", None) else str(exc)
        return result
    result.old = data
    try:
        _check_source(data, result.path)  # every file: a broken one is named even if nothing matches
    except (SyntaxError, ValueError, UnicodeDecodeError) as exc:
        result.error = _syntax_reason(exc)
        return result
    except (RecursionError, MemoryError):
        result.error = "cannot parse: too deeply nested"
        return result
    key = str(path.resolve())
    registered = commands is None or all(c.__module__.startswith("codemods.") for c in commands)
    analysis = facts if isinstance(facts, _Analysis) else None
    known = facts if analysis is None else analysis.facts  # None: not analysed (yet)
    if registered and not (known is not None and key in known.modules):
        if not any(needle in data for needle in quick_needles(config)):
            return result
    if commands is None:
        commands = _all_commands()
    applicable = [c for c in commands if c.prefilter(data, key, config, known)]
    if known is None:
        # the first file that may need project facts triggers the one analysis
        if any(getattr(c, "NEEDS_FACTS", False) for c in applicable):
            known = analysis.get()
            applicable = [c for c in applicable if c.prefilter(data, key, config, known)]
        else:
            known = Facts()
    facts = known
    if not applicable:
        return result
    import libcst as cst
    from libcst.codemod import CodemodContext, SkipFile

    try:
        tree = cst.parse_module(data)
    except RecursionError:
        result.error = "cannot parse: too deeply nested"
        return result
    except Exception as exc:  # noqa: BLE001 - ParserSyntaxError and friends
        result.error = _syntax_reason(exc)
        return result
    module = facts.module_of(key) or module_name_for(key)
    package = None
    if module:
        package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    for command in applicable:
        context = CodemodContext(filename=key, full_module_name=module, full_package_name=package)
        try:
            tree = command.from_config(context, config, facts).transform_module(tree)
        except SkipFile:
            continue
        except Exception as exc:  # noqa: BLE001 - one file's failure must not stop the run
            result.error = f"{command.NAME} failed: {exc.__class__.__name__}: {exc}"
            return result
        result.warnings.extend(f"{command.NAME}: {w}" for w in context.warnings)
    new = tree.bytes
    if new == data:
        return result
    try:
        _check_source(new, result.path)
        cst.parse_module(new)
    except Exception as exc:  # noqa: BLE001 - whatever the reason, it is not written
        result.error = f"the rewritten file would not parse ({_syntax_reason(exc)}); not written"
        return result
    result.new = new
    return result


def write_atomic(path: Path, data: bytes, expected: bytes | None = None) -> None:
    """Replace `path` by `data` all at once: temp file in the same directory, then os.replace.

    The file mode is kept and a symlink stays a symlink (its target is rewritten). With
    `expected`, a file that changed on disk since it was read is left alone (OSError).
    """
    target = Path(os.path.realpath(path))
    if expected is not None and _read(target) != expected:
        raise OSError(0, "the file changed on disk while it was being fixed")
    replace_file(target, data)


# -- the run ------------------------------------------------------------------------------
def select_commands(only: Sequence[str] = ()) -> list[type]:
    """The codemods in application order, restricted to `only`; KeyError names an unknown one."""
    from codemods.registry import load_codemods

    registry = load_codemods()
    for name in only:
        if name not in registry:
            raise KeyError(name)
    return [cls for name, cls in registry.items() if not only or name in only]


@functools.lru_cache(maxsize=1)
def _all_commands() -> tuple[type, ...]:
    return tuple(select_commands())


def analyse(paths: Sequence[str], config, *, jobs=None, use_cache=True) -> Facts:
    """Orphan exports, dead functions, unguarded calls and shared config dicts: one audit run."""
    from audit.api import run_audit

    result = run_audit(list(paths), config, jobs=jobs, use_cache=use_cache, select=FACT_KINDS)
    facts = Facts.from_findings(result.findings, config.internal, config.keep)
    return facts.with_project(result.project, config.config_names)


class _Analysis:
    """The project facts, computed at most once: up front when an internal package is in the
    run, else only when a file first looks like it needs a codemod (most trees never do)."""

    def __init__(self, paths, config, jobs, use_cache, errors: list[str]) -> None:
        self.paths, self.config, self.jobs, self.use_cache, self.errors = paths, config, jobs, use_cache, errors
        self.facts: Facts | None = None

    def get(self) -> Facts:
        if self.facts is None:
            try:
                self.facts = analyse(self.paths, self.config, jobs=self.jobs, use_cache=self.use_cache)
            except Exception as exc:  # noqa: BLE001 - the other codemods still run
                where = ", ".join(self.paths) or "."
                self.errors.append(
                    f"{where}: analysis failed ({exc.__class__.__name__}: {exc}); exports, helpers and guards left as they are"
                )
                self.facts = Facts()
        return self.facts


def _is_internal(path: Path, config) -> bool:
    top = {p.split(".")[0] for p in config.internal}
    if not any(part in top for part in path.parts):
        return False  # cheap: no path component names an internal package
    module = module_name_for(path)
    return bool(module) and in_packages(module, config.internal)


def run_fix(
    paths: Sequence[str],
    config,
    *,
    only: Sequence[str] = (),
    jobs: int | None = None,
    use_cache: bool = True,
    write: bool = True,
    facts: Facts | None = None,
    progress: Callable[[Iterable[Path]], Iterable[Path]] | None = None,
    commands: Sequence[type] | None = None,
) -> FixResult:
    """Fix every Python file under `paths`; write changed ones in place when `write`.

    `commands` replaces the registered codemods (extensions, tests); `facts` skips the analysis.
    """
    if commands is None:
        commands = select_commands(only) if only else None  # None: all, imported on first need
    files, seen = [], set()
    for path in iter_python_files(paths, config.exclude, config.root):
        key = os.path.realpath(path)
        if key not in seen:  # overlapping PATHs: each file once
            seen.add(key)
            files.append(path)
    result = FixResult()
    analysis = _Analysis(list(paths), config, jobs, use_cache, result.errors)
    if facts is not None:
        analysis.facts = facts
    elif only and not any(name in FACT_CODEMODS or name == "remove_model_config" for name in only):
        analysis.facts = Facts()
    elif any(_is_internal(f, config) for f in files):
        analysis.get()
    iterable = progress(files) if progress else files
    for path in iterable:
        file_result = fix_file(path, commands, config, analysis)
        if write and file_result.changed:
            try:
                write_atomic(path, file_result.new, expected=file_result.old)
            except OSError as exc:
                file_result.error = f"cannot write: {exc.strerror or exc}; left unchanged"
        result.files.append(file_result)
    return result


def write_changes(result: FixResult) -> None:
    """Write the changed files of a `run_fix(..., write=False)` result, as `write=True` would have."""
    for file_result in result.changed:
        try:
            write_atomic(Path(file_result.path), file_result.new, expected=file_result.old)
        except OSError as exc:
            file_result.error = f"cannot write: {exc.strerror or exc}; left unchanged"
