"""The five AI endpoints' queued mode (?async=1 / AI_ASYNC) and GET /api/v1/system/tasks/<id>/, in process."""

import uuid

import pytest

from igny8_core.modules.system.models import AITask

pytestmark = pytest.mark.django_db

ENDPOINTS = {
    "auto_cluster": "/api/v1/planner/keywords/auto_cluster/",
    "generate_ideas": "/api/v1/planner/clusters/auto_generate_ideas/",
    "generate_content": "/api/v1/writer/tasks/auto_generate_content/",
    "generate_image_prompts": "/api/v1/writer/content/generate_image_prompts/",
    "generate_images": "/api/v1/writer/images/generate_images/",
}


@pytest.mark.parametrize("name", list(ENDPOINTS))
def test_each_endpoint_queues_with_async_and_the_status_has_the_result(
    name, api_client, account, openai_settings, seed_objects, fake_openai, creds
):
    ids = seed_objects(account)[name]
    response = api_client.post(ENDPOINTS[name] + "?async=1", {"ids": ids}, format="json", HTTP_X_REQUEST_ID="q-1")
    body = response.json()
    assert response.status_code == 202, body
    assert body["success"] is True and body["request_id"] == "q-1"
    task_id = body["data"]["task_id"]
    assert body["data"]["function"] == name
    task = AITask.objects.get(id=task_id)
    assert (task.account, task.function_name, task.payload, task.request_id) == (account, name, {"ids": ids}, "q-1")

    status = api_client.get(f"/api/v1/system/tasks/{task_id}/")
    body = status.json()
    assert status.status_code == 200, body
    assert body["success"] is True
    assert body["data"]["status"] == "succeeded" and body["data"]["task_id"] == task_id
    assert body["data"]["result"]["function"] == name and body["data"]["result"]["model"] == creds.MODEL_A
    assert "success" not in body["data"]["result"]


def test_the_setting_queues_by_default_and_async_0_runs_in_the_request(
    api_client, account, openai_settings, seed_objects, fake_openai, settings
):
    settings.AI_ASYNC = True
    ids = seed_objects(account)["auto_cluster"]
    assert api_client.post(ENDPOINTS["auto_cluster"], {"ids": ids}, format="json").status_code == 202
    response = api_client.post(ENDPOINTS["auto_cluster"] + "?async=0", {"ids": ids}, format="json")
    assert response.status_code == 200 and "clusters_created" in response.json()["data"]


def test_a_queued_task_that_has_not_run_is_queued(api_client, account):
    task = AITask.objects.create(account=account, function_name="auto_cluster", payload={"ids": [1]})
    body = api_client.get(f"/api/v1/system/tasks/{task.id}/").json()
    assert body == {
        "success": True,
        "data": {"task_id": str(task.id), "function": "auto_cluster", "status": "queued"},
        "request_id": body["request_id"],
    }


def test_bad_payload_is_refused_before_queueing(api_client, account):
    response = api_client.post(ENDPOINTS["auto_cluster"] + "?async=1", {"ids": []}, format="json")
    assert response.status_code == 400 and response.json()["error_code"] == "validation_error"
    assert not AITask.objects.exists()


@pytest.mark.parametrize("name", list(ENDPOINTS))
def test_async_checks_the_configuration_before_queueing(name, api_client, account, seed_objects, fake_openai):
    ids = seed_objects(account)[name]
    response = api_client.post(ENDPOINTS[name] + "?async=1", {"ids": ids}, format="json", HTTP_X_REQUEST_ID="cfg-q")
    body = response.json()
    assert response.status_code == 400, body
    assert body["success"] is False and body["error_code"] == "integration_not_configured"
    assert body["integration_settings_url"] == "/settings/integration" and body["request_id"] == "cfg-q"
    assert not AITask.objects.exists() and fake_openai.requests == []


def test_async_with_a_model_but_no_key_is_refused_at_once(
    api_client, account, make_openai_settings, seed_objects, fake_openai
):
    make_openai_settings(account, model="some-model")
    ids = seed_objects(account)["auto_cluster"]
    response = api_client.post(ENDPOINTS["auto_cluster"] + "?async=1", {"ids": ids}, format="json")
    assert response.status_code == 400 and response.json()["error_code"] == "api_key_not_configured"
    assert not AITask.objects.exists()


def test_a_configuration_error_met_by_the_run_is_inside_a_200_status(api_client, account, seed_objects, fake_openai):
    """The settings were removed after the run was queued: the status answers 200, the failure inside."""
    from igny8_core.modules.system.tasks import run_queued_ai_function

    ids = seed_objects(account)["generate_content"]
    task = AITask.objects.create(
        account=account, function_name="generate_content", payload={"ids": ids}, request_id="orig-7"
    )
    run_queued_ai_function.apply(args=[str(task.id)])
    response = api_client.get(f"/api/v1/system/tasks/{task.id}/", HTTP_X_REQUEST_ID="poll-1")
    body = response.json()
    assert response.status_code == 200, body
    assert body["success"] is True
    assert body["request_id"] == "orig-7" == response["X-Request-ID"]
    data = body["data"]
    assert (data["task_id"], data["status"], data["function"]) == (str(task.id), "failed", "generate_content")
    assert data["error"]["error_code"] == "integration_not_configured" and data["error"]["http_status"] == 400
    assert data["error"]["error"].startswith("OpenAI IntegrationSettings not configured for account ")
    assert data["error"]["integration_settings_url"] == "/settings/integration"
    assert "result" not in data


