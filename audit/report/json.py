"""JSON output: a list of objects with exactly the keys kind, code, path, line, column, symbol, message, fixable."""

from __future__ import annotations

import json


def render(findings, errors, checks: dict) -> str:
    return json.dumps([f.to_dict() for f in findings], indent=2) + "\n"
