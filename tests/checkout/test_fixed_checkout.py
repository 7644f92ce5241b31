"""
The plan's refactoring on a realistic legacy checkout (examples/checkout) and its variants.

For every variant (formatting, CRLF, aliased imports, relative imports, a subfolder
layout with and without configuration) the legacy tree is copied to a temporary
directory and `igny8-refactor fix` runs on it (the installed console script, in a
subprocess; the audits and the second runs, the same command line inside the test process).
Then, each in its own test:

- the legacy form itself runs, and the runtime checks observe the legacy behaviour
  there (so the same checks are meaningful: they tell the two forms apart);
- the legacy audit reports the plan's targets and nothing outside them;
- after `fix`, Django starts with the AI package installed and every runtime check of
  the plan passes (tests/checkout/runtime_checks.py, in a fresh interpreter);
- `audit --format json` afterwards reports exactly what the plan leaves to a person,
  each finding not fixable;
- a second `fix` changes nothing (`fix --check` exits 0 and `fix` writes nothing);
- every file outside the AI package's five plan files is byte-identical, and the
  newline style of the five is kept.

The checkout with the plan applied by hand (tests/checkout/refactored) gets the same
leftover findings and no change from `fix`; with the leftovers handled as well
(tests/checkout/resolved) the audit reports nothing.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
import checkout_variants as cv  # noqa: E402
from runtime_checks import LEGACY_DIFFERENCES, MARKER, fixed_expected  # noqa: E402
from tool_runner import run_tool  # noqa: E402

HERE = Path(__file__).resolve().parent
RUNTIME_CHECKS = HERE / "runtime_checks.py"
BIN = Path(sys.executable).parent
TOOL = str(BIN / "igny8-refactor") if (BIN / "igny8-refactor").exists() else shutil.which("igny8-refactor")
IMAGE_FUNCTION = "igny8_core/ai/functions/generate_images.py"
IMAGE_DEFAULT = "config.get('image_model', 'dall-e-3')"
SKIP_PARTS = {"__pycache__", ".igny8_refactor_cache", ".pytest_cache"}


# -- helpers ----------------------------------------------------------------------------


def tool(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    """The installed console script, in a subprocess."""
    assert TOOL, "the igny8-refactor console script is not installed next to this interpreter"
    return subprocess.run([TOOL, *args], cwd=cwd, capture_output=True, text=True, timeout=600)


def in_process(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    """The same command line run inside this process (tests/tool_runner.py)."""
    return run_tool(*args, cwd=cwd)


def snapshot(root: Path) -> dict[str, bytes]:
    """Every file under root (relative posix path -> bytes), caches and databases left out."""
    files = {}
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root)
        if path.is_file() and not SKIP_PARTS & set(rel.parts) and path.suffix not in (".pyc", ".sqlite3"):
            files[rel.as_posix()] = path.read_bytes()
    return files


def changed(before: dict[str, bytes], after: dict[str, bytes]) -> list[str]:
    return sorted(k for k in before.keys() | after.keys() if before.get(k) != after.get(k))


def run_checks(project: Path, db: Path) -> dict:
    """Run tests/checkout/runtime_checks.py on a project in a fresh interpreter; its observations."""
    env = {k: v for k, v in os.environ.items() if k not in ("DJANGO_SETTINGS_MODULE", "PYTHONPATH")}
    env.update(IGNY8_DB_PATH=str(db), LOG_LEVEL="CRITICAL", PYTHONDONTWRITEBYTECODE="1")
    result = subprocess.run(
        [sys.executable, str(RUNTIME_CHECKS), str(project)],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    lines = [line for line in result.stdout.splitlines() if line.startswith(MARKER)]
    assert result.returncode == 0 and lines, result.stdout[-3000:] + result.stderr[-3000:]
    return json.loads(lines[-1][len(MARKER) :])


def audit_json(root: Path) -> tuple[int, list[dict], str]:
    result = in_process("audit", "--format", "json", "--no-cache", cwd=root)
    try:
        findings = json.loads(result.stdout) if result.stdout.strip() else None
    except ValueError:
        findings = None
    return result.returncode, findings, result.stderr


def line_of(path: Path, text: str) -> int:
    lines = path.read_bytes().decode("utf-8").splitlines()
    hits = [n for n, line in enumerate(lines, start=1) if text in line]
    assert len(hits) == 1, f"{path}: {text!r} found on lines {hits}"
    return hits[0]


def show(findings) -> str:
    if findings is None:
        return "<no JSON>"
    return (
        "\n".join(
            f"{f['path']}:{f['line']}: {f['code']} {f['kind']} {f['symbol']} fixable={f['fixable']} {f['message']}"
            for f in findings
        )
        or "<none>"
    )


# -- expected behaviour (the plan's, in runtime_checks.py; the legacy form's differences) ------


def legacy_expected(ids: dict) -> dict:
    return {**fixed_expected(ids), **LEGACY_DIFFERENCES}


def expected_leftovers(variant: cv.Variant) -> list[tuple]:
    """What the plan leaves to a person, as (code, kind, path, line, fixable)."""
    image = variant.prefix + IMAGE_FUNCTION
    return [
        # the image model default: generate_images is not one of the plan's five files
        ("IG104", "model-literal-default", image, line_of(variant.root / image, IMAGE_DEFAULT), False),
    ]


def leftover_keys(findings: list[dict]) -> list[tuple]:
    return sorted((f["code"], f["kind"], f["path"], f["line"], f["fixable"]) for f in findings)


# -- one run per variant ----------------------------------------------------------------------


@dataclass
class Run:
    variant: cv.Variant
    legacy_checks: dict
    legacy_audit: tuple
    before: dict
    fix: subprocess.CompletedProcess
    after: dict
    fixed_checks: dict
    audit_after: tuple
    check_again: subprocess.CompletedProcess
    fix_again: subprocess.CompletedProcess
    after_again: dict


@pytest.fixture(scope="module", params=cv.VARIANTS)
def run(request, tmp_path_factory) -> Run:
    name = request.param
    base = tmp_path_factory.mktemp(name)
    legacy = cv.build(name, base / "legacy")
    legacy_checks = run_checks(legacy.project, base / "legacy.sqlite3")

    variant = cv.build(name, base / "work")
    legacy_audit = audit_json(variant.root)
    before = snapshot(variant.root)
    fix = tool("fix", "--no-cache", cwd=variant.root)  # configured paths, or the whole repository
    after = snapshot(variant.root)
    fixed_copy = base / "fixed"
    shutil.copytree(variant.root, fixed_copy, ignore=cv.IGNORE)
    fixed_checks = run_checks(fixed_copy / variant.prefix, base / "fixed.sqlite3")
    audit_after = audit_json(variant.root)
    check_again = in_process("fix", "--check", "--no-cache", cwd=variant.root)
    fix_again = in_process("fix", "--no-cache", cwd=variant.root)
    after_again = snapshot(variant.root)
    return Run(
        variant,
        legacy_checks,
        legacy_audit,
        before,
        fix,
        after,
        fixed_checks,
        audit_after,
        check_again,
        fix_again,
        after_again,
    )


def diff_of(run: Run, rel: str) -> str:
    import difflib

    old = run.before.get(rel, b"").decode("utf-8", "replace").splitlines(keepends=True)
    new = run.after.get(rel, b"").decode("utf-8", "replace").splitlines(keepends=True)
    return "".join(difflib.unified_diff(old, new, "a/" + rel, "b/" + rel))[:4000]


# -- the tests -------------------------------------------------------------------------------


def test_legacy_form_runs_and_the_checks_tell_the_forms_apart(run: Run) -> None:
    observed = run.legacy_checks
    ids = observed.pop("account_ids", None)
    assert observed.get("django_setup") == "ok", observed.get("traceback", observed)
    assert observed == legacy_expected(ids)
    fixed = fixed_expected(ids)
    assert [k for k in fixed if fixed[k] != observed[k]] == sorted(LEGACY_DIFFERENCES, key=list(fixed).index)


def test_legacy_audit_reports_the_plan_targets_and_nothing_outside_them(run: Run) -> None:
    status, findings, stderr = run.legacy_audit
    assert status == 1 and findings, stderr
    plan = set(run.variant.plan_files())
    image = run.variant.prefix + IMAGE_FUNCTION
    prefix = run.variant.prefix + "igny8_core/ai/"

    def symbols(path: str, code: str) -> set[str]:
        return {f["symbol"].rsplit(".", 1)[-1] for f in findings if f["path"] == prefix + path and f["code"] == code}

    problems = []
    outside = [f for f in findings if f["path"] not in plan and f["path"] != image]
    if outside:
        problems.append("findings outside the plan files:\n" + show(outside))
    if [(f["code"], f["fixable"]) for f in findings if f["path"] == image] != [("IG104", False)]:
        problems.append(f"the image model default ({image}) is not reported once as IG104, not fixable")
    unfixable = [f for f in findings if f["path"] in plan and not f["fixable"]]
    if unfixable:
        problems.append("plan-file findings marked not fixable:\n" + show(unfixable))
    # modules are named from the project root (manage.py's directory), never from a subfolder
    misnamed = [f for f in findings if f["symbol"].startswith(("backend.", "work.", "legacy."))]
    if misnamed:
        problems.append("symbols named after the folder the project sits in:\n" + show(misnamed))
    orphans = {"register_function", "list_functions", "get_model", "get_max_tokens", "get_temperature"}
    if symbols("__init__.py", "IG001") != orphans:
        problems.append(
            f"IG001 in ai/__init__.py: {sorted(symbols('__init__.py', 'IG001'))}, expected {sorted(orphans)}"
        )
    if not {"get_model", "get_max_tokens", "get_temperature"} <= symbols("settings.py", "IG002"):
        problems.append("the three dead helpers are not all reported IG002")
    if not symbols("settings.py", "IG101"):
        problems.append("MODEL_CONFIG is not reported IG101")
    # get_model(), get_max_tokens(), get_temperature() call get_model_config() with no account at all (SPEC 4)
    no_account = [f for f in findings if f["path"] == prefix + "settings.py" and f["code"] == "IG105"]
    if len(no_account) != 3:
        problems.append(f"{len(no_account)} IG105 for the 3 get_model_config(function_name) calls without any account")
    if not (symbols("ai_core.py", "IG102") and symbols("ai_core.py", "IG103")):
        problems.append("ai_core.py: the settings fallback / _default_model not reported")
    if [f["code"] for f in findings if f["path"] == prefix + "engine.py"] != ["IG105"]:
        problems.append("engine.py: expected exactly one IG105")
    guards = [(f["code"], f["symbol"].rsplit(".", 1)[-1]) for f in findings if f["path"] == prefix + "tasks.py"]
    if guards != [("IG105", "run_ai_task")]:
        problems.append(
            f"tasks.py: {guards}, expected only the run_ai_task guard (process_image_generation_queue is "
            "not an entry point of the plan)"
        )
    assert not problems, "\n".join(problems) + "\n--- all findings:\n" + show(findings)


def test_fix_runs_and_rewrites_exactly_the_five_plan_files(run: Run) -> None:
    assert run.fix.returncode == 0, run.fix.stdout[-2000:] + run.fix.stderr[-3000:]
    assert "Traceback" not in run.fix.stderr, run.fix.stderr[-3000:]
    files = changed(run.before, run.after)
    outside = [rel for rel in files if rel not in run.variant.plan_files()]
    untouched = [rel for rel in run.variant.plan_files() if rel not in files]
    problems = []
    if outside:
        problems.append("changed outside the plan files:\n" + "\n".join(diff_of(run, rel) for rel in outside))
    if untouched:
        problems.append(f"plan files left unchanged: {untouched}")
    assert not problems, "\n".join(problems) + "\n--- fix said:\n" + run.fix.stderr[-1500:]


def test_fix_keeps_the_newline_style_of_every_file(run: Run) -> None:
    for rel in run.variant.plan_files():
        old, new = run.before[rel], run.after.get(rel, b"")
        if b"\r\n" in old:
            assert new.count(b"\n") == new.count(b"\r\n"), f"{rel}: CRLF file now has bare LF newlines"
        else:
            assert b"\r\n" not in new, f"{rel}: LF file now has CRLF newlines"


def test_fixed_tree_starts_django_and_passes_the_plans_runtime_checks(run: Run) -> None:
    observed = dict(run.fixed_checks)
    ids = observed.pop("account_ids", None)
    assert observed.get("django_setup") == "ok", (
        observed.get("django_setup", "")
        + "\n"
        + observed.get("traceback", "")
        + "\n".join(diff_of(run, rel) for rel in run.variant.plan_files()[:1])
    )
    expected = fixed_expected(ids)
    wrong = {k: {"observed": observed.get(k), "expected": v} for k, v in expected.items() if observed.get(k) != v}
    assert not wrong, json.dumps(wrong, indent=1)


def test_audit_after_fix_reports_only_what_the_plan_leaves_to_a_person(run: Run) -> None:
    status, findings, stderr = run.audit_after
    assert findings is not None, stderr
    expected = sorted(expected_leftovers(run.variant))
    got = leftover_keys(findings)
    assert got == expected, (
        f"missing: {[e for e in expected if e not in got]}\nunexpected:\n"
        + show([f for f in findings if leftover_keys([f])[0] not in expected])
        + "\n"
        + stderr[-1000:]
    )
    assert all(f["symbol"].startswith("igny8_core.ai.functions.generate_images") for f in findings), show(findings)
    assert status == 1, stderr


def test_a_second_fix_changes_nothing(run: Run) -> None:
    assert run.check_again.returncode == 0, run.check_again.stdout[-3000:] + run.check_again.stderr[-2000:]
    assert run.fix_again.returncode == 0, run.fix_again.stderr[-2000:]
    assert changed(run.after, run.after_again) == []


# -- the hand-refactored checkout ----------------------------------------------------------------


@pytest.mark.parametrize("resolved", [False, True], ids=["plan-applied-by-hand", "leftovers-resolved-too"])
def test_a_checkout_refactored_by_hand_gets_no_plan_finding_and_no_change(tmp_path: Path, resolved: bool) -> None:
    variant = cv.build_refactored(tmp_path / "tree", resolved=resolved)
    before = snapshot(variant.root)
    status, findings, stderr = audit_json(variant.root)
    assert findings is not None, stderr
    if resolved:
        assert (status, findings) == (0, []), show(findings)
    else:
        assert leftover_keys(findings) == sorted(expected_leftovers(variant)), show(findings)
        assert status == 1
    check = in_process("fix", "--check", "--no-cache", cwd=variant.root)
    assert check.returncode == 0, check.stdout[-4000:] + check.stderr[-2000:]
    fix = in_process("fix", "--no-cache", cwd=variant.root)
    assert fix.returncode == 0, fix.stderr[-2000:]
    assert changed(before, snapshot(variant.root)) == []


def test_the_refactored_forms_pass_the_runtime_checks(tmp_path: Path) -> None:
    """The expected values are the plan's: the hand-refactored tree produces them."""
    variant = cv.build_refactored(tmp_path / "tree", resolved=True)
    observed = run_checks(variant.project, tmp_path / "db.sqlite3")
    ids = observed.pop("account_ids")
    assert observed == fixed_expected(ids)


