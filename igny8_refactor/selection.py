"""Which paths `audit` and `fix` act on: missing paths, `--force-exclude`, paths that select no Python file.

The exclude matcher and the directory walk are the analysis engine's own (`audit.files`).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from igny8_refactor.audit.api import displayed
from igny8_refactor.audit.files import _walk, is_excluded
from igny8_refactor.audit.findings import InputError


@dataclass
class Selection:
    paths: list[str] = field(default_factory=list)  # what the engine is given; empty: it must not run
    errors: list[InputError] = field(default_factory=list)  # missing paths, paths selecting nothing
    excluded: list[str] = field(default_factory=list)  # dropped by --force-exclude


def _selects_python(path: Path, patterns, base: Path) -> bool:
    """A file is always taken (named if unreadable); a folder, if it holds a Python file `patterns` do not exclude."""
    return not path.is_dir() or any(not is_excluded(file, patterns, base) for file, _, _ in _walk(path))


def select_paths(paths, config, *, force_exclude: bool = False) -> Selection:
    """Sort PATHS (or the configured paths) into usable ones and `path: reason` errors. As ruff, `exclude` skips a
    path named on the command line only with `force_exclude` (pre-commit names every staged file)."""
    base = Path(config.root).resolve()
    patterns = tuple(config.exclude)
    selection = Selection()
    for path in paths or [displayed(base / p) for p in config.paths or (".",)]:
        absolute = Path(os.path.abspath(path))
        if not os.path.lexists(path):
            selection.errors.append(InputError(path, "no such file or directory"))
        elif paths and force_exclude and any(is_excluded(p, patterns, base) for p in (absolute, absolute.resolve())):
            selection.excluded.append(path)
        elif not _selects_python(absolute, patterns, base):
            reason = "no Python files found"
            if patterns and _selects_python(absolute, (), base):
                reason += " (every one is excluded by the configuration's `exclude`)"
            selection.errors.append(InputError(path, reason))
        else:
            selection.paths.append(path)
    return selection
