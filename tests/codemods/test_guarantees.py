"""SPEC section 7 on real files: idempotence, untouched bytes, encodings, verified and atomic writes."""
from __future__ import annotations

import os
import shutil
import stat
from pathlib import Path

import libcst as cst
import pytest
from click.testing import CliRunner
from libcst.codemod import VisitorBasedCodemodCommand

from audit.config import Config, load_config
from codemods import pipeline
from codemods.pipeline import quick_needles, run_fix
from codemods.registry import CODEMODS
from codemod_helpers import LEGACY, ROOT, TARGET
from igny8_refactor.cli import cli

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
    """A directory outside any internal package: no analysis needed."""
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
    path = plain / "core.py"
    path.write_bytes(bom + CORE.format(coding=coding).replace("\n", newline).encode(encoding))
    result = fix()
    assert result.exit_code == 0, result.stderr
    expected = bom + CORE_FIXED.format(coding=coding).replace("\n", newline).encode(encoding)
    assert path.read_bytes() == expected
    assert fix("--check").exit_code == 0


def test_file_mode_is_kept(plain: Path) -> None:
    path = plain / "core.py"
    path.write_text(CORE.format(coding="utf-8"))
    os.chmod(path, 0o640)
    assert fix().exit_code == 0
    assert "if not model:" in path.read_text()
    assert stat.S_IMODE(path.stat().st_mode) == 0o640


# -- bad input, unparseable results, interrupted writes ----------------------------------
def test_syntax_error_is_named_left_untouched_and_the_others_are_fixed(plain: Path) -> None:
    broken = plain / "broken.py"
    broken.write_bytes(b"def broken(:\n    self._default_model = 1\n")
    good = plain / "core.py"
    good.write_text(CORE.format(coding="utf-8"))
    result = fix()
    assert result.exit_code == 2
    lines = [l for l in result.stderr.splitlines() if l.startswith("src/broken.py")]
    assert len(lines) == 1 and "syntax error" in lines[0], result.stderr
    assert "Traceback" not in result.stderr
    assert broken.read_bytes() == b"def broken(:\n    self._default_model = 1\n"
    assert good.read_text() == CORE_FIXED.format(coding="utf-8")
    assert "1 files changed, 0 unchanged, 1 failed" in result.stderr


def test_undecodable_file_is_named_and_untouched(plain: Path) -> None:
    bad = plain / "bad.py"
    bad.write_bytes(b"x = '\xff\xfe'\n")
    result = fix()
    assert result.exit_code == 2
    assert result.stderr.startswith("src/bad.py: ")
    assert bad.read_bytes() == b"x = '\xff\xfe'\n"


def test_bad_configuration_is_named_and_exit_2(plain: Path) -> None:
    (plain.parent / "setup.cfg").write_text("[igny8_refactor]\npaths = src\nbogus = 1\n")
    (plain / "core.py").write_text(CORE.format(coding="utf-8"))
    result = fix()
    assert result.exit_code == 2
    assert "bogus" in result.stderr and "Traceback" not in result.stderr
    assert (plain / "core.py").read_text() == CORE.format(coding="utf-8")


def test_missing_path_is_named_and_exit_2(plain: Path) -> None:
    result = fix("src/nope.py")
    assert result.exit_code == 2
    assert "src/nope.py: no such file or directory" in result.stderr


class BreakSyntax(VisitorBasedCodemodCommand):
    """Turns every module into `def` (not Python): the pipeline must refuse to write it."""

    NAME = "break_syntax"
    DESCRIPTION = "test double"

    @classmethod
    def prefilter(cls, data, path, config, facts):
        return True

    @classmethod
    def from_config(cls, context, config, facts):
        return cls(context)

    def leave_Module(self, original_node, updated_node):
        return updated_node.with_changes(body=[cst.SimpleStatementLine([cst.Expr(cst.Name("def"))])])


def test_result_that_does_not_parse_is_never_written(plain: Path) -> None:
    path = plain / "mod.py"
    path.write_bytes(b"x = 1\n")
    result = run_fix([str(plain)], Config(paths=("src",)), commands=[BreakSyntax])
    (failed,) = result.failed
    assert "would not parse" in failed.error
    assert path.read_bytes() == b"x = 1\n"
    assert [p.name for p in plain.iterdir()] == ["mod.py"]  # no temp file left


