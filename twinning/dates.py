"""Dates as sources give them: a day, a month or only a year, and the parsing of
every written form offices use (1979-05-02, 1979.05.02, 1979/5/2, 1979年5月2日,
1979年5月, 2014年, 2014, Excel date cells).

One parser with its precision serves the form, the import and the API.
"""

import calendar
import re
from dataclasses import dataclass
from datetime import date, datetime

from .models import Precision

# The People's Republic's first friendship cities were signed in 1973; no signing predates its founding.
EARLIEST_SIGNING = date(1949, 10, 1)

_SEP = r"\s*[-/.．／]\s*"
_PATTERNS = [
    (re.compile(rf"^(\d{{4}}){_SEP}(\d{{1,2}}){_SEP}(\d{{1,2}})$"), Precision.DAY),
    (re.compile(r"^(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]?$"), Precision.DAY),
    (re.compile(r"^(\d{4})(\d{2})(\d{2})$"), Precision.DAY),
    (re.compile(rf"^(\d{{4}}){_SEP}(\d{{1,2}})$"), Precision.MONTH),
    (re.compile(r"^(\d{4})\s*年\s*(\d{1,2})\s*月(?:份)?$"), Precision.MONTH),
    (re.compile(r"^(\d{4})\s*年?$"), Precision.YEAR),
]


@dataclass(frozen=True)
class PartialDate:
    """A date known to a day, a month or a year. `value` is the first day of the period."""

    value: date
    precision: str = Precision.DAY

    @property
    def end(self):
        return period_end(self.value, self.precision)

    def iso(self):
        if self.precision == Precision.YEAR:
            return f"{self.value.year:04d}"
        if self.precision == Precision.MONTH:
            return f"{self.value.year:04d}-{self.value.month:02d}"
        return self.value.isoformat()


class DateError(ValueError):
    pass


def period_end(value, precision):
    """The last day of the period a date of this precision stands for."""
    if value is None:
        return None
    if precision == Precision.YEAR:
        return date(value.year, 12, 31)
    if precision == Precision.MONTH:
        return date(value.year, value.month, calendar.monthrange(value.year, value.month)[1])
    return value


def parse_partial_date(value):
    """A PartialDate from a cell or a typed text, None when empty; DateError when it is not a date."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return PartialDate(value.date())
    if isinstance(value, date):
        return PartialDate(value)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if float(value).is_integer() and 1000 <= value <= 9999:
            return PartialDate(date(int(value), 1, 1), Precision.YEAR)
        raise DateError(str(value))
    text = str(value).strip().translate(_DIGITS)
    if not text:
        return None
    for pattern, precision in _PATTERNS:
        match = pattern.match(text)
        if match:
            parts = [int(p) for p in match.groups()]
            try:
                return PartialDate(date(parts[0], *(parts[1:] + [1] * (3 - len(parts)))), precision)
            except ValueError as exc:
                raise DateError(text) from exc
    raise DateError(text)


_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")


def format_partial(value, precision, language="zh-hans"):
    """A date as given: 2014年 / 1979年5月 / 1979年5月2日, or 2014 / May 1979 / 2 May 1979 in English."""
    if value is None:
        return ""
    english = (language or "").startswith("en")
    if precision == Precision.YEAR:
        return f"{value.year}" if english else f"{value.year}年"
    if precision == Precision.MONTH:
        return f"{calendar.month_name[value.month]} {value.year}" if english else f"{value.year}年{value.month}月"
    return value.isoformat() if english else f"{value.year}年{value.month}月{value.day}日"
