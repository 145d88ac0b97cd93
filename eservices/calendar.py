"""Working days by the Chinese calendar: holidays and adjusted working days (调休).

Known years come from the `chinesecalendar` package; data/calendar/adjustments.csv
adds later years or corrections; a year neither knows falls back to weekends
(`is_known_year` says whether a figure is exact).
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


def is_known_year(year):
    if any(d.year == year for d in _adjustments()):
        return True
    try:
        chinese_calendar.is_workday(date(year, 6, 1))
        return True
    except NotImplementedError:
        return False


def is_workday(day):
    adjusted = _adjustments().get(day)
    if adjusted is not None:
        return adjusted
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:
        return day.weekday() < 5


def add_working_days(start, days):
    """The date `days` working days after `start` (start itself not counted)."""
    day = start
    remaining = days
    while remaining > 0:
        day += timedelta(days=1)
        if is_workday(day):
            remaining -= 1
    return day


def working_days_between(start, end, stop_at=None):
    """Working days after `start` up to and including `end`; with `stop_at`, at most that many
    (the count stops there, for callers that only ask whether there are enough)."""
    count = 0
    day = start
    while day < end and (stop_at is None or count < stop_at):
        day += timedelta(days=1)
        if is_workday(day):
            count += 1
    return count
