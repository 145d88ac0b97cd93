"""Rule checks of an official trip. Rules are data (trips.Rule: parameters, an
effective period, a jurisdiction, a source), kept by the provincial office;
each rule's `code` names a check function registered here with @check.

`evaluate(draft)` runs every rule in force on the date for the unit's
jurisdiction (the most specific jurisdiction's version of a code wins) and
returns one RuleResult per rule. A failed rule of severity `block` stops
submission; of severity `reason` it needs the applicant's written reason,
which the reviewer sees; `warn` only informs.

The same function serves the filing form (as it is filled), the submission,
the reviewer's page and POST /api/trips/check.
"""

import functools
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, timedelta

from django.db.models import Q
from django.utils.translation import gettext as _

CHECKS = {}


def check(code):
    def register(fn):
        CHECKS[code] = fn
        return fn

    return register


@dataclass
class MemberDraft:
    name: str
    rank: str = "other"  # accounts.Person.Rank
    group_role: str = "member"  # trips.Member.GroupRole
    is_leader: bool = False  # a leader of the unit (班子成员)
    teaching_research: bool = False
    person_id: int | None = None
    unit_id: int | None = None


@dataclass
class StopDraft:
    country: str  # ISO 3166 alpha-2
    city: str = ""
    transit: bool = False
    arrives_on: date | None = None
    leaves_on: date | None = None


@dataclass
class TripDraft:
    kind: str  # trips.TripKind
    purpose: str  # trips.Purpose
    departs_on: date
    returns_on: date
    members: list = field(default_factory=list)
    stops: list = field(default_factory=list)
    unit_id: int | None = None
    jurisdiction: str = ""  # GB/T 2260 code of the unit's jurisdiction
    invitation_issuer: str = ""
    invitation_issuer_kind: str = ""
    planned: bool | None = None  # None: unknown (not checked)
    filed_on: date | None = None  # the day of filing; today if None
    decided_on: date | None = None  # the day of the decision checked (an approval); today if None
    trip_id: int | None = None  # the trip itself, left out of its own history
    # trips under review filed before this moment count as if approved (a move re-checks against them)
    pending_before: datetime | None = None
    budget: list | None = None  # the amounts of the budget items (R19); None: unknown (not checked)


@dataclass
class RuleResult:
    rule: str
    name: str
    severity: str
    ok: bool
    message: str
    source: str

    def as_dict(self):
        return asdict(self)


def rules_in_force(jurisdiction, on, kind=None):
    """The rules in force on `on` for a jurisdiction code: for each code, the most specific one."""
    from .models import Rule

    codes = {jurisdiction[:2] + "0000", jurisdiction[:4] + "00", jurisdiction}
    qs = Rule.objects.filter(jurisdiction_id__in=codes, effective_from__lte=on).filter(
        Q(effective_to__isnull=True) | Q(effective_to__gt=on)
    )
    if kind:
        qs = qs.filter(Q(applies_to="") | Q(applies_to=kind))
    chosen = {}
    for rule in qs.select_related("jurisdiction"):
        best = chosen.get(rule.code)
        if best is None or len(rule.jurisdiction.prefix) > len(best.jurisdiction.prefix) or (
            rule.jurisdiction_id == best.jurisdiction_id and rule.effective_from > best.effective_from
        ):
            chosen[rule.code] = rule
    return sorted(chosen.values(), key=lambda r: r.code)


def evaluate(draft, on=None):
    """One RuleResult per rule in force; rules whose check is unknown are reported, not skipped."""
    from django.utils.translation import get_language

    on = on or draft.filed_on or date.today()
    english = (get_language() or "zh-hans").startswith("en")
    results = []
    for rule in rules_in_force(draft.jurisdiction or "430000", on, draft.kind):
        name = rule.name_en if english and rule.name_en else rule.name_zh
        fn = CHECKS.get(rule.code)
        if fn is None:
            results.append(RuleResult(rule.code, name, rule.severity, False, f"unknown check {rule.code}", rule.source))
            continue
        message = fn(draft, rule.params, on)
        results.append(RuleResult(rule.code, name, rule.severity, message is None, message or "", rule.source))
    return results


