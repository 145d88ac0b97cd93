"""Loading the rules trips are checked against from data/trips/rules.csv (see data/trips/SOURCES.md).

The file is the starting point; the provincial office keeps the rules in the admin afterwards.
Loading again updates the rows it names and leaves the others alone."""

import csv
import json
from datetime import date
from pathlib import Path

from django.conf import settings
from django.db import transaction

from .models import Rule

DATA = Path(settings.BASE_DIR) / "data" / "trips"


@transaction.atomic
def load_rules(filename="rules.csv"):
    """Create or update the rules, keyed by (code, jurisdiction, effective_from, applies_to);
    returns how many rows were read."""
    count = 0
    with open(DATA / filename, encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            Rule.objects.update_or_create(
                code=row["code"],
                jurisdiction_id=row["jurisdiction"],
                effective_from=date.fromisoformat(row["effective_from"]),
                applies_to=row["applies_to"],
                defaults={
                    "name_zh": row["name_zh"],
                    "name_en": row["name_en"],
                    "severity": row["severity"],
                    "effective_to": date.fromisoformat(row["effective_to"]) if row["effective_to"] else None,
                    "params": json.loads(row["params"] or "{}"),
                    "source": row["source"],
                },
            )
            count += 1
    return count
