"""`igny8-refactor audit` and `list`: formats, selection, exit codes, configuration, scope."""

from __future__ import annotations

import json

from click.testing import CliRunner

from igny8_refactor.audit.checks import load_checks
from igny8_refactor.cli import cli

FALLBACK = "from django.conf import settings\nmodel = settings.DEFAULT_AI_MODEL\n"
LITERAL = "def run(model='gpt-4o-mini'):\n    return model\n\nrun()\n"


def invoke(tmp_path, monkeypatch, *args):
    monkeypatch.chdir(tmp_path)
    return CliRunner().invoke(cli, list(args))


def test_clean_tree_exits_zero(tmp_path, monkeypatch, write_files):
    write_files({"ok.py": "x = 1\nprint(x)\n"})
    done = invoke(tmp_path, monkeypatch, "audit", "--no-cache")
    assert (done.exit_code, done.output) == (0, "All checks passed: 1 file checked.\n")


def test_findings_exit_one_in_ruff_style(tmp_path, monkeypatch, write_files):
    write_files({"a.py": FALLBACK, "b.py": LITERAL})
    done = invoke(tmp_path, monkeypatch, "audit", "--no-cache")
    assert done.exit_code == 1
    assert done.output.splitlines() == [
        "a.py:2:9: IG102 model default read from Django settings `DEFAULT_AI_MODEL`",
        "b.py:1:15: IG104 hardcoded model `gpt-4o-mini` is used as a default",
        "Found 2 findings (0 fixable): 2 files checked.",  # outside the plan's files: no fix removes them
    ]
    assert invoke(tmp_path, monkeypatch, "audit", "--no-cache", "--exit-zero").exit_code == 0


def test_json_has_exactly_the_spec_keys(tmp_path, monkeypatch, write_files):
    write_files({"a.py": FALLBACK})
    done = invoke(tmp_path, monkeypatch, "audit", "--no-cache", "--format", "json")
    assert done.exit_code == 1
    assert json.loads(done.stdout) == [
        {
            "kind": "settings-fallback",
            "code": "IG102",
            "path": "a.py",
            "line": 2,
            "column": 9,
            "symbol": "django.conf.settings.DEFAULT_AI_MODEL",
            "message": "model default read from Django settings `DEFAULT_AI_MODEL`",
            "fixable": False,  # outside the plan's files: no fix removes it
        }
    ]


def test_select_and_ignore_take_kinds_and_codes_comma_separated_and_repeated(tmp_path, monkeypatch, write_files):
    write_files({"a.py": FALLBACK, "b.py": LITERAL})
    only_literal = invoke(tmp_path, monkeypatch, "audit", "--no-cache", "--select", "model-literal-default")
    assert [line.split()[1] for line in only_literal.output.splitlines()[:-1]] == ["IG104"]
    both = invoke(tmp_path, monkeypatch, "audit", "--no-cache", "--select", "IG102,ig104", "--select", "IG001")
    assert [line.split()[1] for line in both.output.splitlines()[:-1]] == ["IG102", "IG104"]
    ignored = invoke(tmp_path, monkeypatch, "audit", "--no-cache", "--ignore", "settings-fallback", "--ignore", "IG104")
    assert (ignored.exit_code, ignored.output) == (0, "All checks passed: 2 files checked.\n")


def test_unknown_check_is_a_usage_error(tmp_path, monkeypatch):
    done = invoke(tmp_path, monkeypatch, "audit", "--select", "IG102,no-such-check")
    assert done.exit_code == 2
    assert "unknown check 'no-such-check'" in done.output


def test_unknown_format_is_a_usage_error(tmp_path, monkeypatch):
    assert invoke(tmp_path, monkeypatch, "audit", "--format", "xml").exit_code == 2


def test_configuration_names_drive_the_checks(tmp_path, monkeypatch, write_files):
    write_files(
        {
            "setup.cfg": "[igny8_refactor]\nconfig_names = AI_DEFAULTS\nfallback_settings = OPENAI_MODEL\n",
            "a.py": "AI_DEFAULTS = {'x': {'model': 'gpt-4.1'}}\nMODEL_CONFIG = {}\n",
            "b.py": "from django.conf import settings\nm = settings.OPENAI_MODEL\nn = settings.DEFAULT_AI_MODEL\n",
        },
    )
    done = invoke(tmp_path, monkeypatch, "audit", "--no-cache")
    assert done.output.splitlines() == [
        "a.py:1:1: IG101 `AI_DEFAULTS` is a hardcoded per-function model default",
        "b.py:2:5: IG102 model default read from Django settings `OPENAI_MODEL`",
        "Found 2 findings (0 fixable): 2 files checked.",  # neither is in the plan's files
    ]