def blocking(results, reasons=None):
    """Messages that stop a submission: failed `block` rules, and `reason` rules without a reason."""
    reasons = reasons or {}
    found = []
    for r in results:
        if r.ok:
            continue
        if r.severity == "block" or (r.severity == "reason" and not str(reasons.get(r.rule, "")).strip()):
            found.append(r)
    return found


def itinerary_errors(kind, codes):
    """What is wrong with an itinerary of country codes for a trip of `kind` (the form and the check
    API both ask this): never China itself; Hong Kong and Macao only, and only they, on a trip to
    Hong Kong or Macao (因公赴港澳 is its own kind of trip, not a trip abroad)."""
    codes = [c for c in codes if c]
    errors = []
    if "CN" in codes:
        errors.append(_("China itself is not a stop of a trip abroad or to Hong Kong or Macao."))
    regional = [c for c in codes if c in SAR_CODES]
    if kind == "hk_macao" and len(regional) != len(codes):
        errors.append(_("A trip to Hong Kong or Macao has only Hong Kong or Macao in its itinerary."))
    elif kind == "abroad" and regional:
        errors.append(_("Hong Kong and Macao are stops of a trip to Hong Kong or Macao, filed as such, "
                        "not of a trip abroad."))
    return errors


def draft_from_trip(trip, filed_on=None):
    application = trip.application
    members = [
        MemberDraft(name=m.person.name_zh, rank=m.rank or m.person.rank, group_role=m.group_role,
                    is_leader=m.person.is_leader, teaching_research=m.person.teaching_research,
                    person_id=m.person_id, unit_id=m.person.unit_id)
        for m in trip.members.select_related("person")
    ]
    stops = [StopDraft(country=s.country_id, city=s.city, transit=s.transit, arrives_on=s.arrives_on,
                       leaves_on=s.leaves_on) for s in trip.stops.all()]
    return TripDraft(
        kind=trip.kind, purpose=trip.purpose, departs_on=trip.departs_on, returns_on=trip.returns_on,
        members=members, stops=stops, unit_id=application.unit_id, jurisdiction=application.owner_id,
        invitation_issuer=trip.invitation_issuer, invitation_issuer_kind=trip.invitation_issuer_kind,
        planned=trip.planned_id is not None, filed_on=filed_on, trip_id=trip.pk,
        budget=[b.amount for b in trip.budget.all()],
    )


# --- the checks -----------------------------------------------------------------------------------
# Each takes the draft, the rule's `params` (JSON kept in trips.Rule) and the date of the check, and
# returns None when the rule is met, else a message that states the figure and the limit. No figure
# is written here: every number comes from `params`, so the office changes a limit in the admin.
# A parameter that a check needs and does not find is reported as a failure, never passed silently.

# Americas countries that are not Latin America (拉美): the rest of the continent is.
NOT_LATIN_AMERICA = ("US", "CA", "GL", "BM", "PM", "UM")
# Hong Kong and Macao (parts of China, not countries) are accepted as stops by these codes even where
# geo.Country has no row for them (data/geo/regions.csv adds them as regions).
SAR_CODES = ("HK", "MO")
ACADEMIC = "academic"
COUNTED_STATES = ("approved", "reported", "archived")


def counted_q(pending_before=None, states=COUNTED_STATES):
    """Trips that count against a new one: in `states`, or under review and filed before
    `pending_before` (when given)."""
    q = Q(application__state__in=states)
    if pending_before is not None:
        q |= Q(application__state="review", application__submitted_at__lt=pending_before)
    return q


def _missing(name):
    return _("The rule has no parameter “%(param)s”; the office must set it in the admin.") % {"param": name}


def _guarded(fn):
    """Parameters typed wrongly in the admin (text for a number, a list for a table) fail the rule
    with a message saying so, instead of breaking the whole evaluation."""

    @functools.wraps(fn)
    def run(draft, params, on):
        try:
            return fn(draft, params or {}, on)
        except (TypeError, ValueError, AttributeError) as error:
            return _("The rule's parameters are invalid (%(error)s); the office must correct them in the admin.") % {
                "error": error}

    return run


