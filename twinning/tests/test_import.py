"""Importing from Excel and CSV: dry run, an error per bad row, all or nothing."""

from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from twinning.models import Exchange, ImportJob, Partnership

pytestmark = pytest.mark.django_db
HEADERS = ["中方", "外方城市", "外方英文名", "国别", "结好时间", "类型", "纬度", "经度"]


def xlsx(rows, headers=HEADERS):
    wb = Workbook()
    wb.active.append(headers)
    for row in rows:
        wb.active.append(row)
    buffer = BytesIO()
    wb.save(buffer)
    return SimpleUploadedFile("file.xlsx", buffer.getvalue())


@pytest.fixture
def staff(client, province_staff):
    client.force_login(province_staff)
    return client


def upload(client, file, what="partnerships"):
    response = client.post("/twinning/import/", {"what": what, "file": file})
    assert response.status_code == 302, response.content[:500]
    return ImportJob.objects.latest("pk")


GOOD = [
    ["株洲", "大津市", "Otsu", "日本", "2019/5/20", "友好城市", 35.0045, 135.8686],
    ["长沙", "昌原市", "Changwon", "韩国", "2020-01-15", "友好交流城市", None, None],
]


def test_a_good_file_is_previewed_then_imported(staff):
    before = Partnership.objects.count()
    job = upload(staff, xlsx(GOOD))
    assert job.state == "ready" and job.total == 2 and job.errors == []
    assert Partnership.objects.count() == before  # the dry run writes nothing
    page = staff.get(f"/twinning/import/{job.pk}/").content.decode()
    assert "大津市" in page and "昌原市" in page
    staff.post(f"/twinning/import/{job.pk}/commit/")
    job.refresh_from_db()
    assert job.state == "done" and job.created == 2
    assert Partnership.objects.count() == before + 2
    assert Partnership.objects.get(foreign__name_zh="昌原市").kind == "exchange"


def test_every_bad_row_is_listed_and_nothing_is_written(staff):
    before = Partnership.objects.count()
    rows = GOOD + [
        ["长沙", "鹿儿岛市", "Kagoshima", "日本", "1982/10/30", "友好城市", None, None],  # duplicate pair
        ["长沙", "某市", "", "亚特兰蒂斯", "2019/1/1", "友好城市", None, None],  # unknown country
        ["火星市", "某市", "", "日本", "2019/1/1", "友好城市", None, None],  # unknown Chinese side
        ["长沙", "巴黎", "Paris", "日本", "2019/1/1", "友好城市", 48.85, 2.35],  # outside the country
        ["长沙", "未来市", "", "日本", "2999/1/1", "友好城市", None, None],  # future
        ["长沙", "重复市", "", "日本", "2019/1/1", "友好城市", None, None],
        ["长沙", "重复市", "", "日本", "2019/1/1", "友好城市", None, None],  # duplicate within the file
        ["长沙", "日期市", "", "日本", "去年", "友好城市", None, None],  # not a date
    ]
    job = upload(staff, xlsx(rows))
    assert job.state == "invalid"
    lines = {e["line"]: " ".join(e["messages"]) for e in job.errors}
    assert set(lines) == {4, 5, 6, 7, 8, 10, 11}
    assert "鹿儿岛市" in lines[4] and "亚特兰蒂斯" in lines[5] and "火星市" in lines[6]
    assert "2999年1月1日" in lines[8] and "去年" in lines[11]
    assert Partnership.objects.count() == before
    response = staff.post(f"/twinning/import/{job.pk}/commit/")
    assert Partnership.objects.count() == before
    assert response.status_code == 302


def test_missing_columns_are_named(staff):
    job = upload(staff, xlsx([["长沙", "某市"]], headers=["中方", "外方城市"]))
    assert job.state == "mapping"
    page = staff.get(f"/twinning/import/{job.pk}/columns/").content.decode()
    assert "国家" in page.split('id="missing-columns"')[1].split("</p>")[0]


def test_formulas_are_refused(staff):
    job = upload(staff, xlsx([["长沙", "=HYPERLINK(\"x\")", "", "日本", "2019/1/1", "友好城市", None, None]]))
    assert job.state == "invalid"


def test_csv_in_gb18030_is_read(staff):
    text = "中方,外方城市,国别,结好时间\n长沙,大津市,日本,2019-05-20\n"
    file = SimpleUploadedFile("p.csv", text.encode("gb18030"))
    job = upload(staff, file)
    assert job.state == "ready"


def test_a_county_clerk_cannot_import_for_the_prefecture(client, liuyang_staff):
    client.force_login(liuyang_staff)
    job = upload(client, xlsx([GOOD[1]]))
    assert job.state == "invalid"


def test_exchanges_import(staff):
    rows = [
        ["2023-04-01", "来访", "滋贺县代表团来访", "湖南省", "滋贺县", 8, ""],
        ["2023-05-01", "出访", "长沙代表团访问鹿儿岛", "长沙", "鹿儿岛市", 5, ""],
        ["2023-06-01", "飞行", "错误的类型", "长沙", "鹿儿岛市", "", ""],
        ["2023-06-01", "来访", "没有的友城", "长沙", "巴黎", "", ""],
    ]
    headers = ["日期", "类型", "标题", "中方", "外方城市", "人数", "说明"]
    job = upload(staff, xlsx(rows, headers), what="exchanges")
    assert job.state == "invalid"
    assert [e["line"] for e in job.errors] == [4, 5]
    assert Exchange.objects.count() == 0
    job = upload(staff, xlsx(rows[:2], headers), what="exchanges")
    staff.post(f"/twinning/import/{job.pk}/commit/")
    job.refresh_from_db()
    assert job.state == "done"
    assert Exchange.objects.get(title="滋贺县代表团来访").partnerships.get().foreign.name_zh == "滋贺县"


def test_progress_is_reported(staff):
    job = upload(staff, xlsx(GOOD))
    html = staff.get(f"/twinning/import/{job.pk}/", HTTP_HX_REQUEST="true").content.decode()
    assert 'role="progressbar"' in html and 'aria-valuenow="100"' in html
