"""The import engine takes lists as offices publish them, and never writes half a file."""

import io
import json
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from openpyxl import Workbook

from geo.models import Division
from twinning import imports
from twinning.dates import DateError, parse_partial_date
from twinning.models import ForeignPlace, ImportJob, ImportMapping, Partnership

pytestmark = pytest.mark.django_db


def workbook_bytes(rows, merges=()):
    wb = Workbook()
    for row in rows:
        wb.active.append(row)
    for cells in merges:
        wb.active.merge_cells(cells)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def understand(body, name, user, side_code=None, **kwargs):
    side = Division.objects.get(code=side_code) if side_code else None
    return imports.understand(io.BytesIO(body), name, what="partnerships", user=user, side=side, **kwargs)


@pytest.mark.parametrize(
    "text, expected, precision",
    [
        ("1979-05-02", date(1979, 5, 2), "day"), ("1979.05.02", date(1979, 5, 2), "day"),
        ("1979/5/2", date(1979, 5, 2), "day"), ("1979年5月2日", date(1979, 5, 2), "day"),
        ("1979年5月", date(1979, 5, 1), "month"), ("2014年", date(2014, 1, 1), "year"),
        ("2014", date(2014, 1, 1), "year"), (2014.0, date(2014, 1, 1), "year"),
        (date(1983, 3, 25), date(1983, 3, 25), "day"), ("１９８３年３月", date(1983, 3, 1), "month"),
    ],
)
def test_dates_are_read_with_their_precision(text, expected, precision):
    parsed = parse_partial_date(text)
    assert (parsed.value, parsed.precision) == (expected, precision)


@pytest.mark.parametrize("text", ["去年", "1979-13-01", "1979-02-30", "79.5.2", "2014年13月", "0"])
def test_nonsense_dates_are_refused(text):
    with pytest.raises(DateError):
        parse_partial_date(text)


def test_an_english_only_list_with_dotted_dates_imports_for_the_chosen_side(province_staff):
    body = (
        b"Sister Cities of Changsha\n\n"
        b"No.,City,Country,Date of Establishment\n"
        b"1,Sapporo,Japan,1982.10.30\n"
        b"2,Suwon,Republic of Korea,2003.06.05\n"
        b"3,Minneapolis,the United States of America,1988.09.12\n"
        b"4,Izmir,Turkey,2014\n"
    )
    report = understand(body, "changsha.csv", province_staff, side_code="430100")
    assert report.file_errors == [] and report.rejected == 0, [r.errors for r in report.rows]
    results = {r["foreign_name_en"]: r for r in report.as_json()["results"]}
    assert results["Sapporo"]["country"] == "JP"
    assert results["Suwon"]["country"] == "KR"
    assert results["Minneapolis"]["country"] == "US"
    assert results["Izmir"] == results["Izmir"] | {"country": "TR", "signed_on": "2014", "chinese_side": "430100"}
    assert results["Sapporo"]["signed_on"] == "1982-10-30"
    # Sapporo is unambiguous in the gazetteer: placed, with its Chinese name.
    assert results["Sapporo"]["lat"] is not None and results["Sapporo"]["foreign_name_zh"]


def test_a_partner_written_another_way_is_still_a_duplicate(province_staff):
    # Changsha's reference partner 圣保罗市 / Saint Paul, written as an English list writes it.
    report = understand(b"City,Country,Date\nSt. Paul,USA,1988\n", "p.csv", province_staff, side_code="430100")
    assert report.rejected == 1, report.as_json()
    assert "430100" == report.as_json()["results"][0]["chinese_side"]


def test_a_chinese_list_with_title_row_merged_side_traditional_names_and_year_dates(settings, province_staff):
    rows = [
        ["湖南省国际友好城市一览表", None, None, None, None],
        [None, None, None, None, None],
        ["序号", "中方城市", "友好城市", "所属国家", "结好时间"],
        [1, "長沙市", "西雅圖市", "美國", "1988年9月12日"],
        [2, None, "布爾薩市", "土耳其", "2014年"],
        [3, "株洲市", "大津市", "日本", "1998年5月"],
    ]
    body = workbook_bytes(rows, merges=["A1:E1", "B4:B5"])
    report = understand(body, "list.xlsx", province_staff)
    assert report.rejected == 0, [r.errors for r in report.rows]
    results = report.as_json()["results"]
    assert [r["chinese_side"] for r in results] == ["430100", "430100", "430200"]
    assert [r["country"] for r in results] == ["US", "TR", "JP"]
    assert [r["signed_on"] for r in results] == ["1988-09-12", "2014", "1998-05"]
    assert results[1]["foreign_name_zh"] == "布尔萨市"  # kept simplified; the name as given is kept beside it
    assert report.rows[1].values["foreign_name_given"] == "布爾薩市"
    assert [r["row"] for r in results] == [4, 5, 6]


