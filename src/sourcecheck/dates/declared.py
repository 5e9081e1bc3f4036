"""Which calendar a source uses at a given place in its text.

A source declares one calendar for itself ("uses the Russian Calendar"), which the
library stores as ``Source.calendar``.  Some declare that it holds only for a part:
Trotsky's translator writes that he "(until near the end) uses the Russian Calendar";
encyclopaedia pages label one section "(Gregorian calendar dates)" or note "Dates are
correct for the Julian calendar".  :func:`calendar_at` answers for one offset.

Where a source says it switches without saying where, the switch is put at the first
date after the note that can only be in the other calendar: one marked so ("9th day of
February (N. S.)"), or one the old calendar no longer reached in that country (Russia
kept the Julian calendar until 31 January 1918, so "the 14th of February, 1918" is New
Style).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from functools import lru_cache

from .calendars import ADOPTION
from .parse import read

__all__ = ["calendar_at", "calendar_sections", "CalendarSection"]

# A note that the declared calendar holds only until some point ("until near the end").
_PARTIAL = re.compile(
    r"\b(?:until|till|up\s+to|except)\s+(?:near\s+|towards?\s+|at\s+|in\s+)?the\s+(?:very\s+)?"
    r"(?:end|close|last\s+(?:chapters?|parts?|pages?|section))", re.I)
_CAL_WORD = re.compile(r"\b(?:Russian|Julian|Gregorian|old[\s-]style|new[\s-]style)\s+calendar"
                       r"|\b(?:old|new)[\s-]style\b", re.I)
# A section's own note: "(Gregorian calendar dates)", "Dates are correct for the Julian calendar".
_SECTION_NOTE = re.compile(
    r"\((?P<c1>Gregorian|Julian|New[\s-]Style|Old[\s-]Style|N\.\s?S\.|O\.\s?S\.)(?:\s+calendar)?\s+dates\)"
    r"|(?<![A-Za-z])(?:all\s+)?dates\s+(?:here\s+|below\s+|in\s+this\s+(?:section|table)\s+)?(?:are\s+)?"
    r"(?:correct\s+|given\s+)?(?:for|in|according\s+to)\s+the\s+(?P<c2>Gregorian|Julian|Old[\s-]Style|New[\s-]Style)"
    r"(?:\s+calendar)?", re.I)
# A heading in plain text: a short line standing alone between blank lines, no full stop.
_HEADING = re.compile(r"(?:^|\n)\n(?P<h>[^\n.!?|]{1,80}[^\n.!?|:;,])\n\n")


def _cal(word: str) -> str:
    w = word.lower().replace("-", " ")
    return "gregorian" if w.startswith(("gregorian", "new", "n.")) else "julian"


class CalendarSection(tuple):
    """(start, end, calendar): the part of a text whose undeclared dates use ``calendar``."""

    __slots__ = ()

    def __new__(cls, start: int, end: int, calendar: str) -> CalendarSection:
        return super().__new__(cls, (start, end, calendar))

    start = property(lambda self: self[0])
    end = property(lambda self: self[1])
    calendar = property(lambda self: self[2])


def _switch(text: str, declared: str, country: str) -> int | None:
    """Offset from which a source that declared it switches uses the other calendar."""
    note = next((m for m in _PARTIAL.finditer(text[:60000])
                 if _CAL_WORD.search(text, max(0, m.start() - 200), m.end() + 200)), None)
    if note is None:
        return None
    other = "gregorian" if declared == "julian" else "julian"
    last_julian = ADOPTION[country].last_julian if country in ADOPTION else None
    scan_from = text.find("\n\n", note.end())  # past the note's own paragraph
    scan_from = note.end() if scan_from < 0 else scan_from
    for r in read(text[scan_from:]):
        if r.precision != "day" or not r.halves or r.calendar == "dual":
            continue
        if r.calendar == other:  # explicitly marked in the other calendar
            return scan_from + r.start
        if declared == "julian" and r.calendar == "unknown" and last_julian is not None \
                and r.halves["unknown"] > last_julian:  # past the last Julian day there
            return scan_from + r.start
    return None


@lru_cache(maxsize=64)
def calendar_sections(text: str, declared: str | None, country: str = "russia") -> tuple[CalendarSection, ...]:
    """The parts of ``text`` with their calendar, in order; parts not listed use ``declared``.

    Cached: a source's text is the same object on every call from one check.
    """
    sections: list[CalendarSection] = []
    if declared in ("julian", "gregorian"):
        at = _switch(text, declared, country)
        if at is not None:
            sections.append(CalendarSection(at, len(text), "gregorian" if declared == "julian" else "julian"))
    headings = [m.start("h") for m in _HEADING.finditer(text)]
    for m in _SECTION_NOTE.finditer(text):
        cal = _cal(m.group("c1") or m.group("c2"))
        nxt = headings[bisect_right(headings, m.end()):]
        end = nxt[0] if nxt else len(text)
        # a section note overrides the whole-source calendar (and a switch) within its section
        sections = [piece for sec in sections for piece in (
            CalendarSection(sec.start, min(sec.end, m.start()), sec.calendar),
            CalendarSection(max(sec.start, end), sec.end, sec.calendar)) if piece.start < piece.end]
        sections.append(CalendarSection(m.start(), end, cal))
    return tuple(sorted(sections))


def calendar_at(text: str, offset: int, declared: str | None, country: str = "russia") -> str | None:
    """The calendar ("julian" | "gregorian") of undeclared dates at ``offset`` of a source,
    or None where neither the source nor its section says.

    ``declared`` is the source's own declaration (``Source.calendar``); a section note or
    a declared switch ("until near the end") overrides it for the part it covers.
    """
    for s in calendar_sections(text, declared, country):
        if s.start <= offset < s.end:
            return s.calendar
    return declared if declared in ("julian", "gregorian") else None
