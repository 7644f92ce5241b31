"""The rule registry: each rule registers once, by a kind and a code no other rule has."""
from __future__ import annotations

import pytest

from audit import checks
from audit.checks import CHECKS, Check, load_checks, register, resolve


@pytest.fixture
def registry(monkeypatch):
    load_checks()
    monkeypatch.setattr(checks, "CHECKS", dict(CHECKS))
    return checks.CHECKS


def rule(kind: str, code: str) -> type[Check]:
    return type("Rule", (Check,), {"kind": kind, "code": code, "__doc__": "A rule.\n\nMore."})


def test_a_new_rule_is_registered_by_its_kind_and_returned(registry) -> None:
    new = rule("new-rule", "IG999")
    assert register(new) is new
    assert registry["new-rule"] is new


def test_a_second_rule_of_the_same_kind_or_code_is_refused(registry) -> None:
    with pytest.raises(ValueError, match="^duplicate check 'unused-function'$"):
        register(rule("unused-function", "IG998"))
    with pytest.raises(ValueError, match="^duplicate check code 'IG104'$"):
        register(rule("another-rule", "IG104"))
    assert "another-rule" not in registry


def test_rules_are_resolved_by_kind_or_code_in_any_case() -> None:
    assert resolve("unused-function") is resolve("ig002") is resolve("IG002") is CHECKS["unused-function"]
    with pytest.raises(KeyError):
        resolve("no-such-rule")


def test_summary_is_the_first_line_of_the_docstring() -> None:
    assert rule("x", "IG990").summary() == "A rule."
    assert type("Bare", (Check,), {"__doc__": None}).summary() == ""


def test_summary_of_a_blank_docstring_is_empty() -> None:
    assert type("Blank", (Check,), {"__doc__": "   \n  "}).summary() == ""
