"""
A real `celery -A igny8_core worker` on the embedded broker (no server), a real runserver on
the same SQLite database, and the fake OpenAI server: one AI function queued through the API
and followed to its result, as the README's walkthrough does it.
"""

import base64
import json
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request

import pytest
from test_project import PROJECT, free_port, manage, project_env, stop

PASSWORD = "walkthrough-pw-5521"


class Process:
    """A long-running child process whose output is collected line by line."""

    def __init__(self, args, env):
        self.popen = subprocess.Popen(
            args,
            cwd=PROJECT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        self.lines = []
        self.reader = threading.Thread(target=lambda: self.lines.extend(self.popen.stdout), daemon=True)
        self.reader.start()

    @property
    def output(self):
        return "".join(list(self.lines))

    def wait_for(self, text, timeout=60):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if text in self.output:
                return
            if self.popen.poll() is not None:
                self.reader.join(timeout=5)
                break
            time.sleep(0.2)
        assert text in self.output, f"{text!r} not in the output:\n{self.output}"

    def stop(self):
        stop(self.popen)
        self.reader.join(timeout=5)


def worker_process(env):
    return Process(
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
            "--without-gossip",
            "--without-mingle",
        ],
        env,
    )


def call(base, method, path, username, body=None):
    token = base64.b64encode(f"{username}:{PASSWORD}".encode()).decode()
    request = urllib.request.Request(
        base + path,
        method=method,
        data=json.dumps(body).encode() if body is not None else None,
        headers={"Authorization": f"Basic {token}", "Content-Type": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read())


def wait_for_http(base, server, timeout=60):
    deadline = time.monotonic() + timeout
    while True:
        try:
            urllib.request.urlopen(base + "/api/v1/planner/", timeout=5)
            return
        except urllib.error.HTTPError:
            return  # answering (401 without credentials)
        except OSError:
            if time.monotonic() > deadline or server.popen.poll() is not None:
                pytest.fail("runserver did not start:\n" + server.output)
            time.sleep(0.3)


def onboard(tmp_path, username, account_name):
    env = {**project_env(tmp_path), "DJANGO_SUPERUSER_PASSWORD": PASSWORD}
    result = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "createsuperuser",
            "--noinput",
            "--username",
            username,
            "--email",
            f"{username}@example.test",
        ],
        cwd=PROJECT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    result = manage(tmp_path, "createaccount", account_name, "--user", username)
    assert result.returncode == 0, result.stderr
    assert f"'{account_name}'; linked users: {username}" in result.stdout


