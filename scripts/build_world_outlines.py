"""Make every outline in data/geo/world.geojson a valid plane geometry, drawn as China recognises it (in place).

world-atlas stitches Natural Earth's outlines for drawing on a sphere: Russia, Fiji and
Antarctica cross the 180th meridian as single rings, which read as plane geometry
self-intersect, and whose "repair" by shapely.make_valid alone is a false band around
the globe (it put Alaska, Lapland and Iceland in Russia and left Murmansk out). The
`antimeridian` package cuts such rings at ±180 instead. Any outline still invalid after
that and after rounding (a self-touching islet) is a local defect, repaired with
shapely.make_valid (whose new points keep their decimals).

The file checks that a foreign place lies in its country, so its outlines follow the
sovereignty China recognises, as the gazetteer (GeoNames) and ISO 3166 do, where Natural
Earth's de facto lines differ: Somaliland is Somalia, "N. Cyprus" is Cyprus, Kosovo is
Serbia, Taiwan is China; Crimea is Ukraine; Western Sahara is the whole territory south of
27°40' N (Natural Earth gives its western part to Morocco).

Each step leaves an outline that is already right as it is, so the script can run again.

    pip install antimeridian==0.4.9     # Apache-2.0, https://pypi.org/project/antimeridian/
    python scripts/build_world_outlines.py
"""

import json
import warnings
from pathlib import Path

import antimeridian
from shapely import make_valid
from shapely.geometry import MultiPolygon, Point, Polygon, box, mapping, shape

WORLD = Path(__file__).resolve().parent.parent / "data" / "geo" / "world.geojson"
# Features without a code of their own (or Taiwan's), by Natural Earth name: the ISO numeric code of the country.
SOVEREIGN = {"Somaliland": "706", "N. Cyprus": "196", "Kosovo": "688", "Taiwan": "156"}
SIMFEROPOL = Point(34.11, 44.96)
WESTERN_SAHARA = box(-20.0, 20.0, -8.0, 27.0 + 40 / 60)  # south of 27°40' N, west of the Algerian border


def rounded(geometry):
    """Coordinates to 0.001°, as the rest of the file (about 100 m)."""
    def ring(coords):
        return [[round(x, 3), round(y, 3)] for x, y, *_ in coords]

    polygons = [geometry] if geometry.geom_type == "Polygon" else list(geometry.geoms)
    parts = [[ring(p.exterior.coords), *(ring(i.coords) for i in p.interiors)] for p in polygons]
    if len(parts) == 1:
        return {"type": "Polygon", "coordinates": parts[0]}
    return {"type": "MultiPolygon", "coordinates": parts}


def polygonal(geometry):
    """The polygons of a make_valid result (it may add stray lines or points where rings touched)."""
    if isinstance(geometry, Polygon | MultiPolygon):
        return geometry
    polygons = []
    for part in geometry.geoms:
        if isinstance(part, Polygon):
            polygons.append(part)
        elif isinstance(part, MultiPolygon):
            polygons.extend(part.geoms)
    return MultiPolygon(polygons)


def by_numeric(features, numeric):
    (feature,) = [f for f in features if f["properties"].get("numeric") == numeric]
    return feature


def move(source, target, part):
    """Move `part` from one country's outline to another's."""
    source["geometry"] = rounded(polygonal(shape(source["geometry"]).difference(part)))
    target["geometry"] = rounded(polygonal(shape(target["geometry"]).union(part)))


def sovereignty(features):
    changed = []
    for feature in features:
        numeric = SOVEREIGN.get(feature["properties"]["name"])
        if numeric and feature["properties"].get("numeric") != numeric:
            feature["properties"]["numeric"] = numeric
            changed.append(feature["properties"]["name"])
    russia, ukraine = by_numeric(features, "643"), by_numeric(features, "804")
    crimea = [p for p in polygonal(shape(russia["geometry"])).geoms if p.contains(SIMFEROPOL)]
    if crimea:
        move(russia, ukraine, crimea[0])
        changed.append("Crimea")
    morocco, sahara = by_numeric(features, "504"), by_numeric(features, "732")
    part = shape(morocco["geometry"]).intersection(WESTERN_SAHARA)
    if part.area > 0.01:
        move(morocco, sahara, polygonal(part))
        changed.append("Western Sahara")
    return changed


def main():
    collection = json.loads(WORLD.read_text("utf-8"))
    changed = []
    for feature in collection["features"]:
        geometry = shape(feature["geometry"])
        if geometry.is_valid:
            continue
        with warnings.catch_warnings():
            # world-atlas winds exterior rings clockwise (d3's convention); antimeridian rewinds them.
            warnings.simplefilter("ignore", antimeridian.FixWindingWarning)
            fixed = shape(antimeridian.fix_geojson(mapping(geometry), fix_winding=True))
        feature["geometry"] = rounded(fixed)
        if not shape(feature["geometry"]).is_valid:
            # Not rounded again: the points where make_valid splits a ring need their decimals.
            feature["geometry"] = mapping(polygonal(make_valid(shape(feature["geometry"]))))
        assert shape(feature["geometry"]).is_valid, feature["properties"]
        changed.append(feature["properties"].get("name"))
    # After the repairs: cutting a part out of Russia needs Russia's outline valid first.
    changed += sovereignty(collection["features"])
    for feature in collection["features"]:
        assert shape(feature["geometry"]).is_valid, feature["properties"]
    WORLD.write_text(json.dumps(collection, ensure_ascii=False, separators=(",", ":")), "utf-8")
    print(f"{len(changed)} outlines changed: {', '.join(changed) or 'none'}")


if __name__ == "__main__":
    main()
