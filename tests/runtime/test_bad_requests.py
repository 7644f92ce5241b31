"""
Every bad input gets the unified JSON error (API) or a clean HTML page (browser), in process
and through a real runserver where the behaviour depends on the server: oversized bodies,
a bad Host header, ids above 2**63, unknown accounts, API keys that cannot work, a model
without a key, the rate limit; and the API's filters and OpenAPI schema.
"""

import http.client
import json
import sys

import pytest
from test_project import free_port, manage, project_env
from test_worker import PASSWORD, Process, onboard, wait_for_http

from igny8_core.modules.planner.models import Keyword
from igny8_core.modules.system.models import IntegrationSettings

pytestmark = pytest.mark.django_db

HUGE = 2**64
SETTINGS_URL = "/api/v1/system/integrations/openai/"
AUTO_CLUSTER = "/api/v1/planner/keywords/auto_cluster/"


def assert_unified(response, status, error_code):
    body = response.json()
    assert response.status_code == status, body
    assert body["success"] is False and body["error_code"] == error_code, body
    assert isinstance(body["error"], str) and body["error"] and body["request_id"]
    return body


@pytest.mark.parametrize("value", [2**63, HUGE, 10**30])
def test_ids_above_the_database_range_are_a_validation_error(api_client, account, openai_settings, fake_openai, value):
    body = assert_unified(api_client.post(AUTO_CLUSTER, {"ids": [value]}, format="json"), 400, "validation_error")
    assert "must not exceed" in body["error"]
    assert_unified(api_client.post(AUTO_CLUSTER + "?async=1", {"ids": [value]}, format="json"), 400, "validation_error")
    assert_unified(api_client.get(f"/api/v1/planner/keywords/{value}/"), 400, "validation_error")
    assert_unified(api_client.delete(f"/api/v1/writer/tasks/{value}/"), 400, "validation_error")
    assert_unified(
        api_client.post("/api/v1/planner/keywords/", {"keyword": "x", "cluster": value}, format="json"),
        400,
        "validation_error",
    )
    assert_unified(api_client.get(f"/api/v1/planner/keywords/?cluster={value}"), 400, "validation_error")
    assert fake_openai.requests == []


def test_a_page_with_an_id_above_the_range_is_a_clean_400_page(client, make_user, account):
    client.force_login(make_user(account))
    response = client.get(f"/planner/keywords/{HUGE}/edit/", HTTP_ACCEPT="text/html")
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
    assert "A number in the request is out of range." in response.content.decode()


def test_run_ai_task_with_an_unknown_account_names_it(db):
    from igny8_core.accounts.models import Account
    from igny8_core.ai.tasks import run_ai_task

    with pytest.raises(ValueError, match=r"^Account 987654 does not exist\.$") as caught:
        run_ai_task("auto_cluster", {"ids": [1]}, account_id=987654)
    assert isinstance(caught.value, Account.DoesNotExist)
    with pytest.raises(ValueError, match="Account 987654 does not exist"):
        run_ai_task.delay("auto_cluster", {"ids": [1]}, account_id=987654)


@pytest.mark.parametrize(
    "key",
    ["sk-abc\u201d", "sk-abc def", "sk-ab\ncd", "\u2018sk-abc\u2019", "sk-\u00e9t\u00e9"],
    ids=["curly-quote", "space", "newline", "quoted", "accents"],
)
def test_an_api_key_that_cannot_work_is_refused_when_saved(api_client, openai_settings, creds, key):
    for method in (api_client.put, api_client.patch):
        body = assert_unified(
            method(SETTINGS_URL, {"config": {"apiKey": key, "model": "m"}}, format="json"), 400, "validation_error"
        )
        assert "printable ASCII" in json.dumps(body["errors"])
    openai_settings.refresh_from_db()
    assert openai_settings.config["apiKey"] == creds.KEY_A


def test_the_settings_page_refuses_a_key_with_a_curly_quote(client, make_user, account):
    client.force_login(make_user(account))
    response = client.post("/settings/integration", {"api_key": "sk-abc\u201d", "model": "m", "is_active": "on"})
    assert response.status_code == 200
    assert "printable ASCII" in response.content.decode()
    assert not IntegrationSettings.objects.exists()


def test_a_model_without_a_key_is_not_ready_anywhere(api_client, client, make_user, account, make_openai_settings):
    make_openai_settings(account, model="lonely-model")
    body = assert_unified(api_client.get("/api/v1/system/ai-config/"), 400, "api_key_not_configured")
    assert body["integration_settings_url"] == "/settings/integration"
    client.force_login(make_user(account))
    page = client.get("/settings/integration").content.decode()
    assert "lonely-model</td>" not in page
    assert page.count("OpenAI API key not configured in IntegrationSettings.") == 5


