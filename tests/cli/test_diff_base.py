"""`audit --diff-base REV` in a real git repository: only the findings the change introduces fail the run."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cli_helpers import git, tool, write

CORE = "def helper():\n    return 1\n\n\ndef old_unused():\n    return 2\n\n\ndef used():\n    return 3\n"


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A project one folder below the git root, committed with one old finding (`old_unused`)."""
    root = tmp_path / "repo"
    write(
        root,
        {
            "backend/setup.cfg": "[igny8_refactor]\npaths = app\ninternal = app\n",
            "backend/app/__init__.py": "",
            "backend/app/core.py": CORE,
            "backend/app/views.py": "from app.core import helper, used\n\nhelper()\nused()\n",
        },
    )
    git("init", "-q", cwd=root)
    git("add", "-A", cwd=root)
    git("commit", "-q", "-m", "initial", cwd=root)
    return root


def audit(repo: Path, *args: str):
    return tool("audit", "--no-cache", "--format", "json", "--diff-base", "HEAD", *args, cwd=repo / "backend")


def symbols(done) -> list[str]:
    return [f["symbol"] for f in json.loads(done.stdout)]


def test_old_findings_are_not_reported(repo):
    done = audit(repo)
    assert done.returncode == 0, done.stderr
    assert symbols(done) == []
    assert "1 already in HEAD" in done.stderr
    # without --diff-base the old finding fails the run as before
    assert tool("audit", "--no-cache", cwd=repo / "backend").returncode == 1


def test_a_new_finding_on_an_old_line_is_reported(repo):
    # the last caller of `helper` goes: its definition line is untouched, the finding is new
    (repo / "backend/app/views.py").write_text("from app.core import used\n\nused()\n")
    done = audit(repo)
    assert done.returncode == 1, done.stderr
    assert symbols(done) == ["app.core.helper"]
    assert "1 already in HEAD" in done.stderr


def test_a_moved_old_finding_is_not_reported(repo):
    # `old_unused` moves below `used`: its lines are new in the diff, the finding is not
    (repo / "backend/app/core.py").write_text(
        "def helper():\n    return 1\n\n\ndef used():\n    return 3\n\n\ndef old_unused():\n    return 2\n"
    )
    done = audit(repo)
    assert done.returncode == 0, done.stdout + done.stderr
    assert symbols(done) == []


def test_an_untracked_file_is_wholly_new_and_a_second_copy_of_an_old_finding_counts(repo):
    write(repo, {"backend/app/extra.py": "def spare():\n    return 1\n"})
    done = audit(repo)
    assert symbols(done) == ["app.extra.spare"]
    # a second settings fallback in a file that had one: the one on the added line is the new one
    write(repo, {"backend/app/conf.py": "from django.conf import settings\n\nA = settings.DEFAULT_AI_MODEL\n"})
    git("add", "backend/app/conf.py", cwd=repo)
    git("commit", "-q", "-m", "one fallback", cwd=repo)
    (repo / "backend/app/conf.py").write_text(
        "from django.conf import settings\n\nA = settings.DEFAULT_AI_MODEL\nB = settings.DEFAULT_AI_MODEL\n"
    )
    done = audit(repo)
    found = [(f["path"], f["line"], f["code"]) for f in json.loads(done.stdout)]
    assert ("app/conf.py", 4, "IG102") in found and ("app/conf.py", 3, "IG102") not in found


def test_committed_changes_since_a_branch_point_count(repo):
    git("checkout", "-q", "-b", "feature", cwd=repo)
    (repo / "backend/app/views.py").write_text("from app.core import used\n\nused()\n")
    git("commit", "-q", "-am", "drop the helper call", cwd=repo)
    done = tool("audit", "--no-cache", "--diff-base", "main", cwd=repo / "backend")
    assert done.returncode == 1
    assert done.stdout.splitlines()[0].startswith("app/core.py:1:1: IG002 ")


def test_an_unknown_revision_is_a_usage_error(repo):
    done = tool("audit", "--no-cache", "--diff-base", "no-such-rev", cwd=repo / "backend")
    assert done.returncode == 2
    assert "--diff-base no-such-rev" in done.stderr
    assert "Traceback" not in done.stderr


def test_a_tree_at_rev_that_cannot_be_analysed_leaves_the_changed_lines_to_decide(tmp_path):
    # the configuration names a package that REV does not have yet: every finding of it is on a new line
    write(tmp_path, {"README.md": "project\n"})
    git("init", "-q", cwd=tmp_path)
    git("add", "-A", cwd=tmp_path)
    git("commit", "-q", "-m", "empty", cwd=tmp_path)
    write(
        tmp_path,
        {
            "setup.cfg": "[igny8_refactor]\ninternal = shop\n",
            "shop/__init__.py": "",
            "shop/a.py": "def spare():\n    pass\n",
        },
    )
    done = tool("audit", "--no-cache", "--diff-base", "HEAD", cwd=tmp_path)
    assert done.returncode == 1
    assert done.stdout.startswith("shop/a.py:1:1: IG002 ")
    assert "warning: --diff-base HEAD: the tree at HEAD cannot be analysed" in done.stderr


def test_a_project_folder_new_since_rev_is_wholly_new(tmp_path):
    write(tmp_path, {"README.md": "project\n"})
    git("init", "-q", cwd=tmp_path)
    git("add", "-A", cwd=tmp_path)
    git("commit", "-q", "-m", "empty", cwd=tmp_path)
    write(tmp_path, {"backend/setup.cfg": "[igny8_refactor]\n", "backend/a.py": "def spare():\n    pass\n"})
    done = tool("audit", "--no-cache", "--diff-base", "HEAD", cwd=tmp_path / "backend")
    assert done.returncode == 1, done.stderr
    assert done.stdout.startswith("a.py:1:1: IG002 ")


def test_what_the_base_branch_did_since_is_not_held_against_the_branch(repo):
    git("checkout", "-q", "-b", "feature", cwd=repo)
    write(repo, {"backend/app/extra.py": "VALUE = 1\n"})
    git("add", "-A", cwd=repo)
    git("commit", "-q", "-m", "feature work", cwd=repo)
    git("checkout", "-q", "main", cwd=repo)
    # main removes the old finding after the branch left it; the branch still has it, from before
    (repo / "backend/app/core.py").write_text("def helper():\n    return 1\n\n\ndef used():\n    return 3\n")
    git("commit", "-q", "-am", "remove old_unused", cwd=repo)
    git("checkout", "-q", "feature", cwd=repo)
    done = tool("audit", "--no-cache", "--diff-base", "main", cwd=repo / "backend")
    assert done.returncode == 0, done.stdout
    assert "1 already in main" in done.stdout


def test_before_the_first_commit_everything_is_new(tmp_path):
    write(tmp_path, {"setup.cfg": "[igny8_refactor]\n", "a.py": "def spare():\n    pass\n"})
    git("init", "-q", cwd=tmp_path)
    git("add", "-A", cwd=tmp_path)
    done = tool("audit", "--no-cache", "--diff-base", "HEAD", cwd=tmp_path)
    assert done.returncode == 1, done.stderr
    assert done.stdout.startswith("a.py:1:1: IG002 ")