# -- the fixture is real ---------------------------------------------------------------------------


def test_the_legacy_checkout_is_a_working_django_project(tmp_path: Path) -> None:
    project = cv.copy_checkout(tmp_path / "checkout")
    env = {k: v for k, v in os.environ.items() if k not in ("DJANGO_SETTINGS_MODULE", "PYTHONPATH")}
    env["IGNY8_DB_PATH"] = str(tmp_path / "db.sqlite3")
    for args in (
        ["check"],
        ["makemigrations", "--check", "--dry-run"],
        ["migrate", "-v", "0"],
        ["showmigrations", "integration"],
    ):
        result = subprocess.run(
            [sys.executable, "manage.py", *args], cwd=project, env=env, capture_output=True, text=True, timeout=300
        )
        assert result.returncode == 0, (args, result.stdout[-2000:], result.stderr[-2000:])
    assert "[X] 0002_normalize_integration_type" in result.stdout


def test_the_variants_are_what_they_claim(tmp_path: Path) -> None:
    base = snapshot(cv.build("base", tmp_path / "base").root)
    for name in cv.VARIANTS[1:]:
        variant = cv.build(name, tmp_path / name)
        files = snapshot(variant.project)
        assert files != base, name
        ai = {rel: files[rel].decode() for rel in cv.PLAN_FILES}
        if name == "crlf":
            assert all(data.count(b"\n") == data.count(b"\r\n") for rel, data in files.items() if rel.endswith(".py"))
        elif name == "blackish":
            assert (
                "'auto_cluster'" not in ai["igny8_core/ai/settings.py"]
                and '"auto_cluster"' in ai["igny8_core/ai/settings.py"]
            )
        elif name == "two_space":
            assert "\n  def execute(self, fn, payload):" in ai["igny8_core/ai/engine.py"]
        elif name == "aliases":
            assert "import get_model_config as gmc" in ai["igny8_core/ai/engine.py"]
            assert "from django.conf import settings as dj_settings" in ai["igny8_core/ai/ai_core.py"]
        elif name == "relative":
            assert "from .settings import get_model_config" in ai["igny8_core/ai/engine.py"]
            assert "from ..business.integration.models import IntegrationSettings" in ai["igny8_core/ai/settings.py"]
        elif name == "guard_shapes":
            assert "*, account_id: int = None" in ai["igny8_core/ai/tasks.py"]
            assert "get_model_config(function_name, self.account)" in ai["igny8_core/ai/engine.py"]
        else:
            assert (variant.root / "backend" / "manage.py").is_file()
            assert (variant.root / "setup.cfg").is_file() == (name == "subfolder")
            assert not (variant.root / "backend" / "setup.cfg").exists()


# -- paths that select nothing ---------------------------------------------------------------------


@pytest.mark.parametrize("command", ["audit", "fix"])
def test_paths_that_select_no_python_file_are_an_error(tmp_path: Path, command: str) -> None:
    """The subfolder layout with a configuration still naming the old place: say so, exit 2."""
    variant = cv.build("subfolder", tmp_path / "repo")
    (variant.root / "setup.cfg").write_text("[igny8_refactor]\npaths = igny8_core\n")
    before = snapshot(variant.root)
    result = in_process(command, "--no-cache", cwd=variant.root)
    assert result.returncode == 2, result.stdout[-2000:] + result.stderr[-2000:]
    assert "All checks passed" not in result.stdout + result.stderr
    assert "igny8_core" in result.stderr, result.stderr
    assert changed(before, snapshot(variant.root)) == []
