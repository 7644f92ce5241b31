"""Seed testing plan, unit tests: get_model_config and AICore without a model."""

import pytest

from igny8_core.ai.ai_core import AICore

pytestmark = pytest.mark.django_db


def test_get_model_config_with_valid_settings_returns_the_accounts_values(account, openai_settings, creds):
    from igny8_core.ai import get_model_config

    assert get_model_config("auto_cluster", account=account) == {
        "model": creds.MODEL_A,
        "max_tokens": 1234,
        "temperature": 0.25,
    }


def test_get_model_config_defaults_max_tokens_and_temperature_when_the_config_has_only_a_model(
    account,
    make_openai_settings,
    creds,
):
    from igny8_core.ai import get_model_config

    make_openai_settings(account, apiKey=creds.KEY_A, model="only-a-model")
    assert get_model_config("generate_content", account=account) == {
        "model": "only-a-model",
        "max_tokens": 4000,
        "temperature": 0.7,
    }


def test_get_model_config_resolves_the_alias(account, openai_settings, creds):
    from igny8_core.ai import get_model_config

    assert get_model_config("auto_generate_ideas", account=account)["model"] == creds.MODEL_A


def test_get_model_config_without_settings_raises_the_seed_message(account):
    from igny8_core.ai import get_model_config

    with pytest.raises(ValueError) as info:
        get_model_config("auto_cluster", account=account)
    assert str(info.value) == (
        f"OpenAI IntegrationSettings not configured for account {account.id}. "
        "Please configure OpenAI settings in the integration page."
    )


def test_get_model_config_ignores_inactive_settings(account, make_openai_settings, creds):
    from igny8_core.ai import get_model_config

    row = make_openai_settings(account, apiKey=creds.KEY_A, model=creds.MODEL_A)
    row.is_active = False
    row.save()
    with pytest.raises(ValueError, match="IntegrationSettings not configured"):
        get_model_config("auto_cluster", account=account)


def test_get_model_config_ignores_another_accounts_settings(account, other_openai_settings):
    from igny8_core.ai import get_model_config

    with pytest.raises(ValueError, match=f"not configured for account {account.id}\\."):
        get_model_config("auto_cluster", account=account)


@pytest.mark.parametrize(
    "config",
    [{}, {"apiKey": "sk-x-123456"}, {"apiKey": "sk-x-123456", "model": ""}, {"model": None}],
    ids=["empty", "key-only", "blank-model", "null-model"],
)
def test_get_model_config_without_model_raises_the_seed_message(account, make_openai_settings, config):
    from igny8_core.ai import get_model_config

    make_openai_settings(account, **config)
    with pytest.raises(ValueError) as info:
        get_model_config("auto_cluster", account=account)
    assert str(info.value) == (
        f"Model not configured in IntegrationSettings for account {account.id}. "
        "Please set 'model' in OpenAI integration settings."
    )


@pytest.mark.parametrize("missing", [None, 0], ids=["none", "falsy"])
def test_get_model_config_without_account_raises(missing, openai_settings):
    from igny8_core.ai import get_model_config

    with pytest.raises(ValueError) as info:
        get_model_config("auto_cluster", account=missing)
    assert str(info.value) == "Account is required for model configuration"


@pytest.mark.parametrize("model", [None, ""], ids=["none", "empty"])
def test_run_ai_request_without_model_raises_and_sends_nothing(fake_openai, model, creds):
    core = AICore(api_key=creds.KEY_A)
    with pytest.raises(ValueError) as info:
        core.run_ai_request("[igny8:auto_cluster] hello", model=model)
    assert str(info.value) == "Model is required. Ensure IntegrationSettings is configured for the account."
    assert fake_openai.requests == []


def test_generate_image_without_model_raises_and_sends_nothing(fake_openai, creds):
    with pytest.raises(ValueError, match="^Model is required"):
        AICore(api_key=creds.KEY_A).generate_image("a cup", model=None)
    assert fake_openai.requests == []


def test_run_ai_request_sends_exactly_the_given_values(fake_openai, creds):
    result = AICore(api_key=creds.KEY_A).run_ai_request(
        "plain prompt", model=creds.MODEL_A, max_tokens=77, temperature=0.1
    )
    [request] = fake_openai.chat_requests()
    assert request["headers"]["Authorization"] == f"Bearer {creds.KEY_A}"
    assert request["body"] == {
        "model": creds.MODEL_A,
        "messages": [{"role": "user", "content": "plain prompt"}],
        "max_tokens": 77,
        "temperature": 0.1,
    }
    assert result["model"] == creds.MODEL_A
    assert result["content"] == '{"echo": "plain prompt"}'


def test_run_ai_request_without_api_key_raises_before_sending(fake_openai, creds):
    with pytest.raises(ValueError, match="^OpenAI API key not configured in IntegrationSettings"):
        AICore(api_key=None).run_ai_request("x", model=creds.MODEL_A)
    assert fake_openai.requests == []
