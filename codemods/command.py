"""`RuleCodemod`: a LibCST codemod command that applies the edits of its rules to one file.

Each command in this package is one of these, named after the module that holds it; the
rules say which command applies their edits (`Check.codemod`). Run alone, as
`python -m libcst.tool codemod remove_default_model.RemoveDefaultModel PATH`, a command takes
its facts from the project around the file it runs on: the configuration nearest above it
(or the defaults, with the file's package as the project), never from this repository.
"""
from __future__ import annotations

import os
from pathlib import Path

import libcst as cst
from libcst.codemod import CodemodCommand, CodemodContext, SkipFile

_PLANS: dict[tuple[str, str], object] = {}


def _project_plan(filename: str, name: str):
    """The audit of the project around `filename`, planned for the command `name` (memoised per process)."""
    from audit.api import run_audit
    from audit.config import find_config_file, load_config
    from audit.files import source_root

    path = Path(filename).resolve()
    config_file = find_config_file(path.parent)
    if config_file is not None:
        config = load_config(config_file.parent, config_file)
        paths = [str(Path(config.root) / p) for p in config.paths]
    else:
        config = load_config(path.parent, None)
        paths = [str(source_root(path, set()))]
    key = (str(config_file or paths[0]), name)
    if key not in _PLANS:
        from audit.checks import load_checks

        kinds = {kind for kind, check in load_checks().items() if check.codemod == name}
        _PLANS[key] = (run_audit(paths, config, kinds=kinds), config)
    return _PLANS[key]


class RuleCodemod(CodemodCommand):
    """Applies, to the file it is given, the edits its rules' findings carry there."""

    DESCRIPTION = "Apply the edits of the rules this command stands for."
    NAME = ""

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        cls.NAME = cls.__module__.rsplit(".", 1)[-1]

    def __init__(self, context: CodemodContext) -> None:
        super().__init__(context)

    def transform_module_impl(self, tree: cst.Module) -> cst.Module:
        from audit.records import ScanSettings
        from codemods.pipeline import apply_plan

        filename = self.context.filename
        if not filename:
            raise SkipFile("no file name: the project around it cannot be analysed")
        audit, config = _project_plan(filename, self.NAME)
        rel = os.path.relpath(os.path.abspath(filename)).replace(os.sep, "/")
        findings = audit.plan.edits.get(rel, ())
        drops = audit.plan.drops.get(rel, ())
        for finding in audit.findings:
            if finding.path == rel and not finding.fixable and finding.note:
                self.warn(f"{finding.code} `{finding.symbol}` left as it is: {finding.note}")
        if not findings and not drops:
            raise SkipFile("nothing to fix here")
        source = next((s for s in audit.files if os.path.abspath(s.path) == os.path.abspath(filename)), None)
        if source is None:
            raise SkipFile("not part of the analysed project")
        new = apply_plan(
            tree.bytes, source.module, source.is_package, ScanSettings.from_config(config), findings, drops,
            audit.plan.imports.get(rel),
        )
        return cst.parse_module(new)
