"""An account's OpenAI key never appears in a response or a log line."""

import json
import logging

import pytest

pytestmark = pytest.mark.django_db

ENDPOINTS = {
    "auto_cluster": "/api/v1/planner/keywords/auto_cluster/",
    "generate_ideas": "/api/v1/planner/clusters/auto_generate_ideas/",
    "generate_content": "/api/v1/writer/tasks/auto_generate_content/",
    "generate_image_prompts": "/api/v1/writer/content/generate_image_prompts/",
    "generate_images": "/api/v1/writer/images/generate_images/",
}


def exposed_text(response):
    headers = "\n".join(f"{k}: {v}" for k, v in response.items())
    return f"{headers}\n{response.content.decode()}"


def test_api_key_is_in_no_response_or_log_line(
    caplog, api_client, account, openai_settings, seed_objects, fake_openai, creds, settings
):
    caplog.set_level(logging.DEBUG)
    ids = seed_objects(account)
    responses = []
    # every function, successful
    for name, url in ENDPOINTS.items():
        responses.append(api_client.post(url, {"ids": ids[name]}, format="json"))
    assert [r.status_code for r in responses] == [200] * 5
    # upstream error, provider quoting the key back, reply not JSON, timeout
    for mode in ("error", "echo_key", "not_json"):
        fake_openai.mode = mode
        responses.append(api_client.post(ENDPOINTS["auto_cluster"], {"ids": ids["auto_cluster"]}, format="json"))
    settings.OPENAI_TIMEOUT = 0.2
    fake_openai.mode = "timeout"
    responses.append(api_client.post(ENDPOINTS["generate_images"], {"ids": ids["generate_images"]}, format="json"))
    assert [r.status_code for r in responses[5:]] == [502, 502, 502, 504]
    # reading the settings back, listing, errors
    responses.append(api_client.get("/api/v1/system/integrations/openai/"))
    responses.append(api_client.get("/api/v1/system/ai-config/"))
    responses.append(api_client.get("/api/v1/planner/keywords/"))
    responses.append(api_client.post(ENDPOINTS["auto_cluster"], {"ids": [987654]}, format="json"))

    # the key did reach the provider, so the check below is not vacuous
    assert any(creds.KEY_A in json.dumps(r["headers"]) for r in fake_openai.requests)
    quoted = [r for r in responses if "Incorrect API key provided" in r.content.decode()]
    assert len(quoted) == 1 and "[redacted]" in quoted[0].json()["error"]
    for response in responses:
        assert creds.KEY_A not in exposed_text(response)
    assert caplog.records, "nothing was logged"
    assert creds.KEY_A not in caplog.text
    for record in caplog.records:
        assert creds.KEY_A not in record.getMessage()


def test_api_key_is_in_no_log_line_of_the_task_path(caplog, account, openai_settings, seed_objects, fake_openai, creds):
    from igny8_core.ai.ai_core import AIProviderError
    from igny8_core.ai.tasks import run_ai_task

    caplog.set_level(logging.DEBUG)
    ids = seed_objects(account)
    for name in ENDPOINTS:
        run_ai_task.delay(name, {"ids": ids[name]}, account_id=account.id).get()
    fake_openai.mode = "error"
    with pytest.raises(AIProviderError):
        run_ai_task.delay("generate_content", {"ids": ids["generate_content"]}, account_id=account.id).get()
    assert len(fake_openai.requests) == 6
    assert creds.KEY_A not in caplog.text


def test_integration_settings_str_hides_the_config(openai_settings, creds):
    assert creds.KEY_A not in str(openai_settings)
    assert creds.KEY_A not in repr(openai_settings)
