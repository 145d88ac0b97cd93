"""The statistics as of 2018-07-17 agree with the 2018 report's appendix 2 (82 pairs)."""

from datetime import date

import pytest

from twinning import stats
from twinning.models import Partnership, Status
from twinning.services import change_status

pytestmark = pytest.mark.django_db
REPORT_DAY = date(2018, 7, 17)


def test_total_and_levels_match_the_appendix():
    data = stats.compute(REPORT_DAY)
    assert data["total"] == 82
    assert data["by_level"] == {"province": 18, "prefecture": 53, "county": 11}


def test_countries_are_counted_from_the_table_not_the_narrative():
    # The report's narrative says 32 countries; its own table lists 31.
    assert stats.compute(REPORT_DAY)["countries"] == 31


def test_continents_as_chinese_statistics_count_them():
    data = stats.compute(REPORT_DAY)
    assert data["by_continent"] == {"asia": 25, "europe": 29, "africa": 7, "americas": 17, "oceania": 4}
    # The report rounds these to 35%, 30%, 21%, 9%, 5%.
    assert [round(100 * data["by_continent"][c] / data["total"]) for c in ("europe", "asia", "americas", "africa", "oceania")] == [
        35, 30, 21, 9, 5,
    ]
    assert data["continent_share"] == {"asia": 30.5, "europe": 35.4, "africa": 8.5, "americas": 20.7, "oceania": 4.9}


def test_bri_route_partnerships():
    assert stats.compute(REPORT_DAY)["bri_route"] == 21


def test_partnerships_by_country():
    by_country = stats.compute(REPORT_DAY)["by_country"]
    assert by_country["US"] == 15
    assert by_country["JP"] == 11
    assert by_country["FR"] == 6
    for iso in ("RU", "KR", "VN", "AU", "ZA"):
        assert by_country[iso] == 4


def test_every_prefecture_is_listed_including_those_with_none():
    data = stats.compute(REPORT_DAY)
    assert len(data["by_prefecture"]) == 14
    assert data["by_prefecture"]["430100"] == 12  # 长沙
    assert data["by_prefecture"]["431200"] == 0  # 怀化: none at prefecture level
    assert data["by_prefecture_incl_counties"]["431200"] == 3  # 芷江's three
    assert sum(data["by_prefecture"].values()) == 53
    small = [c for c, n in data["by_prefecture"].items() if n <= 3]
    assert len(small) == 9  # "9 of 14 prefectures with 3 pairs or fewer"


def test_as_of_an_earlier_date_counts_only_what_was_signed_by_then():
    data = stats.compute(date(1990, 1, 1))
    signed = Partnership.objects.filter(signed_on__lte=date(1990, 1, 1)).count()
    assert data["total"] == signed
    assert 0 < signed < 82


def test_a_partnership_ended_later_still_counts_before_its_end(province_staff):
    p = Partnership.objects.get(foreign__name_zh="滋贺县")
    change_status(p, user=province_staff, status=Status.ENDED, on=date(2020, 1, 1), reason="test")
    assert stats.compute(REPORT_DAY)["total"] == 82
    assert stats.compute(date(2020, 1, 1))["total"] == stats.compute(date(2019, 12, 31))["total"] - 1


def test_public_json_needs_no_login_and_has_no_personal_data(client):
    response = client.get("/api/twinning/stats", {"as_of": "2018-07-17"})
    assert response.status_code == 200
    data = response.json()
    assert data["total"] == 82
    assert data["by_level"] == {"province": 18, "prefecture": 53, "county": 11}
    assert data["countries"] == 31
    assert data["bri_route"] == 21
    assert set(data["by_continent"]) == {"asia", "europe", "africa", "americas", "oceania"}
    assert data["by_country"]["US"] == 15
    assert len(data["by_prefecture"]) == 14
    assert "definitions" in data
    body = response.content.decode()
    assert "username" not in body and "provenance" not in body


def test_bad_date_is_a_clear_400(client):
    response = client.get("/api/twinning/stats", {"as_of": "2018-13-40"})
    assert response.status_code == 400
    assert "as_of" in response.json()


def test_stats_page_and_excel_use_the_same_figures(client, viewer):
    from io import BytesIO

    from openpyxl import load_workbook

    client.force_login(viewer)
    page = client.get("/twinning/stats/", {"as_of": "2018-07-17"})
    assert page.status_code == 200
    assert page.context["s"] == stats.compute(REPORT_DAY)
    export = client.get("/twinning/stats/export.xlsx", {"as_of": "2018-07-17"})
    wb = load_workbook(BytesIO(export.content))
    summary = {row[0]: row[1] for row in wb.worksheets[0].iter_rows(values_only=True)}
    assert 82 in summary.values() and 31 in summary.values() and 21 in summary.values()
    prefectures = list(wb.worksheets[3].iter_rows(values_only=True))[1:]
    assert len(prefectures) == 14 and sum(r[2] for r in prefectures) == 53


def test_every_figure_is_defined_in_the_docs():
    from pathlib import Path

    from django.conf import settings

    doc = (Path(settings.BASE_DIR) / "docs" / "statistics.md").read_text(encoding="utf-8")
    for key in stats.DEFINITIONS:
        assert f"`{key}`" in doc, key
