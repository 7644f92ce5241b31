"""A name in a module's `__all__` that no other module of the analysed project imports or uses.

Uses are followed through the import graph: `from m import x`, `import m` then `m.x`, a
star import whose consumer uses `x`, dotted-path strings (`"pkg.mod.x"`), and imports of
the same object from the module that defines it. An import whose only purpose is to
feed another `__all__` is not a use. Exports of packages listed in `internal` may be
pruned (fixable); any other `__all__` may be a library's public API and is only reported.
"""
from __future__ import annotations

from audit.checks import Check, register
from audit.findings import Finding


def is_internal(module: str, internal: tuple[str, ...]) -> bool:
    return any(module == pkg or module.startswith(pkg + ".") for pkg in internal)


@register
class OrphanExport(Check):
    """Name in `__all__` that nothing else in the project imports or uses.

    Dead public surface: it suggests an API that nobody relies on and keeps dead code alive.
    """

    kind, code, fixable = "orphan-export", "IG001", True
    scope = "project"
    VALID = [
        "# pkg/__init__.py\nfrom pkg.core import run\n__all__ = ['run']\n"
        "# pkg/app.py\nfrom pkg import run\nrun()",
    ]
    INVALID = [
        "# pkg/__init__.py\nfrom pkg.core import run, helper\n__all__ = ['run', 'helper']\n"
        "# pkg/app.py\nfrom pkg import run\nrun()",
    ]

    def run(self, project, config):
        for module in sorted(project.modules):
            path = project.path_of(module)
            for name, line, col in project.orphan_exports(module):
                yield Finding(
                    path=path,
                    line=line,
                    column=col,
                    code=self.code,
                    kind=self.kind,
                    symbol=f"{module}.{name}",
                    message=f"`{name}` is exported from `{module}` but nothing imports it",
                    fixable=is_internal(module, config.internal),
                )
