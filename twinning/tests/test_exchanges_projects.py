"""Exchanges linked to partnerships, the timeline, projects' life cycle, anniversaries."""

from datetime import date

import pytest

from twinning.models import Exchange, Partnership, Project
from twinning.selectors import anniversaries

pytestmark = pytest.mark.django_db


def pk(name):
    return Partnership.objects.get(foreign__name_zh=name).pk


@pytest.fixture
def staff(client, province_staff):
    client.force_login(province_staff)
    return client


def test_record_an_exchange_linked_to_two_partnerships(staff):
    response = staff.post("/twinning/exchanges/new/", {
        "partnerships": [pk("滋贺县"), pk("鹿儿岛市")], "kind": "visit_out", "title": "赴日访问",
        "occurred_on": "2024-05-01", "delegation_size": "6", "description": "经贸交流",
    })
    assert response.status_code == 302
    exchange = Exchange.objects.get(title="赴日访问")
    assert exchange.partnerships.count() == 2
    assert exchange.owner_id == "430000"  # the common owner of province and 长沙
    detail = staff.get(f"/twinning/{pk('鹿儿岛市')}/").content.decode()
    assert "赴日访问" in detail


def test_exchange_owner_is_the_deepest_common_jurisdiction(client, changsha_staff):
    client.force_login(changsha_staff)
    client.post("/twinning/exchanges/new/", {
        "partnerships": [pk("鹿儿岛市"), pk("贝尔德朗市")], "kind": "online", "title": "视频会见",
        "occurred_on": "2024-05-01",
    })
    assert Exchange.objects.get(title="视频会见").owner_id == "430100"


def test_future_exchange_is_refused_and_typed_values_are_kept(staff):
    response = staff.post("/twinning/exchanges/new/", {
        "partnerships": [pk("滋贺县")], "kind": "visit_in", "title": "未来访问", "occurred_on": "2999-01-01",
    })
    assert response.status_code == 200
    assert "occurred_on" in response.context["form"].errors
    assert "未来访问" in response.content.decode()


def test_project_life_cycle_goes_forward_only(staff):
    response = staff.post("/twinning/projects/new/", {
        "partnerships": [pk("滋贺县")], "title": "洞庭湖—琵琶湖水资源合作", "sector": "环保",
        "proposed_on": "2019-04-01",
    })
    project = Project.objects.get(title="洞庭湖—琵琶湖水资源合作")
    assert response.status_code == 302 and project.stage == "proposed"
    for stage in ("tracked", "evaluated", "delivered"):
        staff.post(f"/twinning/projects/{project.pk}/", {"stage": stage, "on": "2020-01-01", "note": stage})
        project.refresh_from_db()
        assert project.stage == stage
    response = staff.post(f"/twinning/projects/{project.pk}/", {"stage": "tracked", "on": "2020-02-01"})
    project.refresh_from_db()
    assert project.stage == "delivered" and "stage" in response.context["form"].errors
    assert [u.stage for u in project.updates.all()] == ["proposed", "tracked", "evaluated", "delivered"]


def test_anniversaries_of_the_coming_twelve_months():
    found = anniversaries(Partnership.objects.all(), today=date(2018, 7, 17))
    assert len(found) == 82  # every pair signed before 2018-07-17 has one in the next 12 months
    first = found[0]
    assert first.on >= date(2018, 7, 17)
    shiga = next(a for a in found if a.partnership.foreign.name_zh == "滋贺县")
    assert (shiga.on, shiga.years, shiga.round) == (date(2019, 3, 25), 36, False)
    kagoshima = next(a for a in found if a.partnership.foreign.name_zh == "鹿儿岛市")
    assert kagoshima.years == 36


def test_anniversaries_page(client, viewer):
    client.force_login(viewer)
    response = client.get("/twinning/anniversaries/")
    assert response.status_code == 200
    assert len(response.context["anniversaries"]) > 0
