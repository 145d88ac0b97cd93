"""Foreign places from the offline gazetteer: resolving a name to one place, and suggestions.

`resolve_place()` matches a name whole, by any of its names (Chinese simplified or
traditional, English, ASCII, local) or the full pinyin of its Chinese name, within
one country; generic words ("Shiga Prefecture", "City of X", "X-shi", 滋贺县, X市)
are set aside only when the whole name matches nothing (see `_lookup`), and then
say which kind of place is meant. Where several places match, the state or
province decides; where it does not, no place is taken and the candidates are
named: a place is never picked by population, nor a city whose state is unknown
taken to be in the state given.
"""

import re
from dataclasses import dataclass
from functools import lru_cache

from django.db import DEFAULT_DB_ALIAS
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils.translation import get_language, gettext

from .countries import country_by_code
from .models import Place
from .text import name_keys, normalize, query_key

ADMIN1, CITY = Place.Kind.ADMIN1, Place.Kind.CITY
# Generic words, longest first, and the kind of place each says is meant. Only whole words (or a
# hyphenated ending: "Hikone-shi", "Gyeonggi-do") and only when the rest is a name of 2+ letters.
_GENERIC_PREFIXES = [
    (re.compile(r"^(?:the\s+)?(?:city|town|municipality)\s+of\s+(?=\S)", re.I), CITY),
    (re.compile(r"^(?:the\s+)?(?:prefecture|province|state|region|oblast)\s+of\s+(?=\S)", re.I), ADMIN1),
]
_GENERIC_SUFFIXES = [
    (re.compile(r"(?<=\w)[\s-]+(?:metropolitan\s+city|special\s+city|city|municipality|shi|si)$", re.I), CITY),
    (re.compile(r"(?<=\w)[\s-]+(?:prefecture|province|state|region|oblast|krai|kray|metropolis|ken|fu|to|do)$",
                re.I), ADMIN1),
    (re.compile(r"(?<=[\u3400-\u9fff]{2})(?:特别市|特別市|市)$"), CITY),
    (re.compile(r"(?<=[\u3400-\u9fff]{2})(?:自治共和国|共和国|共和國|边疆区|邊疆區|自治区|自治區|自治州|大区|大區|地区|地區"
                r"|县|縣|県|府|都|省|州|邦)$"), ADMIN1),
]
# How a partnership's place type narrows the kinds of gazetteer place: the gazetteer's populated
# places stand for towns and districts too, and a first-level division is never a county.
KINDS = {"admin1": {ADMIN1}, "admin2": {CITY}, "city": {CITY}}


@dataclass(frozen=True)
class PlaceMatch:
    """What `resolve_place` found: one place, or none with the candidates and the reason."""

    name: str
    place: Place | None = None
    candidates: tuple = ()
    reason: str = ""

    @property
    def placed(self):
        return self.place is not None


def core_names(text):
    """(name without its generic word, kind the word means) for each generic word `text` carries."""
    text = str(text or "").strip()
    found = []
    for pattern, kind in _GENERIC_PREFIXES + _GENERIC_SUFFIXES:
        core = pattern.sub("", text).strip(" -")
        if core != text and len(normalize(core)) >= 2:
            found.append((core, kind))
    return found


@dataclass
class _Index:
    exact: dict  # (iso2, key) → place ids, by every name of every place
    core: dict  # (iso2, key) → place ids, by names without their generic word
    pinyin: dict  # (iso2, full pinyin) → place ids
    codes: dict  # (iso2, ISO 3166-2 code without the country, letters only: "il") → first-level division ids
    info: dict  # place id → (kind, admin1 id)
    rows: dict  # place id → values of ROW_FIELDS: places are made from these, without a query per name


# What a resolved place carries (the search columns are left deferred), in the model's field order.
ROW_FIELDS = [f.attname for f in Place._meta.concrete_fields
              if f.attname not in ("aliases", "pinyin", "search_text")]


def _add(table, key, pk):
    if key:
        table.setdefault(key, []).append(pk)


