"""Timeline dates: a year, month or day, or a range of two of them; placed on a year scale."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

_POINT = re.compile(r"^(\d{1,4})(?:-(\d{2})(?:-(\d{2}))?)?$")
_YEAR_RANGE = re.compile(r"^(\d{1,4})\s*[-\u2013]\s*(\d{1,4})$")


@dataclass(frozen=True)
class PartialDate:
    year: int
    month: int | None = None
    day: int | None = None

    def position(self, end: bool = False) -> float:
        """Fractional year for drawing to scale; `end` takes the end of a year or month."""
        if self.month is None:
            return self.year + (1.0 if end else 0.0)
        days_in_year = 366 if calendar.isleap(self.year) else 365
        first = dt.date(self.year, self.month, self.day or 1)
        offset = (first - dt.date(self.year, 1, 1)).days
        if end:
            offset += 1 if self.day else calendar.monthrange(self.year, self.month)[1]
        return self.year + offset / days_in_year

    def label(self) -> str:
        if self.month is None:
            return str(self.year)
        month = calendar.month_name[self.month]
        return f"{month} {self.day}, {self.year}" if self.day else f"{month} {self.year}"


@dataclass(frozen=True)
class DateSpan:
    start: PartialDate
    end: PartialDate | None = None

    @property
    def is_range(self) -> bool:
        return self.end is not None

    def label(self) -> str:
        if self.end is None:
            return self.start.label()
        return f"{self.start.label()}\u2013{self.end.label()}"

    def bounds(self) -> tuple[float, float]:
        last = self.end or self.start
        return self.start.position(), last.position(end=True)

    def sort_key(self) -> tuple[float, float]:
        """Chronological order: by start, then the shorter event first."""
        return self.bounds()


def parse_date(text: str) -> DateSpan:
    """Parse "1950", "1950-02", "1950-02-14", "1958-1960" or "1950-02-14 to 1950-03-01".

    Raises ValueError with a message fit for the user.
    """
    text = text.strip()
    years = _YEAR_RANGE.match(text)
    if years and len(years.group(2)) == 4:
        return _span(_point(years.group(1)), _point(years.group(2)), text)
    if " to " in text:
        first, _, last = text.partition(" to ")
        return _span(_point(first.strip()), _point(last.strip()), text)
    return DateSpan(_point(text))


def _span(start: PartialDate, end: PartialDate, text: str) -> DateSpan:
    if end.position(end=True) <= start.position(end=True):
        raise ValueError(f"'{text}' ends before it starts; put the earlier date first")
    return DateSpan(start, end)


def _point(text: str) -> PartialDate:
    match = _POINT.match(text)
    if not match:
        raise ValueError(f"'{text}' is not a date; write YYYY, YYYY-MM, YYYY-MM-DD or a range like 1958-1960")
    year, month, day = (int(g) if g else None for g in match.groups())
    assert year is not None
    if year == 0:  # 1 BC is followed by AD 1: no calendar has a year 0, and Python's dates stop at 1
        raise ValueError(f"'{text}' has the year 0, which no calendar has; write a year from 1 to 9999")
    try:
        dt.date(year, month or 1, day or 1)
    except ValueError:
        raise ValueError(f"'{text}' is not a real date; check the month and day") from None
    return PartialDate(year, month, day)