def test_generate_images_reports_the_image_model(
    api_client, account, make_openai_settings, seed_objects, fake_openai, creds
):
    make_openai_settings(account, apiKey=creds.KEY_A, model=creds.MODEL_A, image_model="pixel-maker-2")
    ids = seed_objects(account)["generate_images"]
    data = api_client.post("/api/v1/writer/images/generate_images/", {"ids": ids}, format="json").json()["data"]
    assert (data["model"], data["image_model"]) == ("pixel-maker-2", "pixel-maker-2")
    assert fake_openai.image_requests()[0]["body"]["model"] == "pixel-maker-2"


def test_the_ai_actions_are_rate_limited_per_account(
    client_for, account, other_account, openai_settings, other_openai_settings, seed_objects, fake_openai, settings
):
    settings.AI_RATE_LIMIT = "2/minute"
    ids = seed_objects(account)["auto_cluster"]
    alice, alice_colleague = client_for(account), client_for(account)
    assert alice.post(AUTO_CLUSTER, {"ids": ids}, format="json").status_code == 200
    assert alice_colleague.post(AUTO_CLUSTER, {"ids": ids}, format="json").status_code == 200
    response = alice.post(AUTO_CLUSTER, {"ids": ids}, format="json")
    assert_unified(response, 429, "throttled")
    assert int(response["Retry-After"]) > 0
    # reading is not limited, nor is another account
    assert alice.get("/api/v1/planner/keywords/").status_code == 200
    other_ids = seed_objects(other_account)["auto_cluster"]
    assert client_for(other_account).post(AUTO_CLUSTER, {"ids": other_ids}, format="json").status_code == 200
    assert len(fake_openai.requests) == 3


def test_lists_filter_search_and_order(api_client, account, other_account):
    for text, volume, status in [
        ("coffee grinder", 50, "pending"),
        ("coffee beans", 500, "mapped"),
        ("tea", 5, "mapped"),
    ]:
        Keyword.objects.create(account=account, keyword=text, volume=volume, status=status)
    Keyword.objects.create(account=other_account, keyword="coffee elsewhere", status="mapped")

    def keywords(query):
        response = api_client.get("/api/v1/planner/keywords/" + query)
        assert response.status_code == 200, response.json()
        return [k["keyword"] for k in response.json()["data"]["results"]]

    assert keywords("?search=coffee&ordering=-volume") == ["coffee beans", "coffee grinder"]
    assert keywords("?status=mapped&ordering=keyword") == ["coffee beans", "tea"]
    assert keywords("?ordering=volume") == ["tea", "coffee grinder", "coffee beans"]
    assert_unified(api_client.get("/api/v1/planner/keywords/?cluster=abc"), 400, "validation_error")


def test_a_related_filter_offers_the_own_accounts_objects_only(api_client, account, other_account):
    from igny8_core.modules.planner.models import Cluster

    mine = Cluster.objects.create(account=account, name="Mine")
    theirs = Cluster.objects.create(account=other_account, name="Theirs")
    Keyword.objects.create(account=account, keyword="in mine", cluster=mine)
    response = api_client.get(f"/api/v1/planner/keywords/?cluster={mine.id}")
    assert [k["keyword"] for k in response.json()["data"]["results"]] == ["in mine"]
    other = assert_unified(api_client.get(f"/api/v1/planner/keywords/?cluster={theirs.id}"), 400, "validation_error")
    missing = assert_unified(api_client.get("/api/v1/planner/keywords/?cluster=999999"), 400, "validation_error")
    assert other["errors"]["cluster"][0].replace(str(theirs.id), "N") == missing["errors"]["cluster"][0].replace(
        "999999", "N"
    )


def test_the_openapi_schema_lists_the_endpoints(api_client):
    response = api_client.get("/api/v1/schema/?format=json")
    assert response.status_code == 200
    schema = json.loads(response.content)
    assert schema["openapi"].startswith("3.")
    for path in (
        AUTO_CLUSTER,
        "/api/v1/writer/images/generate_images/",
        "/api/v1/system/tasks/{task_id}/",
        SETTINGS_URL,
        "/api/v1/planner/keywords/{id}/",
    ):
        assert path in schema["paths"], sorted(schema["paths"])
    assert "patch" in schema["paths"][SETTINGS_URL]
    body = schema["paths"][AUTO_CLUSTER]["post"]["requestBody"]["content"]["application/json"]["schema"]
    assert body == {"$ref": "#/components/schemas/AIRun"}
    assert schema["components"]["schemas"]["AIRun"]["required"] == ["ids"]
    params = {p["name"] for p in schema["paths"]["/api/v1/planner/keywords/"]["get"]["parameters"]}
    assert {"search", "ordering", "status", "page"} <= params


