"""The list of partnerships not on the map (/twinning/unplaced/): who sees which, placing by a gazetteer
suggestion or by coordinates, refusals, and places that another jurisdiction's partnership uses."""

from datetime import date

import pytest
from django.urls import reverse

from geo.models import Division, Place
from twinning.models import ForeignPlace, Partnership

SPRINGFIELD_ILLINOIS = 4250542  # GeoNames id; the largest Springfield is Missouri's
REASON = "“Springfield”在美国有多处同名地点，需要人工选择。"


def unplaced(code, name_zh="斯普林菲尔德", name_en="Springfield", country="US", place=None, **place_values):
    if place is None:
        place = ForeignPlace.objects.create(
            country_id=country, name_zh=name_zh, name_en=name_en, unplaced_reason=REASON, **place_values
        )
    division = Division.objects.get(code=code)
    return Partnership.objects.create(cn_division=division, owner=division, foreign=place, signed_on=date(2016, 9, 14))


def logged_in(client, user):
    client.force_login(user)
    return client


def place_url(partnership):
    return reverse("twinning:unplaced_place", args=[partnership.pk])


@pytest.fixture
def springfield(db):
    return unplaced("430100", admin1="Illinois")


def test_list_shows_only_the_users_unplaced_partnerships(client, changsha_staff, springfield):
    zhuzhou = unplaced("430200", name_zh="雅罗斯拉夫尔", name_en="Yaroslavl", country="RU")
    response = logged_in(client, changsha_staff).get(reverse("twinning:unplaced"))
    assert response.status_code == 200
    body = response.content.decode()
    assert f'id="unplaced-{springfield.pk}"' in body and REASON in body and "Illinois" in body
    assert f'id="unplaced-{zhuzhou.pk}"' not in body  # Zhuzhou's, not Changsha's
    assert "松鹤市" not in body  # Zhijiang's reference pair without coordinates: not Changsha's either
    assert "鹿儿岛市" not in body  # Changsha's, but on the map
    assert "1 对友好城市未上地图" in body


def test_the_registry_links_to_the_list(client, changsha_staff):
    response = logged_in(client, changsha_staff).get(reverse("twinning:partnership_list"))
    assert reverse("twinning:unplaced") in response.content.decode()


def test_the_panel_suggests_gazetteer_places_of_the_country(client, changsha_staff, springfield):
    illinois = Place.objects.get(geonameid=SPRINGFIELD_ILLINOIS)
    response = logged_in(client, changsha_staff).get(place_url(springfield), HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert f'name="gazetteer" value="{illinois.pk}"' in body
    assert all(p.country_id == "US" for p in response.context["candidates"])


def test_placing_by_a_suggestion_sets_coordinates(client, changsha_staff, springfield):
    illinois = Place.objects.get(geonameid=SPRINGFIELD_ILLINOIS)
    response = logged_in(client, changsha_staff).post(place_url(springfield), {"gazetteer": illinois.pk})
    assert response.status_code == 302 and response.url == reverse("twinning:unplaced")
    place = Partnership.objects.get(pk=springfield.pk).foreign
    assert (place.lat, place.lon, place.gazetteer_id, place.unplaced_reason) == (illinois.lat, illinois.lon, illinois.pk, "")
    listed = client.get(reverse("twinning:unplaced")).content.decode()
    assert f'id="unplaced-{springfield.pk}"' not in listed


def test_placing_by_a_click_sets_the_clicked_coordinates(client, changsha_staff, springfield):
    response = logged_in(client, changsha_staff).post(
        place_url(springfield), {"lat": "39.80", "lon": "-89.64"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200 and response["HX-Trigger"] == "unplaced-changed"
    assert "斯普林菲尔德已标注到地图上。" in response.content.decode()
    place = Partnership.objects.get(pk=springfield.pk).foreign
    assert (place.lat, place.lon) == (39.80, -89.64)


def test_coordinates_outside_the_country_are_refused_with_the_message(client, changsha_staff, springfield):
    response = logged_in(client, changsha_staff).post(place_url(springfield), {"lat": "48.8566", "lon": "2.3522"})
    assert "坐标（48.8566, 2.3522）不在美国境内。" in response.content.decode()
    place = ForeignPlace.objects.get(pk=springfield.foreign_id)
    assert place.lat is None and place.unplaced_reason == REASON


def test_a_suggestion_of_another_country_is_refused(client, changsha_staff, springfield):
    paris = Place.objects.filter(country_id="FR", name_en="Paris").first()
    response = logged_in(client, changsha_staff).post(place_url(springfield), {"gazetteer": paris.pk})
    assert "这个建议不是美国的地点。" in response.content.decode()
    assert ForeignPlace.objects.get(pk=springfield.foreign_id).lat is None


def test_no_point_chosen_says_what_to_do(client, changsha_staff, springfield):
    response = logged_in(client, changsha_staff).post(place_url(springfield), {"lat": "", "lon": ""})
    assert "请选择一个建议地点，或在地图上点击以填入纬度和经度。" in response.content.decode()


def test_a_city_user_cannot_place_a_province_owned_partnership(client, changsha_staff):
    provincial = unplaced("430000", name_zh="伊利诺伊州", name_en="Illinois", place_type="admin1")
    logged_in(client, changsha_staff)
    assert client.get(place_url(provincial)).status_code == 404
    assert client.post(place_url(provincial), {"lat": "40.0", "lon": "-89.4"}).status_code == 404
    assert ForeignPlace.objects.get(pk=provincial.foreign_id).lat is None


def test_a_viewer_has_no_list(client, viewer):
    assert logged_in(client, viewer).get(reverse("twinning:unplaced")).status_code == 403


def test_a_place_shared_with_another_jurisdiction_is_not_changed(client, changsha_staff, springfield):
    zhuzhou = unplaced("430200", place=springfield.foreign)
    illinois = Place.objects.get(geonameid=SPRINGFIELD_ILLINOIS)
    logged_in(client, changsha_staff).post(place_url(springfield), {"gazetteer": illinois.pk})
    mine = Partnership.objects.get(pk=springfield.pk).foreign
    theirs = Partnership.objects.get(pk=zhuzhou.pk).foreign
    assert mine.pk != theirs.pk and mine.lat == illinois.lat
    assert theirs.pk == springfield.foreign_id and theirs.lat is None and theirs.unplaced_reason == REASON
