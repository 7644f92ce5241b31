"""audit/atomic.py on real files: commit (all or nothing, journaled), recover, replace_file.

Literal names ("commit-journal.json", the journal's format) are spelled out on purpose: a
test that read them from the module would follow a change to them.
"""
from __future__ import annotations

import base64
import ctypes
import errno
import fcntl
import threading
import time
import hashlib
import json
import os
import secrets
import stat
from pathlib import Path

import pytest

from audit import atomic
from audit.atomic import CommitError, commit, recover, replace_file
from faults_helpers import xattrs_supported

JOURNAL = "commit-journal.json"
ROOT_ONLY = pytest.mark.skipif(os.geteuid() != 0, reason="chown to another user needs root (CI runs as root)")


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    (tmp_path / "src").mkdir()
    for name in ("a.py", "b.py", "c.py"):
        (tmp_path / "src" / name).write_bytes(f"old {name}\n".encode())
    return tmp_path


def files(tree: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((tree / "src").iterdir())}


def changes(tree: Path, *names: str) -> list:
    names = names or ("a.py", "b.py", "c.py")
    return [(tree / "src" / n, f"old {n}\n".encode(), f"new {n}\n".encode()) for n in names]


OLD = {"a.py": b"old a.py\n", "b.py": b"old b.py\n", "c.py": b"old c.py\n"}
NEW = {"a.py": b"new a.py\n", "b.py": b"new b.py\n", "c.py": b"new c.py\n"}


def journal_dir(tree: Path) -> Path:
    return tree / "cache"


def leftovers(tree: Path) -> list[str]:
    found = sorted(p.name for p in (tree / "src").iterdir() if p.name.endswith(".tmp"))
    if journal_dir(tree).exists():
        found += sorted(p.name for p in journal_dir(tree).iterdir())
    return found


def fail_on(name: str, error: BaseException):
    def hook(target: Path) -> None:
        if target.name == name:
            raise error

    return hook


# -- commit: success ---------------------------------------------------------------------------
def test_commit_writes_every_file_and_leaves_nothing_behind(tree: Path) -> None:
    assert commit(changes(tree), journal_dir(tree)) is None
    assert files(tree) == NEW
    assert leftovers(tree) == []
    assert journal_dir(tree).is_dir()


def test_commit_of_nothing_touches_nothing(tree: Path) -> None:
    commit([], journal_dir(tree))
    commit([(tree / "src" / "a.py", b"same\n", b"same\n"), (tree / "src" / "zzz.py", b"x", b"x")], journal_dir(tree))
    assert files(tree) == OLD
    assert not journal_dir(tree).exists()


def test_commit_accepts_str_paths_and_skips_unchanged_entries(tree: Path) -> None:
    commit([(str(tree / "src" / "a.py"), b"old a.py\n", b"new a.py\n"), (tree / "src" / "b.py", b"old b.py\n", b"old b.py\n")],
           str(journal_dir(tree)))
    assert files(tree) == {**OLD, "a.py": b"new a.py\n"}


def test_journal_and_temp_files_while_the_commit_runs(tree: Path, monkeypatch) -> None:
    seen = {}
    monkeypatch.setattr(secrets, "token_hex", lambda n: "0123456789ab" if n == 6 else "x")

    def look(target: Path) -> None:
        if target.name == "a.py":
            seen["journal"] = json.loads((journal_dir(tree) / JOURNAL).read_bytes())
            seen["temps"] = {p.name: p.read_bytes() for p in (tree / "src").glob(".*.tmp")}
            seen["modes"] = {p.name: stat.S_IMODE(p.stat().st_mode) for p in (tree / "src").glob(".*.tmp")}
        if target.name == "b.py":
            # a.py is done: its old file waits under the temp name until the end (atomic exchange)
            seen["a-old"] = (tree / "src" / ".a.py.0123456789ab.tmp").read_bytes()
            seen["a-now"] = (tree / "src" / "a.py").read_bytes()

    monkeypatch.setattr(atomic, "_before_swap", look)
    os.chmod(tree / "src" / "b.py", 0o604)
    commit(changes(tree, "a.py", "b.py"), journal_dir(tree))
    document = seen["journal"]
    assert document["format"] == "igny8-refactor-commit-journal"
    assert document["version"] == 1
    assert document["pid"] == os.getpid()
    src = tree / "src"
    assert document["files"] == [
        {
            "path": str(src / name),
            "tmp": str(src / f".{name}.0123456789ab.tmp"),
            "old": base64.b64encode(OLD[name]).decode(),
            "new_sha256": hashlib.sha256(NEW[name]).hexdigest(),
        }
        for name in ("a.py", "b.py")
    ]
    assert seen["temps"] == {".a.py.0123456789ab.tmp": NEW["a.py"], ".b.py.0123456789ab.tmp": NEW["b.py"]}
    assert seen["modes"][".b.py.0123456789ab.tmp"] == 0o604
    assert (seen["a-old"], seen["a-now"]) == (OLD["a.py"], NEW["a.py"])
    assert leftovers(tree) == []


