"""Statistics and early warnings of official trips. Each figure is defined here once
(`DEFINITIONS`, also in docs/trips.md#statistics) and the same `compute` serves the page,
the JSON (`to_json`) and the Excel export (`workbook`).

`compute` takes the trips the user may see (the caller restricts them, e.g. with
accounts.access.restrict); every figure, the warnings included, is drawn from those trips only.

Personal data: the result names nobody except the holders of overdue passports (who must be
chased), and passport numbers only masked (`mask`); `to_json` keeps it that way.
"""

import calendar
from collections import Counter
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.db.models import Count, F
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from geo.countries import members_on
from geo.models import Country, CountryGroup

from .models import AnnualPlan, Member, PassportLoan, PlannedTrip, Purpose, Stop, TripKind
from .workflow import lock_days

# A trip is "carried out or approved" in these states of its application.
COUNTED_STATES = ("approved", "reported", "archived")

DEFINITIONS = {
    "trips": gettext_lazy(
        "Trips carried out or approved: the application is approved, its report submitted or archived, "
        "and the delegation leaves China on a day of the period, the first and last days included."
    ),
    "persons": gettext_lazy("Distinct people among the members of the trips counted."),
    "person_times": gettext_lazy(
        "Person-times (人次): the members of each trip counted, summed over the trips; "
        "a person on two trips counts twice."
    ),
    "by_country": gettext_lazy(
        "Trips counted by country or region visited (ISO 3166-1 alpha-2 code; HK and MO for Hong Kong and Macao), "
        "largest first. A trip counts once for each distinct country of its stops; transit-only stops do not count."
    ),
    "by_unit": gettext_lazy("Trips counted and their person-times, by applicant unit."),
    "by_purpose": gettext_lazy("Trips counted by purpose; every purpose is listed, 0 where there is none."),
    "by_month": gettext_lazy(
        "Trips counted by the month of leaving China (YYYY-MM); every month of the period is listed."
    ),
    "by_kind": gettext_lazy("Trips counted by kind: abroad, or to Hong Kong and Macao."),
    "plan_vs_actual": gettext_lazy(
        "For each unit and each year of the period: the trips of the unit's annual plan for that year planned "
        "in a month of the period (those without a month count in any period of the year), against the trips "
        "counted, of which those filed under a planned trip and those outside the plan."
    ),
    "outside_plan": gettext_lazy("Trips counted that were not filed under a planned trip of an annual plan."),
    "overdue_passports": gettext_lazy(
        "Passports lent for a trip and not returned whose due date is before today, whatever the period: "
        "holder, unit, passport number masked but for its last 3 characters, due date, days overdue."
    ),
    "locked_units": gettext_lazy(
        "Units with a passport overdue today by more than the lock period (setting WAISHI_PASSPORT_LOCK_DAYS, "
        "30 days by default); they cannot file new applications until it is back."
    ),
    "overdue_reports": gettext_lazy(
        "Approved trips whose report was due before today and has not been submitted, whatever the period."
    ),
    "overridden_breaches": gettext_lazy(
        "Rule checks of the trips counted that failed with severity 'needs a written reason' and were passed "
        "with the applicant's reason: application number, rule and reason."
    ),
    "key_countries": gettext_lazy(
        "Trips counted that visit at least one country of the key country group (setting "
        "WAISHI_KEY_COUNTRY_GROUP, the Belt and Road route countries by default) as the group stood on the day "
        "of leaving; transit-only stops do not count."
    ),
    "returned_late": gettext_lazy(
        "Passports returned in the period after their due date (the holder is not named)."
    ),
}

# Hong Kong and Macao are not countries of geo.Country; stops may still carry their codes.
SAR_NAMES = {"HK": gettext_lazy("Hong Kong"), "MO": gettext_lazy("Macao")}


def definitions():
    return {key: str(text) for key, text in DEFINITIONS.items()}


def key_group():
    return getattr(settings, "WAISHI_KEY_COUNTRY_GROUP", "bri_route")


def mask(number):
    """A passport number shown by its last 3 characters only, behind six stars whatever its length."""
    number = (number or "").strip()
    return "******" + (number[-3:] if len(number) > 3 else "")


def counted(trips, date_from, date_to):
    """The trips carried out or approved in the period (DEFINITIONS['trips'])."""
    return trips.filter(application__state__in=COUNTED_STATES, departs_on__gte=date_from, departs_on__lte=date_to)


