"""
README.md's "Running the igny8_core project" section, run as written: the walkthrough (database,
account, web process, worker on the embedded broker, OpenAI settings, a queued function), the
documented production environment under `check --deploy`, and its variable names.
"""

import base64
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text(encoding="utf-8")
SECTION = README[README.index("## Running the igny8_core project") :]


def block(marker):
    """The shell block right after `<!-- marker -->` in the section."""
    match = re.search(rf"<!-- {re.escape(marker)} -->\s*```sh\n(.*?)```", SECTION, re.S)
    assert match, f"README.md: no block marked {marker!r}"
    return match.group(1)


def clean_env(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("IGNY8_") and k != "DJANGO_SETTINGS_MODULE"}
    # where this run keeps its database (and so the broker file beside it): not in the checkout
    env["IGNY8_DB_PATH"] = str(tmp_path / "db.sqlite3")
    return env


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def listening(port):
    with socket.socket() as sock:
        sock.settimeout(1)
        return sock.connect_ex(("127.0.0.1", port)) == 0


class Background:
    def __init__(self, script, env, cwd):
        self.popen = subprocess.Popen(
            ["bash", "-euo", "pipefail", "-c", script],
            cwd=cwd,
            env=env,
            start_new_session=True,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        self.lines = []
        threading.Thread(target=lambda: self.lines.extend(self.popen.stdout), daemon=True).start()

    @property
    def output(self):
        return "".join(list(self.lines))

    def stop(self):
        try:
            os.killpg(self.popen.pid, signal.SIGTERM)
            self.popen.wait(timeout=15)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            os.killpg(self.popen.pid, signal.SIGKILL)
            self.popen.wait(timeout=15)


def fresh_checkout(tmp_path):
    """The repository's tracked files, as a fresh clone has them (no .venv, no database)."""
    files = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True).stdout
    checkout = tmp_path / "checkout"
    for name in filter(None, files.decode().split("\0")):
        source = ROOT / name
        if source.is_file():
            target = checkout / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
    return checkout


def test_the_walkthrough_works_from_a_fresh_checkout_as_written_worker_included(tmp_path, fake_openai):
    checkout = fresh_checkout(tmp_path)
    port = str(free_port())
    key, model = "sk-walkthrough-3c9e1a7f5b2d8e4a", "walkthrough-model"
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("IGNY8_", "VIRTUAL_ENV", "PYTHON")) and k != "DJANGO_SETTINGS_MODULE"
    }
    env["IGNY8_OPENAI_API_BASE"] = fake_openai.base_url  # OpenAI is the fake server here

    def run(text, **kwargs):
        return subprocess.run(
            ["bash", "-euo", "pipefail", "-c", text], cwd=checkout, env=env, capture_output=True, text=True, **kwargs
        )

    def as_written(text):
        # the same commands; only the port (a free one), the key and the model are filled in
        return text.replace("8000", port).replace("sk-...", key).replace("<model name>", model)

    result = run(block("walkthrough: setup"), timeout=900)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Created account 1 'Acme'; linked users: alice" in result.stdout
    assert (checkout / "db.sqlite3").is_file()

    server = Background(as_written(block("walkthrough: server")), env, checkout)
    worker = Background(as_written(block("walkthrough: worker")), env, checkout)
    try:
        deadline = time.monotonic() + 120
        while " ready." not in worker.output or not listening(int(port)):
            assert time.monotonic() < deadline, server.output + worker.output
            assert server.popen.poll() is None and worker.popen.poll() is None, server.output + worker.output
            time.sleep(0.3)
        result = run(as_written(block("walkthrough: use")), timeout=120)
        assert result.returncode == 0, result.stdout + result.stderr
        task_id = re.findall(r'"task_id":\s*"([0-9a-f-]{36})"', result.stdout)[-1]

        token = base64.b64encode(b"alice:change-me").decode()
        deadline = time.monotonic() + 90
        while True:
            request = urllib.request.Request(
                f"http://127.0.0.1:{port}/api/v1/system/tasks/{task_id}/", headers={"Authorization": f"Basic {token}"}
            )
            body = json.loads(urllib.request.urlopen(request, timeout=30).read())
            if body["data"]["status"] not in ("queued", "running"):
                break
            assert time.monotonic() < deadline, worker.output
            time.sleep(0.5)
        assert body["data"]["status"] == "succeeded", body
        assert body["data"]["result"]["model"] == model
        assert body["data"]["result"]["keywords_clustered"] == 3
        [sent] = fake_openai.chat_requests()
        assert sent["headers"]["Authorization"] == f"Bearer {key}"
        assert worker.output.count("run_ai_task function=auto_cluster") == 1
        assert (checkout / "celery-broker.sqlite3").is_file()
    finally:
        worker.stop()
        server.stop()


