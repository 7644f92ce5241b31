"""`--force-exclude`, ruff's meaning: `exclude` applies to paths named on the command line too."""

from __future__ import annotations

import yaml
from cli_helpers import LEGACY_CORE, MIGRATION_WITH_DEAD_HELPER, REPO, igny8, tool

MIGRATION = "src/app/migrations/0001_initial.py"


def test_fix_rewrites_a_named_excluded_file_without_the_flag(project):
    done = tool("fix", "--check", MIGRATION, cwd=project)
    assert done.returncode == 1  # named explicitly: processed, as ruff does without --force-exclude


def test_fix_skips_a_named_excluded_file_with_the_flag(project):
    done = tool("fix", "--force-exclude", MIGRATION, cwd=project)
    assert done.returncode == 0, done.stderr
    assert done.stderr == "Nothing to fix: 1 path excluded by the configuration (--force-exclude).\n"
    assert (project / MIGRATION).read_text() == MIGRATION_WITH_DEAD_HELPER


def test_audit_skips_a_named_excluded_file_with_the_flag(project):
    done = tool("audit", "--no-cache", "--force-exclude", MIGRATION, cwd=project)
    assert done.returncode == 0
    assert (
        done.stdout
        == "Nothing to check: every path given is excluded by the configuration's `exclude` (--force-exclude).\n"
    )


def test_only_the_excluded_paths_are_dropped(project):
    paths = (MIGRATION, "src/app/ai_core.py", "src/app/views.py")
    audit = tool("audit", "--no-cache", "--force-exclude", *paths, cwd=project)
    assert audit.returncode == 1
    assert audit.stdout.splitlines() == [
        "src/app/ai_core.py:3:9: IG103 `_default_model` holds a fallback model",
        "Found 1 finding (1 fixable): 2 files checked, 1 path excluded (--force-exclude).",
    ]
    fix = tool("fix", "--force-exclude", *paths, cwd=project)
    assert fix.returncode == 0, fix.stderr
    assert fix.stderr.splitlines() == [
        "fixed src/app/ai_core.py:3: IG103 app.ai_core.AICore._default_model",
        "1 file changed, 1 unchanged, 0 failed, 1 path excluded (--force-exclude)",
    ]
    assert (project / MIGRATION).read_text() == MIGRATION_WITH_DEAD_HELPER
    assert (project / "src/app/ai_core.py").read_text() != LEGACY_CORE


def test_a_named_directory_under_an_excluded_one_is_dropped(project):
    done = tool("fix", "--check", "--force-exclude", "src/app/migrations", cwd=project)
    assert (done.returncode, done.stderr) == (
        0,
        "Nothing to fix: 1 path excluded by the configuration (--force-exclude).\n",
    )


def test_patterns_are_relative_to_the_configuration_file(project):
    # run from a subdirectory: the pattern src/*/migrations still means the project's migrations
    done = tool(
        "fix", "--check", "--force-exclude", "migrations/0001_initial.py", "ai_core.py", cwd=project / "src" / "app"
    )
    assert done.returncode == 1
    assert (
        done.stderr.splitlines()[-1] == "1 file would change, 0 unchanged, 0 failed, 1 path excluded (--force-exclude)"
    )


def test_both_hooks_pass_force_exclude_and_a_commit_of_only_migrations_passes(project):
    hooks = {hook["id"]: hook for hook in yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text())}
    for hook_id in ("igny8-audit", "igny8-fix"):
        entry = hooks[hook_id]["entry"].split()
        assert "--force-exclude" in entry, hook_id
        done = igny8(*entry[1:], "--no-cache", MIGRATION, "src/app/migrations/__init__.py", cwd=project, entry="script")
        assert done.returncode == 0, (hook_id, done.stdout, done.stderr)
    assert (project / MIGRATION).read_text() == MIGRATION_WITH_DEAD_HELPER
