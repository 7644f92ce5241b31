"""A module-level function nothing in the project calls or references (vulture-backed).

vulture's visitor collects the definitions and the names used in every file; on top of
that, a function whose only use is an `__all__` entry counts as unused (vulture alone
would count the entry), attribute uses are followed through the import graph (`apps.x`
on a third-party object does not keep a project function `x` alive), and decorated
functions are left alone (a decorator may register them). Names in `keep` are never
reported. Functions of `internal` packages may be removed (fixable).
"""
from __future__ import annotations

from audit.checks import Check, register
from audit.checks.orphan_export import is_internal
from audit.findings import Finding


@register
class UnusedFunction(Check):
    """Module-level function that nothing in the project calls or references.

    Dead code: it keeps old fallbacks and imports alive and misleads readers.
    """

    kind, code, fixable = "unused-function", "IG002", True
    scope = "project"
    VALID = [
        "# pkg/core.py\ndef helper():\n    return 1\n# pkg/app.py\nfrom pkg.core import helper\nhelper()",
    ]
    INVALID = [
        "# pkg/core.py\ndef helper():\n    return 1\n__all__ = ['helper']\n# pkg/app.py\nimport pkg.core",
    ]

    def run(self, project, config):
        for module in sorted(project.modules):
            path = project.path_of(module)
            for name, line, col in project.unused_functions(module, config.keep):
                yield Finding(
                    path=path,
                    line=line,
                    column=col,
                    code=self.code,
                    kind=self.kind,
                    symbol=f"{module}.{name}",
                    message=f"function `{name}` is never called or referenced",
                    fixable=is_internal(module, config.internal),
                )
