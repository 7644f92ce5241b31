"""A rule's visitor is a plain LibCST visitor; matcher decorators are refused when a rule is defined."""

from __future__ import annotations

import libcst.matchers as m
import pytest

from igny8_refactor.audit.rule_visitor import RuleVisitor


@pytest.mark.parametrize(
    "decorator",
    [
        m.call_if_inside(m.FunctionDef()),
        m.call_if_not_inside(m.ClassDef()),
        m.visit(m.Name()),
        m.leave(m.Name()),
    ],
    ids=["call_if_inside", "call_if_not_inside", "visit", "leave"],
)
def test_a_rule_using_a_matcher_decorator_is_refused_when_defined(decorator):
    with pytest.raises(TypeError, match="matcher decorators are not supported"):

        class Rule(RuleVisitor):  # noqa: F841 - defining it is the test
            @decorator
            def visit_Name(self, node) -> None:
                pass
