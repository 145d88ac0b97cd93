"""Browsing the registry: search in Chinese, English and pinyin; filters; export of what the filters show."""

from io import BytesIO

import pytest
from openpyxl import load_workbook

pytestmark = pytest.mark.django_db


@pytest.fixture
def browsing(client, viewer):
    client.force_login(viewer)
    return client


def names(response):
    return [p.foreign.name_zh for p in response.context["page"]]


@pytest.mark.parametrize("query", ["zihe", "Shiga", "滋贺", "zhx", "SHIGA prefecture"])
def test_search_finds_shiga(browsing, query):
    response = browsing.get("/twinning/", {"q": query})
    assert "滋贺县" in names(response)


def test_search_by_chinese_side_pinyin(browsing):
    response = browsing.get("/twinning/", {"q": "zhijiang"})
    assert set(names(response)) >= {"格朗康迈西市", "松鹤市", "基洛夫斯克市"}


def test_filter_by_level(browsing):
    response = browsing.get("/twinning/", {"level": "province"})
    assert response.context["page"].paginator.count == 18


def test_filter_by_country_and_continent(browsing):
    assert browsing.get("/twinning/", {"country": "US"}).context["page"].paginator.count == 15
    assert browsing.get("/twinning/", {"continent": "oceania"}).context["page"].paginator.count == 4


def test_filter_by_country_group(browsing):
    assert browsing.get("/twinning/", {"group": "bri_route"}).context["page"].paginator.count == 21


def test_filter_by_signing_period(browsing):
    response = browsing.get("/twinning/", {"signed_from": "2016-01-01", "signed_to": "2016-12-31"})
    assert all(p.signed_on.year == 2016 for p in response.context["page"])
    assert response.context["page"].paginator.count == 7


def test_filter_by_chinese_side_includes_counties(browsing):
    response = browsing.get("/twinning/", {"division": "430100"})
    assert response.context["page"].paginator.count == 13  # 长沙 12 + 浏阳 1


def test_filter_by_vitality(browsing):
    # No exchanges in the reference data: no office has recorded any, so none is judged dormant yet.
    def count(vitality):
        return browsing.get("/twinning/", {"vitality": vitality}).context["page"].paginator.count

    assert count("no_records") == 82
    assert count("dormant") == count("unstable") == count("active") == 0


def test_sorting(browsing):
    response = browsing.get("/twinning/", {"sort": "-signed_on"})
    dates = [p.signed_on for p in response.context["page"]]
    assert dates == sorted(dates, reverse=True)


def test_htmx_request_returns_only_the_table(browsing):
    response = browsing.get("/twinning/", {"q": "zihe"}, HTTP_HX_REQUEST="true")
    assert b"<html" not in response.content
    assert "滋贺县" in response.content.decode()


def test_export_holds_exactly_what_the_filters_show(browsing):
    response = browsing.get("/twinning/export.xlsx", {"continent": "africa"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = list(load_workbook(BytesIO(response.content)).active.iter_rows(values_only=True))
    assert len(rows) - 1 == 7
    assert {r[3] for r in rows[1:]} >= {"布拉柴维尔市", "恩德培市", "姆索马市"}


def test_english_interface(browsing):
    browsing.cookies["django_language"] = "en"
    response = browsing.get("/twinning/", {"q": "Shiga"}, HTTP_ACCEPT_LANGUAGE="en")
    assert "Japan" in response.content.decode()


def test_chinese_is_the_default(browsing):
    response = browsing.get("/twinning/", {"q": "Shiga"})
    assert "日本" in response.content.decode()


def test_the_country_filter_takes_any_name_and_refuses_ambiguous_ones(client, province_staff):
    client.force_login(province_staff)
    by_code = client.get("/api/twinning/partnerships/?country=JP").json()
    by_name = client.get("/api/twinning/partnerships/?country=日本").json()
    by_english = client.get("/api/twinning/partnerships/?country=Japan").json()
    assert by_code["count"] == by_name["count"] == by_english["count"] > 0
    response = client.get("/api/twinning/partnerships/?country=Congo")
    assert response.status_code == 400
    assert "CG" in str(response.json()) or "刚果" in str(response.json())
    assert client.get("/twinning/?country=UK").status_code == 200
