"""
Seed testing plan, integration test 3: the five view endpoints, in the unified API format,
with request ids, authentication and account scoping.
"""

import uuid

import pytest

from igny8_core.modules.planner.models import Cluster, ContentIdea, Keyword
from igny8_core.modules.writer.models import Content, Image, Task

pytestmark = pytest.mark.django_db

ENDPOINTS = {
    "auto_cluster": "/api/v1/planner/keywords/auto_cluster/",
    "generate_ideas": "/api/v1/planner/clusters/auto_generate_ideas/",
    "generate_content": "/api/v1/writer/tasks/auto_generate_content/",
    "generate_image_prompts": "/api/v1/writer/content/generate_image_prompts/",
    "generate_images": "/api/v1/writer/images/generate_images/",
}
LISTS = {
    "auto_cluster": ("/api/v1/planner/keywords/", Keyword),
    "generate_ideas": ("/api/v1/planner/clusters/", Cluster),
    "generate_content": ("/api/v1/writer/tasks/", Task),
    "generate_image_prompts": ("/api/v1/writer/content/", Content),
    "generate_images": ("/api/v1/writer/images/", Image),
}
NAMES = list(ENDPOINTS)


def post(client, url, ids, request_id=None):
    headers = {"HTTP_X_REQUEST_ID": request_id} if request_id else {}
    return client.post(url, {"ids": ids}, format="json", **headers)


def assert_error(response, status, error_code):
    body = response.json()
    assert response.status_code == status, body
    assert body["success"] is False
    assert body["error_code"] == error_code
    assert isinstance(body["error"], str) and body["error"]
    assert body["request_id"] == response["X-Request-ID"]
    return body


@pytest.mark.parametrize("name", NAMES)
def test_endpoint_with_valid_settings_returns_unified_success(
    name, api_client, account, openai_settings, seed_objects, fake_openai, creds
):
    ids = seed_objects(account)[name]
    response = post(api_client, ENDPOINTS[name], ids, request_id="req-ok-42")
    body = response.json()
    assert response.status_code == 200, body
    assert body["success"] is True
    assert body["request_id"] == "req-ok-42" == response["X-Request-ID"]
    assert body["data"]["function"] == name
    assert body["data"]["model"] == creds.MODEL_A
    assert len(fake_openai.requests) == 1
    assert fake_openai.requests[0]["headers"]["Authorization"] == f"Bearer {creds.KEY_A}"


@pytest.mark.parametrize("name", NAMES)
def test_endpoint_without_settings_returns_configuration_error(name, api_client, account, seed_objects, fake_openai):
    ids = seed_objects(account)[name]
    response = post(api_client, ENDPOINTS[name], ids, request_id=f"req-{name}")
    body = assert_error(response, 400, "integration_not_configured")
    assert body["error"] == (
        f"OpenAI IntegrationSettings not configured for account {account.id}. "
        "Please configure OpenAI settings in the integration page."
    )
    assert body["request_id"] == f"req-{name}"
    assert body["integration_settings_url"] == "/settings/integration"
    assert fake_openai.requests == []


@pytest.mark.parametrize("name", NAMES)
def test_endpoint_without_model_returns_model_not_configured(
    name, api_client, account, make_openai_settings, seed_objects, fake_openai, creds
):
    make_openai_settings(account, apiKey=creds.KEY_A)
    ids = seed_objects(account)[name]
    body = assert_error(post(api_client, ENDPOINTS[name], ids), 400, "model_not_configured")
    assert body["error"] == (
        f"Model not configured in IntegrationSettings for account {account.id}. "
        "Please set 'model' in OpenAI integration settings."
    )
    assert body["integration_settings_url"] == "/settings/integration"


@pytest.mark.parametrize("name", NAMES)
def test_endpoint_without_api_key_returns_api_key_not_configured(
    name, api_client, account, make_openai_settings, seed_objects, fake_openai, creds
):
    make_openai_settings(account, model=creds.MODEL_A)
    ids = seed_objects(account)[name]
    body = assert_error(post(api_client, ENDPOINTS[name], ids), 400, "api_key_not_configured")
    assert body["integration_settings_url"] == "/settings/integration"
    assert fake_openai.requests == []


def test_configured_integration_settings_url_is_sent(api_client, account, seed_objects, fake_openai, settings):
    settings.INTEGRATION_SETTINGS_URL = "/app/settings/integrations#openai"
    body = assert_error(
        post(api_client, ENDPOINTS["auto_cluster"], seed_objects(account)["auto_cluster"]),
        400,
        "integration_not_configured",
    )
    assert body["integration_settings_url"] == "/app/settings/integrations#openai"


