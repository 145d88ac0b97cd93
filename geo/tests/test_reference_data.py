"""The shipped reference data: countries and aliases, dated groups, divisions, outlines, gazetteer."""

from datetime import date

import pytest

from geo.boundaries import countries_at, point_in_country
from geo.countries import members_on, resolve_country
from geo.divisions import home_prefectures, resolve_division
from geo.gazetteer import suggest
from geo.models import Country, Division

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "typed, iso2",
    [("韩国", "KR"), ("大韩民国", "KR"), ("南韩", "KR"), ("老挝", "LA"), ("刚果（布）", "CG"), ("刚果(金)", "CD"),
     ("刚果民主共和国", "CD"), ("美国", "US"), ("United States of America", "US"), ("russia", "RU"), ("JP", "JP"),
     ("俄罗斯联邦", "RU"), ("北马其顿", "MK"), ("马其顿", "MK")],
)
def test_country_names_offices_use(typed, iso2):
    assert resolve_country(typed).country.iso2 == iso2


def test_bare_congo_is_ambiguous_and_unknown_is_none():
    match = resolve_country("刚果")
    assert match.ambiguous and {c.iso2 for c in match.candidates} == {"CG", "CD"}
    assert resolve_country("乌有之国").country is None and not resolve_country("乌有之国").candidates


def test_taiwan_hong_kong_macao_are_not_countries():
    assert not Country.objects.filter(iso2="TW").exists()
    # Hong Kong and Macao are places of official trips, named as regions of China, never partners' countries.
    assert dict(Country.objects.filter(iso2__in=["HK", "MO"]).values_list("iso2", "name_zh")) == {
        "HK": "中国香港", "MO": "中国澳门"}
    assert Division.objects.filter(code__in=["710000", "810000", "820000"], level="province").count() == 3


def test_a_partnership_with_hong_kong_is_refused(province_staff):
    from twinning.services import check_partnership

    result = check_partnership({"cn_division": Division.objects.get(code="430100"), "country": "香港",
                                "foreign_name_zh": "中西区"}, user=province_staff)
    assert any("中国香港" in str(m) for m in result.errors.get("country", []))


def test_continents_as_chinese_statistics_count_them():
    continent = dict(Country.objects.values_list("iso2", "continent"))
    assert continent["RU"] == "europe" and continent["TR"] == "asia" and continent["CY"] == "asia"
    assert continent["EG"] == "africa" and continent["BR"] == "americas" and continent["US"] == "americas"
    assert continent["GE"] == "asia" and continent["AU"] == "oceania"


def test_bri_route_list_is_dated():
    assert members_on("bri_route", date(2015, 3, 27)) == set()
    route = members_on("bri_route", date(2018, 7, 17))
    assert len(route) == 65 and {"RU", "VN", "GR", "EG", "MN", "PL"} <= route and not {"JP", "US", "KR"} & route


def test_memberships_begin_and_end():
    assert "IT" in members_on("bri_signed", date(2020, 1, 1))
    assert "IT" not in members_on("bri_signed", date(2024, 1, 1))
    assert "IT" not in members_on("bri_signed", date(2019, 3, 22))
    assert "LT" in members_on("ceec", date(2020, 1, 1)) and "LT" not in members_on("ceec", date(2022, 1, 1))
    assert "GR" not in members_on("ceec", date(2018, 1, 1)) and "GR" in members_on("ceec", date(2020, 1, 1))
    assert len(members_on("asean", date(2024, 1, 1))) == 10 and "TL" in members_on("asean", date(2026, 1, 1))
    assert "KR" not in members_on("rcep", date(2022, 1, 15)) and "KR" in members_on("rcep", date(2022, 2, 1))
    assert len(members_on("africa", date(2018, 7, 17))) == 54


def test_home_province_and_its_prefectures():
    prefectures = list(home_prefectures())
    assert len(prefectures) == 14
    assert {p.code for p in prefectures} >= {"430100", "431200", "433100"}
    hunan_counties = Division.objects.filter(code__startswith="43", level="county").count()
    assert 120 <= hunan_counties <= 125


@pytest.mark.parametrize(
    "typed, code",
    [("长沙", "430100"), ("长沙市", "430100"), ("长沙县", "430121"), ("祁阳县", "431181"), ("芷江县", "431228"),
     ("湘西州", "433100"), ("湘西土家族苗族自治州", "433100"), ("浏阳市", "430181"), ("431027", "431027"),
     ("大庸市", "430800"), ("Changsha", "430100")],
)
def test_divisions_resolve_by_current_short_and_former_names(typed, code):
    division, candidates = resolve_division(typed)
    assert division is not None and division.code == code, candidates


def test_outlines_place_points_in_their_country():
    assert point_in_country("JP", 35.0045, 135.8686)  # Ōtsu, Shiga
    assert point_in_country("US", 39.74, -104.99)  # Denver
    assert point_in_country("JP", 39.74, -104.99) is False
    assert "FR" in countries_at(48.85, 2.35)


@pytest.mark.parametrize("query", ["滋贺", "Shiga", "zihe", "科罗拉多", "Colorado", "Kagoshima", "鹿儿岛"])
def test_gazetteer_suggests_places_by_chinese_english_or_pinyin(query):
    places = suggest(query)
    assert places, query
    assert all(p.lat is not None and p.lon is not None for p in places)


def test_gazetteer_limited_to_a_country():
    assert all(p.country_id == "JP" for p in suggest("shi", Country.objects.get(iso2="JP")))
