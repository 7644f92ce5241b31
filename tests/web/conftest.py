"""
Fixtures of the browser tests: Debian's chromium driven by selenium through chromium-driver,
a fresh profile per test, screenshots kept under tests/web/artifacts/ (or $IGNY8_TEST_ARTIFACTS),
and the fake OpenAI server of tests/runtime.
"""

import importlib.util
import os
import shutil
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
ARTIFACTS = Path(os.environ.get("IGNY8_TEST_ARTIFACTS") or HERE / "artifacts")
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--window-size=1280,1800",
)


def _runtime_fixtures():
    spec = importlib.util.spec_from_file_location("igny8_runtime_fixtures", HERE.parent / "runtime" / "conftest.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


runtime = _runtime_fixtures()


@pytest.fixture
def fake_openai(settings):
    server = runtime.FakeOpenAI()
    server.start()
    settings.OPENAI_API_BASE = server.base_url
    settings.OPENAI_TIMEOUT = 5
    yield server
    server.stop()


def _find(names, env):
    for name in (os.environ.get(env), *names):
        if name and shutil.which(name):
            return shutil.which(name)
    raise RuntimeError(f"{names[0]}: not found (apt-get install chromium chromium-driver, or set {env})")


@pytest.fixture
def browser(tmp_path, request):
    """A headless chromium; `browser.shot(name)` saves a screenshot under the artefacts folder."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = _find(["chromium", "chromium-browser"], "IGNY8_CHROMIUM")
    for flag in CHROMIUM_FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={tmp_path / 'chromium-profile'}")
    service = Service(executable_path=_find(["chromedriver"], "IGNY8_CHROMEDRIVER"))
    driver = webdriver.Chrome(options=options, service=service)
    driver.set_page_load_timeout(60)
    folder = ARTIFACTS / request.node.name
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    counter = iter(range(1, 100))

    def shot(name):
        path = folder / f"{next(counter):02d}-{name}.png"
        assert driver.save_screenshot(str(path)), path
        assert path.stat().st_size > 1000
        return path

    driver.shot = shot
    yield driver
    driver.quit()
