"""Each check page's "Suppressing it" example does what the page says, by kind and by code."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from igny8_refactor.audit.check_pages import page, section
from igny8_refactor.audit.checks import load_checks
from igny8_refactor.cli import cli

CHECKS = load_checks()

SETTINGS = """\
MODEL_CONFIG = {"auto_cluster": {"max_tokens": 4000}}


def get_model_config(function_name, account=None):
    return dict(MODEL_CONFIG.get(function_name, {}))
"""

# the code around each page's example line; {line} is the line as the page prints it
CONTEXT = {
    "orphan-export": "def list_functions():\n    return []\n\n\n__all__ = [\n{line}\n]\n",
    "unused-function": "{line}\n    return registry\n",
    "broken-import": "{line}\n\nprint(get_model)\n",
    "hardcoded-model-config": "from igny8_core.ai.settings import MODEL_CONFIG\n\n{line}\n",
    "settings-fallback": "from django.conf import settings\n\n{line}\n",
    "default-model-fallback": "class Client:\n    def run(self, model=None):\n        {line}\n        return active_model\n",
    "model-literal-default": "{line}\n    return text\n",
    "missing-account-guard": (
        "from igny8_core.ai.settings import get_model_config\n\n\ndef run(name):\n    {line}\n    return config\n"
    ),
}


def example_line(kind: str) -> str:
    text = section(page(kind), "Suppressing it")
    block = re.search(r"```python\n(.*?)```", text, re.DOTALL).group(1)
    (line,) = [l for l in block.splitlines() if "# igny8: ignore[" in l]
    return line


def audit(root: Path, code: str) -> list[dict]:
    result = CliRunner().invoke(
        cli,
        ["audit", "--no-cache", "--format", "json", "--select", f"{code},IG900", "igny8_core"],
        catch_exceptions=False,
    )
    assert result.exit_code in (0, 1), result.output
    return json.loads(result.stdout)


@pytest.fixture
def project(tmp_path, monkeypatch):
    (tmp_path / "setup.cfg").write_text("[igny8_refactor]\npaths = igny8_core\n")
    ai = tmp_path / "igny8_core" / "ai"
    ai.mkdir(parents=True)
    (tmp_path / "igny8_core" / "__init__.py").write_text("")
    (ai / "__init__.py").write_text("")
    (ai / "settings.py").write_text(SETTINGS)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_every_page_but_unused_suppression_has_an_example_here():
    assert set(CONTEXT) == set(CHECKS) - {"unused-suppression"}


@pytest.mark.parametrize("kind", sorted(CONTEXT))
@pytest.mark.parametrize("spelling", ["kind", "code"])
def test_the_page_s_suppression_silences_the_finding_and_is_used(project, kind, spelling):
    code = CHECKS[kind].code
    line = example_line(kind)
    if spelling == "code":
        line = line.replace(f"ignore[{kind}]", f"ignore[{code}]")
    target = project / "igny8_core" / "ai" / "example.py"
    source = CONTEXT[kind].format(line=line if kind == "orphan-export" else line.strip())
    number = next(n for n, l in enumerate(source.splitlines(), 1) if "# igny8: ignore[" in l)

    bare = re.sub(r"\s*# igny8: ignore\[[^\]]*\]", "", source)
    target.write_text(bare)
    flagged = [f for f in audit(project, code) if f["path"] == "igny8_core/ai/example.py" and f["line"] == number]
    assert [f["code"] for f in flagged] == [code], f"without the comment the example line should be flagged:\n{bare}"

    target.write_text(source)
    left = [f for f in audit(project, code) if f["path"] == "igny8_core/ai/example.py" and f["line"] == number]
    assert left == [], f"the page's suppression left findings:\n{source}"
