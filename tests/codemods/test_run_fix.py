"""The `fix` run itself (codemods.pipeline.run_fix and what it calls), in process, on real trees.

The command-line tests (tests/faults, tests/cli) cover the same paths through a subprocess;
these pin the pipeline's own decisions where a mutation run can see them: the rounds to a fixed
point, what reaches the analysis (cache, excludes, progress), the final verification, and the
all-or-nothing write.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

import pytest
from codemod_helpers import PACKAGES, fix_tree, write_tree

from igny8_refactor.audit.api import displayed, run_audit
from igny8_refactor.audit.config import Config
from igny8_refactor.audit.records import ScanSettings
from igny8_refactor.audit.source import SourceError
from igny8_refactor.codemods import pipeline
from igny8_refactor.codemods.pipeline import _apply_one, _verify, run_fix, write_changes

ENGINE = "igny8_core/ai/engine.py"
DEAD = "def used():\n    return 1\n\n\ndef _dead():\n    return 2\n"
USER = {"igny8_core/app.py": "from igny8_core.ai.engine import used\n\nused()\n"}


def chain(length: int) -> str:
    """f0 ... f{length-1}, each called only by the next: one more becomes dead per round."""
    return "def f0():\n    return 0\n" + "".join(f"\n\ndef f{i}():\n    return f{i - 1}()\n" for i in range(1, length))


def test_a_chain_of_ten_dead_functions_is_removed_in_ten_rounds(tmp_path) -> None:
    write_tree(tmp_path, {**PACKAGES, ENGINE: chain(pipeline.MAX_ROUNDS)})
    result = fix_tree(tmp_path, only=["remove_dead_helpers"])
    assert (result.errors, result.rounds, result.analysed) == ([], pipeline.MAX_ROUNDS, 3)
    assert (tmp_path / ENGINE).read_text().strip() == ""


def test_no_fixed_point_within_the_rounds_writes_nothing(tmp_path) -> None:
    write_tree(tmp_path, {**PACKAGES, ENGINE: chain(pipeline.MAX_ROUNDS + 1)})
    result = fix_tree(tmp_path, only=["remove_dead_helpers"])
    assert result.errors[0] == f"{ENGINE}: no fixed point after {pipeline.MAX_ROUNDS} rounds; nothing written"
    assert (tmp_path / ENGINE).read_text() == chain(pipeline.MAX_ROUNDS + 1)


def test_the_cache_is_used_unless_turned_off(tmp_path) -> None:
    write_tree(tmp_path, {**PACKAGES, ENGINE: DEAD, **USER})
    with contextlib.chdir(tmp_path):
        run_fix(["."], Config(), jobs=1, write=False, use_cache=False, unsafe_fixes=True)
        assert not (tmp_path / ".igny8_refactor_cache").exists()
        run_fix(["."], Config(), jobs=1, write=False, unsafe_fixes=True)  # the default: cached
    assert any((tmp_path / ".igny8_refactor_cache").iterdir())


def test_an_excluded_file_named_on_the_command_line_is_fixed_unless_force_exclude(tmp_path) -> None:
    write_tree(tmp_path, {**PACKAGES, ENGINE: DEAD, **USER})
    (tmp_path / "setup.cfg").write_text("[igny8_refactor]\n")  # the whole tree is read for references
    config = Config(exclude=("igny8_core/ai/engine.py",), root=str(tmp_path), source=str(tmp_path / "setup.cfg"))
    with contextlib.chdir(tmp_path):
        forced = run_fix([ENGINE], config, jobs=1, use_cache=False, write=False, force_exclude=True, unsafe_fixes=True)
        named = run_fix(
            [ENGINE], config, jobs=1, use_cache=False, write=False, unsafe_fixes=True
        )  # the default, as ruff
    assert forced.changed == []
    assert [(f.path, f.new) for f in named.changed] == [(ENGINE, b"def used():\n    return 1\n")]


def test_progress_wraps_the_first_analysis_only(tmp_path) -> None:
    write_tree(tmp_path, {**PACKAGES, ENGINE: chain(3)})
    calls = []

    def progress(items, length):
        calls.append(length)
        return items

    with contextlib.chdir(tmp_path):
        result = run_fix(["."], Config(), jobs=1, use_cache=False, write=False, progress=progress, unsafe_fixes=True)
    assert result.rounds == 3
    assert calls == [3]  # igny8_core/__init__.py, igny8_core/ai/__init__.py and the engine, once


# -- the verification before anything is written -------------------------------------------
def analysis(root: Path, files: dict[str, str]):
    write_tree(root, files)
    with contextlib.chdir(root):
        return run_audit(["."], Config(), use_cache=False, jobs=1)


def verify(tmp_path, before: dict[str, str], after: dict[str, str], kinds=None) -> list[str]:
    first = analysis(tmp_path / "before", before)
    final = analysis(tmp_path / "after", after)
    result = pipeline.FixResult()
    _verify(result, first, final, kinds)
    return result.errors


IMPORTS = {
    **PACKAGES,
    "igny8_core/ai/a.py": "from igny8_core.ai.b import missing\n\nmissing()\n",
    "igny8_core/ai/b.py": "def f():\n    return 1\n",
    "igny8_core/ai/c.py": "from igny8_core.ai.b import f\n\nf()\n",
}


def test_a_newly_broken_import_is_refused_after_one_that_never_worked(tmp_path) -> None:
    after = {**IMPORTS, "igny8_core/ai/b.py": "def other():\n    return 1\n\n\nother()\n"}
    assert verify(tmp_path, IMPORTS, after) == [
        "igny8_core/ai/c.py:1:29: the fix would break this import of `igny8_core.ai.b.f`; nothing written"
    ]
    assert verify(tmp_path / "same", IMPORTS, IMPORTS) == []  # a.py's import was broken before: not the fix's


def test_a_fixable_finding_left_is_refused_for_the_selected_rules_only(tmp_path) -> None:
    tree = {**PACKAGES, ENGINE: DEAD, **USER}
    message = f"{ENGINE}:5:1: IG002 is marked fixable but the fix did not remove it; nothing written"
    assert verify(tmp_path / "all", tree, tree) == [message]
    assert verify(tmp_path / "selected", tree, tree, kinds={"unused-function"}) == [message]
    assert verify(tmp_path / "other", tree, tree, kinds={"orphan-export"}) == []


# -- writing: all or nothing ---------------------------------------------------------------
def test_a_file_changed_after_it_was_read_leaves_every_file_as_it_was(tmp_path) -> None:
    tree = {
        **PACKAGES,
        ENGINE: DEAD,
        "igny8_core/ai/other.py": DEAD.replace("used", "kept"),
        **USER,
        "igny8_core/app2.py": "from igny8_core.ai.other import kept\n\nkept()\n",
    }
    write_tree(tmp_path, tree)
    with contextlib.chdir(tmp_path):
        result = run_fix(["."], Config(), jobs=1, use_cache=False, write=False, unsafe_fixes=True)
        assert sorted(f.path for f in result.changed) == ["igny8_core/ai/engine.py", "igny8_core/ai/other.py"]
        (tmp_path / "igny8_core/ai/other.py").write_text(DEAD.replace("used", "kept") + "# an edit\n")
        write_changes(result, tmp_path)
    assert result.errors == [
        "igny8_core/ai/other.py: changed on disk since it was read; not overwritten; every file left as it was"
    ]
    assert [f.error for f in result.files if f.new is not None] == ["not written", "not written"]
    assert (tmp_path / ENGINE).read_text() == DEAD
    assert (tmp_path / "igny8_core/ai/other.py").read_text().endswith("# an edit\n")


def test_a_fix_without_the_cache_leaves_no_folder_behind(tmp_path) -> None:
    write_tree(tmp_path, {**PACKAGES, ENGINE: DEAD, **USER})
    with contextlib.chdir(tmp_path):
        result = run_fix(["."], Config(), jobs=1, use_cache=False, unsafe_fixes=True)
    assert result.errors == [] and (tmp_path / ENGINE).read_text() == "def used():\n    return 1\n"
    assert not (tmp_path / ".igny8_refactor_cache").exists()  # --no-cache leaves no trace


def test_nothing_changed_writes_nothing(tmp_path) -> None:
    (tmp_path / "a.py").write_bytes(b"x = 1\n")
    result = pipeline.FixResult(files=[pipeline.FileResult(str(tmp_path / "a.py"), b"x = 1\n", b"x = 1\n")])
    write_changes(result, tmp_path)
    assert result.errors == [] and sorted(p.name for p in tmp_path.iterdir()) == ["a.py"]


# -- one file's rewrite and the paths shown ------------------------------------------------
def test_a_rewrite_that_does_not_parse_is_not_kept(monkeypatch) -> None:
    task = ("m.py", b"x = 1\n", "pkg.m", False, ScanSettings((), (), ()), (), (), None)
    monkeypatch.setattr(pipeline, "apply_fixes", lambda *args: b"def (:\n")
    new, why = _apply_one(task)
    assert new is None and why.startswith("SyntaxError: ")
    monkeypatch.setattr(pipeline, "apply_fixes", lambda *args: b"x = 1\n")
    assert _apply_one(task) == (b"x = 1\n", None)


def test_paths_are_shown_relative_below_the_current_directory_and_as_given_elsewhere(tmp_path) -> None:
    (tmp_path / "sub").mkdir()
    with contextlib.chdir(tmp_path / "sub"):
        assert displayed(str(tmp_path / "sub" / "pkg" / "m.py")) == "pkg/m.py"
        assert displayed(str(tmp_path / "other.py")) == str(tmp_path / "other.py")
        assert displayed(os.path.join(str(tmp_path), "sub", "m.py")) == "m.py"


@pytest.mark.parametrize("jobs", [1, 2])
def test_rewrites_in_a_pool_and_in_process_give_the_same_files(tmp_path, jobs) -> None:
    files = {f"igny8_core/ai/m{k}.py": DEAD.replace("used", f"used{k}") for k in range(pipeline.POOL_THRESHOLD)}
    users = "".join(f"from igny8_core.ai.m{k} import used{k}\n" for k in range(pipeline.POOL_THRESHOLD))
    users += "USED = [" + ", ".join(f"used{k}" for k in range(pipeline.POOL_THRESHOLD)) + "]\n"
    write_tree(tmp_path, {**PACKAGES, **files, "igny8_core/app.py": users})
    with contextlib.chdir(tmp_path):
        result = run_fix(["."], Config(), jobs=jobs, use_cache=False, write=False, unsafe_fixes=True)
    assert result.errors == []
    assert sorted((f.path, f.new) for f in result.changed) == sorted(
        (f"igny8_core/ai/m{k}.py", f"def used{k}():\n    return 1\n".encode()) for k in range(pipeline.POOL_THRESHOLD)
    )


def test_a_file_that_cannot_be_read_for_the_rewrite_is_named_and_the_others_still_shown(tmp_path, monkeypatch) -> None:
    tree = {
        **PACKAGES,
        ENGINE: DEAD,
        "igny8_core/ai/other.py": DEAD.replace("used", "kept"),
        **USER,
        "igny8_core/app2.py": "from igny8_core.ai.other import kept\n\nkept()\n",
    }
    write_tree(tmp_path, tree)
    real_read = pipeline.read_bytes

    def read(path):
        if path.endswith("engine.py"):
            raise SourceError("cannot read: Permission denied")
        return real_read(path)

    monkeypatch.setattr(pipeline, "read_bytes", read)
    with contextlib.chdir(tmp_path):
        result = run_fix(["."], Config(), jobs=1, use_cache=False, unsafe_fixes=True)
    assert result.errors[0] == f"{ENGINE}: cannot read: Permission denied"
    assert [f.path for f in result.changed] == ["igny8_core/ai/other.py"]  # shown (--diff), never written
    assert (tmp_path / "igny8_core/ai/other.py").read_text() == DEAD.replace("used", "kept")


def test_reading_something_other_than_a_regular_file_is_refused(tmp_path) -> None:
    fifo = tmp_path / "pipe.py"
    os.mkfifo(fifo)
    with pytest.raises(SourceError) as raised:
        pipeline.read_bytes(str(fifo))
    assert str(raised.value) == "not a regular file"
    (tmp_path / "file.py").write_bytes(b"x = 1\n")
    assert pipeline.read_bytes(str(tmp_path / "file.py")) == b"x = 1\n"


def test_no_fixed_point_names_the_first_three_files(tmp_path) -> None:
    files = {
        f"igny8_core/ai/m{k}.py": chain(pipeline.MAX_ROUNDS + 1)
        .replace("def f", f"def m{k}_f")
        .replace("return f", f"return m{k}_f")
        for k in range(4)
    }
    write_tree(tmp_path, {**PACKAGES, **files})
    result = fix_tree(tmp_path, only=["remove_dead_helpers"])
    assert result.errors[0] == (
        "igny8_core/ai/m0.py, igny8_core/ai/m1.py, igny8_core/ai/m2.py: "
        f"no fixed point after {pipeline.MAX_ROUNDS} rounds; nothing written"
    )


def test_a_rewrite_that_fails_writes_nothing_and_still_names_the_unreadable_files_and_notes(
    tmp_path, monkeypatch
) -> None:
    ai_core = "class A:\n    def run(self, model=None):\n        m = model or self._default_model\n        return m\n"
    client = "class C:\n    def f(self):\n        return self._default_model\n"
    write_tree(
        tmp_path,
        {
            **PACKAGES,
            "igny8_core/ai/ai_core.py": ai_core,
            "igny8_core/ai/client.py": client,
            "igny8_core/broken.py": "def (:\n",
        },
    )

    def fail(*args):
        raise RuntimeError("boom")

    monkeypatch.setattr(pipeline, "apply_fixes", fail)
    with contextlib.chdir(tmp_path):
        result = run_fix(["."], Config(), jobs=1, use_cache=False, unsafe_fixes=True)
    assert result.errors == [
        "igny8_core/ai/ai_core.py: the fix could not be applied: RuntimeError: boom; nothing written"
    ]
    assert [(f.path, f.error) for f in result.failed] == [
        ("igny8_core/broken.py", "cannot parse with Python 3.11: invalid syntax (line 1, column 5)")
    ]
    assert result.analysed == 5 and result.changed == []
    assert [n.split(": note: ")[1] for n in result.notes] == [
        "IG103 `igny8_core.ai.client.C._default_model` left as it is: a read the plan does not rewrite: "
        "pass the model from IntegrationSettings instead"
    ]
    assert (tmp_path / "igny8_core/ai/ai_core.py").read_text() == ai_core
