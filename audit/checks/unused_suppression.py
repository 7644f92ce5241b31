"""A `# igny8: ignore[...]` comment that silences nothing.

Stale suppressions hide the next real finding on that line; remove them.
"""
from __future__ import annotations

from audit.checks import Check, register


@register
class UnusedSuppression(Check):
    """`# igny8: ignore` comment that silences no finding.

    A stale suppression would hide the next real finding on its line.
    """

    kind, code, fixable = "unused-suppression", "IG900", False
    scope = "meta"
    VALID = [
        "from django.conf import settings\nm = settings.DEFAULT_AI_MODEL  # igny8: ignore[settings-fallback]",
    ]
    INVALID = [
        "model = config['model']  # igny8: ignore[settings-fallback]",
    ]
