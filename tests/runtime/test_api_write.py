"""Create, update and delete of keywords, clusters and tasks, scoped to the account; the router roots; fix 5 and 6."""

import pytest

from igny8_core.modules.planner.models import Cluster, Keyword
from igny8_core.modules.system.models import IntegrationSettings
from igny8_core.modules.writer.models import Task

pytestmark = pytest.mark.django_db

SETTINGS_URL = "/api/v1/system/integrations/openai/"


def test_keywords_are_created_updated_and_deleted_in_the_users_account(api_client, account, other_account):
    cluster = Cluster.objects.create(account=account, name="Coffee")
    response = api_client.post(
        "/api/v1/planner/keywords/", {"keyword": "burr grinder", "volume": 90, "cluster": cluster.id}, format="json"
    )
    body = response.json()
    assert response.status_code == 201, body
    assert body["success"] is True and body["data"]["keyword"] == "burr grinder"
    keyword = Keyword.objects.get(id=body["data"]["id"])
    assert (keyword.account, keyword.cluster, keyword.volume) == (account, cluster, 90)

    response = api_client.patch(f"/api/v1/planner/keywords/{keyword.id}/", {"volume": 120}, format="json")
    assert response.status_code == 200 and response.json()["data"]["volume"] == 120
    response = api_client.put(
        f"/api/v1/planner/keywords/{keyword.id}/", {"keyword": "hand grinder", "volume": 5}, format="json"
    )
    assert response.status_code == 200
    keyword.refresh_from_db()
    assert (keyword.keyword, keyword.volume) == ("hand grinder", 5)

    response = api_client.delete(f"/api/v1/planner/keywords/{keyword.id}/")
    assert response.status_code == 200
    assert response.json()["success"] is True and response.json()["data"] is None
    assert not Keyword.objects.filter(id=keyword.id).exists()


def test_an_account_cannot_touch_or_point_at_another_accounts_objects(api_client, account, other_account):
    theirs = Keyword.objects.create(account=other_account, keyword="secret plan")
    their_cluster = Cluster.objects.create(account=other_account, name="Theirs")
    for method in ("patch", "put", "delete"):
        response = getattr(api_client, method)(
            f"/api/v1/planner/keywords/{theirs.id}/", {"keyword": "x"}, format="json"
        )
        assert response.status_code == 404 and response.json()["error_code"] == "not_found"
    theirs.refresh_from_db()
    assert theirs.keyword == "secret plan"
    response = api_client.post(
        "/api/v1/planner/keywords/", {"keyword": "mine", "cluster": their_cluster.id}, format="json"
    )
    assert response.status_code == 400 and response.json()["error_code"] == "validation_error"
    assert "cluster" in response.json()["errors"]
    # the account in the body is ignored: objects join the user's account
    response = api_client.post("/api/v1/planner/clusters/", {"name": "Tea", "account": other_account.id}, format="json")
    assert response.status_code == 201
    assert Cluster.objects.get(id=response.json()["data"]["id"]).account == account


