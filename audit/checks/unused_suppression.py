from __future__ import annotations

import re

import libcst as cst

from igny8_refactor.audit.checks import Check, Invalid, load_checks, register, resolve
from igny8_refactor.audit.findings import Finding
from igny8_refactor.audit.records import Edit

COMMENT = re.compile(r"#\s*igny8:\s*ignore(?:-file)?\b(?:\[([^\]]*)\])?", re.IGNORECASE)


def _silences(finding: Finding, codes) -> bool:
    if codes is None:
        return True
    wanted = {c.lower() for c in codes}
    return finding.code.lower() in wanted or finding.kind.lower() in wanted


@register
class UnusedSuppression(Check):
    kind, code, fixable = "unused-suppression", "IG900", True
    level = "warning"
    scope = "meta"
    codemod = "remove_unused_suppressions"
    VALID = [
        "from django.conf import settings\nm = settings.DEFAULT_AI_MODEL  # igny8: ignore[settings-fallback]",
        "# igny8: ignore-file[IG102]\nfrom django.conf import settings\nm = settings.DEFAULT_AI_MODEL\n",
    ]
    INVALID = [
        Invalid(
            "model = config['model']  # igny8: ignore[settings-fallback]\n",
            expected="model = config['model']\n",
        ),
        Invalid(
            "from django.conf import settings\n"
            "m = settings.DEFAULT_AI_MODEL  # igny8: ignore[IG102, IG001]  # legacy\n",
            expected="from django.conf import settings\n"
            "m = settings.DEFAULT_AI_MODEL  # igny8: ignore[IG102]  # legacy\n",
        ),
        Invalid(
            "# igny8: ignore-file[IG104]\nmodel = 'x'\n",
            expected="model = 'x'\n",
        ),
        Invalid(  # a comment before it, and words after it that are not a comment of their own
            "# the account's model\nmodel = config['model']  # igny8: ignore[settings-fallback] for the old importer\n",
            expected="# the account's model\nmodel = config['model']  # for the old importer\n",
        ),
        Invalid(  # a kind and a code that both silence the finding stay; the stale one goes
            "from django.conf import settings\n"
            "m = settings.DEFAULT_AI_MODEL  # igny8: ignore[IG102, settings-fallback, IG001]\n",
            expected="from django.conf import settings\n"
            "m = settings.DEFAULT_AI_MODEL  # igny8: ignore[IG102, settings-fallback]\n",
        ),
    ]
    DOCS = """\
    A `# igny8: ignore[...]` comment that silences nothing.

    ## What it flags

    A suppression comment whose line has no finding of the kind or code it names — because
    the code was fixed, the line moved, or the name in brackets is misspelt. A comment naming
    several checks is reported for each name that matched nothing. A `# igny8: ignore-file[...]`
    comment silences its names anywhere in its file, and is stale when they match nothing there.

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

    Fixable: `remove_unused_suppressions` deletes the comment, or, when some of its names still silence a
    finding, only the names that do not (`# igny8: ignore[IG102, IG001]` becomes
    `# igny8: ignore[IG102]`). Any other comment sharing the line (`# noqa`, an explanation
    after a second `#`) stays.

    ## Suppressing it

    This check cannot be silenced from the comment it reports. Leave it out of a run with
    `--ignore unused-suppression` (or `--ignore IG900`), or with `ignore = unused-suppression`
    in the configuration.
    """

    @classmethod
    def apply(cls, findings, suppressions: dict[str, tuple], enabled: dict) -> list[Finding]:
        """`findings` without the silenced ones, plus one finding per suppression that silences nothing.

        `suppressions` maps a reported path to its comments (`Suppression` records).
        """
        by_line: dict[tuple[str, int], list] = {}  # (path, line silenced, 0 for the whole file)
        for path, comments in suppressions.items():
            for line, col, codes, whole_file in comments:
                by_line.setdefault((path, 0 if whole_file else line), []).append([col, codes, set(), line])
        kept = []
        for finding in findings:
            silenced = False
            for key in ((finding.path, finding.line), (finding.path, 0)):
                for suppression in by_line.get(key, ()):
                    if _silences(finding, suppression[1]):
                        silenced = True
                        suppression[2].update((finding.code, finding.kind))
            if not silenced:
                kept.append(finding)
        if cls.kind not in enabled:
            return kept
        for (path, key), comments in by_line.items():
            for col, codes, matched, line in comments:
                for symbol, message in cls._stale(codes, matched, enabled):
                    if not key:  # `ignore-file`
                        message = message.replace("igny8: ignore", "igny8: ignore-file", 1)
                    edit = Edit(line, col, line, col)
                    kept.append(Finding(path, line, col, cls.code, cls.kind, symbol, message, True, edit=edit))
        return kept

    @staticmethod
    def edits(tree: cst.Module, stale: set[tuple[int, str]]) -> dict:
        """{node: replacement} for the comments on the lines of `stale` (line, name): each without those
        names, or gone when none is left (a bare `# igny8: ignore` has none)."""
        from libcst.metadata import MetadataWrapper, PositionProvider

        wrapper = MetadataWrapper(tree, unsafe_skip_copy=True)
        positions = wrapper.resolve(PositionProvider)
        names: dict[int, set[str]] = {}
        for line, name in stale:
            names.setdefault(line, set()).add(name.lower())
        out: dict = {}
        for node in positions:
            comment = getattr(node, "comment", None)
            if not isinstance(node, (cst.TrailingWhitespace, cst.EmptyLine)) or comment is None:
                continue
            drop = names.get(positions[comment].start.line)
            match = drop and COMMENT.search(comment.value)
            if not match:
                continue
            kept = [c.strip() for c in (match.group(1) or "").split(",") if c.strip() and c.strip().lower() not in drop]
            if kept:
                text = comment.value[: match.start(1)] + ", ".join(kept) + comment.value[match.end(1) :]
            else:
                text = (comment.value[: match.start()] + comment.value[match.end() :]).strip()
            if text.strip("# "):
                out[node] = node.with_changes(comment=cst.Comment(text if text.startswith("#") else f"# {text}"))
            elif isinstance(node, cst.EmptyLine):
                out[node] = cst.RemoveFromParent()
            else:
                out[node] = node.with_changes(whitespace=cst.SimpleWhitespace(""), comment=None)
        return out

    @staticmethod
    def _stale(codes, matched, enabled):
        if codes is None:
            if not matched and set(load_checks()) <= set(enabled):  # every rule ran, and none was silenced
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
