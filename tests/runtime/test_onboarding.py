"""Onboarding: the createaccount command, the Django admin (the key never shown), the pages' login and start-up guards."""

import io

import pytest
from django.core.management import CommandError, call_command

from igny8_core.accounts.models import Account, User
from igny8_core.modules.system.models import IntegrationSettings

pytestmark = pytest.mark.django_db


def test_createaccount_creates_an_account_and_links_the_user(client):
    user = User.objects.create_user(username="alice", password="pw-123456")
    client.force_login(user)
    assert client.get("/api/v1/writer/tasks/").json()["error"] == "Your user is not linked to an account."
    out = io.StringIO()
    call_command("createaccount", "Acme", "--user", "alice", stdout=out)
    account = Account.objects.get()
    assert out.getvalue().strip() == f"Created account {account.id} 'Acme'; linked users: alice"
    user.refresh_from_db()
    assert user.account == account
    assert client.get("/api/v1/writer/tasks/").json()["success"] is True


def test_createaccount_refuses_unknown_users_and_moves_only_with_move():
    with pytest.raises(CommandError, match="^createaccount: user 'nobody' does not exist"):
        call_command("createaccount", "Acme", "--user", "nobody")
    assert not Account.objects.exists()  # nothing half-done
    first = Account.objects.create(name="First")
    User.objects.create_user(username="bob", password="pw-123456", account=first)
    with pytest.raises(CommandError, match="already linked to account"):
        call_command("createaccount", "Second", "--user", "bob")
    call_command("createaccount", "Second", "--user", "bob", "--move", stdout=io.StringIO())
    assert User.objects.get(username="bob").account.name == "Second"


@pytest.fixture
def admin_client(client, account):
    admin = User.objects.create_superuser(username="root", password="pw-123456", email="root@example.test")
    client.force_login(admin)
    return client


def test_the_admin_lists_accounts_users_settings_and_the_planner_and_writer_models(
    admin_client, openai_settings, seed_objects, account
):
    seed_objects(account)
    for path in (
        "accounts/account",
        "accounts/user",
        "system/integrationsettings",
        "system/aitask",
        "planner/keyword",
        "planner/cluster",
        "planner/contentidea",
        "writer/task",
        "writer/content",
        "writer/image",
    ):
        response = admin_client.get(f"/admin/{path}/")
        assert response.status_code == 200, path
    assert admin_client.get(f"/admin/accounts/account/{account.id}/change/").status_code == 200


def test_the_admin_never_shows_the_key_and_a_blank_key_keeps_it(admin_client, openai_settings, account, creds):
    url = f"/admin/system/integrationsettings/{openai_settings.id}/change/"
    for page in (url, "/admin/system/integrationsettings/"):
        html = admin_client.get(page).content.decode()
        assert creds.KEY_A not in html and creds.KEY_A[:12] not in html
    assert creds.MODEL_A in admin_client.get(url).content.decode()
    response = admin_client.post(
        url,
        {
            "account": account.id,
            "integration_type": "openai",
            "is_active": "on",
            "api_key": "",
            "model": "admin-model",
            "max_tokens": "2000",
            "temperature": "0.5",
            "image_model": "",
            "image_size": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    openai_settings.refresh_from_db()
    assert openai_settings.config == {
        "apiKey": creds.KEY_A,
        "model": "admin-model",
        "max_tokens": 2000,
        "temperature": 0.5,
    }
    admin_client.post(
        url,
        {
            "account": account.id,
            "integration_type": "openai",
            "is_active": "on",
            "api_key": "sk-replaced-0000111122223333",
            "model": "admin-model",
        },
    )
    openai_settings.refresh_from_db()
    assert openai_settings.config["apiKey"] == "sk-replaced-0000111122223333"
    assert IntegrationSettings.objects.count() == 1


@pytest.mark.parametrize("path", ["/settings/integration", "/planner/keywords/"])
def test_pages_require_login(client, path):
    response = client.get(path)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/?next=")


def test_the_settings_page_is_at_the_url_the_errors_point_to(client, account, make_user, settings):
    client.force_login(make_user(account))
    response = client.get(settings.INTEGRATION_SETTINGS_URL)
    assert response.status_code == 200
    assert b"Integration settings" in response.content
    assert response["X-Frame-Options"] == "DENY"


def test_the_development_key_is_a_deploy_error_only_with_debug_off(settings):
    from igny8_core.checks import development_key_check

    settings.SECRET_KEY = settings.DEVELOPMENT_SECRET_KEY
    settings.DEBUG = False
    assert [e.id for e in development_key_check()] == ["igny8.E001"]
    settings.DEBUG = True
    assert development_key_check() == []
    settings.DEBUG = False
    settings.SECRET_KEY = "x" * 60
    assert development_key_check() == []
