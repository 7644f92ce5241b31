"""
The realistic legacy checkout (examples/checkout) and its variants, built in a directory.

Every variant is the base checkout plus small, explicit transformations; each text
replacement asserts how often it applies, so a change to the checkout that a variant no
longer matches fails loudly instead of silently building the base tree again.

    variant = build(name, dest)   # -> Variant(root, project, prefix)

`root` is where the tool runs (the repository root), `project` the directory holding
manage.py and the igny8_core package (what goes on sys.path), `prefix` the path of
`project` relative to `root` ('' or 'backend/').
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
CHECKOUT = REPO / "examples" / "checkout"
REFACTORED = HERE / "refactored"  # the five plan files, refactored by hand as the plan says
RESOLVED = HERE / "resolved"  # what the plan leaves to a person, done by a person
BLACKISH = HERE / "variants" / "blackish"

AI = "igny8_core/ai"
PLAN_FILES = tuple(f"{AI}/{name}" for name in ("settings.py", "ai_core.py", "engine.py", "tasks.py", "__init__.py"))
IGNORE = shutil.ignore_patterns("__pycache__", "*.pyc", "db.sqlite3", ".igny8_refactor_cache")


@dataclass(frozen=True)
class Variant:
    name: str
    root: Path
    project: Path
    prefix: str

    def plan_files(self) -> list[str]:
        """The five plan files, relative to root."""
        return [self.prefix + rel for rel in PLAN_FILES]


def copy_checkout(dest: Path) -> Path:
    shutil.copytree(CHECKOUT, dest, ignore=IGNORE, dirs_exist_ok=True)
    return dest


def overlay(src: Path, dest: Path) -> None:
    shutil.copytree(src, dest, ignore=IGNORE, dirs_exist_ok=True)


def replace(path: Path, old: str, new: str, count: int = 1) -> None:
    """Replace `old` by `new` in a file, which must contain it exactly `count` times (newlines kept)."""
    data = path.read_bytes()
    crlf = b"\r\n" in data
    text = data.decode("utf-8").replace("\r\n", "\n")
    found = text.count(old)
    assert found == count, f"{path}: expected {count} x {old!r}, found {found}"
    text = text.replace(old, new)
    path.write_bytes((text.replace("\n", "\r\n") if crlf else text).encode("utf-8"))


# -- transformations --------------------------------------------------------------------


def to_crlf(project: Path) -> None:
    """Every Python file of the project with Windows newlines."""
    for path in project.rglob("*.py"):
        data = path.read_bytes().replace(b"\r\n", b"\n")
        path.write_bytes(data.replace(b"\n", b"\r\n"))


def two_space_indent(project: Path) -> None:
    """The five plan files re-indented with two spaces per level (a different house style)."""
    for rel in PLAN_FILES:
        path = project / rel
        data = path.read_bytes()
        newline = b"\r\n" if b"\r\n" in data else b"\n"
        out = []
        for line in data.split(newline):
            stripped = line.lstrip(b" ")
            width = len(line) - len(stripped)
            out.append(b" " * (width // 2 if width % 4 == 0 else width) + stripped)
        path.write_bytes(newline.join(out))
        compile(path.read_bytes(), str(path), "exec")


def aliased_imports(project: Path) -> None:
    """Imports under other names: get_model_config as gmc, django settings as dj_settings, ..."""
    ai = project / AI
    replace(
        ai / "engine.py",
        "from igny8_core.ai.settings import get_model_config\n",
        "from igny8_core.ai.settings import get_model_config as gmc\n",
    )
    replace(
        ai / "engine.py",
        "model_config = get_model_config(function_name, account=self.account)",
        "model_config = gmc(function_name, account=self.account)",
    )
    replace(
        ai / "ai_core.py", "from django.conf import settings\n\n", "from django.conf import settings as dj_settings\n\n"
    )
    replace(
        ai / "ai_core.py",
        "            from django.conf import settings\n"
        "            self._default_model = getattr(settings, 'DEFAULT_AI_MODEL', 'gpt-4.1')\n",
        "            self._default_model = getattr(dj_settings, 'DEFAULT_AI_MODEL', 'gpt-4.1')\n",
    )
    replace(ai / "ai_core.py", "settings.OPENAI_", "dj_settings.OPENAI_", count=2)
    replace(
        ai / "settings.py",
        "from igny8_core.business.integration.models import IntegrationSettings\n",
        "from igny8_core.business.integration.models import IntegrationSettings as IntegrationSettingsModel\n",
    )
    replace(ai / "settings.py", "IntegrationSettings.objects.filter(", "IntegrationSettingsModel.objects.filter(")
    replace(
        ai / "tasks.py",
        "from igny8_core.ai import AIEngine, get_function\n",
        "from igny8_core.ai import AIEngine as Engine, get_function as lookup_function\n",
    )
    replace(
        ai / "tasks.py",
        "AIEngine(celery_task=self, account=account)",
        "Engine(celery_task=self, account=account)",
        count=2,
    )
    replace(ai / "tasks.py", "get_function(", "lookup_function(", count=2)
    views = project / "igny8_core" / "modules" / "system" / "views.py"
    replace(
        views,
        "from igny8_core.ai import get_model_config\n",
        "from igny8_core.ai import get_model_config as resolve_model_config\n",
    )
    replace(views, 'config = get_model_config("auto_cluster"', 'config = resolve_model_config("auto_cluster"')


def relative_imports(project: Path) -> None:
    """The AI package importing itself (and the model) with relative imports."""
    ai = project / AI
    replace(ai / "engine.py", "from igny8_core.ai.ai_core import AICore\n", "from .ai_core import AICore\n")
    replace(
        ai / "engine.py",
        "from igny8_core.ai.settings import get_model_config\n",
        "from .settings import get_model_config\n",
    )
    replace(ai / "__init__.py", "from igny8_core.ai.base import", "from .base import")
    replace(ai / "__init__.py", "from igny8_core.ai.engine import", "from .engine import")
    replace(ai / "__init__.py", "from igny8_core.ai.registry import", "from .registry import")
    replace(ai / "__init__.py", "from igny8_core.ai.settings import", "from .settings import")
    replace(
        ai / "settings.py",
        "from igny8_core.business.integration.models import IntegrationSettings\n",
        "from ..business.integration.models import IntegrationSettings\n",
    )
    replace(
        ai / "tasks.py", "from igny8_core.ai import AIEngine, get_function\n", "from . import AIEngine, get_function\n"
    )
    replace(
        ai / "tasks.py", "from igny8_core.auth.models import Account\n", "from ..auth.models import Account\n", count=2
    )


def guard_shapes(project: Path) -> None:
    """The guards' surroundings in other shapes: a keyword-only account_id loaded with a
    conditional expression, and the engine passing the account positionally."""
    ai = project / AI
    replace(
        ai / "tasks.py",
        "def run_ai_task(self, function_name: str, payload: dict, account_id: int = None):",
        "def run_ai_task(self, function_name: str, payload: dict, *, account_id: int = None):",
    )
    replace(
        ai / "tasks.py",
        "        # Get account\n"
        "        account = None\n"
        "        if account_id:\n"
        "            account = Account.objects.get(id=account_id)\n",
        "        # Get account\n        account = Account.objects.get(id=account_id) if account_id else None\n",
    )
    replace(
        ai / "engine.py",
        "model_config = get_model_config(function_name, account=self.account)",
        "model_config = get_model_config(function_name, self.account)",
    )


SUBFOLDER_CFG = """\
[igny8_refactor]
paths = backend/igny8_core
exclude = backend/igny8_core/*/migrations
    backend/igny8_core/*/*/migrations
