"""run_ai_task, the registry, the Celery app, and two accounts with different models."""

import pytest

from igny8_core.modules.planner.models import Cluster

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("account_id", [None, 0], ids=["none", "zero"])
def test_run_ai_task_without_account_id_raises(account_id, account, openai_settings, seed_objects, fake_openai):
    from igny8_core.ai.tasks import run_ai_task

    ids = seed_objects(account)["auto_cluster"]
    with pytest.raises(ValueError) as info:
        run_ai_task.delay("auto_cluster", {"ids": ids}, account_id=account_id).get()
    assert str(info.value) == "account_id is required for AI task execution"
    assert fake_openai.requests == []
    assert not Cluster.objects.exclude(name="Coffee").exists()


def test_run_ai_task_called_directly_without_account_id_raises(fake_openai):
    from igny8_core.ai.tasks import run_ai_task

    with pytest.raises(ValueError, match="^account_id is required for AI task execution$"):
        run_ai_task("generate_content", {"ids": [1]})


def test_run_ai_task_with_unknown_function_raises(account):
    from igny8_core.ai.tasks import run_ai_task

    with pytest.raises(ValueError, match="^Unknown AI function: write_poem$"):
        run_ai_task("write_poem", {"ids": [1]}, account_id=account.id)


def test_run_ai_task_resolves_the_alias(account, openai_settings, seed_objects, fake_openai):
    from igny8_core.ai.tasks import run_ai_task

    ids = seed_objects(account)["generate_ideas"]
    result = run_ai_task.delay("auto_generate_ideas", {"ids": ids}, account_id=account.id).get()
    assert result["function"] == "generate_ideas" and result["ideas_created"] == 2


def test_two_accounts_with_different_models_each_get_their_own(
    account,
    other_account,
    openai_settings,
    other_openai_settings,
    seed_objects,
    fake_openai,
    creds,
):
    from igny8_core.ai import get_model_config
    from igny8_core.ai.tasks import run_ai_task

    assert get_model_config("generate_content", account=account)["model"] == creds.MODEL_A
    assert get_model_config("generate_content", account=other_account)["model"] == creds.MODEL_B
    ids_a = seed_objects(account)["generate_content"]
    ids_b = seed_objects(other_account)["generate_content"]
    result_b = run_ai_task.delay("generate_content", {"ids": ids_b}, account_id=other_account.id).get()
    result_a = run_ai_task.delay("generate_content", {"ids": ids_a}, account_id=account.id).get()
    assert (result_a["model"], result_b["model"]) == (creds.MODEL_A, creds.MODEL_B)
    sent = [
        (r["headers"]["Authorization"], r["body"]["model"], r["body"]["max_tokens"], r["body"]["temperature"])
        for r in fake_openai.chat_requests()
    ]
    assert sent == [
        (f"Bearer {creds.KEY_B}", creds.MODEL_B, 321, 0.9),
        (f"Bearer {creds.KEY_A}", creds.MODEL_A, 1234, 0.25),
    ]


def test_two_accounts_through_the_api_each_get_their_own(
    client_for,
    account,
    other_account,
    openai_settings,
    other_openai_settings,
    seed_objects,
    fake_openai,
    creds,
):
    ids_a = seed_objects(account)["auto_cluster"]
    ids_b = seed_objects(other_account)["auto_cluster"]
    url = "/api/v1/planner/keywords/auto_cluster/"
    assert client_for(account).post(url, {"ids": ids_a}, format="json").json()["data"]["model"] == creds.MODEL_A
    assert client_for(other_account).post(url, {"ids": ids_b}, format="json").json()["data"]["model"] == creds.MODEL_B
    assert [r["body"]["model"] for r in fake_openai.chat_requests()] == [creds.MODEL_A, creds.MODEL_B]
    assert Cluster.objects.filter(account=other_account, name="Tea").count() == 1
    assert Cluster.objects.filter(account=account, name="Tea").count() == 1


def test_registry_returns_instances_and_none_for_unknown_names():
    from igny8_core.ai import BaseAIFunction, get_function

    for name in ("auto_cluster", "generate_ideas", "generate_content", "generate_image_prompts", "generate_images"):
        fn = get_function(name)
        assert isinstance(fn, BaseAIFunction) and fn.get_name() == name
    assert get_function("auto_generate_ideas").get_name() == "generate_ideas"
    assert get_function("auto_generate_ideas") is not get_function("auto_generate_ideas")
    assert get_function("no_such_function") is None


@pytest.fixture
def scratch_registry(monkeypatch):
    """Registrations made by a test disappear after it."""
    from igny8_core.ai import registry

    assert registry.get_function("auto_cluster") is not None  # loads the lazy registrations first
    monkeypatch.setattr(registry, "_FUNCTION_REGISTRY", dict(registry._FUNCTION_REGISTRY))
    monkeypatch.setattr(registry, "_LAZY_LOADERS", dict(registry._LAZY_LOADERS))


def test_registry_lists_and_registers_directly(scratch_registry):
    from igny8_core.ai import BaseAIFunction
    from igny8_core.ai.registry import get_function, list_functions, register_function

    assert {"auto_cluster", "generate_ideas", "generate_content", "generate_image_prompts", "generate_images"} <= set(
        list_functions()
    )

    class Probe(BaseAIFunction):
        name = "probe_function"

    assert register_function("probe_function", Probe) is Probe
    assert isinstance(get_function("probe_function"), Probe)
    assert "probe_function" in list_functions()


def test_registry_accepts_a_callable_loader(scratch_registry):
    from igny8_core.ai import BaseAIFunction, register_lazy_function
    from igny8_core.ai.registry import get_function

    class Lazy(BaseAIFunction):
        name = "lazy_probe"

    calls = []
    register_lazy_function("lazy_probe", lambda: calls.append(1) or Lazy)
    assert calls == []
    assert isinstance(get_function("lazy_probe"), Lazy)
    get_function("lazy_probe")
    assert calls == [1]


def test_celery_app_defaults_to_the_embedded_broker_beside_the_database(settings):
    import os
    from pathlib import Path

    from igny8_core.ai.tasks import run_ai_task
    from igny8_core.celery import app
    from igny8_core.modules.system.tasks import run_queued_ai_function

    # the database file the project was configured with (the tests themselves use another one)
    database = Path(os.environ.get("IGNY8_DB_PATH") or settings.BASE_DIR / "db.sqlite3")
    assert app.conf.broker_url == f"sqla+sqlite:///{database.with_name('celery-broker.sqlite3')}"
    assert settings.CELERY_TASK_ALWAYS_EAGER is False
    assert run_ai_task.name in app.tasks and run_queued_ai_function.name in app.tasks
    assert {"igny8_core.ai.tasks", "igny8_core.modules.system.tasks"} <= set(app.conf.include)
