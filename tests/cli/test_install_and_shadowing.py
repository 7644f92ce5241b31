"""Installing as the README says (a git URL, a built wheel), and running from a project root that
has its own `audit` and `codemods` packages: the tool installs one package, `igny8_refactor`, so
both entry points use the tool's code and never the project's, and `startapp audit` works.

Each install goes into a fresh virtualenv; the dependencies come from the package index (or
pip's cache), so the module's first test takes several seconds.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from cli_helpers import REPO, git, write

HOME = "https://github.com/igny8/igny8-refactor"
# a Django project root whose own `audit` app and `codemods` package must never be imported by the tool
USER_PROJECT = {
    "setup.cfg": "[igny8_refactor]\npaths = app, audit\n",
    "manage.py": "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'app.settings')\n",
    "app/__init__.py": "",
    "app/views.py": "from django.conf import settings\n\nMODEL = settings.DEFAULT_AI_MODEL\n",
    "audit/__init__.py": 'raise SystemExit("the project\'s own `audit` package was imported")\n',
    "audit/apps.py": "from django.apps import AppConfig\n\n\nclass AuditConfig(AppConfig):\n    name = 'audit'\n",
    "audit/models.py": "def log(model='gpt-4o-mini'):\n    return model\n\n\nlog()\n",
    "codemods/__init__.py": 'raise SystemExit("the project\'s own `codemods` package was imported")\n',
    # a directory the project puts on PYTHONPATH (vendored code), with packages of the same names
    "lib/audit/__init__.py": 'raise SystemExit("the project\'s own `audit` package was imported (lib)")\n',
    "lib/codemods/__init__.py": 'raise SystemExit("the project\'s own `codemods` package was imported (lib)")\n',
}
EXPECTED = [
    "app/views.py:3:9: IG102 model default read from Django settings `DEFAULT_AI_MODEL`",
    "audit/models.py:1:15: IG104 hardcoded model `gpt-4o-mini` is used as a default",
]


def _snapshot(target: Path) -> Path:
    """This repository's files (committed and not), without the test-suite, as a one-commit git repository."""
    listed = (
        subprocess.run(
            ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
            cwd=REPO,
            check=True,
            capture_output=True,
        )
        .stdout.decode()
        .split("\0")
    )
    for name in listed:
        source = REPO / name
        if not name or name.startswith("tests/") or not (source.is_file() or source.is_symlink()):
            continue
        (target / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, target / name, follow_symlinks=False)
    git("init", "-q", cwd=target)
    git("add", "-A", cwd=target)
    git("commit", "-q", "-m", "snapshot", cwd=target)
    return target


def _venv(path: Path) -> Path:
    subprocess.run([sys.executable, "-m", "venv", str(path)], check=True, capture_output=True)
    return path / "bin"


def _pip(bin_dir: Path, *args: str) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PIP_REQUIRE_VIRTUALENV")}
    done = subprocess.run(
        [str(bin_dir / "python"), "-m", "pip", "install", "-q", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=900,
    )
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.fixture(scope="module")
def snapshot(tmp_path_factory) -> Path:
    return _snapshot(tmp_path_factory.mktemp("source") / "igny8-refactor")


@pytest.fixture(scope="module")
def from_git_url(snapshot, tmp_path_factory) -> Path:
    """A virtualenv with `pip install 'igny8-refactor @ git+<url>'`, as the README shows."""
    bin_dir = _venv(tmp_path_factory.mktemp("git-url") / "venv")
    _pip(bin_dir, f"igny8-refactor @ git+file://localhost{snapshot}")
    return bin_dir


@pytest.fixture(scope="module")
def from_wheel(snapshot, tmp_path_factory) -> Path:
    """A virtualenv with a wheel built from a checkout (`pip wheel --no-deps -w dist .`) installed."""
    dist = tmp_path_factory.mktemp("dist")
    built = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(dist), "."],
        cwd=snapshot,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert built.returncode == 0, built.stdout + built.stderr
    wheels = sorted(dist.glob("igny8_refactor-*.whl"))
    assert len(wheels) == 1, wheels
    bin_dir = _venv(tmp_path_factory.mktemp("wheel") / "venv")
    _pip(bin_dir, str(wheels[0]))
    return bin_dir


@pytest.fixture
def user_project(tmp_path) -> Path:
    root = tmp_path / "site"
    write(root, USER_PROJECT)
    return root


def _entry_points(bin_dir: Path) -> dict[str, list[str]]:
    return {"script": [str(bin_dir / "igny8-refactor")], "module": [str(bin_dir / "python"), "-m", "igny8_refactor"]}