def _months(date_from, date_to):
    months = []
    year, month = date_from.year, date_from.month
    while (year, month) <= (date_to.year, date_to.month):
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def _month_in_period(year, month, date_from, date_to):
    if month is None:
        return True
    first = date(year, month, 1)
    last = date(year, month, calendar.monthrange(year, month)[1])
    return first <= date_to and last >= date_from


def _plan_vs_actual(base, trips, plans, date_from, date_to):
    years = list(range(date_from.year, date_to.year + 1))
    if plans is None:
        plans = AnnualPlan.objects.filter(unit__in=trips.values("application__unit"))
    plans = plans.filter(year__in=years).select_related("unit")
    rows = {}

    def row(unit_id, unit_name, year):
        return rows.setdefault((unit_id, year), {
            "unit": unit_id, "name": unit_name, "year": year, "planned": 0, "actual": 0, "in_plan": 0,
            "outside_plan": 0,
        })

    planned = PlannedTrip.objects.filter(plan__in=plans).values_list("plan__unit", "plan__unit__name_zh",
                                                                      "plan__year", "month")
    for unit_id, unit_name, year, month in planned:
        entry = row(unit_id, unit_name, year)
        if _month_in_period(year, month, date_from, date_to):
            entry["planned"] += 1
    for plan in plans:  # a plan with no planned trip still gets its row
        row(plan.unit_id, plan.unit.name_zh, plan.year)
    for unit_id, unit_name, departs_on, planned_id in base.values_list(
        "application__unit", "application__unit__name_zh", "departs_on", "planned"
    ):
        entry = row(unit_id, unit_name, departs_on.year)
        entry["actual"] += 1
        entry["in_plan" if planned_id else "outside_plan"] += 1
    return sorted(rows.values(), key=lambda r: (r["name"], r["year"]))


def _country_names(codes):
    names = dict(Country.objects.filter(iso2__in=codes).values_list("iso2", "name_zh"))
    names.update({code: str(SAR_NAMES[code]) for code in codes if code in SAR_NAMES})
    return names


