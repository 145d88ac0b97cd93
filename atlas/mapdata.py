"""What the map draws, as one JSON payload for the browser: partnerships in
force on a date (the statistics' as-of rules, twinning.stats.in_force), the
layers the user may see with their items, counts per prefecture for the home
map and the gaps (破零).

Rows are compact lists, not objects, so that thousands of partnerships and
items stay small; `fields` in the payload names their columns. A partnership's
`signed` is its signing date as given (2014年, 1979年5月, 1979年5月2日); the
time slider's date selects by the day it counts from (Partnership.counts_from).

The public version counts and draws published partnerships only
(twinning.selectors.public_partnerships) and never shows or filters by vitality.
"""

from datetime import date

from django.db.models import Q
from django.utils.translation import get_language

from accounts.access import scope_prefix
from geo.countries import membership_q
from geo.divisions import home_division, home_prefectures
from geo.models import Country, Division
from twinning.dates import format_partial
from twinning.filters import PartnershipFilter
from twinning.models import Kind
from twinning.selectors import counted_partnerships, public_partnerships
from twinning.stats import in_force

from . import gaps
from .geodata import prefecture_at
from .models import MapView, date_label
from .selectors import public_layers, visible_layers

PARTNERSHIP_FIELDS = ["id", "cn", "level", "kind", "country", "name", "lat", "lon", "signed", "vitality", "link"]
ITEM_FIELDS = ["id", "name", "category", "lat", "lon", "to_lat", "to_lon", "date", "country", "division"]
MAP_KINDS = [Kind.SISTER.value, Kind.EXCHANGE.value]


class MapQueryError(ValueError):
    def __init__(self, errors):
        super().__init__(str(errors))
        self.errors = errors


def english():
    return (get_language() or "zh-hans").startswith("en")


def parse_as_of(text):
    if not text:
        return date.today()
    try:
        value = date.fromisoformat(text)
    except ValueError:
        raise MapQueryError({"as_of": ["YYYY-MM-DD"]}) from None
    return min(value, date.today())


def partnership_base(user, public):
    return public_partnerships() if public else counted_partnerships(user)


def filtered_partnerships(params, user=None, public=False):
    """Partnerships in force on `as_of` that pass the map's filters (the registry's PartnershipFilter)."""
    as_of = parse_as_of(params.get("as_of"))
    kinds = [k for k in params.getlist("kind") if k in MAP_KINDS] or MAP_KINDS
    if public and "vitality" in params:
        # Vitality comes from exchanges, which are not public: the public map neither shows nor filters by it.
        params = params.copy()
        params.pop("vitality")
    filterset = PartnershipFilter(params, partnership_base(user, public), today=as_of)
    if not filterset.is_valid():
        raise MapQueryError({k: [str(m) for m in v] for k, v in filterset.errors.items()})
    return as_of, kinds, in_force(as_of, kinds, queryset=filterset.qs)


def _item_filter(params, as_of):
    q = Q()
    countries = [c for c in params.getlist("country") if c]
    if countries:
        q &= Q(country__in=countries)
    continents = [c for c in params.getlist("continent") if c]
    if continents:
        q &= Q(country__continent__in=continents)
    if params.get("group"):
        q &= membership_q(params["group"], as_of)
    return q


def build(params, user=None, public=False):
    as_of, kinds, partnerships = filtered_partnerships(params, user, public)
    prefix = None if public else scope_prefix(user)
    en = english()
    language = get_language()
    rows = []
    unplaced = 0
    divisions = set()
    per_prefecture = {}
    values = partnerships.values_list(
        "id", "cn_division_id", "level", "kind", "country_id", "foreign__name_zh", "foreign__name_en",
        "foreign__lat", "foreign__lon", "signed_on", "signed_precision", "vitality", "owner_id",
    )
    for pk, cn, level, kind, iso, name_zh, name_en, lat, lon, signed, precision, vitality, owner in values:
        mine = prefix is not None and owner.startswith(prefix)
        divisions.add(cn)
        prefecture = cn[:4] + "00" if level != "province" else None
        if prefecture:
            per_prefecture[prefecture] = per_prefecture.get(prefecture, 0) + 1
        if lat is None or lon is None:
            unplaced += 1
        rows.append([
            pk, cn, level, kind, iso, (name_en if en and name_en else name_zh), lat, lon,
            format_partial(signed, precision, language) or None, vitality if mine else None, mine,
        ])

    home = home_division()
    levels = [lvl for lvl in params.getlist("level") if lvl]
    gap_data = gaps.compute(as_of, partnership_base(user, public), levels, params.get("group") or None)
    division_info = {
        # Counties by full name: 长沙县 is not 长沙.
        d.code: [d.name if d.level == "county" else d.display_short, d.lat, d.lon, d.level]
        for d in Division.objects.filter(
            Q(code__in=divisions) | Q(pk=home.pk) | Q(code__in=gap_data["counties_without"])
        )
    }
    prefectures = list(home_prefectures())
    countries = {
        c.iso2: [c.name, c.continent]
        for c in Country.objects.all().only("iso2", "name_zh", "name_en", "continent")
    }

    layers_qs = public_layers() if public else visible_layers(user)
    item_q = _item_filter(params, as_of)
    layers = []
    home_counts = {"partnerships": {p.code: per_prefecture.get(p.code, 0) for p in prefectures}}
    for layer in layers_qs.select_related("owner").order_by("map", "code"):
        items = layer.items.filter(Q(on__isnull=True) | Q(on__lte=as_of))
        if layer.map == MapView.WORLD:
            items = items.filter(item_q)
        item_rows = []
        counts = {}
        # Plain tuples, not model instances: a layer may hold thousands of items.
        for pk, name_zh, name_en, category, lat, lon, to_lat, to_lon, on, precision, country, division in (
            items.values_list("id", "name_zh", "name_en", "category", "lat", "lon", "to_lat", "to_lon", "on",
                              "date_precision", "country_id", "division_id")
        ):
            item_rows.append([
                pk, name_en if en and name_en else name_zh, category, lat, lon, to_lat, to_lon,
                date_label(on, precision), country, division,
            ])
            if layer.map == MapView.HOME:
                code = (division[:4] + "00") if division else prefecture_at(lat, lon, home.code)
                if code:
                    counts[code] = counts.get(code, 0) + 1
        if layer.map == MapView.HOME:
            home_counts[layer.code] = {p.code: counts.get(p.code, 0) for p in prefectures}
        layers.append({
            "code": layer.code, "name": layer.name, "map": layer.map, "color": layer.color,
            "visibility": layer.visibility, "department": layer.department_name, "owner": layer.owner.name,
            "items": item_rows,
        })

    return {
        "as_of": as_of.isoformat(),
        "kinds": kinds,
        "home": {"code": home.code, "name": home.name, "lat": home.lat, "lon": home.lon},
        "fields": {"partnerships": PARTNERSHIP_FIELDS, "items": ITEM_FIELDS},
        "partnerships": rows,
        "unplaced": unplaced,
        "divisions": division_info,
        "prefectures": {p.code: p.display_short for p in prefectures},
        "countries": countries,
        "layers": layers,
        "home_counts": home_counts,
        "gaps": gap_data,
        "public": public,
    }
