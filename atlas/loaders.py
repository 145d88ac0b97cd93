"""Loading the map's reference layers, items and target counties from data/atlas.

Idempotent: layers are matched by code, items by layer and Chinese name, so
running it again updates them and leaves what users added alone. The reference
data is Hunan's: only layers whose owner is the home, above it or within it, and
target counties within the home, are loaded, so another home starts with an
empty map (its items name Hunan's divisions, which another home cannot place). Rows are
checked by the same parser as an import; a bad row stops the load with its
line number.
"""

import csv
from pathlib import Path

from django.conf import settings
from django.db import transaction

from geo.divisions import home_division
from geo.models import Division

from .items import import_rows, map_headers, validate_rows
from .models import Layer, TargetCounty

DATA = Path(settings.BASE_DIR) / "data" / "atlas"


class ReferenceDataError(Exception):
    pass


def _table(path):
    with open(path, encoding="utf-8", newline="") as fh:
        reader = csv.reader(fh)
        headers = next(reader)
        rows = [(n, dict(zip(headers, row, strict=False))) for n, row in enumerate(reader, start=2) if any(row)]
    return headers, rows


@transaction.atomic
def load_layers(directory=DATA):
    """Returns (layers, items) counts. Layers owned outside the home jurisdiction are skipped."""
    home = home_division()
    _, rows = _table(directory / "layers.csv")
    layers = {}
    for _line, row in rows:
        owner = Division.objects.get(code=row["owner_code"])
        if not home.contains(owner) and not owner.contains(home):
            continue
        layer, _ = Layer.objects.update_or_create(
            code=row["code"],
            defaults={
                "name_zh": row["name_zh"], "name_en": row["name_en"], "map": row["map"], "owner": owner,
                "department": row["department_zh"], "department_en": row["department_en"],
                "visibility": row["visibility"], "color": row["color"], "description_zh": row["description_zh"],
                "description_en": row["description_en"], "source": row["source"],
            },
        )
        layer.full_clean()
        layers[layer.code] = layer
    headers, rows = _table(directory / "items.csv")
    mapping = map_headers(headers)
    by_layer = {}
    for line, row in rows:
        if row["layer"] in layers:
            by_layer.setdefault(row["layer"], []).append((line, row))
    count = 0
    for code, table in by_layer.items():
        parsed, errors = validate_rows(table, mapping, layers[code])
        if errors:
            raise ReferenceDataError("; ".join(f"items.csv line {line}: {', '.join(msgs)}" for line, msgs in errors))
        added, updated = import_rows(parsed)
        count += added + updated
    return len(layers), count


@transaction.atomic
def load_target_counties(directory=DATA):
    home = home_division()
    _, rows = _table(directory / "top_counties.csv")
    count = 0
    for _line, row in rows:
        division = Division.objects.filter(code=row["code"]).first()
        if division is None or not home.contains(division):
            continue
        TargetCounty.objects.update_or_create(
            division=division, defaults={"basis": row["rank_basis"], "source": row["source"]}
        )
        count += 1
    return count


def load_all(stdout=None):
    layers, items = load_layers()
    counties = load_target_counties()
    if stdout:
        stdout.write(f"map layers: {layers}, items: {items}, target counties: {counties}")
    return layers, items, counties
