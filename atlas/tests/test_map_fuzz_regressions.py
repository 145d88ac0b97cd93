"""Inputs that the fuzzing run (scripts/fuzz.py) found to break the map: its item import, its API and schema."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from atlas.models import LayerItem

pytestmark = pytest.mark.django_db


def upload(client, layer, text):
    return client.post(f"/map/layers/{layer.code}/import/", {"file": SimpleUploadedFile("items.csv", text.encode())})


@pytest.mark.parametrize("column, length, limit", [("名称", 201, 200), ("英文名称", 251, 250)])
def test_a_name_longer_than_its_column_is_an_error(client, province_staff, layers, column, length, limit):
    client.force_login(province_staff)
    layer = layers["province_internal"]
    before = LayerItem.objects.count()
    name = "名" * length if column == "名称" else "n" * length
    other = "英文" if column == "名称" else "点"
    text = f"{column},{'英文名称' if column == '名称' else '名称'},行政区划\n{name},{other},长沙市\n"
    body = upload(client, layer, text).content.decode()
    assert str(limit) in body and "1 行有错误" in body
    assert LayerItem.objects.count() == before


def test_a_nul_character_refuses_the_file(client, province_staff, layers):
    client.force_login(province_staff)
    layer = layers["province_internal"]
    before = LayerItem.objects.count()
    body = upload(client, layer, "名称,行政区划\n新\x00点,长沙市\n").content.decode()
    assert "NUL" in body
    assert LayerItem.objects.count() == before


def test_the_items_operation_is_described_as_a_page_of_items(client):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json").json()
    ok = schema["paths"]["/api/atlas/layers/{code}/items/"]["get"]["responses"]["200"]
    ref = ok["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[-1]
    page = schema["components"]["schemas"][ref]
    assert {"count", "results"} <= set(page["properties"])
    assert page["properties"]["results"]["items"]["$ref"].endswith("/LayerItem")


@pytest.mark.parametrize("path", ["/api/atlas/layers/%00/", "/api/atlas/layers/a%00b/items/"])
def test_a_layer_code_that_is_no_slug_is_not_found(client, path):
    # PostgreSQL refuses NUL in a query: looking the layer up was a 500 there. Now the middleware
    # refuses a NUL anywhere in the path (400) and the route refuses codes that are no slug (404).
    assert client.get(path).status_code in (400, 404)
