"""default-model-fallback: the `_default_model` attribute and `model or self._default_model`."""
from __future__ import annotations

LEGACY = """\
class AICore:
    def __init__(self):
        try:
            from django.conf import settings
            self._default_model = getattr(settings, 'DEFAULT_AI_MODEL', 'gpt-4.1')
        except:
            self._default_model = 'gpt-4.1'

    def run_ai_request(self, prompt, model=None):
        active_model = model or self._default_model
        return active_model
"""


def test_legacy_ai_core_pattern(audit_tree):
    result = audit_tree({"core.py": LEGACY})
    assert [(f.line, f.column, f.kind, f.symbol) for f in result.findings] == [
        (5, 13, "default-model-fallback", "core.AICore._default_model"),
        (5, 35, "settings-fallback", "django.conf.settings.DEFAULT_AI_MODEL"),
        (7, 13, "default-model-fallback", "core.AICore._default_model"),
        (10, 24, "default-model-fallback", "core.AICore._default_model"),
    ]
    assert result.findings[-1].message == "`model or self._default_model` falls back to a default model"


def test_plain_read_of_the_attribute_is_flagged(audit_tree):
    code = "class C:\n    def f(self):\n        return self._default_model\n"
    assert [(f.line, f.message) for f in audit_tree({"c.py": code}).findings] == [
        (3, "fallback model `_default_model` is used")
    ]


def test_required_model_is_not_flagged(audit_tree):
    code = (
        "class C:\n    def run(self, model=None):\n        if not model:\n            raise ValueError('Model is required')\n"
        "        active_model = model\n        self.default_timeout = 30\n        return active_model or self.fallback_name\n"
    )
    assert audit_tree({"c.py": code}).findings == []