def test_failure_between_two_files_leaves_every_file_as_it_was(plain: Path, monkeypatch) -> None:
    from audit import atomic

    first, second, third = (plain / f"core{i}.py" for i in (1, 2, 3))
    for path in (first, second, third):
        path.write_text(CORE.format(coding="utf-8"))
    old = CORE.format(coding="utf-8")

    def full_disk_on_second(target):
        if target.name == "core2.py":
            raise OSError(28, "No space left on device")

    monkeypatch.setattr(atomic, "_before_swap", full_disk_on_second)
    result = fix()
    assert result.exit_code == 2
    assert [p.read_text() for p in (first, second, third)] == [old, old, old]  # all or nothing
    assert "src/core2.py: cannot write: No space left on device; nothing written; every file left as it was" in result.stderr
    assert sorted(p.name for p in plain.iterdir()) == ["core1.py", "core2.py", "core3.py"]


def test_stderr_is_quiet_off_a_terminal(plain: Path) -> None:
    for i in range(pipeline_progress_threshold() + 5):
        (plain / f"m{i}.py").write_text("x = 1\n")
    result = fix("--check")
    assert result.exit_code == 0
    assert result.stderr.splitlines() == [f"0 files would change, {pipeline_progress_threshold() + 5} unchanged, 0 failed"]


def pipeline_progress_threshold() -> int:
    from igny8_refactor.fix_command import PROGRESS_MIN_FILES

    return PROGRESS_MIN_FILES


# -- the cheap gate agrees with every codemod's own prefilter ------------------------------
@pytest.mark.parametrize("name", sorted(CODEMODS))
def test_quick_gate_lets_through_everything_a_codemod_wants(name: str) -> None:
    from codemods.facts import Facts

    config = load_config(ROOT)
    needles = quick_needles(config)
    samples = [p.read_bytes() for p in LEGACY.glob("*.py")] + [p.read_bytes() for p in TARGET.glob("*.py")]
    for data in samples:
        if CODEMODS[name].prefilter(data, "/nowhere.py", config, Facts()):
            assert any(n in data for n in needles)


def test_symlink_stays_a_symlink_and_overlapping_paths_count_once(plain: Path) -> None:
    real = plain / "core.py"
    real.write_text(CORE.format(coding="utf-8"))
    link = plain / "link.py"
    link.symlink_to("core.py")
    result = fix("src", "src/core.py")
    assert result.exit_code == 0, result.stderr
    assert link.is_symlink() and os.readlink(link) == "core.py"
    assert real.read_text() == CORE_FIXED.format(coding="utf-8")
    assert "1 files changed, 0 unchanged, 0 failed" in result.stderr


def test_config_dict_another_module_uses_is_kept(project: Path) -> None:
    user = project / "igny8_core" / "ai" / "report.py"
    user.write_text("from igny8_core.ai.settings import MODEL_CONFIG\n\nNAMES = sorted(MODEL_CONFIG)\n")
    result = fix()
    assert result.exit_code == 0, result.stderr
    settings = (project / "igny8_core" / "ai" / "settings.py").read_text()
    assert "MODEL_CONFIG = {" in settings  # still imported: deleting it would break report.py
    assert "IntegrationSettings.objects.get(" in settings
    assert "`MODEL_CONFIG` is still imported by another module; left in place" in result.stderr
    assert user.read_text().startswith("from igny8_core.ai.settings import MODEL_CONFIG")


def test_guard_outside_internal_packages_comes_from_the_analysis(plain: Path) -> None:
    engine = plain / "engine.py"
    engine.write_text(
        "from ai import get_model_config\n\n\n"
        "class Engine:\n"
        "    def __init__(self, account=None):\n"
        "        self.account = account\n\n"
        "    def run(self, name):\n"
        "        return get_model_config(name, account=self.account)\n\n"
        "    def safe(self, name, account):\n"
        "        return get_model_config(name, account=account)\n"
    )
    result = fix()
    assert result.exit_code == 0, result.stderr
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

    from igny8_refactor.fix_command import PROGRESS_MIN_FILES, _progress

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    for stream, count, shown in ((Terminal(), PROGRESS_MIN_FILES, True), (Terminal(), 3, False),
                                 (io.StringIO(), PROGRESS_MIN_FILES, False)):
        monkeypatch.setattr("sys.stderr", stream)
        items = list(range(count))
        assert list(_progress(items)) == items
        assert ("fixing" in stream.getvalue()) is shown
