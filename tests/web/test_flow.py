"""
A new user walks through the whole flow in headless chromium, against a real runserver, a
real `celery -A igny8_core worker` on the embedded broker and the fake OpenAI server:
sign in, add keywords, hit an AI action unconfigured, get redirected to the settings page,
configure, come back, and run the five AI functions through the pages; and the progress
page polling a run that the worker is still inside. Screenshots are kept under the artefacts
folder (printed), one per step, the last ones at 390 px wide.
"""

import sys
from pathlib import Path

from selenium.common.exceptions import WebDriverException
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "runtime"))
from test_project import free_port, manage, project_env  # noqa: E402
from test_worker import PASSWORD, Process, call, onboard, wait_for_http, worker_process  # noqa: E402

KEY = "sk-flow-3c8e1a7f5d2b9e4c6a0d"
MODEL = "flow-chat-large"
IMAGE_MODEL = "flow-image-1"


def click_and_load(browser, element):
    """Click a link or submit button and wait until the next page has replaced this one and loaded."""
    browser.execute_script("window.igny8PageBeforeClick = true;")
    element.click()

    def next_page_loaded(driver):
        return driver.execute_script(
            'return window.igny8PageBeforeClick === undefined && document.readyState === "complete";'
        )

    WebDriverWait(browser, 30, ignored_exceptions=(WebDriverException,)).until(next_page_loaded)


def text(browser, css):
    return browser.find_element(By.CSS_SELECTOR, css).text


def select_all(browser):
    boxes = browser.find_elements(By.CSS_SELECTOR, "#items tbody input[type=checkbox]")
    assert boxes and not any(box.is_selected() for box in boxes)  # nothing is pre-selected
    for box in boxes:
        box.click()
    return len(boxes)


def wait_for_task(browser, worker, timeout=90):
    """On the progress page (which reloads itself): wait until the task has ended; its status."""
    assert "/ai/tasks/" in browser.current_url

    def ended(driver):
        status = driver.find_element(By.ID, "task").get_attribute("data-status")
        return status if status in ("succeeded", "failed") else False

    try:
        return WebDriverWait(browser, timeout, poll_frequency=0.3, ignored_exceptions=(WebDriverException,)).until(
            ended
        )
    except Exception:
        raise AssertionError(f"the task did not end:\n{browser.page_source[-2000:]}\n{worker.output[-4000:]}")


def run_on_page(browser, worker, path, label):
    """Select every row of the list page `path`, run its AI action, follow it to its end."""
    base = browser.igny8_base
    browser.get(base + path)
    count = select_all(browser)
    button = browser.find_element(By.ID, "run-ai")
    click_and_load(browser, button)
    status = wait_for_task(browser, worker)
    browser.shot(label)
    assert status == "succeeded", text(browser, "#task")
    return count, text(browser, "#ai-result")