def _join(items):
    from django.utils.translation import get_language

    sep = ", " if (get_language() or "zh-hans").startswith("en") else "、"
    return sep.join(str(i) for i in items)


def _distinct(values):
    seen = []
    for v in values:
        if v and v not in seen:
            seen.append(v)
    return seen


def _place_names(codes):
    """Localized names of countries and regions by code (the code itself when unknown)."""
    from geo.models import Country

    names = {c.iso2: c.name for c in Country.objects.filter(iso2__in=codes)}
    sars = {"HK": _("Hong Kong"), "MO": _("Macao")}
    return [names.get(code) or sars.get(code) or code for code in codes]


def _regions(codes, params):
    """The regions the codes touch: their continents, and `latin_america` for the Americas but
    the countries in params["not_latin_america"] (default NOT_LATIN_AMERICA)."""
    from geo.models import Country

    not_latin = set(params.get("not_latin_america", NOT_LATIN_AMERICA))
    found = set()
    for iso2, continent in Country.objects.filter(iso2__in=codes).values_list("iso2", "continent"):
        found.add(continent)
        if continent == "americas" and iso2 not in not_latin:
            found.add("latin_america")
    return found


def _academic_group(draft):
    """A teaching and research group on academic exchange: purpose academic and every member but
    the interpreters teaching or research staff (厅字〔2016〕17号)."""
    if draft.purpose != ACADEMIC:
        return False
    staff = [m for m in draft.members if m.group_role != "interpreter"]
    return bool(staff) and all(m.teaching_research for m in staff)


def _exempt(draft, params):
    return bool(params.get("exempt_academic_teaching_research")) and _academic_group(draft)


@check("group_size")
@_guarded
def check_group_size(draft, params, on):
    """Members, the interpreter included, at most params["max"]; a teaching and research group on
    academic exchange is exempt when params["exempt_academic_teaching_research"] is true."""
    limit = params.get("max")
    if limit is None:
        return _missing("max")
    if _exempt(draft, params):
        return None
    count = len(draft.members)
    if count <= int(limit):
        return None
    return _("%(count)s people; at most %(max)s (interpreter included).") % {"count": count, "max": limit}


@check("countries_per_trip")
@_guarded
def check_countries_per_trip(draft, params, on):
    """Distinct countries and regions of the itinerary, transit stops included, at most params["max"]."""
    limit = params.get("max")
    if limit is None:
        return _missing("max")
    codes = _distinct(s.country for s in draft.stops)
    if len(codes) <= int(limit):
        return None
    return _("%(count)s countries or regions (%(names)s), transit stops included; at most %(max)s.") % {
        "count": len(codes), "names": _join(_place_names(codes)), "max": limit}


@check("days_abroad")
@_guarded
def check_days_abroad(draft, params, on):
    """Days outside the mainland, the day of leaving and the day of re-entering both counted, at most
    params["by_countries"][n] for n distinct countries or regions visited (transit stops not counted;
    n beyond the table takes its largest entry). params["by_region"] (optional) sets the limit of a
    trip to one region only, e.g. {"HK": 5, "MO": 4}. params["extra_days"] are added when a visited
    stop lies in one of params["extra_regions"] (continents, or "latin_america")."""
    table = params.get("by_countries")
    if not table:
        return _missing("by_countries")
    if _exempt(draft, params):
        return None
    table = {int(k): int(v) for k, v in table.items()}
    visited = _distinct(s.country for s in draft.stops if not s.transit)
    n = len(visited)
    keys = [k for k in sorted(table) if k <= n] or [min(table)]
    limit = table[keys[-1]]
    by_region = params.get("by_region") or {}
    if n == 1 and visited[0] in by_region:
        limit = int(by_region[visited[0]])
    extra = 0
    extra_regions = set(params.get("extra_regions") or [])
    if extra_regions and _regions(visited, params) & extra_regions:
        extra = int(params.get("extra_days") or 0)
    days = (draft.returns_on - draft.departs_on).days + 1
    if days <= limit + extra:
        return None
    values = {"days": days, "max": limit + extra, "count": n, "extra": extra}
    if extra:
        return _("%(days)s days away, the days of leaving and re-entering included; at most %(max)s for "
                 "%(count)s countries or regions, %(extra)s extra day for Latin America or Africa included.") % values
    return _("%(days)s days away, the days of leaving and re-entering included; at most %(max)s for "
             "%(count)s countries or regions.") % values


