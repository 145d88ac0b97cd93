"""The one country resolver: every name in the reference data means one country or is declared ambiguous;
China, Taiwan, Hong Kong and Macao are refused as partners, each with its reason."""

import csv
from pathlib import Path

import pytest
from django.utils import translation

from geo.countries import Refusal, country_keys, resolve_country

pytestmark = pytest.mark.django_db

GEO = Path(__file__).resolve().parents[2] / "data" / "geo"


def rows(name):
    with open(GEO / name, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def declared_ambiguous():
    return {country_keys(r["name"])[0]: set(r["candidates"].split("|")) for r in rows("ambiguous_country_names.csv")}


def names_of(row):
    names = [row["name_zh"], row["name_en"], row["iso2"], row["iso3"]]
    names += row["aliases_zh"].split("|") + row["aliases_en"].split("|")
    return [n for n in names if n]


@pytest.mark.parametrize("file", ["countries.csv", "regions.csv"])
def test_every_name_and_alias_means_its_country_or_is_declared_ambiguous(file):
    ambiguous = declared_ambiguous()
    wrong = []
    for row in rows(file):
        for name in names_of(row):
            match = resolve_country(name)
            if match.country is not None and match.country.iso2 == row["iso2"]:
                continue
            if match.ambiguous and row["iso2"] in ambiguous.get(country_keys(name)[0], ()):
                continue
            wrong.append((row["iso2"], name, match.country and match.country.iso2, match.candidates))
    assert not wrong


def test_every_declared_ambiguous_name_names_its_candidates():
    for row in rows("ambiguous_country_names.csv"):
        match = resolve_country(row["name"])
        assert match.ambiguous and match.country is None, row["name"]
        assert {c.iso2 for c in match.candidates} == set(row["candidates"].split("|")), row["name"]
        # Ambiguous means two meanings at least: two countries, or a country and something else.
        assert len(match.candidates) + len(match.other_meanings) >= 2, row["name"]


def test_every_taiwan_name_is_refused():
    for row in rows("taiwan_names.csv"):
        for for_partner in (True, False):
            match = resolve_country(row["name"], for_partner=for_partner)
            assert match.country is None and match.refusal == Refusal.TAIWAN, row["name"]


@pytest.mark.parametrize(
    "typed, iso2",
    [("UK", "GB"), ("U.K.", "GB"), ("England", "GB"), ("Scotland", "GB"), ("Great Britain", "GB"), ("英格兰", "GB"),
     ("the United States of America", "US"), ("USA", "US"), ("U.S.", "US"), ("United States", "US"),
     ("Republic of Korea", "KR"), ("Korea, Republic of", "KR"), ("Korea (Republic of)", "KR"), ("South Korea", "KR"),
     ("DPRK", "KP"), ("朝鲜", "KP"), ("Turkey", "TR"), ("Türkiye", "TR"), ("TURKIYE", "TR"), ("Czech Republic", "CZ"),
     ("Czechia", "CZ"), ("Côte d’Ivoire", "CI"), ("Cote d'Ivoire", "CI"), ("Ivory Coast", "CI"), ("Swaziland", "SZ"),
     ("Eswatini", "SZ"), ("Burma", "MM"), ("UAE", "AE"), ("Lao PDR", "LA"), ("Laos", "LA"), ("Viet Nam", "VN"),
     ("Russian Federation", "RU"), ("the Netherlands", "NL"), ("Holland", "NL"), ("Cabo Verde", "CV"),
     ("Macedonia", "MK"), ("East Timor", "TL"), ("Bahamas, The", "BS"), ("Trinidad & Tobago", "TT"),
     ("法國", "FR"), ("義大利", "IT"), ("俄羅斯", "RU"), ("紐西蘭", "NZ"), ("澳洲", "AU"), ("新西兰", "NZ"),
     ("美國", "US"), ("gb", "GB"), ("GBR", "GB"), ("Guinea", "GN"), ("Samoa", "WS"), ("Dominica", "DM"),
     ("多米尼加共和国", "DO"), ("Niger", "NE"), ("Nigeria", "NG")],
)
def test_names_resolve_to_one_country(typed, iso2):
    match = resolve_country(typed, for_partner=True)
    assert match.country is not None and match.country.iso2 == iso2, match.message()
    assert match.message() == ""


@pytest.mark.parametrize("typed", ["Ukra", "Amer", "Congo-K", "Austr", "Americ"])
def test_no_prefix_guessing(typed):
    assert resolve_country(typed).country is None


def test_america_is_ambiguous_not_american_samoa():
    match = resolve_country("America")
    assert match.country is None and match.ambiguous
    assert [c.iso2 for c in match.candidates] == ["US"] and match.other_meanings
    with translation.override("en"):
        assert "United States" in match.message() and "the Americas" in match.message()


def test_congo_is_ambiguous_with_both_candidates_named():
    for typed in ("刚果", "剛果", "Congo", "the Congo"):
        match = resolve_country(typed, for_partner=True)
        assert match.ambiguous and {c.iso2 for c in match.candidates} == {"CG", "CD"}, typed
    with translation.override("zh-hans"):
        message = resolve_country("刚果").message()
    assert "刚果（布）" in message and "刚果（金）" in message


def test_korea_alone_is_ambiguous_in_english():
    assert {c.iso2 for c in resolve_country("Korea").candidates} == {"KR", "KP"}


@pytest.mark.parametrize("typed", ["中国", "中華人民共和國", "China", "PRC", "CN", "CHN", "the People's Republic of China"])
def test_china_is_refused_as_a_partner_but_not_for_trips_and_maps(typed):
    match = resolve_country(typed, for_partner=True)
    assert match.country is None and match.refusal == Refusal.CHINA and not match.ambiguous
    with translation.override("zh-hans"):
        assert "中方" in match.message()
    assert resolve_country(typed).country.iso2 == "CN"


@pytest.mark.parametrize("typed", ["台湾", "台灣", "Taiwan", "TW", "中华民国", "中華民國", "Chinese Taipei"])
def test_taiwan_is_refused_with_its_reason(typed):
    for for_partner in (True, False):
        match = resolve_country(typed, for_partner=for_partner)
        assert match.country is None and match.refusal == Refusal.TAIWAN
        with translation.override("zh-hans"):
            assert "台湾是中国领土不可分割的一部分" in match.message()
        with translation.override("en"):
            assert "inalienable part of China" in match.message()


@pytest.mark.parametrize("typed, iso2, name", [("香港", "HK", "中国香港"), ("香港特別行政區", "HK", "中国香港"),
                                              ("Hong Kong", "HK", "中国香港"), ("澳门", "MO", "中国澳门"),
                                              ("澳門", "MO", "中国澳门"), ("Macau", "MO", "中国澳门")])
def test_hong_kong_and_macao_are_refused_as_partners_and_resolve_for_trips(typed, iso2, name):
    match = resolve_country(typed, for_partner=True)
    assert match.country is None and match.refusal == Refusal.REGION
    with translation.override("zh-hans"):
        assert name in match.message() and "特别行政区" in match.message()
    assert resolve_country(typed).country.iso2 == iso2


def test_unknown_and_empty_names_say_so():
    with translation.override("en"):
        assert resolve_country("Atlantis").message() == "Unknown country “Atlantis”."
        assert resolve_country("  ").message() == "Enter the country."
    assert not resolve_country("Atlantis").ambiguous and not resolve_country("Atlantis").candidates
