"""The one country resolver, and dated country groups.

`resolve_country()` turns what a clerk typed or a file holds into one country,
or says why it cannot: every name, alias and ISO code of a country (Chinese
simplified or traditional, English with or without "the" or diacritics) is
matched whole, never by prefix. Names that could mean more than one country
are declared in data/geo/ambiguous_country_names.csv and answered with their
candidates. Taiwan's names (data/geo/taiwan_names.csv) are refused: Taiwan is
part of China. As the foreign side of a partnership, China itself and its
special administrative regions Hong Kong and Macao are refused as well (they
stay Country rows for official trips).
"""

import csv
import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.db.models import Q
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils.translation import get_language, gettext

from .models import CHINESE_REGIONS, Country, GroupMembership
from .text import name_keys

DATA = Path(settings.BASE_DIR) / "data" / "geo"
CHINA = "CN"


class Refusal:
    """Why a name that was recognised is still not a country the caller may use."""

    TAIWAN = "taiwan"  # always: Taiwan is part of China, not a country
    CHINA = "china"  # as a partner: the foreign side of a friendship city is abroad
    REGION = "region"  # as a partner: Hong Kong and Macao are special administrative regions of China


@dataclass(frozen=True)
class CountryMatch:
    """What `resolve_country` understood: one country, or none with the reason."""

    text: str = ""
    country: Country | None = None
    # Countries the text could mean when it is ambiguous (or the refused region, for REGION).
    candidates: tuple = ()
    # Meanings that are no country ("America" is also the Americas), as (Chinese, English).
    other_meanings: tuple = ()
    refusal: str = ""

    @property
    def ambiguous(self):
        return self.country is None and not self.refusal and bool(self.candidates or self.other_meanings)

    @property
    def refused(self):
        return bool(self.refusal)

    def message(self):
        """Why no country was taken, for the user, in the active language; empty when one was."""
        if self.country is not None:
            return ""
        text = self.text.strip()
        if self.refusal == Refusal.TAIWAN:
            return gettext(
                "Taiwan is an inalienable part of China's territory, not a country, and cannot be entered as one."
            )
        if self.refusal == Refusal.CHINA:
            return gettext(
                "China is the Chinese side of a friendship city: the foreign side is a place abroad. "
                "Enter the partner's country."
            )
        if self.refusal == Refusal.REGION:
            return gettext(
                "%(name)s is a special administrative region of China, not a foreign country: "
                "it cannot be the foreign side of a friendship city."
            ) % {"name": self.candidates[0].name}
        if not text:
            return gettext("Enter the country.")
        if self.ambiguous:
            named = [f"{c.name_zh} ({c.name_en})" for c in self.candidates]
            named += [f"{zh} ({en})" for zh, en in self.other_meanings]
            return gettext("“%(text)s” is ambiguous: it could be %(candidates)s. Enter the full name.") % {
                "text": text, "candidates": "、".join(named) if _chinese() else ", ".join(named)}
        return gettext("Unknown country “%(text)s”.") % {"text": text}


def _chinese():
    return not (get_language() or "zh-hans").startswith("en")


_THE = re.compile(r"^\s*the\s+|\s*,\s*the\s*$|\s*\(\s*the\s*\)\s*$", re.IGNORECASE)


def country_keys(text):
    """Keys of a country name: 'the Netherlands' = 'Netherlands', 'Korea (Republic of)' = 'Korea, Republic of'."""
    text = _THE.sub("", str(text or "")).replace("&", " and ")
    return tuple(k.replace("(", "").replace(")", "") for k in name_keys(text))


def _read(name):
    with open(DATA / name, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


@lru_cache(maxsize=1)
def _index():
    """Every name of every country by key, the declared ambiguous names and Taiwan's names.

    Cleared when reference data is loaded (`clear_cache`).
    """
    countries = {c.iso2: c for c in Country.objects.all()}
    names = {}
    for country in countries.values():
        for name in country.all_names():
            for key in country_keys(name)[:1]:
                names.setdefault(key, set()).add(country.iso2)
    ambiguous = {}
    for row in _read("ambiguous_country_names.csv"):
        others = ((row["other_zh"], row["other_en"]),) if row["other_zh"] or row["other_en"] else ()
        codes = tuple(c for c in row["candidates"].split("|") if c in countries)
        for key in country_keys(row["name"])[:1]:
            ambiguous[key] = (codes, others)
    taiwan = {k for row in _read("taiwan_names.csv") for k in country_keys(row["name"])[:1]}
    return countries, names, ambiguous, taiwan


def clear_cache():
    _index.cache_clear()


@receiver(post_save, sender=Country)
@receiver(post_delete, sender=Country)
def _country_changed(**kwargs):
    clear_cache()


def country_by_code(iso2):
    """The Country of an ISO alpha-2 code (cached with the resolver's index), or None."""
    return _index()[0].get(str(iso2 or "").upper())


def resolve_country(text, *, for_partner=False):
    """Return a CountryMatch for `text`: exactly one country, or none with candidates or a refusal.

    With `for_partner=True` (the foreign side of a partnership) China, Hong Kong and Macao are refused;
    without it (official trips, map layers) they resolve to their rows. Taiwan is refused either way.
    """
    text = str(text or "")
    countries, names, ambiguous, taiwan = _index()
    for key in country_keys(text):
        if key in taiwan:
            return CountryMatch(text=text, refusal=Refusal.TAIWAN)
        if key in ambiguous:
            codes, others = ambiguous[key]
            return CountryMatch(text=text, candidates=tuple(countries[c] for c in codes), other_meanings=others)
        hits = names.get(key)
        if not hits:
            continue
        if len(hits) > 1:
            # Two countries sharing a name that the ambiguous file does not declare: never guess
            # (the reference data test makes sure this does not happen with the shipped data).
            return CountryMatch(text=text, candidates=tuple(countries[c] for c in sorted(hits)))
        country = countries[next(iter(hits))]
        if for_partner and country.iso2 == CHINA:
            return CountryMatch(text=text, refusal=Refusal.CHINA)
        if for_partner and country.iso2 in CHINESE_REGIONS:
            return CountryMatch(text=text, candidates=(country,), refusal=Refusal.REGION)
        return CountryMatch(text=text, country=country)
    return CountryMatch(text=text)


def resolve_partner_country(text):
    """`resolve_country` for the foreign side of a partnership: China, Hong Kong and Macao refused."""
    return resolve_country(text, for_partner=True)


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
