"""Who sees and changes what, the same in pages, API and exports, for every role."""

from io import BytesIO

import pytest
from openpyxl import load_workbook

from twinning.models import Partnership

pytestmark = pytest.mark.django_db

RECORDS = {  # owner jurisdiction -> a reference partnership it owns
    "province": "滋贺县",
    "changsha": "鹿儿岛市",
    "liuyang": "贝尔德朗市",
    "zhuzhou": "纳沃伊市",
}
# role fixture -> (records it may see, records it may change)
EXPECTED = {
    "province_staff": ({"province", "changsha", "liuyang", "zhuzhou"}, {"province", "changsha", "liuyang", "zhuzhou"}),
    "changsha_staff": ({"changsha", "liuyang"}, {"changsha", "liuyang"}),
    "liuyang_staff": ({"liuyang"}, {"liuyang"}),
    "viewer": ({"province", "changsha", "liuyang", "zhuzhou"}, set()),
    "admin_user": ({"province", "changsha", "liuyang", "zhuzhou"}, {"province", "changsha", "liuyang", "zhuzhou"}),
}
VISIBLE_COUNT = {"province_staff": 82, "changsha_staff": 13, "liuyang_staff": 1, "viewer": 82, "admin_user": 82}


def pk(name):
    return Partnership.objects.get(foreign__name_zh=name).pk


@pytest.fixture(params=sorted(EXPECTED))
def actor(request, client):
    user = request.getfixturevalue(request.param)
    client.force_login(user)
    return request.param, client


def test_detail_page(actor):
    role, client = actor
    can_see, _ = EXPECTED[role]
    for key, name in RECORDS.items():
        status = client.get(f"/twinning/{pk(name)}/").status_code
        assert status == (200 if key in can_see else 404), (role, key)


def test_edit_page(actor):
    role, client = actor
    _, can_change = EXPECTED[role]
    for key, name in RECORDS.items():
        status = client.get(f"/twinning/{pk(name)}/edit/").status_code
        # What one may not change is not there to change: 404, never a form.
        assert status == (200 if key in can_change else 404), (role, key, status)


def test_status_change(actor):
    role, client = actor
    _, can_change = EXPECTED[role]
    for key, name in RECORDS.items():
        response = client.post(f"/twinning/{pk(name)}/status/", {"status": "suspended", "changed_on": "2021-01-01", "reason": "x"})
        changed = Partnership.objects.get(foreign__name_zh=name).status == "suspended"
        assert changed == (key in can_change), (role, key, response.status_code)


def test_list_page(actor):
    role, client = actor
    assert client.get("/twinning/").context["page"].paginator.count == VISIBLE_COUNT[role]


def test_api_list_and_detail(actor):
    role, client = actor
    can_see, _ = EXPECTED[role]
    response = client.get("/api/twinning/partnerships/", {"page_size": 500})
    assert response.json()["count"] == VISIBLE_COUNT[role]
    for key, name in RECORDS.items():
        status = client.get(f"/api/twinning/partnerships/{pk(name)}/").status_code
        assert status == (200 if key in can_see else 404), (role, key)


def test_export(actor):
    role, client = actor
    response = client.get("/twinning/export.xlsx")
    rows = list(load_workbook(BytesIO(response.content)).active.iter_rows(values_only=True))
    assert len(rows) - 1 == VISIBLE_COUNT[role]


def test_create_page_needs_a_writing_role(actor):
    role, client = actor
    status = client.get("/twinning/new/").status_code
    assert status == (403 if role == "viewer" else 200)


def test_anonymous_users_are_sent_to_login(client):
    for url in ["/twinning/", f"/twinning/{pk('滋贺县')}/", "/twinning/export.xlsx", "/twinning/stats/"]:
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    # 401 with WWW-Authenticate: Bearer, since machine clients authenticate by token
    assert client.get("/api/twinning/partnerships/").status_code == 401


def test_exchange_for_another_jurisdiction_is_refused(client, changsha_staff):
    client.force_login(changsha_staff)
    response = client.post("/twinning/exchanges/new/", {
        "partnerships": [pk("纳沃伊市")], "kind": "visit_in", "title": "x", "occurred_on": "2023-01-01",
    })
    assert response.status_code == 200
    assert "partnerships" in response.context["form"].errors