def _run(command: list[str], *args: str, cwd: Path, pythonpath: str | None = None) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONPATH", "NO_COLOR", "FORCE_COLOR")}
    if pythonpath:
        env["PYTHONPATH"] = pythonpath
    return subprocess.run(
        [*command, *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=300, stdin=subprocess.DEVNULL
    )


def _assert_the_tool_is_ours(command: list[str], root: Path, pythonpath: str | None) -> None:
    audit = _run(command, "audit", "--no-cache", cwd=root, pythonpath=pythonpath)
    assert "own `audit` package" not in audit.stderr and "own `codemods` package" not in audit.stderr, audit.stderr
    assert audit.returncode == 1, audit.stdout + audit.stderr
    assert audit.stdout.splitlines() == [
        *EXPECTED,
        "Found 2 findings (0 fixable): 5 files checked.",
    ]  # neither in the plan's files
    listing = _run(command, "list", cwd=root, pythonpath=pythonpath)
    assert listing.returncode == 0, listing.stderr
    assert "remove_model_config" in listing.stdout  # our codemods registry, not the project's package
    check = _run(command, "fix", "--check", cwd=root, pythonpath=pythonpath)
    assert "own `codemods` package" not in check.stderr and check.returncode in (0, 1), check.stderr


# the project's packages reach sys.path through the current directory (`python -m`) or through
# PYTHONPATH (a common container setup); either way the tool's own packages must be the ones imported
WHERE = pytest.mark.parametrize("on_pythonpath", [False, True], ids=["cwd", "PYTHONPATH"])
ENTRY = pytest.mark.parametrize("entry", ["script", "module"])


@WHERE
@ENTRY
def test_development_install_is_not_shadowed(user_project, entry, on_pythonpath):
    command = _entry_points(Path(sys.executable).parent)[entry]
    _assert_the_tool_is_ours(command, user_project, str(user_project / "lib") if on_pythonpath else None)


@WHERE
@ENTRY
def test_install_from_a_git_url_is_not_shadowed(from_git_url, user_project, entry, on_pythonpath):
    _assert_the_tool_is_ours(
        _entry_points(from_git_url)[entry], user_project, str(user_project / "lib") if on_pythonpath else None
    )


@WHERE
@ENTRY
def test_install_from_a_wheel_is_not_shadowed(from_wheel, user_project, entry, on_pythonpath):
    _assert_the_tool_is_ours(
        _entry_points(from_wheel)[entry], user_project, str(user_project / "lib") if on_pythonpath else None
    )


def test_the_install_adds_no_audit_or_codemods_package_and_startapp_audit_works(from_wheel, tmp_path):
    python = str(from_wheel / "python")
    probe = "import importlib.util as u; print(u.find_spec('audit'), u.find_spec('codemods'), u.find_spec('igny8_refactor.audit').name)"
    found = _run([python, "-c", probe], cwd=tmp_path)
    assert found.stdout.split() == ["None", "None", "igny8_refactor.audit"], found.stderr
    _pip(from_wheel, "Django>=5.2,<5.3")
    made = _run([str(from_wheel / "django-admin"), "startproject", "mysite", str(tmp_path)], cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    app = _run([python, "manage.py", "startapp", "audit"], cwd=tmp_path)
    assert app.returncode == 0, app.stderr  # "conflicts with the name of an existing Python module" before
    assert (tmp_path / "audit" / "apps.py").is_file()


def test_libcst_tool_runs_the_codemods_in_a_user_project_with_the_installed_wheel(from_wheel, tmp_path):
    """The README's `python -m libcst.tool codemod ...` line, in a project outside this repository,
    with the wheel installed in a virtualenv of its own (`initialize`, then `modules:`)."""
    project = tmp_path / "user-project"
    source = 'class AICore:\n    def __init__(self):\n        self._default_model = "gpt-4.1"\n'
    write(project, {"igny8_core/__init__.py": "", "igny8_core/ai/__init__.py": "", "igny8_core/ai/ai_core.py": source})
    tool = [str(from_wheel / "python"), "-m", "libcst.tool"]
    done = _run([*tool, "initialize", "."], cwd=project)
    assert done.returncode == 0, done.stderr
    config = project / ".libcst.codemod.yaml"
    config.write_text(config.read_text().replace("modules:\n", "modules:\n- 'igny8_refactor.codemods'\n", 1))
    line = next(
        x for x in (REPO / "README.md").read_text().splitlines() if x.startswith("python -m libcst.tool codemod ")
    )
    done = _run([*tool, *line.split()[3:-1], "igny8_core/ai/ai_core.py"], cwd=project)
    assert done.returncode == 0, done.stderr
    assert "Transformed 1 files successfully" in done.stderr
    assert (
        project / "igny8_core/ai/ai_core.py"
    ).read_text() == "class AICore:\n    def __init__(self):\n        pass\n"


def test_sarif_links_point_at_the_project_url(from_git_url, user_project):
    done = _run([str(from_git_url / "igny8-refactor"), "audit", "--no-cache", "--format", "sarif"], cwd=user_project)
    assert done.returncode == 1, done.stderr
    driver = json.loads(done.stdout)["runs"][0]["tool"]["driver"]
    assert driver["informationUri"] == HOME
    assert {rule["helpUri"] for rule in driver["rules"]} == {
        f"{HOME}/blob/HEAD/audit/checks/{rule['name'].replace('-', '_')}.py" for rule in driver["rules"]
    }
    for rule in driver["rules"]:
        assert (REPO / "audit" / "checks" / f"{rule['name'].replace('-', '_')}.py").is_file(), rule["name"]
