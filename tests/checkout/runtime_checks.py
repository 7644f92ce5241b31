"""
Runtime checks of an igny8 checkout, run in a fresh interpreter:

    python runtime_checks.py PROJECT_ROOT

PROJECT_ROOT is the directory holding manage.py and the igny8_core package; it is put
first on sys.path. The script sets up Django (settings igny8_core.settings, SQLite at
$IGNY8_DB_PATH), migrates, starts a fake OpenAI-compatible server on 127.0.0.1 and runs
the plan's runtime checks. It prints one JSON object (check name -> what was observed)
on the last line of stdout. The checks report what happened; `fixed_expected(ids)` is
what the plan's target form must show, LEGACY_DIFFERENCES where the legacy form differs
(tests/checkout/test_fixed_checkout.py and examples/demo_checkout.sh compare).
"""

import json
import os
import sys
import threading
import traceback
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

MARKER = "RUNTIME-CHECKS:"


class FakeOpenAI(BaseHTTPRequestHandler):
    requests = []

    def log_message(self, format, *args):
        pass

    def _send(self, body):
        data = json.dumps(body).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        type(self).requests.append({"path": self.path, "body": body, "auth": self.headers.get("Authorization")})
        if self.path.endswith("/images/generations"):
            return self._send({"data": [{"url": "https://img.example.test/1.png", "revised_prompt": body["prompt"]}]})
        prompt = body["messages"][-1]["content"]
        if "[igny8:auto_cluster]" in prompt:
            keywords = json.loads(prompt.rsplit("Input (JSON):\n", 1)[1])
            groups = {}
            for keyword in keywords:
                groups.setdefault(keyword.split()[0].capitalize(), []).append(keyword)
            content = {"clusters": [{"name": n, "description": "", "keywords": k} for n, k in groups.items()]}
        else:
            content = {"echo": True}
        self._send(
            {
                "model": body["model"],
                "choices": [{"index": 0, "message": {"role": "assistant", "content": json.dumps(content)}}],
                "usage": {"prompt_tokens": 10, "completion_tokens": 5},
            }
        )


# -- what the checks must observe ----------------------------------------------------------


def fixed_expected(ids: dict) -> dict:
    """What the runtime checks observe on a correctly refactored tree (the plan's behaviour)."""
    unconfigured, no_model = ids["unconfigured"], ids["no_model"]
    return {
        "django_setup": "ok",
        "ai_app_installed": "True",
        "migrate": "returns null",
        "celery_app_exported": "True",
        "tasks_bound_to_project_app": "True",
        "get_model_config_without_account": "raises ValueError: Account is required for model configuration",
        "get_model_config_without_integration_settings": (
            f"raises ValueError: OpenAI IntegrationSettings not configured for account {unconfigured}. "
            "Please configure OpenAI settings in the integration page."
        ),
        "get_model_config_without_model": (
            f"raises ValueError: Model not configured in IntegrationSettings for account {no_model}. "
            "Please set 'model' in OpenAI integration settings."
        ),
        "get_model_config_defaults": 'returns {"max_tokens": 4000, "model": "gpt-4o-mini", "temperature": 0.7}',
        "get_model_config_full_alias": 'returns {"max_tokens": 1234, "model": "acme-large", "temperature": 0.25}',
        "run_ai_request_without_model": (
            "raises ValueError: Model is required. Ensure IntegrationSettings is configured for the account."
        ),
        "engine_without_account": "raises ValueError: Account is required for AI function execution",
        "run_ai_task_without_account_id": "raises ValueError: account_id is required for AI task execution",
        "auto_cluster_via_delay": (
            'returns {"clusters_created": 2, "model": "acme-large", "sent_max_tokens": 1234, '
            '"sent_model": "acme-large", "success": true}'
        ),
        "view_unauthenticated": (
            'returns {"body": {"error": "Authentication credentials were not provided.", '
            '"error_code": "not_authenticated", "success": false}, "status": 403}'
        ),
        "view_ai_model_configured": (
            'returns {"body": {"data": {"max_tokens": 1234, "model": "acme-large", "temperature": 0.25}, '
            '"success": true}, "status": 200}'
        ),
        "view_ai_model_unconfigured": (
            'returns {"body": {"error": "OpenAI IntegrationSettings not configured for account '
            f'{unconfigured}. Please configure OpenAI settings in the integration page.", '
            '"error_code": "integration_not_configured", "integration_settings_url": "/settings/integration", '
            '"success": false}, "status": 400}'
        ),
        "view_auto_cluster": 'returns {"keywords_clustered": 3, "status": 200, "success": true}',
    }


