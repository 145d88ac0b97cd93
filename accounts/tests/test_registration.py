"""Units register once with their first clerk; the office of their jurisdiction activates them."""

import pytest

from accounts.models import Unit, User

pytestmark = pytest.mark.django_db

FORM = {
    "unit_name": "长沙某某科技有限公司", "kind": "company", "credit_code": "91430100MA4L000000",
    "jurisdiction": "430100", "username": "kejiclerk", "first_name": "刘专办", "email": "liu@example.org",
    "password1": "Unit-pass-2026", "password2": "Unit-pass-2026",
}


def test_a_unit_registers_and_waits_for_the_office(client):
    response = client.post("/accounts/register/", FORM)
    assert response.status_code == 200 and 'id="registered"' in response.content.decode()
    unit = Unit.objects.get(name_zh=FORM["unit_name"])
    clerk = User.objects.get(username="kejiclerk")
    assert not unit.active and not clerk.is_active and clerk.role == "clerk" and clerk.unit == unit
    response = client.post("/accounts/login/", {"username": "kejiclerk", "password": "Unit-pass-2026"})
    assert response.status_code == 200 and "_auth_user_id" not in client.session


def test_bad_registrations_say_why_and_keep_what_was_typed(client):
    body = client.post("/accounts/register/", {**FORM, "credit_code": "123", "password2": "x"}).content.decode()
    assert "18" in body and 'value="长沙某某科技有限公司"' in body
    assert not Unit.objects.filter(name_zh=FORM["unit_name"]).exists()
    client.post("/accounts/register/", FORM)
    body = client.post("/accounts/register/", {**FORM, "username": "another"}).content.decode()
    assert "已经注册" in body


@pytest.mark.parametrize(("office", "may"), [("province", True), ("changsha", True), ("zhuzhou", False)])
def test_the_office_of_the_jurisdiction_activates(client, make_user, office, may):
    client.post("/accounts/register/", FORM)
    unit = Unit.objects.get(name_zh=FORM["unit_name"])
    code = {"province": "430000", "changsha": "430100", "zhuzhou": "430200"}[office]
    client.force_login(make_user(office, "staff", code))
    listed = FORM["unit_name"] in client.get("/accounts/units/").content.decode()
    response = client.post(f"/accounts/units/{unit.pk}/activate/")
    unit.refresh_from_db()
    assert listed == may and unit.active == may and response.status_code == (302 if may else 404)
    assert User.objects.get(username="kejiclerk").is_active == may


def test_only_office_staff_see_units(client, make_user):
    client.force_login(make_user("v", "viewer", "430000"))
    assert client.get("/accounts/units/").status_code == 403
