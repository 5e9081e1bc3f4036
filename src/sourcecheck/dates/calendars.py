"""Julian ("Old Style") and Gregorian ("New Style") calendars.

The arithmetic is ``convertdate``'s: it is maintained, tested and handles every year.
Internally dates are ``(year, month, day)`` tuples because ``datetime.date`` is
Gregorian-only and cannot hold Julian-only days such as 29 February 1700.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from convertdate import gregorian as _gregorian
from convertdate import julian as _julian

from sourcecheck.errors import InputError

YMD = tuple[int, int, int]

CALENDARS = ("gregorian", "julian")


def is_valid(y: int, m: int, d: int, calendar: str = "gregorian") -> bool:
    """Whether the day exists in the calendar (29 Feb 1700 is Julian only)."""
    if not 1 <= m <= 12 or d < 1:
        return False
    if calendar == "julian":
        return d <= _julian.month_length(y, m)
    return d <= _gregorian.month_length(y, m)


def j2g(y: int, m: int, d: int) -> YMD:
    """Julian (y, m, d) to Gregorian (y, m, d); ValueError if the Julian day does not exist."""
    gy, gm, gd = _julian.to_gregorian(y, m, d)
    return int(gy), int(gm), int(gd)


def g2j(y: int, m: int, d: int) -> YMD:
    """Gregorian (y, m, d) to Julian (y, m, d); ValueError if the Gregorian day does not exist."""
    _gregorian.legal_date(y, m, d)
    jy, jm, jd = _julian.from_gregorian(y, m, d)
    return int(jy), int(jm), int(jd)


def julian_to_gregorian(d: date) -> date:
    """A Julian date held in a ``date`` (its fields read as Julian) to the Gregorian date."""
    return date(*j2g(d.year, d.month, d.day))


def gregorian_to_julian(d: date) -> date:
    """A Gregorian date to its Julian fields, held in a ``date``.

    Raises ValueError for the few days whose Julian label (29 February of 1700, 1800,
    1900, 2100, ...) a ``date`` cannot hold; use :func:`g2j` for those.
    """
    return date(*g2j(d.year, d.month, d.day))


def offset_days(y: int, m: int, d: int, calendar: str = "julian") -> int:
    """Days the Gregorian calendar runs ahead of the Julian on this day.

    10 from 1582, 11 from (Julian) 1 March 1700, 12 from 1 March 1800, 13 from
    1 March 1900, 14 from 1 March 2100.  ``calendar`` says which calendar (y, m, d) is in.
    The offset is measured on the Julian label: Julian 29 February 1700 (the extra day)
    still counts 10, as the usual tables have it.
    """
    if calendar == "gregorian":
        y, m, d = g2j(y, m, d)
    elif calendar != "julian":
        raise ValueError(f"unknown calendar {calendar!r}")
    _julian.legal_date(y, m, d)
    # The same label read in both calendars; day 1 + (d - 1) keeps 29 Feb legal in Gregorian.
    jd_julian = _julian.to_jd(y, m, d)
    jd_gregorian = _gregorian.to_jd(y, m, 1) + (d - 1)
    return round(jd_julian - jd_gregorian)


@dataclass(frozen=True)
class Adoption:
    """Where the Gregorian calendar replaced the Julian: the last Julian day, then the first Gregorian."""

    last_julian: YMD
    first_gregorian: date
    source: str


# Source for every row: Wikipedia, "Adoption of the Gregorian calendar" (table of
# adoption dates), agreeing with E. G. Richards, *Mapping Time* (OUP 1998), ch. 16.
# The table bounds the Old Style inference (dates/check.py): no bare date is read as Old Style
# after its country's change, nor in a place already Gregorian then. The false alarms it prevents:
# "Sunday, 3 March 1918" (Brest-Litovsk) read as Old Style is a Saturday, and "Tuesday, 14 July 1789"
# in Paris read so is a Saturday: two false date_wrong errors in a document with Old Style dates.
# Germany is dated by its Protestant states (the Catholic ones changed in 1583-1585), so that the
# table never calls a German place Gregorian before all of it was.
ADOPTION: dict[str, Adoption] = {
    "papal states": Adoption((1582, 10, 4), date(1582, 10, 15), "papal bull Inter gravissimas, 1582"),
    "italy": Adoption((1582, 10, 4), date(1582, 10, 15), "papal bull Inter gravissimas, 1582"),
    "spain": Adoption((1582, 10, 4), date(1582, 10, 15), "adopted with the bull, 1582"),
    "portugal": Adoption((1582, 10, 4), date(1582, 10, 15), "adopted with the bull, 1582"),
    "poland": Adoption((1582, 10, 4), date(1582, 10, 15), "Polish-Lithuanian Commonwealth, 1582"),
    "france": Adoption((1582, 12, 9), date(1582, 12, 20), "edict of Henri III, 1582"),
    "denmark": Adoption((1700, 2, 18), date(1700, 3, 1), "Denmark-Norway with Protestant Germany, 1700"),
    "britain": Adoption((1752, 9, 2), date(1752, 9, 14), "Calendar (New Style) Act 1750"),
    "british colonies": Adoption((1752, 9, 2), date(1752, 9, 14), "Calendar (New Style) Act 1750"),
    "germany": Adoption((1700, 2, 18), date(1700, 3, 1), "the Protestant states of the Empire, 1700"),
    "united states": Adoption((1752, 9, 2), date(1752, 9, 14), "the British colonies, Calendar Act 1750"),
    "sweden": Adoption((1753, 2, 17), date(1753, 3, 1), "Swedish change of 1753"),
    "russia": Adoption((1918, 1, 31), date(1918, 2, 14), "decree of the Council of People's Commissars, 1918"),
    "greece": Adoption((1923, 2, 15), date(1923, 3, 1), "Greek state change of 1923"),
}
ADOPTION["england"] = ADOPTION["united kingdom"] = ADOPTION["britain"]


def likely_calendar(d: date, country: str = "russia") -> str:
    """The calendar an undeclared date written in ``country`` was most likely in.

    Before the country's switch a date is taken as Julian, from the switch on as
    Gregorian.  (Foreign writers often used New Style earlier; this is only a default.)
    """
    key = country.strip().lower()
    if key not in ADOPTION:
        raise InputError(None, f"no Gregorian adoption date known for {country!r}; known: "
                         + ", ".join(sorted(ADOPTION)))
    return "julian" if (d.year, d.month, d.day) <= ADOPTION[key].last_julian else "gregorian"