def test_a_real_worker_on_the_embedded_broker_runs_a_queued_function(tmp_path, fake_openai, creds):
    result = manage(tmp_path, "migrate", "--noinput")
    assert result.returncode == 0, result.stderr
    onboard(tmp_path, "alice", "Acme")
    onboard(tmp_path, "bob", "Globex")
    env = {**project_env(tmp_path), "IGNY8_OPENAI_API_BASE": fake_openai.base_url}
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = Process([sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"], env)
    worker = worker_process(env)
    try:
        wait_for_http(base, server)
        worker.wait_for(" ready.")
        assert "sqla+sqlite:///" in worker.output and "celery-broker.sqlite3" in worker.output
        assert (tmp_path / "celery-broker.sqlite3").is_file()

        status, body = call(
            base,
            "PUT",
            "/api/v1/system/integrations/openai/",
            "alice",
            {
                "config": {"apiKey": creds.KEY_A, "model": creds.MODEL_A, "max_tokens": 700, "temperature": 0.3},
            },
        )
        assert status == 200, body
        ids = []
        for text in ("coffee grinder", "coffee beans", "tea kettle"):
            status, body = call(base, "POST", "/api/v1/planner/keywords/", "alice", {"keyword": text, "volume": 10})
            assert status == 201, body
            ids.append(body["data"]["id"])

        status, body = call(base, "POST", "/api/v1/planner/keywords/auto_cluster/?async=1", "alice", {"ids": ids})
        assert status == 202, body
        assert body["success"] is True and body["data"]["status"] == "queued"
        task_id = body["data"]["task_id"]
        assert body["data"]["status_url"] == f"/api/v1/system/tasks/{task_id}/"
        assert fake_openai.requests == []  # the request itself did not run the function

        deadline = time.monotonic() + 90
        while True:
            status, body = call(base, "GET", f"/api/v1/system/tasks/{task_id}/", "alice")
            assert status == 200, body
            if body["data"]["status"] not in ("queued", "running"):
                break
            assert time.monotonic() < deadline, worker.output
            time.sleep(0.5)
        assert body["success"] is True
        assert body["data"]["status"] == "succeeded", body
        result = body["data"]["result"]
        assert result["function"] == "auto_cluster" and result["model"] == creds.MODEL_A
        assert result["clusters_created"] == 2 and result["keywords_clustered"] == 3
        assert "success" not in result

        [request] = fake_openai.chat_requests()
        assert request["headers"]["Authorization"] == f"Bearer {creds.KEY_A}"
        assert (request["body"]["model"], request["body"]["max_tokens"]) == (creds.MODEL_A, 700)
        status, body = call(base, "GET", "/api/v1/planner/keywords/", "alice")
        assert {k["status"] for k in body["data"]["results"]} == {"mapped"}

        # another account does not see the task
        status, body = call(base, "GET", f"/api/v1/system/tasks/{task_id}/", "bob")
        assert status == 404 and body["success"] is False and body["error_code"] == "not_found"

        # the worker's log lines are printed once each
        lines = [line for line in worker.output.splitlines() if "run_ai_task function=auto_cluster" in line]
        assert len(lines) == 1, worker.output
        assert creds.KEY_A not in worker.output + server.output
    finally:
        worker.stop()
        server.stop()


def test_a_queued_run_without_settings_is_refused_before_queueing(tmp_path, fake_openai):
    assert manage(tmp_path, "migrate", "--noinput").returncode == 0
    onboard(tmp_path, "carol", "Initech")
    env = {**project_env(tmp_path), "IGNY8_OPENAI_API_BASE": fake_openai.base_url, "IGNY8_AI_ASYNC": "1"}
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = Process([sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"], env)
    try:
        wait_for_http(base, server)
        status, body = call(base, "POST", "/api/v1/planner/keywords/", "carol", {"keyword": "coffee"})
        assert status == 201, body
        # IGNY8_AI_ASYNC=1: queued without ?async, but the configuration is checked first
        status, body = call(
            base, "POST", "/api/v1/planner/keywords/auto_cluster/", "carol", {"ids": [body["data"]["id"]]}
        )
        assert status == 400, body
        assert body["success"] is False
        assert body["error_code"] == "integration_not_configured"
        assert body["error"].startswith("OpenAI IntegrationSettings not configured for account ")
        assert body["integration_settings_url"] == "/settings/integration"
        assert "task_id" not in body
        assert fake_openai.requests == []
    finally:
        server.stop()


HEARTBEAT_SECONDS = 0.5
STALE_SECONDS = 3


def test_a_task_whose_worker_is_killed_ends_failed_worker_lost(tmp_path, fake_openai, creds):
    """SIGKILL the worker while OpenAI is slow: the status reaches failed / worker_lost within the bound."""
    assert manage(tmp_path, "migrate", "--noinput").returncode == 0
    onboard(tmp_path, "dave", "Umbrella")
    fake_openai.mode = "timeout"
    fake_openai.sleep_seconds = 120
    env = {
        **project_env(tmp_path),
        "IGNY8_OPENAI_API_BASE": fake_openai.base_url,
        "IGNY8_OPENAI_TIMEOUT": "120",
        "IGNY8_AI_TASK_HEARTBEAT_SECONDS": str(HEARTBEAT_SECONDS),
        "IGNY8_AI_TASK_STALE_SECONDS": str(STALE_SECONDS),
    }
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = Process([sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"], env)
    worker = worker_process(env)
    second = None
    try:
        wait_for_http(base, server)
        worker.wait_for(" ready.")
        status, body = call(
            base,
            "PUT",
            "/api/v1/system/integrations/openai/",
            "dave",
            {
                "config": {"apiKey": creds.KEY_A, "model": creds.MODEL_A},
            },
        )
        assert status == 200, body
        status, body = call(base, "POST", "/api/v1/planner/keywords/", "dave", {"keyword": "coffee grinder"})
        status, body = call(
            base, "POST", "/api/v1/planner/keywords/auto_cluster/?async=1", "dave", {"ids": [body["data"]["id"]]}
        )
        assert status == 202, body
        task_id = body["data"]["task_id"]

        # the worker is inside the OpenAI request, the task running (and heartbeating)
        deadline = time.monotonic() + 60
        while not fake_openai.requests:
            assert time.monotonic() < deadline, worker.output
            time.sleep(0.1)
        time.sleep(STALE_SECONDS + 1)
        status, body = call(base, "GET", f"/api/v1/system/tasks/{task_id}/", "dave")
        assert body["data"]["status"] == "running", body  # alive: the heartbeat keeps it running

        worker.popen.kill()  # SIGKILL: no clean-up of any kind
        worker.popen.wait(timeout=10)
        killed = time.monotonic()
        while True:
            status, body = call(base, "GET", f"/api/v1/system/tasks/{task_id}/", "dave")
            assert status == 200, body
            if body["data"]["status"] != "running":
                break
            assert time.monotonic() - killed < STALE_SECONDS + HEARTBEAT_SECONDS + 5, body
            time.sleep(0.2)
        elapsed = time.monotonic() - killed
        assert body["success"] is True and body["data"]["status"] == "failed", body
        assert body["data"]["error"]["error_code"] == "worker_lost"
        assert elapsed <= STALE_SECONDS + HEARTBEAT_SECONDS + 1, elapsed

        # a new worker does not run the lost task again
        second = worker_process(env)
        second.wait_for(" ready.")
        time.sleep(3)
        assert len(fake_openai.requests) == 1
        status, body = call(base, "GET", f"/api/v1/system/tasks/{task_id}/", "dave")
        assert body["data"]["status"] == "failed" and body["data"]["error"]["error_code"] == "worker_lost"
    finally:
        fake_openai.released.set()
        worker.stop()
        if second:
            second.stop()
        server.stop()


def test_the_worker_refuses_the_memory_broker(tmp_path):
    env = {**project_env(tmp_path), "IGNY8_CELERY_BROKER_URL": "memory://"}
    worker = worker_process(env)
    try:
        worker.popen.wait(timeout=60)
    finally:
        worker.stop()
    assert worker.popen.returncode != 0
    assert "memory://" in worker.output and "could never receive a task" in worker.output
    assert " ready." not in worker.output


def test_the_worker_refuses_the_development_secret_key(tmp_path):
    env = {k: v for k, v in project_env(tmp_path).items() if k != "IGNY8_SECRET_KEY"}
    worker = worker_process(env)
    try:
        worker.popen.wait(timeout=60)
    finally:
        worker.stop()
    assert worker.popen.returncode != 0
    assert "IGNY8_SECRET_KEY is not set and DEBUG is off" in worker.output
    assert " ready." not in worker.output


def test_redis_through_the_extra_is_a_real_transport(tmp_path):
    """With the `redis` extra installed, a redis:// broker is used (here: nothing listens)."""
    env = {**project_env(tmp_path), "IGNY8_CELERY_BROKER_URL": f"redis://127.0.0.1:{free_port()}/0"}
    worker = worker_process(env)
    try:
        worker.wait_for("Cannot connect to redis://", timeout=30)
        worker.wait_for("127.0.0.1:", timeout=5)
    finally:
        worker.stop()
    assert "ModuleNotFoundError" not in worker.output
