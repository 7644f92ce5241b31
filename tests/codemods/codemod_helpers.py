"""Helpers for the codemod tests: run one command on source text, bytes in, bytes out."""
from __future__ import annotations

from pathlib import Path

import libcst as cst
from libcst.codemod import CodemodContext, SkipFile

ROOT = Path(__file__).resolve().parents[2]
TARGET = ROOT / "igny8_core" / "ai"
LEGACY = ROOT / "tests" / "fixtures" / "legacy" / "igny8_core" / "ai"


class Run:
    """The outcome of one codemod run: the new bytes, whether it skipped, its warnings."""

    def __init__(self, old: bytes, new: bytes, skipped: bool, warnings: list[str]) -> None:
        self.old, self.new, self.skipped, self.warnings = old, new, skipped, warnings

    @property
    def code(self) -> str:
        return cst.parse_module(self.new).code

    @property
    def unchanged(self) -> bool:
        return self.new == self.old


def run_codemod(command, source: str | bytes, module: str = "igny8_core.ai.settings", **kwargs) -> Run:
    data = source.encode("utf-8") if isinstance(source, str) else source
    context = CodemodContext(
        filename=f"/project/{module.replace('.', '/')}.py",
        full_module_name=module,
        full_package_name=module.rpartition(".")[0],
    )
    tree = cst.parse_module(data)
    try:
        new = command(context, **kwargs).transform_module(tree).bytes
        skipped = False
    except SkipFile:
        new, skipped = data, True
    if new != data:
        compile(new, "<rewritten>", "exec")  # the output is valid Python
        again = cst.parse_module(new)
        context2 = CodemodContext(filename=context.filename, full_module_name=module,
                                  full_package_name=context.full_package_name)
        try:
            second = command(context2, **kwargs).transform_module(again).bytes
        except SkipFile:
            second = new
        assert second == new, "a second run changed the result again"
    return Run(data, new, skipped, list(context.warnings))


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
