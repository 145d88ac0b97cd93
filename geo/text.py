"""Name normalisation and search keys: Chinese, English and pinyin.

`normalize()` gives the key every name is matched by: case-, width-, space- and
punctuation-insensitive, traditional-insensitive (法國 = 法国, via OpenCC) and
diacritic-insensitive, letters that do not decompose included (Łódź = Lodz,
Türkiye = Turkiye, via anyascii). Keys are for matching only: the name as given
is always kept beside them.

A record's search text holds its keys plus the pinyin of its Chinese names,
joined ("zihexian") and initialled ("zhx"), so that typing "zihe", "Shiga" or
"滋贺" finds 滋贺县.
"""

import re
import unicodedata
from functools import cache, lru_cache

from anyascii import anyascii
from opencc import OpenCC
from pypinyin import lazy_pinyin

CJK = re.compile(r"[\u3400-\u9fff]")
# Han ideographs (unified, extension A, compatibility, extensions B and up): what OpenCC converts.
HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]")
# Runs of non-ASCII characters outside the CJK scripts (Han, kana, Hangul, bopomofo): these are folded to
# ASCII. CJK characters are never transliterated: 滋賀 must not become "zi he" here (pinyin keys are separate),
# nor 서울 "seoul" (a Korean name is matched as written).
_FOLDABLE = re.compile(
    r"[^\x00-\x7f\u1100-\u11ff\u3040-\u30ff\u3100-\u312f\u3130-\u318f\u31a0-\u31ff\u3400-\u4dbf\u4e00-\u9fff"
    r"\ua960-\ua97f\uac00-\ud7ff\uf900-\ufaff\U00020000-\U0003134f]+"
)
_FULLWIDTH = str.maketrans({"（": "(", "）": ")", "，": ",", "　": " ", "－": "-", "—": "-", "·": "", "・": ""})
_DROP = re.compile(r"[\s\-'’.,]+")


@cache
def _converter(config):
    # Building a converter loads its dictionaries: once per process and configuration.
    return OpenCC(config)


def normalize(text):
    """The search key of a name: 'Côte d’Ivoire' → 'cotedivoire', '法國' → '法国'."""
    text = str(text or "")
    if text.isascii():
        # Most cells of an import are ASCII: no Unicode work, no conversion.
        return _DROP.sub("", text).lower()
    return _normalize_unicode(text)


@lru_cache(maxsize=1 << 16)
def _normalize_unicode(text):
    # The same few country, state and city names repeat through a 100,000-row import.
    text = unicodedata.normalize("NFKC", text).translate(_FULLWIDTH)
    if HAN.search(text):
        text = _converter("t2s").convert(text)
    text = _FOLDABLE.sub(lambda m: anyascii(m.group()), text)
    return _DROP.sub("", text).lower()


def to_simplified(text):
    """A Chinese name as given, in simplified characters, for display (麗水 → 丽水).

    Character by character (OpenCC t2s): the name is not reworded, only its script changes.
    """
    text = str(text or "")
    if not HAN.search(text):
        return text
    return _converter("t2s").convert(text)


_KANA_HANGUL = re.compile(r"[\u3040-\u30ff\u31f0-\u31ff\u1100-\u11ff\u3130-\u318f\uac00-\ud7af]")


def chinese_name(names):
    """The first of `names` that is written in Chinese, in simplified characters, or "".

    Gazetteer names in Chinese script include Japanese and Korean ones: names with kana or hangul
    (ソウル特別市) are skipped, and so are names in Japanese forms of characters (横浜, 広島), found
    as those OpenCC's jp2t reads differently; 横滨市 or 廣島市 (→ 广岛市) are taken instead.
    """
    for name in names:
        if not name or not HAN.search(name) or _KANA_HANGUL.search(name):
            continue
        simplified = to_simplified(name)
        if _converter("t2s").convert(_converter("jp2t").convert(name)) == simplified:
            return simplified
    return ""


def name_keys(text):
    """The keys a name is looked up by, best first.

    The first is `normalize(text)`. For Chinese-script text, variants follow where they differ:
    Taiwan's usage read as the mainland's (義大利 → 意大利, 紐西蘭 → 新西兰, 喬治亞州 → 佐治亚州:
    OpenCC tw2sp), because names in traditional characters often come with Taiwan's transliterations;
    and Japanese forms of characters read as Chinese (鹿児島 → 鹿儿岛, 横浜 → 横滨: OpenCC jp2t), because
    gazetteer names of Japanese places are often Japanese.
    """
    first = normalize(text)
    if not first or not HAN.search(str(text)):
        return (first,) if first else ()
    return tuple(dict.fromkeys(k for k in (first, *_variant_keys(str(text))) if k))


@lru_cache(maxsize=1 << 14)
def _variant_keys(text):
    text = unicodedata.normalize("NFKC", text)
    return normalize(_converter("tw2sp").convert(text)), normalize(_converter("jp2t").convert(text))


@lru_cache(maxsize=1 << 16)
def _pinyin(text):
    syllables = [s for s in lazy_pinyin(to_simplified(text), errors="ignore") if s.strip()]
    return ("".join(syllables), "".join(s[0] for s in syllables)) if syllables else ()


def pinyin_keys(text):
    """The pinyin of a Chinese name, joined ("zihexian") and initialled ("zhx"); [] for other names."""
    if not text or not CJK.search(text):
        return []
    return list(_pinyin(text))


def search_text(*names):
    keys = []
    for name in names:
        if not name:
            continue
        keys.append(normalize(name))
        keys.extend(pinyin_keys(name))
    return " ".join(dict.fromkeys(k for k in keys if k))


def query_key(query):
    """The normalised form a search query is matched with."""
    return normalize(query)
