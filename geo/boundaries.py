"""Point-in-country checks against the country outlines shipped in data/geo/world.geojson.

The outlines are Natural Earth's at 1:50m, made valid and drawn as China recognises
sovereignty by scripts/build_world_outlines.py (see data/geo/SOURCES.md); the tests check
that every outline is valid and every gazetteer place lies in its own country.
"""

import json
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from shapely import STRtree
from shapely.geometry import Point, shape
from shapely.prepared import prep

WORLD = Path(settings.BASE_DIR) / "data" / "geo" / "world.geojson"
# Coastal and island places fall just outside generalised (1:50m) coastlines.
TOLERANCE_DEGREES = 0.3
# Atolls and islets the 1:50m outlines leave out (the Maldives' southern atolls lie 4° from the
# outline of Malé's): a point at sea is in the country whose outline is nearest, this near at most.
OFFSHORE_DEGREES = 5.0
# Parts of a country that ISO 3166-1 codes, and the outlines draw, apart: ISO 3166-2 lists each as a
# subdivision of the country (FR-NC, US-GU, NL-AW, FI-01 Åland, NO-21 Svalbard), so a place in them
# lies in the country too.
PARTS_DRAWN_APART = {
    "FR": {"BL", "GF", "GP", "MF", "MQ", "NC", "PF", "PM", "RE", "TF", "WF", "YT"},
    "US": {"AS", "GU", "MP", "PR", "UM", "VI"},
    "NL": {"AW", "BQ", "CW", "SX"},
    "FI": {"AX"},
    "NO": {"BV", "SJ"},
}


@lru_cache(maxsize=1)
def _shapes():
    from .models import Country

    numeric_to_iso = dict(Country.objects.exclude(numeric="").values_list("numeric", "iso2"))
    with open(WORLD, encoding="utf-8") as fh:
        features = json.load(fh)["features"]
    outlines = {}
    for feature in features:
        iso = numeric_to_iso.get(str(feature["properties"].get("numeric", "")))
        if not iso or not feature.get("geometry"):
            continue
        geom = shape(feature["geometry"])
        outlines[iso] = outlines[iso].union(geom) if iso in outlines else geom
    return {iso: (geom, prep(geom.buffer(TOLERANCE_DEGREES))) for iso, geom in outlines.items()}


@lru_cache(maxsize=1)
def _tree():
    shapes = _shapes()
    codes = list(shapes)
    return STRtree([shapes[iso][0] for iso in codes]), codes


def has_boundary(iso2):
    return iso2 in _shapes()


def point_in_country(iso2, lat, lon):
    """True if (lat, lon) lies in the country (with a small tolerance), None if its outline is unknown.

    A point in no country's outline (at sea, or on an islet the outlines leave out) lies in the
    country whose outline is nearest, if that is within OFFSHORE_DEGREES. A point inside another
    country's outline never lies in this one beyond the tolerance.
    """
    shapes = _shapes()
    if iso2 not in shapes:
        return None
    own = {iso2} | (PARTS_DRAWN_APART.get(iso2, set()) & set(shapes))
    point = Point(lon, lat)
    if any(shapes[code][1].contains(point) for code in own):
        return True
    tree, codes = _tree()
    nearest = {codes[i] for i in tree.query_nearest(point, max_distance=OFFSHORE_DEGREES, all_matches=True)}
    # A point inside another country's outline has that country nearest (at distance 0).
    return bool(nearest) and nearest <= own


def countries_at(lat, lon):
    point = Point(lon, lat)
    return sorted(iso for iso, (geom, _) in _shapes().items() if geom.contains(point))
