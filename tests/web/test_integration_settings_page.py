"""
The integration settings page and the configuration error of a page that runs an AI function,
in a real headless chromium against the live Django server and the fake OpenAI server.
"""

import pytest
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from igny8_core.accounts.models import Account, User
from igny8_core.modules.planner.models import Cluster, Keyword
from igny8_core.modules.system.models import IntegrationSettings

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def celery_runs_in_the_server():
    """No worker here: the live server runs the queued task itself (tests/web/test_flow.py uses a real worker)."""
    from igny8_core.celery import app

    before = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = before


KEY = "sk-browser-7d1e4b9a2c6f0e3d8b5a"
FUNCTIONS = ["auto_cluster", "generate_ideas", "generate_content", "generate_image_prompts", "generate_images"]


@pytest.fixture
def alice(db):
    account = Account.objects.create(name="Acme")
    User.objects.create_user(username="alice", password="alice-pw-4471", account=account)
    for text in ("coffee grinder", "coffee beans", "tea kettle"):
        Keyword.objects.create(account=account, keyword=text, volume=10)
    return account


def click_and_load(browser, element):
    """Click a link or submit button and wait until the next page has replaced this one and loaded."""
    browser.execute_script("window.igny8PageBeforeClick = true;")
    element.click()

    def next_page_loaded(driver):
        return driver.execute_script(
            'return window.igny8PageBeforeClick === undefined && document.readyState === "complete";'
        )

    # while the old document is torn down the driver may answer with transient errors
    WebDriverWait(browser, 30, ignored_exceptions=(WebDriverException,)).until(next_page_loaded)


def text(browser, css):
    return browser.find_element(By.CSS_SELECTOR, css).text


def log_in(browser, base, path):
    browser.get(base + path)
    assert "/accounts/login/" in browser.current_url
    browser.find_element(By.ID, "id_username").send_keys("alice")
    browser.find_element(By.ID, "id_password").send_keys("alice-pw-4471")
    click_and_load(browser, browser.find_element(By.ID, "login-submit"))
    assert browser.current_url == base + path


def save_settings(browser, **fields):
    for name, value in fields.items():
        element = browser.find_element(By.ID, f"id_{name}")
        if name == "is_active":
            if element.is_selected() != value:
                element.click()
            continue
        element.clear()
        element.send_keys(value)
    click_and_load(browser, browser.find_element(By.ID, "save-settings"))


def function_cells(browser):
    return {
        row.get_attribute("data-function"): row.find_elements(By.TAG_NAME, "td")[1].text
        for row in browser.find_elements(By.CSS_SELECTOR, "#function-models tbody tr")
    }


