"""Every registered check's examples, from its own module: a VALID case has none of its findings; an
INVALID case has at least one, and `fix` with only that rule turns it into `expected` exactly (leaves it
as it is when `expected` is None), after which a second `fix` changes nothing."""

from __future__ import annotations

import re

import pytest

from igny8_refactor.audit.checks import Invalid, load_checks
from igny8_refactor.audit.config import Config
from igny8_refactor.codemods.pipeline import run_fix

FILE_HEADER = re.compile(r"^# ([\w/]+\.py)$")


def split_files(snippet: str) -> dict[str, str]:
    """A snippet is one file, or several introduced by `# path/to/file.py` header lines."""
    lines = snippet.splitlines(keepends=True)
    if not lines or not FILE_HEADER.match(lines[0].rstrip("\n")):
        return {"example.py": snippet}
    files: dict[str, str] = {}
    current = None
    for line in lines:
        header = FILE_HEADER.match(line.rstrip("\n"))
        if header:
            current = header.group(1)
            files[current] = ""
        else:
            files[current] += line
    return files


def joined(files: dict[str, str]) -> str:
    """The inverse of `split_files`."""
    if list(files) == ["example.py"]:
        return files["example.py"]
    return "".join(f"# {path}\n{text}" for path, text in files.items())


def cases(attribute: str):
    for kind, check in load_checks().items():
        for index, case in enumerate(getattr(check, attribute)):
            yield pytest.param(kind, case, id=f"{kind}-{attribute.lower()}-{index}")


def test_every_check_has_examples():
    for kind, check in load_checks().items():
        assert check.VALID and check.INVALID, kind
        assert all(isinstance(case, Invalid) for case in check.INVALID), kind
        assert check.summary() and check.summary().endswith("."), kind
        # a fixable rule shows its fix on at least one case; a rule that is not, on none
        assert any(case.expected is not None for case in check.INVALID) == check.fixable, kind


@pytest.mark.parametrize(("kind", "snippet"), list(cases("VALID")))
def test_valid_example_has_no_finding(audit_tree, kind, snippet):
    result = audit_tree(split_files(snippet))
    assert not result.errors
    assert [f for f in result.findings if f.kind == kind] == []


@pytest.mark.parametrize(("kind", "case"), list(cases("INVALID")))
def test_invalid_example_is_flagged_and_fixed_into_expected(audit_tree, tmp_path, kind, case):
    files = split_files(case.code)
    assert joined(files) == case.code
    result = audit_tree(files, kinds={kind})
    assert not result.errors
    flagged = [f for f in result.findings if f.kind == kind]
    assert flagged, f"{kind} not reported for:\n{case.code}"
    assert all(f.code == load_checks()[kind].code for f in flagged)
    assert any(f.fixable for f in flagged) == (case.expected is not None), [(f.line, f.note) for f in flagged]

    fixed = run_fix(["."], Config(), only=[kind], use_cache=False, jobs=1, unsafe_fixes=True)
    assert not fixed.errors and not fixed.failed, (fixed.errors, [(f.path, f.error) for f in fixed.failed])
    after = {path: (tmp_path / path).read_text(encoding="utf-8") for path in files}
    assert joined(after) == (case.code if case.expected is None else case.expected)
    again = run_fix(["."], Config(), only=[kind], use_cache=False, jobs=1, unsafe_fixes=True)
    assert again.changed == [] and not again.errors