@pytest.mark.parametrize("name", NAMES)
def test_endpoint_with_another_accounts_ids_is_404_and_changes_nothing(
    name,
    client_for,
    account,
    other_account,
    openai_settings,
    other_openai_settings,
    seed_objects,
    fake_openai,
):
    seed_objects(account)
    foreign_ids = seed_objects(other_account)[name]
    client = client_for(account)
    body = assert_error(post(client, ENDPOINTS[name], foreign_ids), 404, "not_found")
    assert "not found" in body["error"]
    assert fake_openai.requests == []
    url, model = LISTS[name]
    assert assert_error(client.get(f"{url}{foreign_ids[0]}/"), 404, "not_found")


@pytest.mark.parametrize("name", NAMES)
def test_list_and_retrieve_show_only_the_accounts_objects(name, client_for, account, other_account, seed_objects):
    own = seed_objects(account)[name]
    seed_objects(other_account)
    url, model = LISTS[name]
    client = client_for(account)
    body = client.get(url, HTTP_X_REQUEST_ID="list-1").json()
    assert body["success"] is True and body["request_id"] == "list-1"
    listed = {row["id"] for row in body["data"]["results"]}
    assert listed == set(model.objects.filter(account=account).values_list("id", flat=True))
    assert body["data"]["count"] == len(listed)
    detail = client.get(f"{url}{own[0]}/").json()
    assert detail["success"] is True and detail["data"]["id"] == own[0]


@pytest.mark.parametrize("name", NAMES)
def test_endpoint_requires_authentication(name, client, account, seed_objects):
    ids = seed_objects(account)[name]
    response = client.post(ENDPOINTS[name], {"ids": ids}, content_type="application/json", HTTP_X_REQUEST_ID="anon-1")
    body = assert_error(response, 401, "not_authenticated")
    assert body["request_id"] == "anon-1"
    assert response["WWW-Authenticate"].startswith("Basic")


def test_wrong_basic_credentials_are_unified(client, make_user, account):
    import base64

    make_user(account, username="alice")
    token = base64.b64encode(b"alice:wrong-password").decode()
    response = client.get("/api/v1/planner/keywords/", HTTP_AUTHORIZATION=f"Basic {token}")
    body = assert_error(response, 401, "authentication_failed")
    assert body["error"] == "Invalid username/password."


def test_basic_credentials_of_an_account_user_work(client, make_user, account, seed_objects):
    import base64

    make_user(account, username="bob")
    ids = seed_objects(account)["auto_cluster"]
    token = base64.b64encode(b"bob:pw-123456").decode()
    body = client.get("/api/v1/planner/keywords/", HTTP_AUTHORIZATION=f"Basic {token}").json()
    assert body["success"] is True
    assert sorted(row["id"] for row in body["data"]["results"]) == sorted(ids)


def test_user_without_account_is_refused(make_user, fake_openai):
    from rest_framework.test import APIClient

    client = APIClient()
    client.force_authenticate(user=make_user(None))
    body = assert_error(post(client, ENDPOINTS["auto_cluster"], [1]), 403, "account_required")
    assert body["error"] == "Your user is not linked to an account."
    assert fake_openai.requests == []


@pytest.mark.parametrize(
    "payload", [{}, {"ids": []}, {"ids": ["x"]}, {"ids": 5}], ids=["missing", "empty", "strings", "int"]
)
def test_invalid_body_is_a_validation_error(payload, api_client, openai_settings, fake_openai):
    response = api_client.post(ENDPOINTS["auto_cluster"], payload, format="json")
    assert_error(response, 400, "validation_error")
    assert fake_openai.requests == []


def test_wrong_method_is_unified(api_client):
    assert_error(api_client.get(ENDPOINTS["auto_cluster"]), 405, "method_not_allowed")


def test_unknown_url_is_a_unified_404(api_client):
    response = api_client.get("/api/v1/nothing-here/", HTTP_X_REQUEST_ID="lost-1")
    body = assert_error(response, 404, "not_found")
    assert body["request_id"] == "lost-1"


def test_request_id_is_generated_when_not_given(api_client, account, openai_settings, seed_objects, fake_openai):
    first = post(api_client, ENDPOINTS["auto_cluster"], seed_objects(account)["auto_cluster"])
    second = api_client.get("/api/v1/planner/keywords/")
    ids = [first.json()["request_id"], second.json()["request_id"]]
    assert [str(uuid.UUID(i)) for i in ids] == ids
    assert ids[0] != ids[1]
    assert first["X-Request-ID"] == ids[0]


def test_unusable_request_id_header_is_replaced(api_client):
    response = api_client.get("/api/v1/planner/keywords/", HTTP_X_REQUEST_ID="bad id <script>")
    request_id = response.json()["request_id"]
    assert str(uuid.UUID(request_id)) == request_id


def test_alias_endpoint_saves_ideas_for_the_account(api_client, account, openai_settings, seed_objects, fake_openai):
    ids = seed_objects(account)["generate_ideas"]
    data = post(api_client, ENDPOINTS["generate_ideas"], ids).json()["data"]
    assert data["function"] == "generate_ideas"
    assert set(ContentIdea.objects.filter(account=account).values_list("id", flat=True)) == set(data["idea_ids"])
