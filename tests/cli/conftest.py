"""Fixtures for the command-line tests: a small configured project, and the same under git."""

from __future__ import annotations

from pathlib import Path

import pytest
from cli_helpers import LEGACY_CORE, MIGRATION_WITH_DEAD_HELPER, SETUP_CFG, git, write


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A small configured project: one module `fix` rewrites, one it leaves, an excluded migration."""
    root = tmp_path / "project"
    write(
        root,
        {
            "setup.cfg": SETUP_CFG,
            "src/app/__init__.py": "",
            "src/app/ai_core.py": LEGACY_CORE,
            "src/app/views.py": "from app.ai_core import AICore\n\nAICore().run('gpt-4o')\n",
            "src/app/migrations/__init__.py": "",
            "src/app/migrations/0001_initial.py": MIGRATION_WITH_DEAD_HELPER,
        },
    )
    return root


@pytest.fixture
def repo(project: Path) -> Path:
    """The project as a git repository with everything committed."""
    git("init", "-q", cwd=project)
    git("add", "-A", cwd=project)
    git("commit", "-q", "-m", "initial", cwd=project)
    return project
