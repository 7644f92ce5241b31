"""Which configuration wins when one folder holds two, and where GitHub and SARIF reports anchor their paths."""

from __future__ import annotations

import json
from pathlib import Path

from cli_helpers import git, tool, write

PYPROJECT = '[tool.igny8_refactor]\npaths = ["app"]\n'
SETUP_CFG = "[igny8_refactor]\npaths = other\n"


def test_pyproject_wins_over_setup_cfg_in_the_same_folder_with_a_warning(tmp_path: Path):
    write(tmp_path, {"pyproject.toml": PYPROJECT, "setup.cfg": SETUP_CFG, "app/a.py": "def spare():\n    pass\n"})
    done = tool("audit", "--no-cache", cwd=tmp_path)
    assert done.returncode == 1
    assert done.stdout.startswith("app/a.py:1:1: IG002 ")
    assert done.stderr == (
        f"warning: {tmp_path / 'setup.cfg'}: [igny8_refactor] ignored; the [tool.igny8_refactor] table of "
        f"{tmp_path / 'pyproject.toml'} in the same folder takes precedence\n"
    )
    # one of them alone: no warning
    (tmp_path / "setup.cfg").write_text("[metadata]\nname = x\n")
    assert tool("audit", "--no-cache", cwd=tmp_path).stderr == ""


def test_key_errors_name_the_section_of_the_file(tmp_path: Path):
    write(tmp_path, {"pyproject.toml": '[tool.igny8_refactor]\npath = ["app"]\n', "app/a.py": ""})
    done = tool("audit", cwd=tmp_path)
    assert done.returncode == 2
    assert done.stderr.strip().endswith("unknown key 'path' in [tool.igny8_refactor]")
    (tmp_path / "pyproject.toml").unlink()
    (tmp_path / "setup.cfg").write_text("[igny8_refactor]\npath = app\n")
    assert tool("audit", cwd=tmp_path).stderr.strip().endswith("unknown key 'path' in [igny8_refactor]")


def test_github_and_sarif_paths_are_relative_to_the_repository_root(tmp_path: Path):
    """Run from backend/ (or deeper): the annotations still name files from the repository's root."""
    write(
        tmp_path,
        {
            "backend/setup.cfg": "[igny8_refactor]\npaths = app\n",
            "backend/app/__init__.py": "",
            "backend/app/a.py": "def spare():\n    pass\n",
        },
    )
    git("init", "-q", cwd=tmp_path)
    for cwd in (tmp_path / "backend", tmp_path / "backend" / "app"):
        github = tool("audit", "--no-cache", "--format", "github", cwd=cwd)
        assert github.stdout.startswith("::error file=backend/app/a.py,line=1,col=1,title=IG002 unused-function::")
        sarif = json.loads(tool("audit", "--no-cache", "--format", "sarif", cwd=cwd).stdout)
        run = sarif["runs"][0]
        assert run["originalUriBaseIds"] == {"%SRCROOT%": {"uri": tmp_path.resolve().as_uri() + "/"}}
        location = run["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
        assert location == {"uri": "backend/app/a.py", "uriBaseId": "%SRCROOT%"}
    # the text report stays relative to where the run is
    assert tool("audit", "--no-cache", cwd=tmp_path / "backend").stdout.startswith("app/a.py:1:1: IG002 ")