def test_a_year_only_signing_is_kept_and_shown_as_given(province_staff):
    body = "中方,外方城市,国家,结好时间\n长沙,布尔萨市,土耳其,2014年\n".encode()
    report = understand(body, "p.csv", province_staff)
    imports.write(report, user=province_staff)
    partnership = Partnership.objects.get(foreign__name_zh="布尔萨市")
    assert (partnership.signed_on, partnership.signed_precision) == (date(2014, 1, 1), "year")
    assert partnership.counts_from == date(2014, 12, 31)


def test_two_springfields_stay_two_places(province_staff):
    body = (
        b"City,State/Province,Country,Date\n"
        b"Springfield,Illinois,USA,1990-01-01\n"
        b"Springfield,Missouri,USA,1991-01-01\n"
    )
    report = understand(body, "s.csv", province_staff, side_code="430100")
    assert report.ok, [r.errors for r in report.rows]
    imports.write(report, user=province_staff)
    places = ForeignPlace.objects.filter(name_en="Springfield", country="US")
    assert sorted(places.values_list("admin1", flat=True)) == ["Illinois", "Missouri"]
    assert Partnership.objects.filter(foreign__in=places).count() == 2


def test_a_place_of_another_jurisdictions_partnership_is_never_renamed(changsha_staff):
    shiga = Partnership.objects.get(cn_division="430000", foreign__name_zh="滋贺县").foreign
    before = (shiga.name_zh, shiga.name_en, shiga.lat, shiga.lon, shiga.place_type)
    body = "外方中文名,外方英文名,国家,结好时间,纬度,经度\n滋贺县,Shiga Ken (renamed),日本,2020-01-01,35.2,136.1\n"
    report = understand(body.encode(), "p.csv", changsha_staff, side_code="430100")
    assert report.ok, [r.errors for r in report.rows]
    imports.write(report, user=changsha_staff)
    shiga.refresh_from_db()
    assert (shiga.name_zh, shiga.name_en, shiga.lat, shiga.lon, shiga.place_type) == before


def test_a_dry_run_writes_nothing_and_the_commit_writes_every_row(province_staff):
    body = "中方,外方城市,国家,结好时间\n长沙,布尔萨市,土耳其,2014年\n株洲,昌原市,韩国,2015-01-01\n".encode()
    before = Partnership.objects.count()
    report = understand(body, "p.csv", province_staff)
    assert report.ok and Partnership.objects.count() == before
    assert imports.write(report, user=province_staff) == 2
    assert Partnership.objects.count() == before + 2


def test_a_row_that_names_no_side_needs_a_chosen_side(province_staff):
    report = understand(b"City,Country,Date\nKagoshima,Japan,2001\n", "p.csv", province_staff)
    assert report.file_errors  # no side column and no side chosen
    assert "Chinese side" in report.file_errors[0] or "中方" in report.file_errors[0]


def test_signing_dates_before_1949_are_refused(province_staff):
    report = understand("中方,外方城市,国家,结好时间\n长沙,布尔萨市,土耳其,0001-01-01\n".encode(), "p.csv",
                        province_staff)
    assert report.rejected == 1
    assert "1949" in " ".join(report.rows[0].errors)


def test_ambiguous_and_chinese_countries_are_refused_with_reasons(province_staff):
    body = "中方,外方城市,国家,结好时间\n长沙,某市,刚果,2014\n长沙,台北,台湾,2014\n长沙,Anytown,America,2014\n"
    report = understand(body.encode(), "p.csv", province_staff)
    assert report.rejected == 3
    congo, taiwan, america = (" ".join(r.errors) for r in report.rows)
    assert "刚果（布）" in congo or "CG" in congo
    assert "台湾" in taiwan or "Taiwan" in taiwan
    assert "America" in america


def test_utf8_bom_and_gb18030_csv_are_read(province_staff):
    text = "中方,外方城市,国家,结好时间\n长沙,布尔萨市,土耳其,2014\n"
    for body in (b"\xef\xbb\xbf" + text.encode(), text.encode("gb18030")):
        report = understand(body, "p.csv", province_staff)
        assert report.ok, report.file_errors


def test_a_damaged_file_is_refused_with_a_reason(province_staff):
    report = understand(b"PK\x03\x04 not really a workbook", "p.xlsx", province_staff)
    assert report.file_errors and not report.rows


def test_a_very_long_csv_cell_is_refused_not_a_server_error(province_staff):
    body = ("中方,外方城市,国家,结好时间\n长沙," + "x" * 200_000 + ",日本,2014\n").encode()
    report = understand(body, "p.csv", province_staff)
    assert report.file_errors


