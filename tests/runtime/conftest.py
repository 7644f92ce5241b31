"""
Fixtures of the igny8_core runtime tests: accounts, users, planner/writer objects and a
fake OpenAI-compatible HTTP server on 127.0.0.1 that AICore talks to over real HTTP.

Self-contained on purpose: these tests also run against other copies of igny8_core.
"""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import SimpleNamespace

import pytest
from rest_framework.test import APIClient

KEY_A = "sk-acct-a-4f9c2b7d1e6a8c3f5b0d"
KEY_B = "sk-acct-b-9e1d7c3a5f2b8d6c4a0e"
MODEL_A = "acme-chat-large"
MODEL_B = "globex-chat-small"

SERVER_ERROR_MESSAGE = "The server had an error while processing your request."


def _cluster_reply(keywords):
    groups = {}
    for keyword in keywords:
        groups.setdefault(keyword.split()[0].capitalize(), []).append(keyword)
    return {
        "clusters": [
            {"name": name, "description": f"Keywords about {name.lower()}", "keywords": members}
            for name, members in groups.items()
        ]
    }


def _ideas_reply(clusters):
    ideas = []
    for cluster in clusters:
        for angle in ("a complete guide", "common mistakes"):
            ideas.append(
                {
                    "cluster_id": cluster["cluster_id"],
                    "title": f"{cluster['name']}: {angle}",
                    "description": f"An article on {cluster['name'].lower()}: {angle}.",
                    "target_keywords": cluster["keywords"][:3],
                }
            )
    return {"ideas": ideas}


def _content_reply(task):
    keywords = ", ".join(task["keywords"])
    return {
        "title": task["title"],
        "meta_description": f"Everything about {task['title'].lower()}.",
        "html_content": f"<h1>{task['title']}</h1><p>An article about {task['title']} covering {keywords}.</p>",
    }


def _image_prompts_reply(contents):
    return {
        "prompts": [
            {
                "content_id": content["content_id"],
                "featured": f"Featured illustration for {content['title']}",
                "in_article": [f"Diagram {n} for {content['title']}" for n in (1, 2)],
            }
            for content in contents
        ]
    }


REPLIES = {
    "[igny8:auto_cluster]": _cluster_reply,
    "[igny8:generate_ideas]": _ideas_reply,
    "[igny8:generate_content]": _content_reply,
    "[igny8:generate_image_prompts]": _image_prompts_reply,
}


def chat_reply(prompt):
    """The deterministic reply to a prompt: chosen by its marker line, built from its input JSON."""
    for marker, build in REPLIES.items():
        if marker in prompt:
            payload = json.loads(prompt.rsplit("Input (JSON):\n", 1)[1])
            return json.dumps(build(payload))
    return json.dumps({"echo": prompt})


class FakeOpenAI:
    """
    Records every request; `mode` selects the behaviour:
    'ok', 'error' (HTTP 500 with an error body; also after `fail_after` answered requests), 'timeout' (sleeps past the client
    timeout), 'not_json' (a reply whose content is not JSON), 'echo_key' (HTTP 401 whose
    message quotes the Authorization header, as some providers do).
    """

    def __init__(self):
        self.requests = []
        self.mode = "ok"
        self.fail_after = None  # answer this many requests, then behave as mode 'error'
        self.sleep_seconds = 2.0
        self.released = threading.Event()
        self.image_counter = 0
        self._lock = threading.Lock()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)

    @property
    def base_url(self):
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}/v1"

    def chat_requests(self):
        return [r for r in self.requests if r["path"] == "/v1/chat/completions"]

    def image_requests(self):
        return [r for r in self.requests if r["path"] == "/v1/images/generations"]

    def _handler_class(self):
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format, *args):
                pass

            def _send(self, status, body):
                data = json.dumps(body).encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    pass

            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length)
                try:
                    body = json.loads(raw)
                except ValueError:
                    body = None
                with fake._lock:
                    fake.requests.append({"path": self.path, "headers": dict(self.headers), "body": body})
                    failing = fake.fail_after is not None and len(fake.requests) > fake.fail_after
                mode = "error" if failing else fake.mode
                if mode == "timeout":
                    fake.released.wait(fake.sleep_seconds)
                if mode == "error":
                    return self._send(500, {"error": {"message": SERVER_ERROR_MESSAGE, "type": "server_error"}})
                if mode == "echo_key":
                    auth = self.headers.get("Authorization", "")
                    return self._send(
                        401,
                        {"error": {"message": f"Incorrect API key provided: {auth}", "type": "invalid_request_error"}},
                    )
                if body is None:
                    return self._send(400, {"error": {"message": "Body is not JSON", "type": "invalid_request_error"}})
                if self.path == "/v1/chat/completions":
                    prompt = body["messages"][-1]["content"]
                    content = "this is not JSON" if mode == "not_json" else chat_reply(prompt)
                    return self._send(
                        200,
                        {
                            "id": "chatcmpl-local",
                            "object": "chat.completion",
                            "model": body.get("model"),
                            "choices": [
                                {
                                    "index": 0,
                                    "message": {"role": "assistant", "content": content},
                                    "finish_reason": "stop",
                                }
                            ],
                            "usage": {
                                "prompt_tokens": len(prompt.split()),
                                "completion_tokens": 10,
                                "total_tokens": len(prompt.split()) + 10,
                            },
                        },
                    )
                if self.path == "/v1/images/generations":
                    with fake._lock:
                        fake.image_counter += 1
                        number = fake.image_counter
                    return self._send(
                        200,
                        {
                            "created": 0,
                            "data": [
                                {
                                    "url": f"https://images.example.test/{number}.png",
                                    "revised_prompt": body.get("prompt"),
                                }
                            ],
                        },
                    )
                return self._send(
                    404, {"error": {"message": f"Unknown path {self.path}", "type": "invalid_request_error"}}
                )

        return Handler

    def start(self):
        self.thread.start()

    def stop(self):
        self.released.set()
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)


