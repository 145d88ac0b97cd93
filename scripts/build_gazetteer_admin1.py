"""Build data/gazetteer/admin1.csv: first-level administrative divisions of the world.

One row per first-level ISO 3166-2 subdivision (a subdivision without a parent
subdivision; see WITH_SECOND_LEVEL and SECOND_LEVEL_ONLY for the exceptions) of
every country except CN, TW, HK and MO, with the columns

    code,country_iso2,name_en,name_local,name_zh,aliases_zh,lat,lon

(`code`: the ISO 3166-2 code, which the cities of cities15000.csv.gz name as their division)

Inputs (package archives, read as they are; Python 3 standard library only):

* iso3166_2-1.8.4-py3-none-any.whl       PyPI iso3166-2 1.8.4 (MIT): the list of
  subdivisions, their parents and types, ISO names, local/other names, lat/lng;
* cldr-subdivisions-full-48.2.0.tgz       npm cldr-subdivisions-full 48.2.0
  (Unicode-3.0): English display names of subdivisions;
* pycountry-26.2.16-py3-none-any.whl      PyPI pycountry 26.2.16 (LGPL-2.1, data
  of Debian iso-codes): Simplified Chinese (zh_CN) translations of ISO names;
* data/gazetteer/admin1_zh.csv            hand-made Chinese names
  (country_iso2,name_en,name_zh,aliases_zh), which take precedence.

Fetch the archives with
    pip download --no-deps iso3166-2==1.8.4 pycountry==26.2.16 -d /tmp/admin1/pkgs
    npm pack cldr-subdivisions-full@48.2.0 --pack-destination /tmp/admin1/pkgs
and run
    python3 scripts/build_gazetteer_admin1.py [/tmp/admin1/pkgs]
"""

import argparse
import csv
import difflib
import gettext
import io
import json
import re
import sys
import tarfile
import unicodedata
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GAZ = ROOT / "data" / "gazetteer"
DEFAULT_PKGS = Path("/tmp/admin1/pkgs")
ISO_WHL = "iso3166_2-1.8.4-py3-none-any.whl"
PYCOUNTRY_WHL = "pycountry-26.2.16-py3-none-any.whl"
CLDR_TGZ = "cldr-subdivisions-full-48.2.0.tgz"

EXCLUDED = {"CN", "TW", "HK", "MO"}
# Countries whose second-level subdivisions are kept as well: the provinces of
# Belgium (under its three regions) and of the Philippines (under its regions).
WITH_SECOND_LEVEL = {"BE", "PH"}
# Countries whose ISO top level is geographic, not administrative: their
# second-level subdivisions (provinces of Indonesia, municipalities of Cabo Verde
# and of the Marshall Islands) are used instead.
SECOND_LEVEL_ONLY = {"ID", "CV", "MH"}
HEADER = ["code", "country_iso2", "name_en", "name_local", "name_zh", "aliases_zh", "lat", "lon"]
CJK = re.compile(r"[\u3400-\u9fff]")

# Local language(s) (ISO 639-3, in order of preference) of countries whose ISO
# subdivision names are romanised from another script: name_local is taken from
# iso3166-2's localOtherName in that language. Other countries use the ISO name.
LOCAL_LANG = {
    "AE": ["ara"], "AF": ["prs", "pus"], "AM": ["hye"], "BD": ["ben"], "BG": ["bul"],
    "BH": ["ara"], "BT": ["dzo"], "BY": ["bel", "rus"], "CY": ["ell"], "DZ": ["ara"],
    "EG": ["ara"], "ER": ["tir", "ara"], "ET": ["amh"], "GE": ["kat"], "GR": ["ell"],
    "IL": ["heb"], "IN": ["hin"], "IQ": ["ara"], "IR": ["fas"], "JO": ["ara"],
    "JP": ["jpn"], "KG": ["kir", "rus"], "KH": ["khm"], "KP": ["kor"], "KR": ["kor"],
    "KW": ["ara"], "KZ": ["kaz", "rus"], "LA": ["lao"], "LB": ["ara"], "LK": ["sin", "tam"],
    "LY": ["ara"], "MA": ["ara"], "MK": ["mkd"], "MM": ["mya"], "MN": ["mon"],
    "MR": ["ara"], "MV": ["div"], "NP": ["nep"], "OM": ["ara"], "PK": ["urd"],
    "PS": ["ara"], "QA": ["ara"], "RS": ["srp"], "RU": ["rus"], "SA": ["ara"],
    "SD": ["ara"], "SY": ["ara"], "TH": ["tha"], "TJ": ["tgk"], "TN": ["ara"],
    "UA": ["ukr"], "YE": ["ara"],
}

