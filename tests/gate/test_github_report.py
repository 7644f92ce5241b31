"""`--format github`: workflow-command annotations, escaped per the workflow-command rules."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from igny8_refactor.audit.findings import Finding, InputError
from igny8_refactor.audit.report import github


def make(path="igny8_core/ai/settings.py", line=7, column=1, message="`MODEL_CONFIG` is a hardcoded model default"):
    return Finding(
        path=path,
        line=line,
        column=column,
        code="IG101",
        kind="hardcoded-model-config",
        symbol="igny8_core.ai.settings.MODEL_CONFIG",
        message=message,
        fixable=True,
    )


def unescape(text):
    return text.replace("%0A", "\n").replace("%0D", "\r").replace("%3A", ":").replace("%2C", ",").replace("%25", "%")


def parse(line):
    """Split a workflow command the way the runner does: `::name props::message`."""
    match = re.fullmatch(r"::(\w+) ([^:]*)::(.*)", line)
    assert match, line
    props = dict(item.split("=", 1) for item in match.group(2).split(","))
    return match.group(1), {k: unescape(v) for k, v in props.items()}, unescape(match.group(3))


def test_one_error_annotation_per_finding():
    out = github.render([make(line=9), make(line=7)], [], None)
    assert out.splitlines() == [
        "::error file=igny8_core/ai/settings.py,line=7,col=1,title=IG101 hardcoded-model-config"
        "::`MODEL_CONFIG` is a hardcoded model default",
        "::error file=igny8_core/ai/settings.py,line=9,col=1,title=IG101 hardcoded-model-config"
        "::`MODEL_CONFIG` is a hardcoded model default",
    ]


def test_message_escapes_percent_and_newlines_but_keeps_colons():
    out = github.render([make(message="50% of 2:\r\nmodels")], [], None)
    assert out.endswith("::50%25 of 2:%0D%0Amodels\n")


def test_properties_escape_colon_comma_and_percent():
    path = "odd:dir,name/100%.py"
    out = github.render([make(path=path)], [], None)
    assert "file=odd%3Adir%2Cname/100%25.py," in out
    name, props, message = parse(out.strip())
    assert name == "error"
    assert props == {"file": path, "line": "7", "col": "1", "title": "IG101 hardcoded-model-config"}
    assert message == "`MODEL_CONFIG` is a hardcoded model default"


def test_unreadable_files_become_error_annotations_too():
    out = github.render([], [InputError("pkg/broken.py", "cannot parse: invalid syntax (line 3)")], None)
    name, props, message = parse(out.strip())
    assert (name, props["file"], message) == ("error", "pkg/broken.py", "cannot parse: invalid syntax (line 3)")


def test_nothing_to_report_prints_nothing():
    assert github.render([], [], None) == ""


@given(
    path=st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=40),
    message=st.text(st.characters(blacklist_categories=("Cs",)), max_size=80),
)
def test_escaping_round_trips_any_path_and_message(path, message):
    (line,) = github.render([make(path=path, message=message)], [], None).split("\n")[:-1]
    name, props, got = parse(line)
    assert (name, props["file"], got) == ("error", path, message)
