"""Foreign places resolved against the offline gazetteer: by any name, narrowed by the state or province,
never picked by population; and the division each city lies in."""

import pytest
from django.db.models import F
from django.utils import translation

from geo.gazetteer import clear_cache, resolve_place, suggest
from geo.loaders import load_gazetteer
from geo.models import Country, Place

pytestmark = pytest.mark.django_db


def us():
    return Country.objects.get(iso2="US")


def test_springfield_without_a_state_is_not_placed_and_names_the_candidates():
    with translation.override("en"):
        match = resolve_place("Springfield", us())
        assert match.place is None and not match.placed
        assert len(match.candidates) >= 5 and {p.name_en for p in match.candidates} == {"Springfield"}
        assert "Illinois" in match.reason and "state or province" in match.reason


@pytest.mark.parametrize("state", ["Illinois", "illinois", "伊利诺伊州", "伊利诺伊", "IL"])
def test_springfield_in_illinois_is_springfield_illinois(state):
    match = resolve_place("Springfield", us(), admin1=state)
    assert match.place is not None, match.reason
    assert match.place.admin1.code == "US-IL" and match.place.kind == "city"
    assert 39.5 < match.place.lat < 40 and -90 < match.place.lon < -89.3


def test_an_unknown_state_is_said():
    with translation.override("en"):
        match = resolve_place("Springfield", us(), admin1="Atlantis")
    assert match.place is None and "Atlantis" in match.reason and match.candidates


def test_paris_france():
    match = resolve_place("Paris", "FR")
    assert match.place is not None and match.place.country_id == "FR" and match.place.name_zh == "巴黎"
    assert resolve_place("巴黎", "FR").place == match.place


@pytest.mark.parametrize("name", ["Shiga Prefecture", "Shiga", "滋贺县", "滋賀縣", "滋賀県", "滋贺", "Shiga-ken",
                                  "Prefecture of Shiga", "Zihexian"])
def test_shiga_prefecture_is_the_first_level_division(name):
    match = resolve_place(name, "JP")
    assert match.place is not None, match.reason
    assert match.place.kind == "admin1" and match.place.code == "JP-25" and match.place.name_zh == "滋贺县"


@pytest.mark.parametrize("name", ["Hikone", "彦根市", "彦根", "Hikone-shi", "Hikone City", "City of Hikone"])
def test_cities_by_name_with_or_without_their_generic_word(name):
    match = resolve_place(name, "JP")
    assert match.place is not None, match.reason
    assert match.place.name_en == "Hikone" and match.place.admin1.code == "JP-25"


def test_traditional_characters_resolve_and_give_a_simplified_name():
    yeosu = resolve_place("麗水", "KR").place
    assert yeosu is not None and yeosu.name_en == "Yeosu" and yeosu.name_zh == "丽水市"
    assert resolve_place("橫濱市", "JP").place.name_en == "Yokohama"
    assert resolve_place("橫濱市", "JP").place.name_zh == "横滨市"  # not the Japanese form 横浜


def test_a_name_that_is_a_city_and_a_prefecture_needs_the_place_type():
    match = resolve_place("Kyoto", "JP")
    assert match.place is None and {p.kind for p in match.candidates} == {"admin1", "city"}
    assert resolve_place("Kyoto", "JP", place_type="admin1").place.code == "JP-26"
    assert resolve_place("Kyoto", "JP", place_type="city").place.kind == "city"
    assert resolve_place("Kyoto City", "JP").place.kind == "city"
    assert resolve_place("京都府", "JP").place.code == "JP-26"
    assert resolve_place("京都市", "JP").place.kind == "city"
    assert resolve_place("京都", "JP").place is None  # 京都府 or 京都市


def test_generic_words_do_not_make_false_matches():
    # "Kansas City" is two cities (Missouri, Kansas), never the state of Kansas.
    match = resolve_place("Kansas City", us())
    assert match.place is None and {p.kind for p in match.candidates} == {"city"} and len(match.candidates) == 2
    assert resolve_place("Kansas City", us(), admin1="Missouri").place.admin1.code == "US-MO"
    assert resolve_place("Kansas", us(), place_type="admin1").place.code == "US-KS"