@lru_cache(maxsize=1)
def _index():
    """Every place by its name keys; built once, cleared when places are loaded or saved."""
    index = _Index({}, {}, {}, {}, {}, {})
    rows = Place.objects.order_by().values_list(*ROW_FIELDS, "aliases", "pinyin")
    at = {name: i for i, name in enumerate(ROW_FIELDS)}
    for row in rows.iterator(5000):
        pk, iso, kind, code, admin1_id = (row[at[f]] for f in ("id", "country_id", "kind", "code", "admin1_id"))
        name_en, name_local, name_zh = (row[at[f]] for f in ("name_en", "name_local", "name_zh"))
        aliases, pinyin = row[-2:]
        index.rows[pk] = row[:-2]
        index.info[pk] = (kind, admin1_id)
        suffix = code.partition("-")[2]
        if suffix.isalpha():
            # "Springfield, IL": postal-style codes of states and provinces; numeric ones ("JP-25") are no names.
            _add(index.codes, (iso, suffix.lower()), pk)
        names = {n for n in (name_en, name_local, name_zh, *aliases.split("|")) if n}
        for name in names:
            for key in name_keys(name):
                _add(index.exact, (iso, key), pk)
            for core, _kind in core_names(name):
                for key in name_keys(core):
                    _add(index.core, (iso, key), pk)
        for key in pinyin.split():
            _add(index.pinyin, (iso, key), pk)
    for table in (index.exact, index.core, index.pinyin, index.codes):
        for key, pks in table.items():
            table[key] = tuple(dict.fromkeys(pks))
    return index


def clear_cache():
    _index.cache_clear()


@receiver(post_save, sender=Place)
@receiver(post_delete, sender=Place)
def _place_changed(**kwargs):
    clear_cache()


# Abbreviations English lists use in place names, tried when the name as written finds nothing
# ("St. Paul" is Saint Paul, "Ste-Foy" Sainte-Foy, "Ft. Worth" Fort Worth).
_ABBREVIATIONS = [
    (re.compile(r"^St\.?(?=[\s-])|^St\.", re.I), "Saint"),
    (re.compile(r"^Ste\.?(?=[\s-])|^Ste\.", re.I), "Sainte"),
    (re.compile(r"^Mt\.?(?=\s)|^Mt\.", re.I), "Mount"),
    (re.compile(r"^Ft\.?(?=\s)|^Ft\.", re.I), "Fort"),
]


def _lookup(text, iso2, kinds):
    """`_lookup_written`, then the same with a leading abbreviation written out."""
    found = _lookup_written(text, iso2, kinds)
    if found:
        return found
    for pattern, word in _ABBREVIATIONS:
        expanded = pattern.sub(word + " ", str(text).strip(), count=1)
        expanded = re.sub(r"\s+", " ", expanded.replace(" -", "-"))
        if expanded != str(text).strip():
            return _lookup_written(expanded, iso2, kinds)
    return []


def _lookup_written(text, iso2, kinds):
    """Ids of the places of country `iso2` (of `kinds`, if given) that `text` names, best tier first.

    1. a name of the place, whole ("巴黎" is Paris, not 巴黎大区);
    2. a name of the place without its generic word ("麗水" is 麗水市; "鹿儿岛" is 鹿儿岛县 or 鹿児島市);
    3. the query without its generic word, keeping the places of the kind the word names
       ("Shiga Prefecture" is the prefecture, "Kyoto City" the city);
    4. the full pinyin of a Chinese name ("Zihexian").
    All places a tier finds are candidates: the caller decides, or names them.
    """
    index = _index()

    def allowed(pks, kind=None):
        wanted = kinds if kind is None else ({kind} & kinds if kinds else {kind})
        return [pk for pk in dict.fromkeys(pks) if not wanted or index.info[pk][0] in wanted]

    keys = name_keys(text)
    for table in (index.exact, index.core):
        found = allowed(pk for key in keys for pk in table.get((iso2, key), ()))
        if found:
            return found
    for core, kind in core_names(text):
        keys = name_keys(core)
        found = allowed((pk for table in (index.exact, index.core) for key in keys
                         for pk in table.get((iso2, key), ())), kind)
        if found:
            return found
    key = normalize(text)
    if key.isascii() and key.isalpha():
        return allowed(index.pinyin.get((iso2, key), ()))
    return []


def _place(pk):
    """The Place of an id, made from the index (with its country and division), or None if it is gone."""
    row = _index().rows.get(pk)
    if row is None:
        return None
    place = Place.from_db(DEFAULT_DB_ALIAS, ROW_FIELDS, row)
    place.country = country_by_code(place.country_id)
    if place.admin1_id is not None:
        place.admin1 = _place(place.admin1_id)
    return place


def _places(pks):
    # Ids of places deleted since the index was built (a rolled-back test) are skipped.
    found = [p for p in map(_place, dict.fromkeys(pks)) if p is not None]
    return sorted(found, key=lambda p: (p.kind, -p.population, p.name_en))


def _english():
    return (get_language() or "zh-hans").startswith("en")


def _name(place):
    return (place.name_en or place.name_zh) if _english() else (place.name_zh or place.name_en)


