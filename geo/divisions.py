"""The home jurisdiction and resolving Chinese division names."""

from django.conf import settings

from .models import Division
from .text import normalize


def home_division():
    return Division.objects.get(code=settings.WAISHI_HOME_CODE)


def home_prefix():
    return home_division().prefix


def within(division):
    """Divisions at or below `division` (by GB/T 2260 code prefix)."""
    return Division.objects.filter(code__startswith=division.prefix)


def home_prefectures():
    """The prefectures the statistics break down by: a province's, or a city's own."""
    home = home_division()
    if home.level == Division.Level.PROVINCE:
        return Division.objects.filter(parent=home, level=Division.Level.PREFECTURE).order_by("code")
    if home.level == Division.Level.PREFECTURE:
        return Division.objects.filter(pk=home.pk)
    return Division.objects.none()


def resolve_division(text, scope=None):
    """Find one division by code, name, short name or former name within `scope`.

    Returns (division, candidates): a single match, or None and the list of
    ambiguous candidates (empty when nothing matched).
    """
    scope = scope or home_division()
    key = normalize(text)
    if not key:
        return None, []
    qs = within(scope)
    if key.isdigit() and len(key) == 6:
        found = qs.filter(code=key).first()
        return found, []
    hits = []
    for division in qs:
        names = [division.name_zh, division.short_name, division.name_en]
        names += [n for n in division.former_names.split("|") if n]
        if key in {normalize(n) for n in names if n}:
            hits.append(division)
    if len(hits) == 1:
        return hits[0], []
    if not hits:
        return None, []
    # A prefecture and a county can share a name (县 renamed 市): prefer the higher level.
    order = {"province": 0, "prefecture": 1, "county": 2}
    hits.sort(key=lambda d: order[d.level])
    if order[hits[0].level] < order[hits[1].level]:
        return hits[0], []
    return None, hits
