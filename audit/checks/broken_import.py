"""An import of a name that the target module (inside the project) neither defines nor re-exports.

Also an import of a module that a project package does not have (`from pkg.removed import x`).

Conservative: nothing is reported when the target has a module `__getattr__`, manipulates
`globals()`, star-imports something whose names cannot be listed, or has a submodule of
that name; names bound by any module-level statement (assignments, defs, imports,
for/with targets, `del`, `global` in a function, try/except and `if TYPE_CHECKING`
branches) count as defined; imports inside try/if blocks are not checked.
"""
from __future__ import annotations

from audit.checks import Check, register
from audit.findings import Finding


@register
class BrokenImport(Check):
    """Import of a name the target project module neither defines nor re-exports.

    It fails at import time; typically left behind when a definition was removed.
    """

    kind, code, fixable = "broken-import", "IG003", False
    scope = "project"
    VALID = [
        "# pkg/core.py\ndef run():\n    pass\n# pkg/app.py\nfrom pkg.core import run",
    ]
    INVALID = [
        "# pkg/core.py\ndef run():\n    pass\n# pkg/app.py\nfrom pkg.core import get_model",
    ]

    def run(self, project, config):
        for module in sorted(project.modules):
            path = project.path_of(module)
            for target, name, line, col in project.broken_imports(module):
                yield Finding(
                    path=path,
                    line=line,
                    column=col,
                    code=self.code,
                    kind=self.kind,
                    symbol=f"{target}.{name}",
                    message=f"`{name}` is imported from `{target}`, which does not define it",
                    fixable=False,
                )