def test_configuration_error_then_the_settings_page_then_the_function_runs(browser, live_server, alice, fake_openai):
    base = live_server.url
    log_in(browser, base, "/planner/keywords/")
    checkboxes = browser.find_elements(By.CSS_SELECTOR, "#items tbody input[type=checkbox]")
    assert len(checkboxes) == 3 and not any(box.is_selected() for box in checkboxes)
    for box in checkboxes:
        box.click()

    # running the function without settings: redirected to the settings page, with the
    # plan's message, the steps to fix it and the way back
    click_and_load(browser, browser.find_element(By.ID, "run-ai"))
    assert browser.current_url == base + "/settings/integration?next=%2Fplanner%2Fkeywords%2F"
    assert text(browser, "#ai-error-message") == (
        f"OpenAI IntegrationSettings not configured for account {alice.id}. "
        "Please configure OpenAI settings in the integration page."
    )
    assert "OpenAI is not set up for your account yet" in text(browser, "#ai-error")
    assert "Enter your OpenAI API key" in text(browser, "#fix-steps")
    assert browser.find_element(By.ID, "back-link").get_attribute("href") == base + "/planner/keywords/"
    browser.shot("configuration-error")
    assert fake_openai.requests == []

    browser.get(base + "/settings/integration")
    assert "Not configured yet." in text(browser, "#integration-state")
    assert all(
        cell.startswith("OpenAI IntegrationSettings not configured") for cell in function_cells(browser).values()
    )
    browser.shot("settings-empty")

    # set model, max_tokens, temperature and the key
    save_settings(browser, api_key=KEY, model="acme-chat-large", max_tokens="1500", temperature="0.2")
    assert "OpenAI settings saved." in browser.page_source
    assert text(browser, "#api-key-state") == "stored (hidden)"
    assert browser.find_element(By.ID, "id_api_key").get_attribute("value") == ""
    assert KEY not in browser.page_source
    assert function_cells(browser) == {name: "acme-chat-large" for name in FUNCTIONS}
    row = IntegrationSettings.objects.get(account=alice)
    assert row.config == {"apiKey": KEY, "model": "acme-chat-large", "max_tokens": 1500, "temperature": 0.2}
    browser.shot("settings-saved")

    # a blank key keeps the stored key; an image model is shown for generate_images
    save_settings(browser, model="acme-chat-xl", image_model="acme-image-1")
    cells = function_cells(browser)
    assert cells["generate_images"] == "acme-image-1" and cells["generate_content"] == "acme-chat-xl"
    row.refresh_from_db()
    assert row.config["apiKey"] == KEY and row.config["model"] == "acme-chat-xl"

    # turned off: no function can run; turned on again: the same row, with its key
    save_settings(browser, is_active=False)
    assert "the integration is off" in browser.page_source
    assert "off" in text(browser, "#integration-state")
    assert all("not configured" in cell for cell in function_cells(browser).values())
    browser.shot("settings-off")
    save_settings(browser, is_active=True)
    assert "on" in text(browser, "#integration-state")
    assert IntegrationSettings.objects.filter(account=alice).count() == 1
    row.refresh_from_db()
    assert row.is_active and row.config["apiKey"] == KEY

    # validation errors are shown, nothing is saved
    save_settings(browser, temperature="5")
    assert "Ensure this value is less than or equal to 2.0." in browser.page_source
    row.refresh_from_db()
    assert row.config["temperature"] == 0.2

    # the function now runs, with the key and model just set
    browser.get(base + "/planner/keywords/")
    for box in browser.find_elements(By.CSS_SELECTOR, "#items tbody input[type=checkbox]"):
        box.click()
    click_and_load(browser, browser.find_element(By.ID, "run-ai"))
    assert "/ai/tasks/" in browser.current_url
    assert (
        text(browser, "#ai-result") == "auto_cluster with model acme-chat-xl: 2 clusters created, 3 keywords clustered."
    )
    assert not browser.find_elements(By.ID, "ai-error")
    click_and_load(browser, browser.find_element(By.ID, "result-link"))
    names = [
        row.find_elements(By.TAG_NAME, "td")[1].text
        for row in browser.find_elements(By.CSS_SELECTOR, "#items tbody tr")
    ]
    assert sorted(names) == ["Coffee", "Tea"]
    browser.shot("function-ran")
    [request] = fake_openai.chat_requests()
    assert request["headers"]["Authorization"] == f"Bearer {KEY}"
    assert (request["body"]["model"], request["body"]["max_tokens"], request["body"]["temperature"]) == (
        "acme-chat-xl",
        1500,
        0.2,
    )
    assert Cluster.objects.filter(account=alice).count() == 2


def test_a_user_without_an_account_is_told_how_to_get_one(browser, live_server, db):
    User.objects.create_user(username="alice", password="alice-pw-4471")
    log_in_url = live_server.url + "/settings/integration"
    browser.get(log_in_url)
    browser.find_element(By.ID, "id_username").send_keys("alice")
    browser.find_element(By.ID, "id_password").send_keys("alice-pw-4471")
    click_and_load(browser, browser.find_element(By.ID, "login-submit"))
    assert 'createaccount "Account name" --user alice' in text(browser, "#no-account")
    browser.shot("no-account")
