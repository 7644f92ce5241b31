"""Fault and bad-input tests: real files, the real command line (a subprocess or click's runner)."""

from __future__ import annotations

import errno
import os
import shutil
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from click.testing import CliRunner

from igny8_refactor.cli import cli

ROOT = Path(__file__).resolve().parents[2]
LEGACY = ROOT / "tests" / "fixtures" / "legacy" / "igny8_core"
TARGET = ROOT / "igny8_core"
AI_FILES = ("__init__.py", "ai_core.py", "engine.py", "settings.py", "tasks.py")
CACHE = ".igny8_refactor_cache"


def run_tool(cwd: Path, *args: str, env: dict | None = None, timeout: int = 300) -> subprocess.CompletedProcess:
    """`igny8-refactor ARGS` in a subprocess (bytes out: file names need not be UTF-8)."""
    environment = dict(os.environ)
    environment.pop("IGNY8_REFACTOR_COMMIT_PAUSE", None)
    environment.update(env or {})
    # the code next to these tests, wherever they were copied (mutation testing copies them)
    environment["PYTHONPATH"] = os.pathsep.join(filter(None, (str(ROOT), environment.get("PYTHONPATH"))))
    return subprocess.run(
        [sys.executable, "-m", "igny8_refactor", *args], cwd=cwd, capture_output=True, timeout=timeout, env=environment
    )


def tool(cwd: Path, *args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    """`run_tool`'s run inside this process (tests/tool_runner.py), with the same environment and bytes out."""
    from tool_runner import run_tool as run_in_process

    environment = dict(os.environ)
    environment.pop("IGNY8_REFACTOR_COMMIT_PAUSE", None)
    environment.update(env or {})
    return run_in_process(*args, cwd=cwd, env=environment, text=False)


def start_tool(cwd: Path, *args: str, env: dict | None = None) -> subprocess.Popen:
    environment = dict(os.environ, **(env or {}))
    environment["PYTHONPATH"] = os.pathsep.join(filter(None, (str(ROOT), environment.get("PYTHONPATH"))))
    return subprocess.Popen(
        [sys.executable, "-m", "igny8_refactor", *args],
        cwd=cwd,
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


def invoke(cwd: Path, monkeypatch, *args: str):
    monkeypatch.chdir(cwd)
    return CliRunner().invoke(cli, list(args))


@pytest.fixture(scope="session")
def legacy_template(tmp_path_factory) -> Path:
    """A checkout of the project with the legacy AI framework laid over it (never modified)."""
    tree = tmp_path_factory.mktemp("legacy-template")
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "db.sqlite3")
    shutil.copytree(TARGET, tree / "igny8_core", ignore=ignore)
    shutil.copytree(LEGACY, tree / "igny8_core", dirs_exist_ok=True, ignore=ignore)
    shutil.copy(ROOT / "manage.py", tree / "manage.py")
    (tree / "setup.cfg").write_text("[igny8_refactor]\npaths = igny8_core\nexclude = igny8_core/*/migrations\n")
    return tree


@pytest.fixture
def checkout(legacy_template, tmp_path) -> Path:
    """A fresh copy of the legacy checkout for one test."""
    tree = tmp_path / "checkout"
    shutil.copytree(legacy_template, tree, symlinks=True)
    return tree


def ai(tree: Path, name: str) -> Path:
    return tree / "igny8_core" / "ai" / name


def legacy_bytes(name: str) -> bytes:
    return (LEGACY / "ai" / name).read_bytes()


def target_bytes(name: str) -> bytes:
    return (TARGET / "ai" / name).read_bytes()


def snapshot(root: Path) -> dict[str, bytes]:
    """Every file under `root` (cache directory included) and its bytes."""
    return {
        str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file() and not p.is_symlink()
    }


def stray_temp_files(root: Path) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*.tmp"))


def xattrs_supported(directory: Path) -> bool:
    """Whether this filesystem stores user.* extended attributes (asked, not assumed)."""
    probe = directory / f".xattr-probe-{uuid.uuid4().hex}"
    probe.write_bytes(b"")
    try:
        os.setxattr(probe, "user.igny8-probe", b"1")
        return os.getxattr(probe, "user.igny8-probe") == b"1"
    except OSError as exc:
        if exc.errno in (errno.ENOTSUP, errno.EOPNOTSUPP, errno.EPERM):
            return False
        raise
    finally:
        probe.unlink()


def chattr(path: Path, flag: str) -> bool:
    """`chattr FLAG path`; False when the tool or the filesystem cannot."""
    tool = shutil.which("chattr")
    if tool is None:
        return False
    return subprocess.run([tool, flag, str(path)], capture_output=True).returncode == 0
