"""
The server-rendered pages of the flow, in process (Django's test client; Celery eager unless
said otherwise): lists, editing, deleting, the AI actions' POST-redirect-GET, the redirect to
the settings page on a configuration error and back, and the progress page.
"""

import re
from urllib.parse import parse_qs, urlsplit

import pytest

from igny8_core.modules.planner.models import Cluster, ContentIdea, Keyword
from igny8_core.modules.system.models import AITask, IntegrationSettings
from igny8_core.modules.writer.models import Task

pytestmark = pytest.mark.django_db


@pytest.fixture
def browser_client(client, make_user, account):
    client.force_login(make_user(account))
    return client


def test_every_page_renders_for_a_phone(browser_client, account, seed_objects):
    seed_objects(account)
    for path in (
        "/planner/keywords/",
        "/planner/clusters/",
        "/planner/ideas/",
        "/writer/tasks/",
        "/writer/content/",
        "/writer/images/",
        "/settings/integration",
    ):
        response = browser_client.get(path)
        assert response.status_code == 200, path
        page = response.content.decode()
        assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in page


def test_the_keywords_page_lists_without_preselection_and_paginates(browser_client, account):
    response = browser_client.post(
        "/planner/keywords/", {"keywords": "\n".join(f"kw {n:02d}" for n in range(25)), "volume": "7"}
    )
    assert response.status_code == 302 and response["Location"] == "/planner/keywords/"
    assert Keyword.objects.filter(account=account, volume=7).count() == 25
    page = browser_client.get("/planner/keywords/").content.decode()
    assert page.count('name="ids"') == 20
    assert "checked" not in page
    assert "Page 1 of 2 (25 items)" in page
    page2 = browser_client.get("/planner/keywords/?page=2").content.decode()
    assert page2.count('name="ids"') == 5 and "kw 24" in page2
    assert browser_client.get("/planner/keywords/?page=999").status_code == 200


def test_an_ai_action_without_settings_redirects_to_the_settings_page_and_back(
    browser_client, account, seed_objects, fake_openai
):
    ids = seed_objects(account)["auto_cluster"]
    response = browser_client.post("/ai/auto_cluster/run/", {"ids": ids[:2], "next": "/planner/keywords/?page=1"})
    assert response.status_code == 302
    location = urlsplit(response["Location"])
    assert location.path == "/settings/integration"
    assert parse_qs(location.query) == {"next": ["/planner/keywords/?page=1"]}
    assert not AITask.objects.exists() and fake_openai.requests == []

    page = browser_client.get(response["Location"]).content.decode()
    assert (
        f"OpenAI IntegrationSettings not configured for account {account.id}. "
        "Please configure OpenAI settings in the integration page."
    ) in page
    assert "Enter your OpenAI API key" in page and "Enter the model" in page
    assert 'href="/planner/keywords/?page=1"' in page

    # saving an incomplete configuration stays on the page, with next
    response = browser_client.post(response["Location"], {"model": "m-1", "is_active": "on"})
    assert (
        response.status_code == 302
        and response["Location"] == "/settings/integration?next=%2Fplanner%2Fkeywords%2F%3Fpage%3D1"
    )
    # the complete one returns the user to where they were
    response = browser_client.post(
        response["Location"], {"model": "m-1", "api_key": "sk-page-123456", "is_active": "on"}
    )
    assert response.status_code == 302 and response["Location"] == "/planner/keywords/?page=1"
    assert IntegrationSettings.objects.get(account=account).config == {"model": "m-1", "apiKey": "sk-page-123456"}


def test_next_never_leaves_the_site(browser_client, account, seed_objects):
    ids = seed_objects(account)["auto_cluster"]
    response = browser_client.post("/ai/auto_cluster/run/", {"ids": ids, "next": "https://evil.example/"})
    assert parse_qs(urlsplit(response["Location"]).query) == {"next": ["/planner/keywords/"]}
    response = browser_client.get("/settings/integration?next=//evil.example/")
    assert "evil.example" not in response.content.decode()


def test_an_ai_action_is_queued_and_followed_on_the_progress_page(
    browser_client, account, openai_settings, seed_objects, fake_openai, creds
):
    ids = seed_objects(account)["auto_cluster"]
    response = browser_client.post("/ai/auto_cluster/run/", {"ids": ids, "next": "/planner/keywords/"})
    assert response.status_code == 302
    task = AITask.objects.get()
    assert response["Location"] == f"/ai/tasks/{task.id}/?next=%2Fplanner%2Fkeywords%2F"
    page = browser_client.get(response["Location"]).content.decode()
    assert 'http-equiv="refresh"' not in page  # finished: no more polling
    assert f"auto_cluster with model <code>{creds.MODEL_A}</code>: 1 clusters created, 4 keywords clustered." in page
    assert 'href="/planner/clusters/"' in page and 'href="/planner/keywords/"' in page


def test_the_page_request_only_queues(browser_client, account, openai_settings, seed_objects, fake_openai, monkeypatch):
    """Nothing runs in the page request: the task goes to the broker (recorded here), the progress page polls it."""
    from igny8_core.modules.system.tasks import run_queued_ai_function

    sent = []
    monkeypatch.setattr(run_queued_ai_function, "apply_async", lambda args, task_id: sent.append((args, task_id)))
    ids = seed_objects(account)["auto_cluster"]
    response = browser_client.post("/ai/auto_cluster/run/", {"ids": ids})
    assert response.status_code == 302
    task = AITask.objects.get()
    assert sent == [([str(task.id)], str(task.id))]
    page = browser_client.get(response["Location"]).content.decode()
    assert fake_openai.requests == []
    assert task.status == "queued"
    assert '<meta http-equiv="refresh" content="1">' in page and "Queued" in page


