"""Build the boundary files the app's maps draw (data/atlas/*.geojson), offline, following the official Chinese map.

Fetch the npm packages once into a scratch folder (nothing is loaded from outside at run time):

    mkdir -p /tmp/atlas-build && cd /tmp/atlas-build
    npm install --no-save --ignore-scripts echarts@4.9.0 world-atlas@2.0.2 topojson-client@3.1.0 \
        @surbowl/world-geo-json-zh@2.1.5
    # or: npm pack echarts@4.9.0 world-atlas@2.0.2 topojson-client@3.1.0 @surbowl/world-geo-json-zh@2.1.5
    #     and unpack each .tgz to node_modules/<name> (the tarballs unpack to package/)
    .venv/bin/python scripts/build_atlas_boundaries.py --pkgs /tmp/atlas-build/node_modules

Needs node (to run topojson-client) and, in Python, only shapely (>= 2.2, for coverage_clean) and the standard
library. The same packages give the same bytes.

What it writes (see data/atlas/SOURCES.md, section "Boundaries"):

- data/atlas/china.geojson: the 34 provinces of ECharts 4.9.0 `map/json/china.json` (decoded, hairline gaps
  between neighbours closed, coordinates on a 0.0001° grid; Taiwan's feature includes 钓鱼岛), properties
  {"code": GB/T 2260 code, "name": short name as ECharts has it}, plus a feature
  {"code": "", "name": "南海诸岛", "kind": "nine_dash"}: the South China Sea islands (三沙市 of ECharts'
  `map/json/province/hainan.json`) and the ten dashes of the dashed line (段线).
  ECharts 4.9.0 has no geographic dashed line: its china.json has no 南海诸岛 feature and the runtime adds a
  schematic inset box at 126°E 25°N (src/coord/geo/fix/nanhai.js; ECharts 6 does the same for a map
  registered as "china" unless a region named 南海诸岛 exists). The dashes are therefore taken from
  @surbowl/world-geo-json-zh 2.1.5 (Unlicense; its author drew them after the DataV/AutoNavi map, 审图号
  GS京(2022)1061号): the ten polygons its annotated world.zh.jsonc marks 中国南海海域十段线, checked to be
  part of the CN geometry in world.zh.json.
- data/atlas/world.geojson: world-atlas 2.0.2 countries-110m (Natural Earth) with properties
  {"iso2": "FR", "name": "FR"}; N. Cyprus -> CY, Somaliland -> SO, Kosovo -> RS; Taiwan is part of CN; CN is
  replaced by the union of the ECharts provinces (simplified 0.02°); every other country has CN subtracted
  (so Aksai Chin and Zangnan / South Tibet are China only), and the slivers Natural Earth's China had outside
  the ECharts outline go to the neighbour they share the longest border with (or to the sea if none);
  a feature {"iso2": "", "name": "nine_dash", "kind": "nine_dash"} holds the 南海诸岛 geometry.
  Coordinates on a 0.001° grid.
- data/atlas/provinces/<code>.geojson: each ECharts 4.9.0 `map/json/province/*.json`, decoded, features
  {"code": "430100", "name": "长沙市"} (prefecture level; counties for 北京 上海 天津 重庆 and the county-level
  cities under a province), codes and current names from data/divisions/cn_divisions.csv (莱芜市 is merged
  into 济南市); the hairline gaps and overlaps of ECharts' quantised encoding are cleaned (GEOS
  CoverageCleaner), then simplified as a coverage (shared borders stay shared) with tolerance 0.005°,
  coordinates on a 0.0001° grid. Names that
  match no code keep the ECharts name and code "" and are printed (Taiwan's counties, the districts of Hong
  Kong and Macao, which GB/T 2260 does not list). Gzipped (.geojson.gz) only if all together pass 6 MB.
- data/atlas/LICENSE-echarts, LICENSE-world-atlas, LICENSE-world-geo-json-zh: the sources' licences.
"""

import argparse
import csv
import gzip
import itertools
import json
import subprocess
import sys
from pathlib import Path

import shapely
import shapely.affinity
from shapely.geometry import MultiPolygon, Point, Polygon, box, mapping, shape
from shapely.ops import unary_union

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "data" / "atlas"
DIVISIONS = ROOT / "data" / "divisions" / "cn_divisions.csv"
COUNTRIES = ROOT / "data" / "geo" / "countries.csv"

