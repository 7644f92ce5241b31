"""Reporters: the registry picks up every module of audit/report; text and json render as specified."""

from __future__ import annotations

import json
import pkgutil

from hypothesis import given, settings
from hypothesis import strategies as st

from igny8_refactor.audit import report
from igny8_refactor.audit.checks import load_checks
from igny8_refactor.audit.findings import Finding, InputError
from igny8_refactor.audit.report import load_reporters, render

ONE = Finding("a.py", 3, 5, "IG102", "settings-fallback", "django.conf.settings.DEFAULT_AI_MODEL", "message one", True)
TWO = Finding("b.py", 1, 1, "IG003", "broken-import", "pkg.m.x", "message two", False)


def test_every_module_of_the_package_is_a_format():
    modules = {info.name for info in pkgutil.iter_modules(report.__path__) if not info.name.startswith("_")}
    assert set(load_reporters()) == modules
    assert {"text", "json"} <= modules


def test_text_lines():  # the summary under them is the command line's (tests/cli/test_summaries.py)
    checks = load_checks()
    assert render("text", [ONE, TWO], [], checks) == "a.py:3:5: IG102 message one\nb.py:1:1: IG003 message two\n"
    assert render("text", [], [], checks) == ""
    assert render("text", [], [InputError("x.py", "cannot parse")], checks) == ""


def test_json_is_a_list_with_exactly_the_spec_keys():
    data = json.loads(render("json", [ONE, TWO], [InputError("x.py", "cannot parse")], load_checks()))
    assert [list(item) for item in data] == [
        ["kind", "code", "path", "line", "column", "symbol", "message", "fixable"]
    ] * 2
    assert data[1] == {
        "kind": "broken-import",
        "code": "IG003",
        "path": "b.py",
        "line": 1,
        "column": 1,
        "symbol": "pkg.m.x",
        "message": "message two",
        "fixable": False,
    }
    assert json.loads(render("json", [], [], load_checks())) == []


finding_fields = st.tuples(
    st.text(),
    st.integers(min_value=0),
    st.integers(min_value=0),
    st.text(),
    st.text(),
    st.text(),
    st.text(),
    st.booleans(),
)


@settings(max_examples=200, deadline=None)
@given(st.lists(finding_fields, max_size=4))
def test_json_is_what_json_dumps_indents(rows):
    """The reporter writes its indented list itself (json's indenting encoder is pure Python): byte for byte the same."""
    findings = [Finding(*row) for row in rows]
    assert render("json", findings, [], {}) == json.dumps([f.to_dict() for f in findings], indent=2) + "\n"
