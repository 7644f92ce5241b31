"""`RuleCodemod`: the LibCST codemod command applying the edits of the rules it is given to one file.

`python -m libcst.tool codemod command.RuleCodemod --rule IG103 PATH`: the facts come from the project around
the file, found as `fix` finds it; a configuration error skips the file with one line naming it.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path

import libcst as cst
from libcst.codemod import CodemodCommand, CodemodContext, SkipFile

from igny8_refactor.audit.api import run_audit
from igny8_refactor.audit.checks import select_fixes
from igny8_refactor.audit.config import ConfigError, load_project_config
from igny8_refactor.audit.records import ScanSettings
from igny8_refactor.codemods.pipeline import apply_fixes

_PLANS: dict[tuple[str, frozenset[str]], object] = {}


def _project_plan(filename: str, kinds: frozenset[str]):
    """The audit of the project around `filename`, planned for the rules `kinds` (memoised per process)."""
    try:
        config = load_project_config([filename])  # the project is found as `fix` finds it
        key = (config.root, kinds)
        if key not in _PLANS:
            paths = [str(Path(config.root) / p) for p in config.paths]
            _PLANS[key] = (run_audit(paths, config, kinds=set(kinds)), config)
    except ConfigError as exc:
        raise SkipFile(f"configuration error: {exc}") from None
    return _PLANS[key]


def _rule(name: str) -> str:
    try:
        select_fixes([name])
    except KeyError:
        raise argparse.ArgumentTypeError(f"unknown rule {name!r} (see `igny8-refactor list`)") from None
    return name


class RuleCodemod(CodemodCommand):
    """Applies, to the file it is given, the edits the selected rules' findings carry there."""

    DESCRIPTION = "Apply the fixes of the selected rules (--rule CODE, repeatable; default: every fixable rule)."

    @staticmethod
    def add_args(arg_parser: argparse.ArgumentParser) -> None:
        arg_parser.add_argument(
            "--rule",
            dest="rules",
            action="append",
            default=None,
            metavar="CODE",
            type=_rule,
            help="A rule whose fix to apply: code, kind or codemod group (repeatable; default: every fixable rule).",
        )

    def __init__(self, context: CodemodContext, rules: list[str] | None = None) -> None:
        super().__init__(context)
        self.kinds = frozenset(select_fixes(rules or ()))

    def transform_module_impl(self, tree: cst.Module) -> cst.Module:
        filename = self.context.filename
        if not filename:
            raise SkipFile("no file name: the project around it cannot be analysed")
        audit, config = _project_plan(filename, self.kinds)
        rel = os.path.relpath(os.path.abspath(filename)).replace(os.sep, "/")
        findings = audit.fixes.edits.get(rel, ())
        drops = audit.fixes.drops.get(rel, ())
        for finding in audit.findings:
            if finding.path == rel and not finding.fixable and finding.note:
                self.warn(f"{finding.code} `{finding.symbol}` left as it is: {finding.note}")
        if not findings and not drops:
            raise SkipFile("nothing to fix here")
        source = next((s for s in audit.files if os.path.abspath(s.path) == os.path.abspath(filename)), None)
        if source is None:
            raise SkipFile("not part of the analysed project")
        settings = ScanSettings.from_config(config)
        new = apply_fixes(
            tree.bytes, source.module, source.is_package, settings, findings, drops, audit.fixes.imports.get(rel)
        )
        return cst.parse_module(new)
