"""Name keys: the same name in simplified or traditional characters, with or without diacritics, is one key;
the name as given is kept and shown in simplified characters."""

import pytest

from geo.text import chinese_name, name_keys, normalize, search_text, to_simplified


@pytest.mark.parametrize("a, b", [("Łódź", "Lodz"), ("Linköping", "Linkoping"), ("Türkiye", "TURKIYE"),
                                  ("Côte d’Ivoire", "Cote d'Ivoire"), ("Straße", "Strasse"), ("Ærø", "aero"),
                                  ("İzmir", "izmir"), ("Москва", "Moskva"), ("法國", "法国"), ("義大利", "义大利"),
                                  ("麗水市", "丽水市"), ("刚果（布）", "刚果(布)"), ("Saint-Étienne", "saint etienne")])
def test_one_key_for_one_name(a, b):
    assert normalize(a) == normalize(b)


@pytest.mark.parametrize("a, b", [("Niger", "Nigeria"), ("大阪", "大坂"), ("서울", "서울시"), ("Lodz", "Lodzkie")])
def test_different_names_keep_different_keys(a, b):
    assert normalize(a) != normalize(b)


def test_cjk_is_not_transliterated():
    assert normalize("滋賀") == "滋贺" and normalize("서울") == "서울" and normalize("ソウル") == "ソウル"


def test_taiwan_and_japanese_usage_are_fallback_keys():
    assert name_keys("義大利") == ("义大利", "意大利")
    assert "鹿儿岛" in name_keys("鹿児島") and name_keys("Paris") == ("paris",)


def test_names_shown_in_simplified_characters_as_given():
    assert to_simplified("麗水") == "丽水" and to_simplified("Łódź") == "Łódź"
    assert to_simplified("義大利") == "义大利"  # the script changes, not the wording


def test_the_chinese_name_of_a_place_is_chinese():
    assert chinese_name(["ソウル特別市", "首爾"]) == "首尔"
    assert chinese_name(["横浜", "横浜市", "横滨市"]) == "横滨市"
    assert chinese_name(["広島"]) == ""


def test_search_text_holds_keys_and_pinyin():
    assert search_text("滋賀縣", "Shiga").split() == ["滋贺县", "zihexian", "zhx", "shiga"]
