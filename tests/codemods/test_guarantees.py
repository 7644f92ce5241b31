"""SPEC section 7 on real files: idempotence, untouched bytes, encodings, verified and atomic writes."""

from __future__ import annotations

import os
import shutil
import stat
from pathlib import Path

import libcst as cst
import pytest
from click.testing import CliRunner
from codemod_helpers import LEGACY, ROOT, TARGET

from igny8_refactor.audit import atomic
from igny8_refactor.audit.config import Config
from igny8_refactor.cli import cli
from igny8_refactor.codemods import pipeline
from igny8_refactor.codemods.pipeline import run_fix

SEED_FILES = ("__init__.py", "settings.py", "ai_core.py", "engine.py", "tasks.py")
GUARD = 'raise ValueError("Model is required. Ensure IntegrationSettings is configured for the account.")'

# A module the default-model codemod rewrites; written out in several encodings below.
CORE = (
    "# -*- coding: {coding} -*-\n"
    "# Caf\u00e9 client, na\u00efve comments kept\n"
    "class AICore:\n"
    "\tdef __init__(self):\n"
    "\t\tself.name = 'r\u00e9sum\u00e9'  # trailing comment\n"
    "\t\tself._default_model = 'gpt-4.1'\n"
    "\n"
    "\tdef run(self, model=None):\n"
    "\t\t# pick\n"
    "\t\tm = model or self._default_model\n"
    "\t\treturn m\n"
)
CORE_FIXED = (
    "# -*- coding: {coding} -*-\n"
    "# Caf\u00e9 client, na\u00efve comments kept\n"
    "class AICore:\n"
    "\tdef __init__(self):\n"
    "\t\tself.name = 'r\u00e9sum\u00e9'  # trailing comment\n"
    "\n"
    "\tdef run(self, model=None):\n"
    "\t\t# pick\n"
    "\t\tif not model:\n"
    f"\t\t\t{GUARD}\n"
    "\t\tm = model\n"
    "\t\treturn m\n"
)


