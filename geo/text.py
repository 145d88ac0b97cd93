"""Name normalisation and search keys: Chinese, English and pinyin.

A record's search text holds its names lower-cased plus the pinyin of its
Chinese names, joined ("zihexian") and initialled ("zhx"), so that typing
"zihe", "Shiga" or "滋贺" finds 滋贺县.
"""

import re
import unicodedata

from pypinyin import lazy_pinyin

CJK = re.compile(r"[\u3400-\u9fff]")
_FULLWIDTH = str.maketrans({"（": "(", "）": ")", "，": ",", "　": " ", "－": "-", "—": "-", "·": "", "・": ""})


def normalize(text):
    """Case-, width-, accent- and space-insensitive form of a name."""
    text = unicodedata.normalize("NFKC", str(text or "")).translate(_FULLWIDTH)
    text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return re.sub(r"[\s\-'’.,]+", "", text).lower()


def pinyin_keys(text):
    if not text or not CJK.search(text):
        return []
    syllables = [s for s in lazy_pinyin(text, errors="ignore") if s.strip()]
    if not syllables:
        return []
    return ["".join(syllables), "".join(s[0] for s in syllables)]


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
