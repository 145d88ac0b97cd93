"""Adding items by form and by Excel/CSV import: clear errors, all or nothing."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from atlas.models import LayerItem

pytestmark = pytest.mark.django_db

GOOD = (
    "名称,英文名称,类别,国别,行政区划,纬度,经度,终点纬度,终点经度,日期,说明,来源\n"
    "长沙—明斯克班列,Changsha–Minsk train,rail_route,白俄罗斯,,28.23,112.94,53.90,27.56,2018,明星班列,seed 004\n"
    "老挝驻长沙总领事馆,Consulate General of Laos,consulate_general,,长沙市,,,,,2017-05,,seed 004\n"
)
BAD = (
    "名称,国别,纬度,经度,日期\n"
    "正常点,坦桑尼亚,-6.8,39.28,2019\n"
    ",坦桑尼亚,-6.8,39.28,2019\n"  # no name
    "错位点,法国,-6.8,39.28,2019\n"  # Dar es Salaam is not in France
    "未知国,乌有国,10,10,2019\n"
    "公式,=1+1,10,10,2019\n"
    "坏日期,坦桑尼亚,-6.8,39.28,2019年13月\n"
)


def upload(client, layer, text, name="items.csv"):
    return client.post(f"/map/layers/{layer.code}/import/", {"file": SimpleUploadedFile(name, text.encode())})


def test_a_good_file_is_previewed_then_imported(client, province_staff, layers):
    client.force_login(province_staff)
    layer = layers["province_internal"]
    response = upload(client, layer, GOOD)
    body = response.content.decode()
    assert "2 行可以导入" in body
    assert layer.items.count() == 1  # nothing written by the preview
    token = re.search(r'name="token" value="([0-9a-f]+)"', body)[1]
    response = client.post(f"/map/layers/{layer.code}/import/", {"token": token, "confirm": "1"})
    assert response.status_code == 302
    train = layer.items.get(name_zh="长沙—明斯克班列")
    assert train.is_route and train.country_id == "BY" and train.date_label() == "2018"
    consulate = layer.items.get(name_zh="老挝驻长沙总领事馆")
    assert consulate.division_id == "430100" and consulate.country_id == "CN"
    assert consulate.lat is not None and consulate.date_label() == "2017-05"


def test_every_bad_row_is_listed_and_nothing_is_written(client, province_staff, layers):
    client.force_login(province_staff)
    layer = layers["province_internal"]
    body = upload(client, layer, BAD).content.decode()
    assert "5 行有错误，未导入任何数据" in body
    lines = dict(re.findall(r"<tr><td>(\d+)</td><td>(.*?)</td></tr>", body))
    assert set(lines) == {"3", "4", "5", "6", "7"}
    assert "中文名称" in lines["3"]
    assert "法国" in lines["4"]
    assert "乌有国" in lines["5"]
    assert "公式" in lines["6"]
    assert "2019年13月" in lines["7"]
    assert layer.items.count() == 1
    # A confirm without a valid preview writes nothing either.
    client.post(f"/map/layers/{layer.code}/import/", {"token": "0" * 32, "confirm": "1"})
    assert layer.items.count() == 1


def test_an_unreadable_file_gets_a_clear_message(client, province_staff, layers):
    client.force_login(province_staff)
    body = upload(client, layers["province_internal"], "not,a,layer\n1,2,3\n").content.decode()
    assert "缺少以下列：名称" in body
    body = upload(client, layers["province_internal"], "x", name="items.pdf").content.decode()
    assert ".xlsx" in body


def test_an_export_imports_back_unchanged(client, province_staff, layers):
    client.force_login(province_staff)
    source = layers["commerce_public"]
    target = layers["province_internal"]
    LayerItem.objects.create(layer=source, name_zh="线路", lat=28.2, lon=112.9, to_lat=53.9, to_lon=27.56,
                             country_id="BY", category="rail_route", description_en="a route")
    xlsx = client.get(f"/map/layers/{source.code}/export.xlsx").content
    body = client.post(f"/map/layers/{target.code}/import/", {
        "file": SimpleUploadedFile("layer.xlsx", xlsx)}).content.decode()
    # The layer column names the source layer: importing into another layer is refused row by row.
    assert "此行属于图层" in body
    body = client.post(f"/map/layers/{source.code}/import/", {
        "file": SimpleUploadedFile("layer.xlsx", xlsx)}).content.decode()
    assert "2 行可以导入" in body and "其中 2 行更新图层上已有的条目" in body
    token = re.search(r'name="token" value="([0-9a-f]+)"', body)[1]
    client.post(f"/map/layers/{source.code}/import/", {"token": token, "confirm": "1"})
    route = source.items.get(name_zh="线路")
    assert source.items.count() == 2
    assert (route.to_lat, route.to_lon, route.category, route.description_en) == (53.9, 27.56, "rail_route", "a route")


def test_the_form_refuses_a_place_outside_its_country_and_keeps_what_was_typed(client, province_staff, layers):
    client.force_login(province_staff)
    layer = layers["province_internal"]
    response = client.post(f"/map/layers/{layer.code}/items/new/", {
        "name_zh": "蒙达尔日纪念馆", "country": "FR", "lat": "28.2", "lon": "112.9",
    })
    body = response.content.decode()
    assert response.status_code == 200
    assert "位于法国境外" in body
    assert 'value="蒙达尔日纪念馆"' in body
    assert not layer.items.filter(name_zh="蒙达尔日纪念馆").exists()
    response = client.post(f"/map/layers/{layer.code}/items/new/", {
        "name_zh": "蒙达尔日纪念馆", "country": "FR", "lat": "47.998", "lon": "2.733", "on": "2016-10-22",
    })
    assert response.status_code == 302
    assert layer.items.get(name_zh="蒙达尔日纪念馆").date_precision == "day"


def test_a_route_needs_both_ends(client, province_staff, layers):
    client.force_login(province_staff)
    layer = layers["province_internal"]
    response = client.post(f"/map/layers/{layer.code}/items/new/", {
        "name_zh": "半条线", "country": "BY", "lat": "53.9", "lon": "27.56", "to_lat": "28.2",
    })
    assert response.status_code == 200
    assert "路线需要终点的纬度和经度" in response.content.decode()
