"""Lists in the shapes offices publish import with no manual edit (fixtures in twinning/tests/fixtures/)."""

import io
import json
from datetime import date
from pathlib import Path

import pytest
from django.core.management import call_command

from geo.models import Division
from twinning import imports, stats
from twinning.models import Partnership

pytestmark = pytest.mark.django_db
FIXTURES = Path(__file__).parent / "fixtures"


def run(name, user, side=None):
    with open(FIXTURES / name, "rb") as fh:
        return imports.understand(fh, name, what="partnerships", user=user,
                                  side=Division.objects.get(code=side) if side else None)


@pytest.mark.parametrize("name", ["english_only.csv", "english_only.xlsx", "english_only.xls"])
def test_an_english_only_list_imports_for_the_side_the_user_chooses(name, province_staff):
    report = run(name, province_staff, side="430100")
    assert (len(report.rows), report.rejected) == (40, 0), [(r.line, r.errors) for r in report.rows if r.errors]
    results = report.as_json()["results"]
    assert {r["chinese_side"] for r in results} == {"430100"}
    assert all(r["lat"] is not None for r in results)  # every city placed from the gazetteer
    assert all(len(r["signed_on"]) == 10 for r in results)  # dotted dates read to the day
    by_name = {r["foreign_name_en"]: r for r in results}
    assert by_name["Fukuoka"]["signed_on"] == "1979-05-02" and by_name["Fukuoka"]["country"] == "JP"
    assert by_name["Los Angeles"]["country"] == "US"  # "the United States of America"
    assert by_name["Springfield"]["lat"] == pytest.approx(39.8, abs=0.1)  # Illinois, not Missouri or Massachusetts
    assert imports.write(report, user=province_staff) == 40


def test_a_chinese_list_with_title_merged_cells_and_traditional_characters(settings, make_user):
    settings.WAISHI_HOME_CODE = "331100"
    clerk = make_user("lishui", "staff", "331100")
    report = run("chinese_title_row.xlsx", clerk)
    assert (len(report.rows), report.rejected) == (15, 0), [(r.line, r.errors) for r in report.rows if r.errors]
    results = report.as_json()["results"]
    assert [r["row"] for r in results] == list(range(4, 19))  # the title and blank rows are skipped
    assert results[0]["chinese_side"] == "331100"  # 麗水, written in traditional characters and merged down
    assert [r["country"] for r in results[:4]] == ["IT", "FR", "KR", "RU"]  # 義大利, 法國, 韩国, 俄羅斯
    precisions = {r["signed_on"] for r in results}
    assert {"2014", "2016", "2019", "1998-05"} <= precisions
    imports.write(report, user=clerk)
    vologda = Partnership.objects.get(cn_division="331100", foreign__country="RU")
    assert (vologda.signed_on, vologda.signed_precision, vologda.counts_from) == (
        date(2014, 1, 1), "year", date(2014, 12, 31))
    # A signing known only as "2014年" counts from the end of 2014.
    assert stats.compute(date(2014, 6, 30))["by_country"].get("RU", 0) == 0
    assert stats.compute(date(2014, 12, 31))["by_country"]["RU"] == 1


def test_a_list_without_dates_is_kept_and_counted_apart(province_staff):
    report = run("no_dates.csv", province_staff)
    assert (len(report.rows), report.rejected) == (10, 0), [(r.line, r.errors) for r in report.rows if r.errors]
    assert all(r.warnings for r in report.rows)  # each says it is not counted until its date is entered
    before = stats.compute()
    imports.write(report, user=province_staff)
    after = stats.compute()
    assert after["total"] == before["total"]
    assert after["undated"] == before["undated"] + 10


def test_the_command_line_reads_the_same_lists(tmp_path, capsys, admin_user):
    call_command("import_partnerships", str(FIXTURES / "english_only.xlsx"), "--side", "430100", "--json",
                 "--user", admin_user.username)
    body = json.loads(capsys.readouterr().out)
    assert (body["rows"], body["accepted"], body["rejected"], body["written"]) == (40, 40, 0, 0)


def test_a_partnership_from_an_english_list_shows_its_names_and_state(client, province_staff):
    body = b"City,State/Province,Country,Date\nSpringfield,Illinois,USA,1990\nNowhere Town,,USA,1991\n"
    report = imports.understand(io.BytesIO(body), "s.csv", what="partnerships", user=province_staff,
                                side=Division.objects.get(code="430100"))
    imports.write(report, user=province_staff)
    client.force_login(province_staff)
    springfield = Partnership.objects.get(foreign__name_en="Springfield")
    page = client.get(f"/twinning/{springfield.pk}/").content.decode()
    assert "伊利诺伊州" in page or "Illinois" in page
    nowhere = Partnership.objects.get(foreign__name_en="Nowhere Town")
    page = client.get(f"/twinning/{nowhere.pk}/").content.decode()
    assert "Nowhere Town" in page.split("</h1>")[0] and "/twinning/unplaced/" in page
