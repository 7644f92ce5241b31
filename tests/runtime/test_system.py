"""The system endpoints: the account's OpenAI integration settings and its effective AI configuration."""

import pytest

pytestmark = pytest.mark.django_db

SETTINGS_URL = "/api/v1/system/integrations/openai/"
AI_CONFIG_URL = "/api/v1/system/ai-config/"


def test_settings_of_an_account_without_integration(api_client):
    body = api_client.get(SETTINGS_URL).json()
    assert body["success"] is True
    assert body["data"] == {
        "integration_type": "openai",
        "configured": False,
        "is_active": False,
        "api_key_configured": False,
        "config": {},
    }


def test_settings_are_shown_with_the_key_masked(api_client, openai_settings, creds):
    data = api_client.get(SETTINGS_URL).json()["data"]
    assert data["config"] == {"apiKey": "********", "model": creds.MODEL_A, "max_tokens": 1234, "temperature": 0.25}
    assert data["api_key_configured"] is True


def test_put_creates_settings_that_the_ai_functions_then_use(api_client, account, seed_objects, fake_openai):
    ids = seed_objects(account)["auto_cluster"]
    url = "/api/v1/planner/keywords/auto_cluster/"
    assert api_client.post(url, {"ids": ids}, format="json").json()["error_code"] == "integration_not_configured"
    config = {"apiKey": "sk-new-key-000111222333", "model": "fresh-model", "max_tokens": 900, "temperature": 0.4}
    response = api_client.put(SETTINGS_URL, {"config": config}, format="json")
    assert response.status_code == 200, response.json()
    assert "sk-new-key" not in response.content.decode()
    body = api_client.post(url, {"ids": ids}, format="json").json()
    assert body["success"] is True and body["data"]["model"] == "fresh-model"
    request = fake_openai.chat_requests()[0]
    assert request["headers"]["Authorization"] == "Bearer sk-new-key-000111222333"
    assert (request["body"]["max_tokens"], request["body"]["temperature"]) == (900, 0.4)


def test_put_with_the_masked_key_keeps_the_stored_key(api_client, openai_settings, creds):
    api_client.put(SETTINGS_URL, {"config": {"apiKey": "********", "model": "other-model"}}, format="json")
    openai_settings.refresh_from_db()
    assert openai_settings.config["apiKey"] == creds.KEY_A
    assert openai_settings.config["model"] == "other-model"


@pytest.mark.parametrize(
    "config",
    [{"max_tokens": 0}, {"temperature": 3}, {"model": ""}, {"image_size": "big"}],
    ids=["tokens", "temperature", "blank-model", "size"],
)
def test_put_rejects_invalid_values(api_client, openai_settings, config, creds):
    response = api_client.put(SETTINGS_URL, {"config": config}, format="json")
    body = response.json()
    assert response.status_code == 400
    assert body["error_code"] == "validation_error" and body["success"] is False
    openai_settings.refresh_from_db()
    assert openai_settings.config["model"] == creds.MODEL_A


def test_settings_are_per_account(client_for, account, other_account, openai_settings, creds):
    data = client_for(other_account).get(SETTINGS_URL).json()["data"]
    assert data["configured"] is False


def test_ai_config_reports_each_function(api_client, openai_settings, creds):
    data = api_client.get(AI_CONFIG_URL).json()["data"]
    expected = {"model": creds.MODEL_A, "max_tokens": 1234, "temperature": 0.25}
    assert data["functions"] == {
        name: expected
        for name in ("auto_cluster", "generate_ideas", "generate_content", "generate_image_prompts", "generate_images")
    }


def test_ai_config_without_settings_is_the_configuration_error(api_client, account):
    response = api_client.get(AI_CONFIG_URL, HTTP_X_REQUEST_ID="cfg-1")
    assert response.status_code == 400
    assert response.json() == {
        "success": False,
        "error": f"OpenAI IntegrationSettings not configured for account {account.id}. "
        "Please configure OpenAI settings in the integration page.",
        "error_code": "integration_not_configured",
        "integration_settings_url": "/settings/integration",
        "request_id": "cfg-1",
    }
