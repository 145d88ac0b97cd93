"""Build data/geo/countries.csv from two npm packages and the aliases offices use.

    npm install i18n-iso-countries@7.14.0 world-countries@5.1.0
    python scripts/build_countries.py path/to/node_modules

- Chinese common names: i18n-iso-countries 7.14.0 (MIT), `langs/zh.json`.
- English names, official names, ISO codes, centre point and region: world-countries 5.1.0 (ODbL 1.0).
- Continents follow the listing of China's Ministry of Foreign Affairs (外交部 国家和组织): Russia in Europe;
  Turkey, Cyprus and the Caucasus in Asia; Egypt in Africa; North and South America together.
- Taiwan, Hong Kong and Macao are parts of China, not countries; Kosovo is not recognised by China.
"""

import csv
import json
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "data" / "geo" / "countries.csv"
NOT_COUNTRIES = {"TW", "HK", "MO", "XK"}
CONTINENT = {"Asia": "asia", "Europe": "europe", "Africa": "africa", "Americas": "americas",
             "Oceania": "oceania", "Antarctic": "antarctica"}
CONTINENT_OVERRIDE = {"CY": "asia", "RU": "europe", "TR": "asia", "GE": "asia", "AM": "asia", "AZ": "asia"}
NAME_ZH_OVERRIDE = {"EH": "西撒哈拉", "MK": "北马其顿", "CZ": "捷克", "US": "美国", "GB": "英国"}
# Names offices write in reports and forms, beyond the common name.
ALIASES_ZH = {
    "KR": ["南韩", "大韩民国", "韩"], "KP": ["北韩"], "LA": ["老挝人民民主共和国", "寮国"], "CG": ["刚果共和国", "刚果(布)"],
    "CD": ["刚果民主共和国", "民主刚果", "刚果(金)", "扎伊尔"], "US": ["美利坚合众国", "美"], "GB": ["联合王国", "英"],
    "RU": ["俄罗斯联邦", "俄", "俄国"], "JP": ["日"], "FR": ["法"], "DE": ["德", "联邦德国"], "VN": ["越南社会主义共和国"],
    "AU": ["澳洲", "澳"], "NZ": ["纽西兰"], "ZA": ["南非共和国"], "CZ": ["捷克共和国"], "SZ": ["埃斯瓦蒂尼"],
    "CI": ["象牙海岸"], "MM": ["缅"], "BY": ["白俄"], "MK": ["马其顿"], "BA": ["波斯尼亚和黑塞哥维那"],
    "AE": ["阿拉伯联合酋长国"], "SA": ["沙特"], "NL": ["荷"], "IT": ["意"], "ES": ["西"], "PT": ["葡"],
    "IN": ["印"], "CA": ["加"], "BR": ["巴西联邦共和国"], "MX": ["墨"], "AR": ["阿根廷共和国"], "EG": ["埃"],
    "TL": ["东帝汶民主共和国"], "CV": ["佛得角"], "TR": ["土耳其共和国", "土"], "ID": ["印尼"], "MY": ["大马"],
    "PH": ["菲"], "SG": ["星加坡"], "TH": ["泰"], "KH": ["柬"], "KG": ["吉尔吉斯"], "FM": ["密克罗尼西亚"],
}
DROP_ALIAS = {"刚果", "阿拉伯撒哈拉民主共和国"}  # names that are ambiguous on purpose (Congo-Brazzaville or Congo-Kinshasa?)


def main(node_modules):
    root = Path(node_modules)
    zh = json.loads((root / "i18n-iso-countries" / "langs" / "zh.json").read_text("utf-8"))["countries"]
    world = json.loads((root / "world-countries" / "countries.json").read_text("utf-8"))
    rows = []
    seen_aliases = {}
    for c in world:
        iso2 = c["cca2"]
        if iso2 in NOT_COUNTRIES or not c.get("ccn3"):
            continue
        name_zh = NAME_ZH_OVERRIDE.get(iso2) or zh.get(iso2)
        if isinstance(name_zh, list):
            name_zh = name_zh[0]
        if not name_zh:
            continue
        zho = c["translations"].get("zho", {})
        aliases = [a for a in [zho.get("official"), zho.get("common"), *ALIASES_ZH.get(iso2, [])] if a]
        aliases = [a for a in dict.fromkeys(aliases) if a != name_zh and a not in DROP_ALIAS and not _traditional(a)]
        en_aliases = [c["name"]["official"], *c.get("altSpellings", [])]
        en_aliases = [a for a in dict.fromkeys(en_aliases) if len(a) > 3 and a.isascii() and a != c["name"]["common"]]
        for a in aliases:
            seen_aliases.setdefault(a, set()).add(iso2)
        lat, lon = c["latlng"]
        rows.append({
            "iso2": iso2, "iso3": c["cca3"], "numeric": c["ccn3"], "name_zh": name_zh, "name_en": c["name"]["common"],
            "aliases_zh": aliases, "aliases_en": "|".join(en_aliases),
            "continent": CONTINENT_OVERRIDE.get(iso2) or CONTINENT[c["region"]], "lat": f"{lat:.4f}", "lon": f"{lon:.4f}",
        })
    names = {r["name_zh"] for r in rows}
    for r in rows:
        r["aliases_zh"] = "|".join(a for a in r["aliases_zh"] if len(seen_aliases[a]) == 1 and a not in names)
    rows.sort(key=lambda r: r["iso2"])
    with open(OUT, "w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    print(f"{len(rows)} countries written to {OUT}")


def _traditional(text):
    return any(ch in text for ch in "馬頓國蘭亞爾諾維羅華灣聯眾衆")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "node_modules")