WORLD_SIMPLIFY = 0.02  # degrees, China's outline in the world map
WORLD_GRID = 0.001
NANHAI_WORLD_SIMPLIFY = 0.002
PROVINCE_SIMPLIFY = 0.005
PROVINCE_GRID = 0.0001
CHINA_GRID = 0.0001
GZIP_OVER_BYTES = 6 * 1024 * 1024
COVERAGE_GAP = 0.005  # degrees: gaps between neighbours narrower than this are closed

PROVINCE_FILES = {
    "anhui": "340000", "aomen": "820000", "beijing": "110000", "chongqing": "500000", "fujian": "350000",
    "gansu": "620000", "guangdong": "440000", "guangxi": "450000", "guizhou": "520000", "hainan": "460000",
    "hebei": "130000", "heilongjiang": "230000", "henan": "410000", "hubei": "420000", "hunan": "430000",
    "jiangsu": "320000", "jiangxi": "360000", "jilin": "220000", "liaoning": "210000", "neimenggu": "150000",
    "ningxia": "640000", "qinghai": "630000", "shandong": "370000", "shanghai": "310000", "shanxi": "140000",
    "shanxi1": "610000", "sichuan": "510000", "taiwan": "710000", "tianjin": "120000", "xianggang": "810000",
    "xinjiang": "650000", "xizang": "540000", "yunnan": "530000", "zhejiang": "330000",
}
# Divisions merged since the ECharts 4.9.0 maps were drawn: name in the map -> name it is now part of.
MERGED = {"370000": {"莱芜市": "济南市"}}  # 莱芜市 became part of 济南市 in 2019
# Features with no iso2 in world-atlas 110m, by name -> the country they belong to per China's position.
NO_ISO = {"N. Cyprus": "CY", "Somaliland": "SO", "Kosovo": "RS"}
TAIWAN_NUMERIC = "158"
SUFFIXES = ("特别行政区", "自治州", "地区", "林区", "市", "县", "区", "盟")

# Places the result must get right (lon, lat); the build stops if it does not.
CHECKS_CN = {"Tawang": (91.859, 27.586), "Aksai Chin": (79.3, 35.2), "Taipei": (121.56, 25.03),
             "Haikou": (110.34, 20.04), "Diaoyu Dao": (123.475, 25.743)}


# ---------------------------------------------------------------- ECharts 4 maps
def _decode_ring(encoded, offsets, scale):
    """ECharts 4 src/coord/geo/parseGeoJson.js decodePolygon: zigzag + delta, quantised by scale."""
    out = []
    prev_x, prev_y = offsets
    for i in range(0, len(encoded), 2):
        x = ord(encoded[i]) - 64
        y = ord(encoded[i + 1]) - 64
        x = (x >> 1) ^ (-(x & 1))
        y = (y >> 1) ^ (-(y & 1))
        x += prev_x
        y += prev_y
        prev_x, prev_y = x, y
        out.append((x / scale, y / scale))
    return out


def _polygonal(geom):
    """Only the polygonal parts of geom, as a (Multi)Polygon (possibly empty)."""
    if geom.is_empty:
        return MultiPolygon()
    if geom.geom_type in ("Polygon", "MultiPolygon"):
        return geom
    parts = [g for g in getattr(geom, "geoms", []) if g.geom_type in ("Polygon", "MultiPolygon")]
    return unary_union(parts) if parts else MultiPolygon()


def _valid(geom):
    if geom.is_valid:
        return geom
    return _polygonal(shapely.make_valid(geom, method="structure", keep_collapsed=False))


def echarts_features(path):
    """[(properties, shapely geometry)] of an ECharts 4 map file, decoded and made valid."""
    data = json.loads(Path(path).read_text("utf-8"))
    encoded = data.get("UTF8Encoding")
    scale = data.get("UTF8Scale") or 1024
    out = []
    for feature in data["features"]:
        geometry = feature.get("geometry") or {}
        coords = geometry.get("coordinates") or []
        if geometry.get("type") == "Polygon":
            polygons = [coords]
            offsets = [geometry.get("encodeOffsets")]
        elif geometry.get("type") == "MultiPolygon":
            polygons = coords
            offsets = geometry.get("encodeOffsets") or [None] * len(coords)
        else:
            polygons, offsets = [], []
        parts = []
        for rings, ring_offsets in zip(polygons, offsets, strict=True):
            if encoded:
                rings = [_decode_ring(r, o, scale) for r, o in zip(rings, ring_offsets, strict=True)]
            rings = [r for r in rings if len(r) >= 4]
            if rings:
                parts.append(_valid(Polygon(rings[0], rings[1:])))
        geom = unary_union(parts) if parts else MultiPolygon()
        out.append((feature.get("properties") or {}, _polygonal(geom)))
    return out


