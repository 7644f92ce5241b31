"""Write a small project to a temporary directory and audit it."""
from __future__ import annotations

import textwrap

import pytest

from audit.api import run_audit
from audit.config import Config


def write_tree(root, files: dict[str, str | bytes]) -> None:
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(textwrap.dedent(content), encoding="utf-8")


@pytest.fixture
def audit_tree(tmp_path, monkeypatch):
    """audit_tree(files, *paths, config=Config(), **run_audit options) -> AuditResult, run from tmp_path."""

    def run(files: dict[str, str | bytes], *paths: str, config: Config | None = None, **options):
        write_tree(tmp_path, files)
        monkeypatch.chdir(tmp_path)
        options.setdefault("use_cache", False)
        options.setdefault("jobs", 1)
        return run_audit(list(paths) or ["."], config or Config(), **options)

    return run
