"""An upstream OpenAI error or timeout becomes a clear error (502/504), not a crash; nothing is saved."""

import pytest

pytestmark = pytest.mark.django_db

URL = "/api/v1/planner/keywords/auto_cluster/"
ENDPOINTS = {
    "auto_cluster": "/api/v1/planner/keywords/auto_cluster/",
    "generate_ideas": "/api/v1/planner/clusters/auto_generate_ideas/",
    "generate_content": "/api/v1/writer/tasks/auto_generate_content/",
    "generate_image_prompts": "/api/v1/writer/content/generate_image_prompts/",
    "generate_images": "/api/v1/writer/images/generate_images/",
}


def database_state(account):
    from igny8_core.modules.planner.models import Cluster, ContentIdea, Keyword
    from igny8_core.modules.writer.models import Content, Image, Task

    return [
        sorted(model.objects.filter(account=account).values_list(*fields))
        for model, fields in (
            (Cluster, ("id",)),
            (Keyword, ("id", "cluster_id", "status")),
            (ContentIdea, ("id",)),
            (Task, ("id", "status")),
            (Content, ("id",)),
            (Image, ("id", "image_url", "status")),
        )
    ]


@pytest.mark.parametrize("name", list(ENDPOINTS))
def test_upstream_http_error_is_a_502_and_saves_nothing(
    name, api_client, account, openai_settings, seed_objects, fake_openai
):
    ids = seed_objects(account)[name]
    before = database_state(account)
    fake_openai.mode = "error"
    response = api_client.post(ENDPOINTS[name], {"ids": ids}, format="json", HTTP_X_REQUEST_ID="up-500")
    body = response.json()
    assert response.status_code == 502
    assert body == {
        "success": False,
        "error": "OpenAI returned HTTP 500: The server had an error while processing your request.",
        "error_code": "ai_provider_error",
        "request_id": "up-500",
    }
    assert len(fake_openai.requests) == 1
    assert database_state(account) == before


@pytest.mark.parametrize("name", ["auto_cluster", "generate_images"])
def test_upstream_timeout_is_a_504_and_saves_nothing(
    name, api_client, account, openai_settings, seed_objects, fake_openai, settings
):
    settings.OPENAI_TIMEOUT = 0.3
    fake_openai.sleep_seconds = 3
    fake_openai.mode = "timeout"
    ids = seed_objects(account)[name]
    before = database_state(account)
    response = api_client.post(ENDPOINTS[name], {"ids": ids}, format="json")
    body = response.json()
    assert response.status_code == 504
    assert body["success"] is False
    assert body["error"] == "OpenAI request timed out after 0.3 seconds."
    assert body["error_code"] == "ai_provider_timeout"
    assert database_state(account) == before


def test_unreachable_provider_is_a_502(api_client, account, openai_settings, seed_objects, settings):
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    settings.OPENAI_API_BASE = f"http://127.0.0.1:{port}/v1"  # nothing listens there
    response = api_client.post(URL, {"ids": seed_objects(account)["auto_cluster"]}, format="json")
    assert response.status_code == 502
    assert response.json()["error_code"] == "ai_provider_unreachable"
    assert response.json()["error"] == "OpenAI request failed: ConnectionError."


def test_reply_that_is_not_json_is_a_502(api_client, account, openai_settings, seed_objects, fake_openai):
    fake_openai.mode = "not_json"
    ids = seed_objects(account)["auto_cluster"]
    before = database_state(account)
    response = api_client.post(URL, {"ids": ids}, format="json")
    assert response.status_code == 502
    assert response.json()["error_code"] == "ai_invalid_response"
    assert database_state(account) == before


def test_second_content_request_failing_saves_no_content(
    api_client, account, openai_settings, seed_objects, fake_openai
):
    from igny8_core.modules.writer.models import Task

    ids = seed_objects(account)["generate_content"]
    second = Task.objects.create(account=account, title="Second task", keywords=["beans"])
    before = database_state(account)
    fake_openai.fail_after = 1
    response = api_client.post(ENDPOINTS["generate_content"], {"ids": ids + [second.id]}, format="json")
    assert response.status_code == 502
    assert len(fake_openai.chat_requests()) == 2
    assert database_state(account) == before


def test_engine_raises_the_provider_error(account, openai_settings, seed_objects, fake_openai):
    from igny8_core.ai import AIEngine, get_function
    from igny8_core.ai.ai_core import AIProviderError

    fake_openai.mode = "error"
    with pytest.raises(AIProviderError) as info:
        AIEngine(account=account).execute(
            get_function("generate_ideas"), {"ids": seed_objects(account)["generate_ideas"]}
        )
    assert info.value.status == 500
    assert info.value.error_code == "ai_provider_error"
