"""
The legacy fixture is faithful: igny8_core with tests/fixtures/legacy overlaid is a working
pre-refactor app whose fallbacks behave as the seed describes.
"""

import filecmp
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LEGACY = ROOT / "tests" / "fixtures" / "legacy"
CHECKS = ROOT / "tests" / "fixtures" / "legacy_checks" / "check_fallbacks.py"
IGNORE = shutil.ignore_patterns("__pycache__", "*.pyc", "db.sqlite3", "README.md")


def build_legacy_copy(dest):
    shutil.copytree(ROOT / "igny8_core", dest / "igny8_core", ignore=IGNORE)
    shutil.copy2(ROOT / "manage.py", dest / "manage.py")
    shutil.copytree(LEGACY, dest, dirs_exist_ok=True, ignore=IGNORE)
    return dest


def legacy_files():
    return sorted(p.relative_to(LEGACY) for p in LEGACY.rglob("*.py"))


def test_fixture_only_replaces_files_that_exist_in_igny8_core():
    files = legacy_files()
    assert files, "the legacy fixture is empty"
    for relative in files:
        assert relative.parts[0] == "igny8_core"
        assert (ROOT / relative).is_file(), relative


def test_every_fixture_file_differs_from_igny8_core():
    for relative in legacy_files():
        assert not filecmp.cmp(LEGACY / relative, ROOT / relative, shallow=False), relative


def test_overlay_replaces_the_ai_framework(tmp_path):
    copy = build_legacy_copy(tmp_path)
    for relative in legacy_files():
        assert (copy / relative).read_bytes() == (LEGACY / relative).read_bytes()
    assert (copy / "igny8_core" / "ai" / "base.py").read_bytes() == (
        ROOT / "igny8_core" / "ai" / "base.py"
    ).read_bytes()
    assert not (copy / "README.md").exists()


def test_legacy_copy_passes_the_fallback_checks(tmp_path):
    copy = build_legacy_copy(tmp_path)
    shutil.copy2(CHECKS, copy / "check_fallbacks.py")
    (copy / "pytest.ini").write_text(
        "[pytest]\nDJANGO_SETTINGS_MODULE = igny8_core.settings\npythonpath = .\naddopts = -p no:cacheprovider\n"
    )
    env = {k: v for k, v in os.environ.items() if k not in ("DJANGO_SETTINGS_MODULE", "PYTHONPATH")}
    env["IGNY8_DB_PATH"] = str(tmp_path / "legacy.sqlite3")
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "check_fallbacks.py"],
        cwd=copy,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    summary = result.stdout.strip().splitlines()[-1]
    assert " passed" in summary and "failed" not in summary and "skipped" not in summary, summary
    assert int(summary.split()[0]) >= 15, summary


def test_legacy_copy_passes_django_checks(tmp_path):
    copy = build_legacy_copy(tmp_path)
    env = {k: v for k, v in os.environ.items() if k not in ("DJANGO_SETTINGS_MODULE", "PYTHONPATH")}
    env["IGNY8_DB_PATH"] = str(tmp_path / "legacy.sqlite3")
    for args in (["check"], ["makemigrations", "--check", "--dry-run"]):
        result = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=copy,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert result.returncode == 0, result.stdout + result.stderr