def clean_coverage(geoms):
    """Make neighbouring polygons share their borders exactly: ECharts' quantised delta encoding leaves hairline
    overlaps and gaps (about 1/1024°) between neighbours. GEOS CoverageCleaner (shapely >= 2.2) snaps them."""
    cleaned = shapely.coverage_clean(list(geoms), gap_width=COVERAGE_GAP)
    return [_valid(_polygonal(g)) for g in cleaned]


# ---------------------------------------------------------------- the dashed line
def dashes(pkgs):
    """The ten dashes from @surbowl/world-geo-json-zh (as marked in its annotated .jsonc)."""
    root = Path(pkgs) / "@surbowl" / "world-geo-json-zh"
    lines = (root / "world.zh.jsonc").read_text("utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if "中国南海海域十段线" in line)
    polygons = []
    for line in lines[start + 1:]:
        line = line.strip()
        if line.startswith("// geometry end"):
            break
        if line.startswith("//") or not line:
            continue
        polygons.append(json.loads(line.rstrip(",")))
    world = json.loads((root / "world.zh.json").read_text("utf-8"))
    cn = next(f for f in world["features"] if f["properties"].get("iso_a2") == "CN")
    cn_parts = cn["geometry"]["coordinates"]
    for p in polygons:
        if p not in cn_parts:
            sys.exit("a dash of world.zh.jsonc is not part of CN in world.zh.json: the package changed")
    if len(polygons) != 10:
        sys.exit(f"expected the ten dashes, found {len(polygons)}")
    return unary_union([_valid(Polygon(p[0], p[1:])) for p in polygons])


# ---------------------------------------------------------------- divisions
def divisions():
    return list(csv.DictReader(open(DIVISIONS, encoding="utf-8")))


def _stem(name):
    for suffix in SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix) + 1:
            return name[: -len(suffix)]
    return name


def match_division(name, candidates):
    """The row of candidates that name refers to (exact, former name, or same name but its suffix), else None."""
    for test in (lambda r: r["name"] == name,
                 lambda r: name in r["former_names"].split("|"),
                 lambda r: r["short_name"] == name,
                 lambda r: _stem(r["name"]) == _stem(name)):
        found = [r for r in candidates if test(r)]
        if len(found) == 1:
            return found[0]
    return None


# ---------------------------------------------------------------- output
def _round(coords, digits):
    if isinstance(coords, (list, tuple)) and coords and isinstance(coords[0], (int, float)):
        return [round(c, digits) for c in coords]
    return [_round(c, digits) for c in coords]


def _finish(geom, grid):
    """Valid, on the grid, exteriors counter-clockwise (RFC 7946)."""
    geom = _polygonal(shapely.set_precision(_valid(geom), grid))
    return shapely.orient_polygons(geom) if not geom.is_empty else geom


def _geometry(geom, grid):
    digits = len(str(grid).split(".")[1])
    g = mapping(geom)
    return {"type": g["type"], "coordinates": _round(g["coordinates"], digits)}


def write_collection(path, features, gz=False):
    text = json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False,
                      separators=(",", ":"))
    path.parent.mkdir(parents=True, exist_ok=True)
    if gz:
        path = path.with_suffix(path.suffix + ".gz")
        with gzip.GzipFile(path, "wb", mtime=0) as fh:  # mtime 0: the same input gives the same bytes
            fh.write(text.encode("utf-8"))
    else:
        path.write_text(text + "\n", "utf-8")
    return path


def feature(properties, geom, grid):
    return {"type": "Feature", "properties": properties, "geometry": _geometry(geom, grid)}


