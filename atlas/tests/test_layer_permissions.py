"""Who sees and edits which layers and items: pages, exports and the map's JSON alike."""

import pytest

from atlas.models import Layer, LayerItem

pytestmark = pytest.mark.django_db

# role fixture -> (layers it sees, layers whose items it edits)
EXPECTED = {
    "province_staff": ({"commerce_public", "province_internal", "changsha_internal"},
                       {"commerce_public", "province_internal", "changsha_internal"}),
    "changsha_staff": ({"commerce_public", "changsha_internal"}, {"changsha_internal"}),
    "liuyang_staff": ({"commerce_public"}, set()),
    "viewer": ({"commerce_public", "province_internal", "changsha_internal"}, set()),
    "commerce_liaison": ({"commerce_public", "province_internal", "changsha_internal"}, {"commerce_public"}),
    "admin_user": ({"commerce_public", "province_internal", "changsha_internal"},
                   {"commerce_public", "province_internal", "changsha_internal"}),
}


@pytest.fixture(params=sorted(EXPECTED))
def actor(request, client, layers):
    user = request.getfixturevalue(request.param)
    client.force_login(user)
    return request.param, client, layers


def test_layer_pages_show_only_visible_layers(actor):
    role, client, layers = actor
    can_see, _ = EXPECTED[role]
    for key, layer in layers.items():
        status = client.get(f"/map/layers/{layer.code}/").status_code
        assert status == (200 if key in can_see else 404), (role, key)
        export = client.get(f"/map/layers/{layer.code}/export.xlsx").status_code
        assert export == (200 if key in can_see else 404), (role, key)


def test_map_data_carries_only_visible_layers(actor):
    role, client, layers = actor
    can_see, _ = EXPECTED[role]
    codes = {layer["code"] for layer in client.get("/map/data.json").json()["layers"]}
    expected = {layers[key].code for key in can_see}
    assert codes & {layer.code for layer in layers.values()} == expected


def test_item_panel_follows_visibility(actor):
    role, client, layers = actor
    can_see, _ = EXPECTED[role]
    for key, layer in layers.items():
        item = layer.items.get()
        assert client.get(f"/map/items/{item.pk}/").status_code == (200 if key in can_see else 404), (role, key)


def test_adding_items_only_to_layers_one_keeps(actor):
    role, client, layers = actor
    _, can_edit = EXPECTED[role]
    for key, layer in layers.items():
        before = layer.items.count()
        response = client.post(f"/map/layers/{layer.code}/items/new/", {
            "name_zh": f"新点{key}", "lat": "28.2", "lon": "112.95", "division": "430100", "country": "CN",
        })
        if key in can_edit:
            assert response.status_code == 302, (role, key, response.content[:500])
            assert layer.items.count() == before + 1
        else:
            assert response.status_code == 404, (role, key)
            assert layer.items.count() == before


def test_editing_and_deleting_items(actor):
    role, client, layers = actor
    _, can_edit = EXPECTED[role]
    for key, layer in layers.items():
        item = layer.items.get()
        edit = client.get(f"/map/items/{item.pk}/edit/").status_code
        delete = client.post(f"/map/items/{item.pk}/delete/").status_code
        assert edit == (200 if key in can_edit else 404), (role, key)
        assert delete == (302 if key in can_edit else 404), (role, key)
        assert LayerItem.objects.filter(pk=item.pk).exists() == (key not in can_edit)


def test_only_office_staff_change_layers(actor):
    role, client, layers = actor
    _, can_edit = EXPECTED[role]
    staff = role in {"province_staff", "changsha_staff", "admin_user"}
    for key, layer in layers.items():
        status = client.get(f"/map/layers/{layer.code}/edit/").status_code
        assert status == (200 if staff and key in can_edit else 404), (role, key)
    assert client.get("/map/layers/new/").status_code == (200 if role in {"province_staff", "changsha_staff",
                                                                             "liuyang_staff", "admin_user"} else 403)


def test_prefecture_staff_cannot_create_a_provincial_layer(changsha_staff, client):
    client.force_login(changsha_staff)
    response = client.post("/map/layers/new/", {
        "code": "x-layer", "name_zh": "省级图层", "map": "world", "owner": "430000", "visibility": "public",
        "color": "#aa0000",
    })
    assert response.status_code == 200
    assert "你只能维护本辖区及下级的图层" in response.content.decode()
    assert not Layer.objects.filter(code="x-layer").exists()
    response = client.post("/map/layers/new/", {
        "code": "x-layer", "name_zh": "长沙图层", "map": "home", "owner": "430100", "visibility": "internal",
        "color": "#aa0000",
    })
    assert response.status_code == 302
    assert Layer.objects.get(code="x-layer").owner_id == "430100"


def test_anonymous_users_see_nothing_internal(client, layers):
    assert client.get("/map/").status_code == 302  # to the login page
    assert client.get("/map/data.json").status_code == 302
    assert client.get(f"/map/layers/{layers['commerce_public'].code}/").status_code == 302
    internal = layers["province_internal"].items.get()
    assert client.get(f"/map/items/{internal.pk}/").status_code == 404
    public = layers["commerce_public"].items.get()
    assert client.get(f"/map/items/{public.pk}/").status_code == 200


def test_changes_to_layers_and_items_are_audited(province_staff, client, layers):
    from auditlog.models import LogEntry

    client.force_login(province_staff)
    layer = layers["province_internal"]
    client.post(f"/map/layers/{layer.code}/items/new/", {"name_zh": "审计点", "lat": "-6.8", "lon": "39.3",
                                                          "country": "TZ"})
    item = LayerItem.objects.get(name_zh="审计点")
    entry = LogEntry.objects.get_for_object(item).get()
    assert entry.actor == province_staff
    assert entry.action == LogEntry.Action.CREATE


def test_api_follows_the_same_rules(actor):
    role, client, layers = actor
    can_see, _ = EXPECTED[role]
    listed = {x["code"] for x in client.get("/api/atlas/layers/").json()["results"]}
    assert listed & {layer.code for layer in layers.values()} == {layers[k].code for k in can_see}
    for key, layer in layers.items():
        response = client.get(f"/api/atlas/layers/{layer.code}/items/")
        assert response.status_code == (200 if key in can_see else 404), (role, key)


def test_api_gives_the_public_only_public_layers(client, layers):
    listed = {x["code"] for x in client.get("/api/atlas/layers/").json()["results"]}
    assert listed & {layer.code for layer in layers.values()} == {"t-commerce"}
    assert client.get("/api/atlas/layers/t-internal/items/").status_code == 404
    items = client.get("/api/atlas/layers/t-commerce/items/").json()["results"]
    assert [i["name_zh"] for i in items] == ["明斯克园区"]