def test_pause_hook_sleeps_after_each_swap(tree: Path, monkeypatch) -> None:
    slept = []
    monkeypatch.setattr(atomic.time, "sleep", slept.append)
    monkeypatch.setenv("IGNY8_REFACTOR_COMMIT_PAUSE", "0.25")
    commit(changes(tree), journal_dir(tree))
    assert slept == [0.25, 0.25, 0.25]
    monkeypatch.delenv("IGNY8_REFACTOR_COMMIT_PAUSE")
    commit([(tree / "src" / "a.py", NEW["a.py"], b"again\n")], journal_dir(tree))
    assert slept == [0.25, 0.25, 0.25]


def test_a_symlink_stays_a_symlink(tree: Path) -> None:
    link = tree / "src" / "link.py"
    link.symlink_to("a.py")
    commit([(link, OLD["a.py"], NEW["a.py"])], journal_dir(tree))
    assert link.is_symlink() and os.readlink(link) == "a.py"
    assert (tree / "src" / "a.py").read_bytes() == NEW["a.py"]


@ROOT_ONLY
def test_owner_group_mode_and_set_id_bits_are_kept(tree: Path) -> None:
    path = tree / "src" / "a.py"
    os.chown(path, 1234, 5678)
    os.chmod(path, 0o6751)  # chown after chmod would clear these
    commit(changes(tree, "a.py"), journal_dir(tree))
    info = os.stat(path)
    assert (info.st_uid, info.st_gid, stat.S_IMODE(info.st_mode)) == (1234, 5678, 0o6751)


def test_own_files_are_not_chowned(tree: Path, monkeypatch) -> None:
    calls = []
    monkeypatch.setattr(atomic.os, "fchown", lambda *args: calls.append(args))
    commit(changes(tree, "a.py"), journal_dir(tree))
    assert calls == []


def test_xattrs_are_kept(tree: Path) -> None:
    if not xattrs_supported(tree):
        pytest.skip("this filesystem stores no user.* extended attributes (checked just now)")
    path = tree / "src" / "a.py"
    os.setxattr(path, "user.one", b"1")
    os.setxattr(path, "user.two", b"\x00\xff")
    commit(changes(tree, "a.py"), journal_dir(tree))
    assert {name: os.getxattr(path, name) for name in os.listxattr(path)} == {"user.one": b"1", "user.two": b"\x00\xff"}


def test_a_filesystem_without_xattrs_is_fine(tree: Path, monkeypatch) -> None:
    def unsupported(path):
        raise OSError(errno.ENOTSUP, "Operation not supported")

    monkeypatch.setattr(atomic.os, "listxattr", unsupported)
    commit(changes(tree), journal_dir(tree))
    assert files(tree) == NEW


def test_xattrs_that_cannot_be_read_mean_writing_in_place(tree: Path, monkeypatch) -> None:
    def broken(path):
        raise OSError(errno.EIO, "Input/output error")

    monkeypatch.setattr(atomic.os, "listxattr", broken)
    inodes = {p.name: p.stat().st_ino for p in (tree / "src").iterdir()}
    commit(changes(tree), journal_dir(tree))
    assert files(tree) == NEW and leftovers(tree) == []
    assert {p.name: p.stat().st_ino for p in (tree / "src").iterdir()} == inodes  # the same files, in place


def test_hard_links_are_written_in_place(tree: Path, tmp_path: Path) -> None:
    path = tree / "src" / "a.py"
    other = tmp_path / "elsewhere.py"
    os.link(path, other)
    inode = os.stat(path).st_ino
    commit(changes(tree), journal_dir(tree))
    assert os.stat(path).st_ino == inode and os.path.samefile(path, other)
    assert other.read_bytes() == NEW["a.py"]
    assert files(tree) == {**NEW, }
    assert leftovers(tree) == []


@pytest.mark.parametrize("what", ["owner", "xattr"])
def test_metadata_a_new_file_cannot_carry_means_writing_in_place(tree: Path, monkeypatch, what: str) -> None:
    path = tree / "src" / "b.py"
    if what == "owner":
        if os.geteuid() == 0:
            os.chown(path, 1234, 5678)

            def refuse(*args):
                raise PermissionError(errno.EPERM, "Operation not permitted")

            monkeypatch.setattr(atomic.os, "fchown", refuse)
        else:  # pragma: no cover - CI runs as root
            pytest.skip("needs root to give the file a foreign owner")
    else:
        monkeypatch.setattr(atomic, "_xattrs", lambda source: [("user.x", b"1")])

        def refuse(fd, name, value):
            raise PermissionError(errno.EPERM, "Operation not permitted")

        monkeypatch.setattr(atomic.os, "setxattr", refuse)
    inode = os.stat(path).st_ino
    commit(changes(tree), journal_dir(tree))
    assert os.stat(path).st_ino == inode  # the same file, rewritten in place
    assert files(tree) == NEW and leftovers(tree) == []


