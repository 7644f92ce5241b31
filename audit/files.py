"""Which files make up the project, which of them are reported and rewritten, and their module names.

One walker, one skip list and one exclude rule, shared by `audit` and `fix`. `exclude` and the
paths given decide what is *reported and rewritten*; every other Python file under the project
root is still read, for its *references* (migrations, tests, scripts, `conf.py`).
"""
from __future__ import annotations

import fnmatch
import os
from dataclasses import dataclass, field
from pathlib import Path

# directories never entered: caches, virtual environments, VCS data (dot-directories are skipped too)
SKIP_DIRS = frozenset({"__pycache__", "site-packages", "node_modules", "venv"})


@dataclass
class SourceFile:
    path: str  # absolute
    module: str
    is_package: bool
    reported: bool = True  # False: read for references only (excluded, or outside the paths given)


@dataclass
class Discovery:
    files: list[SourceFile] = field(default_factory=list)
    missing: list[tuple[str, str]] = field(default_factory=list)  # (path as given, reason)


def is_excluded(path: Path, patterns, base: Path) -> bool:
    """True when `path` (or a folder above it, up to `base`) matches an `exclude` glob."""
    if not patterns:
        return False
    try:
        rel = path.relative_to(base).as_posix()
    except ValueError:
        rel = path.as_posix()
    parts = rel.split("/")
    for pattern in patterns:
        pattern = pattern.rstrip("/")
        if "/" in pattern:
            for i in range(1, len(parts) + 1):
                if fnmatch.fnmatchcase("/".join(parts[:i]), pattern):
                    return True
        elif any(fnmatch.fnmatchcase(part, pattern) for part in parts):
            return True
    return False


def _skipped_dir(name: str) -> bool:
    return name in SKIP_DIRS or name.startswith(".") or name.endswith(".egg-info")


def source_root(arg: Path, anchors: set[Path]) -> Path:
    """The directory module names are relative to, for a path given on the command line."""
    directory = arg if arg.is_dir() else arg.parent
    if (directory / "__init__.py").is_file():
        while (directory / "__init__.py").is_file() and directory.parent != directory:
            directory = directory.parent
        return directory
    if (
        arg.is_dir()
        and directory not in anchors
        and directory.parent in anchors
        and directory.name.isidentifier()
        and directory.name != "src"
    ):
        return directory.parent  # a namespace package named on the command line
    return directory


def module_name(path: Path, root: Path) -> tuple[str, bool]:
    """(dotted name, is a package) of `path` below `root`."""
    rel = path.relative_to(root).with_suffix("")
    parts = list(rel.parts)
    if parts and parts[0] == "src" and len(parts) > 1:
        parts = parts[1:]
    is_package = bool(parts) and parts[-1] == "__init__"
    if is_package:
        parts = parts[:-1]
    return ".".join(parts), is_package


def module_name_for(path: str | os.PathLike) -> str | None:
    """The dotted module name of a file, from the `__init__.py` files above it."""
    path = Path(os.path.abspath(path))
    if path.suffix != ".py":
        return None
    root = source_root(path, set())
    name, _ = module_name(path, root)
    return name or None


def _walk(top: Path):
    """Every .py file under `top`, sorted. Directory symlinks are not followed (no loops)."""
    for dirpath, dirnames, filenames in os.walk(top):
        dirnames[:] = sorted(d for d in dirnames if not _skipped_dir(d))
        current = Path(dirpath)
        for name in sorted(filenames):
            if name.endswith(".py"):
                yield current / name, current


def discover(
    paths: list[str],
    exclude,
    base: Path,
    anchors: set[Path],
    *,
    references: list[str] = (),
    force_exclude: bool = False,
) -> Discovery:
    """The .py files under `paths` (reported unless excluded), then under `references` (read only).

    A file named directly is reported even when `exclude` matches it, unless `force_exclude`.
    """
    found = Discovery()
    seen: set[str] = set()

    def add(path: Path, root: Path, reported: bool) -> None:
        key = str(path)
        if key in seen:
            return
        seen.add(key)
        module, is_package = module_name(path, root)
        found.files.append(SourceFile(key, module, is_package, reported))

    package_roots: dict[Path, Path] = {}

    def root_of(directory: Path, walk_root: Path) -> Path:
        """A package's files are named from the top of their package (`backend/igny8_core/...` is
        `igny8_core...`); files outside any package, from the folder walked (namespace packages)."""
        if directory not in package_roots:
            if (directory / "__init__.py").is_file():
                top = directory
                while (top.parent / "__init__.py").is_file() and top.parent != top:
                    top = top.parent
                package_roots[directory] = top.parent
            else:
                package_roots[directory] = walk_root
        return package_roots[directory]

    for raw in paths:
        arg = Path(os.path.abspath(raw))
        if not os.path.lexists(arg):
            found.missing.append((raw, "no such file or directory"))
            continue
        if arg.is_dir():
            root = source_root(arg, anchors)
            # a namespace package named on the command line: everything in it is named from above it
            namespace = root == arg.parent and not (arg / "__init__.py").is_file()
            for path, directory in _walk(arg):
                add(path, root if namespace else root_of(directory, root), not is_excluded(path, exclude, base))
        else:
            add(arg, source_root(arg, anchors), not (force_exclude and is_excluded(arg, exclude, base)))
    for raw in references:
        arg = Path(os.path.abspath(raw))
        if arg.is_dir():
            for path, directory in _walk(arg):
                if str(path) not in seen:
                    add(path, root_of(directory, arg), False)
    return found
