"""Working days by the Chinese calendar: holidays and adjusted working days (调休).

Known years come from the `chinesecalendar` package; data/calendar/adjustments.csv
adds later years or corrections; the office enters each new year's State Council
notice in the admin (eservices.HolidayNotice, its days win over both). A year none
of them knows falls back to weekends: `is_known_year` says whether a figure is
exact, `uncovered_years` and `coverage_warning` tell the pages to say so.
"""

import csv
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path

import chinese_calendar
from django.conf import settings

ADJUSTMENTS = Path(settings.BASE_DIR) / "data" / "calendar" / "adjustments.csv"


@lru_cache(maxsize=1)
def _adjustments():
    table = {}
    if ADJUSTMENTS.exists():
        with open(ADJUSTMENTS, encoding="utf-8", newline="") as fh:
            for row in csv.DictReader(fh):
                table[date.fromisoformat(row["date"])] = row["kind"] == "workday"
    return table


def _office_days():
    """The days of the notices the office entered: date -> True for a working day. Read once per
    count (one query), so a notice entered in the admin counts at once in every process."""
    from .models import NoticeDay

    return {day: kind == NoticeDay.Kind.WORKDAY for day, kind in NoticeDay.objects.values_list("date", "kind")}


def _office_years():
    from .models import HolidayNotice

    return set(HolidayNotice.objects.values_list("year", flat=True))


def _package_knows(year):
    try:
        chinese_calendar.is_workday(date(year, 6, 1))
        return True
    except NotImplementedError:
        return False


def is_known_year(year):
    return (any(d.year == year for d in _adjustments()) or _package_knows(year)
            or year in _office_years())


def uncovered_years(*days):
    """The years of `days` (None ignored) the calendar does not cover, in order."""
    years = sorted({d.year for d in days if d is not None})
    return [year for year in years if not is_known_year(year)]


def coverage_warning(*days):
    """A warning for a page that shows deadlines on `days`, or "" when the calendar covers them."""
    from django.utils.translation import gettext as _

    years = uncovered_years(*days)
    if not years:
        return ""
    return _("The working-day calendar has no holiday notice for %(years)s: deadlines in it are counted with "
             "weekends only and may be wrong. The office enters the State Council's notice in the admin "
             "(Holiday notices).") % {"years": "、".join(str(y) for y in years)}


def _is_workday(day, office):
    adjusted = office.get(day)
    if adjusted is not None:
        return adjusted
    adjusted = _adjustments().get(day)
    if adjusted is not None:
        return adjusted
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:
        return day.weekday() < 5


def is_workday(day):
    return _is_workday(day, _office_days())


def add_working_days(start, days):
    """The date `days` working days after `start` (start itself not counted)."""
    office = _office_days()
    day = start
    remaining = days
    while remaining > 0:
        day += timedelta(days=1)
        if _is_workday(day, office):
            remaining -= 1
    return day


def working_days_between(start, end, stop_at=None):
    """Working days after `start` up to and including `end`; with `stop_at`, at most that many
    (the count stops there, for callers that only ask whether there are enough)."""
    office = _office_days()
    count = 0
    day = start
    while day < end and (stop_at is None or count < stop_at):
        day += timedelta(days=1)
        if _is_workday(day, office):
            count += 1
    return count