# English names where neither CLDR nor the ISO name gives the usual English form.
NAME_EN = {
    "UA-05": "Vinnytsia Oblast", "UA-07": "Volyn Oblast", "UA-09": "Luhansk Oblast",
    "UA-12": "Dnipropetrovsk Oblast", "UA-14": "Donetsk Oblast", "UA-18": "Zhytomyr Oblast",
    "UA-21": "Zakarpattia Oblast", "UA-23": "Zaporizhzhia Oblast",
    "UA-26": "Ivano-Frankivsk Oblast", "UA-30": "Kyiv", "UA-32": "Kyiv Oblast",
    "UA-35": "Kirovohrad Oblast", "UA-40": "Sevastopol", "UA-43": "Autonomous Republic of Crimea",
    "UA-46": "Lviv Oblast", "UA-48": "Mykolaiv Oblast", "UA-51": "Odesa Oblast",
    "UA-53": "Poltava Oblast", "UA-56": "Rivne Oblast", "UA-59": "Sumy Oblast",
    "UA-61": "Ternopil Oblast", "UA-63": "Kharkiv Oblast", "UA-65": "Kherson Oblast",
    "UA-68": "Khmelnytskyi Oblast", "UA-71": "Cherkasy Oblast", "UA-74": "Chernihiv Oblast",
    "UA-77": "Chernivtsi Oblast",
    "RU-MOS": "Moscow Oblast", "RU-MOW": "Moscow", "RU-YEV": "Jewish Autonomous Oblast",
    "RU-BU": "Buryatia", "RU-CE": "Chechnya", "RU-CU": "Chuvashia", "RU-UD": "Udmurtia",
    "RU-KB": "Kabardino-Balkaria", "RU-KC": "Karachay-Cherkessia", "RU-SA": "Sakha (Yakutia)",
    "RU-AL": "Altai Republic", "RU-ALT": "Altai Krai", "RU-KHM": "Khanty-Mansi Autonomous Okrug",
    "RU-CHU": "Chukotka Autonomous Okrug", "RU-NEN": "Nenets Autonomous Okrug",
    "RU-YAN": "Yamalo-Nenets Autonomous Okrug",
    "US-DC": "District of Columbia",
    "NI-AN": "North Caribbean Coast", "NI-AS": "South Caribbean Coast",
    "US-PR": "Puerto Rico", "US-MP": "Northern Mariana Islands",
    "FR-20R": "Corsica", "FR-GES": "Grand Est", "FR-NOR": "Normandy", "FR-OCC": "Occitania",
    "FR-PDL": "Pays de la Loire", "FR-PAC": "Provence-Alpes-Côte d'Azur",
    "FR-973": "French Guiana", "FR-974": "Réunion", "FR-NC": "New Caledonia",
    "FR-PF": "French Polynesia", "FR-TF": "French Southern and Antarctic Lands",
    "FR-BL": "Saint Barthélemy", "FR-PM": "Saint Pierre and Miquelon", "FR-CP": "Clipperton Island",
    "FR-WF": "Wallis and Futuna", "FR-MF": "Saint Martin",
    "NL-AW": "Aruba", "NL-CW": "Curaçao", "NL-SX": "Sint Maarten",
    "BE-BRU": "Brussels-Capital Region",
    "ES-MD": "Community of Madrid", "ES-MC": "Region of Murcia", "ES-NC": "Navarre",
    "MX-CMX": "Mexico City", "MX-MEX": "State of Mexico",
    "KR-29": "Gwangju",
    "IR-03": "East Azerbaijan", "IR-04": "West Azerbaijan", "IR-09": "Razavi Khorasan",
    "IR-28": "North Khorasan", "IR-29": "South Khorasan",
    "IN-DH": "Dadra and Nagar Haveli and Daman and Diu",
    "ID-PD": "Southwest Papua", "ID-PE": "Highland Papua", "ID-PS": "South Papua",
    "ID-PT": "Central Papua",
    "PH-14": "Bangsamoro", "PH-15": "Cordillera Administrative Region", "PH-COM": "Davao de Oro",
    "PH-MOU": "Mountain Province",
    "KZ-10": "Abai Region", "KZ-11": "Akmola Region", "KZ-15": "Aktobe Region",
    "KZ-19": "Almaty Region", "KZ-23": "Atyrau Region", "KZ-27": "West Kazakhstan Region",
    "KZ-31": "Jambyl Region", "KZ-33": "Jetisu Region", "KZ-35": "Karaganda Region",
    "KZ-39": "Kostanay Region", "KZ-43": "Kyzylorda Region", "KZ-47": "Mangystau Region",
    "KZ-55": "Pavlodar Region", "KZ-59": "North Kazakhstan Region", "KZ-61": "Turkistan Region",
    "KZ-62": "Ulytau Region", "KZ-63": "East Kazakhstan Region", "KZ-71": "Astana",
    "KZ-75": "Almaty", "KZ-79": "Shymkent",
}
# Local names where iso3166-2 gives a short or misspelt form.
NAME_LOCAL = {
    "KR-11": "서울특별시", "KR-26": "부산광역시", "KR-27": "대구광역시", "KR-28": "인천광역시",
    "KR-29": "광주광역시", "KR-30": "대전광역시", "KR-31": "울산광역시", "KR-50": "세종특별자치시",
    "KR-41": "경기도", "KR-42": "강원특별자치도", "KR-43": "충청북도", "KR-44": "충청남도",
    "KR-45": "전북특별자치도", "KR-46": "전라남도", "KR-47": "경상북도", "KR-48": "경상남도",
    "KR-49": "제주특별자치도",
    "RU-KGN": "Курганская область", "JP-26": "京都府", "LA-KH": "ຄຳມ່ວນ",
    "ID-PE": "Papua Pegunungan",
}
# Coordinates that iso3166-2 1.8.4 has wrong (a point in another region): the
# capital's coordinates from GeoNames (data/gazetteer/cities15000.csv.gz) instead,
# or those of the same place listed under another country code.
COORD_FIX = {
    "MA-11": (27.1418, -13.1880),  # Laâyoune-Sakia El Hamra: Laayoune (was Rabat)
    "CG-2": (-3.6819, 13.3498),  # Lékoumou: Sibiti (was in the north of the country)
    "PH-14": (7.2236, 124.2464),  # Muslim Mindanao: Cotabato (was in the Sulu Sea)
    "RS-KM": (42.6727, 21.1669),  # Kosovo-Metohija: Pristina (was Belgrade)
}
COORD_FROM = {"NL-BQ1": "BQ-BO", "NL-BQ2": "BQ-SA", "NL-BQ3": "BQ-SE"}  # were in the Netherlands

