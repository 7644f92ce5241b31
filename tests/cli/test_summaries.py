"""Summaries say what happened; a path that selects no Python file is an error, never "All checks passed"."""

from __future__ import annotations

import json

from cli_helpers import tool, write

FALLBACK = "from django.conf import settings\nMODEL = settings.DEFAULT_AI_MODEL\n"


def test_text_summary_counts_files_and_findings(project):
    done = tool("audit", "--no-cache", cwd=project)
    assert done.returncode == 1
    assert done.stdout.splitlines() == [
        "src/app/ai_core.py:3:9: IG103 `_default_model` holds a fallback model",
        "Found 1 finding (1 fixable): 3 files checked.",  # the migration is excluded
    ]
    assert done.stderr == ""


def test_clean_run_says_how_many_files_were_checked(project):
    done = tool("audit", "--no-cache", "src/app/views.py", cwd=project)
    assert (done.returncode, done.stdout) == (0, "All checks passed: 1 file checked.\n")


def test_baselined_findings_are_counted(project):
    write(project, {"src/app/settings.py": FALLBACK})
    recorded = tool("audit", "--no-cache", "--write-baseline", "baseline.json", cwd=project)
    assert recorded.returncode == 0, recorded.stderr
    done = tool("audit", "--no-cache", "--baseline", "baseline.json", cwd=project)
    assert (done.returncode, done.stdout) == (0, "All checks passed: 4 files checked, 2 baselined.\n")

    write(project, {"src/app/later.py": FALLBACK})  # a new finding on top of the baselined ones
    done = tool("audit", "--no-cache", "--baseline", "baseline.json", cwd=project)
    assert done.returncode == 1
    assert (
        done.stdout.splitlines()[-1] == "Found 1 finding (0 fixable): 5 files checked, 2 baselined."
    )  # not a plan file


def test_json_with_a_baseline_stays_a_document_and_counts_on_stderr(project):
    assert tool("audit", "--no-cache", "--write-baseline", "baseline.json", cwd=project).returncode == 0
    done = tool("audit", "--no-cache", "--format", "json", "--baseline", "baseline.json", cwd=project)
    assert done.returncode == 0
    assert json.loads(done.stdout) == []
    assert done.stderr == "All checks passed: 3 files checked, 1 baselined.\n"


def test_suppressed_findings_are_counted(project):
    write(
        project,
        {
            "src/app/settings.py": FALLBACK.replace("\n", "  # igny8: ignore[IG102]\n").replace(
                "import settings  # igny8: ignore[IG102]", "import settings"
            )
        },
    )
    done = tool("audit", "--no-cache", cwd=project)
    assert done.stdout.splitlines()[-1] == "Found 1 finding (1 fixable): 4 files checked, 1 suppressed."


def test_errors_are_counted_and_never_called_a_pass(project):
    write(project, {"src/app/broken.py": "def broken(:\n"})
    done = tool("audit", "--no-cache", "src/app/views.py", "src/app/broken.py", cwd=project)
    assert done.returncode == 2
    assert done.stderr == "src/app/broken.py: cannot parse with Python 3.11: invalid syntax (line 1, column 12)\n"
    assert done.stdout == "No findings, but not every input could be analysed: 2 files checked, 1 error.\n"


def test_empty_directory_is_an_error(tmp_path):
    for command in (["audit"], ["audit", "--format", "json"], ["fix"], ["fix", "--check"]):
        done = tool(*command, cwd=tmp_path)
        assert done.returncode == 2, command
        assert done.stderr == ".: no Python files found\n", command
        assert "All checks passed" not in done.stdout + done.stderr


def test_wrong_directory_is_named_and_the_other_paths_still_run(project):
    write(project, {"docs/index.md": "# docs\n"})
    done = tool("audit", "--no-cache", "docs", "src", cwd=project)
    assert done.returncode == 2
    assert done.stderr == "docs: no Python files found\n"
    assert done.stdout.splitlines() == [
        "src/app/ai_core.py:3:9: IG103 `_default_model` holds a fallback model",
        "Found 1 finding (1 fixable): 3 files checked, 1 error.",
    ]
    fixed = tool("fix", "--check", "docs", "src", cwd=project)
    assert fixed.returncode == 2
    assert fixed.stderr.splitlines() == [
        "docs: no Python files found",
        "would fix src/app/ai_core.py:3: IG103 app.ai_core.AICore._default_model",
        "1 file would change, 2 unchanged, 0 failed, 1 error",
    ]


def test_json_on_a_folder_without_python_is_a_valid_document_and_one_line(project):
    write(project, {"assets/readme.txt": "no code here\n"})
    done = tool("audit", "--format", "json", "assets/", cwd=project)
    assert done.returncode == 2
    assert json.loads(done.stdout) == []
    assert done.stderr == "assets/: no Python files found\n"
    sarif = tool("audit", "--format", "sarif", "assets/", cwd=project)
    assert sarif.returncode == 2
    run = json.loads(sarif.stdout)["runs"][0]
    assert run["results"] == []
    assert run["invocations"][0]["executionSuccessful"] is False
    assert [n["message"]["text"] for n in run["invocations"][0]["toolExecutionNotifications"]] == [
        "no Python files found"
    ]


def test_directory_whose_files_are_all_excluded_says_so(project):
    done = tool("audit", "src/app/migrations", cwd=project)
    assert done.returncode == 2
    assert done.stderr == (
        "src/app/migrations: no Python files found (every one is excluded by the configuration's `exclude`)\n"
    )


def test_missing_path_is_named_by_both_commands_alike(project):
    audit = tool("audit", "--no-cache", "nope.py", "src", cwd=project)
    fix = tool("fix", "--check", "nope.py", "src", cwd=project)
    assert audit.returncode == fix.returncode == 2
    assert audit.stderr.splitlines()[0] == fix.stderr.splitlines()[0] == "nope.py: no such file or directory"


def test_fix_summary_counts_changed_unchanged_failed(project):
    write(project, {"src/app/settings.py": "MODEL_CONFIG = {'x': {'model': 'gpt-4.1'}}\n"})  # a second plan file
    done = tool("fix", cwd=project)
    assert done.returncode == 0
    assert done.stderr.splitlines() == [  # every edit named, then the summary
        "fixed src/app/ai_core.py:3: IG103 app.ai_core.AICore._default_model",
        "fixed src/app/settings.py:1: IG101 app.settings.MODEL_CONFIG",
        "2 files changed, 2 unchanged, 0 failed",
    ]


def test_a_baseline_is_not_overwritten_when_nothing_was_analysed(project):
    assert tool("audit", "--no-cache", "--write-baseline", "baseline.json", cwd=project).returncode == 0
    recorded = (project / "baseline.json").read_bytes()
    done = tool("audit", "--no-cache", "--write-baseline", "baseline.json", "scr", cwd=project)  # a typo
    assert done.returncode == 2
    assert done.stderr.splitlines() == [
        "scr: no such file or directory",
        "baseline.json: not written, nothing was analysed",
    ]
    assert (project / "baseline.json").read_bytes() == recorded
