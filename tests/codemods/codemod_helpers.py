"""Helpers for the codemod tests: write a tiny project, run the real `fix` pipeline, read the bytes back."""

from __future__ import annotations

import contextlib
import textwrap
from pathlib import Path

import libcst as cst

from igny8_refactor.audit.config import Config
from igny8_refactor.codemods.pipeline import FixResult, run_fix

ROOT = Path(__file__).resolve().parents[2]
TARGET = ROOT / "igny8_core" / "ai"
LEGACY = ROOT / "tests" / "fixtures" / "legacy" / "igny8_core" / "ai"

# the smallest tree the plan's files live in: igny8_core is internal, igny8_core.ai the AI package
PACKAGES = {"igny8_core/__init__.py": "", "igny8_core/ai/__init__.py": ""}


def dedent(text: str) -> str:
    return textwrap.dedent(text).lstrip("\n")


def write_tree(root: Path, files: dict[str, str | bytes]) -> None:
    """Write {relative path: text or bytes}; text is dedented and written as UTF-8, bytes as they are."""
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_bytes(dedent(content).encode("utf-8") if content else b"")


def fix_tree(root: Path, config: Config | None = None, *, only=(), write: bool = True) -> FixResult:
    """`run_fix` on the project in `root`, run from `root` (paths are relative to it)."""
    with contextlib.chdir(root):
        return run_fix(["."], config or Config(), only=only, use_cache=False, jobs=1, write=write, unsafe_fixes=True)


def fix_project(
    tmp_path: Path,
    files: dict[str, str | bytes],
    target: str,
    config: Config | None = None,
    *,
    only=(),
    packages: bool = True,
) -> bytes:
    """Write `files` (plus the igny8_core/ai packages) to tmp_path, fix it, return `target`'s bytes.

    The run must succeed, every result must compile, and a second `fix` must change nothing.
    """
    write_tree(tmp_path, {**(PACKAGES if packages else {}), **files})
    result = fix_tree(tmp_path, config, only=only)
    assert not result.errors, result.errors
    assert not result.failed, [(f.path, f.error) for f in result.failed]
    for changed in result.changed:
        compile(changed.new, changed.path, "exec")
    again = fix_tree(tmp_path, config, only=only)
    assert not again.changed, [f.path for f in again.changed]  # a second run changes nothing
    assert not again.errors, again.errors
    return (tmp_path / target).read_bytes()


def notes_of(tmp_path: Path, config: Config | None = None, *, only=()) -> list[str]:
    """The `note:` lines a dry run of `fix` prints for findings it leaves."""
    return fix_tree(tmp_path, config, only=only, write=False).notes


def refactored_function(name: str, path: Path = TARGET / "settings.py") -> str:
    """The source of one top-level function of a refactored (contract) file."""
    module = cst.parse_module(path.read_bytes())
    for statement in module.body:
        if isinstance(statement, cst.FunctionDef) and statement.name.value == name:
            return module.code_for_node(statement.with_changes(leading_lines=()))
    raise LookupError(name)


def legacy_source(name: str) -> bytes:
    return (LEGACY / name).read_bytes()


def target_source(name: str) -> bytes:
    return (TARGET / name).read_bytes()
