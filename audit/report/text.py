"""Text output, ruff style: `path:line:col: CODE message`, one finding a line (the summary is the command's)."""


def render(findings, errors, checks, root=None) -> str:
    return "".join(f"{f.path}:{f.line}:{f.column}: {f.code} {f.message}\n" for f in findings)