def test_an_upstream_error_of_a_queued_run(api_client, account, openai_settings, seed_objects, fake_openai):
    fake_openai.mode = "error"
    ids = seed_objects(account)["auto_cluster"]
    response = api_client.post(
        ENDPOINTS["auto_cluster"] + "?async=1", {"ids": ids}, format="json", HTTP_X_REQUEST_ID="up-1"
    )
    task_id = response.json()["data"]["task_id"]
    response = api_client.get(f"/api/v1/system/tasks/{task_id}/")
    body = response.json()
    assert response.status_code == 200 and body["request_id"] == "up-1"
    assert body["data"]["status"] == "failed"
    assert (body["data"]["error"]["error_code"], body["data"]["error"]["http_status"]) == ("ai_provider_error", 502)


def test_a_redelivered_task_is_not_run_twice(api_client, account, openai_settings, seed_objects, fake_openai):
    from igny8_core.modules.system.tasks import run_queued_ai_function

    ids = seed_objects(account)["auto_cluster"]
    task_id = api_client.post(ENDPOINTS["auto_cluster"] + "?async=1", {"ids": ids}, format="json").json()["data"][
        "task_id"
    ]
    assert len(fake_openai.requests) == 1
    assert run_queued_ai_function.apply(args=[task_id]).get() == {"task_id": task_id, "status": "succeeded"}
    assert len(fake_openai.requests) == 1


def test_a_running_task_without_heartbeat_is_reported_lost(api_client, account, settings):
    from datetime import timedelta

    from django.utils import timezone

    settings.AI_TASK_STALE_SECONDS = 30
    task = AITask.objects.create(
        account=account,
        function_name="auto_cluster",
        payload={"ids": [1]},
        request_id="r-1",
        status="running",
        heartbeat_at=timezone.now() - timedelta(seconds=10),
    )
    assert api_client.get(f"/api/v1/system/tasks/{task.id}/").json()["data"]["status"] == "running"
    AITask.objects.filter(id=task.id).update(heartbeat_at=timezone.now() - timedelta(seconds=31))
    body = api_client.get(f"/api/v1/system/tasks/{task.id}/").json()
    assert body["data"]["status"] == "failed" and body["data"]["error"]["error_code"] == "worker_lost"
    assert "no heartbeat for 30 seconds" in body["data"]["error"]["error"]
    task.refresh_from_db()
    assert task.status == "failed" and task.outcome["error_code"] == "worker_lost"


def test_tasks_are_shown_to_their_own_account_only(
    client_for, account, other_account, openai_settings, seed_objects, fake_openai
):
    ids = seed_objects(account)["auto_cluster"]
    task_id = (
        client_for(account)
        .post(ENDPOINTS["auto_cluster"] + "?async=1", {"ids": ids}, format="json")
        .json()["data"]["task_id"]
    )
    response = client_for(other_account).get(f"/api/v1/system/tasks/{task_id}/")
    assert response.status_code == 404
    assert response.json()["error_code"] == "not_found" and "result" not in response.content.decode()
    assert client_for(account).get(f"/api/v1/system/tasks/{uuid.uuid4()}/").status_code == 404
    assert client_for(account).get("/api/v1/system/tasks/not-a-uuid/").json()["error_code"] == "not_found"


def test_a_task_whose_message_was_lost_is_sent_again_once_per_period(
    api_client, account, openai_settings, seed_objects, fake_openai, settings
):
    """A queued task whose message no worker will ever get (here: none was sent) is resent by a late status read."""
    from datetime import timedelta

    from django.utils import timezone

    settings.AI_TASK_REQUEUE_SECONDS = 60
    ids = seed_objects(account)["auto_cluster"]
    task = AITask.objects.create(
        account=account, function_name="auto_cluster", payload={"ids": ids}, request_id="lost-1"
    )
    assert api_client.get(f"/api/v1/system/tasks/{task.id}/").json()["data"]["status"] == "queued"
    assert fake_openai.requests == []  # too early to resend
    AITask.objects.filter(id=task.id).update(created_at=timezone.now() - timedelta(seconds=61))
    body = api_client.get(f"/api/v1/system/tasks/{task.id}/").json()
    assert body["data"]["status"] == "succeeded", body  # resent; the (eager) worker ran it
    assert body["request_id"] == "lost-1" and len(fake_openai.requests) == 1
    api_client.get(f"/api/v1/system/tasks/{task.id}/")
    assert len(fake_openai.requests) == 1
