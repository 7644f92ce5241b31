"""JSON output: a list of objects with exactly the keys kind, code, path, line, column, symbol, message, fixable."""

import json


def render(findings, errors, checks, root=None) -> str:
    return json.dumps([f.to_dict() for f in findings], indent=2) + "\n"
