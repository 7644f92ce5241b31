"""The documentation page of each check: `docs/checks/<kind>.md`, shipped as `audit/checks/docs/`."""
from __future__ import annotations

import re
from importlib import resources

PAGES_PACKAGE = "audit.checks"
PAGES_DIR = "docs"


class MissingPage(LookupError):
    """A registered check without its documentation page."""


def page(kind: str) -> str:
    """The Markdown page of the check `kind`."""
    resource = resources.files(PAGES_PACKAGE).joinpath(PAGES_DIR, f"{kind}.md")
    try:
        return resource.read_text(encoding="utf-8")
    except (FileNotFoundError, NotADirectoryError):
        raise MissingPage(kind) from None


def section(text: str, title: str) -> str:
    """The body of the `## title` section of a page, without the heading ("" when absent)."""
    match = re.search(rf"^## {re.escape(title)}[ \t]*\n(.*?)(?=^## |\Z)", text, re.MULTILINE | re.DOTALL)
    return match.group(1).strip() if match else ""


def plain(text: str) -> str:
    """A page as plain text: headings and code fences unmarked, backticks dropped."""
    out = []
    for line in text.splitlines():
        if line.startswith("```"):
            continue
        line = re.sub(r"^#+\s*", "", line)
        out.append(line.replace("`", ""))
    return "\n".join(out).strip() + "\n"
