"""Generated modules through every codemod: no crash, output parses, a second run is a no-op."""
from __future__ import annotations

import hypothesmith
import libcst as cst
import pytest
from hypothesis import HealthCheck, assume, given, settings, strategies as st
from libcst.codemod import CodemodContext, SkipFile

from codemods.registry import CODEMODS
from codemod_helpers import LEGACY

MODULE = "igny8_core.ai.mod"
KWARGS = {
    "prune_orphan_exports": dict(orphans=[f"{MODULE}.{n}" for n in ("a", "b", "x", "get_model", "MODEL_CONFIG")],
                                 internal=["igny8_core"]),
    "remove_dead_helpers": dict(unused=[f"{MODULE}.{n}" for n in ("f", "g", "get_model")], internal=["igny8_core"], keep=[]),
    "require_account_guard": dict(scopes=[f"{MODULE}.f", f"{MODULE}.A.r", f"{MODULE}.AIEngine.execute"]),
    "remove_model_config": dict(config_names=["MODEL_CONFIG"], fallback_settings=["DEFAULT_AI_MODEL"],
                                model_patterns=[r"^gpt-[\w.-]+$"], shared=[]),
}

# pieces of the real shapes, so generated code meets the patterns and not only SkipFile
SNIPPETS = [
    "",
    "__all__ = ['a', 'b']\nfrom m import (\n    a,  # c\n    b,\n)\n",
    "MODEL_CONFIG = {'x': {'model': 'gpt-4.1'}}\n",
    "def get_model_config(function_name, account=None):\n    return MODEL_CONFIG.get(function_name)\n",
    "class A:\n    def __init__(self):\n        self._default_model = 'gpt-4.1'\n    def r(self, model=None):\n"
    "        m = model or self._default_model\n",
    "def run_ai_task(name, payload, account_id=None):\n    account = None\n    if account_id:\n"
    "        account = load(account_id)\n",
    "def f(self):\n    c = get_model_config(n, account=self.account)\n",
    *(p.read_text() for p in sorted(LEGACY.glob("*.py"))),
]


def run(name: str, code: str) -> str:
    context = CodemodContext(filename="/p/igny8_core/ai/mod.py", full_module_name=MODULE, full_package_name="igny8_core.ai")
    tree = cst.parse_module(code)
    try:
        return CODEMODS[name](context, **KWARGS.get(name, {})).transform_module(tree).code
    except SkipFile:
        return code


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


@pytest.mark.parametrize("name", sorted(CODEMODS))
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(source=modules)
def test_codemod_survives_generated_modules(name: str, source: str) -> None:
    assume(_parses(source))
    once = run(name, source)
    compile(once, "<rewritten>", "exec")
    assert run(name, once) == once