def compute(trips, date_from, date_to, today=None, plans=None):
    """The figures of DEFINITIONS for the trips given (already restricted to what the user may see),
    the period [date_from, date_to] (both included) and the warnings as of `today`.

    `plans`: the annual plans to compare with (a queryset of AnnualPlan); by default those of the units
    that have any of the trips given.
    """
    today = today or date.today()
    base = counted(trips, date_from, date_to)
    members = Member.objects.filter(trip__in=base)

    country_pairs = (Stop.objects.filter(trip__in=base, transit=False).order_by()
                     .values_list("trip", "country").distinct())
    countries_of = {}
    for trip_id, code in country_pairs:
        countries_of.setdefault(trip_id, set()).add(code)
    per_country = Counter(code for codes in countries_of.values() for code in codes)

    by_unit = {}
    for row in base.order_by().values("application__unit", "application__unit__name_zh").annotate(n=Count("id")):
        by_unit[row["application__unit"]] = {"name": row["application__unit__name_zh"], "trips": row["n"],
                                             "person_times": 0}
    for row in members.order_by().values("trip__application__unit").annotate(n=Count("id")):
        by_unit[row["trip__application__unit"]]["person_times"] = row["n"]
    by_unit = dict(sorted(by_unit.items(), key=lambda kv: (-kv[1]["trips"], kv[1]["name"])))

    by_purpose = dict.fromkeys(Purpose.values, 0)
    by_purpose.update({r["purpose"]: r["n"] for r in base.order_by().values("purpose").annotate(n=Count("id"))})
    by_kind = dict.fromkeys(TripKind.values, 0)
    by_kind.update({r["kind"]: r["n"] for r in base.order_by().values("kind").annotate(n=Count("id"))})
    by_month = dict.fromkeys(_months(date_from, date_to), 0)
    for departs_on in base.values_list("departs_on", flat=True):
        by_month[departs_on.strftime("%Y-%m")] += 1

    plan_rows = _plan_vs_actual(base, trips, plans, date_from, date_to)

    # Warnings as of today, whatever the period.
    loans = PassportLoan.objects.filter(trip__in=trips).select_related(
        "passport__person__unit", "trip__application")
    overdue_passports = [
        {"name": loan.passport.person.name_zh, "unit": loan.passport.person.unit_id,
         "unit_name": loan.passport.person.unit.name_zh, "passport": mask(loan.passport.number),
         "due_on": loan.due_on, "days_overdue": (today - loan.due_on).days, "trip": loan.trip.application.number}
        for loan in loans.filter(returned_on__isnull=True, due_on__lt=today)
    ]
    overdue_passports.sort(key=lambda r: (-r["days_overdue"], r["unit_name"], r["name"]))
    locked = {}
    for r in overdue_passports:
        if r["days_overdue"] > lock_days():
            entry = locked.setdefault(r["unit"], {"unit": r["unit"], "name": r["unit_name"], "days_overdue": 0})
            entry["days_overdue"] = max(entry["days_overdue"], r["days_overdue"])
    locked_units = sorted(locked.values(), key=lambda r: (-r["days_overdue"], r["name"]))

    returned_late = [
        {"trip": loan.trip.application.number, "unit": loan.passport.person.unit_id,
         "unit_name": loan.passport.person.unit.name_zh, "passport": mask(loan.passport.number),
         "due_on": loan.due_on, "returned_on": loan.returned_on, "days_late": (loan.returned_on - loan.due_on).days}
        for loan in loans.filter(returned_on__gte=date_from, returned_on__lte=date_to, returned_on__gt=F("due_on"))
    ]
    returned_late.sort(key=lambda r: (r["returned_on"], r["trip"]))

    overdue_reports = [
        {"trip": t.application.number, "title": t.application.title, "unit": t.application.unit_id,
         "unit_name": t.application.unit.name_zh, "returns_on": t.returns_on, "report_due_on": t.report_due_on,
         "days_overdue": (today - t.report_due_on).days}
        for t in trips.filter(application__state="approved", report_due_on__lt=today,
                              report_submitted_on__isnull=True).select_related("application__unit")
    ]
    overdue_reports.sort(key=lambda r: (-r["days_overdue"], r["trip"]))

    overridden = []
    counted_trips = list(base.select_related("application__unit").order_by("departs_on", "id"))
    for t in counted_trips:
        for result in t.rule_results or []:
            reason = str((t.reasons or {}).get(result.get("rule"), "")).strip()
            if not result.get("ok", True) and result.get("severity") == "reason" and reason:
                overridden.append({"trip": t.application.number, "rule": result.get("rule", ""),
                                   "name": result.get("name", ""), "reason": reason})

    group = key_group()
    members_cache = {}
    key_trips = []
    for t in counted_trips:
        if t.departs_on not in members_cache:
            members_cache[t.departs_on] = members_on(group, t.departs_on)
        hits = sorted(countries_of.get(t.id, set()) & members_cache[t.departs_on])
        if hits:
            key_trips.append({"trip": t.application.number, "title": t.application.title,
                              "unit_name": t.application.unit.name_zh, "departs_on": t.departs_on,
                              "countries": hits})
    group_row = CountryGroup.objects.filter(code=group).first()

    return {
        "date_from": date_from, "date_to": date_to, "today": today, "lock_days": lock_days(),
        "trips": len(counted_trips),
        "persons": members.order_by().values("person").distinct().count(),
        "person_times": members.count(),
        "by_country": dict(sorted(per_country.items(), key=lambda kv: (-kv[1], kv[0]))),
        "country_names": _country_names(per_country),
        "by_unit": by_unit,
        "by_purpose": by_purpose,
        "by_month": by_month,
        "by_kind": by_kind,
        "plan_vs_actual": plan_rows,
        "outside_plan": sum(1 for t in counted_trips if t.planned_id is None),
        "overdue_passports": overdue_passports,
        "locked_units": locked_units,
        "overdue_reports": overdue_reports,
        "overridden_breaches": overridden,
        "key_countries": {"group": group, "group_name": group_row.name if group_row else group,
                          "trips": len(key_trips), "list": key_trips},
        "returned_late": returned_late,
    }


def _json_safe(value):
    if isinstance(value, dict):
        return {str(k): _json_safe(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set)):
        return [_json_safe(v) for v in value]
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, Promise):
        return str(value)
    return value


def to_json(result):
    """The result as JSON-safe data (dates ISO, keys strings), with the definitions.

    It holds no personal data beyond what `compute` puts in: names of the holders of overdue
    passports and masked passport numbers."""
    data = _json_safe(result)
    data["definitions"] = definitions()
    return data


# The one-number figures of the summary sheet, in order: key -> how to read the number from the result.
SUMMARY = {
    "trips": lambda r: r["trips"],
    "persons": lambda r: r["persons"],
    "person_times": lambda r: r["person_times"],
    "outside_plan": lambda r: r["outside_plan"],
    "key_countries": lambda r: r["key_countries"]["trips"],
    "overridden_breaches": lambda r: len(r["overridden_breaches"]),
    "overdue_passports": lambda r: len(r["overdue_passports"]),
    "locked_units": lambda r: len(r["locked_units"]),
    "overdue_reports": lambda r: len(r["overdue_reports"]),
    "returned_late": lambda r: len(r["returned_late"]),
}