def test_bad_configuration_names_the_key(tmp_path, monkeypatch, write_files):
    write_files({"setup.cfg": "[igny8_refactor]\nbogus = 1\n", "a.py": "x = 1\n"})
    done = invoke(tmp_path, monkeypatch, "audit")
    assert done.exit_code == 2
    assert "unknown key 'bogus'" in done.output


def test_config_option_reads_another_file(tmp_path, monkeypatch, write_files):
    write_files({"conf/other.toml": "[tool.igny8_refactor]\nconfig_names = ['TABLE']\n", "a.py": "TABLE = {}\n"})
    done = invoke(tmp_path, monkeypatch, "audit", "--no-cache", "--config", "conf/other.toml", "a.py")
    assert done.output.splitlines()[0] == "a.py:1:1: IG101 `TABLE` is a hardcoded per-function model default"


PROJECT = {
    "setup.cfg": "[igny8_refactor]\npaths = pkg\n",
    "pkg/__init__.py": "from pkg.core import run, spare\n__all__ = ['run', 'spare']\n",
    "pkg/core.py": "def run():\n    pass\n\ndef spare():\n    pass\n",
    "pkg/app.py": "from pkg import run\nrun()\n",
    "outside/tool.py": "from pkg import run\nrun()\n",
}


def test_files_outside_the_paths_are_read_for_references(tmp_path, monkeypatch, write_files):
    write_files({**PROJECT, "outside/tool.py": "from pkg import spare\nspare()\n"})
    done = invoke(tmp_path, monkeypatch, "audit", "--no-cache")
    # outside/ is not in `paths`, so it is not reported, but its use of `spare` counts
    assert done.output.splitlines() == ["All checks passed: 3 files checked."]


def test_paths_inside_the_configured_project_are_reported_against_the_whole_project(tmp_path, monkeypatch, write_files):
    write_files(PROJECT)
    done = invoke(tmp_path, monkeypatch, "audit", "--no-cache", "pkg/__init__.py")
    # pkg/app.py (not named) still counts as a user of `run`; only pkg/__init__.py is reported
    assert done.output.splitlines() == [
        "pkg/__init__.py:2:19: IG001 `spare` is exported from `pkg` but no other module uses it from there",
        "Found 1 finding (0 fixable): 1 file checked.",
    ]
    everything = invoke(tmp_path, monkeypatch, "audit", "--no-cache")
    assert [line.split(":")[0] for line in everything.output.splitlines()[:-1]] == ["pkg/__init__.py", "pkg/core.py"]


def test_paths_outside_the_configured_project_are_the_project(tmp_path, monkeypatch, write_files):
    write_files({**PROJECT, "outside/tool.py": "from pkg import spare\nspare()\n"})
    done = invoke(tmp_path, monkeypatch, "audit", "--no-cache", "pkg", "outside")
    assert (done.exit_code, done.output) == (0, "All checks passed: 4 files checked.\n")


def test_exclude_patterns(tmp_path, monkeypatch, write_files):
    write_files(
        {
            "setup.cfg": "[igny8_refactor]\npaths = app\nexclude = app/*/migrations\n",
            "app/__init__.py": "",
            "app/m/__init__.py": "",
            "app/m/migrations/0001_initial.py": "MODEL_CONFIG = {}\n",
        },
    )
    done = invoke(tmp_path, monkeypatch, "audit", "--no-cache")
    assert (done.exit_code, done.output) == (
        0,
        "All checks passed: 2 files checked.\n",
    )  # the migration is not one of them


def test_list_prints_every_check(tmp_path, monkeypatch):
    done = invoke(tmp_path, monkeypatch, "list")
    assert done.exit_code == 0
    lines = done.output.splitlines()
    for kind, check in load_checks().items():
        row = next(line for line in lines if f" {kind} " in line)
        assert row.split()[0] == check.code
        assert row.endswith(check.summary())
        assert ("fixable" in row.split()) == check.fixable
    assert "Codemods:" in lines


def test_unknown_check_in_the_configuration_is_named(tmp_path, monkeypatch, write_files):
    write_files({"setup.cfg": "[igny8_refactor]\nignore = IG102, nothing-like-it\n", "a.py": "x = 1\n"})
    done = invoke(tmp_path, monkeypatch, "audit", "--no-cache")
    assert done.exit_code == 2
    assert done.output == f"{tmp_path / 'setup.cfg'}: unknown check 'nothing-like-it' in select/ignore\n"


def test_configured_select_and_ignore_apply(tmp_path, monkeypatch, write_files):
    write_files(
        {"setup.cfg": "[igny8_refactor]\nignore = settings-fallback\n", "a.py": FALLBACK, "b.py": LITERAL},
    )
    done = invoke(tmp_path, monkeypatch, "audit", "--no-cache")
    assert [line.split()[1] for line in done.output.splitlines()[:-1]] == ["IG104"]
