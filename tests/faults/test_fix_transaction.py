"""`fix` is one transaction: an unwritable file, Ctrl-C or a concurrent edit leaves every file as it
was (or as the user made it); owner and mode survive a successful fix."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from faults_helpers import AI_FILES, ai, chattr, invoke, legacy_bytes, run_tool, stray_temp_files, target_bytes

from igny8_refactor.audit import atomic


def assert_untouched(tree: Path) -> None:
    assert {name: ai(tree, name).read_bytes() for name in AI_FILES} == {name: legacy_bytes(name) for name in AI_FILES}
    assert stray_temp_files(tree) == []


def assert_fixed(tree: Path) -> None:
    assert {name: ai(tree, name).read_bytes() for name in AI_FILES} == {name: target_bytes(name) for name in AI_FILES}
    assert stray_temp_files(tree) == []


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


def test_ctrl_c_in_the_middle_of_a_commit_exits_130_and_puts_everything_back(checkout: Path, monkeypatch) -> None:
    write = atomic.replace_file

    def interrupted_on_engine(path, data):
        if Path(path).name == "engine.py" and data == target_bytes("engine.py"):
            raise KeyboardInterrupt
        write(path, data)

    monkeypatch.setattr(atomic, "replace_file", interrupted_on_engine)
    done = invoke(checkout, monkeypatch, "fix")
    assert done.exit_code == 130
    assert "interrupted" in done.output and done.exception is None or isinstance(done.exception, SystemExit)
    assert_untouched(checkout)


def test_an_edit_made_during_the_commit_is_never_overwritten(checkout: Path, monkeypatch) -> None:
    edit = legacy_bytes("tasks.py") + b"\n# the user's edit\n"
    write = atomic.replace_file

    def user_edits_tasks_meanwhile(path, data):
        if Path(path).name == "engine.py" and data == target_bytes("engine.py"):
            ai(checkout, "tasks.py").write_bytes(edit)
        write(path, data)

    monkeypatch.setattr(atomic, "replace_file", user_edits_tasks_meanwhile)
    done = invoke(checkout, monkeypatch, "fix")
    assert done.exit_code == 2
    assert (
        "igny8_core/ai/tasks.py: changed on disk since it was read; not overwritten; every file left as it was"
        in done.output
    )
    assert ai(checkout, "tasks.py").read_bytes() == edit
    for name in AI_FILES:
        if name != "tasks.py":
            assert ai(checkout, name).read_bytes() == legacy_bytes(name)
    assert stray_temp_files(checkout) == []


def test_owner_group_and_mode_are_kept(checkout: Path) -> None:
    if os.geteuid() != 0:
        pytest.fail("this test sets a foreign owner and must run as root (CI does)")
    settings, tasks = ai(checkout, "settings.py"), ai(checkout, "tasks.py")
    os.chown(settings, 1234, 5678)
    os.chmod(settings, 0o640)
    os.chmod(tasks, 0o755)

    done = run_tool(checkout, "fix")
    assert done.returncode == 0, done.stderr.decode()
    assert_fixed(checkout)
    info = os.stat(settings)
    assert (info.st_uid, info.st_gid, stat.S_IMODE(info.st_mode)) == (1234, 5678, 0o640)
    assert stat.S_IMODE(os.stat(tasks).st_mode) == 0o755


def test_fix_works_when_the_temp_directory_is_unusable(checkout: Path, tmp_path: Path) -> None:
    """Temp files go next to their target, never to $TMPDIR (a rename across filesystems fails)."""
    done = run_tool(checkout, "fix", env={"TMPDIR": str(tmp_path / "no-such-dir")})
    assert done.returncode == 0, done.stderr.decode()
    assert_fixed(checkout)
