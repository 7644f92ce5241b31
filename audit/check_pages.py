"""The documentation page of each check: the Markdown its rule class holds in `DOCS`, under a title."""

from __future__ import annotations

import re
import textwrap

from igny8_refactor.audit.checks import resolve


class MissingPage(LookupError):
    """A registered check without its documentation page."""


def page(kind: str) -> str:
    """The Markdown page of the check `kind` (or code): `# CODE kind`, then the rule's `DOCS`."""
    try:
        check = resolve(kind)
    except KeyError:
        raise MissingPage(kind) from None
    if not check.DOCS.strip():
        raise MissingPage(kind)
    return f"# {check.code} {check.kind}\n\n{textwrap.dedent(check.DOCS)}"


def section(text: str, title: str) -> str:
    """The body of the `## title` section of a page, without the heading ("" when absent)."""
    match = re.search(rf"^## {re.escape(title)}[ \t]*\n(.*?)(?=^## |\Z)", text, re.MULTILINE | re.DOTALL)
    return match.group(1).strip() if match else ""


def plain(text: str) -> str:
    """A page as plain text: headings and code fences unmarked, backticks dropped."""
    lines = (re.sub(r"^#+\s*", "", line).replace("`", "") for line in text.splitlines() if not line.startswith("```"))
    return "\n".join(lines).strip() + "\n"
