"""Which files make up the project, which of them are reported and rewritten (the paths given, less `exclude`; the
others are read for their references: migrations, tests, scripts), and their module names."""

from __future__ import annotations

import contextlib
import fnmatch
import functools
import os
import subprocess
from collections.abc import Collection
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


def _relative(path: str, base: str) -> str:
    """`path` relative to `base` ("." for `base` itself), or `path` unchanged outside it."""
    if path == base:
        return "."
    prefix = base if base.endswith(os.sep) else base + os.sep
    return path[len(prefix) :] if path.startswith(prefix) else path


def is_excluded(path: str | os.PathLike, patterns, base: str | os.PathLike) -> bool:
    """True when `path` (or a folder above it, up to `base`) matches an `exclude` glob."""
    if not patterns:
        return False
    rel = _relative(os.fspath(path), os.fspath(base)).replace(os.sep, "/")
    parts = rel.split("/")
    for pattern in (p.rstrip("/") for p in patterns):
        # a glob with a slash matches from the base; one without, any folder or file name
        candidates = ("/".join(parts[:i]) for i in range(1, len(parts) + 1)) if "/" in pattern else parts
        if any(fnmatch.fnmatchcase(candidate, pattern) for candidate in candidates):
            return True
    return False


def _skipped_dir(name: str) -> bool:
    return name in SKIP_DIRS or name[0] == "." or name.endswith(".egg-info")


def git(*args: str, cwd: str | os.PathLike, text: bool = False) -> subprocess.CompletedProcess | None:
    """`git ARGS` run in `cwd`, its output captured; None when git cannot be run (not installed, timed out)."""
    try:
        return subprocess.run(
            ["git", *args], cwd=cwd, capture_output=True, text=text, stdin=subprocess.DEVNULL, timeout=60
        )
    except (OSError, subprocess.SubprocessError):
        return None


def git_says(*args: str, cwd: str | os.PathLike) -> bool:
    """Whether `git ARGS` runs and succeeds (`check-ignore -q .`: the folder is ignored)."""
    done = git(*args, cwd=cwd)
    return done is not None and done.returncode == 0


def git_ignored(root: str | os.PathLike) -> tuple[str, ...]:
    """Absolute paths under `root` that git ignores (folders end with a separator); () outside a work tree."""
    if git_says("check-ignore", "-q", ".", cwd=root):
        return ()  # the project itself lies in an ignored folder (a virtualenv): nothing is ignored within it
    done = git("ls-files", "-z", "--others", "--ignored", "--exclude-standard", "--directory", cwd=root)
    if done is None or done.returncode != 0:
        return ()
    base = os.fspath(root)
    return tuple(os.path.join(base, os.fsdecode(entry)) for entry in done.stdout.split(b"\0") if entry)


def _get(data, *keys):
    """data[k1][k2]..., or None where a table is missing or is not a table."""
    for key in keys:
        data = data.get(key) if isinstance(data, dict) else None
    return data


def _strings(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []


def build_roots(root: Path) -> list[Path]:
    """The import roots the build configuration declares: setuptools' `where` and `package-dir`, poetry's `from`,
    hatch's wheel `packages`."""
    import configparser
    import tomllib

    try:
        data = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        data = {}
    found = _strings(_get(data, "tool", "setuptools", "packages", "find", "where"))
    found += _strings(_get(data, "tool", "setuptools", "package-dir", ""))
    found += [_get(entry, "from") for entry in _get(data, "tool", "poetry", "packages") or () if _get(entry, "from")]
    wheel = _strings(_get(data, "tool", "hatch", "build", "targets", "wheel", "packages"))
    found += [package.strip("/").rpartition("/")[0] for package in wheel]
    parser = configparser.ConfigParser(interpolation=None)
    try:
        parser.read_string((root / "setup.cfg").read_text(encoding="utf-8"))
    except (OSError, ValueError, configparser.Error):
        pass
    package_dir = [line.partition("=") for line in parser.get("options", "package_dir", fallback="").splitlines()]
    found += [value.strip() for key, _, value in package_dir if not key.strip() and value.strip()]
    found += parser.get("options.packages.find", "where", fallback="").split()
    top = root.resolve()
    roots = {(top / folder).resolve() for folder in found if isinstance(folder, str) and folder}
    return sorted(path for path in roots if path.is_dir() and (path == top or top in path.parents))


def source_root(arg: Path, anchors: set[Path], namespaces: frozenset[str] = frozenset()) -> Path:
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
        # a configured package's top name wins: `igny8_core/` without `__init__.py` holding `ai/`
        and (directory.name in namespaces or not _import_root(directory))
    ):
        return directory.parent  # a namespace package named on the command line
    return directory