def test_an_oversized_body_is_413_in_process(api_client, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    response = api_client.generic(
        "POST", "/api/v1/planner/keywords/", json.dumps({"keyword": "x" * 2000}), content_type="application/json"
    )
    assert_unified(response, 413, "request_too_large")
    assert not Keyword.objects.exists()


# ---------------------------------------------------------------- through a real runserver


def raw(port, method, path, body=b"", headers=None, declared_length=None):
    """One HTTP request over a socket: (status, headers, body)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.putrequest(method, path, skip_host=True, skip_accept_encoding=True)
        headers = {"Host": f"127.0.0.1:{port}", **(headers or {})}
        headers["Content-Length"] = str(declared_length if declared_length is not None else len(body))
        for name, value in headers.items():
            connection.putheader(name, value)
        connection.endheaders()
        if body:
            try:
                connection.send(body)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the server answered without reading the body
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read().decode()
    finally:
        connection.close()


def basic(username):
    import base64

    return "Basic " + base64.b64encode(f"{username}:{PASSWORD}".encode()).decode()


@pytest.mark.django_db(transaction=False)
def test_bad_requests_through_a_real_runserver(tmp_path):
    assert manage(tmp_path, "migrate", "--noinput").returncode == 0
    onboard(tmp_path, "erin", "Hooli")
    env = {**project_env(tmp_path), "IGNY8_MAX_BODY_BYTES": "4096"}
    port = free_port()
    server = Process([sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"], env)
    try:
        wait_for_http(f"http://127.0.0.1:{port}", server)
        auth = {"Authorization": basic("erin"), "Content-Type": "application/json"}

        # an oversized body: 413 at once, in the unified format
        status, headers, body = raw(
            port, "POST", "/api/v1/planner/keywords/", b'{"keyword": "' + b"x" * 200000 + b'"}', auth
        )
        assert status == 413, body
        body = json.loads(body)
        assert body["success"] is False and body["error_code"] == "request_too_large"
        assert body["request_id"] == headers["X-Request-ID"]
        # a Content-Length that is not a number
        status, _, body = raw(port, "POST", "/api/v1/planner/keywords/", b"{}", auth, declared_length="12x")
        assert status == 400 and json.loads(body)["error_code"] == "bad_request"
        # and to a browser: a page
        status, headers, body = raw(
            port,
            "POST",
            "/accounts/login/",
            b"a=" + b"x" * 10000,
            {"Accept": "text/html", "Content-Type": "application/x-www-form-urlencoded"},
        )
        assert status == 413 and headers["Content-Type"].startswith("text/html")
        assert "Request too large" in body and "larger than 4096 bytes" in body

        # a Host header that is not allowed: 400, unified; a page for a browser
        status, _, body = raw(port, "GET", "/api/v1/planner/keywords/", headers={"Host": "evil.example", **auth})
        assert status == 400, body
        assert json.loads(body)["error_code"] == "bad_request"
        status, headers, body = raw(
            port, "GET", "/planner/keywords/", headers={"Host": "evil.example", "Accept": "text/html"}
        )
        assert status == 400 and headers["Content-Type"].startswith("text/html") and "Bad request" in body
        status, _, body = raw(
            port,
            "GET",
            "/api/v1/planner/keywords/",
            headers={"Host": "bad host\u00e9".encode().decode("latin-1"), **auth},
        )
        assert status == 400

        # ids above 2**63 in a URL and in a body: 400, not 500
        status, _, body = raw(port, "GET", f"/api/v1/planner/keywords/{HUGE}/", headers=auth)
        assert status == 400 and json.loads(body)["error_code"] == "validation_error"
        status, _, body = raw(port, "POST", AUTO_CLUSTER, json.dumps({"ids": [HUGE]}).encode(), auth)
        assert status == 400 and json.loads(body)["error_code"] == "validation_error"
        # a body that is not JSON
        status, _, body = raw(port, "POST", AUTO_CLUSTER, b'{"ids": [1,', auth)
        assert status == 400 and json.loads(body)["error_code"] == "parse_error"

        # an unknown URL with DEBUG off: a page for a browser, JSON for an API client
        status, headers, body = raw(
            port, "GET", "/no/such/page/", headers={"Accept": "text/html,application/xhtml+xml"}
        )
        assert status == 404 and headers["Content-Type"].startswith("text/html")
        assert "<h1>Page not found</h1>" in body
        status, headers, body = raw(port, "GET", "/api/v1/nothing/", headers={"Accept": "text/html"})
        assert status == 404 and json.loads(body)["error_code"] == "not_found"
        status, headers, body = raw(port, "GET", "/no/such/page/", headers={"Accept": "application/json"})
        assert status == 404 and json.loads(body)["error_code"] == "not_found"
        # nothing was a server error (a refused Host is logged by django.security, with its trace)
        assert "Internal Server Error" not in server.output and '" 500 ' not in server.output
    finally:
        server.stop()
