"""Resolving a country from what a clerk typed, and dated country groups."""

from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

from django.db.models import Q

from .models import Country, GroupMembership
from .text import normalize


@dataclass
class CountryMatch:
    country: Country | None = None
    candidates: list = field(default_factory=list)

    @property
    def ambiguous(self):
        return self.country is None and len(self.candidates) > 1


@lru_cache(maxsize=1)
def _index():
    """Every name of every country, normalised; cleared when reference data is loaded."""
    exact = {}
    countries = list(Country.objects.all())
    for country in countries:
        for name in country.all_names():
            exact.setdefault(normalize(name), set()).add(country.iso2)
    return countries, exact


def clear_cache():
    _index.cache_clear()


def resolve_country(text):
    """Return a CountryMatch: one country, several candidates (ambiguous) or none.

    An exact name, alias or ISO code wins; otherwise a name that begins with
    what was typed ("刚果" begins both 刚果（布） and 刚果（金） and is ambiguous).
    """
    key = normalize(text)
    if not key:
        return CountryMatch()
    countries, exact = _index()
    by_code = {c.iso2: c for c in countries}
    hits = exact.get(key, set())
    if len(hits) == 1:
        return CountryMatch(country=by_code[next(iter(hits))])
    if len(hits) > 1:
        return CountryMatch(candidates=[by_code[c] for c in sorted(hits)])
    if len(key) < 2:
        return CountryMatch()
    prefixed = sorted({c.iso2 for c in countries for n in c.all_names() if normalize(n).startswith(key)})
    if len(prefixed) == 1:
        return CountryMatch(country=by_code[prefixed[0]])
    return CountryMatch(candidates=[by_code[c] for c in prefixed])


def membership_q(group_code, on, prefix="country"):
    """Q for records whose country (at `prefix`) belonged to the group on date `on`."""
    on = on or date.today()
    member_iso = GroupMembership.objects.filter(group_id=group_code, member_from__lte=on).filter(
        Q(member_to__isnull=True) | Q(member_to__gt=on)
    ).values("country_id")
    return Q(**{f"{prefix}__in": member_iso})


def members_on(group_code, on):
    on = on or date.today()
    return set(
        GroupMembership.objects.filter(group_id=group_code, member_from__lte=on)
        .filter(Q(member_to__isnull=True) | Q(member_to__gt=on))
        .values_list("country_id", flat=True)
    )
