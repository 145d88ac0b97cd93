"""The registry's statistics, as of any date. Each figure is defined here once
(`DEFINITIONS`, also in docs/statistics.md) and the same `compute` serves the
statistics page, the public JSON and the Excel export.
"""

from collections import Counter
from datetime import date

from django.db.models import Count, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from geo.countries import membership_q
from geo.divisions import home_division, home_prefectures
from geo.models import STAT_CONTINENTS, Country

from .models import Kind, Partnership, Status, StatusChange

LEVELS = ["province", "prefecture", "county"]

DEFINITIONS = {
    "total": _(
        "Partnerships in force on the date: signed on or before it, of the kinds asked for "
        "(friendship cities by default), whose status on that date was not 'ended'."
    ),
    "by_level": _("Partnerships in force by the level of the Chinese side: province, prefecture, county."),
    "by_kind": _("Partnerships in force by kind (friendship city, friendly exchange city), whatever kinds were asked for."),
    "countries": _("Number of distinct countries of the foreign sides of the partnerships in force."),
    "by_continent": _(
        "Partnerships in force by the continent of the foreign side's country, as Chinese statistics count "
        "continents (Russia in Europe, Turkey in Asia)."
    ),
    "continent_share": _("Each continent's share of the total, in per cent, rounded to one decimal."),
    "bri_route": _(
        "Partnerships in force whose foreign country was on the Belt and Road route list "
        "(一带一路沿线国家, the 65 countries grouped by region in Chinese statistics, from 2015-03-28) on the date."
    ),
    "bri_signed": _(
        "Partnerships in force whose foreign country had signed a Belt and Road cooperation document "
        "with China by the date (and not left)."
    ),
    "by_country": _("Partnerships in force by the foreign side's country (ISO 3166 alpha-2 code), largest first."),
    "by_prefecture": _(
        "Prefecture-level partnerships in force by prefecture of the home province, every prefecture listed, "
        "those with none included (the 市级 column of the official table)."
    ),
    "by_prefecture_incl_counties": _(
        "Partnerships in force of each prefecture together with those of the counties under it."
    ),
    "undated": _(
        "Partnerships of the kinds asked for whose signing date is not known and whose current status is not "
        "ended: they are counted in no figure as of a date until their date is entered."
    ),
}


def status_on(as_of):
    """Subquery: a partnership's status on `as_of`, from its status history."""
    latest = Subquery(
        StatusChange.objects.filter(partnership=OuterRef("pk"), changed_on__lte=as_of)
        .order_by("-changed_on", "-id")
        .values("status")[:1]
    )
    return Coalesce(latest, Value(Status.ACTIVE.value))


def in_force(as_of=None, kinds=(Kind.SISTER,), queryset=None):
    """Partnerships in force on `as_of` (see DEFINITIONS['total'])."""
    as_of = as_of or date.today()
    qs = queryset if queryset is not None else Partnership.objects.all()
    home = home_division()
    qs = qs.filter(cn_division__code__startswith=home.prefix, counts_from__lte=as_of, kind__in=list(kinds))
    # Status is read from the history; a partnership without history has been active since signing.
    return qs.annotate(status_then=status_on(as_of)).exclude(status_then=Status.ENDED)


def compute(as_of=None, kinds=(Kind.SISTER,), queryset=None):
    """Every figure as of a date, counted from `queryset` (all partnerships by default; the public
    figures pass the published ones, twinning.selectors.public_partnerships)."""
    as_of = as_of or date.today()
    base = in_force(as_of, kinds, queryset)
    total = base.count()
    by_level = dict.fromkeys(LEVELS, 0)
    by_level.update({row["level"]: row["n"] for row in base.values("level").annotate(n=Count("id"))})
    by_kind = {k: 0 for k in (Kind.SISTER.value, Kind.EXCHANGE.value)}
    by_kind.update(
        {
            row["kind"]: row["n"]
            for row in in_force(as_of, by_kind.keys(), queryset).values("kind").annotate(n=Count("id"))
        }
    )
    per_country = Counter({row["country"]: row["n"] for row in base.values("country").annotate(n=Count("id"))})
    continent_of = dict(Country.objects.filter(iso2__in=per_country).values_list("iso2", "continent"))
    by_continent = dict.fromkeys(STAT_CONTINENTS, 0)
    for iso, n in per_country.items():
        continent = continent_of.get(iso)
        if continent in by_continent:
            by_continent[continent] += n
    share = {c: (round(100 * n / total, 1) if total else 0.0) for c, n in by_continent.items()}

    prefectures = list(home_prefectures())
    own = Counter(
        {
            row["cn_division"]: row["n"]
            for row in base.filter(level="prefecture").values("cn_division").annotate(n=Count("id"))
        }
    )
    below = Counter(
        {
            row["cn_division__parent"]: row["n"]
            for row in base.filter(level="county").values("cn_division__parent").annotate(n=Count("id"))
        }
    )
    return {
        "as_of": as_of.isoformat(),
        "home": {"code": home_division().code, "name": home_division().name_zh},
        "kinds": list(kinds),
        "total": total,
        "by_level": by_level,
        "by_kind": by_kind,
        "countries": len(per_country),
        "by_continent": by_continent,
        "continent_share": share,
        "bri_route": base.filter(membership_q("bri_route", as_of)).count(),
        "bri_signed": base.filter(membership_q("bri_signed", as_of)).count(),
        "by_country": dict(sorted(per_country.items(), key=lambda kv: (-kv[1], kv[0]))),
        "by_prefecture": {p.code: own.get(p.code, 0) for p in prefectures},
        "by_prefecture_incl_counties": {p.code: own.get(p.code, 0) + below.get(p.code, 0) for p in prefectures},
        "prefecture_names": {p.code: p.name_zh for p in prefectures},
        "undated": undated(kinds, queryset),
    }


def undated(kinds=(Kind.SISTER,), queryset=None):
    """Partnerships without a signing date (see DEFINITIONS['undated'])."""
    qs = queryset if queryset is not None else Partnership.objects.all()
    return (
        qs.filter(cn_division__code__startswith=home_division().prefix, signed_on__isnull=True, kind__in=list(kinds))
        .exclude(status=Status.ENDED)
        .count()
    )


def definitions():
    return {key: str(text) for key, text in DEFINITIONS.items()}
