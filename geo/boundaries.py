"""Point-in-country checks against Natural Earth boundaries shipped in data/geo."""

import json
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from shapely.geometry import Point, shape
from shapely.prepared import prep

WORLD = Path(settings.BASE_DIR) / "data" / "geo" / "world.geojson"
# Coastal and island places fall just outside generalised (1:50m) coastlines.
TOLERANCE_DEGREES = 0.3


@lru_cache(maxsize=1)
def _shapes():
    from .models import Country

    numeric_to_iso = dict(Country.objects.exclude(numeric="").values_list("numeric", "iso2"))
    with open(WORLD, encoding="utf-8") as fh:
        features = json.load(fh)["features"]
    shapes = {}
    for feature in features:
        iso = numeric_to_iso.get(str(feature["properties"].get("numeric", "")))
        if not iso or not feature.get("geometry"):
            continue
        geom = shape(feature["geometry"])
        if iso in shapes:
            geom = shapes[iso][0].union(geom)
        shapes[iso] = (geom, prep(geom.buffer(TOLERANCE_DEGREES)))
    return shapes


def has_boundary(iso2):
    return iso2 in _shapes()


def point_in_country(iso2, lat, lon):
    """True if (lat, lon) lies in the country (with a small tolerance), None if unknown."""
    entry = _shapes().get(iso2)
    if entry is None:
        return None
    return entry[1].contains(Point(lon, lat))


def countries_at(lat, lon):
    point = Point(lon, lat)
    return sorted(iso for iso, (geom, _) in _shapes().items() if geom.contains(point))