def test_command_line_dry_run_and_commit_with_json(tmp_path, capsys, admin_user):
    path = tmp_path / "changsha.csv"
    path.write_text("No.,City,Country,Date of Establishment\n1,Sapporo,Japan,1982.10.30\n2,Izmir,Turkey,2014\n",
                    encoding="utf-8")
    before = Partnership.objects.count()
    call_command("import_partnerships", str(path), "--side", "430100", "--json", "--user", admin_user.username)
    body = json.loads(capsys.readouterr().out)
    assert set(body) >= {"rows", "accepted", "rejected", "written", "results"}
    assert (body["rows"], body["accepted"], body["rejected"], body["written"]) == (2, 2, 0, 0)
    assert set(body) == {"rows", "accepted", "rejected", "written", "results"}
    assert set(body["results"][0]) == {"row", "status", "errors", "warnings", "chinese_side", "country",
                                       "foreign_name_zh", "foreign_name_en", "signed_on", "lat", "lon"}
    assert Partnership.objects.count() == before
    call_command("import_partnerships", str(path), "--side", "430100", "--json", "--commit",
                 "--user", admin_user.username)
    body = json.loads(capsys.readouterr().out)
    assert body["written"] == 2 and Partnership.objects.count() == before + 2


def test_command_line_exits_1_when_a_row_is_refused(tmp_path, admin_user):
    path = tmp_path / "bad.csv"
    path.write_text("中方,外方城市,国家,结好时间\n长沙,某市,亚特兰蒂斯,2014\n", encoding="utf-8")
    with pytest.raises(SystemExit) as exit_info:
        call_command("import_partnerships", str(path), "--commit", "--user", admin_user.username)
    assert exit_info.value.code == 1


# The web page: unknown columns are mapped by the user, and remembered.


def test_an_unrecognised_column_is_mapped_by_hand_and_remembered(client, province_staff):
    client.force_login(province_staff)
    body = b"Partner,Nation,Since\nSapporo,Japan,1982-10-30\n"
    response = client.post("/twinning/import/", {"what": "partnerships", "side": "430100",
                                                  "file": SimpleUploadedFile("a.csv", body)})
    job = ImportJob.objects.latest("pk")
    assert response.url == f"/twinning/import/{job.pk}/columns/" and job.state == "mapping"
    page = client.get(response.url).content.decode()
    assert "Partner" in page and 'id="missing-columns"' in page
    client.post(response.url, {"col0": "foreign_name", "col1": "country", "col2": "signed_on"})
    job.refresh_from_db()
    assert job.state == "ready", job.errors
    assert ImportMapping.objects.filter(user=province_staff, header_key="partner", field="foreign_name").exists()
    # The next file with the same headings goes straight to the dry run.
    response = client.post("/twinning/import/", {"what": "partnerships", "side": "430100",
                                                  "file": SimpleUploadedFile("b.csv", body)})
    job = ImportJob.objects.latest("pk")
    assert job.state == "ready" and response.url == f"/twinning/import/{job.pk}/"


def test_the_page_shows_how_each_row_was_understood(client, province_staff):
    client.force_login(province_staff)
    body = "中方,外方城市,国家,结好时间\n长沙,布尔萨市,土耳其,2014年\n".encode()
    client.post("/twinning/import/", {"what": "partnerships", "file": SimpleUploadedFile("a.csv", body)})
    job = ImportJob.objects.latest("pk")
    page = client.get(f"/twinning/import/{job.pk}/").content.decode()
    assert "2014年" in page and "土耳其" in page and "长沙市" in page


def test_an_upload_over_the_size_limit_is_refused(client, province_staff, settings):
    settings.WAISHI_IMPORT_MAX_BYTES = 1024
    client.force_login(province_staff)
    response = client.post("/twinning/import/", {"what": "partnerships",
                                                  "file": SimpleUploadedFile("a.csv", b"x" * 2048)})
    assert response.status_code == 200 and ImportJob.objects.count() == 0


def test_the_template_lists_columns_and_allowed_values(client, province_staff):
    from openpyxl import load_workbook

    client.force_login(province_staff)
    response = client.get("/twinning/import/template/partnerships.xlsx")
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.worksheets[0]["A1"].value
    notes = [row for row in workbook.worksheets[1].iter_rows(values_only=True)]
    assert any("友好交流城市" in (row[2] or "") for row in notes)


def test_every_imported_row_is_in_the_change_log_with_its_author(tmp_path, admin_user):
    from auditlog.models import LogEntry

    path = tmp_path / "p.csv"
    path.write_text("中方,外方城市,国家,结好时间\n长沙,布尔萨市,土耳其,2014年\n", encoding="utf-8")
    call_command("import_partnerships", str(path), "--commit", "--user", admin_user.username)
    partnership = Partnership.objects.get(foreign__name_zh="布尔萨市")
    entry = LogEntry.objects.get_for_object(partnership).get()
    assert entry.actor == admin_user


def test_a_cell_with_both_names_gives_both(province_staff):
    report = understand("中方,友好城市,国家,结好时间\n长沙,布尔萨市 (Bursa),土耳其,2014\n".encode(), "p.csv",
                        province_staff)
    result = report.as_json()["results"][0]
    assert (result["foreign_name_zh"], result["foreign_name_en"]) == ("布尔萨市", "Bursa")
