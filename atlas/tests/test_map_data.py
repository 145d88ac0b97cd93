"""The map's payload: the statistics' as-of rules, the filters, counts per
prefecture and what the public version leaves out."""

from datetime import date

import pytest

from atlas.models import Layer, LayerItem
from geo.countries import members_on
from twinning import stats
from twinning.models import Partnership

pytestmark = pytest.mark.django_db
REPORT_DAY = "2018-07-17"


def rows(payload):
    fields = payload["fields"]["partnerships"]
    return [dict(zip(fields, row, strict=True)) for row in payload["partnerships"]]


@pytest.fixture
def staff_client(client, province_staff):
    client.force_login(province_staff)
    return client


def test_partnerships_drawn_are_those_the_statistics_count(staff_client):
    payload = staff_client.get("/map/data.json", {"as_of": REPORT_DAY}).json()
    official = stats.compute(date(2018, 7, 17), ["sister", "exchange"])
    assert len(payload["partnerships"]) == official["total"] == 82
    counted = payload["home_counts"]["partnerships"]
    assert counted == official["by_prefecture_incl_counties"]
    assert payload["unplaced"] == 2  # two foreign sides of appendix 2 whose place is not known


def test_the_network_grows_with_the_time_slider(staff_client):
    sizes = [len(staff_client.get("/map/data.json", {"as_of": f"{y}-12-31"}).json()["partnerships"])
             for y in (1981, 1990, 2000, 2010, 2017)]
    assert sizes == sorted(sizes)
    assert sizes[0] == 0 and sizes[-1] < 82


def test_an_ended_partnership_leaves_the_map_on_its_end_date(staff_client, province_staff):
    from twinning.services import change_status

    p = Partnership.objects.get(foreign__name_zh="滋贺县")
    change_status(p, status="ended", on=date(2018, 1, 1), reason="test", user=province_staff)
    before = {r["id"] for r in rows(staff_client.get("/map/data.json", {"as_of": "2017-12-31"}).json())}
    after = {r["id"] for r in rows(staff_client.get("/map/data.json", {"as_of": REPORT_DAY}).json())}
    assert p.pk in before and p.pk not in after


@pytest.mark.parametrize(
    ("params", "check"),
    [
        ({"continent": "africa"}, lambda r: r["country"] in {"ZA", "TZ", "CG", "UG"}),
        ({"level": "province"}, lambda r: r["level"] == "province"),
        ({"country": "JP"}, lambda r: r["country"] == "JP"),
        ({"kind": "exchange"}, lambda r: r["kind"] == "exchange"),
    ],
)
def test_filters_change_what_is_drawn(staff_client, params, check):
    everything = rows(staff_client.get("/map/data.json", {"as_of": REPORT_DAY}).json())
    found = rows(staff_client.get("/map/data.json", {"as_of": REPORT_DAY, **params}).json())
    assert all(check(r) for r in found)
    assert len(found) == sum(1 for r in everything if check(r))


def test_group_filter_uses_membership_on_the_date(staff_client):
    found = rows(staff_client.get("/map/data.json", {"as_of": REPORT_DAY, "group": "bri_route"}).json())
    members = members_on("bri_route", date(2018, 7, 17))
    assert found and all(r["country"] in members for r in found)
    assert len(found) == stats.compute(date(2018, 7, 17), ["sister", "exchange"])["bri_route"]
    assert rows(staff_client.get("/map/data.json", {"as_of": "2014-12-31", "group": "bri_route"}).json()) == []


def test_gaps_on_the_day_of_the_report(staff_client):
    gaps = staff_client.get("/map/data.json", {"as_of": REPORT_DAY}).json()["gaps"]
    assert gaps["continents_without_province"] == ["oceania"]
    assert gaps["majors_without_province"] == ["AR", "AU", "BR", "CA", "GB", "ID", "IN", "KR", "MX", "SA", "TR"]
    assert gaps["prefectures_without_africa"] == [
        "430400", "430500", "430600", "430700", "430800", "430900", "431100", "431200", "431300",
    ]
    assert "oceania" not in gaps["continents_without_by_level"]["prefecture"]


