"""Signing dates are shown as the source gave them (a year, a month or a day) in every page, export, API and
the map; the map's time slider counts a partnership from the end of its signing period; anniversaries of
a year-precision signing fall in a year with no invented day; exchanges before the signing are marked."""

from datetime import date
from io import BytesIO

import pytest
from openpyxl import load_workbook

from twinning.models import Exchange, Partnership
from twinning.selectors import anniversaries

pytestmark = pytest.mark.django_db


@pytest.fixture
def shiga():
    """Known only as "1983年"."""
    p = Partnership.objects.get(foreign__name_zh="滋贺县")
    p.signed_on, p.signed_precision = date(1983, 1, 1), "year"
    p.save()
    return p


@pytest.fixture
def colorado():
    """Known only as "1984年1月"."""
    p = Partnership.objects.get(foreign__name_zh="科罗拉多州")
    p.signed_on, p.signed_precision = date(1984, 1, 1), "month"
    p.save()
    return p


@pytest.fixture
def staff(client, province_staff):
    client.force_login(province_staff)
    return client


def test_list_and_detail_show_the_date_as_given(staff, shiga, colorado):
    listing = staff.get("/twinning/", {"level": "province"}).content.decode()
    assert "1983年" in listing and "1984年1月" in listing and "1986年9月15日" in listing
    assert "1983-01-01" not in listing and "1983年1月1日" not in listing and "1984-01-01" not in listing
    detail = staff.get(f"/twinning/{shiga.pk}/").content.decode()
    assert "1983年" in detail and "1983-01-01" not in detail and "1983年1月1日" not in detail


def test_english_pages_show_the_year_alone(staff, shiga):
    staff.cookies["django_language"] = "en"
    detail = staff.get(f"/twinning/{shiga.pk}/").content.decode()
    assert "<td>1983</td>" in detail and "1983-01-01" not in detail


def test_the_export_writes_the_date_as_given(staff, shiga, colorado):
    sheet = load_workbook(BytesIO(staff.get("/twinning/export.xlsx", {"level": "province"}).content)).active
    header = [c.value for c in sheet[1]]
    signed = {row[header.index("外方")]: row[header.index("结好时间")] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert signed["滋贺县"] == "1983年" and signed["科罗拉多州"] == "1984年1月" and signed["埃诺省"] == "1986年9月15日"


def test_the_api_gives_the_date_with_its_precision(staff, shiga, colorado):
    results = {r["foreign_name_zh"]: r for r in staff.get("/api/twinning/partnerships/", {"level": "province"}).json()["results"]}
    assert (results["滋贺县"]["signed_on"], results["滋贺县"]["signed_precision"]) == ("1983", "year")
    assert (results["科罗拉多州"]["signed_on"], results["科罗拉多州"]["signed_precision"]) == ("1984-01", "month")
    assert (results["埃诺省"]["signed_on"], results["埃诺省"]["signed_precision"]) == ("1986-09-15", "day")


def map_rows(client, as_of):
    payload = client.get("/map/data.json", {"as_of": as_of}).json()
    fields = payload["fields"]["partnerships"]
    return {r["id"]: r for r in (dict(zip(fields, row, strict=True)) for row in payload["partnerships"])}


def test_the_map_hover_shows_the_date_as_given(staff, shiga, colorado):
    rows = map_rows(staff, "2018-07-17")
    assert rows[shiga.pk]["signed"] == "1983年" and rows[colorado.pk]["signed"] == "1984年1月"


def test_the_time_slider_counts_a_year_signing_from_the_end_of_that_year(staff, shiga):
    assert shiga.pk not in map_rows(staff, "1983-06-30")
    assert shiga.pk in map_rows(staff, "1983-12-31")


def test_a_year_precision_anniversary_falls_in_its_year_without_a_day(shiga):
    found = {a.partnership.pk: a for a in anniversaries(Partnership.objects.all(), today=date(2023, 11, 20))}
    assert (found[shiga.pk].on, found[shiga.pk].precision, found[shiga.pk].years) == (date(2023, 1, 1), "year", 40)
    assert found[shiga.pk].round


def test_a_year_precision_anniversary_is_listed_all_year_and_the_signing_year_has_none(shiga):
    def anniversary(today):
        return {a.partnership.pk: a for a in anniversaries(Partnership.objects.all(), today=today)}.get(shiga.pk)

    assert anniversary(date(2024, 1, 1)).on == anniversary(date(2024, 12, 31)).on == date(2024, 1, 1)
    first = anniversary(date(1983, 6, 1))  # in the signing year itself, the next is the first, in 1984
    assert (first.on, first.years) == (date(1984, 1, 1), 1)


def test_a_month_precision_anniversary_is_listed_while_its_month_lasts(colorado):
    def anniversary(today):
        return {a.partnership.pk: a for a in anniversaries(Partnership.objects.all(), today=today)}[colorado.pk]

    assert (anniversary(date(2024, 1, 31)).on, anniversary(date(2024, 1, 31)).years) == (date(2024, 1, 1), 40)
    assert anniversary(date(2024, 2, 1)).on == date(2025, 1, 1)


def test_the_anniversary_page_shows_the_year_alone(client, viewer, shiga):
    client.force_login(viewer)
    html = client.get("/twinning/anniversaries/").content.decode()
    this_year = date.today().year
    assert f"<td>{this_year}年</td>" in html
    assert f"{this_year}-01-01" not in html


def record(partnership, on, title):
    exchange = Exchange.objects.create(owner=partnership.owner, kind="visit_in", title=title, occurred_on=on)
    exchange.partnerships.add(partnership)
    return exchange


def test_exchanges_before_the_signing_are_marked(staff):
    hainaut = Partnership.objects.get(foreign__name_zh="埃诺省")  # signed 1986-09-15
    record(hainaut, date(1985, 4, 2), "埃诺省代表团首访")
    record(hainaut, date(1986, 9, 15), "签约仪式")
    detail = staff.get(f"/twinning/{hainaut.pk}/")
    marked = [e["object"].title for e in detail.context["events"] if e.get("before_signing")]
    assert marked == ["埃诺省代表团首访"]
    assert "签约前" in detail.content.decode()
    listing = staff.get("/twinning/exchanges/").content.decode()
    assert listing.count("签约前") == 1


def test_an_exchange_within_a_year_precision_signing_is_not_called_earlier(staff, shiga):
    record(shiga, date(1983, 2, 1), "1983年访问")  # signed "1983年": maybe before, maybe after
    detail = staff.get(f"/twinning/{shiga.pk}/")
    assert not any(e.get("before_signing") for e in detail.context["events"])
