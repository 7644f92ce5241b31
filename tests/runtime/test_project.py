"""The Django project itself: checks, migrations, runserver on embedded SQLite, a Celery worker."""

import json
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parents[2]
# DEBUG is off in these processes, so they need a secret key of their own
TEST_SECRET_KEY = "runtime-tests-0f3a9c1e7b5d2f8a4c6e0b9d1f3a5c7e9b2d4f6a8c0e"


def project_env(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("IGNY8_") and k != "DJANGO_SETTINGS_MODULE"}
    env["DJANGO_SETTINGS_MODULE"] = os.environ.get(
        "DJANGO_SETTINGS_MODULE", "igny8_core.settings"
    )  # this run's own settings
    env["IGNY8_DB_PATH"] = str(tmp_path / "db.sqlite3")
    env["IGNY8_SECRET_KEY"] = TEST_SECRET_KEY
    env["PYTHONPATH"] = str(PROJECT)
    return env


def manage(tmp_path, *args):
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=PROJECT,
        env=project_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=180,
    )


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def stop(process):
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)


def test_manage_check_and_migrations_are_clean(tmp_path):
    result = manage(tmp_path, "check")
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout
    result = manage(tmp_path, "makemigrations", "--check", "--dry-run")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No changes detected" in result.stdout


def test_migrate_then_runserver_answers_in_the_unified_format(tmp_path):
    result = manage(tmp_path, "migrate", "--noinput")
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "db.sqlite3").is_file()
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"],
        cwd=PROJECT,
        env=project_env(tmp_path),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        request = urllib.request.Request(
            f"http://127.0.0.1:{port}/api/v1/writer/tasks/",
            headers={"X-Request-ID": "boot-1"},
        )
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(request, timeout=5)
                pytest.fail("an anonymous request was answered with success")
            except urllib.error.HTTPError as exc:
                status, headers, body = exc.code, exc.headers, json.loads(exc.read())
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise
                time.sleep(0.3)
        assert status == 401
        assert headers["X-Request-ID"] == "boot-1"
        assert body == {
            "success": False,
            "error": "Authentication credentials were not provided.",
            "error_code": "not_authenticated",
            "request_id": "boot-1",
        }
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/no/such/page/", timeout=5)
            pytest.fail("an unknown URL was answered with success")
        except urllib.error.HTTPError as exc:
            assert exc.code == 404
            assert json.loads(exc.read())["error_code"] == "not_found"
    finally:
        stop(server)


def test_celery_worker_starts_with_the_ai_task(tmp_path):
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "igny8_core",
            "worker",
            "--pool=solo",
            "--loglevel=info",
            "--without-heartbeat",
        ],
        cwd=PROJECT,
        env=project_env(tmp_path),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    lines = []
    reader = threading.Thread(target=lambda: lines.extend(worker.stdout), daemon=True)
    reader.start()
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and worker.poll() is None:
            if any(" ready." in line for line in list(lines)):
                break
            time.sleep(0.2)
        output = "".join(list(lines))
        assert " ready." in output, output
        assert "igny8_core.ai.tasks.run_ai_task" in output
    finally:
        stop(worker)


def test_runserver_and_wsgi_refuse_the_development_key_while_debug_is_off(tmp_path):
    env = {k: v for k, v in project_env(tmp_path).items() if k != "IGNY8_SECRET_KEY"}
    message = "IGNY8_SECRET_KEY is not set and DEBUG is off"
    result = subprocess.run(
        [sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{free_port()}"],
        cwd=PROJECT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1 and message in result.stderr
    load_wsgi = [sys.executable, "-c", "import igny8_core.wsgi"]
    result = subprocess.run(load_wsgi, cwd=PROJECT, env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode != 0 and message in result.stderr
    result = subprocess.run(
        load_wsgi, cwd=PROJECT, env={**env, "IGNY8_DEBUG": "1"}, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    result = subprocess.run(
        load_wsgi, cwd=PROJECT, env=project_env(tmp_path), capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