internal = igny8_core
"""


def subfolder(dest: Path, config: bool) -> Path:
    """A monorepo: the Django project in backend/, a frontend next to it, the tool run from the top."""
    backend = dest / "backend"
    copy_checkout(backend)
    (backend / "setup.cfg").unlink()
    (dest / "frontend" / "src").mkdir(parents=True)
    (dest / "frontend" / "package.json").write_text('{"name": "igny8-frontend", "private": true}\n')
    (dest / "frontend" / "src" / "main.ts").write_text("export const API = '/api/v1/';\n")
    (dest / "docker-compose.yml").write_text(
        "services:\n  backend:\n    build: ./backend\n    command: python manage.py runserver 0.0.0.0:8000\n"
    )
    (dest / "README.md").write_text("# igny8\n\nbackend/ (Django + Celery), frontend/ (React)\n")
    if config:
        (dest / "setup.cfg").write_text(SUBFOLDER_CFG)
    return backend


VARIANTS = (
    "base",
    "crlf",
    "blackish",
    "two_space",
    "aliases",
    "relative",
    "guard_shapes",
    "subfolder",
    "subfolder_noconfig",
)


def build(name: str, dest: Path) -> Variant:
    """Build variant `name` of the legacy checkout in `dest` (created)."""
    dest.mkdir(parents=True, exist_ok=True)
    if name.startswith("subfolder"):
        project = subfolder(dest, config=(name == "subfolder"))
        return Variant(name, dest, project, "backend/")
    project = copy_checkout(dest)
    if name == "crlf":
        to_crlf(project)
    elif name == "blackish":
        overlay(BLACKISH, project)
    elif name == "two_space":
        two_space_indent(project)
    elif name == "aliases":
        aliased_imports(project)
    elif name == "relative":
        relative_imports(project)
    elif name == "guard_shapes":
        guard_shapes(project)
    elif name != "base":
        raise ValueError(f"unknown variant {name!r}")
    return Variant(name, dest, project, "")


def build_refactored(dest: Path, resolved: bool = False) -> Variant:
    """The checkout with the plan applied by hand (and, if `resolved`, the leftovers handled)."""
    project = copy_checkout(dest)
    overlay(REFACTORED, project)
    if resolved:
        overlay(RESOLVED, project)
    return Variant("refactored" + ("_resolved" if resolved else ""), dest, project, "")
