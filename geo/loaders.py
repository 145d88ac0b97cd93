"""Loading reference geography from data/ into the database (idempotent)."""

import csv
import gzip
from datetime import date
from pathlib import Path

from django.conf import settings
from django.db import connection, transaction

from .countries import clear_cache
from .models import Country, CountryGroup, Division, GroupMembership, Place
from .text import chinese_name, pinyin_keys, search_text

DATA = Path(settings.BASE_DIR) / "data"


def _rows(path):
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8", newline="") as fh:
        yield from csv.DictReader(fh)


def _float(value):
    return float(value) if value not in (None, "") else None


def _date(value):
    return date.fromisoformat(value) if value else None


@transaction.atomic
def load_countries():
    count = 0
    rows = list(_rows(DATA / "geo" / "countries.csv")) + list(_rows(DATA / "geo" / "regions.csv"))
    for row in rows:
        Country.objects.update_or_create(
            iso2=row["iso2"],
            defaults={
                "iso3": row["iso3"], "numeric": row["numeric"], "name_zh": row["name_zh"], "name_en": row["name_en"],
                "aliases_zh": row["aliases_zh"], "aliases_en": row["aliases_en"], "continent": row["continent"],
                "lat": _float(row["lat"]), "lon": _float(row["lon"]),
            },
        )
        count += 1
    clear_cache()
    return count


@transaction.atomic
def load_groups():
    for row in _rows(DATA / "geo" / "groups.csv"):
        CountryGroup.objects.update_or_create(
            code=row["code"],
            defaults={k: row[k] for k in ("name_zh", "name_en", "description_zh", "description_en", "source")},
        )
    GroupMembership.objects.all().delete()
    known = set(Country.objects.values_list("iso2", flat=True))
    memberships = [
        GroupMembership(
            group_id=row["group"], country_id=row["iso2"], member_from=_date(row["member_from"]),
            member_to=_date(row["member_to"]), note=row.get("note", ""),
        )
        for row in _rows(DATA / "geo" / "country_groups.csv")
        if row["iso2"] in known
    ]
    GroupMembership.objects.bulk_create(memberships)
    return len(memberships)


@transaction.atomic
def load_divisions():
    rows = list(_rows(DATA / "divisions" / "cn_divisions.csv"))
    existing = set(Division.objects.values_list("code", flat=True))
    order = {"province": 0, "prefecture": 1, "county": 2}
    rows.sort(key=lambda r: (order[r["level"]], r["code"]))
    new, changed = [], []
    for row in rows:
        division = Division(
            code=row["code"], name_zh=row["name"], short_name=row["short_name"], level=row["level"],
            parent_id=row["parent_code"] or None, name_en=row["name_en"], lat=_float(row["lat"]),
            lon=_float(row["lon"]), former_names=row["former_names"],
        )
        (changed if row["code"] in existing else new).append(division)
    Division.objects.bulk_create(new, batch_size=1000)
    Division.objects.bulk_update(
        changed, ["name_zh", "short_name", "level", "parent", "name_en", "lat", "lon", "former_names"], batch_size=1000
    )
    return len(rows)


# Columns of a gazetteer place as loaded (`admin1_id` filled in for cities once the divisions are saved).
PLACE_COLUMNS = ["country_id", "kind", "name_en", "name_local", "name_zh", "aliases", "pinyin", "code", "admin1_id",
                 "admin1_code", "lat", "lon", "population", "geonameid", "search_text"]


def _place(row, kind, names_zh, aliases):
    """The columns of a gazetteer place from a data row."""
    name_local = row.get("name_local", "")
    pinyin = [keys[0] for keys in map(pinyin_keys, names_zh) if keys]
    return {
        "country_id": row["country_iso2"], "kind": kind, "name_en": row["name_en"], "name_local": name_local,
        "name_zh": chinese_name(names_zh), "aliases": "|".join(aliases), "pinyin": " ".join(dict.fromkeys(pinyin)),
        "code": "", "admin1_id": None, "admin1_code": "", "lat": float(row["lat"]), "lon": float(row["lon"]),
        "population": 0, "geonameid": None, "search_text": search_text(row["name_en"], name_local, *names_zh),
    }


