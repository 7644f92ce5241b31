"""Each check page's "Suppressing it" example does what the page says, by kind and by code.

The code around the page's example line comes from the rule itself: the first INVALID case in
which the example line, standing in for a flagged line, is flagged too. Adding a per-file rule
adds no context here. Project-wide rules whose examples need more of a project than their
INVALID cases give have theirs in `CONTEXT`.
"""

from __future__ import annotations

import functools
import json
import os
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from igny8_refactor.audit.check_pages import page, section
from igny8_refactor.audit.checks import load_checks
from igny8_refactor.cli import cli
from tests.checks.test_examples import split_files

CHECKS = load_checks()
COMMENT = re.compile(r"\s*# igny8: ignore\[[^\]]*\]")
EXAMPLE = "igny8_core/ai/example.py"

# files around the page's example line ({line}, indented as shown), for the rules that need them
CONTEXT = {
    "orphan-export": {EXAMPLE: "def list_functions():\n    return []\n\n\n__all__ = [\n    {line}\n]\n"},
    "broken-import": {
        "igny8_core/__init__.py": "",
        "igny8_core/ai/__init__.py": "",
        "igny8_core/ai/settings.py": "def get_model_config(function_name, account=None):\n    return {}\n",
        EXAMPLE: "{line}\n\nprint(get_model)\n",
    },
}


def example_line(kind: str) -> str:
    text = section(page(kind), "Suppressing it")
    block = re.search(r"```python\n(.*?)```", text, re.DOTALL).group(1)
    (line,) = [l for l in block.splitlines() if "# igny8: ignore[" in l]
    return line.strip()


def audit(root: Path, files: dict[str, str], code: str) -> set[tuple[str, int, str]]:
    """(path, line, code) of each finding of `code` (and of unused suppressions) in `files`, written to `root`."""
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text)
    cwd = os.getcwd()
    os.chdir(root)
    try:
        result = CliRunner().invoke(
            cli, ["audit", "--no-cache", "--format", "json", "--select", f"{code},IG900", "."], catch_exceptions=False
        )
    finally:
        os.chdir(cwd)
    assert result.exit_code in (0, 1), result.output
    return {(f["path"], f["line"], f["code"]) for f in json.loads(result.stdout)}


def replaced(files: dict[str, str], path: str, number: int, line: str) -> dict[str, str]:
    """`files` with line `number` of `path` replaced by `line`, at that line's indentation."""
    lines = files[path].splitlines()
    old = lines[number - 1]
    lines[number - 1] = old[: len(old) - len(old.lstrip())] + line
    return {**files, path: "\n".join(lines) + "\n"}


def context(kind: str, root: Path) -> tuple[dict[str, str], str, int]:
    """(files, path, line number): where the page's example line, without its comment, is flagged
    (searched for in folders under `root`)."""
    bare = COMMENT.sub("", example_line(kind))
    code = CHECKS[kind].code
    if kind in CONTEXT:
        files = {rel: text.replace("{line}", bare) for rel, text in CONTEXT[kind].items()}
        number = next(n for n, l in enumerate(CONTEXT[kind][EXAMPLE].splitlines(), 1) if "{line}" in l)
        return files, EXAMPLE, number
    for index, case in enumerate(CHECKS[kind].INVALID):
        files = split_files(case.code)
        for path, number, _ in sorted(audit(root / f"case{index}", files, code)):
            candidate = replaced(files, path, number, bare)
            try:
                compile(candidate[path], path, "exec")
            except SyntaxError:
                continue  # the example line does not fit here
            if (path, number, code) in audit(root / f"case{index}-{number}", candidate, code):
                return candidate, path, number
    raise AssertionError(f"{kind}: the page's example line is flagged in none of the rule's INVALID cases")


@pytest.fixture(scope="module")
def contexts(tmp_path_factory):
    """`context(kind, ...)`, searched for once per kind."""
    return functools.cache(lambda kind: context(kind, tmp_path_factory.mktemp(kind)))


@pytest.mark.parametrize("kind", sorted(kind for kind, check in CHECKS.items() if check.scope != "meta"))
@pytest.mark.parametrize("spelling", ["kind", "code"])
def test_the_page_s_suppression_silences_the_finding_and_is_used(tmp_path, contexts, kind, spelling):
    code = CHECKS[kind].code
    files, path, number = contexts(kind)
    assert (path, number, code) in audit(tmp_path / "bare", files, code), f"not flagged without the comment:\n{files}"

    line = example_line(kind)
    if spelling == "code":
        line = line.replace(f"ignore[{kind}]", f"ignore[{code}]")
    commented = replaced(files, path, number, line)
    left = {(p, n, c) for p, n, c in audit(tmp_path / "commented", commented, code) if (p, n) == (path, number)}
    assert left == set(), f"the page's suppression left findings:\n{commented[path]}"
