"""The version and the pins agree: setup.cfg, `--version`, the installed metadata, and every `rev:` and
`@REF` the README and docs/gate.md give (a tag of this version, or one commit SHA of this repository)."""

from __future__ import annotations

import re
import subprocess
from importlib import metadata

import pytest
from cli_helpers import REPO, tool

import igny8_refactor

DOCS = ("README.md", "docs/gate.md")


def test_version_is_one_number_everywhere(tmp_path):
    version = igny8_refactor.__version__
    assert "version = attr: igny8_refactor.__version__" in (REPO / "setup.cfg").read_text()
    assert metadata.version("igny8-refactor") == version
    assert tool("--version", cwd=tmp_path).stdout == f"igny8-refactor, version {version}\n"
    assert f"The version is {version}" in (REPO / "README.md").read_text()


def test_every_documented_pin_is_the_same_and_exists():
    pins = set()
    for doc in DOCS:
        text = (REPO / doc).read_text(encoding="utf-8")
        pins |= set(re.findall(r"^\s*rev: (\S+)", text, re.M))
        pins |= set(re.findall(r"git\+https://github\.com/igny8/igny8-refactor@([\w.]+)", text))
    assert len(pins) == 1, pins
    (pin,) = pins
    if not (REPO / ".git").exists():
        pytest.skip("not a git checkout: the pinned commit cannot be looked up")
    tag = f"v{igny8_refactor.__version__}"
    tags = subprocess.run(["git", "tag", "--list", tag], cwd=REPO, capture_output=True, text=True).stdout.split()
    if pin != tag or not tags:  # until the version is tagged: a commit of this repository, by its full SHA
        assert re.fullmatch(r"[0-9a-f]{40}", pin), pin
        exists = subprocess.run(["git", "cat-file", "-e", f"{pin}^{{commit}}"], cwd=REPO, capture_output=True)
        assert exists.returncode == 0, f"{pin} is not a commit of this repository"
    # the pinned commit has the hooks and the options the documented configuration uses
    hooks = subprocess.run(["git", "show", f"{pin}:.pre-commit-hooks.yaml"], cwd=REPO, capture_output=True, text=True)
    assert "id: igny8-audit" in hooks.stdout and "id: igny8-fix" in hooks.stdout
    option = subprocess.run(["git", "grep", "-q", "-e", "--diff-base", pin, "--", "igny8_refactor"], cwd=REPO)
    assert option.returncode == 0, f"{pin} has no --diff-base"