def _insert_places(rows):
    # Django's bulk_create spends seconds preparing 35,000 rows of 15 columns field by field; the values here
    # are plain strings and numbers, so they go to the database as they are.
    if not rows:
        return
    quote = connection.ops.quote_name
    sql = "INSERT INTO {} ({}) VALUES ({})".format(
        quote(Place._meta.db_table), ", ".join(map(quote, PLACE_COLUMNS)), ", ".join(["%s"] * len(PLACE_COLUMNS)))
    with connection.cursor() as cursor:
        cursor.executemany(sql, [tuple(row[c] for c in PLACE_COLUMNS) for row in rows])


def _save_places(kind, rows, identity):
    """Create, update and delete the places of one kind so that the table holds exactly `rows`.

    A place keeps its row (and so its id) across reloads, matched by `identity`: partnerships that
    point at a gazetteer place keep pointing at it. Only rows whose values changed are updated (a
    bulk update of every row takes minutes).
    """
    existing = {}
    for row in Place.objects.filter(kind=kind).values("pk", *PLACE_COLUMNS):
        existing.setdefault(identity(row), (row["pk"], tuple(row[c] for c in PLACE_COLUMNS)))
    seen, new, changed = set(), [], []
    for row in rows:
        key = identity(row)
        if key in existing and key not in seen:
            pk, before = existing[key]
            if tuple(row[c] for c in PLACE_COLUMNS) != before:
                changed.append(Place(pk=pk, **row))
        else:
            new.append(row)
        seen.add(key)
    Place.objects.filter(pk__in=[pk for key, (pk, _) in existing.items() if key not in seen]).delete()
    Place.objects.bulk_update(changed, [c.removesuffix("_id") for c in PLACE_COLUMNS], batch_size=500)
    _insert_places(new)


@transaction.atomic
def load_gazetteer():
    """First-level divisions (data/gazetteer/admin1.csv), then the cities with the division each lies in."""
    from .gazetteer import clear_cache as clear_place_index

    known = set(Country.objects.values_list("iso2", flat=True))
    admin1 = []
    for row in _rows(DATA / "gazetteer" / "admin1.csv"):
        if row["country_iso2"] not in known:
            continue
        aliases = [a for a in row.get("aliases_zh", "").split("|") if a]
        place = _place(row, Place.Kind.ADMIN1, [n for n in [row.get("name_zh", ""), *aliases] if n], aliases)
        place["code"] = row["code"]
        admin1.append(place)
    # Names are unique within a country (scripts/build_gazetteer_admin1.py checks it).
    _save_places(Place.Kind.ADMIN1, admin1, lambda p: (p["country_id"], p["name_en"]))
    by_code = dict(Place.objects.filter(kind=Place.Kind.ADMIN1).values_list("code", "pk"))

    cities = []
    for row in _rows(DATA / "gazetteer" / "cities15000.csv.gz"):
        if row["country_iso2"] not in known:
            continue
        names_zh = [n for n in row["names_zh"].split("|") if n]
        place = _place(row, Place.Kind.CITY, names_zh, names_zh)
        place.update(population=int(row["population"] or 0), geonameid=int(row["geonameid"]),
                     admin1_code=row["admin1_code"], admin1_id=by_code.get(row["admin1"]))
        cities.append(place)
    _save_places(Place.Kind.CITY, cities, lambda p: p["geonameid"])
    clear_place_index()
    return len(admin1) + len(cities)


def load_all(gazetteer=True, stdout=None):
    steps = [("countries", load_countries), ("country groups", load_groups), ("divisions", load_divisions)]
    if gazetteer:
        steps.append(("gazetteer places", load_gazetteer))
    for label, step in steps:
        count = step()
        if stdout:
            stdout.write(f"{label}: {count}")