@pytest.fixture(autouse=True)
def celery_runs_in_the_caller():
    """
    In-process tests have no worker: Celery runs tasks eagerly in the caller here. The
    project's default is a real worker on the embedded broker (tests/runtime/test_worker.py
    starts one).
    """
    from igny8_core.celery import app

    before = (app.conf.task_always_eager, app.conf.task_eager_propagates)
    app.conf.task_always_eager = True
    app.conf.task_eager_propagates = True
    yield
    app.conf.task_always_eager, app.conf.task_eager_propagates = before


@pytest.fixture(autouse=True)
def fresh_cache():
    """Each test starts with an empty cache: the per-account rate limit counts in it, and the
    account ids of one test are reused by the next."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def creds():
    """The two accounts' API keys and models (also what the settings fixtures store)."""
    return SimpleNamespace(KEY_A=KEY_A, KEY_B=KEY_B, MODEL_A=MODEL_A, MODEL_B=MODEL_B)


@pytest.fixture
def fake_openai(settings):
    server = FakeOpenAI()
    server.start()
    settings.OPENAI_API_BASE = server.base_url
    settings.OPENAI_TIMEOUT = 5
    yield server
    server.stop()


@pytest.fixture
def account(db):
    from igny8_core.accounts.models import Account

    return Account.objects.create(name="Acme")


@pytest.fixture
def other_account(db):
    from igny8_core.accounts.models import Account

    return Account.objects.create(name="Globex")


@pytest.fixture
def make_openai_settings(db):
    from igny8_core.modules.system.models import IntegrationSettings

    def make(account, **config):
        return IntegrationSettings.objects.create(
            account=account, integration_type="openai", config=config, is_active=True
        )

    return make


@pytest.fixture
def openai_settings(account, make_openai_settings):
    return make_openai_settings(account, apiKey=KEY_A, model=MODEL_A, max_tokens=1234, temperature=0.25)


@pytest.fixture
def other_openai_settings(other_account, make_openai_settings):
    return make_openai_settings(other_account, apiKey=KEY_B, model=MODEL_B, max_tokens=321, temperature=0.9)


@pytest.fixture
def make_user(db):
    from igny8_core.accounts.models import User

    def make(account, username=None):
        return User.objects.create_user(
            username=username or f"user-{User.objects.count() + 1}", password="pw-123456", account=account
        )

    return make


@pytest.fixture
def client_for(make_user):
    def make(account):
        client = APIClient()
        client.force_authenticate(user=make_user(account))
        return client

    return make


@pytest.fixture
def api_client(client_for, account):
    return client_for(account)


@pytest.fixture
def seed_objects():
    """Creates, for an account, the objects each function works on; returns their ids."""
    from igny8_core.modules.planner.models import Cluster, Keyword
    from igny8_core.modules.writer.models import Content, Image, Task

    def make(account):
        keywords = [
            Keyword.objects.create(account=account, keyword=text, volume=100 * (n + 1))
            for n, text in enumerate(["coffee grinder", "coffee beans", "tea kettle", "tea leaves green"])
        ]
        cluster = Cluster.objects.create(account=account, name="Coffee", description="Coffee gear")
        for keyword in keywords[:2]:
            keyword.cluster = cluster
            keyword.save()
        task = Task.objects.create(
            account=account,
            title="How to grind coffee",
            description="A beginner guide",
            keywords=["coffee grinder", "burr grinder"],
            cluster=cluster,
        )
        content = Content.objects.create(
            account=account,
            task=task,
            title="Coffee brewing basics",
            html_content="<p>Brewing coffee at home.</p>",
            word_count=4,
        )
        image = Image.objects.create(
            account=account,
            content=content,
            image_type="featured",
            position=0,
            prompt="A steaming cup of coffee on a wooden table",
        )
        return {
            "auto_cluster": [k.id for k in keywords],
            "generate_ideas": [cluster.id],
            "generate_content": [task.id],
            "generate_image_prompts": [content.id],
            "generate_images": [image.id],
        }

    return make
