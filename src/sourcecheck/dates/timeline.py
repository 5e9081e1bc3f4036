"""Every claim placed on one timeline, in both calendars.

One row per date a claim gives (relative dates such as "the next day" included once
resolved), sorted by the day it means; a year or month that a more precise date of the
same claim falls in is left out, since the precise one places the claim.  Claims with no
date that can be placed are listed apart.  Built either from a document (the ``dates``
command) or from a check report's findings (every report format).
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sourcecheck.records import Claim, DateMention, Document, Finding

from .check import check_claim_dates, document_calendar
from .parse import range_end

__all__ = ["TimelineEntry", "Timeline", "build_timeline", "document_timeline", "timeline_from_findings",
           "timeline_text", "timeline_markdown"]

_RANK = {"year": 0, "range": 1, "month": 2, "day": 3}


@dataclass
class TimelineEntry:
    """One claim at one date (or, undated, a claim with none)."""

    claim: int | str
    text: str  # the claim's text
    date: str | None  # the date as written ("7 November 1917 (25 October Old Style)")
    # datetime.date spelled in full: inside this class body the bare name is the ``date`` field above
    gregorian: datetime.date | None = None
    julian: datetime.date | None = None
    precision: str | None = None  # day | month | year | range
    calendar: str | None = None  # how the text states it: gregorian | julian | dual | unknown
    gregorian_end: datetime.date | None = None  # last day of a range
    julian_end: datetime.date | None = None
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # how an unstated calendar was read
    julian_text: str | None = None  # a Julian-only day that ``date`` cannot hold

    @property
    def period(self) -> str | None:
        """A year as "1917", a month as "1917-10", a season as its months ("1922-09..1922-12")."""
        return period_label(self.date or "", self.precision, self.gregorian or self.julian)

    def to_json(self) -> dict[str, Any]:
        iso = (lambda d: d.isoformat() if d else None)
        return {"claim": self.claim, "text": self.text, "date": self.date,
                "gregorian": iso(self.gregorian), "julian": iso(self.julian) or self.julian_text,
                "precision": self.precision, "calendar": self.calendar, "period": self.period,
                "gregorian_end": iso(self.gregorian_end), "julian_end": iso(self.julian_end),
                "problems": self.problems, "notes": self.notes}


# Parts of a year as months (first, last): "late 1922" is September-December, not 1 January 1922.
_SEASONS = {"spring": (3, 5), "summer": (6, 8), "autumn": (9, 11), "fall": (9, 11), "winter": (12, 14),
            "early": (1, 4), "beginning": (1, 3), "start": (1, 3), "mid": (5, 8), "middle": (5, 8),
            "late": (9, 12), "end": (10, 12)}


def period_label(written: str, precision: str | None, day: date | None) -> str | None:
    """The period a year or month mention names, as text; None for days and ranges."""
    if day is None or precision not in ("year", "month"):
        return None
    if precision == "month":
        return f"{day.year:04d}-{day.month:02d}"
    words = written.lower().replace("-", " ").split()
    first, last = next((_SEASONS[w] for w in words if w in _SEASONS), (0, 0))
    if not first:
        return f"{day.year:04d}"
    y2, m2 = day.year + (last - 1) // 12, (last - 1) % 12 + 1  # winter runs into the next year
    return f"{day.year:04d}-{first:02d}..{y2:04d}-{m2:02d}"


@dataclass
class Timeline:
    dated: list[TimelineEntry]
    undated: list[TimelineEntry]

    def rows(self) -> list[dict[str, Any]]:
        """The JSON list: dated rows in order, then the undated ones (date fields null)."""
        return [e.to_json() for e in self.dated + self.undated]

    def to_json(self) -> str:
        return json.dumps(self.rows(), indent=2, ensure_ascii=False)


def _covers(outer: DateMention, inner: DateMention) -> bool:
    """Whether a year/month mention contains a more precise mention of the same claim."""
    if outer.gregorian is None or inner.gregorian is None or _RANK[outer.precision] >= _RANK[inner.precision]:
        return False
    days = {d for d in (inner.gregorian, inner.julian) if d}
    if outer.precision == "year":
        return any(d.year == outer.gregorian.year for d in days)
    if outer.precision == "month":
        return any((d.year, d.month) == (outer.gregorian.year, outer.gregorian.month) for d in days)
    return False


def build_timeline(items: Iterable[tuple[Claim, Sequence[DateMention], Sequence[str]]]) -> Timeline:
    """A timeline from (claim, its date mentions, claim-level date problems) triples.

    Claim-level problems (a relative date or evidence date that disagrees) go on every
    row of that claim, mention problems on the mention's own row.
    """
    dated: list[tuple[tuple[Any, ...], TimelineEntry]] = []
    undated: list[TimelineEntry] = []
    order: dict[int, int] = {}  # undated claims in document order (ids may be strings: "a1")
    for n, (claim, mentions, claim_problems) in enumerate(items):
        placed = [m for m in mentions if m.gregorian is not None or m.julian is not None]
        placed = [m for m in placed if not any(_covers(m, o) for o in placed if o is not m)]
        if not placed:
            unplaced = "; ".join(m.text for m in mentions) or None
            undated.append(TimelineEntry(claim.id, claim.text, unplaced,
                                         problems=[p for m in mentions for p in m.problems] + list(claim_problems)))
            order[id(undated[-1])] = n
            continue
        for m in placed:
            g_end, j_end = range_end(m)
            e = TimelineEntry(claim.id, claim.text, m.text, m.gregorian, m.julian, m.precision, m.calendar,
                              g_end, j_end, list(m.problems) + [p for p in claim_problems if p not in m.problems],
                              list(m.notes), m.julian_text)
            day = m.gregorian or m.julian
            dated.append(((day, _RANK.get(m.precision, 3), n, m.start), e))
    dated.sort(key=lambda t: t[0])
    undated.sort(key=lambda e: order[id(e)])
    return Timeline([e for _, e in dated], undated)


def document_timeline(doc: Document, default_calendar: str | None = None) -> Timeline:
    """The timeline of a document's claims, dates read and checked in reading order.

    Each claim's relative dates resolve against its own dates, else the previous dated
    claim's last day (as ``check`` does).
    """
    items = []
    previous: date | None = None
    claim_calendar = document_calendar(doc)
    for claim in doc.claims:
        mentions, problems = check_claim_dates(claim.text, [e.quote for e in claim.evidence],
                                               default_calendar=default_calendar, previous_date=previous,
                                               claim_calendar=claim_calendar)
        items.append((claim, mentions, problems))
        day = [m.gregorian for m in mentions if m.gregorian and m.precision == "day"]
        previous = day[-1] if day else previous
    return build_timeline(items)


def timeline_from_findings(findings: Iterable[Finding]) -> Timeline:
    """The timeline of a check report: each finding's dates, with their own problems."""
    return build_timeline((f.claim, f.dates, []) for f in findings)