def _import_root(directory: Path) -> bool:
    """A folder Python imports from rather than through: it holds `manage.py` or a package (`backend/`)."""
    if (directory / "manage.py").is_file():
        return True
    try:
        return any((child / "__init__.py").is_file() for child in directory.iterdir() if child.is_dir())
    except OSError:
        return False


def module_name(path: str | os.PathLike, root: str | os.PathLike) -> tuple[str, bool]:
    """(dotted name, is a package) of `path` (a .py file) below `root`."""
    path, root = os.fspath(path), os.fspath(root)
    rel = _relative(path, root)
    if rel == path and path != root:
        raise ValueError(f"{path!r} is not below {root!r}")
    stem, _ = os.path.splitext(rel)
    parts = [part for part in stem.split(os.sep) if part]
    if parts and parts[0] == "src" and len(parts) > 1:
        parts = parts[1:]
    is_package = bool(parts) and parts[-1] == "__init__"
    if is_package:
        parts = parts[:-1]
    return ".".join(parts), is_package


def _walk(top: str | os.PathLike, errors: list[tuple[str, str]] | None = None, skip: Collection[str] = ()):
    """Every .py file under `top` as (path, directory, is a package), files before subfolders, in name order, depth
    first; symlinked folders are not followed (no loops), nor `skip`; an unreadable folder goes to `errors`."""
    stack = [os.fspath(top)]
    while stack:
        directory = stack.pop()
        try:
            with os.scandir(directory) as listing:
                entries = list(listing)
        except OSError as exc:
            if errors is not None:
                errors.append((directory, f"cannot read directory: {exc.strerror or exc}"))
            continue
        files, dirs = [], []
        package = False
        for entry in entries:
            name = entry.name
            try:
                is_dir = entry.is_dir()
            except OSError:
                is_dir = False
            if not is_dir:
                if name.endswith(".py"):
                    files.append(name)
                    if name == "__init__.py":
                        with contextlib.suppress(OSError):
                            package = entry.is_file()
            elif not _skipped_dir(name) and not entry.is_symlink():
                dirs.append(name)
        prefix = directory if directory.endswith(os.sep) else directory + os.sep  # as os.path.join joins
        for name in sorted(files):
            yield prefix + name, directory, package
        # the first in name order is popped first
        stack.extend(prefix + name for name in sorted(dirs, reverse=True) if prefix + name not in skip)


def discover(
    paths: list[str],
    exclude,
    base: Path,
    anchors: set[Path],
    *,
    references: list[str] = (),
    force_exclude: bool = False,
    namespaces: frozenset[str] = frozenset(),
    roots: list[Path] = (),
) -> Discovery:
    """The .py files under `paths` (reported unless excluded; one named directly even so, unless `force_exclude`),
    then under `references` (read only). Below a declared import root (`roots`), named from it (`src/ns/sub/m.py`)."""
    declared = sorted((str(r) + os.sep for r in roots), key=len, reverse=True)  # the deepest first
    found = Discovery()
    seen: set[str] = set()
    base = os.fspath(base)

    def add(path: str, root: str, reported: bool) -> None:
        if path in seen:
            return
        seen.add(path)
        for top in declared:
            if path.startswith(top) and (root + os.sep).startswith(top):
                root = top[:-1]  # a declared root above the package's top: namespace packages between
                break
        module, is_package = module_name(path, root)
        found.files.append(SourceFile(path, module, is_package, reported))

    walked: set[str] = set()

    @functools.cache
    def package_root(directory: str) -> str:
        """The folder above the topmost package holding `directory` (a package): its files are named from there."""
        parent = os.path.dirname(directory)
        if parent != directory and os.path.isfile(os.path.join(parent, "__init__.py")):
            return package_root(parent)
        return parent

    for raw in paths:
        arg = Path(os.path.abspath(raw))
        if not os.path.lexists(arg):
            found.missing.append((raw, "no such file or directory"))
            continue
        if arg.is_dir():
            if str(arg) in walked:
                continue  # the configured paths and the ones given often name the same folder
            walked.add(str(arg))
            root = str(source_root(arg, anchors, namespaces))
            # a namespace package named on the command line: everything in it is named from above it
            namespace = root == str(arg.parent) and not (arg / "__init__.py").is_file()
            for path, directory, package in _walk(arg, found.missing):
                module_root = package_root(directory) if package and not namespace else root
                add(path, module_root, not is_excluded(path, exclude, base))
        else:
            add(
                str(arg),
                str(source_root(arg, anchors, namespaces)),
                not (force_exclude and is_excluded(arg, exclude, base)),
            )
    for raw in references:
        arg = os.path.abspath(raw)
        if os.path.isdir(arg) and arg not in walked:
            for path, directory, package in _walk(arg, found.missing, skip=walked):
                if path not in seen:  # a file of the paths given: named already
                    add(path, package_root(directory) if package else arg, False)
    found.missing = list(dict.fromkeys(found.missing))  # a path given inside a configured one is walked twice
    return found