@check("frequency")
@_guarded
def check_frequency(draft, params, on):
    """For each member with a person: their trips in states params["states"] (default approved,
    reported, archived; and under review when filed before draft.pending_before; of kinds params["kinds"] if given), the trip itself left out, that left in
    the params["window_days"] days before this departure (departure day included, the day exactly
    window_days before not), plus this one, at most params["max_by_rank"][rank] (no limit for a rank
    not listed). With params["exempt_academic_teaching_research"], teaching or research staff on an
    academic trip are exempt, and their academic trips do not count (厅字〔2016〕17号)."""
    from accounts.models import Person

    from .models import Trip

    window = params.get("window_days")
    if window is None:
        return _missing("window_days")
    by_rank = params.get("max_by_rank")
    if not by_rank:
        return _missing("max_by_rank")
    exempt = bool(params.get("exempt_academic_teaching_research"))
    states = params.get("states") or list(COUNTED_STATES)
    kinds = params.get("kinds")
    try:
        start = draft.departs_on - timedelta(days=int(window))
    except OverflowError:  # the window begins before the first day of the calendar: all earlier trips
        start = date.min
    problems = []
    for m in draft.members:
        if m.person_id is None:
            continue
        rank = m.rank or Person.Rank.OTHER
        limit = by_rank.get(rank)
        if limit is None:
            continue
        if exempt and m.teaching_research and draft.purpose == ACADEMIC:
            continue
        qs = Trip.objects.filter(counted_q(draft.pending_before, states), members__person_id=m.person_id,
                                 departs_on__gt=start, departs_on__lte=draft.departs_on)
        if draft.trip_id:
            qs = qs.exclude(pk=draft.trip_id)
        if kinds:
            qs = qs.filter(kind__in=kinds)
        if exempt and m.teaching_research:
            qs = qs.exclude(purpose=ACADEMIC)
        earlier = qs.distinct().count()
        if earlier + 1 > int(limit):
            rank_label = Person.Rank(rank).label if rank in Person.Rank.values else rank
            problems.append(
                _("%(name)s (%(rank)s): %(count)s earlier trips in the %(days)s days before departure; at most "
                  "%(max)s in %(days)s days, this one included.")
                % {"name": m.name, "rank": rank_label, "count": earlier, "days": window, "max": limit})
    return "; ".join(problems) or None


@check("leaders_same_group")
@_guarded
def check_leaders_same_group(draft, params, on):
    """Leaders (班子成员) of one unit in the delegation, at most params["max"]. A member whose unit
    is not known is taken to be of the applicant unit."""
    limit = params.get("max")
    if limit is None:
        return _missing("max")
    by_unit = {}
    for m in draft.members:
        if m.is_leader:
            by_unit.setdefault(m.unit_id or draft.unit_id, []).append(m.name)
    limit = int(limit)
    problems = [
        _("%(count)s leaders of the same unit (%(names)s); at most %(max)s in one delegation.")
        % {"count": len(names), "names": _join(names), "max": limit}
        for names in by_unit.values() if len(names) > limit
    ]
    return "; ".join(problems) or None


