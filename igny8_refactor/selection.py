"""Which paths a command acts on: missing paths, `--force-exclude`, paths that select no Python file.

Both `audit` and `fix` take PATHS the same way, so both go through `select_paths`; the
exclude matcher and the directory walk are the analysis engine's own (`audit.files`),
wrapped here in one place each.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from igny8_refactor.audit.findings import InputError

NO_SUCH_PATH = "no such file or directory"
NO_PYTHON_FILES = "no Python files found"


def _base(config) -> Path:
    """The directory `exclude` patterns are relative to: the project root."""
    return Path(config.root).resolve()


def is_excluded(path: str | os.PathLike, config) -> bool:
    """Whether the configuration's `exclude` matches `path` or one of its parent directories."""
    from igny8_refactor.audit.files import is_excluded as _is_excluded

    patterns = tuple(config.exclude)
    if not patterns:
        return False
    base = _base(config)
    absolute = Path(os.path.abspath(path))
    return _is_excluded(absolute, patterns, base) or _is_excluded(absolute.resolve(), patterns, base)


def selects_python(path: str, config, *, exclude: bool = True) -> bool:
    """Whether `path` selects a Python file, as the analysis discovers them (stops at the first)."""
    from igny8_refactor.audit.files import _walk, is_excluded

    base = _base(config)
    patterns = tuple(config.exclude) if exclude else ()
    absolute = Path(os.path.abspath(path))
    if not absolute.is_dir():
        return True  # a file named explicitly is always taken (and named if it cannot be read)
    return any(not is_excluded(file, patterns, base) for file, _, _ in _walk(absolute))


def display(path: str | os.PathLike) -> str:
    """`path` relative to the current directory when below it, "/"-separated; else as given."""
    try:
        relative = os.path.relpath(path)
    except ValueError:
        return str(path)
    return str(path) if relative.startswith("..") else relative.replace(os.sep, "/")


def configured_paths(config) -> list[str]:
    """The configuration's `paths`, relative to the configuration file, as shown to the user."""
    base = _base(config)
    return [display(base / p) for p in (config.paths or (".",))]


@dataclass
class Selection:
    paths: list[str] = field(default_factory=list)  # what the engine is given
    errors: list[InputError] = field(default_factory=list)  # missing paths, paths selecting nothing
    excluded: list[str] = field(default_factory=list)  # dropped by --force-exclude
    defaulted: bool = False  # no PATH given: the configured paths

    @property
    def nothing_left(self) -> bool:
        """Every path was dropped: the engine must not be run (it would fall back to the configured paths)."""
        return not self.paths


def select_paths(paths, config, *, force_exclude: bool = False) -> Selection:
    """Sort PATHS (or the configured paths) into usable ones and `path: reason` errors.

    A path named on the command line is used even when `exclude` matches it, as ruff does;
    with `force_exclude` it is dropped instead (pre-commit names every staged file).
    A directory that selects no Python file is an error, as a missing path is.
    """
    selection = Selection(defaulted=not paths)
    given = list(paths) if paths else configured_paths(config)
    for path in given:
        if not os.path.lexists(path):
            selection.errors.append(InputError(path, NO_SUCH_PATH))
            continue
        if force_exclude and not selection.defaulted and is_excluded(path, config):
            selection.excluded.append(path)
            continue
        if not selects_python(path, config):
            reason = NO_PYTHON_FILES
            if config.exclude and selects_python(path, config, exclude=False):
                reason += " (every one is excluded by the configuration's `exclude`)"
            selection.errors.append(InputError(path, reason))
            continue
        selection.paths.append(path)
    return selection