# Countries whose CLDR subdivision keys still follow ISO codes since reassigned
# to other subdivisions: their CLDR names are not used.
CLDR_STALE = {"IR", "MA"}
# Countries whose English names are the ISO names (Japan: "Hyogo", not CLDR's "Hyōgo").
PLAIN_ISO_EN = {"JP"}
# Russian oblasts and krais: "<CLDR name> Oblast" / "<CLDR name> Krai".
RU_SUFFIX = {"Administrative region": " Oblast", "Administrative territory": " Krai"}


def fold(s):
    s = unicodedata.normalize("NFKD", s)
    return "".join(ch for ch in s.lower() if ch.isalnum())


def similar(a, b):
    a, b = fold(a), fold(b)
    return bool(a and b) and (a in b or b in a or difflib.SequenceMatcher(None, a, b).ratio() >= 0.7)


def parse_other_names(text):
    """'北海道 (jpn), Hokkaido (eng)' -> [('北海道', 'jpn'), ('Hokkaido', 'eng')]."""
    out = []
    for m in re.finditer(r"'([^']+?)\s*\(([\w\-]+)\)'|([^,']+?)\s*\(([\w\-]+)\)", text or ""):
        name, lang = (m.group(1), m.group(2)) if m.group(1) else (m.group(3), m.group(4))
        out.append((name.strip(" ,'"), lang))
    return out


