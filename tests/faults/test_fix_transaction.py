"""`fix` is one transaction: an unwritable file, a kill, Ctrl-C or a concurrent edit leaves every
file as it was (or as the user made it); metadata and hard links survive a successful fix."""
from __future__ import annotations

import os
import signal
import stat
import time
from pathlib import Path

import pytest

from audit import atomic
from faults_helpers import (
    AI_FILES, CACHE, ai, chattr, invoke, legacy_bytes, run_tool, start_tool, stray_temp_files, target_bytes,
    xattrs_supported,
)

PAUSE = "IGNY8_REFACTOR_COMMIT_PAUSE"


def assert_untouched(tree: Path) -> None:
    assert {name: ai(tree, name).read_bytes() for name in AI_FILES} == {name: legacy_bytes(name) for name in AI_FILES}
    assert stray_temp_files(tree) == []
    assert not (tree / CACHE / atomic.JOURNAL_NAME).exists()


def assert_fixed(tree: Path) -> None:
    assert {name: ai(tree, name).read_bytes() for name in AI_FILES} == {name: target_bytes(name) for name in AI_FILES}
    assert stray_temp_files(tree) == []
    assert not (tree / CACHE / atomic.JOURNAL_NAME).exists()


def imports_cleanly(tree: Path) -> bool:
    """`import igny8_core.ai` in a fresh Django process (what a half-done fix breaks)."""
    import subprocess
    import sys

    code = "import django; django.setup(); import igny8_core.ai"
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="igny8_core.settings", PYTHONPATH=str(tree))
    return subprocess.run([sys.executable, "-c", code], cwd=tree, env=env, capture_output=True).returncode == 0


@pytest.mark.parametrize("blocked", ["__init__.py", "tasks.py"])  # the first file written, and the last
def test_an_unwritable_file_leaves_every_file_as_it_was(checkout: Path, blocked: str) -> None:
    path = ai(checkout, blocked)
    if chattr(path, "+i"):
        try:
            done = run_tool(checkout, "fix")
        finally:
            chattr(path, "-i")
        reason = "Operation not permitted"
    else:  # no chattr here: a read-only directory stops a non-root user (root ignores mode bits)
        if os.geteuid() == 0:
            pytest.fail("neither chattr +i nor a read-only directory can make a file unwritable for root here")
        os.chmod(path.parent, 0o555)
        try:
            done = run_tool(checkout, "fix")
        finally:
            os.chmod(path.parent, 0o755)
        reason = "Permission denied"
    assert done.returncode == 2
    stderr = done.stderr.decode()
    assert f"igny8_core/ai/{blocked}: cannot write: {reason}; nothing written; every file left as it was" in stderr
    assert "Traceback" not in stderr
    assert_untouched(checkout)
    assert imports_cleanly(checkout)
    # once the file is writable, the same command does the whole job
    assert run_tool(checkout, "fix").returncode == 0
    assert_fixed(checkout)


