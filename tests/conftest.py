"""Shared fixtures for the audit and check tests: write a small project to tmp_path and audit it.

tests/runtime keeps its own conftest: it is copied and run alone against a rewritten tree.
"""

from __future__ import annotations

import os
import sys
import textwrap
from pathlib import Path

import pytest

from igny8_refactor.audit.api import run_audit
from igny8_refactor.audit.config import Config

HERE = str(Path(__file__).resolve().parent)
if HERE not in sys.path:
    sys.path.insert(0, HERE)  # tool_runner, for the tests of every folder

from tool_runner import clear_rule_caches  # noqa: E402 - found through the path set above


def pytest_xdist_auto_num_workers(config):
    """`-n auto` (setup.cfg) is one worker per CPU, but none under mutmut (bench/mutation.md): it
    records in its own process which tests reach which function, and a worker's would be lost."""
    if "MUTANT_UNDER_TEST" in os.environ:
        return 0
    return None  # pytest-xdist's own count


def write_tree(root, files: dict[str, str | bytes]) -> None:
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(textwrap.dedent(content), encoding="utf-8")


@pytest.fixture(autouse=True)
def fresh_rule_caches():
    """Each test computes the rules' trigger names, model regexes, the seed function's template and
    the scan's per-node-class dispatch itself, as a new process would: a value cached by an earlier
    test (or before a mutation-testing fork) would hide a change."""
    clear_rule_caches()


@pytest.fixture
def write_files(tmp_path):
    """write_files({relative path: text or bytes}) under tmp_path."""

    def write(files: dict[str, str | bytes]) -> None:
        write_tree(tmp_path, files)

    return write


@pytest.fixture
def audit_tree(tmp_path, monkeypatch):
    """audit_tree(files, *paths, config=Config(), **run_audit options) -> AuditResult, run from tmp_path.

    Unsafe fixes count as fixable here (these tests are about what each fix does); the two tiers
    have their own tests (tests/cli/test_fix_tiers.py).
    """

    def run(files: dict[str, str | bytes], *paths: str, config: Config | None = None, **options):
        write_tree(tmp_path, files)
        monkeypatch.chdir(tmp_path)
        options.setdefault("use_cache", False)
        options.setdefault("jobs", 1)
        options.setdefault("unsafe_fixes", True)
        return run_audit(list(paths) or ["."], config or Config(), **options)

    return run
