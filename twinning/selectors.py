"""Reading the registry: what a user may see, what the public may see, anniversaries, timelines."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Q

from accounts.access import restrict, scope_q

from .dates import period_end
from .models import Exchange, Kind, Partnership, Precision, Project, Status


def visible_partnerships(user, action="view"):
    return restrict(Partnership.objects.all(), user, action)


def public_partnerships():
    """What anyone may see without logging in: published partnerships only. Every anonymous
    figure and map (the statistics JSON, the public map and its data) counts from this."""
    return Partnership.objects.filter(published=True)


def counted_partnerships(user=None):
    """What a user's figures and map count: the published partnerships and, once logged in, every
    partnership the user may see, published or not. Without a login: the published ones only."""
    if user is None or not user.is_authenticated:
        return public_partnerships()
    return Partnership.objects.filter(scope_q(user) | Q(published=True))


def visible_exchanges(user, action="view"):
    return restrict(Exchange.objects.all(), user, action)


def visible_projects(user, action="view"):
    return restrict(Project.objects.all(), user, action)


@dataclass
class Anniversary:
    """An anniversary of signing, known as precisely as the signing: a day, a month, or only a year.

    `on` is the first day of the anniversary's period; a year-precision signing ("2014年") has its
    anniversary in a year and no day is invented for it."""

    partnership: Partnership
    on: date
    years: int
    precision: str = Precision.DAY

    @property
    def round(self):
        return self.years % 5 == 0

    @property
    def last_day(self):
        return period_end(self.on, self.precision)


def _same_day(year, signed):
    try:
        return signed.replace(year=year)
    except ValueError:  # 29 February in a common year
        return date(year, 2, 28)


def anniversary_in(partnership, today, days=365):
    """The partnership's next anniversary whose period reaches into [today, today + days), or None.

    A day is listed from its date; a month (signing known to the month) while that month is not over;
    a year (signing known to the year only) during that whole year."""
    signed, precision = partnership.signed_on, partnership.signed_precision
    horizon = date.fromordinal(today.toordinal() + days - 1)
    for year in (today.year, today.year + 1):
        years = year - signed.year
        if years < 1:
            continue
        if precision == Precision.YEAR:
            start = date(year, 1, 1)
        elif precision == Precision.MONTH:
            start = date(year, signed.month, 1)
        else:
            start = _same_day(year, signed)
        if period_end(start, precision) >= today and start <= horizon:
            return Anniversary(partnership, start, years, precision)
    return None


def anniversaries(partnerships, today=None, days=365):
    """Anniversaries of signing falling from today up to `days` ahead, by the last day they may fall on."""
    today = today or date.today()
    qs = partnerships.filter(signed_on__isnull=False, signed_on__lt=today).exclude(kind=Kind.INTENT)
    qs = qs.exclude(status=Status.ENDED).select_related("cn_division", "foreign", "country")
    found = [a for a in (anniversary_in(p, today, days) for p in qs) if a is not None]
    found.sort(key=lambda a: (a.last_day, a.on, a.partnership.cn_division_id))
    return found


def before_signing(on, partnership):
    """Did something on `on` happen before the partnership was signed? Exchanges often predate the
    signing. Only a date before the first day of the signing's period counts: an exchange in 2014 is
    not known to be before a signing known only as "2014年"."""
    return partnership.signed_on is not None and on < partnership.signed_on


def timeline(partnership):
    """Everything that happened in a partnership, newest first: exchanges, status changes, project steps."""
    events = []
    for exchange in partnership.exchanges.all():
        events.append({"on": exchange.occurred_on, "type": "exchange", "object": exchange,
                       "before_signing": before_signing(exchange.occurred_on, partnership)})
    for change in partnership.status_changes.all():
        events.append({"on": change.changed_on, "type": "status", "object": change})
    for project in partnership.projects.prefetch_related("updates"):
        for update in project.updates.all():
            events.append({"on": update.on, "type": "project", "object": update, "project": project})
    if partnership.signed_on:
        events.append({"on": partnership.signed_on, "type": "signed", "object": partnership})
    events.sort(key=lambda e: e["on"], reverse=True)
    return events


def unplaced_partnerships(user):
    """The partnerships `user` may change whose foreign side is not on the map (no coordinates)."""
    return (
        visible_partnerships(user, "change")
        .filter(Q(foreign__lat__isnull=True) | Q(foreign__lon__isnull=True))
        .select_related("cn_division", "foreign", "country")
        .order_by("cn_division__code", "foreign__name_zh", "foreign__name_en", "pk")
    )


def place_candidates(place, limit=10):
    """Gazetteer places in the foreign place's country that it may be, likeliest first: what the
    resolver found or hesitated between for each of its names, then the places whose names match."""
    from geo.gazetteer import resolve_place, suggest

    names = list(dict.fromkeys(n for n in (place.name_zh, place.name_en, place.name_given) if n))
    found = {}
    for name in names:
        result = resolve_place(name, place.country, admin1=place.admin1 or None)
        for candidate in [result.place, *(result.candidates or [])]:
            if candidate is not None and candidate.country_id == place.country_id:
                found.setdefault(candidate.pk, candidate)
    for name in names:
        for candidate in suggest(name, place.country, limit=limit):
            found.setdefault(candidate.pk, candidate)
    return list(found.values())[:limit]