@check("invitation")
@_guarded
def check_invitation(draft, params, on):
    """An invitation issuer is named and its kind is one of params["kinds"]."""
    from .models import Trip

    kinds = params.get("kinds")
    if not kinds:
        return _missing("kinds")
    labels = dict(Trip._meta.get_field("invitation_issuer_kind").choices)
    accepted = _join(labels.get(k, k) for k in kinds)
    if not (draft.invitation_issuer or "").strip():
        return _("No invitation issuer given; the invitation must come from: %(kinds)s.") % {"kinds": accepted}
    kind = draft.invitation_issuer_kind or ""
    if kind in kinds:
        return None
    if not kind:
        return _("The kind of the invitation's issuer is not given; accepted: %(kinds)s.") % {"kinds": accepted}
    return _("The invitation comes from “%(kind)s”; accepted: %(kinds)s.") % {
        "kind": labels.get(kind, kind), "kinds": accepted}


@check("lead_time")
@_guarded
def check_lead_time(draft, params, on):
    """Filed (draft.filed_on, else the day of the check) at least params["working_days"] working days
    before departure, by the Chinese calendar (holidays and adjusted working days), plus the
    params["publicity_working_days"] of the publicity (行前公示) that must end before departure."""
    from eservices.calendar import working_days_between

    review = params.get("working_days")
    if review is None:
        return _missing("working_days")
    publicity = int(params.get("publicity_working_days") or 0)
    needed = int(review) + publicity
    filed = draft.filed_on or on
    # Counting stops at the days needed: a departure centuries ahead would take half a minute.
    have = working_days_between(filed, draft.departs_on, stop_at=needed)
    if have >= needed:
        return None
    values = {"count": have, "filed": filed.isoformat(), "departs": draft.departs_on.isoformat(), "min": needed,
              "review": review, "publicity": publicity}
    if publicity:
        return _("Filed %(count)s working days before departure (%(filed)s to %(departs)s); at least %(min)s "
                 "are needed: %(review)s for the review and %(publicity)s of publicity that ends before "
                 "departure.") % values
    return _("Filed %(count)s working days before departure (%(filed)s to %(departs)s); at least %(min)s "
             "are needed.") % values


def publicity_ends_on(start, working_days):
    """The last day of a publicity (行前公示) that starts on `start` and lasts `working_days` working days
    counted after it (the day of approval is the first day shown, not counted)."""
    from eservices.calendar import add_working_days

    return add_working_days(start, working_days)


@check("publicity")
@_guarded
def check_publicity(draft, params, on):
    """A publicity of params["working_days"] working days, starting on the day of approval, ends before
    departure (R10: no approval without it). The day of approval is draft.decided_on, else today, and
    never before the day of filing (a trip checked ahead of filing is approved at the earliest then)."""
    needed = params.get("working_days")
    if needed is None:
        return _missing("working_days")
    start = max(draft.decided_on or date.today(), draft.filed_on or on)
    ends = publicity_ends_on(start, int(needed))
    if ends < draft.departs_on:
        return None
    return _("Approved on %(start)s, the publicity of %(days)s working days would run to %(ends)s, not before "
             "departure on %(departs)s: the trip cannot be approved with less than %(days)s working days of "
             "publicity.") % {"start": start.isoformat(), "days": needed, "ends": ends.isoformat(),
                              "departs": draft.departs_on.isoformat()}


@check("in_plan")
@_guarded
def check_in_plan(draft, params, on):
    """The trip is in the unit's annual plan; unknown (None) is not checked."""
    if draft.planned is False:
        return _("Not in the unit's annual plan of trips.")
    return None


@check("budget")
@_guarded
def check_budget(draft, params, on):
    """R19 (财行〔2013〕516号): the trip has a budget, every amount of it more than zero.
    Unknown (None, e.g. the check API, which has no budget) is not checked."""
    from decimal import Decimal

    if draft.budget is None:
        return None
    amounts = [Decimal(str(a)) for a in draft.budget]
    if not amounts:
        return _("No budget: every trip needs a budget with its amounts.")
    bad = [a for a in amounts if a <= 0]
    if bad:
        return _("%(count)s amount(s) of the budget are zero or negative (%(amounts)s); every amount must be "
                 "more than zero.") % {"count": len(bad), "amounts": _join(bad)}
    return None
