"""JSON output: a list of objects with exactly the keys kind, code, path, line, column, symbol, message, fixable."""

from __future__ import annotations

import json
from json.encoder import encode_basestring_ascii as _string


def render(findings, errors, checks: dict) -> str:
    rows = [f.to_dict() for f in findings]
    try:
        return _indented(rows)
    except TypeError:
        return json.dumps(rows, indent=2) + "\n"


def _scalar(value) -> str:
    """A str, int or bool as `json.dumps` writes it; TypeError for anything else."""
    if value is True:
        return "true"
    if value is False:
        return "false"
    if type(value) is str:
        return _string(value)
    if type(value) is int:
        return int.__repr__(value)
    raise TypeError(type(value).__name__)


def _indented(rows: list[dict]) -> str:
    """`json.dumps(rows, indent=2) + "\\n"` for objects of scalars, byte for byte: json indents
    with its pure-Python encoder, five times slower (a warm run's report is mostly this)."""
    if not rows:
        return "[]\n"
    items = []
    for row in rows:
        fields = ",\n".join(f"    {_string(key)}: {_scalar(value)}" for key, value in row.items())
        items.append("  {\n" + fields + "\n  }" if fields else "  {}")
    return "[\n" + ",\n".join(items) + "\n]\n"
