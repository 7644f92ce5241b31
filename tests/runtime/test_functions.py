"""
Seed testing plan, integration tests 1 and 2, for each of the five AI functions, through
the engine and the Celery task: valid IntegrationSettings end to end against the fake
OpenAI server; no IntegrationSettings -> the seed's error and nothing saved.
"""

import pytest

from igny8_core.accounts.models import Account
from igny8_core.modules.planner.models import Cluster, ContentIdea, Keyword
from igny8_core.modules.writer.models import Content, Image, Task

pytestmark = pytest.mark.django_db

FUNCTIONS = ["auto_cluster", "generate_ideas", "generate_content", "generate_image_prompts", "generate_images"]


def snapshot(account):
    """Everything an AI function can write, for one account."""
    return {
        "clusters": sorted(Cluster.objects.filter(account=account).values_list("id", "name")),
        "keywords": sorted(Keyword.objects.filter(account=account).values_list("id", "cluster_id", "status")),
        "ideas": sorted(ContentIdea.objects.filter(account=account).values_list("id", "title")),
        "tasks": sorted(Task.objects.filter(account=account).values_list("id", "status")),
        "contents": sorted(Content.objects.filter(account=account).values_list("id", "title")),
        "images": sorted(Image.objects.filter(account=account).values_list("id", "prompt", "image_url", "status")),
    }


def run_engine(name, account, ids):
    from igny8_core.ai import AIEngine, get_function

    return AIEngine(account=account).execute(get_function(name), {"ids": ids})


def assert_saved(name, account, result, ids):
    """The function's results are in the database, for this account."""
    if name == "auto_cluster":
        assert result["keywords_clustered"] == 4
        clusters = {c.name: c for c in Cluster.objects.filter(account=account)}
        assert {"Coffee", "Tea"} <= set(clusters)
        assert set(result["cluster_ids"]) == {clusters["Coffee"].id, clusters["Tea"].id}
        by_text = {k.keyword: k for k in Keyword.objects.filter(id__in=ids)}
        assert by_text["tea kettle"].cluster_id == clusters["Tea"].id
        assert by_text["coffee beans"].cluster_id == clusters["Coffee"].id
        assert all(k.status == "mapped" for k in by_text.values())
    elif name == "generate_ideas":
        ideas = list(ContentIdea.objects.filter(account=account, cluster_id=ids[0]))
        assert result["ideas_created"] == 2 and sorted(result["idea_ids"]) == sorted(i.id for i in ideas)
        assert {i.title for i in ideas} == {"Coffee: a complete guide", "Coffee: common mistakes"}
        assert ideas[0].target_keywords == ["coffee grinder", "coffee beans"]
    elif name == "generate_content":
        [content_id] = result["content_ids"]
        content = Content.objects.get(id=content_id, account=account)
        assert content.task_id == ids[0]
        assert content.meta_description == "Everything about how to grind coffee."
        assert content.html_content.startswith("<h1>How to grind coffee</h1>")
        assert content.word_count == 16  # 4 heading words + 12 paragraph words
        assert Task.objects.get(id=ids[0]).status == "completed"
    elif name == "generate_image_prompts":
        images = list(Image.objects.filter(id__in=result["image_ids"]).order_by("position"))
        assert {(i.account_id, i.content_id, i.status) for i in images} == {(account.id, ids[0], "pending")}
        assert [(i.image_type, i.position) for i in images] == [("featured", 0), ("in_article", 1), ("in_article", 2)]
        assert images[0].prompt == "Featured illustration for Coffee brewing basics"
        assert sorted(result["image_ids"]) == sorted(i.id for i in images)
    elif name == "generate_images":
        image = Image.objects.get(id=ids[0])
        assert image.status == "generated"
        assert image.image_url == "https://images.example.test/1.png"
        assert result["images_generated"] == 1
    else:  # pragma: no cover
        raise AssertionError(name)


def assert_request_carried_account_settings(name, fake_openai, creds):
    if name == "generate_images":
        [request] = fake_openai.image_requests()
        assert request["headers"]["Authorization"] == f"Bearer {creds.KEY_A}"
        assert request["body"]["model"] == creds.MODEL_A
        assert request["body"]["prompt"] == "A steaming cup of coffee on a wooden table"
        assert fake_openai.chat_requests() == []
        return
    [request] = fake_openai.chat_requests()
    assert request["headers"]["Authorization"] == f"Bearer {creds.KEY_A}"
    assert request["body"]["model"] == creds.MODEL_A
    assert request["body"]["max_tokens"] == 1234
    assert request["body"]["temperature"] == 0.25
    assert f"[igny8:{name}]" in request["body"]["messages"][0]["content"]


@pytest.mark.parametrize("name", FUNCTIONS)
def test_function_with_valid_settings_runs_end_to_end(name, account, openai_settings, seed_objects, fake_openai, creds):
    ids = seed_objects(account)[name]
    result = run_engine(name, account, ids)
    assert result["success"] is True
    assert result["function"] == name
    assert result["model"] == creds.MODEL_A
    assert_request_carried_account_settings(name, fake_openai, creds)
    assert_saved(name, account, result, ids)


