"""The edit helpers the rules share (audit/edits.py), each as before/after source pairs.

The rules' own tests run these helpers through whole files; here each one is pinned on its
own, on the layouts real code has: comments between items, trailing commas, one item per
line or all on one line, tuples with and without parentheses, tabs and two-space indents.
"""

from __future__ import annotations

import libcst as cst
import pytest

from igny8_refactor.audit.edits import (
    is_all_target,
    parse_statements,
    prune_sequence,
    raise_guard,
    remove_items,
)


def _all_value(source: str) -> tuple[cst.Module, cst.BaseExpression]:
    module = cst.parse_module(source)
    [assign] = [node for node in _nodes(module) if isinstance(node, cst.Assign)]
    return module, assign.value


def _nodes(node: cst.CSTNode):
    yield node
    for child in node.children:
        yield from _nodes(child)


class _Prune(cst.CSTTransformer):
    def __init__(self, names):
        super().__init__()
        self.names = names

    def leave_Assign(self, original_node, updated_node):
        return updated_node.with_changes(value=prune_sequence(updated_node.value, self.names))


def pruned(source: str, *names: str) -> str:
    """`source` (one `__all__ = ...` statement, at module level or in a block) with `names` pruned."""
    return cst.parse_module(source).visit(_Prune(set(names))).code


PRUNE = {
    "one-line list, middle": ('__all__ = ["a", "b", "c"]\n', ["b"], '__all__ = ["a", "c"]\n'),
    "one-line list, first": ('__all__ = ["a", "b", "c"]\n', ["a"], '__all__ = ["b", "c"]\n'),
    "one-line list, last": ('__all__ = ["a", "b", "c"]\n', ["c"], '__all__ = ["a", "b"]\n'),
    "one-line list, trailing comma, last": ('__all__ = ["a", "b",]\n', ["b"], '__all__ = ["a",]\n'),
    "one-line list, everything": ('__all__ = ["a", "b"]\n', ["a", "b"], "__all__ = []\n"),
    "one-line list, nothing listed": ('__all__ = ["a", "b"]\n', ["z"], '__all__ = ["a", "b"]\n'),
    "single quotes and a concatenated string": ("__all__ = ['a', 'b' 'c', 'd']\n", ["bc"], "__all__ = ['a', 'd']\n"),
    "a non-string element stays": ('__all__ = ["a", NAME, "b"]\n', ["a", "NAME"], '__all__ = [NAME, "b"]\n'),
    "one per line, trailing comma": (
        '__all__ = [\n    "a",\n    "b",\n    "c",\n]\n',
        ["b"],
        '__all__ = [\n    "a",\n    "c",\n]\n',
    ),
    "one per line, the last goes": (
        '__all__ = [\n    "a",\n    "b",\n]\n',
        ["b"],
        '__all__ = [\n    "a",\n]\n',
    ),
    "one per line, the first goes": (
        '__all__ = [\n    "a",\n    "b",\n]\n',
        ["a"],
        '__all__ = [\n    "b",\n]\n',
    ),
    "one per line, no trailing comma, the last goes": (
        '__all__ = [\n    "a",\n    "b"\n]\n',
        ["b"],
        '__all__ = [\n    "a"\n]\n',
    ),
    "own-line comments (headings) stay": (
        '__all__ = [\n    # Registry\n    "a",\n    # Engine\n    "b",\n    "c",\n]\n',
        ["b"],
        '__all__ = [\n    # Registry\n    "a",\n    # Engine\n    "c",\n]\n',
    ),
    "a heading above the first, which goes": (
        '__all__ = [\n    # Registry\n    "a",\n    "b",\n]\n',
        ["a"],
        '__all__ = [\n    # Registry\n    "b",\n]\n',
    ),
    "a comment on the dropped item's line goes with it": (
        '__all__ = [\n    "a",\n    "b",  # deprecated\n    "c",\n]\n',
        ["b"],
        '__all__ = [\n    "a",\n    "c",\n]\n',
    ),
    "a comment on the kept item's line stays": (
        '__all__ = [\n    "a",  # keep me\n    "b",\n    "c",\n]\n',
        ["b"],
        '__all__ = [\n    "a",  # keep me\n    "c",\n]\n',
    ),
    "two on a line, the second goes": (
        '__all__ = [\n    "a", "b",\n    "c",\n]\n',
        ["b"],
        '__all__ = [\n    "a",\n    "c",\n]\n',
    ),
    "two on a line, the second goes and its comment": (
        '__all__ = [\n    "a", "b",  # old\n    "c",\n]\n',
        ["b"],
        '__all__ = [\n    "a",\n    "c",\n]\n',
    ),
    "two on a line, the second goes, a blank line after stays": (
        '__all__ = [\n    "a", "b",\n\n    "c",\n]\n',
        ["b"],
        '__all__ = [\n    "a",\n\n    "c",\n]\n',
    ),
    "two on a line, the second goes with its comment, a heading after stays, a blank line goes": (
        '__all__ = [\n    "a", "b",  # old\n\n    # heading\n    "c",\n]\n',
        ["b"],
        '__all__ = [\n    "a",\n    # heading\n    "c",\n]\n',
    ),
    "the first goes, the heading above the next stays": (
        '__all__ = [\n    "a",\n    # B\n    "b",\n]\n',
        ["a"],
        '__all__ = [\n    # B\n    "b",\n]\n',
    ),
    "the next item keeps its own indentation": (
        '__all__ = [\n    "a",\n        "b",\n    "c",\n]\n',
        ["b"],
        '__all__ = [\n    "a",\n    "c",\n]\n',
    ),
    "in an indented block, the middle goes": (
        'if True:\n    __all__ = [\n        "a",\n        "b",\n        "c",\n    ]\n',
        ["b"],
        'if True:\n    __all__ = [\n        "a",\n        "c",\n    ]\n',
    ),
    "parenthesised tuple": ('__all__ = ("a", "b", "c")\n', ["a", "c"], '__all__ = ("b",)\n'),
    "parenthesised tuple, one left keeps its comma": ('__all__ = ("a", "b")\n', ["b"], '__all__ = ("a",)\n'),
    "parenthesised tuple, everything": ('__all__ = ("a", "b")\n', ["a", "b"], "__all__ = ()\n"),
    "doubly parenthesised tuple": ('__all__ = (("a", "b"))\n', ["a"], '__all__ = (("b",))\n'),
    "parenthesised tuple, the first goes, the heading above the next stays": (
        '__all__ = (\n    "a",\n    # B\n    "b",\n)\n',
        ["a"],
        '__all__ = (\n    # B\n    "b",\n)\n',
    ),
    "parenthesised tuple, one per line": (
        '__all__ = (\n    "a",\n    "b",\n)\n',
        ["a"],
        '__all__ = (\n    "b",\n)\n',
    ),
    "bare tuple": ('__all__ = "a", "b", "c"\n', ["b"], '__all__ = "a", "c"\n'),
    "bare tuple, everything": ('__all__ = "a", "b"\n', ["a", "b"], "__all__ = ()\n"),
    "bare tuple, nothing listed": ('__all__ = "a", "b"\n', ["z"], '__all__ = "a", "b"\n'),
    "a sum of lists": ('__all__ = ["a", "b"] + ["c", "d"]\n', ["b", "c"], '__all__ = ["a"] + ["d"]\n'),
    "a sum with a name": ('__all__ = other.__all__ + ["c", "d"]\n', ["d"], '__all__ = other.__all__ + ["c"]\n'),
    "not a sum": ('__all__ = ["a"] * 2\n', ["a"], '__all__ = ["a"] * 2\n'),
    "a name": ("__all__ = NAMES\n", ["NAMES"], "__all__ = NAMES\n"),
}


