"""Text output, ruff style: `path:line:col: CODE message`, one finding a line.

The summary line under it (files checked, findings, baselined, suppressed) is the command
line's: it knows what was selected, baselined and suppressed.
"""

from __future__ import annotations


def render(findings, errors, checks: dict) -> str:
    return "".join(f"{f.path}:{f.line}:{f.column}: {f.code} {f.message}\n" for f in findings)
