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


SYMBOLS = """\
class C:
    def f(self, other):
        a = self._default_model
        b = cls._default_model
        c = other._default_model
        d = self.inner._default_model
        return model or self._default_model


def g(self):
    return self._default_model
"""


def test_symbol_names_the_class_only_for_self_and_cls_inside_it(audit_tree):
    assert [(f.line, f.symbol, f.message) for f in audit_tree({"c.py": SYMBOLS}).findings] == [
        (3, "c.C._default_model", "fallback model `_default_model` is used"),
        (4, "c.C._default_model", "fallback model `_default_model` is used"),
        (5, "c._default_model", "fallback model `_default_model` is used"),
        (6, "c._default_model", "fallback model `_default_model` is used"),
        (7, "c.C._default_model", "`model or self._default_model` falls back to a default model"),
        (11, "c._default_model", "fallback model `_default_model` is used"),
    ]


def test_symbol_of_a_file_without_a_module_name_starts_at_the_class_or_the_attribute():
    import libcst as cst

    from igny8_refactor.audit.checks.default_model_fallback import DefaultModelFallback
    from igny8_refactor.audit.records import ScanSettings
    from igny8_refactor.audit.rule_visitor import run_file_rules

    settings = ScanSettings(("MODEL_CONFIG",), ("DEFAULT_AI_MODEL",), ("gpt-",))
    ctx = run_file_rules(cst.parse_module(SYMBOLS), "", False, settings, rules=[DefaultModelFallback])
    assert [(r.line, r.symbol) for r in ctx.findings] == [
        (3, "C._default_model"),
        (4, "C._default_model"),
        (5, "_default_model"),
        (6, "_default_model"),
        (7, "C._default_model"),
        (11, "_default_model"),
    ]


def test_assignments_say_the_attribute_holds_a_fallback_and_outside_the_plan_why_they_stay(audit_tree):
    result = audit_tree({"core.py": LEGACY})
    ours = [f for f in result.findings if f.kind == "default-model-fallback"]
    assert [f.message for f in ours[:2]] == ["`_default_model` holds a fallback model"] * 2
    assert all(not f.fixable for f in ours)


def test_annotated_assignment_is_one_finding_a_bare_annotation_none_and_reads_beside_it_are_reads(audit_tree):
    code = (
        "class C:\n    _default_model: str\n\n    def __init__(self):\n        self._default_model: str\n"
        "        self._default_model: str = 'gpt-4.1'\n        other: str = self._default_model\n"
        "        total = 0\n        total += self._default_model\n        del self._default_model\n"
    )
    assert [(f.line, f.column, f.message) for f in audit_tree({"c.py": code}).findings] == [
        (6, 9, "`_default_model` holds a fallback model"),
        (7, 22, "fallback model `_default_model` is used"),
        (9, 18, "fallback model `_default_model` is used"),
    ]
