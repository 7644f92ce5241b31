"""The per-file rules share one LibCST traversal: each visitor sees exactly what its own would."""
from __future__ import annotations

import contextlib
from pathlib import Path

import libcst as cst
import libcst.matchers as m
import pytest
from libcst.metadata import MetadataWrapper, PositionProvider

from audit.patterns import RuleVisitor, _AllRules

REPO = Path(__file__).resolve().parents[2]

SOURCE = """\
import os
from a import b as c

def f(x, y=1):
    def g():
        return os.sep
    return [g() for _ in range(x)]

class K:
    def m(self):
        if self:
            return c
"""


class Recorder(cst.CSTVisitor):
    """Records every call; returns False (skip the children) on the node types in `skip`."""

    METADATA_DEPENDENCIES = (PositionProvider,)

    def __init__(self, skip=(), attributes=False):
        super().__init__()
        self.skip = skip
        self.attributes = attributes
        self.events: list[tuple] = []

    def where(self, node):
        pos = self.get_metadata(PositionProvider, node).start
        return type(node).__name__, pos.line, pos.column

    def on_visit(self, node):
        self.events.append(("visit", *self.where(node)))
        return not isinstance(node, self.skip)

    def on_leave(self, original_node):
        self.events.append(("leave", *self.where(original_node)))

    def on_visit_attribute(self, node, attribute):
        if self.attributes:
            self.events.append(("visit-attr", type(node).__name__, attribute))

    def on_leave_attribute(self, original_node, attribute):
        if self.attributes:
            self.events.append(("leave-attr", type(original_node).__name__, attribute))


class WithHooks(Recorder):
    def visit_FunctionDef_body(self, node):  # an attribute hook of its own
        pass


def alone(make):
    visitor = make()
    MetadataWrapper(cst.parse_module(SOURCE)).visit(visitor)
    return visitor.events


@pytest.mark.parametrize("skips", [
    ((), ()),
    ((cst.FunctionDef,), ()),
    ((cst.ClassDef, cst.Name), (cst.FunctionDef,)),
    ((cst.Module,), (cst.Return,)),
], ids=["none", "one-skips-functions", "both-skip", "one-skips-everything"])
def test_each_visitor_sees_what_its_own_traversal_would(skips):
    makers = [lambda s=s: Recorder(s) for s in skips] + [lambda: WithHooks(attributes=True), lambda: Recorder(attributes=True)]
    expected = [alone(make) for make in makers]
    visitors = [make() for make in makers]
    wrapper = MetadataWrapper(cst.parse_module(SOURCE))
    with contextlib.ExitStack() as stack:
        for visitor in visitors:
            stack.enter_context(visitor.resolve(wrapper))
        wrapper.visit(_AllRules(visitors))
    for visitor, events in zip(visitors, expected):
        assert visitor.events == events
    assert any(e[0] == "visit-attr" for e in visitors[-1].events)  # attribute calls reached it too
    assert any(e[0] == "visit-attr" for e in visitors[-2].events)


@pytest.mark.parametrize("decorator", [
    m.call_if_inside(m.FunctionDef()), m.call_if_not_inside(m.ClassDef()), m.visit(m.Name()), m.leave(m.Name()),
], ids=["call_if_inside", "call_if_not_inside", "visit", "leave"])
def test_a_rule_using_a_matcher_decorator_is_refused_when_defined(decorator):
    with pytest.raises(TypeError, match="matcher decorators are not supported"):
        class Rule(RuleVisitor):  # noqa: F841 - defining it is the test
            @decorator
            def visit_Name(self, node) -> None:
                pass


@pytest.mark.parametrize("path", sorted(
    str(p.relative_to(REPO)) for p in (REPO / "examples/checkout/igny8_core/ai").rglob("*.py")
) + ["audit/patterns.py", "codemods/pipeline.py"])
def test_parents_are_libcst_s(path):
    from libcst.metadata import ParentNodeProvider

    from audit.patterns import ParentProvider

    wrapper = MetadataWrapper(cst.parse_module((REPO / path).read_text()))
    ours, theirs = wrapper.resolve(ParentProvider), wrapper.resolve(ParentNodeProvider)
    assert len(ours) == len(theirs) > 10
    assert all(ours[node] is parent for node, parent in theirs.items())