def _iso(d: date | None, end: date | None, e: TimelineEntry | None = None) -> str:
    if e is not None and e.period:  # the same nominal label in both calendars
        return e.period
    if d is None:
        return e.julian_text if e is not None and e.julian_text else "?"
    return f"{d.isoformat()}..{end.isoformat()}" if end and end != d else d.isoformat()


def timeline_text(tl: Timeline, width: int = 100, undated: bool = True) -> list[str]:
    """Plain-text lines: N.S. and O.S. side by side, then the claim and any problem; ``undated``: then
    the claims without a date, where some claim has one (else the list is every claim, and says nothing)."""
    out = [f"{'New Style (Gregorian)':22}  {'Old Style (Julian)':22}  {'precision':9}  claim"]
    for e in tl.dated:
        text = " ".join(e.text.split())
        text = text if len(text) <= width else text[: width - 1] + "\u2026"
        out.append(f"{_iso(e.gregorian, e.gregorian_end, e):22}  {_iso(e.julian, e.julian_end, e):22}  "
                   f"{e.precision or '':9}  {e.claim}: \u201c{e.date}\u201d {text}")
        out += [f"{'':60}PROBLEM: {p}" for p in e.problems]
        out += [f"{'':60}note: {n}" for n in e.notes]
    if undated and tl.undated and tl.dated:
        out += ["", "Undated claims:"]
        for e in tl.undated:
            text = " ".join(e.text.split())
            out.append(f"  {e.claim}: {text if len(text) <= width else text[: width - 1] + chr(0x2026)}")
    return out


def timeline_markdown(tl: Timeline, undated: bool = True) -> list[str]:
    """Markdown lines: a table of the dated claims, then (``undated``, where some claim has a date) a list of the undated."""
    cell = (lambda s: " ".join(s.split()).replace("|", "\\|"))
    out = ["| New Style (Gregorian) | Old Style (Julian) | precision | claim | date as written | problems |",
           "|---|---|---|---|---|---|"]
    for e in tl.dated:
        out.append(f"| {_iso(e.gregorian, e.gregorian_end, e)} | {_iso(e.julian, e.julian_end, e)} | {e.precision} "
                   f"| {e.claim} | {cell(e.date or '')} | {cell(' '.join(e.problems + e.notes)) or '-'} |")
    if undated and tl.undated and tl.dated:
        out += ["", "Undated claims: " + ", ".join(str(e.claim) for e in tl.undated) + "."]
    return out