def test_clusters_and_tasks_have_create_update_delete(api_client, account):
    cluster_id = api_client.post(
        "/api/v1/planner/clusters/", {"name": "Tea", "description": "Tea things"}, format="json"
    ).json()["data"]["id"]
    assert (
        api_client.patch(f"/api/v1/planner/clusters/{cluster_id}/", {"status": "archived"}, format="json").status_code
        == 200
    )
    assert Cluster.objects.get(id=cluster_id).status == "archived"
    response = api_client.post(
        "/api/v1/writer/tasks/",
        {
            "title": "Brewing green tea",
            "keywords": ["green tea"],
            "cluster": cluster_id,
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    task = Task.objects.get(id=response.json()["data"]["id"])
    assert (task.account, task.cluster_id, task.keywords) == (account, cluster_id, ["green tea"])
    assert api_client.delete(f"/api/v1/writer/tasks/{task.id}/").status_code == 200
    assert api_client.delete(f"/api/v1/planner/clusters/{cluster_id}/").status_code == 200
    assert not Task.objects.exists() and not Cluster.objects.exists()


@pytest.mark.parametrize("url", ["/api/v1/writer/content/", "/api/v1/writer/images/", "/api/v1/planner/ideas/"])
def test_content_images_and_ideas_stay_read_only(api_client, url):
    response = api_client.post(url, {"title": "x"}, format="json")
    assert response.status_code == 405 and response.json()["error_code"] == "method_not_allowed"


@pytest.mark.parametrize(
    "root, entries",
    [
        ("/api/v1/planner/", {"keywords", "clusters", "ideas"}),
        ("/api/v1/writer/", {"tasks", "content", "images"}),
    ],
)
def test_router_roots_answer_in_the_unified_format(api_client, client, root, entries):
    response = api_client.get(root, HTTP_X_REQUEST_ID="root-1")
    body = response.json()
    assert response.status_code == 200
    assert set(body) == {"success", "data", "request_id"}
    assert body["success"] is True and body["request_id"] == "root-1" == response["X-Request-ID"]
    assert set(body["data"]) == entries
    anonymous = client.get(root, HTTP_ACCEPT="application/json")
    assert anonymous.status_code == 401
    assert anonymous.json()["success"] is False and anonymous.json()["error_code"] == "not_authenticated"


def test_ai_action_responses_carry_success_once(api_client, account, openai_settings, seed_objects, fake_openai):
    ids = seed_objects(account)["auto_cluster"]
    response = api_client.post("/api/v1/planner/keywords/auto_cluster/", {"ids": ids}, format="json")
    body = response.json()
    assert response.status_code == 200
    assert body["success"] is True and "success" not in body["data"]
    assert response.content.decode().count('"success"') == 1


def test_patch_off_then_changes_never_turn_the_integration_back_on(api_client, account, openai_settings, creds):
    response = api_client.patch(SETTINGS_URL, {"is_active": False}, format="json")
    assert response.status_code == 200, response.json()
    data = response.json()["data"]
    assert (data["configured"], data["is_active"], data["api_key_configured"]) == (True, False, True)
    openai_settings.refresh_from_db()
    assert openai_settings.is_active is False
    assert api_client.get("/api/v1/system/ai-config/").json()["error_code"] == "integration_not_configured"

    # PATCH changes the keys it sends only, and keeps the integration off
    response = api_client.patch(SETTINGS_URL, {"config": {"model": "next-model"}}, format="json")
    data = response.json()["data"]
    assert (data["is_active"], data["api_key_configured"], data["config"]["model"]) == (False, True, "next-model")
    openai_settings.refresh_from_db()
    assert openai_settings.config == {
        "apiKey": creds.KEY_A,
        "model": "next-model",
        "max_tokens": 1234,
        "temperature": 0.25,
    }

    # PUT replaces the config (the masked key keeps the stored key) and keeps is_active unless sent
    response = api_client.put(SETTINGS_URL, {"config": {"apiKey": "********", "model": "put-model"}}, format="json")
    assert response.status_code == 200 and response.json()["data"]["is_active"] is False
    openai_settings.refresh_from_db()
    assert openai_settings.config == {"apiKey": creds.KEY_A, "model": "put-model"}
    assert openai_settings.is_active is False

    response = api_client.patch(SETTINGS_URL, {"is_active": True}, format="json")
    assert response.json()["data"]["is_active"] is True
    assert list(IntegrationSettings.objects.filter(account=account)) == [openai_settings]
    functions = api_client.get("/api/v1/system/ai-config/").json()["data"]["functions"]
    assert {f["model"] for f in functions.values()} == {"put-model"}
    assert {f["max_tokens"] for f in functions.values()} == {4000}


def test_put_needs_the_whole_config_and_patch_null_removes_a_key(api_client, openai_settings, creds):
    response = api_client.put(SETTINGS_URL, {"is_active": False}, format="json")
    assert response.status_code == 400 and response.json()["error_code"] == "validation_error"
    assert "config" in response.json()["errors"]
    openai_settings.refresh_from_db()
    assert openai_settings.is_active is True
    response = api_client.patch(SETTINGS_URL, {"config": {"temperature": None}}, format="json")
    assert response.status_code == 200
    openai_settings.refresh_from_db()
    assert "temperature" not in openai_settings.config and openai_settings.config["model"] == creds.MODEL_A
