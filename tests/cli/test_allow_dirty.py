"""`fix` does not rewrite files holding uncommitted changes unless told `--allow-dirty` (as cargo fix)."""

from __future__ import annotations

import subprocess

import yaml
from cli_helpers import LEGACY_CORE, REPO, git, igny8, tool

CORE = "src/app/ai_core.py"


def refusal(done: subprocess.CompletedProcess) -> str:
    assert done.returncode == 2, done.stdout + done.stderr
    lines = done.stderr.splitlines()
    assert len(lines) == 1, done.stderr  # one line, and no summary: nothing was done
    return lines[0]


def test_committed_files_are_rewritten(repo):
    done = tool("fix", cwd=repo)
    assert done.returncode == 0, done.stderr
    assert (repo / CORE).read_text() != LEGACY_CORE
    assert "1 file changed, 2 unchanged, 0 failed" in done.stderr


def test_unstaged_change_stops_the_run_and_names_the_file(repo):
    edited = LEGACY_CORE + "# my own edit\n"
    (repo / CORE).write_text(edited)
    line = refusal(tool("fix", cwd=repo))
    assert line.startswith(f"{CORE}: uncommitted changes")
    assert "--allow-dirty" in line
    assert (repo / CORE).read_text() == edited  # the user's edit is untouched


def test_staged_change_counts_as_uncommitted(repo):
    (repo / CORE).write_text(LEGACY_CORE + "# staged edit\n")
    git("add", CORE, cwd=repo)
    assert refusal(tool("fix", cwd=repo)).startswith(f"{CORE}: uncommitted changes")


def test_untracked_file_counts_as_uncommitted(repo):
    (repo / "src" / "app" / "settings.py").write_text("MODEL_CONFIG = {'x': {'model': 'gpt-4.1'}}\n")
    line = refusal(tool("fix", cwd=repo))
    assert line.startswith("src/app/settings.py: uncommitted changes")  # ai_core.py is committed: not named
    assert (repo / CORE).read_text() == LEGACY_CORE  # nothing at all was written


def test_every_dirty_file_is_named_on_the_one_line(repo):
    (repo / CORE).write_text(LEGACY_CORE + "# edit\n")
    (repo / "src" / "app" / "settings.py").write_text("MODEL_CONFIG = {'x': {'model': 'gpt-4.1'}}\n")
    line = refusal(tool("fix", cwd=repo))
    assert line.startswith(f"{CORE}, src/app/settings.py: uncommitted changes")


def test_a_dirty_file_fix_would_not_change_does_not_stop_it(repo):
    views = repo / "src" / "app" / "views.py"
    views.write_text(views.read_text() + "# edit in progress\n")
    done = tool("fix", cwd=repo)
    assert done.returncode == 0, done.stderr
    assert (repo / CORE).read_text() != LEGACY_CORE


def test_allow_dirty_writes_anyway(repo):
    (repo / CORE).write_text(LEGACY_CORE + "# my own edit\n")
    done = tool("fix", "--allow-dirty", cwd=repo)
    assert done.returncode == 0, done.stderr
    assert "self._default_model" not in (repo / CORE).read_text()
    assert (repo / CORE).read_text().endswith("# my own edit\n")


def test_ignored_files_are_not_dirty_and_are_written_only_when_named(repo):
    (repo / ".gitignore").write_text("settings.py\n")  # a generated module, never committed
    git("add", ".gitignore", cwd=repo)
    git("commit", "-q", "-m", "ignore generated", cwd=repo)
    generated = repo / "src" / "app" / "settings.py"
    generated.write_text("MODEL_CONFIG = {'x': {'model': 'gpt-4.1'}}\n")
    done = tool("fix", cwd=repo)  # the project: an ignored file is read, never reported or rewritten
    assert done.returncode == 0, done.stderr
    assert "MODEL_CONFIG" in generated.read_text()
    done = tool("fix", "src/app/settings.py", cwd=repo)  # named: fixed, and not dirty for git
    assert done.returncode == 0, done.stderr
    assert "MODEL_CONFIG" not in generated.read_text()


def test_outside_a_git_repository_it_goes_on(project):
    assert not (project / ".git").exists()
    done = tool("fix", cwd=project)
    assert done.returncode == 0, done.stderr
    assert (project / CORE).read_text() != LEGACY_CORE


def test_diff_and_check_never_refuse(repo):
    (repo / CORE).write_text(LEGACY_CORE + "# edit\n")
    for flag in ("--diff", "--check"):
        done = tool("fix", flag, cwd=repo)
        assert done.returncode == 1, done.stderr
        assert "uncommitted" not in done.stderr
    assert (repo / CORE).read_text() == LEGACY_CORE + "# edit\n"


def test_files_are_asked_about_in_the_repository_holding_them(tmp_path, project):
    # the current directory is a git repository, the project below it another one (a nested checkout)
    outer = tmp_path
    git("init", "-q", cwd=outer)
    git("init", "-q", cwd=project)
    git("add", "-A", cwd=project)
    git("commit", "-q", "-m", "inner", cwd=project)
    # for the outer repository the whole project is untracked; for its own it is clean
    done = tool("fix", "--config", "project/setup.cfg", "project/src", cwd=outer)
    assert done.returncode == 0, done.stderr
    assert (project / CORE).read_text() != LEGACY_CORE


def test_the_fix_hook_passes_allow_dirty_and_rewrites_staged_files(repo):
    hooks = {hook["id"]: hook for hook in yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text())}
    entry = hooks["igny8-fix"]["entry"].split()
    assert entry[0] == "igny8-refactor" and "--allow-dirty" in entry
    (repo / CORE).write_text(LEGACY_CORE + "# staged for commit\n")
    git("add", CORE, cwd=repo)
    done = igny8(*entry[1:], CORE, cwd=repo, entry="script")  # as pre-commit runs it on a staged file
    assert done.returncode == 1, done.stderr  # --exit-non-zero-on-fix: it rewrote the file
    assert "self._default_model" not in (repo / CORE).read_text()
    assert git("diff", "--name-only", cwd=repo).stdout.split() == [CORE]  # the rewrite is unstaged, apart


def test_when_git_cannot_tell_nothing_is_written(repo):
    (repo / ".git" / "index").write_bytes(b"not an index")  # git status fails on a corrupt index
    done = tool("fix", cwd=repo)
    line = refusal(done)
    assert line.startswith(f"{CORE}: cannot tell whether it has uncommitted changes (git: ")
    assert line.endswith("; pass --allow-dirty to fix anyway")
    assert (repo / CORE).read_text() == LEGACY_CORE
    assert tool("fix", "--allow-dirty", cwd=repo).returncode == 0
    assert (repo / CORE).read_text() != LEGACY_CORE
