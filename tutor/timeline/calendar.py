"""Julian (Old Style) and Gregorian (New Style) dates, and the day Russia switched.

Russia kept the Julian calendar until 31 January 1918 (Julian); the next day was
14 February 1918 (Gregorian). Conversion goes through the Julian Day Number, so
it holds for any century (12 days apart in the 19th century, 13 in the 20th),
including Julian leap days the Gregorian calendar lacks (29 February 1900 OS).
"""

from __future__ import annotations

from datetime import date

# The first New Style day in Russia: the day after 31 January 1918 Old Style.
SWITCH_NS = date(1918, 2, 14)
# date.toordinal() counts from 1 January of year 1 (proleptic Gregorian) = Julian Day 1721426.
_ORDINAL_TO_JDN = 1721425


def _julian_day(year: int, month: int, day: int) -> int:
    """The Julian Day Number of a date of the Julian calendar."""
    a = (14 - month) // 12
    y = year + 4800 - a
    m = month + 12 * a - 3
    return day + (153 * m + 2) // 5 + 365 * y + y // 4 - 32083


def _julian_from_day(jdn: int) -> tuple[int, int, int]:
    """The Julian-calendar (year, month, day) of a Julian Day Number."""
    c = jdn + 32082
    d = (4 * c + 3) // 1461
    e = c - (1461 * d) // 4
    m = (5 * e + 2) // 153
    day = e - (153 * m + 2) // 5 + 1
    month = m + 3 - 12 * (m // 10)
    year = d - 4800 + m // 10
    return year, month, day


def valid_julian(year: int, month: int, day: int) -> bool:
    """Whether (year, month, day) exists in the Julian calendar (every fourth year is a leap year)."""
    if not 1 <= month <= 12 or day < 1:
        return False
    lengths = [31, 29 if year % 4 == 0 else 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
    return day <= lengths[month - 1]


def julian_to_gregorian(year: int, month: int, day: int) -> date:
    """The New Style date of an Old Style (Julian) date; ValueError when the Julian date does not exist."""
    if not valid_julian(year, month, day):
        raise ValueError(f"{day} {month} {year} is not a date of the Julian calendar")
    return date.fromordinal(_julian_day(year, month, day) - _ORDINAL_TO_JDN)


def gregorian_to_julian(when: date) -> tuple[int, int, int]:
    """The Old Style (Julian) (year, month, day) of a New Style date (a tuple: 29 February 1900 OS is no `date`)."""
    return _julian_from_day(when.toordinal() + _ORDINAL_TO_JDN)


def julian_iso(year: int, month: int, day: int) -> str:
    """An Old Style date written as ISO digits (it may be a day the Gregorian calendar lacks)."""
    return f"{year:04d}-{month:02d}-{day:02d}"


def before_switch(new_style: date) -> bool:
    """Whether Russia still counted this (New Style) day in the Old Style."""
    return new_style < SWITCH_NS
