"""What `fix --diff` prints for a file (codemods.pipeline), and which rules' fixes `fix --only` selects."""

from __future__ import annotations

import pytest

from igny8_refactor.audit.checks import load_checks, select_fixes
from igny8_refactor.codemods.pipeline import FileResult, _text


def test_an_unchanged_or_failed_file_has_no_diff() -> None:
    assert FileResult("a.py", b"x = 1\n", None).diff() == ""
    assert FileResult("a.py", b"x = 1\n", b"x = 1\n").diff() == ""
    assert FileResult("a.py", b"x = 1\n", b"x = 2\n", error="cannot write").diff() == ""


def test_the_diff_is_unified_with_a_and_b_paths() -> None:
    old = b"import os\n\n\ndef f():\n    return os.sep\n\n\ndef g():\n    return 1\n"
    new = b"def g():\n    return 1\n"
    assert FileResult("pkg/mod.py", old, new).diff() == (
        "--- a/pkg/mod.py\n"
        "+++ b/pkg/mod.py\n"
        "@@ -1,9 +1,2 @@\n"
        "-import os\n"
        "-\n"
        "-\n"
        "-def f():\n"
        "-    return os.sep\n"
        "-\n"
        "-\n"
        " def g():\n"
        "     return 1\n"
    )


def test_the_diff_decodes_the_text_as_the_file_declares() -> None:
    old = "# -*- coding: latin-1 -*-\nNAME = 'café'\nOTHER = 1\n".encode("latin-1")
    new = "# -*- coding: latin-1 -*-\nNAME = 'café'\n".encode("latin-1")
    diff = FileResult("m.py", old, new).diff()
    assert diff.endswith("@@ -1,3 +1,2 @@\n # -*- coding: latin-1 -*-\n NAME = 'café'\n-OTHER = 1\n")


def test_text_of_bytes_that_do_not_parse_is_utf8_with_replacements() -> None:
    assert _text("x = 'é'\n".encode()) == "x = 'é'\n"
    assert _text(b"def (\xff\n") == "def (\ufffd\n"


def test_only_selects_every_fixable_rule_or_the_named_ones_by_code_kind_or_group() -> None:
    checks = load_checks()
    assert select_fixes() == {kind for kind, check in checks.items() if check.fixable}
    for kind, check in checks.items():
        assert select_fixes([check.code.lower()]) == select_fixes([kind]) == {kind}
        if check.codemod:
            assert kind in select_fixes([check.codemod])
            assert all(checks[k].codemod == check.codemod for k in select_fixes([check.codemod]))


def test_only_names_an_unknown_rule() -> None:
    some = next(iter(load_checks()))
    with pytest.raises(KeyError) as raised:
        select_fixes([some, "remove_everything"])
    assert raised.value.args == ("remove_everything",)