MODEL_CONFIG_AUTO_CLUSTER = 'returns {"max_tokens": 3000, "model": "gpt-4o-mini", "temperature": 0.7}'

# Where the legacy form behaves differently: the three-tier fallback and no guards.
LEGACY_DIFFERENCES = {
    "get_model_config_without_account": MODEL_CONFIG_AUTO_CLUSTER,
    "get_model_config_without_integration_settings": MODEL_CONFIG_AUTO_CLUSTER,
    "get_model_config_without_model": MODEL_CONFIG_AUTO_CLUSTER,
    "get_model_config_defaults": 'returns {"max_tokens": 8000, "model": "gpt-4o-mini", "temperature": 0.7}',
    "run_ai_request_without_model": 'returns {"content": "{\\"echo\\": true}", "sent_model": "gpt-4.1"}',
    "engine_without_account": "raises Reached: call_ai reached with model gpt-4o-mini",
    "run_ai_task_without_account_id": "raises ObjectsNotFound: Keyword not found: 1",
    "view_ai_model_unconfigured": (
        'returns {"body": {"data": {"max_tokens": 3000, "model": "gpt-4o-mini", "temperature": 0.7}, '
        '"success": true}, "status": 200}'
    ),
}


def outcome(call):
    """What calling `call` does: 'returns <json>' or 'raises <Type>: <message>'."""
    try:
        value = call()
    except Exception as exc:  # noqa: BLE001 - we report whatever happens
        return f"raises {type(exc).__name__}: {exc}"
    try:
        return "returns " + json.dumps(value, sort_keys=True, default=str)
    except TypeError:
        return f"returns {value!r}"


