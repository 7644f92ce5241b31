"""The hooks of `.pre-commit-hooks.yaml`, run by the real pre-commit on a legacy checkout.

Each run is what `pre-commit try-repo REPO HOOK` does: a configuration naming this repository
(a one-commit snapshot) at its commit with the one hook, then `pre-commit run` with it. try-repo
itself keeps its hook environments in a new temporary store each time, so every call would
build a virtualenv and pip-install this repository again; run with the same configuration and
a PRE_COMMIT_HOME shared by the tests of this module, pre-commit builds it once.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
PRE_COMMIT = [sys.executable, "-m", "pre_commit"]
GIT_IDENTITY = [
    "-c",
    "user.name=igny8 tests",
    "-c",
    "user.email=tests@igny8.invalid",
    "-c",
    "commit.gpgsign=false",
    "-c",
    "core.hooksPath=/dev/null",
    "-c",
    "init.defaultBranch=main",
]
SETUP_CFG = "[igny8_refactor]\npaths = igny8_core\nexclude = igny8_core/*/migrations\n"


def git(*args, cwd):
    return subprocess.run(["git", *GIT_IDENTITY, *args], cwd=cwd, check=True, capture_output=True, text=True)


def _working_tree_files() -> list[str]:
    """This repository's files as a fresh clone plus the uncommitted work would hold them."""
    if (REPO / ".git").exists():
        listed = (
            subprocess.run(
                ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
                cwd=REPO,
                check=True,
                capture_output=True,
            )
            .stdout.decode()
            .split("\0")
        )
        return sorted(name for name in listed if name and ((REPO / name).is_file() or (REPO / name).is_symlink()))
    skip = {".git", ".venv", "__pycache__", "build", "dist"}
    return sorted(
        str(p.relative_to(REPO))
        for p in REPO.rglob("*")
        if (p.is_file() or p.is_symlink()) and not skip & set(p.relative_to(REPO).parts)
    )


@pytest.fixture(scope="module")
def tool_repo(tmp_path_factory) -> Path:
    """A one-commit git repository holding this repository's current files (try-repo needs a git repo)."""
    root = tmp_path_factory.mktemp("tool") / "igny8-refactor"
    for name in _working_tree_files():
        if name.startswith("tests/"):
            continue  # the hooks need the package, not the test-suite
        src, dst = REPO / name, root / name
        dst.parent.mkdir(parents=True, exist_ok=True)
        if src.is_symlink():
            os.symlink(os.readlink(src), dst)
        else:
            shutil.copy2(src, dst)
    git("init", "-q", cwd=root)
    git("add", "-A", cwd=root)
    git("commit", "-q", "-m", "snapshot", cwd=root)
    return root