def wait_for_first_swap(tree: Path, process, timeout: float = 120) -> None:
    """Until one AI file holds its new bytes (the commit is under way) while another is still old."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        states = [ai(tree, name).read_bytes() == target_bytes(name) for name in AI_FILES]
        if any(states) and not all(states):
            return
        assert process.poll() is None, process.communicate()
        time.sleep(0.02)
    pytest.fail("the commit never started")


@pytest.mark.parametrize("next_command", [("audit", "--no-cache"), ("fix", "--check"), ("fix",)])
def test_sigkill_in_the_middle_of_a_commit_is_undone_by_the_next_run(checkout: Path, next_command) -> None:
    process = start_tool(checkout, "fix", env={PAUSE: "30"})
    try:
        wait_for_first_swap(checkout, process)
        process.kill()  # SIGKILL: no handler, no cleanup
    finally:
        process.wait(30)
    # half a refactoring on disk, a journal and the old files under temp names
    assert (checkout / CACHE / atomic.JOURNAL_NAME).exists()
    assert stray_temp_files(checkout)
    states = {ai(checkout, name).read_bytes() == target_bytes(name) for name in AI_FILES}
    assert states == {True, False}  # some files new, some old

    done = run_tool(checkout, *next_command)
    stderr = done.stderr.decode()
    assert "restored after an interrupted fix" in stderr and "Traceback" not in stderr
    if next_command == ("fix",):
        assert done.returncode == 0, stderr
        assert_fixed(checkout)
        assert imports_cleanly(checkout)
    else:
        assert done.returncode == 1  # findings / changes needed: the legacy tree is back
        assert_untouched(checkout)
        assert imports_cleanly(checkout)


def test_ctrl_c_in_the_middle_of_a_commit_exits_130_and_puts_everything_back(checkout: Path) -> None:
    process = start_tool(checkout, "fix", env={PAUSE: "30"})
    try:
        wait_for_first_swap(checkout, process)
        process.send_signal(signal.SIGINT)
        _, stderr = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 130
    assert b"Traceback" not in stderr and b"interrupted" in stderr
    assert_untouched(checkout)


@pytest.mark.parametrize("exchange", [True, False], ids=["renameat2", "check-then-replace"])
def test_an_edit_made_just_before_the_replace_is_never_overwritten(checkout: Path, monkeypatch, exchange: bool) -> None:
    if not exchange:
        monkeypatch.setattr(atomic, "_renameat2", None)
    edit = legacy_bytes("settings.py") + b"\n# the user's edit\n"

    def user_edits_settings(target: Path) -> None:
        if target.name == "settings.py":
            target.write_bytes(edit)

    monkeypatch.setattr(atomic, "_before_swap", user_edits_settings)
    done = invoke(checkout, monkeypatch, "fix")
    assert done.exit_code == 2
    assert "igny8_core/ai/settings.py: changed on disk while it was being fixed; nothing written" in done.output
    assert ai(checkout, "settings.py").read_bytes() == edit
    for name in AI_FILES:
        if name != "settings.py":
            assert ai(checkout, name).read_bytes() == legacy_bytes(name)
    assert stray_temp_files(checkout) == []


def test_owner_group_mode_xattrs_and_hard_links_are_kept(checkout: Path, tmp_path: Path) -> None:
    if os.geteuid() != 0:
        pytest.fail("this test sets a foreign owner and must run as root (CI does)")
    settings, engine, tasks = ai(checkout, "settings.py"), ai(checkout, "engine.py"), ai(checkout, "tasks.py")
    os.chown(settings, 1234, 5678)
    os.chmod(settings, 0o640)
    xattrs = xattrs_supported(checkout)
    if xattrs:
        os.setxattr(settings, "user.origin", b"igny8 checkout")
    elsewhere = tmp_path / "engine-link.py"
    os.link(engine, elsewhere)
    os.chmod(tasks, 0o755)

    done = run_tool(checkout, "fix")
    assert done.returncode == 0, done.stderr.decode()
    assert_fixed(checkout)
    info = os.stat(settings)
    assert (info.st_uid, info.st_gid, stat.S_IMODE(info.st_mode)) == (1234, 5678, 0o640)
    if xattrs:
        assert os.getxattr(settings, "user.origin") == b"igny8 checkout"
    assert os.path.samefile(engine, elsewhere)  # still one file: the link was not split
    assert elsewhere.read_bytes() == target_bytes("engine.py")
    assert stat.S_IMODE(os.stat(tasks).st_mode) == 0o755


def test_fix_works_when_the_temp_directory_is_unusable(checkout: Path, tmp_path: Path) -> None:
    """Temp files go next to their target, never to $TMPDIR (a rename across filesystems fails)."""
    done = run_tool(checkout, "fix", env={"TMPDIR": str(tmp_path / "no-such-dir")})
    assert done.returncode == 0, done.stderr.decode()
    assert_fixed(checkout)