def snapshot(root: Path) -> dict[str, tuple[bytes, int]]:
    """Every file's bytes and mtime, keyed by relative path (the audit cache aside)."""
    return {
        str(p.relative_to(root)): (p.read_bytes(), p.stat().st_mtime_ns)
        for p in sorted(root.rglob("*"))
        if p.is_file() and ".igny8_refactor_cache" not in p.parts and "__pycache__" not in p.parts
    }


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """igny8_core with the legacy AI framework laid over it, and its configuration."""
    shutil.copytree(ROOT / "igny8_core", tmp_path / "igny8_core", ignore=shutil.ignore_patterns("__pycache__"))
    for name in SEED_FILES:
        shutil.copy(LEGACY / name, tmp_path / "igny8_core" / "ai" / name)
    (tmp_path / "setup.cfg").write_text("[igny8_refactor]\npaths = igny8_core\nexclude = igny8_core/*/migrations\n")
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture
def plain(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A tiny project: the (empty) AI package `igny8_core.ai`, where the plan's files go.

    Changed from a directory outside any internal package: the plan's rewrites now touch only
    the AI package's five files, so the module the byte-level tests rewrite is its ai_core.py.
    """
    monkeypatch.chdir(tmp_path)
    (tmp_path / "setup.cfg").write_text("[igny8_refactor]\npaths = igny8_core\n")
    (tmp_path / "igny8_core" / "ai").mkdir(parents=True)
    (tmp_path / "igny8_core" / "__init__.py").write_bytes(b"")
    (tmp_path / "igny8_core" / "ai" / "__init__.py").write_bytes(b"")
    return tmp_path / "igny8_core" / "ai"


@pytest.fixture
def outside(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A directory outside any internal package (and outside the AI package)."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "setup.cfg").write_text("[igny8_refactor]\npaths = src\n")
    (tmp_path / "src").mkdir()
    return tmp_path / "src"


def fix(*args: str):
    return CliRunner().invoke(cli, ["fix", *args], catch_exceptions=False)


# -- idempotence and untouched files ------------------------------------------------------
def test_fix_rewrites_the_seed_files_and_a_second_run_changes_nothing(project: Path) -> None:
    before = snapshot(project)
    first = fix()
    assert first.exit_code == 0, first.stderr
    assert first.stderr.strip().endswith("5 files changed, 40 unchanged, 0 failed") or "5 files changed" in first.stderr
    for name in SEED_FILES:
        assert (project / "igny8_core" / "ai" / name).read_bytes() == (TARGET / name).read_bytes(), name
    middle = snapshot(project)
    # every other file: same bytes and never rewritten (mtime kept)
    changed = {k for k in before if before[k] != middle[k]}
    assert changed == {f"igny8_core/ai/{n}" for n in SEED_FILES}
    second = fix()
    assert second.exit_code == 0
    assert "0 files changed" in second.stderr
    assert snapshot(project) == middle


def test_check_and_diff_write_nothing_and_exit_1(project: Path) -> None:
    before = snapshot(project)
    check = fix("--check", "--jobs", "2", "--no-cache")
    assert check.exit_code == 1
    assert check.stdout == ""
    diff = fix("--diff")
    assert diff.exit_code == 1
    assert "--- a/igny8_core/ai/settings.py" in diff.stdout
    assert "-MODEL_CONFIG = {" in diff.stdout
    assert '+            raise ValueError("Account is required for AI function execution")' in diff.stdout
    assert snapshot(project) == before


def test_only_restricts_the_codemods(project: Path) -> None:
    result = fix("--only", "require_account_guard")
    assert result.exit_code == 0
    assert (project / "igny8_core/ai/engine.py").read_bytes() == (TARGET / "engine.py").read_bytes()
    assert (project / "igny8_core/ai/settings.py").read_bytes() == (LEGACY / "settings.py").read_bytes()


def test_unknown_only_name_is_a_usage_error(project: Path) -> None:
    before = snapshot(project)
    result = fix("--only", "no_such_codemod")
    assert result.exit_code == 2
    assert "no_such_codemod" in result.stderr
    assert snapshot(project) == before


def test_fixing_one_file_still_uses_the_whole_project_analysis(project: Path) -> None:
    result = fix("igny8_core/ai/__init__.py")
    assert result.exit_code == 0, result.stderr
    assert (project / "igny8_core/ai/__init__.py").read_bytes() == (TARGET / "__init__.py").read_bytes()
    assert (project / "igny8_core/ai/settings.py").read_bytes() == (LEGACY / "settings.py").read_bytes()


# -- encodings, newlines, tabs, comments -------------------------------------------------
@pytest.mark.parametrize(
    "encoding, coding, bom, newline",
    [
        ("utf-8", "utf-8", b"", "\n"),
        ("utf-8", "utf-8", b"", "\r\n"),
        ("utf-8", "utf-8", b"\xef\xbb\xbf", "\n"),
        ("utf-8", "utf-8", b"\xef\xbb\xbf", "\r\n"),
        ("latin-1", "latin-1", b"", "\n"),
        ("latin-1", "latin-1", b"", "\r\n"),
    ],
    ids=["utf8-lf", "utf8-crlf", "bom-lf", "bom-crlf", "latin1-lf", "latin1-crlf"],
)
def test_encoding_bom_newlines_tabs_and_comments_are_preserved(plain: Path, encoding, coding, bom, newline) -> None:
    path = plain / "ai_core.py"
    path.write_bytes(bom + CORE.format(coding=coding).replace("\n", newline).encode(encoding))
    result = fix()
    assert result.exit_code == 0, result.stderr
    expected = bom + CORE_FIXED.format(coding=coding).replace("\n", newline).encode(encoding)
    assert path.read_bytes() == expected
    assert fix("--check").exit_code == 0


def test_file_mode_is_kept(plain: Path) -> None:
    path = plain / "ai_core.py"
    path.write_text(CORE.format(coding="utf-8"))
    os.chmod(path, 0o640)
    assert fix().exit_code == 0
    assert "if not model:" in path.read_text()
    assert stat.S_IMODE(path.stat().st_mode) == 0o640


# -- bad input, unparseable results, interrupted writes ----------------------------------
AI = "igny8_core/ai"
ENGINE = (
    "from igny8_core.ai.settings import get_model_config\n\n\n"
    "class AIEngine:\n"
    "    def execute(self, name):\n"
    "        return get_model_config(name, account=self.account)\n"
)
ENGINE_FIXED = (
    "from igny8_core.ai.settings import get_model_config\n\n\n"
    "class AIEngine:\n"
    "    def execute(self, name):\n"
    "        if not self.account:\n"
    '            raise ValueError("Account is required for AI function execution")\n'
    "        return get_model_config(name, account=self.account)\n"
)
TASKS = (
    "def run_ai_task(function_name, payload, account_id=None):\n    account = load(account_id)\n    return account\n"
)
TASKS_FIXED = (
    "def run_ai_task(function_name, payload, account_id=None):\n"
    "    if not account_id:\n"
    '        raise ValueError("account_id is required for AI task execution")\n'
    "    account = load(account_id)\n    return account\n"
)
SETTINGS = "def get_model_config(function_name, account=None):\n    return {}\n"


def test_syntax_error_is_named_left_untouched_and_the_others_are_fixed(plain: Path) -> None:
    broken = plain / "broken.py"
    broken.write_bytes(b"def broken(:\n    self._default_model = 1\n")
    good = plain / "ai_core.py"
    good.write_text(CORE.format(coding="utf-8"))
    result = fix()
    assert result.exit_code == 2
    lines = [l for l in result.stderr.splitlines() if l.startswith(f"{AI}/broken.py")]
    assert len(lines) == 1 and "cannot parse with Python 3.11: invalid syntax" in lines[0], (
        result.stderr
    )  # audit's words
    assert "Traceback" not in result.stderr
    assert broken.read_bytes() == b"def broken(:\n    self._default_model = 1\n"
    assert good.read_text() == CORE_FIXED.format(coding="utf-8")
    # four files (the two package __init__.py, ai_core.py, broken.py): each counted once
    assert "1 file changed, 2 unchanged, 1 failed" in result.stderr


def test_undecodable_file_is_named_and_untouched(plain: Path) -> None:
    bad = plain / "bad.py"
    bad.write_bytes(b"x = '\xff\xfe'\n")
    result = fix()
    assert result.exit_code == 2
    assert result.stderr.startswith(f"{AI}/bad.py: ")
    assert bad.read_bytes() == b"x = '\xff\xfe'\n"


def test_bad_configuration_is_named_and_exit_2(plain: Path) -> None:
    (plain.parents[1] / "setup.cfg").write_text("[igny8_refactor]\npaths = igny8_core\nbogus = 1\n")
    (plain / "ai_core.py").write_text(CORE.format(coding="utf-8"))
    result = fix()
    assert result.exit_code == 2
    assert "bogus" in result.stderr and "Traceback" not in result.stderr
    assert (plain / "ai_core.py").read_text() == CORE.format(coding="utf-8")


def test_missing_path_is_named_and_exit_2(plain: Path) -> None:
    result = fix(f"{AI}/nope.py")
    assert result.exit_code == 2
    assert f"{AI}/nope.py: no such file or directory" in result.stderr


def test_result_that_does_not_parse_is_never_written(plain: Path, monkeypatch) -> None:
    # changed: there is no command list to pass a test double in (`commands=`); the edit step
    # itself is replaced by one that produces `def` (not Python), and the pipeline must refuse it
    path = plain / "ai_core.py"
    path.write_text(CORE.format(coding="utf-8"))
    monkeypatch.setattr(pipeline, "apply_fixes", lambda *args, **kwargs: b"def\n")
    result = run_fix(["."], Config(paths=("igny8_core",)), use_cache=False)
    assert any(
        e.startswith(f"{AI}/ai_core.py: the fix could not be applied") and "nothing written" in e for e in result.errors
    ), result.errors
    assert path.read_text() == CORE.format(coding="utf-8")
    assert sorted(p.name for p in plain.iterdir()) == ["__init__.py", "ai_core.py"]  # no temp file left


def test_failure_between_two_files_leaves_every_file_as_it_was(plain: Path, monkeypatch) -> None:
    # the plan's files are rewritten together (ai_core.py, engine.py, tasks.py); a full disk on the
    # second one leaves all three as they were: one transaction (audit.atomic.commit)

    files = {
        "ai_core.py": CORE.format(coding="utf-8"),
        "engine.py": ENGINE,
        "tasks.py": TASKS,
    }
    for name, old in files.items():
        (plain / name).write_text(old)
    (plain / "settings.py").write_text(SETTINGS)
    (plain.parent / "app.py").write_text("from igny8_core.ai.tasks import run_ai_task\n\nUSED = [run_ai_task]\n")

    write = atomic.replace_file

    def full_disk_on_engine(target, data):
        if Path(target).name == "engine.py":
            raise OSError(28, "No space left on device")
        write(target, data)

    monkeypatch.setattr(atomic, "replace_file", full_disk_on_engine)
    result = fix("--no-cache")
    assert result.exit_code == 2
    assert {name: (plain / name).read_text() for name in files} == files  # all or nothing
    assert f"{AI}/engine.py: cannot write: No space left on device" in result.stderr
    assert "every file left as it was" in result.stderr
    assert sorted(p.name for p in plain.iterdir()) == [
        "__init__.py",
        "ai_core.py",
        "engine.py",
        "settings.py",
        "tasks.py",
    ]


def test_stderr_is_quiet_off_a_terminal(outside: Path) -> None:
    for i in range(pipeline_progress_threshold() + 5):
        (outside / f"m{i}.py").write_text("x = 1\n")
    result = fix("--check")
    assert result.exit_code == 0
    assert result.stderr.splitlines() == [
        f"0 files would change, {pipeline_progress_threshold() + 5} unchanged, 0 failed"
    ]


def pipeline_progress_threshold() -> int:
    return 200  # a run long enough for a progress bar, were stderr a terminal


# -- the cheap gate never hides what a rule would report ----------------------------------
SAMPLES = [(f"legacy/{p.name}", p) for p in sorted(LEGACY.glob("*.py"))] + [
    (f"target/{p.name}", p) for p in sorted(TARGET.glob("*.py"))
]


@pytest.mark.parametrize("sample", [p for _, p in SAMPLES], ids=[i for i, _ in SAMPLES])
def test_quick_gate_lets_through_everything_a_rule_reports(sample: Path, tmp_path: Path, monkeypatch) -> None:
    # changed: the codemods' own prefilters and `quick_needles` are gone; the one gate left is the
    # scan's (`file_rules_want`), which must never hide a report the per-file rules make ungated
    from igny8_refactor.audit.api import run_audit
    from igny8_refactor.audit.checks import load_checks
    from igny8_refactor.audit.records import ScanSettings
    from igny8_refactor.audit.rule_visitor import run_file_rules

    module = "igny8_core.ai" if sample.name == "__init__.py" else f"igny8_core.ai.{sample.stem}"
    is_package = sample.name == "__init__.py"
    ungated = run_file_rules(
        cst.parse_module(sample.read_bytes()), module, is_package, ScanSettings.from_config(Config())
    )
    expected = {(r.line, r.column, r.code) for r in ungated.findings}
    (tmp_path / "igny8_core" / "ai").mkdir(parents=True)
    (tmp_path / "igny8_core" / "__init__.py").write_bytes(b"")
    shutil.copy(sample, tmp_path / "igny8_core" / "ai" / sample.name)
    if not is_package:
        (tmp_path / "igny8_core" / "ai" / "__init__.py").write_bytes(b"")
    monkeypatch.chdir(tmp_path)
    file_kinds = {k for k, c in load_checks().items() if c.scope == "file"}
    audit = run_audit(["."], Config(), use_cache=False, jobs=1)
    found = {(f.line, f.column, f.code) for f in audit.findings if f.kind in file_kinds}
    assert expected <= found


def test_symlink_stays_a_symlink_and_overlapping_paths_count_once(plain: Path) -> None:
    real = plain / "ai_core.py"
    real.write_text(CORE.format(coding="utf-8"))
    link = plain / "link.py"
    link.symlink_to("ai_core.py")
    result = fix("igny8_core", f"{AI}/ai_core.py")
    assert result.exit_code == 0, result.stderr
    assert link.is_symlink() and os.readlink(link) == "ai_core.py"
    assert real.read_text() == CORE_FIXED.format(coding="utf-8")
    assert "1 file changed, " in result.stderr and ", 0 failed" in result.stderr


def test_config_dict_another_module_uses_is_kept(project: Path) -> None:
    user = project / "igny8_core" / "ai" / "report.py"
    user.write_text("from igny8_core.ai.settings import MODEL_CONFIG\n\nNAMES = sorted(MODEL_CONFIG)\n")
    result = fix()
    assert result.exit_code == 0, result.stderr
    settings = (project / "igny8_core" / "ai" / "settings.py").read_text()
    assert "MODEL_CONFIG = {" in settings  # still imported: deleting it would break report.py
    assert "IntegrationSettings.objects.get(" in settings
    # changed: the note names the reader the project analysis found
    assert "`MODEL_CONFIG` is still used by `igny8_core.ai.report`" in result.stderr
    assert user.read_text().startswith("from igny8_core.ai.settings import MODEL_CONFIG")


def test_engine_guard_goes_only_in_the_plans_engine(outside: Path, plain: Path) -> None:
    # changed: the guard outside internal packages used to come from the analysis's scopes; the
    # plan's engine guard now goes only in the AI package's engine.py, and a call there whose
    # account cannot be None gets none
    source = (
        "from igny8_core.ai.settings import get_model_config\n\n\n"
        "class Engine:\n"
        "    def __init__(self, account=None):\n"
        "        self.account = account\n\n"
        "    def run(self, name):\n"
        "        return get_model_config(name, account=self.account)\n\n"
        "    def safe(self, name, account):\n"
        "        return get_model_config(name, account=account)\n"
    )
    (outside.parent / "setup.cfg").write_text("[igny8_refactor]\npaths = igny8_core\n  src\n")
    elsewhere = outside / "engine.py"
    elsewhere.write_text(source)
    (plain / "settings.py").write_text(SETTINGS)
    engine = plain / "engine.py"
    engine.write_text(source)
    result = fix()
    assert result.exit_code == 0, result.stderr
    assert elsewhere.read_text() == source
    assert engine.read_text().endswith(
        "    def run(self, name):\n"
        "        if not self.account:\n"
        '            raise ValueError("Account is required for AI function execution")\n'
        "        return get_model_config(name, account=self.account)\n\n"
        "    def safe(self, name, account):\n"
        "        return get_model_config(name, account=account)\n"
    )


def test_progress_bar_only_on_a_terminal_for_long_runs(monkeypatch) -> None:
    import io

    from igny8_refactor import ui
    from igny8_refactor.fix_command import _progress

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    now = [0.0]
    monkeypatch.setattr(ui, "_clock", lambda: now[0])  # each file takes `step` seconds of this clock
    for stream, step, shown in ((Terminal(), 0.2, True), (Terminal(), 0.01, False), (io.StringIO(), 0.2, False)):
        monkeypatch.setattr("sys.stderr", stream)
        items = list(range(10))
        seen = []
        for item in _progress(items, len(items)):
            now[0] += step
            seen.append(item)
        assert seen == items
        assert ("fixing" in stream.getvalue()) is shown  # 2 s against 0.1 s, the bar's threshold is 1 s
