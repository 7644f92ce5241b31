"""`audit.api.relative`: the reported path of a file, remembered for absolute paths only."""

from __future__ import annotations

import os

from igny8_refactor.audit.api import relative


def test_absolute_paths_are_made_relative_to_the_given_or_current_directory(tmp_path, monkeypatch):
    inner = tmp_path / "pkg" / "mod.py"
    assert relative(str(inner), str(tmp_path)) == "pkg/mod.py"
    assert relative(str(inner), str(tmp_path / "pkg")) == "mod.py"
    assert relative(str(tmp_path / "other.py"), str(tmp_path / "pkg")) == "../other.py"
    monkeypatch.chdir(tmp_path / "..")
    assert relative(str(inner)) == f"{tmp_path.name}/pkg/mod.py"
    monkeypatch.chdir(tmp_path)
    assert relative(str(inner)) == "pkg/mod.py"  # the same path again, from another directory


def test_a_relative_path_follows_the_current_directory_each_time(tmp_path, monkeypatch):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    monkeypatch.chdir(tmp_path / "a")
    assert relative("x.py", str(tmp_path)) == "a/x.py"
    monkeypatch.chdir(tmp_path / "b")
    assert relative("x.py", str(tmp_path)) == "b/x.py"  # not the answer remembered for a/
    assert relative("x.py") == "x.py"
    assert os.sep not in relative(str(tmp_path / "a" / "x.py"), str(tmp_path)).replace("/", "")
