"""Baselines: fingerprints survive line moves; only new findings count."""

from __future__ import annotations

import json
import os

import pytest

from igny8_refactor.audit.baseline import (
    BaselineError,
    fingerprints,
    load_baseline,
    new_findings,
    write_baseline,
)
from igny8_refactor.audit.findings import Finding

SOURCE = """\
MODEL_CONFIG = {"auto_cluster": {"model": "gpt-4o-mini"}}


def get_model(name):
    return MODEL_CONFIG.get(name, {}).get("model", "gpt-4.1")
"""


def finding(path, line, code="IG101", kind="hardcoded-model-config", symbol="pkg.settings.MODEL_CONFIG", column=1):
    return Finding(
        path=path,
        line=line,
        column=column,
        code=code,
        kind=kind,
        symbol=symbol,
        message=f"`{symbol.rsplit('.', 1)[-1]}` is a hardcoded model default",
        fixable=True,
    )


def findings_for(text, path="pkg/settings.py"):
    """One IG101 finding for every line of `text` that mentions MODEL_CONFIG (as the check would)."""
    return [finding(path, n) for n, line in enumerate(text.splitlines(), 1) if "MODEL_CONFIG" in line]


@pytest.fixture
def project(tmp_path, monkeypatch):
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "settings.py").write_text(SOURCE)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_write_then_load_round_trips_and_nothing_is_new(project):
    found = findings_for(SOURCE)
    assert write_baseline(found, "baseline.json") == 2
    baseline = load_baseline("baseline.json")
    assert len(baseline) == 2
    assert new_findings(found, baseline) == []


def test_baseline_file_is_sorted_stable_and_has_no_line_numbers(project):
    found = findings_for(SOURCE)
    write_baseline(found, "a.json")
    write_baseline(list(reversed(found)), "b.json")
    assert (project / "a.json").read_bytes() == (project / "b.json").read_bytes()
    document = json.loads((project / "a.json").read_text())
    assert document["version"] == 1
    entries = document["findings"]
    assert [e["path"] for e in entries] == ["pkg/settings.py", "pkg/settings.py"]
    assert all("line" not in e for e in entries)
    assert entries == sorted(entries, key=lambda e: (e["path"], e["code"], e["symbol"], e["fingerprint"]))


def test_line_moves_keep_every_fingerprint(project):
    before = findings_for(SOURCE)
    write_baseline(before, "baseline.json")
    moved = '"""Settings."""\nimport os\n\n\n' + SOURCE.replace("def get_model", "# helper\n\ndef get_model")
    (project / "pkg" / "settings.py").write_text(moved)
    after = findings_for(moved)
    assert [f.line for f in after] != [f.line for f in before]
    assert new_findings(after, load_baseline("baseline.json")) == []


def test_reindenting_the_flagged_line_keeps_its_fingerprint(project):
    before = findings_for(SOURCE)
    write_baseline(before, "baseline.json")
    reindented = SOURCE.replace("    return MODEL_CONFIG.get(name, {})", "    return  MODEL_CONFIG.get(name,  {})")
    (project / "pkg" / "settings.py").write_text(reindented)
    assert new_findings(findings_for(reindented), load_baseline("baseline.json")) == []


def test_a_new_finding_is_reported_and_old_ones_are_not(project):
    write_baseline(findings_for(SOURCE), "baseline.json")
    grown = SOURCE + "\n\ndef get_temperature(name):\n    return MODEL_CONFIG[name]['temperature']\n"
    (project / "pkg" / "settings.py").write_text(grown)
    new = new_findings(findings_for(grown), load_baseline("baseline.json"))
    assert [(f.path, f.line) for f in new] == [("pkg/settings.py", 9)]


def test_a_second_identical_line_is_new(project):
    text = "x = MODEL_CONFIG\n"
    (project / "pkg" / "settings.py").write_text(text)
    write_baseline(findings_for(text), "baseline.json")
    doubled = text + "\n" + text
    (project / "pkg" / "settings.py").write_text(doubled)
    new = new_findings(findings_for(doubled), load_baseline("baseline.json"))
    assert len(new) == 1