# -- commit: refusals before anything is written -------------------------------------------------
def test_a_file_changed_since_it_was_read_is_refused_up_front(tree: Path) -> None:
    (tree / "src" / "b.py").write_bytes(b"the user's edit\n")
    with pytest.raises(CommitError) as caught:
        commit(changes(tree), journal_dir(tree))
    assert str(caught.value) == f"{tree / 'src' / 'b.py'}: changed on disk since it was read; not overwritten"
    assert files(tree) == {**OLD, "b.py": b"the user's edit\n"}
    assert leftovers(tree) == []


def test_the_same_file_twice_is_refused(tree: Path) -> None:
    link = tree / "src" / "link.py"
    link.symlink_to("a.py")
    with pytest.raises(CommitError) as caught:
        commit([*changes(tree, "a.py"), (link, OLD["a.py"], b"other\n")], journal_dir(tree))
    assert str(caught.value) == f"{link}: named twice in one commit"
    assert (tree / "src" / "a.py").read_bytes() == OLD["a.py"]


def test_missing_and_special_files_are_refused(tree: Path) -> None:
    missing = tree / "src" / "gone.py"
    with pytest.raises(CommitError) as caught:
        commit([(missing, b"x", b"y")], journal_dir(tree))
    assert str(caught.value) == f"{missing}: cannot read: No such file or directory"
    fifo = tree / "src" / "pipe.py"
    os.mkfifo(fifo)
    with pytest.raises(CommitError) as caught:
        commit([(fifo, b"x", b"y")], journal_dir(tree))
    assert str(caught.value) == f"{fifo}: not a regular file"
    (tree / "src" / "dir.py").mkdir()
    with pytest.raises(CommitError) as caught:
        commit([(tree / "src" / "dir.py", b"x", b"y")], journal_dir(tree))
    assert str(caught.value) == f"{tree / 'src' / 'dir.py'}: not a regular file"


def test_a_journal_directory_that_cannot_be_made_is_refused(tree: Path) -> None:
    blocker = tree / "cache"
    blocker.write_text("a file where the directory should be")
    with pytest.raises(CommitError) as caught:
        commit(changes(tree), blocker / "sub")
    assert str(caught.value) == f"{blocker / 'sub'}: cannot create the commit journal: Not a directory"
    assert files(tree) == OLD


def test_a_journal_that_cannot_be_written_is_refused(tree: Path) -> None:
    (journal_dir(tree) / JOURNAL).mkdir(parents=True)  # a directory in the journal's place
    (journal_dir(tree) / JOURNAL / "x").write_text("")
    with pytest.raises(CommitError) as caught:
        commit(changes(tree), journal_dir(tree))
    assert str(caught.value).startswith(f"{journal_dir(tree) / JOURNAL}: ")
    assert files(tree) == OLD