def main(root):
    results = {}
    sys.path.insert(0, root)
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeOpenAI)
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    os.environ["OPENAI_API_BASE"] = f"http://127.0.0.1:{server.server_address[1]}/v1"
    os.environ["DJANGO_SETTINGS_MODULE"] = "igny8_core.settings"

    import django

    try:
        django.setup()
    except Exception as exc:  # noqa: BLE001
        results["django_setup"] = f"raises {type(exc).__name__}: {exc}"
        results["traceback"] = traceback.format_exc()[-3000:]
        return results
    results["django_setup"] = "ok"
    # the users these checks create log in with force_login, never with their password: a fast
    # hasher instead of PBKDF2's million rounds (as igny8_core/settings_test.py does for the suite)
    from django.test.utils import override_settings

    override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]).enable()

    from django.apps import apps
    from django.core.management import call_command

    results["ai_app_installed"] = str(apps.is_installed("igny8_core.ai"))
    results["migrate"] = outcome(lambda: call_command("migrate", verbosity=0))

    # Celery's documented Django wiring: the project package loads the app and exports it
    import igny8_core
    from igny8_core.ai.tasks import run_ai_task

    loaded = sys.modules.get("igny8_core.celery")
    project_app = getattr(loaded, "app", None)
    results["celery_app_exported"] = str(
        "celery_app" in getattr(igny8_core, "__all__", ())
        and project_app is not None
        and getattr(igny8_core, "celery_app", None) is project_app
    )
    bound = project_app is not None and run_ai_task.app is project_app
    results["tasks_bound_to_project_app"] = str(bound)

    from igny8_core.ai.ai_core import AICore
    from igny8_core.ai.engine import AIEngine
    from igny8_core.ai.settings import get_model_config
    from igny8_core.auth.models import Account, User
    from igny8_core.business.integration.models import IntegrationSettings
    from igny8_core.modules.planner.models import Keyword

    def account(name, config=None):
        acc = Account.objects.create(name=name)
        if config is not None:
            IntegrationSettings.objects.create(account=acc, integration_type="openai", config=config, is_active=True)
        return acc

    unconfigured = account("Unconfigured")
    no_model = account("NoModel", {"apiKey": "sk-nomodel-000000"})
    model_only = account("ModelOnly", {"apiKey": "sk-modelonly-0000", "model": "gpt-4o-mini"})
    full = account(
        "Full", {"apiKey": "sk-full-000000000", "model": "acme-large", "max_tokens": 1234, "temperature": 0.25}
    )

    results["get_model_config_without_account"] = outcome(lambda: get_model_config("auto_cluster"))
    results["get_model_config_without_integration_settings"] = outcome(
        lambda: get_model_config("auto_cluster", account=unconfigured)
    )
    results["get_model_config_without_model"] = outcome(lambda: get_model_config("auto_cluster", account=no_model))
    results["get_model_config_defaults"] = outcome(lambda: get_model_config("generate_content", account=model_only))
    results["get_model_config_full_alias"] = outcome(lambda: get_model_config("auto_generate_ideas", account=full))
    results["account_ids"] = {"unconfigured": unconfigured.id, "no_model": no_model.id}

    FakeOpenAI.requests.clear()

    def request_without_model():
        reply = AICore(account=full, api_key="sk-full-000000000").run_ai_request("hello", model=None)
        return {"sent_model": FakeOpenAI.requests[-1]["body"]["model"], "content": reply["content"]}

    results["run_ai_request_without_model"] = outcome(request_without_model)

    from igny8_core.ai.base import BaseAIFunction

    class Reached(Exception):
        pass

    class Probe(BaseAIFunction):
        name = "auto_cluster"

        def prepare(self, validated, account):
            return {}

        def get_api_key(self, account):
            return "sk-probe-00000000"

        def call_ai(self, core, data, model_config):
            raise Reached(f"call_ai reached with model {model_config.get('model')}")

    results["engine_without_account"] = outcome(lambda: AIEngine(account=None).execute(Probe(), {"ids": [1]}))
    results["run_ai_task_without_account_id"] = outcome(lambda: run_ai_task("auto_cluster", {"ids": [1]}))

    # One AI function end to end, through Celery (eager) and over real HTTP
    keywords = [
        Keyword.objects.create(account=full, keyword=k) for k in ("coffee beans", "coffee grinder", "tea kettle")
    ]
    ids = [k.id for k in keywords]

    def clustered_by_task():
        if not bound:
            raise RuntimeError("run_ai_task is not bound to the project Celery app; .delay() would use the default app")
        FakeOpenAI.requests.clear()
        result = run_ai_task.delay("auto_cluster", {"ids": ids}, account_id=full.id).get(timeout=30)
        return {
            "success": result["success"],
            "model": result["model"],
            "clusters_created": result["clusters_created"],
            "sent_model": FakeOpenAI.requests[-1]["body"]["model"],
            "sent_max_tokens": FakeOpenAI.requests[-1]["body"]["max_tokens"],
        }

    results["auto_cluster_via_delay"] = outcome(clustered_by_task)

    # The views: the unified error format (DRF exception handler named by a dotted string),
    # the AI model view (get_model_config with request.account) and the auto_cluster action
    from django.test import Client

    def view(user_account, method, url, data=None):
        client = Client()
        if user_account is not None:
            user = User.objects.create_user(
                username=f"u{User.objects.count()}", password="pw-123456", account=user_account
            )
            client.force_login(user)
        if method == "get":
            response = client.get(url)
        else:
            response = client.post(url, data=json.dumps(data), content_type="application/json")
        body = response.json()
        body.pop("request_id", None)
        return {"status": response.status_code, "body": body}

    results["view_unauthenticated"] = outcome(lambda: view(None, "get", "/api/v1/planner/keywords/"))
    results["view_ai_model_configured"] = outcome(lambda: view(full, "get", "/api/v1/system/settings/ai-model/"))
    results["view_ai_model_unconfigured"] = outcome(
        lambda: view(unconfigured, "get", "/api/v1/system/settings/ai-model/")
    )

    def auto_cluster_view():
        if not bound:
            raise RuntimeError("run_ai_task is not bound to the project Celery app")
        Keyword.objects.filter(account=full).update(cluster=None, status="pending")
        answer = view(full, "post", "/api/v1/planner/keywords/auto_cluster/", {"ids": ids})
        data = answer["body"].get("data") or {}
        return {
            "status": answer["status"],
            "success": answer["body"].get("success"),
            "keywords_clustered": data.get("keywords_clustered"),
        }

    results["view_auto_cluster"] = outcome(auto_cluster_view)
    server.shutdown()
    return results


if __name__ == "__main__":
    observed = main(os.path.abspath(sys.argv[1]))
    print(MARKER + json.dumps(observed, sort_keys=True))
