"""Each role lands on the page of its work after logging in; a local `next` wins, through the
password change and the second factor too; a `next` off the site is ignored."""

import pytest
from django_otp.oath import totp

pytestmark = pytest.mark.django_db
PASSWORD = "Secret-pass-1"


def log_in(client, username, next_url=None):
    url = "/accounts/login/" + (f"?next={next_url}" if next_url else "")
    return client.post(url, {"username": username, "password": PASSWORD})


@pytest.mark.parametrize(("role", "landing"), [
    ("clerk", "/trips/"), ("unit_reviewer", "/services/"), ("staff", "/twinning/"), ("viewer", "/twinning/"),
    ("liaison", "/twinning/"), ("security_admin", "/accounts/users/"), ("audit_admin", "/accounts/audit/"),
])
def test_each_role_lands_on_its_own_page(client, make_user, role, landing):
    make_user(f"u-{role}", role)
    response = log_in(client, f"u-{role}")
    assert response.status_code == 302 and response["Location"] == landing
    assert client.get("/")["Location"] == landing


def test_the_root_sends_an_anonymous_visitor_to_the_login_page(client):
    assert client.get("/")["Location"] == "/accounts/login/"


def test_a_local_next_wins_over_the_landing_page(client, make_user):
    make_user("clerk", "clerk")
    assert log_in(client, "clerk", "/map/")["Location"] == "/map/"


def test_a_next_off_the_site_is_ignored(client, make_user):
    make_user("clerk", "clerk")
    assert log_in(client, "clerk", "https://evil.example/")["Location"] == "/trips/"


def test_a_reviewer_reaches_the_desk_through_the_second_factor(client, make_user, settings):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    settings.WAISHI_REQUIRE_2FA = True
    make_user("reviewer", "unit_reviewer")
    landing = log_in(client, "reviewer")["Location"]
    assert landing == "/services/"
    setup = client.get(landing)["Location"]
    assert setup == "/accounts/otp/setup/?next=%2Fservices%2F"
    client.get(setup)
    device = TOTPDevice.objects.get(user__username="reviewer")
    token = f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"
    assert client.post(setup, {"token": token})["Location"] == "/services/"


def test_the_second_factor_ignores_a_next_off_the_site(client, make_user, settings):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    settings.WAISHI_REQUIRE_2FA = True
    make_user("reviewer", "unit_reviewer")
    log_in(client, "reviewer")
    client.get("/accounts/otp/setup/")
    device = TOTPDevice.objects.get(user__username="reviewer")
    token = f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"
    response = client.post("/accounts/otp/setup/?next=https://evil.example/", {"token": token})
    assert response["Location"] == "/services/"