def clean_iso(name):
    """ISO name in reading order: 'Asturias, Principado de' -> 'Principado de Asturias'."""
    name = re.sub(r"\s*\[[^\]]*\]", "", name).strip()
    if name.count(", ") == 1 and "(" not in name:
        head, tail = name.split(", ")
        name = f"{tail} {head}"
        name = name[0].upper() + name[1:]
    return name


def load_sources(pkgs):
    with zipfile.ZipFile(pkgs / ISO_WHL) as z:
        iso = json.loads(z.read("iso3166_2/iso3166-2.json"))
    with tarfile.open(pkgs / CLDR_TGZ) as t:
        cldr = json.load(t.extractfile("package/subdivisions/en/en.json"))
    cldr = cldr["subdivisions"]["localeDisplayNames"]["subdivisions"]
    with zipfile.ZipFile(pkgs / PYCOUNTRY_WHL) as z:
        pyc = json.loads(z.read("pycountry/databases/iso3166-2.json"))["3166-2"]
        mo = z.read("pycountry/locales/zh_CN/LC_MESSAGES/iso3166-2.mo")
        mo_countries = z.read("pycountry/locales/zh_CN/LC_MESSAGES/iso3166-1.mo")
    zh_cat = gettext.GNUTranslations(io.BytesIO(mo))._catalog
    country_names = {v for k, v in gettext.GNUTranslations(io.BytesIO(mo_countries))._catalog.items() if k}
    iso_codes_zh = {}
    for sub in pyc:
        zh = zh_cat.get(sub["name"])
        if zh and CJK.search(zh) and zh != sub["name"]:
            iso_codes_zh[sub["code"]] = zh.strip()
    return iso, cldr, iso_codes_zh, country_names


def known_names(sub):
    return [sub["name"], clean_iso(sub["name"])] + [n for n, _ in parse_other_names(sub["localOtherName"])]


def english_name(code, sub, cldr, notes):
    if code in NAME_EN:
        return NAME_EN[code]
    iso_name = clean_iso(sub["name"])
    if code[:2] in PLAIN_ISO_EN:
        return iso_name
    name = ""
    if code[:2] not in CLDR_STALE:
        name = re.sub(r"[²³¹†*]", "", cldr.get(code.lower().replace("-", ""), "")).strip()
    if name and not any(similar(name, n) for n in known_names(sub)):
        notes.append(f"CLDR name {name!r} kept for {code} ({sub['name']})")
    if not name:
        # Else an English name among the local/other names that resembles the
        # ISO name (not a nickname such as "The Centennial State"), else the ISO name.
        eng = [n for n, lang in parse_other_names(sub["localOtherName"]) if lang == "eng"]
        name = next((n for n in eng if similar(n, iso_name)), iso_name)
    name = re.sub(r"\s*\((EH|EH-partial)\)$", "", name).replace("\u2013", "-").replace("\u2019", "'")
    # Macrons of romanised names dropped as in common English use (Telangāna).
    if code[:2] in ("IN",):
        name = "".join(ch for ch in unicodedata.normalize("NFD", name) if ch != "\u0304")
        name = unicodedata.normalize("NFC", name)
    suffix = RU_SUFFIX.get(sub["type"]) if code.startswith("RU-") else None
    if suffix and not name.endswith(suffix):
        name += suffix
    return name


def local_name(country, code, sub):
    if code in NAME_LOCAL:
        return NAME_LOCAL[code]
    langs = LOCAL_LANG.get(country)
    if not langs:
        return clean_iso(sub["name"])
    names = parse_other_names(sub["localOtherName"])
    for lang in langs:
        for name, tag in names:
            if tag == lang:
                if country == "JP":
                    name = jp_full_name(code, name)
                return name
    return ""


def jp_full_name(code, name):
    if name.endswith(("都", "道", "府", "県")):
        return name
    return name + {"JP-13": "都", "JP-26": "府", "JP-27": "府"}.get(code, "県")


