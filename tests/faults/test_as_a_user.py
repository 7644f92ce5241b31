"""Permission cases through the installed command, run as an unprivileged user (root reads and
writes whatever the mode bits say; CI runs as root, so the command is run as `nobody` there)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

COMMAND = Path(sys.executable).with_name("igny8-refactor")
NOBODY = 65534

FILES = {
    "setup.cfg": "[igny8_refactor]\ninternal = shop\n",
    "shop/__init__.py": "",
    "shop/helpers.py": "def used_in_blocked():\n    return 1\n\n\ndef dead():\n    return 2\n",
    "shop/blocked/__init__.py": "",
    "shop/blocked/views.py": "from shop.helpers import used_in_blocked\n\nVALUE = used_in_blocked()\n",
}


@pytest.fixture
def project():
    """A project the unprivileged user owns, in a folder that user can reach."""
    root = Path(tempfile.mkdtemp(prefix="igny8-user-"))
    try:
        os.chmod(root, 0o755)
        for rel, text in FILES.items():
            path = root / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text)
        if os.geteuid() == 0:
            for path in [root, *root.rglob("*")]:
                os.lchown(path, NOBODY, NOBODY)
        yield root
    finally:
        for path in [root, *root.rglob("*")]:
            if not path.is_symlink():
                os.chmod(path, 0o755 if path.is_dir() else 0o644)
        shutil.rmtree(root)


def as_user(root: Path, *args: str) -> subprocess.CompletedProcess:
    prefix = []
    if os.geteuid() == 0:
        setpriv = shutil.which("setpriv")
        if setpriv is None:
            pytest.fail("running as root, these cases need setpriv (util-linux) to drop to an unprivileged user")
        prefix = [setpriv, f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups", "--"]
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(root), "LC_ALL": "C.UTF-8"}
    return subprocess.run(
        [*prefix, str(COMMAND), *args], cwd=root, capture_output=True, text=True, env=env, timeout=300
    )


def test_the_user_is_really_unprivileged(project: Path) -> None:
    done = subprocess.run(
        [
            *(
                ["setpriv", f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups", "--"]
                if os.geteuid() == 0
                else []
            ),
            sys.executable,
            "-c",
            "import os; print(os.geteuid())",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    assert done.stdout.strip() != "0"


def test_a_folder_the_user_cannot_read_is_an_error_and_nothing_is_removed(project: Path) -> None:
    os.chmod(project / "shop/blocked", 0o000)
    audited = as_user(project, "audit", "--no-cache", ".")
    assert audited.returncode == 2, audited.stdout + audited.stderr
    assert "shop/blocked: cannot read directory: Permission denied" in audited.stderr
    fixed = as_user(project, "fix", "--unsafe-fixes", "--allow-dirty", ".")
    assert fixed.returncode == 2, fixed.stdout + fixed.stderr
    assert "Traceback" not in fixed.stderr
    assert (project / "shop/helpers.py").read_text() == FILES["shop/helpers.py"]


def test_a_file_the_user_cannot_read_is_an_error_and_nothing_is_removed(project: Path) -> None:
    os.chmod(project / "shop/blocked/views.py", 0o000)
    fixed = as_user(project, "fix", "--unsafe-fixes", "--allow-dirty", ".")
    assert fixed.returncode == 2, fixed.stdout + fixed.stderr
    assert "shop/blocked/views.py: cannot read: Permission denied" in fixed.stderr
    assert "Traceback" not in fixed.stderr
    assert (project / "shop/helpers.py").read_text() == FILES["shop/helpers.py"]


def test_a_read_only_project_is_audited_and_fix_says_why_it_wrote_nothing(project: Path) -> None:
    for path in [project, *project.rglob("*")]:
        os.chmod(path, 0o555 if path.is_dir() else 0o444)
    audited = as_user(project, "audit", ".")  # the cache cannot be written: the report still comes
    assert audited.returncode == 1, audited.stdout + audited.stderr
    assert "shop/helpers.py:5:1: IG002" in audited.stdout
    fixed = as_user(project, "fix", "--unsafe-fixes", "--allow-dirty", ".")
    assert fixed.returncode == 2, fixed.stdout + fixed.stderr
    assert "shop/helpers.py: cannot write: Permission denied" in fixed.stderr
    assert "Traceback" not in fixed.stderr
    assert (project / "shop/helpers.py").read_text() == FILES["shop/helpers.py"]
    assert sorted(p.name for p in (project / "shop").iterdir()) == ["__init__.py", "blocked", "helpers.py"]


def test_once_readable_the_same_fix_removes_only_the_dead_function(project: Path) -> None:
    fixed = as_user(project, "fix", "--unsafe-fixes", "--allow-dirty", ".")
    assert fixed.returncode == 0, fixed.stdout + fixed.stderr
    assert (project / "shop/helpers.py").read_text() == "def used_in_blocked():\n    return 1\n"
    assert os.stat(project / "shop/helpers.py").st_uid == (NOBODY if os.geteuid() == 0 else os.geteuid())


def test_the_bundled_checkout_with_an_app_the_user_cannot_read_deletes_no_definition() -> None:
    """The realistic checkout, owned by the user, one of its apps unreadable: `fix` names the folder
    once, exits 2, applies only the plan's local rewrites and deletes no definition (the dead
    helpers and MODEL_CONFIG stay, with the reason); once the folder is readable, the same command
    finishes the job. Only the plan's five files ever change."""
    root = Path(tempfile.mkdtemp(prefix="igny8-user-checkout-"))
    checkout = Path(__file__).resolve().parents[2] / "examples" / "checkout"
    five = [f"igny8_core/ai/{name}" for name in ("__init__.py", "ai_core.py", "engine.py", "settings.py", "tasks.py")]
    try:
        os.chmod(root, 0o755)
        shutil.copytree(checkout, root / "checkout", ignore=shutil.ignore_patterns("__pycache__"))
        project = root / "checkout"
        if os.geteuid() == 0:
            for path in [project, *project.rglob("*")]:
                os.lchown(path, NOBODY, NOBODY)
        before = {p: p.read_bytes() for p in project.rglob("*.py")}
        blocked = project / "igny8_core/modules/writer"
        os.chmod(blocked, 0o000)
        try:
            fixed = as_user(project, "fix", "--unsafe-fixes", "--allow-dirty", "--no-cache", ".")
        finally:
            os.chmod(blocked, 0o755)
        assert fixed.returncode == 2, fixed.stdout + fixed.stderr
        assert fixed.stderr.count("igny8_core/modules/writer: cannot read directory: Permission denied") == 1
        assert "nothing is deleted while 1 path of the project cannot be read or parsed" in fixed.stderr
        assert "Traceback" not in fixed.stderr
        settings = (project / "igny8_core/ai/settings.py").read_text()
        assert "MODEL_CONFIG = {" in settings and "def get_temperature" in settings
        changed = sorted(str(p.relative_to(project)) for p in project.rglob("*.py") if p.read_bytes() != before[p])
        assert set(changed) <= set(five)
        fixed = as_user(project, "fix", "--allow-dirty", "--no-cache", ".")
        assert fixed.returncode == 0, fixed.stdout + fixed.stderr
        assert "def get_temperature" not in (project / "igny8_core/ai/settings.py").read_text()
        changed = sorted(str(p.relative_to(project)) for p in project.rglob("*.py") if p.read_bytes() != before[p])
        assert changed == five
    finally:
        shutil.rmtree(root)
