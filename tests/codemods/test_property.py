"""Generated modules through every codemod and the real pipeline: no crash, output parses, a second run is a no-op."""

from __future__ import annotations

import tempfile
from pathlib import Path

import hypothesmith
import libcst as cst
import pytest
from codemod_helpers import LEGACY, PACKAGES, fix_tree, write_tree
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from igny8_refactor.audit.checks import load_checks

# the plan's file each command rewrites; the generated module stands there, in a tiny project
# where another module imports the names the snippets define (so not everything is unused)
PLACES = [
    ("prune_orphan_exports", "igny8_core/ai/__init__.py"),
    ("remove_dead_helpers", "igny8_core/ai/settings.py"),
    ("remove_default_model", "igny8_core/ai/ai_core.py"),
    ("remove_model_config", "igny8_core/ai/settings.py"),
    ("require_account_guard", "igny8_core/ai/engine.py"),
    ("require_account_guard", "igny8_core/ai/tasks.py"),
]
OTHERS = {
    "igny8_core/ai/settings.py": "def get_model_config(function_name, account=None):\n    return {}\n",
    "igny8_core/app.py": "from igny8_core.ai import a\nfrom igny8_core.ai.settings import get_model_config, f\n\nUSED = [a, get_model_config, f]\n",
}

# pieces of the real shapes, so generated code meets the patterns and not only no-ops
SNIPPETS = [
    "",
    "__all__ = ['a', 'b']\nfrom m import (\n    a,  # c\n    b,\n)\n",
    "from igny8_core.ai.settings import get_model_config\n",
    "MODEL_CONFIG = {'x': {'model': 'gpt-4.1'}}\n",
    "from igny8_core.modules.system.models import IntegrationSettings\n"
    "def get_model_config(function_name, account=None):\n    return MODEL_CONFIG.get(function_name)\n",
    "class A:\n    def __init__(self):\n        self._default_model = 'gpt-4.1'\n    def r(self, model=None):\n"
    "        m = model or self._default_model\n",
    "def run_ai_task(name, payload, account_id=None):\n    account = None\n    if account_id:\n"
    "        account = load(account_id)\n",
    "def f(self):\n    c = get_model_config(n, account=self.account)\n",
    "def g():\n    pass\n",
    *(p.read_text() for p in sorted(LEGACY.glob("*.py"))),
]


def _parses(code: str) -> bool:
    try:
        cst.parse_module(code)
        compile(code, "<generated>", "exec")
    except Exception:  # noqa: BLE001 - the generator's output, not ours
        return False
    return True


modules = st.builds(
    lambda before, generated, after: before + generated + ("\n" if not generated.endswith("\n") else "") + after,
    st.sampled_from(SNIPPETS),
    hypothesmith.from_grammar(),
    st.sampled_from(SNIPPETS),
)


@pytest.mark.parametrize("name, place", PLACES, ids=[f"{n}-{p.rsplit('/', 1)[1]}" for n, p in PLACES])
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(source=modules)
def test_codemod_survives_generated_modules(name: str, place: str, source: str) -> None:
    assert any(check.codemod == name for check in load_checks().values())
    assume(_parses(source))
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        write_tree(root, {**PACKAGES, **OTHERS, place: source.encode("utf-8")})
        first = fix_tree(root, only=[name])
        assert not first.errors, first.errors
        assert not first.failed, [(f.path, f.error) for f in first.failed]
        once = (root / place).read_bytes()
        compile(once, "<rewritten>", "exec")
        second = fix_tree(root, only=[name])
        assert not second.errors, second.errors
        assert not second.changed, [f.diff() for f in second.changed]
        assert (root / place).read_bytes() == once
