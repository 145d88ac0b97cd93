"""Layers of each kind of owner and visibility, for the map's tests."""

import pytest

from atlas.models import Layer, LayerItem


@pytest.fixture
def layers(db):
    def make(code, owner, visibility, department="", map="world"):
        return Layer.objects.create(
            code=code, name_zh=code, name_en=code, owner_id=owner, visibility=visibility,
            department=department, map=map, color="#123456",
        )

    made = {
        "commerce_public": make("t-commerce", "430000", "public", "省商务厅"),
        "province_internal": make("t-internal", "430000", "internal", "省外办"),
        "changsha_internal": make("t-changsha", "430100", "internal", "长沙市外办", map="home"),
    }
    LayerItem.objects.create(layer=made["commerce_public"], name_zh="明斯克园区", lat=53.9, lon=27.56, country_id="BY")
    LayerItem.objects.create(layer=made["province_internal"], name_zh="内部联络点", lat=-6.8, lon=39.28,
                             country_id="TZ")
    LayerItem.objects.create(layer=made["changsha_internal"], name_zh="长沙内部点", lat=28.2, lon=112.9,
                             country_id="CN", division_id="430100")
    return made


@pytest.fixture
def commerce_liaison(make_user):
    return make_user("commerce", "liaison", "430000", department="省商务厅")
