"""The home names the site and the map: 湖南HERE for Hunan, 杭州HERE for Hangzhou, in both languages."""

import re

import pytest
from django.utils import translation

from atlas.models import Layer
from twinning.models import Partnership
from waishi.context import home_names

pytestmark = pytest.mark.django_db


def title(response):
    return re.search(r"<title>(.*?)</title>", response.content.decode(), re.S).group(1)


@pytest.fixture
def hangzhou(settings):
    """A fresh Hangzhou install: home 330100, none of Hunan's partnerships or layers."""
    settings.WAISHI_HOME_CODE = "330100"
    Partnership.objects.all().delete()
    Layer.objects.all().delete()


def test_hunan_names_its_map_hunan_here(client, province_staff):
    client.force_login(province_staff)
    response = client.get("/map/")
    assert "湖南HERE" in title(response) and "湖南智慧外事平台" in title(response)
    assert "<h1>湖南HERE" in response.content.decode()


def test_hangzhou_names_its_map_and_site_after_hangzhou(client, make_user, hangzhou):
    client.force_login(make_user("hz", "staff", "330100"))
    response = client.get("/map/")
    html = response.content.decode()
    assert "杭州HERE" in title(response) and "杭州智慧外事平台" in title(response)
    assert "<h1>杭州HERE" in html and "这里有杭州" in html
    assert "湖南" not in html and "Hunan" not in html


def test_hangzhou_public_map_and_list_are_named_after_hangzhou(client, make_user, hangzhou):
    response = client.get("/public/map")
    assert "杭州HERE" in title(response) and "湖南" not in response.content.decode()
    client.force_login(make_user("hz", "staff", "330100"))
    listing = client.get("/twinning/")
    assert "杭州智慧外事平台" in title(listing) and "湖南" not in title(listing)


def test_hangzhou_in_english_is_hangzhou_here(client, hangzhou):
    client.cookies["django_language"] = "en"
    response = client.get("/public/map")
    assert "Hangzhou HERE" in title(response) and "Hangzhou Smart Foreign Affairs" in title(response)
    assert "Hunan" not in response.content.decode()


def test_names_come_from_the_home_division_short_name():
    from geo.models import Division

    with translation.override("zh-hans"):
        assert home_names(Division.objects.get(code="440100"))["map"] == "广州HERE"
    with translation.override("en"):
        assert home_names(Division.objects.get(code="440100"))["map"] == "Guangzhou HERE"
