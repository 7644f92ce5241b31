"""The rule registry: each rule registers once, by a kind and a code no other rule has."""

from __future__ import annotations

import pytest

from igny8_refactor.audit import checks
from igny8_refactor.audit.checks import CHECKS, Check, load_checks, register, resolve


@pytest.fixture
def registry(monkeypatch):
    load_checks()
    monkeypatch.setattr(checks, "CHECKS", dict(CHECKS))
    return checks.CHECKS


def rule(kind: str, code: str) -> type[Check]:
    return type("Rule", (Check,), {"kind": kind, "code": code, "DOCS": "    A rule.\n\n    ## What it flags\n"})


def test_a_new_rule_is_registered_by_its_kind_and_returned(registry) -> None:
    new = rule("new-rule", "IG999")
    assert register(new) is new
    assert registry["new-rule"] is new


def test_a_second_rule_of_the_same_kind_or_code_is_refused(registry) -> None:
    first, second = list(load_checks().values())[:2]
    with pytest.raises(ValueError, match=f"^duplicate check {first.kind!r}$"):
        register(rule(first.kind, "IG998"))
    with pytest.raises(ValueError, match=f"^duplicate check code {second.code!r}$"):
        register(rule("another-rule", second.code))
    assert "another-rule" not in registry and registry[first.kind] is first


def test_rules_are_resolved_by_kind_or_code_in_any_case() -> None:
    for kind, check in load_checks().items():
        assert resolve(kind) is resolve(check.code.lower()) is resolve(check.code) is CHECKS[kind]
    with pytest.raises(KeyError):
        resolve("no-such-rule")


def test_summary_is_the_title_of_the_docs_page() -> None:
    assert rule("x", "IG990").summary() == "A rule."
    assert type("Bare", (Check,), {"__doc__": "Not the summary."}).summary() == ""
    assert type("Blank", (Check,), {"DOCS": "   \n  "}).summary() == ""


def test_rules_are_listed_in_code_order_and_every_rule_module_registers_one() -> None:
    checks = load_checks()
    codes = [check.code for check in checks.values()]
    assert codes == sorted(codes)
    # one rule per module of the package, and the module is named after the rule (STYLE section 1)
    assert sorted(check.__module__ for check in checks.values()) == sorted(
        f"igny8_refactor.audit.checks.{kind.replace('-', '_')}" for kind in checks
    )


def test_an_unknown_rule_is_named_in_the_error() -> None:
    with pytest.raises(KeyError) as raised:
        resolve("IG777")
    assert raised.value.args == ("IG777",)


@pytest.mark.parametrize(
    "identifiers, model_literal, wanted",
    [
        ({"MODEL_CONFIG", "x"}, False, True),  # a configured dict name
        ({"DEFAULT_AI_MODEL"}, False, True),  # a configured fallback setting
        ({"get_model_config"}, False, True),
        ({"_default_model"}, False, True),  # by the default-model rule's pattern
        ({"DefaultModel"}, False, True),
        ({"default_models", "x_default_model"}, False, False),  # the pattern matches whole names only
        ({"x", "y"}, True, True),  # a model literal alone
        ({"x", "y"}, False, False),
        (set(), False, False),
    ],
)
def test_the_ast_level_gate_before_libcst(identifiers, model_literal, wanted) -> None:
    from igny8_refactor.audit.checks import file_rules_want
    from igny8_refactor.audit.records import ScanSettings

    settings = ScanSettings(("MODEL_CONFIG",), ("DEFAULT_AI_MODEL",), ("gpt-",))
    assert file_rules_want(identifiers, model_literal, settings) is wanted


def test_no_rule_is_named_in_the_code_around_the_rules() -> None:
    """A rule's kind, code and codemod group appear only in its own module: the core asks the registry."""
    import ast
    from pathlib import Path

    import igny8_refactor
    from igny8_refactor import audit, codemods

    names = {name for check in load_checks().values() for name in (check.kind, check.code, check.codemod) if name}
    folders = [Path(p) for package in (igny8_refactor, audit, codemods) for p in package.__path__]
    found = []
    paths = {path for folder in folders for path in folder.rglob("*.py")} - set(Path(checks.__path__[0]).rglob("*.py"))
    assert len(paths) > 30  # the core: every module of the three packages but the rules
    for path in sorted(paths):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        bodies = [node.body for node in ast.walk(tree) if isinstance(getattr(node, "body", None), list)]
        docstrings = {id(body[0].value) for body in bodies if body and isinstance(body[0], ast.Expr)}
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings:
                found += [(path.name, node.lineno, name) for name in names if name in node.value]
    assert found == []
