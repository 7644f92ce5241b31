"""The pre-commit configuration the README and docs/gate.md give, run by the real pre-commit.

The hook repository is this repository at its HEAD commit, reached through a file URL and pinned by
the commit's SHA, as the documented `rev:` pins one; the project under the hooks has old findings in
its history, and a commit that adds one.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
BLOCK = re.compile(r"<!-- pre-commit-config -->\n```yaml\n(.*?)```", re.S)
GIT = ["git", "-c", "user.name=t", "-c", "user.email=t@t.invalid", "-c", "commit.gpgsign=false"]
CORE = "def helper():\n    return 1\n\n\ndef old_unused():\n    return 2\n"


def documented(doc: str) -> str:
    return BLOCK.search((REPO / doc).read_text(encoding="utf-8")).group(1)


def git(*args: str, cwd: Path) -> str:
    return subprocess.run([*GIT, *args], cwd=cwd, check=True, capture_output=True, text=True).stdout


def test_the_readme_and_the_gate_page_give_the_same_configuration():
    assert documented("README.md") == documented("docs/gate.md")
    assert re.search(r"^    rev: [0-9a-f]{40}\b", documented("README.md"), re.M)


@pytest.fixture(scope="module")
def home(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("pre-commit-home")


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A git repository with an old finding (`old_unused`) committed, and the documented hooks pinned to HEAD."""
    head = git("rev-parse", "HEAD", cwd=REPO).strip()
    config = documented("README.md")
    config = config.replace("https://github.com/igny8/igny8-refactor", Path(REPO).as_uri())
    config = re.sub(r"(?m)^(    rev: )[0-9a-f]{40}", rf"\g<1>{head}", config)
    root = tmp_path / "project"
    files = {
        ".pre-commit-config.yaml": config,
        "setup.cfg": "[igny8_refactor]\npaths = app\ninternal = app\n",
        "app/__init__.py": "",
        "app/core.py": CORE,
        "app/views.py": "from app.core import helper\n\nhelper()\n",
    }
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    git("init", "-q", cwd=root)
    git("add", "-A", cwd=root)
    git("commit", "-q", "-m", "old findings", cwd=root)
    return root


def pre_commit(project: Path, home: Path) -> tuple[int, str]:
    env = {**os.environ, "PRE_COMMIT_HOME": str(home), "PRE_COMMIT_COLOR": "never", "SKIP": ""}
    env.pop("VIRTUAL_ENV", None)
    done = subprocess.run(
        [sys.executable, "-m", "pre_commit", "run"], cwd=project, env=env, capture_output=True, text=True, timeout=900
    )
    return done.returncode, done.stdout + done.stderr


def test_a_commit_fails_on_the_finding_it_adds_and_not_on_the_old_one(project, home):
    core = project / "app/core.py"
    core.write_text(CORE + "\n\ndef new_helper():\n    return 3\n")
    git("add", "app/core.py", cwd=project)
    status, out = pre_commit(project, home)
    assert status == 1, out
    assert "igny8-refactor fix" in out and "igny8-refactor audit" in out
    assert "app/core.py:9:1: IG002 function `new_helper` is never called or referenced" in out
    assert "old_unused" not in out.replace("app/core.py:5", "")  # neither reported nor removed
    assert core.read_text().count("def ") == 3  # an unsafe removal, not asked for: nothing rewritten

    # a change that adds no finding passes, though the file still has its old one
    core.write_text("# the core helpers\n" + CORE)
    git("add", "app/core.py", cwd=project)
    status, out = pre_commit(project, home)
    assert status == 0, out
    assert "Passed" in out