def test_same_line_different_code_or_symbol_has_different_fingerprints(project):
    a = finding("pkg/settings.py", 5)
    b = finding("pkg/settings.py", 5, code="IG104", kind="model-literal-default")
    c = finding("pkg/settings.py", 5, symbol="pkg.settings.get_model")
    assert len(set(fingerprints([a, b, c]))) == 3


def test_baseline_is_independent_of_the_current_directory(project, monkeypatch):
    found = findings_for(SOURCE)
    write_baseline(found, "baseline.json")
    monkeypatch.chdir(project / "pkg")
    from_inside = [finding("settings.py", f.line) for f in found]
    assert new_findings(from_inside, load_baseline(os.path.join("..", "baseline.json"))) == []


def test_write_baseline_keeps_no_temporary_file_and_replaces_atomically(project):
    (project / "baseline.json").write_text("old")
    os.chmod(project / "baseline.json", 0o640)
    write_baseline(findings_for(SOURCE), "baseline.json")
    assert sorted(p.name for p in project.iterdir()) == ["baseline.json", "pkg"]
    assert (project / "baseline.json").stat().st_mode & 0o777 == 0o640
    assert json.loads((project / "baseline.json").read_text())["findings"]


@pytest.mark.parametrize(
    "content, reason",
    [
        pytest.param(None, "cannot read baseline", id="missing-file"),
        pytest.param("{not json", "invalid JSON at line 1", id="not-json"),
        pytest.param("[]", "expected an object with a 'findings' list", id="a-list"),
        pytest.param('{"version": 9, "findings": []}', "unsupported baseline version 9", id="future-version"),
        pytest.param(
            '{"version": 1, "findings": [{"code": "IG101"}]}', "entry 1 has no 'fingerprint'", id="no-fingerprint"
        ),
    ],
)
def test_bad_baseline_file_is_a_clear_error_naming_it(project, content, reason):
    path = project / "bad.json"
    if content is not None:
        path.write_text(content)
    with pytest.raises(BaselineError) as info:
        load_baseline(path)
    message = str(info.value)
    assert message.startswith(f"{path}: ")
    assert reason in message
    assert "\n" not in message


def test_lines_are_counted_and_decoded_as_python_does(project):
    settings = project / "pkg" / "settings.py"

    def fingerprint_of_line_3(data: bytes) -> str:
        settings.write_bytes(data)
        return fingerprints([finding("pkg/settings.py", 3)])[0]

    plain = fingerprint_of_line_3("# -*- coding: utf-8 -*-\n\ny = MODEL_CONFIG['caf\xe9']\n".encode())
    # a form feed is no line break for Python, \r\n is one; a coding cookie sets the encoding
    assert fingerprint_of_line_3(b"# -*- coding: utf-8 -*-\n\x0c\ny = MODEL_CONFIG['caf\xc3\xa9']\n") == plain
    assert fingerprint_of_line_3(b"# -*- coding: utf-8 -*-\r\n\r\ny = MODEL_CONFIG['caf\xc3\xa9']\r\n") == plain
    assert fingerprint_of_line_3(b"# -*- coding: latin-1 -*-\n\ny = MODEL_CONFIG['caf\xe9']\n") == plain
    assert fingerprint_of_line_3(b"# -*- coding: utf-8 -*-\n\ny = MODEL_CONFIG['cafe']\n") != plain


def test_a_changed_flagged_line_is_new(project):
    found = findings_for(SOURCE)
    write_baseline(found, "baseline.json")
    edited = SOURCE.replace('"gpt-4o-mini"', '"gpt-4.1"')
    (project / "pkg" / "settings.py").write_text(edited)
    new = new_findings(findings_for(edited), load_baseline("baseline.json"))
    assert [f.line for f in new] == [1]