# ---------------------------------------------------------------- China
def build_china(pkgs, rows):
    maps = Path(pkgs) / "echarts" / "map" / "json"
    provinces_by_code = {r["code"]: r for r in rows if r["level"] == "province"}
    provinces = []
    for props, geom in echarts_features(maps / "china.json"):
        name = props["name"]
        row = match_division(name, list(provinces_by_code.values()))
        if row is None:
            sys.exit(f"province {name} not in cn_divisions.csv")
        if props.get("id") and props["id"] != row["code"]:
            sys.exit(f"province {name}: ECharts id {props['id']} but GB/T 2260 code {row['code']}")
        provinces.append((row["code"], name, geom))
    cleaned = clean_coverage(g for _, _, g in provinces)
    provinces = [(code, name, geom) for (code, name, _), geom in zip(provinces, cleaned, strict=True)]
    hainan = dict((p["name"], g) for p, g in echarts_features(maps / "province" / "hainan.json"))
    nanhai = unary_union([hainan["三沙市"], dashes(pkgs)])
    return provinces, nanhai


def write_china(provinces, nanhai):
    features = [feature({"code": code, "name": name}, _finish(geom, CHINA_GRID), CHINA_GRID)
                for code, name, geom in sorted(provinces)]
    features.append(feature({"code": "", "name": "南海诸岛", "kind": "nine_dash"}, _finish(nanhai, CHINA_GRID),
                            CHINA_GRID))
    return write_collection(OUT / "china.geojson", features), len(features)


def china_outline(provinces):
    """One (Multi)Polygon for China: the provinces unioned, slivers closed, holes dropped, simplified."""
    union = unary_union([g for _, _, g in provinces])
    union = union.buffer(0.002, join_style="mitre").buffer(-0.002, join_style="mitre")  # close slivers
    parts = [Polygon(p.exterior) for p in getattr(union, "geoms", [union])]  # China has no enclaves
    outline = unary_union(parts).simplify(WORLD_SIMPLIFY, preserve_topology=True)
    return _finish(outline, WORLD_GRID)


# ---------------------------------------------------------------- world
def world_features(pkgs):
    script = (
        "const [tc, topo] = process.argv.slice(1).map(p => require(p));"
        "process.stdout.write(JSON.stringify(tc.feature(topo, topo.objects.countries)));"
    )
    pkgs = Path(pkgs).resolve()
    out = subprocess.run(["node", "-e", script, str(pkgs / "topojson-client"),
                          str(pkgs / "world-atlas" / "countries-110m.json")],
                         check=True, capture_output=True, text=True).stdout
    return json.loads(out)["features"]


def _crossings(ring):
    return sum(1 for a, b in itertools.pairwise(ring) if abs(a[0] - b[0]) > 180)