@pytest.mark.parametrize("source, names, expected", PRUNE.values(), ids=PRUNE.keys())
def test_prune_sequence(source, names, expected):
    assert pruned(source, *names) == expected


def test_prune_sequence_returns_the_same_node_when_nothing_is_listed():
    for source in ('__all__ = ["a", "b"]\n', '__all__ = ("a", "b")\n', '__all__ = "a", "b"\n'):
        _, value = _all_value(source)
        assert prune_sequence(value, {"z"}) is value


def _import_names(source: str, gone: set[str]) -> str:
    """`from x import ...` with the names `gone` removed by remove_items (as the import pruning does)."""
    module = cst.parse_module(source)
    statement = module.body[0]
    node = statement.body[0]
    opening = node.lpar.whitespace_after if isinstance(node.lpar, cst.LeftParen) else None
    names, opening = remove_items(node.names, lambda alias: alias.name.value in gone, opening)
    changes = {"names": names}
    if opening is not None:
        changes["lpar"] = node.lpar.with_changes(whitespace_after=opening)
    else:
        names[-1] = names[-1].with_changes(comma=cst.MaybeSentinel.DEFAULT)
    return module.with_changes(body=[statement.with_changes(body=[node.with_changes(**changes)])]).code


IMPORTS = {
    "one line": ("from x import a, b, c\n", {"b"}, "from x import a, c\n"),
    "one line, the last": ("from x import a, b, c\n", {"c"}, "from x import a, b\n"),
    "parenthesised, one per line": (
        "from x import (\n    a,\n    b,\n    c,\n)\n",
        {"a"},
        "from x import (\n    b,\n    c,\n)\n",
    ),
    "parenthesised, the first goes with its comment, a heading stays": (
        "from x import (  # names\n    # first\n    a,  # old\n    b,\n)\n",
        {"a"},
        "from x import (  # names\n    # first\n    b,\n)\n",
    ),
    "parenthesised, no trailing comma, the last goes": (
        "from x import (\n    a,\n    b\n)\n",
        {"b"},
        "from x import (\n    a\n)\n",
    ),
}


