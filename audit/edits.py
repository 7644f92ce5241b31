"""Edit helpers the rules share: statement templates, guards, list-item removal, `__all__` pruning."""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from typing import TypeVar

import libcst as cst

from igny8_refactor.audit.checks import lazy_module
from igny8_refactor.audit.patterns import string_value

m = lazy_module("libcst.matchers")

T = TypeVar("T", bound=cst.CSTNode)


def parse_statements(module: cst.Module, code: str) -> list[cst.BaseStatement]:
    """Statements from `code` (written with "\\n" and 4-space indents) in `module`'s style."""
    indent = module.default_indent
    if indent != "    ":
        lines = []
        for line in code.split("\n"):
            stripped = line.lstrip(" ")
            depth = (len(line) - len(stripped)) // 4
            lines.append(indent * depth + stripped)
        code = "\n".join(lines)
    parsed = cst.parse_module(code, config=module.config_for_parsing)
    return list(parsed.body)


def raise_guard(module: cst.Module, test: cst.BaseExpression, message: str) -> cst.If:
    """`if not <test>:` + `raise ValueError("<message>")`, indented the module's way."""
    source = module.code_for_node(test)
    if "\n" in source or "\r" in source:
        source = f"({source.strip()})"
    quoted = '"' + message.replace("\\", "\\\\").replace('"', '\\"') + '"'
    (statement,) = parse_statements(module, f"if not {source}:\n    raise ValueError({quoted})\n")
    assert isinstance(statement, cst.If)
    return statement


def _merge_after(keep: cst.BaseParenthesizableWhitespace, dropped: cst.BaseParenthesizableWhitespace):
    """Whitespace after a kept item once the item after it is gone: own-line comments stay."""
    if not isinstance(dropped, cst.ParenthesizedWhitespace):
        return keep
    if not isinstance(keep, cst.ParenthesizedWhitespace):
        # the kept item shared a line with the dropped one: take over its line break
        return (
            dropped.with_changes(
                first_line=cst.TrailingWhitespace(),
                empty_lines=tuple(line for line in dropped.empty_lines if line.comment is not None),
            )
            if dropped.first_line.comment is not None
            else dropped
        )
    return keep.with_changes(
        empty_lines=(*keep.empty_lines, *(line for line in dropped.empty_lines if line.comment is not None)),
        indent=dropped.indent,
        last_line=dropped.last_line,
    )


def remove_items(
    items: Sequence[T],
    drop: Callable[[T], bool],
    opening: cst.BaseParenthesizableWhitespace | None,
) -> tuple[list[T], cst.BaseParenthesizableWhitespace | None]:
    """Remove the items `drop` selects from a comma-separated sequence, keeping layout.

    Own-line comments between items stay where they were (the "# Registry" headings of
    an `__all__`); a comment on a dropped item's own line goes with it; a trailing comma
    stays a trailing comma. `opening` is the whitespace after the opening bracket.
    """
    kept: list[T] = []
    for item in items:
        if not drop(item):
            kept.append(item)
            continue
        comma = getattr(item, "comma", cst.MaybeSentinel.DEFAULT)
        after = comma.whitespace_after if isinstance(comma, cst.Comma) else None
        if after is None:
            continue
        if kept:
            prev = kept[-1]
            prev_comma = prev.comma
            if isinstance(prev_comma, cst.Comma):
                kept[-1] = prev.with_changes(
                    comma=prev_comma.with_changes(whitespace_after=_merge_after(prev_comma.whitespace_after, after))
                )
        elif opening is not None:
            opening = _merge_after(opening, after)
    if kept and len(kept) < len(items):
        last_original = items[-1]
        last_kept = kept[-1]
        original_comma = getattr(last_original, "comma", cst.MaybeSentinel.DEFAULT)
        if last_kept is not last_original:
            if isinstance(original_comma, cst.Comma):
                # trailing-comma style: the new last item keeps a bare trailing comma
                kept[-1] = last_kept.with_changes(comma=original_comma)
            else:
                kept[-1] = last_kept.with_changes(comma=cst.MaybeSentinel.DEFAULT)
    return kept, opening


def prune_sequence(value: cst.BaseExpression, names: Collection[str]) -> cst.BaseExpression:
    """`value` (a list/tuple of strings, or a `+` of them, as `__all__` holds) without `names`."""

    def listed(element) -> bool:
        return isinstance(element, cst.Element) and string_value(element.value) in names

    if isinstance(value, cst.List):
        elements, opening = remove_items(value.elements, listed, value.lbracket.whitespace_after)
        if len(elements) == len(value.elements):
            return value
        if not elements:  # `__all__ = []`, not a bracket, a blank line and a bracket
            return value.with_changes(elements=(), lbracket=cst.LeftSquareBracket(), rbracket=cst.RightSquareBracket())
        return value.with_changes(elements=elements, lbracket=value.lbracket.with_changes(whitespace_after=opening))
    if isinstance(value, cst.Tuple):
        opening = value.lpar[0].whitespace_after if value.lpar else None
        elements, opening = remove_items(value.elements, listed, opening)
        if len(elements) == len(value.elements):
            return value
        if len(elements) == 1 and elements[0].comma == cst.MaybeSentinel.DEFAULT:
            elements = [elements[0].with_changes(comma=cst.Comma())]
        if not elements:
            return cst.Tuple(elements=(), lpar=[cst.LeftParen()], rpar=[cst.RightParen()])
        changes = {"elements": elements}
        if value.lpar:
            changes["lpar"] = [value.lpar[0].with_changes(whitespace_after=opening), *value.lpar[1:]]
        return value.with_changes(**changes)
    if isinstance(value, cst.BinaryOperation) and isinstance(value.operator, cst.Add):
        return value.with_changes(left=prune_sequence(value.left, names), right=prune_sequence(value.right, names))
    return value


def is_all_target(node: cst.CSTNode) -> bool:
    return m.matches(node, m.Name("__all__"))