@pytest.mark.parametrize("name", FUNCTIONS)
def test_function_through_celery_task_with_valid_settings(
    name, account, openai_settings, seed_objects, fake_openai, creds
):
    from igny8_core.ai.tasks import run_ai_task

    ids = seed_objects(account)[name]
    result = run_ai_task.delay(name, {"ids": ids}, account_id=account.id).get()
    assert result["function"] == name and result["model"] == creds.MODEL_A
    assert_request_carried_account_settings(name, fake_openai, creds)
    assert_saved(name, account, result, ids)


@pytest.mark.parametrize("name", FUNCTIONS)
def test_function_without_settings_raises_the_seed_error_and_saves_nothing(name, account, seed_objects, fake_openai):
    ids = seed_objects(account)[name]
    before = snapshot(account)
    with pytest.raises(ValueError) as info:
        run_engine(name, account, ids)
    assert str(info.value) == (
        f"OpenAI IntegrationSettings not configured for account {account.id}. "
        "Please configure OpenAI settings in the integration page."
    )
    assert snapshot(account) == before
    assert fake_openai.requests == []


@pytest.mark.parametrize("name", FUNCTIONS)
def test_function_without_model_raises_and_saves_nothing(
    name, account, make_openai_settings, seed_objects, fake_openai, creds
):
    make_openai_settings(account, apiKey=creds.KEY_A, max_tokens=100)
    ids = seed_objects(account)[name]
    before = snapshot(account)
    with pytest.raises(ValueError, match=f"^Model not configured in IntegrationSettings for account {account.id}\\."):
        run_engine(name, account, ids)
    assert snapshot(account) == before
    assert fake_openai.requests == []


@pytest.mark.parametrize("name", FUNCTIONS)
def test_function_without_api_key_raises_and_saves_nothing(
    name, account, make_openai_settings, seed_objects, fake_openai, creds
):
    make_openai_settings(account, model=creds.MODEL_A)
    ids = seed_objects(account)[name]
    before = snapshot(account)
    with pytest.raises(ValueError, match="^OpenAI API key not configured in IntegrationSettings"):
        run_engine(name, account, ids)
    assert snapshot(account) == before
    assert fake_openai.requests == []


@pytest.mark.parametrize("name", FUNCTIONS)
def test_engine_without_account_raises_the_guard_error(name, account, openai_settings, seed_objects, fake_openai):
    ids = seed_objects(account)[name]
    with pytest.raises(ValueError) as info:
        run_engine(name, None, ids)
    assert str(info.value) == "Account is required for AI function execution"
    assert fake_openai.requests == []


def test_generate_images_prefers_the_configured_image_model(
    account, make_openai_settings, seed_objects, fake_openai, creds
):
    make_openai_settings(
        account,
        apiKey=creds.KEY_A,
        model=creds.MODEL_A,
        image_model="acme-image-hd",
        image_size="512x512",
    )
    ids = seed_objects(account)["generate_images"]
    run_engine("generate_images", account, ids)
    [request] = fake_openai.image_requests()
    assert request["body"]["model"] == "acme-image-hd"
    assert request["body"]["size"] == "512x512"


def test_generate_content_writes_every_task_or_nothing(account, openai_settings, seed_objects, fake_openai):
    ids = seed_objects(account)["generate_content"]
    second = Task.objects.create(account=account, title="Best coffee beans", keywords=["coffee beans"])
    result = run_engine("generate_content", account, ids + [second.id])
    assert result["contents_created"] == 2
    assert len(fake_openai.chat_requests()) == 2
    new = Content.objects.filter(id__in=result["content_ids"])
    assert sorted(new.values_list("task_id", flat=True)) == sorted([ids[0], second.id])


def test_generate_images_refuses_images_without_prompt(account, openai_settings, seed_objects, fake_openai):
    from igny8_core.ai.base import InvalidPayload

    seed_objects(account)
    blank = Image.objects.create(account=account, content=Content.objects.get(account=account), prompt="  ")
    with pytest.raises(InvalidPayload, match=f"^Image has no prompt: {blank.id}\\."):
        run_engine("generate_images", account, [blank.id])
    assert fake_openai.requests == []


@pytest.mark.parametrize(
    "payload",
    [None, {}, {"ids": []}, {"ids": "abc"}, {"ids": [0]}, {"ids": [True]}, {"ids": ["1"]}],
    ids=["none", "no-ids", "empty", "string", "zero", "bool", "str-id"],
)
def test_invalid_payload_is_refused_before_anything_else(payload, account, fake_openai):
    from igny8_core.ai import AIEngine, get_function
    from igny8_core.ai.base import InvalidPayload

    with pytest.raises(InvalidPayload):
        AIEngine(account=account).execute(get_function("auto_cluster"), payload)
    assert fake_openai.requests == []


def test_unknown_account_id_in_task_raises(fake_openai):
    from igny8_core.ai.tasks import run_ai_task

    with pytest.raises(Account.DoesNotExist):
        run_ai_task.delay("auto_cluster", {"ids": [1]}, account_id=999999).get()
