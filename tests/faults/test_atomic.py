"""`audit.atomic`: one file replaced whole, several written as all or nothing, no edit lost."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from igny8_refactor.audit import atomic
from igny8_refactor.audit.atomic import CommitError, commit, replace_file


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    for name in ("a.py", "b.py", "c.py"):
        (tmp_path / name).write_bytes(f"{name} = 'old'\n".encode())
    return tmp_path


def changes(tree: Path, *names: str) -> list[tuple[Path, bytes, bytes]]:
    return [(tree / n, (tree / n).read_bytes(), f"{n} = 'new'\n".encode()) for n in names]


def contents(tree: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(tree.iterdir()) if p.is_file()}


def fail_on(monkeypatch, name: str, error: BaseException, before=None) -> None:
    """replace_file raises `error` when it writes `name` (after calling `before()`, if given)."""
    write = atomic.replace_file

    def replace(path, data):
        if Path(path).name == name:
            if before is not None:
                before()
            raise error
        write(path, data)

    monkeypatch.setattr(atomic, "replace_file", replace)


def test_commit_writes_every_file_and_leaves_no_temp_file(tree: Path) -> None:
    commit(changes(tree, "a.py", "c.py"), tree)
    assert contents(tree) == {"a.py": b"a.py = 'new'\n", "b.py": b"b.py = 'old'\n", "c.py": b"c.py = 'new'\n"}


def test_owner_group_and_mode_are_kept(tree: Path) -> None:
    if os.geteuid() != 0:
        pytest.fail("this test gives a file a foreign owner and must run as root (CI does)")
    os.chown(tree / "a.py", 1234, 5678)
    os.chmod(tree / "a.py", 0o640)
    os.chmod(tree / "b.py", 0o755)
    commit(changes(tree, "a.py", "b.py"), tree)
    a, b = os.stat(tree / "a.py"), os.stat(tree / "b.py")
    assert (a.st_uid, a.st_gid, stat.S_IMODE(a.st_mode)) == (1234, 5678, 0o640)
    assert stat.S_IMODE(b.st_mode) == 0o755


def test_a_file_changed_since_it_was_read_is_refused_before_anything_is_written(tree: Path) -> None:
    planned = changes(tree, "a.py", "b.py")
    (tree / "b.py").write_bytes(b"the user's edit\n")
    with pytest.raises(CommitError, match=r"b\.py: changed on disk since it was read; not overwritten"):
        commit(planned, tree)
    assert contents(tree) == {"a.py": b"a.py = 'old'\n", "b.py": b"the user's edit\n", "c.py": b"c.py = 'old'\n"}


def test_a_failure_on_a_later_file_puts_back_the_files_already_written(tree: Path, monkeypatch) -> None:
    before = contents(tree)
    fail_on(monkeypatch, "c.py", OSError(28, "No space left on device"))
    with pytest.raises(CommitError, match=r"c\.py: cannot write: No space left on device; nothing written"):
        commit(changes(tree, "a.py", "b.py", "c.py"), tree)
    assert contents(tree) == before


def test_an_edit_made_during_the_commit_is_never_overwritten(tree: Path, monkeypatch) -> None:
    # the user saves c.py while a.py and b.py are being written: c.py is not written, a.py and b.py go back
    write = atomic.replace_file

    def replace(path, data):
        if Path(path).name == "b.py" and data.endswith(b"'new'\n"):
            (tree / "c.py").write_bytes(b"the user's edit\n")
        write(path, data)

    monkeypatch.setattr(atomic, "replace_file", replace)
    with pytest.raises(CommitError, match=r"c\.py: changed on disk since it was read"):
        commit(changes(tree, "a.py", "b.py", "c.py"), tree)
    assert contents(tree) == {"a.py": b"a.py = 'old'\n", "b.py": b"b.py = 'old'\n", "c.py": b"the user's edit\n"}


def test_a_rollback_keeps_an_edit_made_to_a_file_already_written(tree: Path, monkeypatch) -> None:
    def user_edits_a():
        (tree / "a.py").write_bytes(b"the user's edit\n")

    fail_on(monkeypatch, "c.py", OSError(5, "Input/output error"), before=user_edits_a)
    with pytest.raises(CommitError, match=r"a\.py: edited during the fix; kept as edited, the rest rolled back"):
        commit(changes(tree, "a.py", "b.py", "c.py"), tree)
    assert contents(tree) == {"a.py": b"the user's edit\n", "b.py": b"b.py = 'old'\n", "c.py": b"c.py = 'old'\n"}


def test_ctrl_c_rolls_back_and_propagates(tree: Path, monkeypatch) -> None:
    before = contents(tree)
    fail_on(monkeypatch, "b.py", KeyboardInterrupt())
    with pytest.raises(KeyboardInterrupt):
        commit(changes(tree, "a.py", "b.py", "c.py"), tree)
    assert contents(tree) == before


def test_a_symlink_inside_the_project_is_written_through_and_stays_a_link(tree: Path) -> None:
    (tree / "link.py").symlink_to("a.py")
    commit([(tree / "link.py", b"a.py = 'old'\n", b"new\n")], tree)
    assert (tree / "link.py").is_symlink() and (tree / "a.py").read_bytes() == b"new\n"


def test_a_symlink_to_a_file_outside_the_project_is_refused(tmp_path: Path) -> None:
    project, outside = tmp_path / "project", tmp_path / "outside.py"
    project.mkdir()
    outside.write_bytes(b"x = 1\n")
    (project / "m.py").symlink_to(outside)
    with pytest.raises(CommitError, match=r"m\.py: a symlink to a file outside the project"):
        commit([(project / "m.py", b"x = 1\n", b"x = 2\n")], project)
    assert outside.read_bytes() == b"x = 1\n"


@pytest.mark.parametrize(
    "make", [lambda p: p.mkdir(), lambda p: os.mkfifo(p), lambda p: None], ids=["directory", "fifo", "missing"]
)
def test_what_is_not_a_regular_file_is_refused(tree: Path, make) -> None:
    make(tree / "odd.py")
    with pytest.raises(CommitError, match=r"odd\.py: (not a regular file|cannot read: No such file)"):
        commit([*changes(tree, "a.py"), (tree / "odd.py", b"", b"x\n")], tree)
    assert (tree / "a.py").read_bytes() == b"a.py = 'old'\n"


@pytest.mark.parametrize(("umask", "mode"), [(0o022, 0o644), (0o077, 0o600)])
def test_replace_file_gives_a_new_file_the_usual_mode(tmp_path: Path, umask: int, mode: int) -> None:
    old = os.umask(umask)
    try:
        replace_file(tmp_path / "new.txt", [b"a", b"b"])
    finally:
        os.umask(old)
    assert (tmp_path / "new.txt").read_bytes() == b"ab"
    assert stat.S_IMODE(os.stat(tmp_path / "new.txt").st_mode) == mode


def test_replace_file_failure_leaves_the_old_file_and_no_temp_file(tmp_path: Path) -> None:
    target = tmp_path / "f.txt"
    target.write_bytes(b"old")

    def pieces():
        yield b"half"
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        replace_file(target, pieces())
    assert target.read_bytes() == b"old" and [p.name for p in tmp_path.iterdir()] == ["f.txt"]


def test_the_temp_file_of_a_private_file_is_never_readable_by_others(tmp_path: Path, monkeypatch) -> None:
    """The new bytes of a 0600 file are not exposed, even before the temp file gets the old mode."""
    target = tmp_path / "secret.py"
    target.write_bytes(b"KEY = 'old'\n")
    os.chmod(target, 0o600)
    seen = []
    fchmod = os.fchmod

    def record(fd, mode):
        seen.append(stat.S_IMODE(os.fstat(fd).st_mode))
        fchmod(fd, mode)

    monkeypatch.setattr(atomic.os, "fchmod", record)
    old = os.umask(0o022)
    try:
        replace_file(target, b"KEY = 'new'\n")
    finally:
        os.umask(old)
    assert seen == [0o600]
    assert stat.S_IMODE(os.stat(target).st_mode) == 0o600


def test_files_kept_as_edited_are_all_named(tree: Path, monkeypatch) -> None:
    def edit_both():
        (tree / "a.py").write_bytes(b"mine\n")
        (tree / "b.py").write_bytes(b"mine too\n")

    fail_on(monkeypatch, "c.py", OSError(28, "No space left on device"), before=edit_both)
    with pytest.raises(CommitError) as caught:
        commit(changes(tree, "a.py", "b.py", "c.py"), tree)
    assert (
        str(caught.value)
        == f"{tree / 'b.py'}, {tree / 'a.py'}: edited during the fix; kept as edited, the rest rolled back"
    )
    assert (tree / "a.py").read_bytes() == b"mine\n" and (tree / "b.py").read_bytes() == b"mine too\n"