def summary_labels():
    return {
        "trips": _("Trips"), "persons": _("People"), "person_times": _("Person-times"),
        "outside_plan": _("Trips outside the plan"), "key_countries": _("Trips to key countries"),
        "overridden_breaches": _("Rule breaches passed with a reason"),
        "overdue_passports": _("Passports overdue"), "locked_units": _("Units locked"),
        "overdue_reports": _("Reports overdue"), "returned_late": _("Passports returned late"),
    }


def workbook(result):
    """The statistics as an Excel file (bytes): a summary sheet (figure, value, definition) and a
    sheet per breakdown and warning list, headers in the user's language."""
    from openpyxl import Workbook

    from twinning.exports import sheet, to_bytes

    def day(value):
        return date.fromisoformat(value) if isinstance(value, str) else value

    defs = definitions()
    labels = summary_labels()
    wb = Workbook()
    summary = [
        (_("Period"), f"{day(result['date_from']).isoformat()} – {day(result['date_to']).isoformat()}", ""),
        (_("As of"), day(result["today"]).isoformat(), ""),
    ]
    summary += [(labels[key], read(result), defs[key]) for key, read in SUMMARY.items()]
    summary += [(TripKind(kind).label, n, defs["by_kind"]) for kind, n in result["by_kind"].items()]
    sheet(wb, _("Summary"), [_("Figure"), _("Value"), _("Definition")], summary, first=True)

    codes = list(result["by_country"])
    names = {c.iso2: c.name for c in Country.objects.filter(iso2__in=codes)}
    names.update({code: str(SAR_NAMES[code]) for code in codes if code in SAR_NAMES})
    sheet(wb, _("By country"), [_("Country or region"), _("ISO code"), _("Trips")],
          [(names.get(code, code), code, n) for code, n in result["by_country"].items()])
    sheet(wb, _("By unit"), [_("Unit"), _("Trips"), _("Person-times")],
          [(u["name"], u["trips"], u["person_times"]) for u in result["by_unit"].values()])
    sheet(wb, _("By purpose"), [_("Purpose"), _("Trips")],
          [(Purpose(p).label, n) for p, n in result["by_purpose"].items()])
    sheet(wb, _("By month"), [_("Month"), _("Trips")], list(result["by_month"].items()))
    sheet(wb, _("Plan vs actual"),
          [_("Unit"), _("Year"), _("Planned"), _("Carried out"), _("Under the plan"), _("Outside the plan")],
          [(r["name"], r["year"], r["planned"], r["actual"], r["in_plan"], r["outside_plan"])
           for r in result["plan_vs_actual"]])
    sheet(wb, _("Overdue passports"),
          [_("Holder"), _("Unit"), _("Passport number"), _("Due on"), _("Days overdue"), _("Application number")],
          [(r["name"], r["unit_name"], r["passport"], day(r["due_on"]), r["days_overdue"], r["trip"])
           for r in result["overdue_passports"]])
    sheet(wb, _("Overdue reports"),
          [_("Application number"), _("Title"), _("Unit"), _("Returned on"), _("Report due on"), _("Days overdue")],
          [(r["trip"], r["title"], r["unit_name"], day(r["returns_on"]), day(r["report_due_on"]), r["days_overdue"])
           for r in result["overdue_reports"]])
    sheet(wb, _("Overridden breaches"), [_("Application number"), _("Rule"), _("Check"), _("Reason")],
          [(r["trip"], r["name"], r["rule"], r["reason"]) for r in result["overridden_breaches"]])
    sheet(wb, _("Key countries"), [_("Application number"), _("Title"), _("Unit"), _("Leaves on"), _("Countries")],
          [(r["trip"], r["title"], r["unit_name"], day(r["departs_on"]),
            ", ".join(names.get(code, code) for code in r["countries"]))
           for r in result["key_countries"]["list"]])
    sheet(wb, _("Returned late"),
          [_("Application number"), _("Unit"), _("Passport number"), _("Due on"), _("Returned on"), _("Days late")],
          [(r["trip"], r["unit_name"], r["passport"], day(r["due_on"]), day(r["returned_on"]), r["days_late"])
           for r in result["returned_late"]])
    return to_bytes(wb)
