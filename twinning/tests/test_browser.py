"""The registry in a real browser: Debian's chromium driven by Playwright against a served app.

The app runs in a subprocess on its own SQLite file with the reference data, so
the browser sees exactly what `make run` serves. Screenshots go to test-artifacts/.
"""

import os
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlparse

import pytest

CHROMIUM = "/usr/bin/chromium"
ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
# CI sets WAISHI_REQUIRE_BROWSER=1 so that a missing browser fails instead of skipping.
pytestmark = pytest.mark.skipif(
    not os.path.exists(CHROMIUM) and not os.environ.get("WAISHI_REQUIRE_BROWSER"),
    reason="Debian's chromium is not installed",
)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def app_url(tmp_path_factory):
    var = tmp_path_factory.mktemp("browser-var")
    env = dict(os.environ, DATABASE_URL=f"sqlite:///{var / 'db.sqlite3'}", WAISHI_VAR_DIR=str(var), WAISHI_DEBUG="1")
    manage = [sys.executable, str(ROOT / "manage.py")]
    for command in (["migrate", "--noinput"], ["load_reference"], ["load_twinning_reference"]):
        subprocess.run(manage + command, env=env, check=True, capture_output=True)
    subprocess.run(
        manage + ["shell", "-c", "from accounts.models import User; User.objects.create_user("
                  "'clerk', password='Browser-pass-1', role='staff', jurisdiction_id='430000')"],
        env=env, check=True, capture_output=True,
    )
    port = free_port()
    server = subprocess.Popen(manage + ["runserver", "--noreload", f"127.0.0.1:{port}"], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 30
    while time.time() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            break
        except OSError:
            time.sleep(0.2)
    yield f"http://127.0.0.1:{port}"
    server.terminate()
    server.wait(10)


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                  "--disable-sync", "--no-first-run", "--disable-quic"],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, app_url):
    context = browser.new_context(locale="zh-CN")
    page = context.new_page()
    page.outside = []
    page.on("request", lambda r: urlparse(r.url).hostname not in ("127.0.0.1", None) and page.outside.append(r.url))
    page.goto(f"{app_url}/accounts/login/")
    page.fill("input[name=username]", "clerk")
    page.fill("input[name=password]", "Browser-pass-1")
    page.click("button[type=submit]")
    page.wait_for_url(f"{app_url}/twinning/")
    yield page
    context.close()


def test_search_by_pinyin_updates_the_table_in_place(page):
    page.fill("input[name=q]", "zihe")
    page.wait_for_function("document.querySelectorAll('#partnerships tbody tr').length === 1")
    assert "滋贺县" in page.inner_text("#partnerships")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "registry-search.png"), full_page=True)
    assert page.outside == []


def test_statistics_page_draws_its_charts_offline(page, app_url):
    page.goto(f"{app_url}/twinning/stats/?as_of=2018-07-17")
    page.wait_for_selector("#chart-continents canvas")
    page.wait_for_selector("body[data-charts-ready]")
    assert page.inner_text("#kpi-total") == "82"
    assert page.inner_text("#kpi-countries") == "31"
    page.screenshot(path=str(ARTIFACTS / "registry-stats.png"), full_page=True)
    assert page.outside == []


def test_adding_a_partnership_suggests_places_from_the_gazetteer(page, app_url):
    page.goto(f"{app_url}/twinning/new/")
    page.fill("input[name=country]", "日本")
    page.fill("input[name=foreign_name_zh]", "鹿儿岛")
    page.wait_for_selector("#suggestions button")
    page.click("#suggestions button >> nth=0")
    assert page.input_value("input[name=lat]") != ""
    page.screenshot(path=str(ARTIFACTS / "registry-add.png"), full_page=True)
