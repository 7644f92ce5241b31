"""A `# igny8: ignore[...]` comment that silences nothing.

Stale suppressions hide the next real finding on that line; remove them. This rule also
applies the suppressions: it drops the findings a comment silences.
"""

from __future__ import annotations

from igny8_refactor.audit.checks import Check, Invalid, register, resolve
from igny8_refactor.audit.findings import Finding


def _silences(finding: Finding, codes) -> bool:
    if codes is None:
        return True
    wanted = {c.lower() for c in codes}
    return finding.code.lower() in wanted or finding.kind.lower() in wanted


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
        Invalid("model = config['model']  # igny8: ignore[settings-fallback]", expected=None),
    ]
    DOCS = """\
    A `# igny8: ignore[...]` comment that silences nothing.

    ## What it flags

    A suppression comment whose line has no finding of the kind or code it names — because
    the code was fixed, the line moved, or the name in brackets is misspelt. A comment naming
    several checks is reported for each name that matched nothing.

    ## Why it hurts

    A stale suppression is a hole waiting for the problem to come back: the next fallback
    written on that line would be silenced without anyone deciding it should be. Reporting
    unused suppressions keeps every `ignore` an active, reviewed decision.

    ## Example

    Before (the fallback was removed, the comment stayed):

    ```python
    active_model = model  # igny8: ignore[default-model-fallback]
    ```

    After:

    ```python
    active_model = model
    ```

    ## How `igny8-refactor fix` handles it

    Not fixable by `fix`: delete the comment, or correct the check name in it.

    ## Suppressing it

    This check cannot be silenced from the comment it reports. Leave it out of a run with
    `--ignore unused-suppression` (or `--ignore IG900`), or with `ignore = unused-suppression`
    in the configuration.
    """

    @classmethod
    def apply(cls, findings, suppressions: dict[str, tuple], enabled: dict) -> list[Finding]:
        """`findings` without the silenced ones, plus one finding per suppression that silences nothing.

        `suppressions` maps a reported path to its `(line, column, codes or None)` comments.
        """
        by_line: dict[tuple[str, int], list] = {}
        for path, comments in suppressions.items():
            for line, col, codes in comments:
                by_line.setdefault((path, line), []).append([col, codes, set()])
        kept = []
        for finding in findings:
            silenced = False
            for suppression in by_line.get((finding.path, finding.line), ()):
                if _silences(finding, suppression[1]):
                    silenced = True
                    suppression[2].update((finding.code, finding.kind))
            if not silenced:
                kept.append(finding)
        if cls.kind not in enabled:
            return kept
        for (path, line), comments in by_line.items():
            for col, codes, matched in comments:
                for symbol, message in cls._stale(codes, matched, enabled):
                    kept.append(
                        Finding(path, line, col, cls.code, cls.kind, symbol, message, False, note="delete the comment")
                    )
        return kept

    @staticmethod
    def _stale(codes, matched, enabled):
        if codes is None:
            if not matched:
                yield "all", "`# igny8: ignore` silences no finding"
            return
        matched_lower = {m.lower() for m in matched}
        for code in codes:
            low = code.lower()
            if low in matched_lower:
                continue
            try:
                check = resolve(code)
            except KeyError:
                yield code, f"`{code}` in `# igny8: ignore[...]` is not a known check"
                continue
            if check.kind in enabled:  # a rule that did not run silences nothing, and is not blamed
                yield code, f"`# igny8: ignore[{code}]` silences no finding"