@pytest.fixture(scope="module")
def pre_commit_home(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("pre-commit-home")


@pytest.fixture
def legacy_checkout(tmp_path) -> Path:
    """A git repository holding igny8_core with the pre-refactor AI framework laid over it."""
    root = tmp_path / "checkout"
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    shutil.copytree(REPO / "igny8_core", root / "igny8_core", ignore=ignore)
    shutil.copytree(
        REPO / "tests" / "fixtures" / "legacy" / "igny8_core", root / "igny8_core", ignore=ignore, dirs_exist_ok=True
    )
    (root / "setup.cfg").write_text(SETUP_CFG)
    git("init", "-q", cwd=root)
    git("add", "-A", cwd=root)
    git("commit", "-q", "-m", "legacy", cwd=root)
    return root


def try_repo(tool: Path, hook: str, checkout: Path, home: Path, *files: str):
    """`pre-commit try-repo TOOL HOOK` in `checkout`, with the hook environments kept in `home`."""
    selection = ["--files", *files] if files else ["--all-files"]
    env = {**os.environ, "PRE_COMMIT_HOME": str(home), "PRE_COMMIT_COLOR": "never", "SKIP": ""}
    env.pop("VIRTUAL_ENV", None)
    rev = git("rev-parse", "HEAD", cwd=tool).stdout.strip()
    # try-repo's configuration, written outside both repositories
    config = tool.parent / f"{hook}.pre-commit-config.yaml"
    config.write_text(f"repos:\n-   repo: {json.dumps(str(tool))}\n    rev: {rev}\n    hooks:\n    -   id: {hook}\n")
    proc = subprocess.run(
        [*PRE_COMMIT, "run", "--config", str(config), hook, "--color", "never", *selection],
        cwd=checkout,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    return proc.returncode, proc.stdout + proc.stderr


def test_manifest_is_valid():
    proc = subprocess.run(
        [*PRE_COMMIT, "validate-manifest", str(REPO / ".pre-commit-hooks.yaml")], capture_output=True, text=True
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_audit_fails_then_fix_rewrites_then_audit_passes(tool_repo, pre_commit_home, legacy_checkout):
    status, out = try_repo(tool_repo, "igny8-audit", legacy_checkout, pre_commit_home)
    assert status == 1, out
    assert "igny8-refactor audit" in out and "Failed" in out
    assert "- exit code: 1\n" in out  # findings, not a crash or a usage error
    for expected in (
        "igny8_core/ai/settings.py:",
        "IG101",  # MODEL_CONFIG
        "IG103",  # model or self._default_model
        "IG105",  # get_model_config without an account guard
        "igny8_core/ai/__init__.py:",
        "IG001",  # orphan exports
    ):
        assert expected in out, f"{expected!r} not in hook output:\n{out}"

    status, out = try_repo(tool_repo, "igny8-fix", legacy_checkout, pre_commit_home)
    assert status == 1, out
    assert "igny8-refactor fix" in out and "Failed" in out
    assert "- exit code: 1\n" in out and "- files were modified by this hook" in out
    changed = git("diff", "--name-only", cwd=legacy_checkout).stdout.split()
    assert "igny8_core/ai/settings.py" in changed
    assert "igny8_core/ai/__init__.py" in changed
    for name in ("__init__.py", "settings.py", "ai_core.py", "engine.py", "tasks.py"):
        assert (legacy_checkout / "igny8_core" / "ai" / name).read_bytes() == (
            REPO / "igny8_core" / "ai" / name
        ).read_bytes(), name

    status, out = try_repo(tool_repo, "igny8-fix", legacy_checkout, pre_commit_home)
    assert status == 0, out
    status, out = try_repo(tool_repo, "igny8-audit", legacy_checkout, pre_commit_home)
    assert status == 0, out
    assert "Passed" in out


def test_audit_hook_reports_only_the_files_it_is_given(tool_repo, pre_commit_home, legacy_checkout):
    # tasks.py has its own finding; the orphan exports of __init__.py are whole-project facts
    # that must not leak into a commit touching tasks.py alone
    status, out = try_repo(tool_repo, "igny8-audit", legacy_checkout, pre_commit_home, "igny8_core/ai/tasks.py")
    assert status == 1, out
    assert "- exit code: 1\n" in out
    assert "igny8_core/ai/tasks.py:" in out
    assert "IG105" in out
    assert "igny8_core/ai/__init__.py" not in out
    assert "igny8_core/ai/settings.py" not in out

    # a file with no finding of its own passes, although the project still has findings
    status, out = try_repo(tool_repo, "igny8-audit", legacy_checkout, pre_commit_home, "igny8_core/ai/registry.py")
    assert status == 0, out


def test_the_fix_hook_on_one_staged_file_one_folder_down_keeps_what_other_modules_import(
    tool_repo, pre_commit_home, tmp_path
):
    """The ordinary layout: the project under backend/ with its setup.cfg there, the git root above.
    The hook gets one staged file; the whole project is still read, so nothing another module
    imports is removed, and a helper written in this commit (called nowhere yet) is not removed by
    the safe fixes the hook applies."""
    root = tmp_path / "repo"
    files = {
        "backend/setup.cfg": "[igny8_refactor]\npaths = .\ninternal = shop\n",
        "backend/manage.py": "import sys\n\nif __name__ == '__main__':\n    print(sys.argv)\n",
        "backend/shop/__init__.py": "",
        "backend/shop/response.py": (
            "def ok(data):\n    return {'success': True, 'data': data}\n\n\n"
            "def error(message):\n    return {'success': False, 'error': message}\n"
        ),
        "backend/shop/views.py": "from shop.response import error, ok\n\nVIEWS = [ok, error]\n",
    }
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    git("init", "-q", cwd=root)
    git("add", "-A", cwd=root)
    git("commit", "-q", "-m", "initial", cwd=root)
    response = root / "backend/shop/response.py"
    response.write_text(response.read_text() + "\n\ndef helper_for_next_commit():\n    return 1\n")
    git("add", "backend/shop/response.py", cwd=root)
    before = response.read_text()

    status, out = try_repo(tool_repo, "igny8-fix", root, pre_commit_home, "backend/shop/response.py")
    assert status == 0, out
    assert response.read_text() == before  # nothing removed: live functions, and an unsafe fix not asked for
    probe = subprocess.run(
        [sys.executable, "-c", "import shop.views"], cwd=root / "backend", capture_output=True, text=True
    )
    assert probe.returncode == 0, probe.stderr