@pytest.mark.parametrize("source, gone, expected", IMPORTS.values(), ids=IMPORTS.keys())
def test_remove_items_keeps_the_layout_of_an_import(source, gone, expected):
    assert _import_names(source, gone) == expected


def test_remove_items_returns_the_opening_untouched_when_the_first_is_kept():
    module = cst.parse_module("from x import (\n    a,\n    b,\n)\n")
    node = module.body[0].body[0]
    opening = node.lpar.whitespace_after
    names, new_opening = remove_items(node.names, lambda alias: alias.name.value == "b", opening)
    assert new_opening is opening
    assert [alias.name.value for alias in names] == ["a"]


def test_remove_items_of_nothing_and_everything():
    module = cst.parse_module("from x import a, b\n")
    node = module.body[0].body[0]
    same, _ = remove_items(node.names, lambda alias: False, None)
    assert same == list(node.names) and all(a is b for a, b in zip(same, node.names))
    none, _ = remove_items(node.names, lambda alias: True, None)
    assert none == []


PARSE = {
    "four spaces": ("    ", "if x:\n    y = 1\n", "if x:\n    y = 1\n"),
    "two spaces": ("  ", "if x:\n    y = 1\n    if z:\n        w = 2\n", "if x:\n  y = 1\n  if z:\n    w = 2\n"),
    "tabs": ("\t", "if x:\n    y = 1\n", "if x:\n\ty = 1\n"),
    "tabs, a continuation line": ("\t", "x = f(\n    1,\n)\n", "x = f(\n\t1,\n)\n"),
    "two spaces, a nested continuation line": (
        "  ",
        "if x:\n    y = f(\n        1,\n    )\n",
        "if x:\n  y = f(\n    1,\n  )\n",
    ),
}


@pytest.mark.parametrize("indent, code, expected", PARSE.values(), ids=PARSE.keys())
def test_parse_statements_in_the_modules_indent(indent, code, expected):
    module = cst.parse_module(f"if a:\n{indent}b = 1\n")
    assert module.default_indent == indent
    statements = parse_statements(module, code)
    assert cst.Module(body=statements, default_indent=indent).code == expected


def test_parse_statements_in_the_modules_newline():
    module = cst.parse_module("a = 1\r\nb = 2\r\n")
    statements = parse_statements(module, "x = 1\ny = 2\n")
    assert len(statements) == 2
    assert module.with_changes(body=statements).code == "x = 1\r\ny = 2\r\n"


def _guard(module_source: str, test: str, message: str) -> str:
    module = cst.parse_module(module_source)
    expression = cst.parse_expression(test)
    return module.with_changes(body=[raise_guard(module, expression, message)]).code


GUARDS = {
    "a name": (
        "x = 1\n",
        "account",
        "Account is required.",
        'if not account:\n    raise ValueError("Account is required.")\n',
    ),
    "an attribute, two-space module": (
        "if a:\n  b = 1\n",
        "self.account",
        "no account",
        'if not self.account:\n  raise ValueError("no account")\n',
    ),
    "quotes and backslashes escaped": (
        "x = 1\n",
        "account",
        'the "account" \\ id',
        'if not account:\n    raise ValueError("the \\"account\\" \\\\ id")\n',
    ),
    "a test over several lines is parenthesised": (
        "x = 1\n",
        "f(a,\n b)",
        "m",
        'if not (f(a,\n b)):\n    raise ValueError("m")\n',
    ),
}


@pytest.mark.parametrize("module_source, test, message, expected", GUARDS.values(), ids=GUARDS.keys())
def test_raise_guard(module_source, test, message, expected):
    assert _guard(module_source, test, message) == expected


def test_is_all_target():
    assert is_all_target(cst.Name("__all__"))
    assert not is_all_target(cst.Name("__all"))
    assert not is_all_target(cst.parse_expression("x.__all__"))
