"""Shared test fixtures: reference data loaded once per run, users of each role,
and a served app with a real browser for the browser tests."""

import os
import socket
import subprocess
import sys
import time
from urllib.parse import urlparse

import pytest
from django.core.management import call_command

from waishi.testing import CHROMIUM, ROOT

# Fixtures of the service engine's first service, used by the engine's tests too.
pytest_plugins = ["trips.tests.fixtures"]


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        from atlas.loaders import load_all as load_atlas
        from geo.loaders import load_all
        from trips.loaders import load_rules
        from twinning.loaders import load_reference_partnerships

        load_all(gazetteer=True)
        load_reference_partnerships()
        load_atlas()
        load_rules()


@pytest.fixture(autouse=True)
def _no_threads(settings):
    settings.WAISHI_IMPORT_THREADS = False
    # Real hashing costs a third of a second per user; tests make many users.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # The second factor is tested in accounts/tests/test_identity.py; elsewhere tests act as logged-in users.
    settings.WAISHI_REQUIRE_2FA = False


@pytest.fixture
def make_user(db):
    from accounts.models import User

    def make(username, role="staff", code="430000", **extra):
        return User.objects.create_user(
            username=username, password="Secret-pass-1", role=role, jurisdiction_id=code, **extra
        )

    return make


@pytest.fixture
def province_staff(make_user):
    return make_user("province", "staff", "430000")


@pytest.fixture
def changsha_staff(make_user):
    return make_user("changsha", "staff", "430100")


@pytest.fixture
def liuyang_staff(make_user):
    return make_user("liuyang", "staff", "430181")


@pytest.fixture
def viewer(make_user):
    return make_user("viewer", "viewer", "430000")


@pytest.fixture
def admin_user(make_user):
    return make_user("root", "admin", "430000", is_superuser=True, is_staff=True)


def client_for(client, user):
    client.force_login(user)
    return client


@pytest.fixture
def call(db):
    return call_command


# --- browser tests ---------------------------------------------------------------
# The app runs in a subprocess on its own SQLite file with the reference data, so
# the browser sees exactly what `make run` serves.

def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def app_url(tmp_path_factory):
    var = tmp_path_factory.mktemp("browser-var")
    env = dict(os.environ, DATABASE_URL=f"sqlite:///{var / 'db.sqlite3'}", WAISHI_VAR_DIR=str(var), WAISHI_DEBUG="1",
               WAISHI_REQUIRE_2FA="0")
    manage = [sys.executable, str(ROOT / "manage.py")]
    for command in (["migrate", "--noinput"], ["load_reference"], ["load_twinning_reference"],
                    ["load_atlas_reference"], ["load_trips_reference"]):
        subprocess.run(manage + command, env=env, check=True, capture_output=True)
    subprocess.run(
        manage + ["shell", "-c", "from accounts.models import User; User.objects.create_user("
                  "'clerk', password='Browser-pass-1', role='staff', jurisdiction_id='430000')"],
        env=env, check=True, capture_output=True,
    )
    subprocess.run(manage + ["shell", "-c", "from trips.tests.browser_world import build; build()"],
                   env=env, check=True, capture_output=True)
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


@pytest.fixture(scope="session")
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