def test_no_selection_is_a_message_not_an_error(browser_client, account, openai_settings):
    response = browser_client.post("/ai/generate_ideas/run/", {"next": "/planner/clusters/"}, follow=True)
    assert response.redirect_chain == [("/planner/clusters/", 302)]
    assert "Select at least one item first." in response.content.decode()
    assert browser_client.post("/ai/not_a_function/run/", {"ids": [1]}).status_code == 404


def test_a_lost_task_and_a_configuration_failure_on_the_progress_page(browser_client, account, settings):
    from datetime import timedelta

    from django.utils import timezone

    lost = AITask.objects.create(
        account=account,
        function_name="generate_content",
        payload={"ids": [1]},
        status="running",
        heartbeat_at=timezone.now() - timedelta(seconds=settings.AI_TASK_STALE_SECONDS + 1),
    )
    page = browser_client.get(f"/ai/tasks/{lost.id}/").content.decode()
    assert 'data-error-code="worker_lost"' in page and "stopped before it finished" in page
    failed = AITask.objects.create(
        account=account,
        function_name="generate_content",
        payload={"ids": [1]},
        status="failed",
        outcome={
            "status": 400,
            "error": "Model not configured in IntegrationSettings for account 1.",
            "error_code": "model_not_configured",
            "configuration_error": True,
        },
    )
    response = browser_client.get(f"/ai/tasks/{failed.id}/?next=/writer/tasks/")
    assert response.status_code == 302 and response["Location"] == "/settings/integration?next=%2Fwriter%2Ftasks%2F"
    page = browser_client.get(response["Location"]).content.decode()
    assert "Model not configured" in page and "Enter the model" in page and "Enter your OpenAI API key" not in page


def test_items_are_edited_and_deleted_in_their_own_account_only(browser_client, account, other_account, seed_objects):
    ids = seed_objects(account)
    other = seed_objects(other_account)
    keyword_id = ids["auto_cluster"][0]
    page = browser_client.get(f"/planner/keywords/{keyword_id}/edit/").content.decode()
    # the cluster choices are the account's own
    assert page.count("<option") == 2  # the blank choice and "Coffee"
    response = browser_client.post(
        f"/planner/keywords/{keyword_id}/edit/?next=/planner/keywords/%3Fpage%3D1",
        {"keyword": "espresso", "volume": 3, "status": "pending", "cluster": ""},
    )
    assert response.status_code == 302 and response["Location"] == "/planner/keywords/?page=1"
    assert Keyword.objects.get(id=keyword_id).keyword == "espresso"
    response = browser_client.post(
        f"/planner/keywords/{keyword_id}/edit/", {"keyword": "", "volume": "x", "status": "p"}
    )
    assert response.status_code == 200 and "This field is required." in response.content.decode()

    response = browser_client.post(f"/planner/keywords/{keyword_id}/delete/", {"next": "/planner/keywords/"})
    assert response.status_code == 302 and not Keyword.objects.filter(id=keyword_id).exists()
    assert browser_client.get(f"/planner/keywords/{keyword_id}/delete/").status_code == 405

    for path in (
        f"/planner/keywords/{other['auto_cluster'][0]}/edit/",
        f"/writer/tasks/{other['generate_content'][0]}/edit/",
    ):
        assert browser_client.get(path).status_code == 404
    assert browser_client.post(f"/planner/clusters/{other['generate_ideas'][0]}/delete/").status_code == 404
    assert Cluster.objects.filter(id=other["generate_ideas"][0]).exists()


def test_an_idea_becomes_a_writer_task(browser_client, account):
    cluster = Cluster.objects.create(account=account, name="Coffee")
    idea = ContentIdea.objects.create(
        account=account,
        cluster=cluster,
        title="Grinders compared",
        description="Burr or blade",
        target_keywords=["burr grinder"],
    )
    page = browser_client.get("/planner/ideas/").content.decode()
    assert re.search(rf'formaction="/planner/ideas/{idea.id}/task/"', page)
    response = browser_client.post(f"/planner/ideas/{idea.id}/task/", {"next": "/planner/ideas/"})
    assert response.status_code == 302 and response["Location"] == "/planner/ideas/"
    task = Task.objects.get(account=account)
    assert (task.title, task.description, task.keywords, task.idea, task.cluster) == (
        "Grinders compared",
        "Burr or blade",
        ["burr grinder"],
        idea,
        cluster,
    )
    idea.refresh_from_db()
    assert idea.status == "scheduled"


def test_pages_need_a_login_and_an_account(client, make_user, db):
    response = client.get("/writer/content/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    client.force_login(make_user(None))
    assert client.get("/writer/content/").status_code == 403
    assert client.post("/ai/generate_content/run/", {"ids": [1]}).status_code == 403


def test_the_pages_share_the_accounts_ai_rate_limit(
    browser_client, account, openai_settings, seed_objects, fake_openai, settings
):
    settings.AI_RATE_LIMIT = "1/minute"
    ids = seed_objects(account)["auto_cluster"]
    assert browser_client.post("/ai/auto_cluster/run/", {"ids": ids})["Location"].startswith("/ai/tasks/")
    response = browser_client.post("/ai/auto_cluster/run/", {"ids": ids, "next": "/planner/keywords/"}, follow=True)
    assert response.redirect_chain == [("/planner/keywords/", 302)]
    assert "Too many AI runs for your account: try again in " in response.content.decode()
    assert AITask.objects.count() == 1 and len(fake_openai.requests) == 1
