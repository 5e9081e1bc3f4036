"""Reading dates out of prose, with the calendar each is stated in.

Historians write one day two ways: ``7 November 1917 (25 October Old Style)``,
``25 October (O.S.; 7 November, N.S.), 1917``, ``24 October [6 November]``, the British
``1 February 1688/9``.  Each such group is read as one mention holding both halves as
written, so that :mod:`sourcecheck.dates.check` can test whether they agree.

Hand-written regular expressions rather than a date-parsing library: ``dateparser`` and
``dateutil`` read one date per string, know nothing of Old/New Style pairs, and give no
character offsets; we need all three.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, field
from datetime import date

from sourcecheck.records import DateMention

from ..text import MONTH_NAMES, MONTHS
from .calendars import YMD, g2j, is_valid, j2g

__all__ = ["find_dates", "Reading", "read"]

_WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]

# Month names must be capitalised: "may" and "march" are also verbs.
_MON = (r"(?P<{g}>" + "|".join(MONTH_NAMES) +
        r"|Sept|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Oct|Nov|Dec)(?![A-Za-z])\.?")
_WD = r"(?:(?P<wd>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday),?\s+(?:the\s+)?)?"
_DAY = r"(?<![\d,.])(?P<{g}>[0-3]?\d)(?:st|nd|rd|th)?(?!\d)"
_YEAR = r"(?P<{g}>1\d{{3}}|20\d{{2}}|2100)(?!\d|[.,]\d|[A-Za-z])"  # not "1920s"
_DUALYEAR = r"(?:/(?P<y2>\d{4}|\d{1,2})(?!\d))?"
_DASH = r"\s*[-\u2010\u2011\u2012\u2013\u2014]\s*"
_APPROX = (r"(?P<approx>(?i:early|late|mid|middle|the\s+end|the\s+beginning|the\s+start"
           r"|the\s+middle|the\s+spring|the\s+summer|the\s+autumn|the\s+fall|the\s+winter"
           r"|spring|summer|autumn|winter)(?:\s+(?:in|of))?(?:\s+|-))?")


def _pat(p: str) -> str:
    return (p.replace("MON2", _MON.format(g="mon2")).replace("MON", _MON.format(g="mon")).replace("DAY2", _DAY.format(g="d2"))
            .replace("DAY", _DAY.format(g="d")).replace("YEAR2", _YEAR.format(g="y2e"))
            .replace("YEAR", _YEAR.format(g="y")))


# (kind, regex); longer matches win over shorter ones at the same start.
_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("iso", re.compile(r"(?<![\d-])(?P<y>1\d{3}|20\d{2})-(?P<m>[01]\d)-(?P<d>[0-3]\d)(?![\d-])")),
    ("range_dmy", re.compile(_WD + _pat(r"DAY" + _DASH + r"DAY2\s+(?:of\s+)?MON(?:,?\s+YEAR)?"))),
    ("range_mdy", re.compile(_WD + _pat(r"MON\s+DAY" + _DASH + r"DAY2(?:,?\s+YEAR)?"))),
    ("range_dm_dmy", re.compile(_pat(r"(?:(?i:from|between)\s+)?DAY\s+(?:of\s+)?MON(?:" + _DASH
                                     + r"|\s+(?:to|and|until|till)\s+)DAY2\s+(?:of\s+)?MON2,?\s+YEAR"))),
    ("dmy", re.compile(_WD + _pat(r"DAY\s+(?:day\s+)?(?:of\s+)?MON,?\s+YEAR") + _DUALYEAR)),
    ("mdy", re.compile(_WD + _pat(r"MON\s+DAY,?\s+YEAR") + _DUALYEAR)),
    ("dm", re.compile(_WD + _pat(r"DAY\s+(?:day\s+of\s+|of\s+)?MON"))),
    ("md", re.compile(_WD + _pat(r"MON\s+DAY"))),
    # "as on the 30th (12 November N.S.)": a bare day whose month the bracket gives
    ("d_bracket", re.compile(r"(?<![A-Za-z])(?i:the)\s+(?P<d>[0-3]?\d)(?:st|nd|rd|th)(?=\s*[(\[])")),
    ("my", re.compile(_APPROX + _pat(r"MON,?\s+YEAR"))),
    ("yrange", re.compile(_pat(r"(?i:from|between)\s+YEAR\s+(?i:until|till|to|and|through)\s+YEAR2"))),
    ("yrange", re.compile(_pat(r"YEAR") + _DASH + r"(?P<y2s>\d{4}|\d{2})(?!\d)")),
    ("year", re.compile(_APPROX + _pat(r"YEAR"))),
]

# A bare number is not a year when a unit follows or "page"/"No." comes before it.
_UNIT_AFTER = re.compile(r"\s*(?:%|per\s?cent|km\b|kilomet|miles?\b|metres|meters|feet|ft\b|kg\b"
                         r"|tons?\b|tonnes|yards)", re.I)
_NOT_YEAR_BEFORE = re.compile(r"(?:\bpages?|\bpp?\.|\bno\.|\bnumber|\bvol\.|[#$£€§])\s*$", re.I)

# Calendar markers.  They count only next to a date, so "O. S. Nagornaia" is no marker.
_CAL_ADJ = r"(?:(?:modern|new|old|revised|western|Russian|old\s+Russian)\s+)?"
_MARKER = re.compile(
    r"(?:according\s+to|in|by)\s+the\s+" + _CAL_ADJ + r"(?P<jc>Julian|Russian)\s+[Cc]alendar"
    r"|(?:according\s+to|in|by)\s+the\s+" + _CAL_ADJ + r"(?P<gc>Gregorian|Western)\s+[Cc]alendar"
    r"|(?P<our>(?i:our\s+calendar|western\s+calendar|western\s+style))"
    r"|(?P<os>O\.\s?S\.?(?![A-Za-z])|o\.s\.(?![A-Za-z])|\bOS\b|(?i:old[\s-]+style))"
    r"|(?P<ns>N\.\s?S\.?(?![A-Za-z])|n\.s\.(?![A-Za-z])|\bNS\b|(?i:new[\s-]+style))"
    r"|(?P<jw>\bJulian\b)|(?P<gw>\bGregorian\b)")
_POST_MARKER = re.compile(r"[ \t]*,?[ \t]*(?:" + _MARKER.pattern + ")")
# "... and night to Wednesday 25 October ...": a joiner may name the part of the day again.
_JOINER = re.compile(r"\s*(?:,\s*)?(?:and|or|i\.\s?e\.,?|that\s+is,?|/|=)"
                     r"(?:\s+(?:the\s+)?(?:night|evening|morning|day)\s+(?:to|of))?\s*|\s*,\s*")
_DASH_JOINER = re.compile(r"\s*[\u2013\u2014]\s*|\s+-\s+")
_FILLER = re.compile(r"(?:[\s,;:./=\u2013\u2014-]|\band\b|\bor\b|\bi\.\s?e\b|\bthat\s+is\b)*")
_OPEN = re.compile(r"\s*([(\[])")
_TRAILING_YEAR = re.compile(r"\s*,?\s*(?P<y>1\d{3}|20\d{2}|2100)(?!\d|[.,]\d)")


@dataclass
class _Atom:
    """One date as written, before calendars are decided."""

    start: int
    end: int
    y: int | None
    m: int | None
    d: int | None
    precision: str  # day | month | year | range
    weekday: int | None = None
    y2: str | None = None  # the "9" of "1688/9"
    end_md: tuple[int, int] | None = None  # a day range: its last (month, day), same calendar
    end_year: int | None = None  # a year range: its last year

    def day(self) -> YMD | None:
        """(y, m, d) when the atom names a whole day; None for a month, a year or a bare "the 25th"."""
        return (self.y, self.m, self.d) if self.y is not None and self.m is not None and self.d is not None else None


@dataclass
class Reading:
    """A date mention with its halves exactly as stated, for checking.

    ``halves`` maps "julian", "gregorian" or "unknown" to the (y, m, d) as written; a
    dual date has both "julian" and "gregorian".  Unlike ``datetime.date`` this can hold
    impossible or Julian-only days, which :mod:`check` reports.
    """

    start: int
    end: int
    precision: str
    halves: dict[str, YMD] = field(default_factory=dict)
    primary: str | None = None  # the half written first
    weekday: int | None = None
    dual_year: tuple[int, str] | None = None  # (1688, "9")
    nominal: bool = False  # a month or a year, not a day: no conversion applies
    # Range ends, kept here because records.DateMention has no end field: a day range's
    # last (month, day) in the calendar of its first day, or a year range's last year.
    end_md: tuple[int, int] | None = None
    end_year: int | None = None

    @property
    def calendar(self) -> str:
        if "julian" in self.halves and "gregorian" in self.halves:
            return "dual"
        return next(iter(self.halves), "unknown")


def _month(s: str) -> int:
    return MONTHS[s.rstrip(".").lower()]


def _atom(kind: str, mt: re.Match[str], text: str) -> _Atom | None:
    g = mt.groupdict()
    wd = _WEEKDAYS.index(g["wd"].lower()) if g.get("wd") else None
    y = int(g["y"]) if g.get("y") else None
    if kind == "iso":
        return _Atom(mt.start(), mt.end(), y, int(g["m"]), int(g["d"]), "day")
    if kind == "range_dm_dmy":
        m1, m2 = _month(g["mon"]), _month(g["mon2"])
        if (m1, int(g["d"])) >= (m2, int(g["d2"])) or not is_valid(2000, m1, int(g["d"])) \
                or not is_valid(2000, m2, int(g["d2"])):
            return None
        return _Atom(mt.start(), mt.end(), y, m1, int(g["d"]), "range", end_md=(m2, int(g["d2"])))
    if kind in ("range_dmy", "range_mdy"):
        if int(g["d"]) >= int(g["d2"]):
            return None
        return _Atom(mt.start(), mt.end(), y, _month(g["mon"]), int(g["d"]), "range", wd,
                     end_md=(_month(g["mon"]), int(g["d2"])))
    if kind == "d_bracket":
        return _Atom(mt.start(), mt.end(), None, None, int(g["d"]), "day")
    if kind in ("dmy", "mdy", "dm", "md"):
        return _Atom(mt.start(), mt.end(), y, _month(g["mon"]), int(g["d"]), "day", wd, g.get("y2"))
    if kind == "my":
        return _Atom(mt.start(), mt.end(), y, _month(g["mon"]), None, "month")
    if kind == "yrange" and y is not None:  # YEAR is required in both patterns: y is always there
        end_s = g.get("y2e") or g.get("y2s") or ""
        end = int(end_s) if len(end_s) == 4 else (y // 100) * 100 + int(end_s)
        if end <= y:
            return None
        return _Atom(mt.start(), mt.end(), y, None, None, "range", end_year=end)
    # plain year
    ys = mt.start("y")
    if _UNIT_AFTER.match(text, mt.end()) or _NOT_YEAR_BEFORE.search(text[max(0, ys - 12):ys]):
        return None
    if ys > 0 and (text[ys - 1].isalnum() or text[ys - 1] in ",."):
        if not (text[ys - 1] == "," and ys == mt.start()):  # "5,000"-style numbers
            return None
    return _Atom(mt.start(), mt.end(), y, None, None, "year")


def _atoms(text: str) -> list[_Atom]:
    cands: list[tuple[int, int, int, _Atom]] = []
    for prio, (kind, rx) in enumerate(_PATTERNS):
        for mt in rx.finditer(text):
            a = _atom(kind, mt, text)
            if a is not None:
                cands.append((a.start, -(a.end - a.start), prio, a))
    cands.sort(key=lambda c: c[:3])
    out: list[_Atom] = []
    for _, _, _, a in cands:
        if out and a.start < out[-1].end:
            continue
        out.append(a)
    return out


def _marker_cal(mt: re.Match[str]) -> str:
    if mt.group("jc") or mt.group("os") or mt.group("jw"):  # "our calendar" (Reed's) is Gregorian
        return "julian"
    return "gregorian"


def _other(cal: str) -> str:
    return "gregorian" if cal == "julian" else "julian"


def _infer_year(m: int, d: int, ref: YMD, ref_cal: str, target_cal: str) -> int:
    """The year of a (month, day) stated beside a known date in the other calendar."""
    try:
        ty, tm, td = (j2g(*ref) if ref_cal == "julian" else g2j(*ref)) if ref_cal != target_cal else ref
    except ValueError:
        ty, tm, td = ref
    key = ty * 372 + tm * 31 + td
    return min((ty - 1, ty, ty + 1), key=lambda y: abs(y * 372 + m * 31 + d - key))


def _close_bracket(text: str, i: int) -> int | None:
    """Index of the bracket closing the one at ``i`` (no nesting, short groups only)."""
    close = ")" if text[i] == "(" else "]"
    j = text.find(close, i + 1)
    if j < 0 or j - i > 120 or any(c in text[i + 1:j] for c in "([\n"):
        return None
    return j


def read(text: str, default_year: int | None = None) -> list[Reading]:
    """Every date in ``text`` with its halves as stated (no calendar defaults applied)."""
    atoms = _atoms(text)
    out: list[Reading] = []
    last_year = None
    i = 0
    while i < len(atoms):
        a = atoms[i]
        i += 1
        reading, consumed = _group(text, a, atoms[i:], last_year or default_year)
        i += consumed
        out.append(reading)
        if reading.halves:
            last_year = next(iter(reading.halves.values()))[0]
    return _pair_table_columns(text, out)


def pair(first: Reading, second: Reading, first_cal: str) -> Reading:
    """One dual reading from two single ones written apart (a table's two date columns).

    The second half's year is taken near the first's, so "31 December | 13 January"
    spans the new year.
    """
    cal2 = _other(first_cal)
    (y, m, d), = first.halves.values()
    (_, m2, d2), = second.halves.values()
    r = Reading(first.start, second.end, first.precision, weekday=first.weekday,
                end_md=first.end_md, primary=first_cal)
    r.halves = {first_cal: (y, m, d), cal2: (_infer_year(m2, d2, (y, m, d), first_cal, cal2), m2, d2)}
    return r


# Column headers that name a calendar: "| Gregorian Date | Julian Date | Event |".
_COL_G = re.compile(r"\b(?:Gregorian|New\s+Style|N\.\s?S\.)", re.I)
_COL_J = re.compile(r"\b(?:Julian|Old\s+Style|O\.\s?S\.)", re.I)
_DASHES = re.compile(r"-{3,}|={3,}")


def _cells(line: str, line_start: int, runs: list[tuple[int, int]] | None) -> list[tuple[int, int]]:
    """Absolute (start, end) of each cell: between pipes, else under the header's dash runs."""
    if "|" in line:
        bars = [i for i, c in enumerate(line) if c == "|"]
        return [(line_start + a + 1, line_start + b) for a, b in zip(bars, bars[1:])]
    if not runs:
        return []
    edges = [s for s, _ in runs[1:]] + [len(line) + 1]
    return [(line_start + s, line_start + e) for (s, _), e in zip(runs, edges)]


def _pair_table_columns(text: str, readings: list[Reading]) -> list[Reading]:
    """Join the dates in a table's Gregorian and Julian columns, row by row, into dual dates.

    Hand-written because no table reader gives character offsets into the original text;
    pipe tables and Pandoc simple tables (columns under dash runs) are read.
    """
    if not readings or not _COL_J.search(text) or not _COL_G.search(text):
        return readings
    lines, pos = [], 0
    for ln in text.split("\n"):
        lines.append((pos, ln))
        pos += len(ln) + 1
    joined: dict[int, tuple[int, str]] = {}  # index of the first reading -> (index of second, its calendar)
    starts = [r.start for r in readings]
    for h, (hstart, head) in enumerate(lines):
        g, j = _COL_G.search(head), _COL_J.search(head)
        if not g or not j or (head.count("|") < 2 and h + 1 < len(lines)
                              and not _DASHES.search(lines[h + 1][1])):
            continue
        runs = None
        if "|" not in head and h + 1 < len(lines):
            runs = [m.span() for m in _DASHES.finditer(lines[h + 1][1])]
        hcells = _cells(head, hstart, runs)
        gi = next((k for k, (a, b) in enumerate(hcells) if a <= hstart + g.start() < b), None)
        ji = next((k for k, (a, b) in enumerate(hcells) if a <= hstart + j.start() < b), None)
        if gi is None or ji is None or gi == ji:
            continue
        for rstart, row in lines[h + 1:]:
            if (not row.strip() and runs is not None) or (row.strip() and row.lstrip()[0] not in "|+-=" \
                    and runs is None):
                break
            cells = _cells(row, rstart, runs)
            if len(cells) <= max(gi, ji):
                continue
            found: dict[str, int] = {}  # calendar -> index of its reading
            for cal, k in (("gregorian", gi), ("julian", ji)):
                a, b = cells[k]
                inside = [i for i in range(bisect_left(starts, a), len(readings))
                          if readings[i].start < b and readings[i].end <= b]
                if len(inside) == 1 and list(readings[inside[0]].halves) == ["unknown"] \
                        and readings[inside[0]].precision in ("day", "range"):
                    found[cal] = inside[0]
            if len(found) == 2:
                first_cal = min(found, key=found.__getitem__)
                joined[found[first_cal]] = (found[_other(first_cal)], first_cal)
    if not joined:
        return readings
    skip = {second for second, _ in joined.values()}
    out = []
    for i, r in enumerate(readings):
        if i in joined:
            second, cal = joined[i]
            out.append(pair(r, readings[second], cal))
        elif i not in skip:
            out.append(r)
    return out


def civil_year(legal_year: int, m: int, d: int) -> int:
    """The year starting 1 January of a day written in an English Old Style year (from 25 March).

    "28 February 1688/9" is legal year 1688, civil year 1689: only 1 January-24 March differ.
    """
    return legal_year + 1 if (m, d) <= (3, 24) else legal_year


def _single(a: _Atom, cal: str, year: int | None) -> Reading:
    y = a.y if a.y is not None else year
    r = Reading(a.start, a.end, a.precision, weekday=a.weekday, nominal=a.d is None,
                end_md=a.end_md, end_year=a.end_year)
    if y is not None:
        if a.y2 is not None:  # British dual year: "1688/9" is 1689 with the year from 1 January
            r.dual_year = (y, a.y2)
            y = civil_year(y, a.m or 1, a.d or 1)
            cal = "julian" if cal == "unknown" else cal
        r.halves[cal] = (y, a.m or 1, a.d or 1)
    r.primary = cal
    return r


def _bracket(text: str, pos: int, rest: list[_Atom]
             ) -> tuple[str, int, _Atom | None, str | None, str | None] | None:
    """A bracket right after ``pos`` holding only calendar markers and at most one date.

    Returns (bracket char, end, inner atom or None, marker before it, marker after it),
    or None when the bracket holds anything else ("(O. S. Nagornaia, 1975)").
    """
    ob = _OPEN.match(text, pos)
    if not ob:
        return None
    close = _close_bracket(text, ob.start(1))
    if close is None:
        return None
    lo, hi = ob.end(1), close
    inner = [x for x in rest if lo <= x.start and x.end <= hi]
    if len(inner) > 1 or any(x.start < hi < x.end for x in rest):
        return None
    b = inner[0] if inner else None
    markers = [m for m in _MARKER.finditer(text, lo, hi)
               if b is None or m.end() <= b.start or m.start() >= b.end]
    spans = [(x.start, x.end) for x in inner] + [m.span() for m in markers]
    leftover = "".join(text[p] for p in range(lo, hi) if not any(s <= p < e for s, e in spans))
    if not _FILLER.fullmatch(leftover):
        return None
    pre = {_marker_cal(m) for m in markers if b is None or m.start() < b.start}
    post = {_marker_cal(m) for m in markers if b is not None and m.start() >= b.end}
    if len(pre) > 1 or len(post) > 1 or (b is None and not pre):
        return None
    pre_c, post_c = next(iter(pre), None), next(iter(post), None)
    if b is not None and pre_c and post_c is None and any(
            m.start() < b.start and not text[m.end():b.start].strip() for m in markers):
        # "(NS 4 January 1643)": a marker written straight before the inner date is its own
        return text[ob.start(1)], hi + 1, b, None, pre_c
    return text[ob.start(1)], hi + 1, b, pre_c, post_c


def _post_marker(text: str, pos: int) -> re.Match[str] | None:
    """A calendar marker right after a date, but not initials: "1917 O. S. Nagornaia"."""
    mk = _POST_MARKER.match(text, pos)
    if mk and (mk.group("jw") or mk.group("gw")):
        return None  # a bare "Julian" after a date is as likely a name as a calendar
    if mk and re.fullmatch(r"[ \t]*,?[ \t]*[ON]\.\s+S\.?", mk.group(0)) and \
            re.match(r"\s+[A-Z][a-z]", text[mk.end():]):
        return None
    return mk


@dataclass
class _Group:
    """A date atom with what follows it, as read so far: its own marker, a partner date, the end."""

    a_cal0: str | None  # the calendar marked right after the atom itself
    single_end: int  # where the atom and its own marker end
    a_cal: str | None
    end: int
    b: _Atom | None = None  # the other-calendar half of a dual date
    b_cal: str | None = None
    consumed: int = 0  # atoms of ``rest`` the group takes
    bracket: str | None = None  # "(" or "[" when the partner or marker was bracketed


def _partner(text: str, a: _Atom, rest: list[_Atom]) -> _Group:
    """The group's first reading: a bracketed partner, a joined one, or a dashed one."""
    mk = _post_marker(text, a.end)
    a_cal0 = _marker_cal(mk) if mk else None
    single_end = mk.end() if mk else a.end
    g = _Group(a_cal0, single_end, a_cal0, single_end)
    br = _bracket(text, single_end, rest)
    if br is not None:
        _bracketed_partner(g, a, br)
    elif a_cal0 and a.precision == "day" and rest and rest[0].precision == "day":
        _joined_partner(g, text, rest[0])
    elif a.precision == "day" and a.y is not None and rest and rest[0].precision == "day":
        _dashed_partner(g, text, a, rest[0])
    return g


def _bracketed_partner(g: _Group, a: _Atom,
                       br: tuple[str, int, _Atom | None, str | None, str | None]) -> None:
    open_c, gend, inner, pre_c, post_c = br
    if inner is None:  # "7 November 1917 (New Style)"
        g.a_cal, g.end, g.bracket = pre_c, gend, open_c
    elif inner.precision == "day" and a.precision == "day":
        g.b, g.b_cal, g.end, g.consumed, g.bracket = inner, post_c, gend, 1, open_c
        g.a_cal = pre_c or g.a_cal0


def _joined_partner(g: _Group, text: str, r0: _Atom) -> None:
    # "25 October 1917 according to the Julian calendar and 7 November in the Gregorian calendar"
    jn = _JOINER.match(text, g.single_end)
    mk2 = _post_marker(text, r0.end)
    if jn and r0.start == jn.end() and mk2 and _marker_cal(mk2) != g.a_cal0:
        g.b, g.b_cal, g.end, g.consumed = r0, _marker_cal(mk2), mk2.end(), 1


def _dashed_partner(g: _Group, text: str, a: _Atom, r0: _Atom) -> None:
    # "On 3 September 1913 —22 August 1913 in the Julian calendar": the second half alone is
    # marked; a dash also makes ranges, so only two days 10-14 days apart count
    dash = _DASH_JOINER.match(text, g.single_end)
    mk2 = _post_marker(text, r0.end)
    a_day, r0_day = a.day(), r0.day()
    if dash and r0.start == dash.end() and mk2 and a_day and r0_day and is_valid(*a_day) and is_valid(*r0_day):
        gap = (date(*r0_day) - date(*a_day)).days
        if 10 <= abs(gap) <= 14 and (gap < 0) == (_marker_cal(mk2) == "julian"):
            g.b, g.b_cal, g.end, g.consumed = r0, _marker_cal(mk2), mk2.end(), 1


def _trailing_year(text: str, a: _Atom, g: _Group, rest: list[_Atom]) -> tuple[int | None, int]:
    """A year written after the group belongs to it: "25 October (O.S.; 7 November, N.S.), 1917"."""
    if g.end > a.end and a.y is None and (g.b is None or g.b.y is None) and g.consumed < len(rest):
        ty, nxt = _TRAILING_YEAR.match(text, g.end), rest[g.consumed]
        if ty and nxt.precision == "year" and nxt.start == ty.start("y"):
            return int(ty.group("y")), nxt.end
    return None, g.end


def _unlabelled_pair(a: _Atom, b: _Atom, ya: int | None) -> tuple[str | None, str | None]:
    """An unlabelled pair 10-14 days apart: the earlier is O.S.; else no calendars.

    A half without its month ("the 25th (7 November 1917)") cannot be measured: no calendars.
    """
    if ya is None or a.m is None or a.d is None or b.m is None or b.d is None:
        return None, None
    if is_valid(ya, a.m, a.d) and is_valid(ya, b.m, b.d):
        gap = (date(ya, b.m, b.d) - date(ya, a.m, a.d)).days
        if 10 <= abs(gap) <= 14:
            return ("julian", "gregorian") if gap > 0 else ("gregorian", "julian")
    return None, None


def _settle_calendars(g: _Group, a: _Atom, ty_year: int | None, year: int | None) -> bool:
    """Give both halves of a pair a calendar; when they cannot be told apart, drop the partner
    (the inner date stands alone) and return False."""
    assert g.b is not None
    if g.a_cal is None and g.b_cal is None:
        if g.bracket == "[":  # "24 October [6 November]": Old Style first, New Style in brackets
            g.a_cal, g.b_cal = "julian", "gregorian"
        else:
            g.a_cal, g.b_cal = _unlabelled_pair(a, g.b, a.y or g.b.y or ty_year or year)
    elif g.a_cal is None and g.b_cal is not None:
        g.a_cal = _other(g.b_cal)
    elif g.b_cal is None and g.a_cal is not None:
        g.b_cal = _other(g.a_cal)
    elif g.a_cal == g.b_cal:
        g.a_cal = g.b_cal = None
    if g.a_cal is None or g.b_cal is None:
        g.b, g.a_cal, g.end, g.consumed = None, g.a_cal0, g.single_end, 0
        return False
    return True


def _month_from_other_half(a: _Atom, d: int, other: YMD, b_cal: str | None, keep_year: bool) -> _Atom:
    """A bare day ``d`` ("25 (7 November)"): its month is that of the other half's day ``other``,
    converted, nearest; the year is kept only when the other half wrote one (``keep_year``)."""
    try:
        near = (j2g(*other) if b_cal == "julian" else g2j(*other))
    except ValueError:
        near = other
    cands = [(near[0] + (near[1] + k - 1) // 12, (near[1] + k - 1) % 12 + 1) for k in (-1, 0, 1)]
    y_a, m_a = min(cands, key=lambda c: abs((c[0] * 12 + c[1]) * 31 + d - (near[0] * 12 + near[1]) * 31 - near[2]))
    return _Atom(a.start, a.end, y_a if keep_year else None, m_a, d, "day", a.weekday)


def _reading(a: _Atom, g: _Group, year: int | None) -> Reading:
    """The group as one reading: the atom's half, and the partner's half when there is one."""
    b, a_cal, b_cal = g.b, g.a_cal, g.b_cal
    # A partner is kept only with both calendars settled (_settle_calendars) and is a day with its month.
    if b is None or a_cal is None or b_cal is None or b.m is None or b.d is None:
        r = _single(a, a_cal or "unknown", year)
        r.end = g.end
        return r
    b_day = b.day()
    if a.y is None and b_day is not None and a.m is not None and a.d is not None:
        a = _Atom(a.start, a.end, _infer_year(a.m, a.d, b_day, b_cal, a_cal),
                  a.m, a.d, a.precision, a.weekday, a.y2, a.end_md)
    r = _single(a, a_cal, year)
    r.end = g.end
    if a_cal in r.halves:
        yb = b.y if b.y is not None else _infer_year(b.m, b.d, r.halves[a_cal], a_cal, b_cal)
        if b.y is not None and b.y2 is not None:  # "(28 February 1688/9 O.S.)": the year from 1 January
            yb = civil_year(b.y, b.m, b.d)
            r.dual_year = (b.y, b.y2)
        r.halves[b_cal] = (yb, b.m, b.d)
    return r


def _group(text: str, a: _Atom, rest: list[_Atom], year: int | None) -> tuple[Reading, int]:
    """Read atom ``a`` with what follows it: a calendar marker, a bracketed other-calendar
    date, a trailing year.  Returns the reading and how many of ``rest`` it consumed."""
    g = _partner(text, a, rest)
    ty_year, ty_end = _trailing_year(text, a, g, rest)
    if g.b is not None and not _settle_calendars(g, a, ty_year, year):
        ty_year = None  # not a dual date: a year after the group was not the pair's
    if ty_year is not None:
        a = _Atom(a.start, a.end, ty_year, a.m, a.d, a.precision, a.weekday, a.y2, a.end_md)
        g.end, g.consumed = ty_end, g.consumed + 1
    if a.m is None and a.d is not None:  # a bare day: only as the half of a dual date
        b = g.b
        b_year = (b.y or year) if b is not None else None
        if b is None or b_year is None or b.m is None or b.d is None:
            return Reading(a.start, a.end, "day", primary="unknown"), 0
        a = _month_from_other_half(a, a.d, (b_year, b.m, b.d), g.b_cal, b.y is not None)
    return _reading(a, g, year), g.consumed


def _to_date(ymd: YMD | None) -> date | None:
    if ymd is None or not is_valid(*ymd):
        return None
    return date(*ymd)


def to_mention(text: str, r: Reading, default_calendar: str | None = None) -> DateMention:
    """The public record of a reading: both calendars filled where they can be known.

    Month and year precision keep the same nominal period start in both calendars
    (the year 1917 is 1917 in either); day precision is converted.  An undeclared date
    is read in ``default_calendar``, else as Gregorian with ``calendar="unknown"``.
    """
    m = DateMention(text=text[r.start:r.end], start=r.start, end=r.end, precision=r.precision)
    halves = dict(r.halves)
    if "unknown" in halves and default_calendar in ("julian", "gregorian"):
        halves = {default_calendar: halves["unknown"]}
    m.calendar = ("dual" if len(halves) == 2 else next(iter(halves)) if halves else
                  r.primary if r.primary in ("julian", "gregorian") else "unknown")
    g, j = halves.get("gregorian", halves.get("unknown")), halves.get("julian")
    if "unknown" in halves and g is not None and not is_valid(*g) and is_valid(*g, calendar="julian"):
        m.calendar, g, j = "julian", None, g  # 29 February 1900 exists only as an Old Style day
    if j is not None and not is_valid(*j) and is_valid(*j, calendar="julian"):
        m.julian_text = f"{j[0]:04d}-{j[1]:02d}-{j[2]:02d}"  # datetime.date cannot hold it
        if "gregorian" not in r.halves:
            m.notes.append(f"{j[2]} {MONTH_NAMES[j[1] - 1]} {j[0]} exists only in the Julian calendar: "
                           "it can only be Old Style")
    if r.nominal:
        m.gregorian = m.julian = _to_date(g or j)
        return m
    if g is not None and j is None:
        m.gregorian = _to_date(g)
        if m.gregorian is not None:
            m.julian = _to_date(g2j(*g))
    elif j is not None and g is None:
        if is_valid(*j, calendar="julian"):
            m.julian = _to_date(j)
            m.gregorian = _to_date(j2g(*j))
    elif g is not None and j is not None:
        m.gregorian = _to_date(g)
        m.julian = _to_date(j) if is_valid(*j, calendar="julian") else None
    return m


def find_dates(text: str, default_calendar: str | None = None,
               default_year: int | None = None) -> list[DateMention]:
    """Every date in ``text``, with character offsets into it.

    A day and month without a year takes the year of the nearest preceding date in the
    text, else ``default_year``.  ``default_calendar`` ("julian" | "gregorian") is the
    calendar of dates the text does not declare (a source's declared calendar).
    """
    return [to_mention(text, r, default_calendar) for r in read(text, default_year)]


def range_end(m: DateMention) -> tuple[date | None, date | None]:
    """(Gregorian, Julian) last day of a range mention ("24-25 October" -> 25 October),
    or (None, None) when it is not a range or its end cannot be known.

    records.DateMention has no end field, so the end is read again from the mention's
    own text, with the mention's year and calendar.  A year range ends on 1 January of
    its last year, the same nominal label in both calendars as a year has.
    """
    if m.precision != "range":
        return None, None
    hint = m.gregorian or m.julian
    rs = read(m.text, default_year=hint.year if hint else None)
    if not rs or not rs[0].halves:
        return None, None
    r = rs[0]
    if r.end_year is not None:
        d = _to_date((r.end_year, 1, 1))
        return d, d
    if r.end_md is None:
        return None, None
    cal = r.primary if r.primary in ("julian", "gregorian") else (
        "julian" if m.calendar == "julian" else "gregorian")
    y = (m.julian if cal == "julian" else m.gregorian) or hint
    if y is None:
        return None, None
    end = (y.year, *r.end_md)
    if not is_valid(*end, calendar=cal):
        return None, None
    if cal == "julian":
        return _to_date(j2g(*end)), _to_date(end)
    return _to_date(end), _to_date(g2j(*end))