def test_a_journal_write_error_is_named(tree: Path, monkeypatch) -> None:
    def full(path, data, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(atomic, "replace_file", full)
    with pytest.raises(CommitError) as caught:
        commit(changes(tree), journal_dir(tree))
    assert str(caught.value) == f"{journal_dir(tree) / JOURNAL}: cannot write the commit journal: No space left on device"
    assert files(tree) == OLD and leftovers(tree) == []


# -- commit: failures half-way are rolled back -----------------------------------------------------
@pytest.mark.parametrize("exchange", [True, False], ids=["renameat2", "check-then-replace"])
@pytest.mark.parametrize("failing", ["a.py", "b.py", "c.py"])
def test_a_failure_on_any_file_restores_every_file(tree: Path, monkeypatch, exchange: bool, failing: str) -> None:
    if not exchange:
        monkeypatch.setattr(atomic, "_renameat2", None)
    if os.geteuid() == 0:
        os.chown(tree / "src" / "a.py", 1234, 5678)
    os.chmod(tree / "src" / "a.py", 0o640)
    inodes = {p.name: p.stat().st_ino for p in (tree / "src").iterdir()}
    monkeypatch.setattr(atomic, "_before_swap", fail_on(failing, OSError(errno.ENOSPC, "No space left on device")))
    with pytest.raises(CommitError) as caught:
        commit(changes(tree), journal_dir(tree))
    assert str(caught.value) == f"{tree / 'src' / failing}: cannot write: No space left on device; nothing written"
    assert files(tree) == OLD
    assert leftovers(tree) == []
    info = os.stat(tree / "src" / "a.py")
    assert stat.S_IMODE(info.st_mode) == 0o640
    if os.geteuid() == 0:
        assert (info.st_uid, info.st_gid) == (1234, 5678)
    if exchange:  # the very same files are back
        assert {p.name: p.stat().st_ino for p in (tree / "src").iterdir()} == inodes


def test_an_exception_that_is_not_an_os_error_is_named_too(tree: Path, monkeypatch) -> None:
    monkeypatch.setattr(atomic, "_before_swap", fail_on("b.py", ValueError("boom")))
    with pytest.raises(CommitError) as caught:
        commit(changes(tree), journal_dir(tree))
    assert str(caught.value) == f"{tree / 'src' / 'b.py'}: cannot write: ValueError: boom; nothing written"
    assert files(tree) == OLD and leftovers(tree) == []


@pytest.mark.parametrize("signal_like", [KeyboardInterrupt, SystemExit])
def test_ctrl_c_rolls_back_and_propagates(tree: Path, monkeypatch, signal_like) -> None:
    monkeypatch.setattr(atomic, "_before_swap", fail_on("c.py", signal_like()))
    with pytest.raises(signal_like):
        commit(changes(tree), journal_dir(tree))
    assert files(tree) == OLD and leftovers(tree) == []


def test_ctrl_c_while_temp_files_are_prepared_leaves_none(tree: Path, monkeypatch) -> None:
    real_fsync = os.fsync
    calls = []

    def interrupt_third(fd):
        calls.append(fd)
        if len(calls) == 4:  # journal, directory, a.py's temp, then b.py's temp
            raise KeyboardInterrupt
        return real_fsync(fd)

    monkeypatch.setattr(atomic.os, "fsync", interrupt_third)
    with pytest.raises(KeyboardInterrupt):
        commit(changes(tree), journal_dir(tree))
    assert files(tree) == OLD and leftovers(tree) == []


def test_a_temp_name_already_taken_is_not_removed(tree: Path, monkeypatch) -> None:
    monkeypatch.setattr(secrets, "token_hex", lambda n: "feedfeedfeed")
    theirs = tree / "src" / ".b.py.feedfeedfeed.tmp"
    theirs.write_bytes(b"not ours")
    with pytest.raises(CommitError) as caught:
        commit(changes(tree), journal_dir(tree))
    assert str(caught.value) == f"{tree / 'src' / 'b.py'}: cannot write: File exists; nothing written"
    assert files(tree) == {**OLD, ".b.py.feedfeedfeed.tmp": b"not ours"}
    assert not (journal_dir(tree) / JOURNAL).exists()


@pytest.mark.parametrize("exchange", [True, False], ids=["renameat2", "check-then-replace"])
def test_an_edit_just_before_the_replace_survives(tree: Path, monkeypatch, exchange: bool) -> None:
    if not exchange:
        monkeypatch.setattr(atomic, "_renameat2", None)

    def edit(target: Path) -> None:
        if target.name == "b.py":
            target.write_bytes(b"edited meanwhile\n")

    monkeypatch.setattr(atomic, "_before_swap", edit)
    with pytest.raises(CommitError) as caught:
        commit(changes(tree), journal_dir(tree))
    assert str(caught.value) == f"{tree / 'src' / 'b.py'}: changed on disk while it was being fixed; nothing written"
    assert files(tree) == {**OLD, "b.py": b"edited meanwhile\n"}
    assert leftovers(tree) == []


def test_an_edit_to_a_hard_linked_file_survives(tree: Path, tmp_path: Path, monkeypatch) -> None:
    os.link(tree / "src" / "b.py", tmp_path / "link.py")

    def edit(target: Path) -> None:
        if target.name == "b.py":
            target.write_bytes(b"edited meanwhile\n")

    monkeypatch.setattr(atomic, "_before_swap", edit)
    with pytest.raises(CommitError) as caught:
        commit(changes(tree), journal_dir(tree))
    assert str(caught.value) == f"{tree / 'src' / 'b.py'}: changed on disk while it was being fixed; nothing written"
    assert files(tree) == {**OLD, "b.py": b"edited meanwhile\n"}


def test_a_hard_linked_file_already_written_is_put_back_in_place(tree: Path, tmp_path: Path, monkeypatch) -> None:
    link = tmp_path / "link.py"
    os.link(tree / "src" / "a.py", link)
    monkeypatch.setattr(atomic, "_before_swap", fail_on("c.py", OSError(errno.EIO, "Input/output error")))
    with pytest.raises(CommitError):
        commit(changes(tree), journal_dir(tree))
    assert files(tree) == OLD and link.read_bytes() == OLD["a.py"]
    assert os.path.samefile(link, tree / "src" / "a.py")


def test_a_hard_linked_file_edited_after_it_was_written_is_left_and_named(tree: Path, tmp_path: Path, monkeypatch) -> None:
    os.link(tree / "src" / "a.py", tmp_path / "link.py")

    def edit_a_then_fail(target: Path) -> None:
        if target.name == "c.py":
            (tree / "src" / "a.py").write_bytes(b"edited after the write\n")
            raise OSError(errno.EIO, "Input/output error")

    monkeypatch.setattr(atomic, "_before_swap", edit_a_then_fail)
    with pytest.raises(CommitError) as caught:
        commit(changes(tree), journal_dir(tree))
    assert str(caught.value) == (
        f"{tree / 'src' / 'c.py'}: cannot write: Input/output error; nothing written; "
        f"{tree / 'src' / 'a.py'}: edited during the fix; left as it is"
    )
    assert files(tree) == {**OLD, "a.py": b"edited after the write\n"}
    assert (journal_dir(tree) / JOURNAL).exists()  # kept: the next run has the last word
    with pytest.raises(CommitError) as caught:
        recover(journal_dir(tree))
    assert str(caught.value) == f"{tree / 'src' / 'a.py'}: edited after an interrupted fix; left as it is"
    assert not (journal_dir(tree) / JOURNAL).exists()


def test_a_file_that_cannot_be_put_back_is_left_to_recover(tree: Path, monkeypatch) -> None:
    monkeypatch.setattr(atomic, "_renameat2", None)
    monkeypatch.setattr(atomic, "_before_swap", fail_on("c.py", OSError(errno.EIO, "Input/output error")))
    real_restore = atomic._restore_bytes

    def cannot_restore(target, data):
        raise OSError(errno.EROFS, "Read-only file system")

    monkeypatch.setattr(atomic, "_restore_bytes", cannot_restore)
    with pytest.raises(CommitError) as caught:
        commit(changes(tree), journal_dir(tree))
    src = tree / "src"
    assert str(caught.value) == (
        f"{src / 'c.py'}: cannot write: Input/output error; nothing written; "
        f"{src / 'b.py'}: could not be put back (Read-only file system); the next run restores it; "
        f"{src / 'a.py'}: could not be put back (Read-only file system); the next run restores it"
    )
    assert files(tree) == {**NEW, "c.py": OLD["c.py"]}
    assert (journal_dir(tree) / JOURNAL).exists()
    monkeypatch.setattr(atomic, "_restore_bytes", real_restore)
    assert sorted(recover(journal_dir(tree))) == [src / "a.py", src / "b.py"]
    assert files(tree) == OLD and leftovers(tree) == []


# -- the atomic exchange ---------------------------------------------------------------------------
def fake_renameat2(code: int):
    def fake(*args):
        ctypes.set_errno(code)
        return -1

    return fake


@pytest.mark.parametrize("code", [errno.EINVAL, errno.ENOSYS, errno.ENOTSUP, errno.EOPNOTSUPP])
def test_no_exchange_on_this_filesystem_falls_back(tree: Path, monkeypatch, code: int) -> None:
    monkeypatch.setattr(atomic, "_renameat2", fake_renameat2(code))
    commit(changes(tree), journal_dir(tree))
    assert files(tree) == NEW and leftovers(tree) == []


def test_an_exchange_error_is_a_write_error(tree: Path, monkeypatch) -> None:
    monkeypatch.setattr(atomic, "_renameat2", fake_renameat2(errno.EPERM))
    with pytest.raises(CommitError) as caught:
        commit(changes(tree), journal_dir(tree))
    assert str(caught.value) == f"{tree / 'src' / 'a.py'}: cannot write: Operation not permitted; nothing written"
    assert files(tree) == OLD and leftovers(tree) == []


def test_the_kernel_exchange_is_found() -> None:
    assert atomic._load_renameat2() is not None


def test_no_libc_exchange_means_none(monkeypatch) -> None:
    class NoLibc:
        def __init__(self, *args, **kwargs):
            raise OSError("no libc")

    monkeypatch.setattr(ctypes, "CDLL", NoLibc)
    assert atomic._load_renameat2() is None


def test_exchange_reports_the_kernels_error(tmp_path: Path) -> None:
    (tmp_path / "there").write_bytes(b"x")
    with pytest.raises(FileNotFoundError) as caught:
        atomic._exchange(tmp_path / "missing", tmp_path / "there")
    assert caught.value.errno == errno.ENOENT and caught.value.strerror == "No such file or directory"


def test_a_swap_back_without_exchange_still_puts_the_file_back(tree: Path, monkeypatch) -> None:
    real = atomic._exchange
    calls = []

    def forward_only(first, second):
        calls.append(first)
        return real(first, second) if len(calls) == 1 else False

    monkeypatch.setattr(atomic, "_exchange", forward_only)
    monkeypatch.setattr(atomic, "_before_swap", fail_on("b.py", OSError(errno.EIO, "Input/output error")))
    inode = (tree / "src" / "a.py").stat().st_ino
    with pytest.raises(CommitError):
        commit(changes(tree), journal_dir(tree))
    assert files(tree) == OLD and leftovers(tree) == []
    assert (tree / "src" / "a.py").stat().st_ino == inode


def test_commit_waits_for_a_commit_already_running(tree: Path) -> None:
    journal_dir(tree).mkdir()
    lock = atomic._Lock(journal_dir(tree), fcntl.LOCK_EX)
    threading.Timer(0.3, lock.release).start()
    started = time.monotonic()
    commit(changes(tree), journal_dir(tree))
    assert time.monotonic() - started >= 0.25
    assert files(tree) == NEW


def test_the_journal_directory_is_made_with_its_parents(tree: Path) -> None:
    commit(changes(tree), tree / "deep" / "er" / "cache")
    assert files(tree) == NEW and (tree / "deep" / "er" / "cache").is_dir()


def test_exchange_swaps_two_files(tmp_path: Path) -> None:
    first, second = tmp_path / "1", tmp_path / "2"
    first.write_bytes(b"one")
    second.write_bytes(b"two")
    assert atomic._exchange(first, second) is True
    assert (first.read_bytes(), second.read_bytes()) == (b"two", b"one")


# -- recover ----------------------------------------------------------------------------------------
def crashed_commit(tree: Path, monkeypatch, done: tuple[str, ...] = ("a.py",)) -> None:
    """Leave the state a SIGKILL leaves: journal written, some files swapped, temp files around."""

    class Killed(BaseException):
        pass

    def kill(target: Path) -> None:
        if target.name not in done:
            raise Killed

    monkeypatch.setattr(atomic, "_before_swap", kill)
    monkeypatch.setattr(atomic, "_rollback", lambda entries: [])  # a dead process rolls nothing back
    monkeypatch.setattr(atomic, "_unlink", lambda path: None)  # nor cleans up
    if set(done) >= {"a.py", "b.py", "c.py"}:  # killed after the last swap, before the cleanup
        commit(changes(tree), journal_dir(tree))
    else:
        with pytest.raises(Killed):
            commit(changes(tree), journal_dir(tree))
    monkeypatch.undo()
    assert (journal_dir(tree) / JOURNAL).exists()


def test_recover_without_a_journal_does_nothing(tree: Path) -> None:
    assert recover(journal_dir(tree)) == []
    assert not journal_dir(tree).exists()


def test_recover_puts_back_what_a_crash_left_half_done(tree: Path, monkeypatch) -> None:
    if os.geteuid() == 0:
        os.chown(tree / "src" / "a.py", 1234, 5678)
    os.chmod(tree / "src" / "a.py", 0o640)
    crashed_commit(tree, monkeypatch, done=("a.py", "b.py"))
    assert files(tree)["a.py"] == NEW["a.py"] and files(tree)["b.py"] == NEW["b.py"]
    assert leftovers(tree)  # temp files and the journal
    inode = (tree / "src" / "a.py").stat().st_ino
    assert recover(journal_dir(tree)) == [tree / "src" / "a.py", tree / "src" / "b.py"]
    assert files(tree) == OLD
    assert (tree / "src" / "a.py").stat().st_ino != inode  # replaced whole (atomically), not rewritten in place
    assert leftovers(tree) == []
    info = os.stat(tree / "src" / "a.py")
    assert stat.S_IMODE(info.st_mode) == 0o640
    if os.geteuid() == 0:
        assert (info.st_uid, info.st_gid) == (1234, 5678)
    assert recover(journal_dir(tree)) == []


def test_recover_puts_back_a_hard_linked_file_in_place(tree: Path, tmp_path: Path, monkeypatch) -> None:
    link = tmp_path / "link.py"
    os.link(tree / "src" / "a.py", link)
    crashed_commit(tree, monkeypatch, done=("a.py",))
    assert link.read_bytes() == NEW["a.py"]
    assert recover(journal_dir(tree)) == [tree / "src" / "a.py"]
    assert link.read_bytes() == OLD["a.py"] and os.path.samefile(link, tree / "src" / "a.py")


def test_commit_recovers_a_crashed_commit_first(tree: Path, monkeypatch) -> None:
    crashed_commit(tree, monkeypatch)
    commit(changes(tree, "c.py"), journal_dir(tree))
    assert files(tree) == {**OLD, "c.py": NEW["c.py"]}
    assert leftovers(tree) == []


def test_recover_leaves_a_file_edited_after_the_crash(tree: Path, monkeypatch) -> None:
    crashed_commit(tree, monkeypatch, done=("a.py",))
    (tree / "src" / "a.py").write_bytes(b"the user's edit after the crash\n")
    (tree / "src" / "b.py").unlink()
    with pytest.raises(CommitError) as caught:
        recover(journal_dir(tree))
    src = tree / "src"
    assert str(caught.value) == (
        f"{src / 'a.py'}: edited after an interrupted fix; left as it is; "
        f"{src / 'b.py'}: deleted after an interrupted fix; left as it is"
    )
    assert files(tree) == {"a.py": b"the user's edit after the crash\n", "c.py": OLD["c.py"]}
    assert leftovers(tree) == []  # reported once: the journal is gone


def test_recover_keeps_the_journal_when_a_file_cannot_be_read(tree: Path, monkeypatch) -> None:
    crashed_commit(tree, monkeypatch, done=("a.py", "b.py", "c.py"))
    for name in ("a.py", "c.py"):
        (tree / "src" / name).unlink()
        (tree / "src" / name).mkdir()
    with pytest.raises(CommitError) as caught:
        recover(journal_dir(tree))
    src = tree / "src"
    assert str(caught.value) == (
        f"{src / 'a.py'}: cannot restore after an interrupted fix: Is a directory; "
        f"{src / 'c.py'}: cannot restore after an interrupted fix: Is a directory"
    )
    assert (src / "b.py").read_bytes() == OLD["b.py"]  # the others are done
    assert (journal_dir(tree) / JOURNAL).exists()
    for name in ("a.py", "c.py"):
        (src / name).rmdir()
        (src / name).write_bytes(OLD[name])
    assert recover(journal_dir(tree)) == []
    assert leftovers(tree) == []


def test_recover_keeps_the_journal_when_a_file_cannot_be_written(tree: Path, monkeypatch) -> None:
    crashed_commit(tree, monkeypatch, done=("a.py", "b.py"))
    real = atomic._restore_bytes

    def cannot_for_a(target, data):
        if target.name == "a.py":
            raise OSError(errno.EROFS, "Read-only file system")
        return real(target, data)

    monkeypatch.setattr(atomic, "_restore_bytes", cannot_for_a)
    with pytest.raises(CommitError) as caught:
        recover(journal_dir(tree))
    assert str(caught.value) == f"{tree / 'src' / 'a.py'}: cannot restore after an interrupted fix: Read-only file system"
    assert (journal_dir(tree) / JOURNAL).exists()
    assert (tree / "src" / "b.py").read_bytes() == OLD["b.py"]  # the rest is done


def test_recover_waits_for_nobody_and_leaves_a_running_commit_alone(tree: Path, monkeypatch) -> None:
    crashed_commit(tree, monkeypatch)
    lock = atomic._Lock(journal_dir(tree), fcntl.LOCK_EX | fcntl.LOCK_NB)  # another process, committing now
    try:
        assert recover(journal_dir(tree)) == []
        assert (journal_dir(tree) / JOURNAL).exists()
        assert files(tree)["a.py"] == NEW["a.py"]
    finally:
        lock.release()
    assert recover(journal_dir(tree)) == [tree / "src" / "a.py"]


def test_recover_names_a_journal_directory_it_cannot_lock(tree: Path, monkeypatch) -> None:
    crashed_commit(tree, monkeypatch)

    def unlockable(directory, operation):
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(atomic, "_Lock", unlockable)
    with pytest.raises(CommitError) as caught:
        recover(journal_dir(tree))
    assert str(caught.value) == f"{journal_dir(tree)}: cannot lock the commit journal: Permission denied"


def write_journal(tree: Path, document) -> Path:
    journal_dir(tree).mkdir(exist_ok=True)
    path = journal_dir(tree) / JOURNAL
    path.write_bytes(document if isinstance(document, bytes) else json.dumps(document).encode())
    return path


def good_journal(tree: Path) -> dict:
    return {
        "format": "igny8-refactor-commit-journal",
        "version": 1,
        "pid": 1,
        "files": [{"path": str(tree / "src" / "a.py"), "tmp": str(tree / "src" / ".a.py.x.tmp"),
                   "old": base64.b64encode(b"from the journal\n").decode(), "new_sha256": hashlib.sha256(OLD["a.py"]).hexdigest()}],
    }


def test_a_hand_written_journal_is_obeyed(tree: Path) -> None:
    write_journal(tree, good_journal(tree))
    (tree / "src" / ".a.py.x.tmp").write_bytes(b"stray")
    assert recover(journal_dir(tree)) == [tree / "src" / "a.py"]
    assert (tree / "src" / "a.py").read_bytes() == b"from the journal\n"
    assert leftovers(tree) == []


@pytest.mark.parametrize(
    "change",
    [
        lambda d: d.update(format="other"),
        lambda d: d.update(version=2),
        lambda d: d.update(files={}),
        lambda d: d.update(files=[1]),
        lambda d: d["files"][0].pop("path"),
        lambda d: d["files"][0].pop("tmp"),
        lambda d: d["files"][0].pop("old"),
        lambda d: d["files"][0].pop("new_sha256"),
        lambda d: d["files"][0].update(old=5),
        lambda d: d.clear(),
    ],
)
def test_a_journal_of_the_wrong_shape_is_named(tree: Path, change) -> None:
    document = good_journal(tree)
    change(document)
    path = write_journal(tree, document)
    with pytest.raises(CommitError) as caught:
        recover(journal_dir(tree))
    assert str(caught.value) == f"{path}: not a commit journal this version can read; delete it once the files are checked"
    assert files(tree) == OLD


@pytest.mark.parametrize("data", [b"{not json", b"[1, 2]", b"\xff"])
def test_an_unreadable_journal_is_named(tree: Path, data: bytes) -> None:
    path = write_journal(tree, data)
    with pytest.raises(CommitError) as caught:
        recover(journal_dir(tree))
    message = str(caught.value)
    assert message.startswith(f"{path}: ")
    assert message.endswith("; delete it once the files are checked")
    assert files(tree) == OLD


def test_bad_base64_in_a_journal_is_named(tree: Path) -> None:
    document = good_journal(tree)
    document["files"][0]["old"] = "QUJD!"  # "ABC" to a lenient decoder
    write_journal(tree, document)
    with pytest.raises(CommitError) as caught:
        recover(journal_dir(tree))
    assert str(caught.value).startswith(f"{tree / 'src' / 'a.py'}: cannot restore after an interrupted fix: ")
    assert files(tree) == OLD


# -- replace_file ------------------------------------------------------------------------------------
@pytest.mark.parametrize("umask, mode", [(0o027, 0o640), (0o002, 0o664), (0o022, 0o644)])
def test_replace_file_new_file_gets_the_usual_mode(tmp_path: Path, umask: int, mode: int) -> None:
    previous = os.umask(umask)
    try:
        replace_file(tmp_path / "new.txt", b"data")
        assert os.umask(umask) == umask  # the umask is left as it was
    finally:
        os.umask(previous)
    assert stat.S_IMODE(os.stat(tmp_path / "new.txt").st_mode) == mode
    assert (tmp_path / "new.txt").read_bytes() == b"data"


def test_replace_file_keeps_the_mode_when_the_owner_cannot_be_kept(tmp_path: Path, monkeypatch) -> None:
    path = tmp_path / "report.txt"
    path.write_bytes(b"old")
    os.chmod(path, 0o754)

    def refuse(*args):
        raise PermissionError(errno.EPERM, "Operation not permitted")

    monkeypatch.setattr(atomic, "_copy_metadata", refuse)
    replace_file(path, b"new")
    assert path.read_bytes() == b"new" and stat.S_IMODE(path.stat().st_mode) == 0o754


@pytest.mark.parametrize("replacing", [True, False])
def test_temp_files_are_private_until_they_get_their_mode(tmp_path: Path, monkeypatch, replacing: bool) -> None:
    """Nothing is readable by others in the moment between creating a temp file and setting its mode."""
    seen = []
    real_fchmod = os.fchmod
    monkeypatch.setattr(atomic.os, "fchmod", lambda fd, mode: (seen.append(stat.S_IMODE(os.fstat(fd).st_mode)), real_fchmod(fd, mode)))
    src = tmp_path / "src"
    src.mkdir()
    (src / "a.py").write_bytes(b"old a.py\n")
    os.chmod(src / "a.py", 0o644)
    if replacing:
        replace_file(src / "a.py", b"x")
    else:
        commit([(src / "a.py", b"old a.py\n", b"new\n")], tmp_path / "cache")
    assert seen and seen[0] == 0o600


def test_replace_file_keeps_mode_owner_and_xattrs(tmp_path: Path) -> None:
    path = tmp_path / "kept.txt"
    path.write_bytes(b"old")
    os.chmod(path, 0o751)
    if os.geteuid() == 0:
        os.chown(path, 1234, 5678)
    xattrs = xattrs_supported(tmp_path)
    if xattrs:
        os.setxattr(path, "user.k", b"v")
    replace_file(path, b"new")
    info = os.stat(path)
    assert path.read_bytes() == b"new" and stat.S_IMODE(info.st_mode) == 0o751
    if os.geteuid() == 0:
        assert (info.st_uid, info.st_gid) == (1234, 5678)
    if xattrs:
        assert os.getxattr(path, "user.k") == b"v"


@pytest.mark.parametrize("prefix, expected", [(None, ".target.txt."), (".audit-", ".audit-")])
def test_replace_file_puts_its_temp_file_next_to_the_target(tmp_path: Path, monkeypatch, prefix, expected) -> None:
    seen = []
    real_replace = os.replace
    monkeypatch.setattr(atomic.os, "replace", lambda src, dst: (seen.append(src), real_replace(src, dst)))
    monkeypatch.setenv("TMPDIR", str(tmp_path / "elsewhere"))
    replace_file(tmp_path / "target.txt", b"x", prefix=prefix)
    [src] = seen
    assert os.path.dirname(src) == str(tmp_path)
    assert os.path.basename(src).startswith(expected) and str(src).endswith(".tmp")


@pytest.mark.parametrize("error", [OSError(errno.ENOSPC, "No space left on device"), KeyboardInterrupt()])
def test_replace_file_failure_leaves_no_temp_and_the_old_file(tmp_path: Path, monkeypatch, error) -> None:
    path = tmp_path / "target.txt"
    path.write_bytes(b"old")

    def fail(src, dst):
        raise error

    monkeypatch.setattr(atomic.os, "replace", fail)
    with pytest.raises(type(error)):
        replace_file(path, b"new")
    assert [p.name for p in tmp_path.iterdir()] == ["target.txt"]
    assert path.read_bytes() == b"old"


def test_replace_file_writes_the_pieces_of_an_iterable_and_fails_whole(tmp_path: Path) -> None:
    path = tmp_path / "target.txt"
    path.write_bytes(b"old")
    replace_file(path, (piece for piece in (b"one\n", b"two\n")))
    assert path.read_bytes() == b"one\ntwo\n"

    def broken():
        yield b"half"
        raise OSError(errno.ENOSPC, "No space left on device")

    with pytest.raises(OSError):
        replace_file(path, broken())
    assert [p.name for p in tmp_path.iterdir()] == ["target.txt"]
    assert path.read_bytes() == b"one\ntwo\n"


def test_replace_file_in_the_current_directory(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    replace_file("here.txt", b"x")
    assert (tmp_path / "here.txt").read_bytes() == b"x"


def test_unlink_ignores_only_a_missing_file(tmp_path: Path) -> None:
    atomic._unlink(tmp_path / "missing")
    (tmp_path / "dir").mkdir()
    with pytest.raises(IsADirectoryError):
        atomic._unlink(tmp_path / "dir")
