"""Every registered check's VALID examples produce none of its findings; every INVALID example at least one."""
from __future__ import annotations

import re

import pytest

from audit.checks import load_checks

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


def cases(attribute: str):
    for kind, check in load_checks().items():
        for index, snippet in enumerate(getattr(check, attribute)):
            yield pytest.param(kind, snippet, id=f"{kind}-{attribute.lower()}-{index}")


def test_every_check_has_examples():
    for kind, check in load_checks().items():
        assert check.VALID and check.INVALID, kind
        assert check.__doc__ and check.summary(), kind


@pytest.mark.parametrize(("kind", "snippet"), list(cases("VALID")))
def test_valid_example_has_no_finding(audit_tree, kind, snippet):
    result = audit_tree(split_files(snippet))
    assert not result.errors
    assert [f for f in result.findings if f.kind == kind] == []


@pytest.mark.parametrize(("kind", "snippet"), list(cases("INVALID")))
def test_invalid_example_is_flagged(audit_tree, kind, snippet):
    result = audit_tree(split_files(snippet))
    assert not result.errors
    flagged = [f for f in result.findings if f.kind == kind]
    assert flagged, f"{kind} not reported for:\n{snippet}"
    check = load_checks()[kind]
    assert all(f.code == check.code for f in flagged)