def production_env(tmp_path):
    env = clean_env(tmp_path)
    for line in block("production environment").splitlines():
        match = re.match(r"export (IGNY8_[A-Z_]+)=(.*)$", line)
        if match:
            env[match.group(1)] = match.group(2).strip("'")
    assert env["IGNY8_SECRET_KEY"].startswith("<"), "the documented key is a placeholder"
    env["IGNY8_SECRET_KEY"] = secrets.token_urlsafe(50)
    return env


def test_check_deploy_is_clean_with_the_documented_production_environment(tmp_path):
    command = [line for line in block("production environment").splitlines() if "manage.py check" in line][0]
    command = command.split("#")[0].strip()
    result = subprocess.run(
        ["bash", "-c", command], cwd=ROOT, env=production_env(tmp_path), capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout
    # without it: the development key is an error, and the five warnings of before are back
    result = subprocess.run(
        ["bash", "-c", command], cwd=ROOT, env=clean_env(tmp_path), capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 1
    for check_id in ("igny8.E001", "security.W004", "security.W008", "security.W012", "security.W016"):
        assert check_id in result.stderr + result.stdout, check_id
    assert "security.W002" not in result.stderr + result.stdout  # XFrameOptionsMiddleware is on


def test_the_documented_production_environment_is_what_the_settings_read(tmp_path):
    code = (
        "from django.conf import settings as s; import json; print(json.dumps([s.SECURE_HSTS_SECONDS, "
        "s.SECURE_HSTS_INCLUDE_SUBDOMAINS, s.SECURE_HSTS_PRELOAD, s.SECURE_SSL_REDIRECT, s.SESSION_COOKIE_SECURE, "
        "s.CSRF_COOKIE_SECURE, list(s.SECURE_PROXY_SSL_HEADER), s.ALLOWED_HOSTS, s.CSRF_TRUSTED_ORIGINS, s.DEBUG]))"
    )
    result = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        cwd=ROOT,
        env={**production_env(tmp_path), "DJANGO_SETTINGS_MODULE": "igny8_core.settings"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == [
        31536000,
        True,
        True,
        True,
        True,
        True,
        ["HTTP_X_FORWARDED_PROTO", "https"],
        ["igny8.example.com"],
        ["https://igny8.example.com"],
        False,
    ]


@pytest.mark.parametrize("doc", ["README.md", "docs/ai-framework.md"])
def test_every_variable_the_docs_name_is_read_by_the_code(doc):
    text = (ROOT / doc).read_text(encoding="utf-8")
    settings_source = (ROOT / "igny8_core" / "settings.py").read_text(encoding="utf-8")
    named = set(re.findall(r"\bIGNY8_[A-Z_]+\b", text))
    assert {"IGNY8_CELERY_BROKER_URL", "IGNY8_SECRET_KEY"} <= named
    for name in sorted(named):
        assert f"'{name}'" in settings_source or f'"{name}"' in settings_source, (
            f"{doc}: {name} is not read by igny8_core/settings.py"
        )
    # the Celery variable is named as the code reads it, never without its prefix
    assert not re.search(r"(?<![A-Z_])CELERY_BROKER_URL\b", text.replace("IGNY8_CELERY_BROKER_URL", "")), doc
