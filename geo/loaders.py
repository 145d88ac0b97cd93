"""Loading reference geography from data/ into the database (idempotent)."""

import csv
import gzip
from datetime import date
from pathlib import Path

from django.conf import settings
from django.db import transaction

from .countries import clear_cache
from .models import Country, CountryGroup, Division, GroupMembership, Place
from .text import search_text

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


@transaction.atomic
def load_gazetteer():
    Place.objects.all().delete()
    known = set(Country.objects.values_list("iso2", flat=True))
    places = []
    for row in _rows(DATA / "gazetteer" / "admin1.csv"):
        if row["country_iso2"] not in known:
            continue
        aliases = [a for a in row.get("aliases_zh", "").split("|") if a]
        places.append(
            Place(
                country_id=row["country_iso2"], kind=Place.Kind.ADMIN1, name_en=row["name_en"],
                name_local=row.get("name_local", ""), name_zh=row.get("name_zh", ""),
                lat=float(row["lat"]), lon=float(row["lon"]), population=0,
                search_text=search_text(row["name_en"], row.get("name_local"), row.get("name_zh"), *aliases),
            )
        )
    for row in _rows(DATA / "gazetteer" / "cities15000.csv.gz"):
        if row["country_iso2"] not in known:
            continue
        names_zh = [n for n in row["names_zh"].split("|") if n]
        places.append(
            Place(
                country_id=row["country_iso2"], kind=Place.Kind.CITY, name_en=row["name_en"],
                name_zh=names_zh[0] if names_zh else "", lat=float(row["lat"]), lon=float(row["lon"]),
                population=int(row["population"] or 0), geonameid=int(row["geonameid"]),
                search_text=search_text(row["name_en"], *names_zh),
            )
        )
    Place.objects.bulk_create(places, batch_size=2000)
    return len(places)


def load_all(gazetteer=True, stdout=None):
    steps = [("countries", load_countries), ("country groups", load_groups), ("divisions", load_divisions)]
    if gazetteer:
        steps.append(("gazetteer places", load_gazetteer))
    for label, step in steps:
        count = step()
        if stdout:
            stdout.write(f"{label}: {count}")
