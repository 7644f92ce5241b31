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


def stale(result):
    return [(f.path, f.line, f.symbol, f.message) for f in result.findings if f.code == "IG900"]


def test_a_bare_ignore_that_silences_nothing_is_reported_as_all(audit_tree):
    files = {
        "a.py": "from django.conf import settings\nm = settings.DEFAULT_AI_MODEL  # igny8: ignore\n",
        "b.py": "x = 1  # igny8: ignore\n",
    }
    assert stale(audit_tree(files)) == [("b.py", 1, "all", "`# igny8: ignore` silences no finding")]


def test_every_code_of_one_comment_is_judged_on_its_own(audit_tree):
    read = "from django.conf import settings\nm = settings.DEFAULT_AI_MODEL"
    files = {
        # the first code silences the finding, the second silences nothing
        "a.py": f"{read}  # igny8: ignore[settings-fallback, IG101]\n",
        # the first code is not a check at all, the second silences nothing
        "b.py": "x = 1  # igny8: ignore[no-such-check, IG102]\n",
    }
    assert sorted(stale(audit_tree(files))) == [
        ("a.py", 2, "IG101", "`# igny8: ignore[IG101]` silences no finding"),
        ("b.py", 1, "IG102", "`# igny8: ignore[IG102]` silences no finding"),
        ("b.py", 1, "no-such-check", "`no-such-check` in `# igny8: ignore[...]` is not a known check"),
    ]


def test_a_code_of_a_rule_that_did_not_run_is_not_called_stale(audit_tree):
    code = "x = 1  # igny8: ignore[settings-fallback, IG102, IG101]\n"
    result = audit_tree({"a.py": code}, ignore=("settings-fallback",))
    assert stale(result) == [("a.py", 1, "IG101", "`# igny8: ignore[IG101]` silences no finding")]
