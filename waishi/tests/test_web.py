"""The web hardening of a level-3 system: headers on every page, CSRF, and a
production configuration that `check --deploy` passes without a warning."""

import os
import subprocess
import sys

import pytest

from waishi.testing import ROOT

pytestmark = pytest.mark.django_db


def test_pages_carry_the_security_headers(client):
    response = client.get("/accounts/login/")
    csp = response["Content-Security-Policy"]
    script_src = next(d for d in csp.split(";") if d.strip().startswith("script-src"))
    assert "'self'" in script_src and "unsafe-inline" not in script_src and "unsafe-eval" not in script_src
    assert "frame-ancestors 'none'" in csp and "object-src 'none'" in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_no_template_has_an_inline_script():
    for path in list(ROOT.glob("templates/**/*.html")) + list(ROOT.glob("*/templates/**/*.html")):
        text = path.read_text(encoding="utf-8")
        for chunk in text.split("<script")[1:]:
            head = chunk.split(">", 1)[0]
            assert "src=" in head or "json" in head, (path, head)
        assert " on" + "click=" not in text and " on" + "load=" not in text, path


def test_forms_are_protected_against_csrf(make_user):
    from django.test import Client

    make_user("csrf", "staff")
    client = Client(enforce_csrf_checks=True)
    client.force_login(make_user("csrf2", "staff"))
    assert client.post("/twinning/new/", {}).status_code == 403
    assert client.post("/api/trips/check", {}, content_type="application/json").status_code == 403


def test_production_settings_pass_the_deploy_check(tmp_path):
    env = dict(os.environ, WAISHI_ENV="production", WAISHI_SECRET_KEY="x" * 20 + "-production-key-" + "y" * 30,
               WAISHI_ALLOWED_HOSTS="waishi.example.gov.cn", WAISHI_VAR_DIR=str(tmp_path),
               DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}")
    result = subprocess.run([sys.executable, str(ROOT / "manage.py"), "check", "--deploy", "--fail-level", "WARNING"],
                            env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_a_default_secret(tmp_path):
    env = dict(os.environ, WAISHI_ENV="production", WAISHI_VAR_DIR=str(tmp_path))
    env.pop("WAISHI_SECRET_KEY", None)
    result = subprocess.run([sys.executable, str(ROOT / "manage.py"), "check"], env=env, capture_output=True,
                            text=True)
    assert result.returncode != 0 and "WAISHI_SECRET_KEY" in result.stderr


@pytest.mark.parametrize("url", ["/trips/?q=%00", "/trips/?state=%00", "/twinning/?q=a%00b", "/map/data.json?as_of=%00"])
def test_a_nul_character_is_refused_before_any_view(client, province_staff, url):
    client.force_login(province_staff)
    assert client.get(url).status_code == 400


def test_a_nul_character_in_a_form_is_refused(client, province_staff):
    client.force_login(province_staff)
    assert client.post("/twinning/new/", {"foreign_name_zh": "a\x00b"}).status_code == 400
