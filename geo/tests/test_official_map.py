"""The drawn map boundaries (data/atlas) follow the official Chinese map.

Built by scripts/build_atlas_boundaries.py; these tests read the files only (no database).
"""

import csv
import gzip
import json
from functools import cache
from pathlib import Path

import pytest
from shapely.geometry import Point, shape

ROOT = Path(__file__).resolve().parents[2]
ATLAS = ROOT / "data" / "atlas"

TAWANG = (91.859, 27.586)  # (lon, lat)
AKSAI_CHIN = (79.3, 35.2)
TAIPEI = (121.56, 25.03)
HAIKOU = (110.34, 20.04)
DIAOYU = (123.475, 25.743)
CHANGSHA = (112.94, 28.23)
NEIGHBOURS = ["IN", "PK", "BT", "NP", "MM", "LA", "VN", "KP", "RU", "MN", "KZ", "KG", "TJ", "AF"]
HUNAN_PREFECTURES = {f"43{n:02d}00" for n in range(1, 14)} | {"433100"}


def _load(path):
    if not path.exists() and Path(str(path) + ".gz").exists():
        with gzip.open(str(path) + ".gz", "rt", encoding="utf-8") as fh:
            return json.load(fh)
    return json.loads(path.read_text("utf-8"))


@cache
def world():
    return _load(ATLAS / "world.geojson")["features"]


@cache
def country(iso2):
    found = [f for f in world() if f["properties"]["iso2"] == iso2]
    assert len(found) == 1, f"{iso2}: {len(found)} features"
    return shape(found[0]["geometry"])


def nine_dash(features):
    found = [f for f in features if f["properties"].get("kind") == "nine_dash"]
    assert len(found) == 1
    return found[0]


@pytest.mark.parametrize("place", [TAWANG, AKSAI_CHIN, TAIPEI, HAIKOU], ids=["Tawang", "Aksai Chin", "Taipei", "Haikou"])
def test_china_holds_its_territory(place):
    assert country("CN").contains(Point(*place))


def test_diaoyu_dao_is_drawn_as_china():
    assert country("CN").distance(Point(*DIAOYU)) < 0.05


@pytest.mark.parametrize("place", [TAWANG, AKSAI_CHIN], ids=["Tawang", "Aksai Chin"])
def test_india_does_not(place):
    assert not country("IN").contains(Point(*place))
    assert not country("IN").buffer(0.05).contains(Point(*place))


def test_taiwan_is_no_country_and_codes_are_iso2():
    codes = [f["properties"]["iso2"] for f in world() if f["properties"].get("kind") != "nine_dash"]
    assert "TW" not in codes and "HK" not in codes and "MO" not in codes and "XK" not in codes
    assert len(codes) == len(set(codes)) > 150
    for f in world():
        props = f["properties"]
        if props.get("kind") != "nine_dash":
            assert props["name"] == props["iso2"] and len(props["iso2"]) == 2 and props["iso2"].isupper()


def test_nine_dash_feature_in_world():
    feature = nine_dash(world())
    assert feature["properties"] == {"iso2": "", "name": "nine_dash", "kind": "nine_dash"}
    minx, miny, maxx, maxy = shape(feature["geometry"]).bounds
    assert miny < 5 and 105 <= minx and maxx <= 125


def _dashes(geom):
    """Parts that are long and thin: the dashes of the line (islands are not)."""
    out = []
    for part in getattr(geom, "geoms", [geom]):
        rect = part.minimum_rotated_rectangle
        xs, ys = rect.exterior.coords.xy
        sides = sorted(((xs[i + 1] - xs[i]) ** 2 + (ys[i + 1] - ys[i]) ** 2) ** 0.5 for i in range(2))
        if sides[1] > 0.5 and sides[1] > 8 * sides[0]:
            out.append(part)
    return out


def test_the_line_has_its_ten_dashes():
    assert len(_dashes(shape(nine_dash(world())["geometry"]))) == 10
    assert len(_dashes(shape(nine_dash(_load(ATLAS / "china.geojson")["features"])["geometry"]))) == 10


@pytest.mark.parametrize("iso2", NEIGHBOURS)
def test_neighbours_do_not_overlap_china(iso2):
    assert country("CN").intersection(country(iso2)).area < 0.01


def test_no_countries_overlap_around_china():
    near = [(f["properties"]["iso2"], shape(f["geometry"])) for f in world()
            if f["properties"]["iso2"] and shape(f["geometry"]).intersects(country("CN").envelope.buffer(2))]
    assert len(near) > 15
    for i, (a, ga) in enumerate(near):
        for b, gb in near[i + 1:]:
            assert ga.intersection(gb).area < 0.01, (a, b)


def test_world_file_is_small():
    assert (ATLAS / "world.geojson").stat().st_size < 400 * 1024


def test_china_provinces():
    features = _load(ATLAS / "china.geojson")["features"]
    with open(ROOT / "data" / "divisions" / "cn_divisions.csv", encoding="utf-8") as fh:
        expected = {r["code"] for r in csv.DictReader(fh) if r["level"] == "province"}
    provinces = [f for f in features if f["properties"].get("kind") != "nine_dash"]
    assert len(provinces) == 34 and {f["properties"]["code"] for f in provinces} == expected
    assert nine_dash(features)["properties"] == {"code": "", "name": "南海诸岛", "kind": "nine_dash"}
    by_code = {f["properties"]["code"]: f for f in provinces}
    assert by_code["430000"]["properties"]["name"] == "湖南"
    for code, place in [("710000", TAIPEI), ("460000", HAIKOU), ("540000", TAWANG), ("650000", AKSAI_CHIN),
                        ("430000", CHANGSHA)]:
        assert shape(by_code[code]["geometry"]).contains(Point(*place)), code
    assert all(shape(f["geometry"]).is_valid for f in features)


def test_every_province_has_its_map():
    with open(ROOT / "data" / "divisions" / "cn_divisions.csv", encoding="utf-8") as fh:
        codes = {r["code"] for r in csv.DictReader(fh) if r["level"] == "province"}
    for code in codes:
        features = _load(ATLAS / "provinces" / f"{code}.geojson")["features"]
        assert features, code
        matched = [f["properties"]["code"] for f in features if f["properties"]["code"]]
        assert all(c[:2] == code[:2] for c in matched) and len(matched) == len(set(matched)), code
        if code not in ("710000", "810000", "820000"):  # GB/T 2260 lists no divisions below these three
            assert len(matched) == len(features), code


def test_hunan_prefectures():
    features = _load(ATLAS / "provinces" / "430000.geojson")["features"]
    by_code = {f["properties"]["code"]: f for f in features}
    assert len(features) == 14 and set(by_code) == HUNAN_PREFECTURES
    assert by_code["430100"]["properties"]["name"] == "长沙市"
    assert by_code["433100"]["properties"]["name"] == "湘西土家族苗族自治州"
    assert shape(by_code["430100"]["geometry"]).contains(Point(*CHANGSHA))
    assert all(shape(f["geometry"]).is_valid for f in features)