def test_nonsense_is_not_placed():
    with translation.override("en"):
        match = resolve_place("Xqzzyvillë", "FR")
    assert match.place is None and not match.candidates and "Xqzzyvillë" in match.reason


def test_a_place_is_only_found_in_its_country():
    assert resolve_place("Paris", "JP").place is None
    assert resolve_place("Paris", us(), admin1="Texas").place.admin1.code == "US-TX"


def test_the_place_type_says_what_else_the_gazetteer_has():
    with translation.override("en"):
        match = resolve_place("Shiga", "JP", place_type="city")
    assert match.place is None and [p.code for p in match.candidates] == ["JP-25"]


def test_a_city_whose_division_is_unknown_is_never_picked_for_a_state():
    japan = Country.objects.get(iso2="JP")
    shiga = Place.objects.get(country=japan, code="JP-25")
    kyoto = Place.objects.get(country=japan, code="JP-26")
    known = Place.objects.create(country=japan, kind="city", name_en="Testmura", lat=35.0, lon=136.0,
                                 admin1=shiga, search_text="testmura")
    Place.objects.create(country=japan, kind="city", name_en="Testmura", lat=35.2, lon=135.6, search_text="testmura")
    try:
        match = resolve_place("Testmura", japan, admin1="Shiga")
        assert match.place is None and known in match.candidates and len(match.candidates) == 2
        # A known division elsewhere rules a candidate out; the unknown one still stands in the way.
        assert resolve_place("Testmura", japan, admin1=kyoto.name_en).place is None
    finally:
        clear_cache()


def test_cities_know_their_first_level_division():
    otsu = Place.objects.get(geonameid=1853574)  # Ōtsu, Shiga (another Ōtsu is in Kōchi)
    assert otsu.admin1.code == "JP-25" and otsu.admin1_name == "滋贺县" and otsu.admin1_code == "35"
    assert Place.objects.get(country_id="KR", name_en="Seoul", kind="city").admin1.code == "KR-11"
    assert Place.objects.get(country_id="DE", name_en="Munich").admin1.name_en == "Bavaria"
    assert Place.objects.get(country_id="GB", name_en="Edinburgh").admin1.name_en == "Scotland"
    cities = Place.objects.filter(kind="city")
    assert cities.filter(admin1__isnull=False).count() > 0.9 * cities.count()
    assert not cities.filter(admin1__isnull=False).exclude(admin1__country=F("country")).exists()
    assert not cities.filter(admin1__kind="city").exists()
    # Every city of the United States has its state (GeoNames codes US states as ISO 3166-2 does).
    assert not cities.filter(country_id="US", admin1__isnull=True).exists()


def test_chinese_names_are_chinese_and_simplified():
    assert Place.objects.get(country_id="KR", name_en="Seoul", kind="city").name_zh == "首尔"  # not ソウル特別市
    assert Place.objects.get(country_id="JP", name_en="Yokohama").name_zh == "横滨市"  # not 横浜
    assert Place.objects.get(country_id="AD", name_en="Andorra la Vella", kind="city").name_zh == "安道尔城"  # given as 安道爾城


def test_reloading_keeps_the_places_and_their_ids():
    before = dict(Place.objects.values_list("geonameid", "pk").filter(kind="city")[:500])
    shiga = Place.objects.get(code="JP-25").pk
    Place.objects.filter(pk=shiga).update(name_zh="改过的名字")
    Place.objects.filter(geonameid=1853574).update(admin1=None)
    load_gazetteer()
    assert Place.objects.get(pk=shiga).name_zh == "滋贺县"
    after = dict(Place.objects.values_list("geonameid", "pk").filter(geonameid__in=list(before)))
    assert after == before and Place.objects.get(code="JP-25").pk == shiga
    assert Place.objects.get(geonameid=1853574).admin1_id == shiga


def test_suggestions_put_the_named_place_first():
    places = suggest("滋賀", Country.objects.get(iso2="JP"))
    assert places and places[0].code == "JP-25"
    assert suggest("Springfield", us())[0].name_en == "Springfield"


def test_a_leading_abbreviation_is_written_out():
    assert resolve_place("St. Paul", "US", admin1="Minnesota").place.name_en == "Saint Paul"
    assert resolve_place("Ft. Worth", "US").place.name_en == "Fort Worth"