def test_a_new_user_runs_the_whole_flow_through_the_pages(tmp_path, browser, fake_openai):
    assert manage(tmp_path, "migrate", "--noinput").returncode == 0
    onboard(tmp_path, "alice", "Acme")
    env = {**project_env(tmp_path), "IGNY8_OPENAI_API_BASE": fake_openai.base_url}
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    browser.igny8_base = base
    server = Process([sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"], env)
    worker = worker_process(env)
    try:
        wait_for_http(base, server)
        worker.wait_for(" ready.")

        # sign in
        browser.get(base + "/planner/keywords/")
        assert "/accounts/login/" in browser.current_url
        browser.find_element(By.ID, "id_username").send_keys("alice")
        browser.find_element(By.ID, "id_password").send_keys(PASSWORD)
        print(f"\nscreenshots: {browser.shot('login').parent}")
        click_and_load(browser, browser.find_element(By.ID, "login-submit"))
        assert browser.current_url == base + "/planner/keywords/"

        # add keywords (one per line)
        browser.find_element(By.ID, "id_keywords").send_keys(
            "coffee grinder\ncoffee beans\ntea kettle\ntea leaves green"
        )
        browser.find_element(By.ID, "id_volume").send_keys("120")
        click_and_load(browser, browser.find_element(By.ID, "add-keywords"))
        assert browser.current_url == base + "/planner/keywords/"  # POST-redirect-GET
        assert "4 keyword(s) added." in browser.page_source
        browser.shot("keywords-added")

        # an AI action without settings: straight to the settings page, with the way back
        select_all(browser)
        click_and_load(browser, browser.find_element(By.ID, "run-ai"))
        assert browser.current_url == base + "/settings/integration?next=%2Fplanner%2Fkeywords%2F"
        assert text(browser, "#ai-error-message").startswith("OpenAI IntegrationSettings not configured for account ")
        assert len(browser.find_elements(By.CSS_SELECTOR, "#fix-steps li")) == 4
        browser.shot("redirected-to-settings")
        assert fake_openai.requests == []

        # configure: a key that cannot work is refused, then the right one; back to the keywords
        browser.find_element(By.ID, "id_api_key").send_keys(KEY + "\u201d")
        browser.find_element(By.ID, "id_model").send_keys(MODEL)
        click_and_load(browser, browser.find_element(By.ID, "save-settings"))
        assert "printable ASCII" in browser.page_source
        browser.shot("key-refused")
        browser.find_element(By.ID, "id_api_key").send_keys(KEY)
        model = browser.find_element(By.ID, "id_model")
        model.clear()
        model.send_keys(MODEL)
        browser.find_element(By.ID, "id_image_model").send_keys(IMAGE_MODEL)
        click_and_load(browser, browser.find_element(By.ID, "save-settings"))
        assert browser.current_url == base + "/planner/keywords/"
        assert "OpenAI is ready: run the function again." in browser.page_source
        browser.shot("back-on-keywords")

        # the five functions, each through its page and the worker
        count, result = run_on_page(browser, worker, "/planner/keywords/", "auto-cluster-done")
        assert count == 4
        assert result == f"auto_cluster with model {MODEL}: 2 clusters created, 4 keywords clustered."
        click_and_load(browser, browser.find_element(By.ID, "result-link"))
        assert browser.current_url == base + "/planner/clusters/"

        count, result = run_on_page(browser, worker, "/planner/clusters/", "generate-ideas-done")
        assert count == 2 and result == f"generate_ideas with model {MODEL}: 4 ideas created."

        browser.get(base + "/planner/ideas/")
        ideas = browser.find_elements(By.CSS_SELECTOR, "#items tbody tr")
        assert len(ideas) == 4
        click_and_load(browser, ideas[0].find_element(By.CSS_SELECTOR, "button.row-action"))
        assert 'Writer task "Coffee: a complete guide" created.' in browser.page_source
        browser.shot("idea-to-task")

        count, result = run_on_page(browser, worker, "/writer/tasks/", "generate-content-done")
        assert count == 1 and result == f"generate_content with model {MODEL}: 1 articles written."

        count, result = run_on_page(browser, worker, "/writer/content/", "generate-image-prompts-done")
        assert count == 1 and result == f"generate_image_prompts with model {MODEL}: 3 image prompts written."

        count, result = run_on_page(browser, worker, "/writer/images/", "generate-images-done")
        assert count == 3 and result == f"generate_images with model {IMAGE_MODEL}: 3 images generated."
        click_and_load(browser, browser.find_element(By.ID, "result-link"))
        cells = [
            row.find_elements(By.TAG_NAME, "td") for row in browser.find_elements(By.CSS_SELECTOR, "#items tbody tr")
        ]
        assert [c[4].text for c in cells] == [f"https://images.example.test/{n}.png" for n in (1, 2, 3)]
        assert {c[5].text for c in cells} == {"generated"}

        # OpenAI saw the account's key and models, one request per step
        assert [r["body"]["model"] for r in fake_openai.chat_requests()] == [MODEL] * 4
        assert [r["body"]["model"] for r in fake_openai.image_requests()] == [IMAGE_MODEL] * 3
        assert {r["headers"]["Authorization"] for r in fake_openai.requests} == {f"Bearer {KEY}"}
        assert worker.output.count("run_ai_task function=") == 5

        # edit and delete an item
        browser.get(base + "/planner/keywords/")
        row = browser.find_elements(By.CSS_SELECTOR, "#items tbody tr")[0]
        click_and_load(browser, row.find_element(By.LINK_TEXT, "Edit"))
        field = browser.find_element(By.ID, "id_keyword")
        field.clear()
        field.send_keys("burr coffee grinder")
        click_and_load(browser, browser.find_element(By.ID, "save-item"))
        assert browser.current_url == base + "/planner/keywords/"
        assert "burr coffee grinder" in text(browser, "#items")
        row = browser.find_elements(By.CSS_SELECTOR, "#items tbody tr")[-1]
        click_and_load(browser, row.find_element(By.CSS_SELECTOR, "button.danger"))
        assert "tea leaves green" not in text(browser, "#items")
        assert len(browser.find_elements(By.CSS_SELECTOR, "#items tbody tr")) == 3

        # at 390 px every page fits the screen (wide tables scroll inside their box)
        browser.set_window_size(390, 844)
        for path, label in [
            ("/planner/keywords/", "phone-keywords"),
            ("/writer/images/", "phone-images"),
            ("/settings/integration", "phone-settings"),
        ]:
            browser.get(base + path)
            width = browser.execute_script("return document.documentElement.scrollWidth")
            viewport = browser.execute_script("return window.innerWidth")
            assert width <= viewport, (path, width, viewport)
            browser.shot(label)
        assert "Traceback" not in server.output
    finally:
        worker.stop()
        server.stop()


def test_the_progress_page_polls_while_the_worker_runs(tmp_path, browser, fake_openai):
    """OpenAI is slow: the progress page shows the running task and reloads itself until it has succeeded."""
    assert manage(tmp_path, "migrate", "--noinput").returncode == 0
    onboard(tmp_path, "bob", "Globex")
    fake_openai.mode = "timeout"  # holds every request until released
    fake_openai.sleep_seconds = 120
    env = {**project_env(tmp_path), "IGNY8_OPENAI_API_BASE": fake_openai.base_url, "IGNY8_OPENAI_TIMEOUT": "120"}
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = Process([sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"], env)
    worker = worker_process(env)
    try:
        wait_for_http(base, server)
        worker.wait_for(" ready.")
        status, body = call(
            base, "PUT", "/api/v1/system/integrations/openai/", "bob", {"config": {"apiKey": KEY, "model": MODEL}}
        )
        assert status == 200, body
        status, body = call(base, "POST", "/api/v1/planner/keywords/", "bob", {"keyword": "tea kettle"})
        assert status == 201, body

        browser.get(base + "/planner/keywords/")
        browser.find_element(By.ID, "id_username").send_keys("bob")
        browser.find_element(By.ID, "id_password").send_keys(PASSWORD)
        click_and_load(browser, browser.find_element(By.ID, "login-submit"))
        select_all(browser)
        click_and_load(browser, browser.find_element(By.ID, "run-ai"))
        assert "/ai/tasks/" in browser.current_url

        def running(driver):
            return driver.find_element(By.ID, "task").get_attribute("data-status") == "running"

        WebDriverWait(browser, 60, poll_frequency=0.2, ignored_exceptions=(WebDriverException,)).until(running)
        assert "the worker is running it" in text(browser, "#task-progress")
        assert browser.find_elements(By.CSS_SELECTOR, 'meta[http-equiv="refresh"]')
        browser.shot("running")
        fake_openai.released.set()
        assert wait_for_task(browser, worker) == "succeeded"
        assert (
            text(browser, "#ai-result") == f"auto_cluster with model {MODEL}: 1 clusters created, 1 keywords clustered."
        )
        assert not browser.find_elements(By.CSS_SELECTOR, 'meta[http-equiv="refresh"]')
        browser.shot("succeeded")
    finally:
        fake_openai.released.set()
        worker.stop()
        server.stop()
