"""The timeline as geometry for an SVG drawing: both calendars on one axis, date problems marked.

Only numbers and plain strings come out of here; the HTML template draws them (and escapes the
strings), so no markup is assembled by hand.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from ..dates.calendars import g2j
from ..dates.timeline import Timeline

WIDTH, LEFT, RIGHT, TOP, ROW = 880, 70, 40, 48, 30  # px: wide enough for a dozen ticks, rows apart enough to read


@dataclass
class Tick:
    x: float
    gregorian: str  # the day as New Style
    julian: str  # the same day as Old Style


@dataclass
class Point:
    x: float
    y: float
    claim: int | str
    label: str  # the date as written
    gregorian: str
    julian: str
    problem: bool
    problems: list[str] = field(default_factory=list)


@dataclass
class Chart:
    width: int
    height: int
    axis_top: float
    axis_bottom: float
    ticks: list[Tick]
    points: list[Point]


def _julian(d: date) -> str:
    """The Old Style label of a day, as text: 29 February 1900 O.S. exists, a ``date`` cannot hold it."""
    y, m, dd = g2j(d.year, d.month, d.day)
    return f"{y:04d}-{m:02d}-{dd:02d}"


def timeline_svg(timeline: Timeline, ticks: int = 6) -> Chart | None:
    """Where to draw each dated claim; None when no claim has a date to place."""
    # (entry, its Gregorian day) pairs: the day is known to be there, so no None check below
    dated = [(e, e.gregorian) for e in timeline.dated if e.gregorian is not None]
    if not dated:
        return None
    first = min(g for _, g in dated)
    last = max(g for _, g in dated)
    span = max((last - first).days, 1)
    first -= timedelta(days=max(1, span // 20))  # a margin, so the end points are not on the frame
    span = max((last - first).days, 1) + max(1, span // 20)
    inner = WIDTH - LEFT - RIGHT

    def x(d: date) -> float:
        return round(LEFT + inner * (d - first).days / span, 1)

    height = TOP + ROW * len(dated) + 40
    out_ticks = []
    for i in range(ticks + 1):
        d = first + timedelta(days=round(span * i / ticks))
        out_ticks.append(Tick(x(d), d.isoformat(), _julian(d)))
    points = [Point(x(g), TOP + ROW * (i + 0.5), e.claim, e.date or "", g.isoformat(),
                    e.julian.isoformat() if e.julian else _julian(g), bool(e.problems), list(e.problems))
              for i, (e, g) in enumerate(dated)]
    return Chart(WIDTH, height, TOP - 12, height - 28, out_ticks, points)
