"""unused-suppression (IG900): a suppression that silences nothing is reported; one that does is not."""
from __future__ import annotations


def test_used_suppression_is_silent_and_unused_is_reported(audit_tree):
    files = {
        "a.py": "from django.conf import settings\nm = settings.DEFAULT_AI_MODEL  # igny8: ignore[IG102]\n",
        "b.py": "model = 'x'  # igny8: ignore[IG102]\n",
    }
    result = audit_tree(files)
    assert [(f.path, f.line, f.code) for f in result.findings] == [("b.py", 1, "IG900")]


def test_ignoring_ig900_drops_the_report(audit_tree):
    result = audit_tree({"b.py": "model = 'x'  # igny8: ignore[IG102]\n"}, ignore=("IG900",))
    assert result.findings == []
