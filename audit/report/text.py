"""Text output, ruff style: `path:line:col: CODE message`, one finding a line, then a summary."""
from __future__ import annotations


def render(findings, errors, checks: dict) -> str:
    lines = [f"{f.path}:{f.line}:{f.column}: {f.code} {f.message}" for f in findings]
    if findings:
        fixable = sum(1 for f in findings if f.fixable)
        noun = "finding" if len(findings) == 1 else "findings"
        lines.append(f"Found {len(findings)} {noun} ({fixable} fixable).")
    elif not errors:
        lines.append("All checks passed.")
    else:
        noun = "file" if len(errors) == 1 else "files"
        lines.append(f"No findings; {len(errors)} {noun} could not be analysed.")
    return "\n".join(lines) + "\n"