def test_gaps_of_a_country_group(staff_client):
    payload = staff_client.get("/map/data.json", {"as_of": REPORT_DAY, "group": "asean", "level": "province"}).json()
    assert payload["gaps"]["group"] == "asean"
    assert "VN" not in payload["gaps"]["group_without"]  # 义安省 since 2001
    assert "TH" in payload["gaps"]["group_without"]


def test_items_appear_from_their_date(staff_client):
    layer = Layer.objects.create(code="t-dated", name_zh="测试", owner_id="430000", visibility="public", map="world")
    LayerItem.objects.create(layer=layer, name_zh="2020年项目", lat=-18.9, lon=47.5, country_id="MG",
                             on=date(2020, 1, 1), date_precision="year")
    LayerItem.objects.create(layer=layer, name_zh="无日期", lat=-18.9, lon=47.5, country_id="MG")

    def names(as_of):
        payload = staff_client.get("/map/data.json", {"as_of": as_of}).json()
        layer_rows = next(x for x in payload["layers"] if x["code"] == "t-dated")["items"]
        return sorted(row[1] for row in layer_rows)

    assert names("2019-12-31") == ["无日期"]
    assert names("2020-06-30") == ["2020年项目", "无日期"]


def test_country_filters_apply_to_world_items(staff_client, layers):
    payload = staff_client.get("/map/data.json", {"continent": "africa"}).json()
    by_code = {x["code"]: x["items"] for x in payload["layers"]}
    assert by_code["t-commerce"] == []  # Minsk is in Europe
    assert len(by_code["t-internal"]) == 1  # Dar es Salaam
    assert len(by_code["t-changsha"]) == 1  # home-map items are not filtered by country


def test_home_layer_counts_by_prefecture(staff_client, layers):
    counts = staff_client.get("/map/data.json").json()["home_counts"]["t-changsha"]
    assert counts["430100"] == 1 and sum(counts.values()) == 1 and len(counts) == 14


def test_bad_dates_are_refused(staff_client):
    response = staff_client.get("/map/data.json", {"as_of": "17/07/2018"})
    assert response.status_code == 400
    assert "as_of" in response.json()["errors"]


def test_public_map_leaves_out_internal_layers_and_unpublished_partnerships(client, layers):
    hidden = Partnership.objects.get(foreign__name_zh="滋贺县")
    hidden.published = False
    hidden.save()
    payload = client.get("/public/map/data.json").json()
    assert {x["code"] for x in payload["layers"]} & {"t-commerce", "t-internal", "t-changsha"} == {"t-commerce"}
    found = rows(payload)
    assert hidden.pk not in {r["id"] for r in found}
    assert all(r["vitality"] is None and r["link"] is False for r in found)
    assert client.get("/public/map").status_code == 200


def test_staff_see_vitality_of_their_own_jurisdiction_only(client, changsha_staff):
    client.force_login(changsha_staff)
    found = rows(client.get("/map/data.json").json())
    changsha = [r for r in found if r["cn"].startswith("4301")]
    others = [r for r in found if not r["cn"].startswith("4301")]
    assert changsha and all(r["vitality"] and r["link"] for r in changsha)
    assert others and all(r["vitality"] is None and not r["link"] for r in others)


def test_outlines_are_served_from_the_app(client):
    world = client.get("/map/geo/world.json")
    assert world.status_code == 200 and world["Content-Type"] == "application/geo+json"
    home = client.get("/map/geo/home.json").json()
    assert len(home["features"]) == 14
    assert client.get("/map/geo/elsewhere.json").status_code == 404


def test_every_gap_is_defined_in_the_docs():
    from pathlib import Path

    from django.conf import settings

    from atlas import gaps

    doc = (Path(settings.BASE_DIR) / "docs" / "statistics.md").read_text(encoding="utf-8")
    for key in gaps.DEFINITIONS:
        assert f"`{key}`" in doc, key
