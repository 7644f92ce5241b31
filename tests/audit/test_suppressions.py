"""`# igny8: ignore[...]` comments, and IG900 for the ones that silence nothing."""

from __future__ import annotations

LINE = "from django.conf import settings\nmodel = settings.DEFAULT_AI_MODEL{comment}\n"


def test_suppression_by_kind_code_or_bare(audit_tree):
    result = audit_tree(
        {
            "a.py": LINE.format(comment="  # igny8: ignore[settings-fallback]"),
            "b.py": LINE.format(comment="  # igny8: ignore[IG102]"),
            "c.py": LINE.format(comment="  # igny8: ignore"),
            "d.py": LINE.format(comment="  # igny8: ignore[model-literal-default]"),
        }
    )
    assert [(f.path, f.code) for f in result.findings] == [("d.py", "IG102"), ("d.py", "IG900")]


def test_unused_and_unknown_suppressions_are_reported(audit_tree):
    result = audit_tree(
        {
            "a.py": "x = 1  # igny8: ignore[settings-fallback, IG104]\ny = 2  # igny8: ignore\nz = 3  # igny8: ignore[nonsense]\n",
        }
    )
    assert [(f.line, f.column, f.code, f.message) for f in result.findings] == [
        (1, 8, "IG900", "`# igny8: ignore[IG104]` silences no finding"),
        (1, 8, "IG900", "`# igny8: ignore[settings-fallback]` silences no finding"),
        (2, 8, "IG900", "`# igny8: ignore` silences no finding"),
        (3, 8, "IG900", "`nonsense` in `# igny8: ignore[...]` is not a known check"),
    ]


def test_suppression_of_a_disabled_check_is_not_reported_unused(audit_tree):
    result = audit_tree({"a.py": "x = 1  # igny8: ignore[settings-fallback]\n"}, ignore=("settings-fallback",))
    assert result.findings == []


def test_suppression_comment_inside_a_string_is_not_a_suppression(audit_tree):
    result = audit_tree({"a.py": LINE.format(comment="; s = '# igny8: ignore'")})
    assert [f.code for f in result.findings] == ["IG102"]
