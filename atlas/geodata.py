"""The outlines the map draws, shipped in data/atlas (see its SOURCES.md):
the world with China as the official Chinese map draws it, and the home
province by prefecture. Served to the browser as they are and used here to
check that a place lies in the division it names.
"""

import gzip
import json
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from shapely.geometry import Point, shape
from shapely.prepared import prep

ATLAS = Path(settings.BASE_DIR) / "data" / "atlas"
# Generalised outlines: places on a border may fall just outside.
TOLERANCE_DEGREES = 0.05


def _read(path):
    if not path.exists() and path.with_suffix(path.suffix + ".gz").exists():
        path = path.with_suffix(path.suffix + ".gz")
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rb") as fh:
        return fh.read()


def province_code(code):
    return code[:2] + "0000"


def world_bytes():
    return _read(ATLAS / "world.geojson")


def province_bytes(code):
    """The GeoJSON of a province's prefectures (the home map), or None if not shipped."""
    try:
        return _read(ATLAS / "provinces" / f"{province_code(code)}.geojson")
    except FileNotFoundError:
        return None


@lru_cache(maxsize=4)
def _prefectures(province):
    raw = province_bytes(province)
    if raw is None:
        return {}
    shapes = {}
    for feature in json.loads(raw)["features"]:
        code = feature["properties"].get("code")
        if code and feature.get("geometry"):
            geom = shape(feature["geometry"])
            shapes[code] = (geom, prep(geom.buffer(TOLERANCE_DEGREES)))
    return shapes


def prefecture_at(lat, lon, province):
    """The code of the prefecture (as drawn on the home map) containing the point, or None."""
    point = Point(lon, lat)
    for code, (geom, _) in _prefectures(province_code(province)).items():
        if geom.contains(point):
            return code
    return None


def division_contains(division, lat, lon):
    """True or False if the point lies in the division's prefecture outline; None if not drawn."""
    shapes = _prefectures(province_code(division.code))
    if not shapes:
        return None
    prefecture = division.code[:4] + "00"
    entry = shapes.get(prefecture) or shapes.get(division.code)
    if entry is None:
        return None
    return entry[1].contains(Point(lon, lat))