def world_geometry(geometry):
    """A world-atlas geometry as planar shapely: rings that cross the antimeridian (TopoJSON stitches them,
    d3 clips them on the sphere) are cut at 180°; a ring round the pole (Antarctica) is left as it is."""
    polygons = [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
    parts = []
    for rings in polygons:
        crossings = _crossings(rings[0])
        if crossings == 0 or crossings % 2:
            parts.append(_valid(Polygon(rings[0], rings[1:])))
            continue
        shifted = _valid(Polygon(*[[((x + 360) if x < 0 else x, y) for x, y in r] for r in rings[:1]],
                                 [[((x + 360) if x < 0 else x, y) for x, y in r] for r in rings[1:]]))
        parts.append(shifted.intersection(box(0, -90, 180, 90)))
        parts.append(shapely.affinity.translate(shifted.intersection(box(180, -90, 540, 90)), xoff=-360))
    return _polygonal(unary_union(parts))


def build_world(pkgs, cn, nanhai):
    numeric_to_iso = {r["numeric"]: r["iso2"] for r in csv.DictReader(open(COUNTRIES, encoding="utf-8"))}
    countries, ne_china, unmatched = {}, [], []
    for f in world_features(pkgs):
        geom = world_geometry(f["geometry"]) if f.get("geometry") else MultiPolygon()
        numeric, name = f.get("id"), f["properties"].get("name")
        if numeric == TAIWAN_NUMERIC:
            iso = "CN"
        elif numeric in numeric_to_iso:
            iso = numeric_to_iso[numeric]
        elif name in NO_ISO:
            iso = NO_ISO[name]
        else:
            unmatched.append(f"{numeric} {name}")
            continue
        if iso == "CN":
            ne_china.append(geom)
            continue
        countries[iso] = unary_union([countries[iso], geom]) if iso in countries else geom
    # China as on the official map; nobody else may hold any of it.
    near = box(*cn.buffer(1).bounds)
    for iso, geom in countries.items():
        if geom.intersects(near):
            countries[iso] = _polygonal(geom.difference(cn))
    # Land Natural Earth gave China but the ECharts outline does not take: to the neighbour with the longest
    # shared border (a sliver along a land border), else it is left as sea (a sliver along the coast).
    gaps = _polygonal(unary_union(ne_china).difference(cn))
    given = {}
    for gap in getattr(gaps, "geoms", [gaps]):
        if gap.area < 1e-6:
            continue
        ring = gap.boundary
        best, best_len = None, 0.0
        for iso, geom in countries.items():
            if not geom.intersects(near):
                continue
            shared = ring.intersection(geom.buffer(WORLD_GRID)).length
            if shared > best_len:
                best, best_len = iso, shared
        if best and best_len > 0.01:  # degrees of shared border
            given.setdefault(best, []).append(gap)
    for iso, parts in given.items():
        countries[iso] = _polygonal(unary_union([countries[iso], *parts]).difference(cn))
    features = [feature({"iso2": "CN", "name": "CN"}, cn, WORLD_GRID)]
    for iso in sorted(countries):
        geom = _finish(countries[iso], WORLD_GRID)
        if not geom.is_empty:
            features.append(feature({"iso2": iso, "name": iso}, geom, WORLD_GRID))
    nine = _finish(nanhai.simplify(NANHAI_WORLD_SIMPLIFY, preserve_topology=True), WORLD_GRID)
    features.append(feature({"iso2": "", "name": "nine_dash", "kind": "nine_dash"}, nine, WORLD_GRID))
    path = write_collection(OUT / "world.geojson", features)
    return path, len(features), unmatched, {iso: round(sum(g.area for g in parts), 4) for iso, parts in given.items()}


# ---------------------------------------------------------------- provinces
def build_provinces(pkgs, rows):
    maps = Path(pkgs) / "echarts" / "map" / "json" / "province"
    by_parent = {}
    for r in rows:
        parent = r["parent_code"]
        if parent == r["code"]:  # 东莞 中山 儋州 (prefecture cities without counties) point at themselves
            parent = r["code"][:2] + "0000"
        by_parent.setdefault(parent, []).append(r)
    collections, unmatched, renamed, fallback = {}, [], [], []
    for path in sorted(maps.glob("*.json")):
        code = PROVINCE_FILES.get(path.stem)
        if code is None:
            sys.exit(f"unknown province file {path.name}")
        merged = MERGED.get(code, {})
        parts = {}  # (code, name) -> [geometries], in the order first seen
        for props, geom in echarts_features(path):
            name = props.get("name", "")
            if geom.is_empty:
                continue
            row = match_division(merged.get(name, name), by_parent.get(code, []))
            if row is None:
                unmatched.append((code, name))
                key = ("", name)
            else:
                key = (row["code"], row["name"])
                if row["name"] != name:
                    renamed.append((code, name, row["name"], "merged into" if name in merged else "now"))
            parts.setdefault(key, []).append(geom)
        keys = list(parts)
        geoms = clean_coverage(_valid(unary_union(parts[k])) for k in keys)
        if shapely.coverage_is_valid(geoms):  # shared borders are simplified once, for both sides
            simplified = list(shapely.coverage_simplify(geoms, PROVINCE_SIMPLIFY))
        else:
            simplified = [g.simplify(PROVINCE_SIMPLIFY, preserve_topology=True) for g in geoms]
            fallback.append(code)
        features = []
        for (div_code, name), geom, original in zip(keys, simplified, geoms, strict=True):
            geom = _finish(geom, PROVINCE_GRID)
            if geom.is_empty:  # too small for the simplification: keep it as drawn
                geom = _finish(original, PROVINCE_GRID)
            features.append(feature({"code": div_code, "name": name}, geom, PROVINCE_GRID))
        features.sort(key=lambda f: (f["properties"]["code"] == "", f["properties"]["code"]))
        collections[code] = features
    if fallback:
        print("  not a clean coverage, simplified feature by feature:", ", ".join(fallback))
    return collections, unmatched, renamed


def write_provinces(collections):
    folder = OUT / "provinces"
    texts = {code: json.dumps({"type": "FeatureCollection", "features": feats}, ensure_ascii=False,
                              separators=(",", ":")) for code, feats in collections.items()}
    total = sum(len(t.encode("utf-8")) + 1 for t in texts.values())
    gz = total > GZIP_OVER_BYTES
    for old in list(folder.glob("*.geojson")) + list(folder.glob("*.geojson.gz")) if folder.exists() else []:
        old.unlink()
    paths = [write_collection(folder / f"{code}.geojson", feats, gz=gz) for code, feats in collections.items()]
    return paths, total, gz


# ---------------------------------------------------------------- licences
NATURAL_EARTH = """
------------------------------------------------------------------------
The geometry in world-atlas comes from Natural Earth (https://www.naturalearthdata.com/), 1:110m
Cultural Vectors, Admin 0 - Countries. Natural Earth is in the public domain: "All versions of
Natural Earth raster + vector map data found on this website are in the public domain. You may
use the maps in any manner, including modifying the content and design, electronic dissemination,
and offset printing."
"""


def write_licences(pkgs):
    pkgs = Path(pkgs)
    echarts = pkgs / "echarts"
    (OUT / "LICENSE-echarts").write_text(
        (echarts / "LICENSE").read_text("utf-8").rstrip() + "\n\n"
        + "=" * 72 + "\nNOTICE (echarts 4.9.0)\n\n" + (echarts / "NOTICE").read_text("utf-8").rstrip() + "\n", "utf-8")
    (OUT / "LICENSE-world-atlas").write_text(
        (pkgs / "world-atlas" / "LICENSE").read_text("utf-8").rstrip() + "\n" + NATURAL_EARTH, "utf-8")
    (OUT / "LICENSE-world-geo-json-zh").write_text(
        (pkgs / "@surbowl" / "world-geo-json-zh" / "LICENSE").read_text("utf-8"), "utf-8")


# ---------------------------------------------------------------- main
def check(world_path, china_provinces):
    features = json.loads(world_path.read_text("utf-8"))["features"]
    cn = shape(next(f for f in features if f["properties"]["iso2"] == "CN")["geometry"])
    for place, (lon, lat) in CHECKS_CN.items():
        if not cn.buffer(0.02).contains(Point(lon, lat)):
            sys.exit(f"{place} is not in CN")
    for f in features:
        iso = f["properties"]["iso2"]
        if iso and iso != "CN":
            overlap = cn.intersection(shape(f["geometry"])).area
            if overlap > 0.001:
                sys.exit(f"{iso} overlaps CN by {overlap:.4f} square degrees")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pkgs", required=True, type=Path,
                        help="node_modules folder holding echarts@4.9.0, world-atlas@2.0.2, topojson-client@3.1.0, "
                             "@surbowl/world-geo-json-zh@2.1.5")
    args = parser.parse_args(argv)
    versions = {"echarts": "4.9.0", "world-atlas": "2.0.2", "topojson-client": "3.1.0",
                "@surbowl/world-geo-json-zh": "2.1.5"}
    for name, version in versions.items():
        found = json.loads((args.pkgs / name / "package.json").read_text("utf-8"))["version"]
        if found != version:
            sys.exit(f"{name} is {found}, this build is for {version}")

    rows = divisions()
    provinces, nanhai = build_china(args.pkgs, rows)
    china_path, n_china = write_china(provinces, nanhai)
    cn = china_outline(provinces)
    world_path, n_world, world_unmatched, given = build_world(args.pkgs, cn, nanhai)
    check(world_path, provinces)
    collections, unmatched, renamed = build_provinces(args.pkgs, rows)
    paths, total, gz = write_provinces(collections)
    write_licences(args.pkgs)

    def size(p):
        return f"{p.stat().st_size / 1024:.0f} KB"

    print(f"{world_path.relative_to(ROOT)}: {n_world} features, {size(world_path)}")
    if world_unmatched:
        print("  world-atlas features with no country (left out):", ", ".join(world_unmatched))
    print("  Natural Earth's China outside the ECharts outline given to (sq deg):", given)
    print(f"{china_path.relative_to(ROOT)}: {n_china} features, {size(china_path)}")
    n_feats = sum(len(f) for f in collections.values())
    print(f"data/atlas/provinces: {len(paths)} files, {n_feats} features, {total / 1024:.0f} KB"
          + (" (gzipped: over 6 MB)" if gz else ""))
    for code, old, new, how in renamed:
        print(f"  {code} {old}: {how} {new}")
    for code, name in unmatched:
        print(f"  unmatched {code} {name}")


if __name__ == "__main__":
    main()
