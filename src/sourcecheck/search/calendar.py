"""Calendar-aware queries: a claim's day dates, written as each calendar would write them.

A claim dated "7 November 1917" must find a Julian source's "25 October". The other calendar is
only added for dates up to 1923 (the last Julian-to-Gregorian switch, Greece): for a modern claim
the Julian rendering would only add noise words to the query. A passage that names the date as
its own source's declared calendar writes it (either, where the source declares none) forms a
ranking of its own, fused with BM25 and dense.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ..dates import find_dates
from ..text import MONTH_NAMES as MONTHS

LAST_JULIAN_YEAR = 1923


def claim_days(claim: str) -> list[tuple[int, int, str]]:
    """(day, month, calendar) of each pre-1924 day date of the claim, in both calendars."""
    out: list[tuple[int, int, str]] = []
    for m in find_dates(claim):
        if m.precision == "day" and m.gregorian and m.julian and m.gregorian.year <= LAST_JULIAN_YEAR:
            for d, cal in ((m.gregorian, "gregorian"), (m.julian, "julian")):
                if (d.day, d.month, cal) not in out:
                    out.append((d.day, d.month, cal))
    return out


def calendar_query(claim: str) -> str:
    """The claim plus each of its day dates written in the other calendar ("25 October")."""
    extra = [f"{d} {MONTHS[m - 1]}" for d, m, _ in claim_days(claim)]
    return " ".join([claim] + extra)


def day_pattern(day: int, month: int) -> re.Pattern[str]:
    """"25 October", "25th of October", "October 25" (not "125 October" or "October 250")."""
    name = MONTHS[month - 1]
    return re.compile(rf"(?<!\d){day}(?:st|nd|rd|th)?(?:\s+of)?\s+{name}\b|\b{name}\s+{day}(?!\d)", re.I)


def date_ranking(library, claim: str, n: int, source_ids: Sequence[str] | None = None) -> list:
    """Passages (by BM25 over the date words) that name one of the claim's dates in their source's calendar."""
    days = claim_days(claim)
    if not days:
        return []
    words = " ".join(f"{d} {MONTHS[m - 1]}" for d, m, _ in days)
    hits = library.search(words, k=n * 4, source_ids=list(source_ids) if source_ids is not None else None)
    calendars: dict[str, str | None] = {}
    out = []
    for p, s in hits:
        if p.source_id not in calendars:
            src = library.get(p.source_id)
            calendars[p.source_id] = src.calendar if src else None
        declared = calendars[p.source_id]
        if any((declared in (None, cal)) and day_pattern(d, m).search(p.text) for d, m, cal in days):
            out.append((p, s))
    return out[:n]