def label(place):
    """A place as a user tells it from others of the same name: name, division, country."""
    parts = [_name(place)]
    if place.admin1_id:
        parts.append(_name(place.admin1))
    elif place.kind == CITY:
        parts.append(gettext("state unknown"))
    parts.append(place.country.name)
    return ", ".join(parts) if _english() else "，".join(parts)


def _named(places, limit=8):
    shown = [label(p) for p in places[:limit]]
    if len(places) > limit:
        shown.append(gettext("%(count)s more") % {"count": len(places) - limit})
    return "; ".join(shown) if _english() else "；".join(shown)


def resolve_place(name, country, admin1=None, place_type=None):
    """Resolve a foreign place's name within `country` (a Country or its ISO code) to one gazetteer place.

    `admin1` is the state or province as given (any of its names), `place_type` the partnership's
    ("admin1", "admin2" or "city"). Returns a PlaceMatch: the place, or None with the candidates
    (when several places match) and the reason, for the user.
    """
    name = str(name or "").strip()
    if isinstance(country, str):
        country = country_by_code(country)
    if not name:
        return PlaceMatch(name, reason=gettext("Enter the place's name."))
    if country is None:
        return PlaceMatch(name, reason=gettext("Choose the country first."))
    kinds = KINDS.get(place_type or "", set())
    pks = _lookup(name, country.iso2, kinds)
    if not pks:
        others = tuple(_places(_lookup(name, country.iso2, set()))) if kinds else ()
        if others:
            return PlaceMatch(name, candidates=others, reason=gettext(
                "No place of this type named “%(name)s” in %(country)s in the gazetteer; it has %(candidates)s.")
                % {"name": name, "country": country.name, "candidates": _named(others)})
        return PlaceMatch(name, reason=gettext("No place named “%(name)s” in %(country)s in the gazetteer.")
                          % {"name": name, "country": country.name})

    admin1_text = str(admin1 or "").strip()
    state = None
    if admin1_text:
        states = _lookup(admin1_text, country.iso2, {ADMIN1}) or list(
            _index().codes.get((country.iso2, normalize(admin1_text)), ()))
        if len(states) != 1:
            candidates = tuple(_places(pks))
            if not states:
                reason = gettext("No state or province “%(admin1)s” in %(country)s in the gazetteer.")
            else:
                reason = gettext("“%(admin1)s” could be several states or provinces of %(country)s.")
            return PlaceMatch(name, candidates=candidates,
                              reason=reason % {"admin1": admin1_text, "country": country.name})
        state = states[0]

    info = _index().info
    if state is None:
        if len(pks) == 1:
            return PlaceMatch(name, place=_places(pks)[0])
        candidates = tuple(_places(pks))
        return PlaceMatch(name, candidates=candidates, reason=gettext(
            "“%(name)s” could be any of %(count)s places: %(candidates)s. Give the state or province.")
            % {"name": name, "count": len(candidates), "candidates": _named(candidates)})

    confirmed = [pk for pk in pks if pk == state or info[pk][1] == state]
    unknown = [pk for pk in pks if info[pk][0] == CITY and info[pk][1] is None]
    if len(confirmed) == 1 and not unknown:
        return PlaceMatch(name, place=_places(confirmed)[0])
    if not confirmed and unknown == pks and len(pks) == 1:
        # The only place of that name in the country, in a state the gazetteer does not know.
        return PlaceMatch(name, place=_places(pks)[0])
    in_state = {"name": name, "admin1": _name(_place(state))}
    if not confirmed and not unknown:
        candidates = tuple(_places(pks))
        return PlaceMatch(name, candidates=candidates, reason=gettext(
            "No place named “%(name)s” in %(admin1)s in the gazetteer; it has %(candidates)s.")
            % {**in_state, "candidates": _named(candidates)})
    candidates = tuple(_places(confirmed + unknown))
    return PlaceMatch(name, candidates=candidates, reason=gettext(
        "“%(name)s” in %(admin1)s could be any of %(count)s places: %(candidates)s.")
        % {**in_state, "count": len(candidates), "candidates": _named(candidates)})


def suggest(query, country=None, limit=10):
    """Places whose names contain what was typed (Chinese, English, pinyin or initials), for a picker.

    The places the query names exactly come first; then first-level divisions (friendship partners
    are often states or prefectures), then by population.
    """
    key = query_key(query)
    if len(key) < 2:
        return []
    exact = []
    if country is not None:
        exact = _places(_lookup(query, country.iso2, set()))[:limit]
    qs = Place.objects.select_related("country", "admin1").filter(search_text__contains=key)
    if country is not None:
        qs = qs.filter(country=country)
    rest = [p for p in qs.order_by("kind", "-population")[:limit] if p not in exact]
    return (exact + rest)[:limit]