def load_zh_overrides(path):
    table = {}
    if not path.exists():
        return table
    with open(path, encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            key = (row["country_iso2"].strip(), row["name_en"].strip())
            if key in table:
                sys.exit(f"duplicate row in {path}: {key}")
            table[key] = (row["name_zh"].strip(), row.get("aliases_zh", "").strip())
    return table


# Short forms that are ordinary words (Benin's 丘陵省 "Collines" -> 丘陵), not names.
GENERIC_STEMS = {
    "三角", "丘陵", "中央", "首都", "高原", "盆地", "西盆地", "峡谷", "河口", "河流", "海湾",
    "滨海", "沿海", "大西洋", "极北", "菩萨", "湖区", "山区", "海外", "联邦", "扎伊尔",
}


def short_alias(name_zh, country_names):
    """'阿肯色州' -> '阿肯色': a short form for names from iso-codes, unless the
    short form is a plain word or the name of a country ('尼日尔州' -> no alias)."""
    for suffix in ("省", "州"):
        if name_zh.endswith(suffix) and len(name_zh) - len(suffix) >= 2:
            stem = name_zh[: -len(suffix)]
            if (stem not in GENERIC_STEMS and stem not in country_names
                    and not re.fullmatch(r"[东南西北中]+[部方]?", stem)):
                return stem
    return ""


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("pkgs", nargs="?", type=Path, default=DEFAULT_PKGS,
                    help=f"folder holding {ISO_WHL}, {PYCOUNTRY_WHL} and {CLDR_TGZ}")
    ap.add_argument("--zh", type=Path, default=GAZ / "admin1_zh.csv")
    ap.add_argument("--out", type=Path, default=GAZ / "admin1.csv")
    ap.add_argument("--verbose", action="store_true", help="list CLDR names unlike the ISO names")
    args = ap.parse_args()

    iso, cldr, iso_codes_zh, country_names = load_sources(args.pkgs)
    zh_table = load_zh_overrides(args.zh)
    notes, rows = [], []
    for country, subs in iso.items():
        if country in EXCLUDED:
            continue
        for code, sub in subs.items():
            top = sub["parentCode"] is None
            if country in SECOND_LEVEL_ONLY:
                if top:
                    continue
            elif not top and country not in WITH_SECOND_LEVEL:
                continue
            lat, lon = sub["latLng"]
            if code in COORD_FIX:
                lat, lon = COORD_FIX[code]
            elif code in COORD_FROM:
                other = COORD_FROM[code]
                lat, lon = iso[other[:2]][other]["latLng"]
            name_en = english_name(code, sub, cldr, notes)
            rows.append({
                "code": code, "country_iso2": country, "name_en": name_en,
                "name_local": local_name(country, code, sub),
                "lat": f"{float(lat):.4f}", "lon": f"{float(lon):.4f}",
            })

    seen = {}
    for row in rows:
        key = (row["country_iso2"], row["name_en"])
        if key in seen:
            sys.exit(f"duplicate name_en {key}: {seen[key]} and {row['code']}")
        seen[key] = row["code"]

    used = set()
    for row in rows:
        key = (row["country_iso2"], row["name_en"])
        if key in zh_table:
            used.add(key)
            row["name_zh"], row["aliases_zh"] = zh_table[key]
        else:
            row["name_zh"] = iso_codes_zh.get(row["code"], "")
            row["aliases_zh"] = short_alias(row["name_zh"], country_names) if row["name_zh"] else ""

    # Drop aliases that name another division of the same country.
    names_by_country = {}
    for row in rows:
        names_by_country.setdefault(row["country_iso2"], set()).add(row["name_zh"])
    for row in rows:
        aliases = [a for a in row["aliases_zh"].split("|") if a and a != row["name_zh"]]
        others = names_by_country[row["country_iso2"]] - {row["name_zh"]}
        row["aliases_zh"] = "|".join(dict.fromkeys(a for a in aliases if a not in others))

    for key in sorted(set(zh_table) - used):
        print(f"warning: {args.zh.name} row matches no division: {key}", file=sys.stderr)
    if args.verbose:
        for note in notes:
            print("note:", note, file=sys.stderr)

    rows.sort(key=lambda r: (r["country_iso2"], r["name_en"]))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with open(args.out, "w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=HEADER, extrasaction="ignore", lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    n_zh = sum(1 for r in rows if r["name_zh"])
    print(f"{len(rows)} divisions of {len({r['country_iso2'] for r in rows})} countries "
          f"written to {args.out} ({n_zh} with name_zh)")


if __name__ == "__main__":
    main()
