"""Country outlines are valid geometries and every gazetteer place lies in its own country."""

import json

import pytest
from shapely.geometry import shape

from geo.boundaries import WORLD, countries_at, point_in_country
from geo.models import Place

pytestmark = pytest.mark.django_db

# Places the outlines cannot hold, each for a reason of its own (country, English name).
NOT_IN_OWN_OUTLINE = {
    # ISO 3166-2 and GeoNames list these under Morocco; ISO 3166-1, and the outlines, keep Western Sahara apart.
    ("MA", "Dakhla-Oued Ed-Dahab"), ("MA", "Laâyoune-Sakia El Hamra"), ("MA", "Smara"),
    # Exclaves and islands too small for the 1:50m outlines, whose nearest outline is a neighbour's.
    ("ES", "Melilla"), ("CO", "San Andrés"), ("CO", "San Andrés & Providencia"), ("PH", "Mapun"),
    ("PH", "Sitangkai"), ("BS", "Bimini"), ("GD", "Carriacou and Petite Martinique"), ("AG", "Redonda"),
    ("TO", "Niuas"), ("MV", "Haa Alif"), ("MV", "Haa Dhaalu"), ("MV", "Shaviyani"), ("FR", "Clipperton Island"),
    # Islands farther than OFFSHORE_DEGREES from any outline of their country.
    ("MU", "Agaléga"), ("MU", "Rodrigues"), ("SH", "Tristan"), ("US", "United States Minor Outlying Islands"),
}


def test_every_outline_in_the_file_is_valid():
    features = json.loads(WORLD.read_text("utf-8"))["features"]
    assert len(features) > 200
    invalid = [f["properties"] for f in features if not shape(f["geometry"]).is_valid]
    assert not invalid


@pytest.mark.parametrize("city, lat, lon", [("Moscow", 55.7558, 37.6173), ("Vladivostok", 43.1155, 131.8855),
                                            ("Kaliningrad", 54.71, 20.51), ("Murmansk", 68.97, 33.08),
                                            ("Anadyr", 64.73, 177.51), ("Provideniya", 64.42, -173.23)])
def test_russian_cities_lie_in_russia(city, lat, lon):
    assert point_in_country("RU", lat, lon) is True
    assert countries_at(lat, lon) in (["RU"], [])  # [] on a coast the 1:50m outline cuts


@pytest.mark.parametrize("place, lat, lon", [("Fairbanks", 64.84, -147.72), ("Oulu", 65.01, 25.47),
                                             ("Reykjavik", 64.15, -21.94), ("Astana", 51.17, 71.43)])
def test_russia_does_not_reach_round_the_world(place, lat, lon):
    # The outline crossing the 180th meridian, repaired by make_valid alone, became a band round the globe.
    assert point_in_country("RU", lat, lon) is False


def test_fiji_lies_on_both_sides_of_the_180th_meridian():
    assert point_in_country("FJ", -18.14, 178.44)  # Suva
    assert point_in_country("FJ", -16.8, -179.9)  # Taveuni
    assert not point_in_country("FJ", -17.0, 0.0)


def test_sovereignty_as_china_recognises_it():
    assert "CN" in countries_at(25.03, 121.56)  # Taipei
    assert countries_at(44.95, 34.10) == ["UA"]  # Simferopol
    assert countries_at(9.56, 44.06) == ["SO"]  # Hargeysa
    assert countries_at(35.19, 33.36) == ["CY"]  # Nicosia, north of the line
    assert countries_at(27.15, -13.20) == ["EH"]  # Laayoune


def test_islets_and_overseas_parts_lie_in_their_country_but_not_elsewhere():
    assert point_in_country("MV", -0.63, 73.16)  # Addu City, an atoll the 1:50m outlines leave out
    assert point_in_country("FR", -22.27, 166.45)  # Nouméa, New Caledonia
    assert point_in_country("US", 13.47, 144.75)  # Hagåtña, Guam
    assert point_in_country("IN", -0.63, 73.16) is False
    assert point_in_country("JP", 39.74, -104.99) is False  # Denver
    assert point_in_country("MA", 27.15, -13.20) is False  # Laayoune is in Western Sahara's outline


def test_every_gazetteer_place_lies_in_its_own_country():
    places = Place.objects.values_list("country_id", "kind", "name_en", "lat", "lon")
    outside = [(iso, kind, name, lat, lon) for iso, kind, name, lat, lon in places
               if point_in_country(iso, lat, lon) is False and (iso, name) not in NOT_IN_OWN_OUTLINE]
    assert len(places) > 30000
    assert not outside, f"{len(outside)} places outside their country: {outside[:40]}"


def test_the_exceptions_are_still_needed():
    for iso, name in NOT_IN_OWN_OUTLINE:
        place = Place.objects.filter(country_id=iso, name_en=name).first()
        assert place is not None and point_in_country(iso, place.lat, place.lon) is False, name
