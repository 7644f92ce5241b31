"""Edit helpers the rules share: statement templates, guards, list-item removal, `__all__` pruning."""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Sequence
from typing import TypeVar

import libcst as cst

from igny8_refactor.audit.checks import lazy_module
from igny8_refactor.audit.patterns import string_value

m = lazy_module("libcst.matchers")

T = TypeVar("T", bound=cst.CSTNode)


def parse_statements(module: cst.Module, code: str) -> list[cst.BaseStatement]:
    """Statements from `code` (written with "\\n" and 4-space indents) in `module`'s style."""
    if module.default_indent != "    ":
        code = re.sub(r"^ +", lambda spaces: module.default_indent * (len(spaces[0]) // 4), code, flags=re.MULTILINE)
    return list(cst.parse_module(code, config=module.config_for_parsing).body)


def raise_guard(module: cst.Module, test: cst.BaseExpression, message: str) -> cst.If:
    """`if not <test>:` + `raise ValueError("<message>")`, indented the module's way."""
    source = module.code_for_node(test)
    if "\n" in source or "\r" in source:
        source = f"({source.strip()})"
    quoted = '"' + message.replace("\\", "\\\\").replace('"', '\\"') + '"'
    (statement,) = parse_statements(module, f"if not {source}:\n    raise ValueError({quoted})\n")
    return statement


def _merge_after(keep: cst.BaseParenthesizableWhitespace, dropped: cst.BaseParenthesizableWhitespace):
    """Whitespace after a kept item once the item after it is gone: own-line comments stay."""
    if not isinstance(dropped, cst.ParenthesizedWhitespace):
        return keep
    comments = tuple(line for line in dropped.empty_lines if line.comment is not None)
    if isinstance(keep, cst.ParenthesizedWhitespace):
        return keep.with_changes(
            empty_lines=(*keep.empty_lines, *comments), indent=dropped.indent, last_line=dropped.last_line
        )
    # the kept item shared a line with the dropped one: take over its line break
    if dropped.first_line.comment is None:
        return dropped
    return dropped.with_changes(first_line=cst.TrailingWhitespace(), empty_lines=comments)


def remove_items(
    items: Sequence[T],
    drop: Callable[[T], bool],
    opening: cst.BaseParenthesizableWhitespace | None,
) -> tuple[list[T], cst.BaseParenthesizableWhitespace | None]:
    """The items `drop` does not select, and the new whitespace after the opening bracket (`opening`).

    Own-line comments between items stay (an `__all__`'s headings), a comment on a dropped item's line goes with
    it, a trailing comma stays.
    """
    kept: list[T] = []
    for item in items:
        comma = getattr(item, "comma", None)
        if not drop(item):
            kept.append(item)
        elif not isinstance(comma, cst.Comma):
            continue
        elif kept and isinstance(kept[-1].comma, cst.Comma):
            previous = kept[-1].comma
            merged = _merge_after(previous.whitespace_after, comma.whitespace_after)
            kept[-1] = kept[-1].with_changes(comma=previous.with_changes(whitespace_after=merged))
        elif not kept and opening is not None:
            opening = _merge_after(opening, comma.whitespace_after)
    if kept and kept[-1] is not items[-1]:
        # the new last item ends as the old last one did: with a bare trailing comma, or without
        kept[-1] = kept[-1].with_changes(comma=getattr(items[-1], "comma", cst.MaybeSentinel.DEFAULT))
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
