"""Problems with dates, each said in one sentence a person can act on.

Three kinds: a date that is wrong in itself (a dual date whose halves disagree, a day
that does not exist, a weekday that does not fit), a relative date ("the next day") that
disagrees with an explicit date in the same sentence, and a claim date that disagrees
with the one date its evidence gives.  All are conservative: when a date could be read
in either calendar, it is a problem only if it fits neither.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta

from sourcecheck.records import DateMention, Document

from ..text import MONTH_NAMES
from .calendars import ADOPTION, YMD, g2j, is_valid, j2g, offset_days
from .parse import Reading, find_dates, pair, read
from .places import countries_named

__all__ = ["check_mention", "check_claim_dates", "document_calendar", "inference_withheld", "DocumentCalendar"]

_MONTH_NAME = dict(enumerate(MONTH_NAMES, 1))
_WEEKDAY = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
_STYLE = {"julian": "Old Style", "gregorian": "New Style"}
_ABBR = {"julian": "O.S.", "gregorian": "N.S."}


def _fmt(ymd: YMD | date, year: bool = True) -> str:
    y, m, d = (ymd.year, ymd.month, ymd.day) if isinstance(ymd, date) else ymd
    return f"{d} {_MONTH_NAME[m]} {y}" if year else f"{d} {_MONTH_NAME[m]}"


def _days(n: int) -> str:
    return f"{n} day" if n == 1 else f"{n} days"


def _reading(m: DateMention) -> Reading | None:
    """Read the mention's own text again, to see its halves as written (even impossible ones)."""
    first = read(m.text)
    if not first:
        return None
    r = first[0]
    if not r.halves:  # the year came from context: use the year the mention was given
        hint = m.julian if r.primary == "julian" else m.gregorian
        if hint is None:
            return None
        first = read(m.text, default_year=hint.year)
        r = first[0]
    if m.calendar == "dual" and len(first) == 2 and r.calendar == first[1].calendar == "unknown":
        # a table row's two columns ("8 March | 23 February"): which half is which is known
        # from the mention, whose Gregorian date is the Gregorian column as written
        (_, mo, d), = r.halves.values()
        g_first = m.gregorian is not None and (m.gregorian.month, m.gregorian.day) == (mo, d)
        r = pair(r, first[1], "gregorian" if g_first else "julian")
    if "unknown" in r.halves and m.calendar in ("julian", "gregorian"):
        r.halves = {m.calendar: r.halves["unknown"]}  # the default calendar it was read in
    return r


def check_mention(m: DateMention) -> list[str]:
    """What is wrong with one date as written: impossible day, halves that disagree,
    a dual year that is not one, a weekday that does not fit."""
    r = _reading(m)
    if r is None or r.precision not in ("day", "range"):
        return []
    problems: list[str] = []
    valid: dict[str, YMD] = {}
    for cal, ymd in r.halves.items():
        in_cal = "gregorian" if cal == "unknown" else cal
        if is_valid(*ymd, calendar=in_cal):
            valid[cal] = ymd
        elif cal == "unknown" and is_valid(*ymd, calendar="julian"):
            valid["julian"] = ymd  # 29 February 1900 undeclared: fine as an Old Style date
        elif not is_valid(*ymd, calendar=_other(in_cal)) or cal == "unknown":
            problems.append(f"{_fmt(ymd)} does not exist.")
        else:
            problems.append(f"{_fmt(ymd)} does not exist in the {in_cal.capitalize()} calendar "
                            f"(it exists only in the {_other(in_cal).capitalize()} one).")
    if r.dual_year is not None:
        problems += _dual_year_problems(r, r.dual_year)
    if "julian" in valid and "gregorian" in valid:
        problems += _dual_problems(r, valid["julian"], valid["gregorian"])
    if r.weekday is not None and valid:
        problems += _weekday_problems(r, r.weekday, valid)
    return problems


def _other(cal: str) -> str:
    return "julian" if cal == "gregorian" else "gregorian"


def _dual_year_problems(r: Reading, dual_year: tuple[int, str]) -> list[str]:
    y, y2 = dual_year
    out = []
    want = str(y + 1)[-len(y2):]
    if y2 != want:
        out.append(f"{y}/{y2} is not a dual year: the year after {y} is {y + 1}, "
                   f"so it should read {y}/{want}.")
    (_, mo, d), = [v for v in r.halves.values()][:1]
    if (mo, d) > (3, 24):
        out.append(f"A dual year such as {y}/{y2} belongs only to 1 January-24 March (the year "
                   f"then began on 25 March); {d} {_MONTH_NAME[mo]} takes a single year.")
    return out


def _dual_problems(r: Reading, j: YMD, g: YMD) -> list[str]:
    """The halves of a dual date must be the same day; say which half is off, and by how much."""
    want_g = j2g(*j)
    if want_g == g:
        return []
    off = offset_days(*j, calendar="julian")
    apart = f"the calendars are {_days(off)} apart in {j[0]}"
    if r.primary == "gregorian":  # the first-written half is taken as meant
        want_j = g2j(*g)
        n = abs(_ordinal(j) - _ordinal(want_j))
        return [f"{_fmt(g)} (New Style) is {_fmt(want_j, want_j[0] != g[0])} (Old Style), "
                f"not {_fmt(j, j[0] != g[0])}: the Old Style date is off by {_days(n)} ({apart}; "
                f"if {_fmt(j, j[0] != g[0])} Old Style is right, the New Style date is "
                f"{_fmt(want_g, want_g[0] != j[0])})."]
    n = abs((date(*g) - date(*want_g)).days)
    alt = g2j(*g)
    return [f"{_fmt(j)} (Old Style) is {_fmt(want_g, want_g[0] != j[0])} (New Style), "
            f"not {_fmt(g, g[0] != j[0])}: the New Style date is off by {_days(n)} ({apart}; "
            f"if {_fmt(g, g[0] != j[0])} New Style is right, the Old Style date is "
            f"{_fmt(alt, alt[0] != g[0])})."]


def _ordinal(ymd: YMD) -> int:
    # Julian labels can be 29 Feb of a century year; count from day 1 of the month.
    return date(ymd[0], ymd[1], 1).toordinal() + ymd[2] - 1


def _weekday_problems(r: Reading, weekday: int, valid: dict[str, YMD]) -> list[str]:
    said = _WEEKDAY[weekday]
    if "gregorian" in valid:
        day, cal = date(*valid["gregorian"]), "gregorian"
        shown = valid["gregorian"]
    elif "julian" in valid:
        day, cal = date(*j2g(*valid["julian"])), "julian"
        shown = valid["julian"]
    else:  # undeclared: a problem only if neither reading fits
        shown = valid["unknown"]
        as_ns, as_os = date(*shown), date(*j2g(*shown))
        if r.weekday in (as_ns.weekday(), as_os.weekday()):
            return []
        return [f"{_fmt(shown)} was a {_WEEKDAY[as_ns.weekday()]} (New Style) or a "
                f"{_WEEKDAY[as_os.weekday()]} (if Old Style), not a {said}."]
    if day.weekday() == r.weekday:
        return []
    label = "" if r.calendar != "julian" and "julian" not in r.halves else f" ({_STYLE[cal]})"
    return [f"{_fmt(shown)}{label} was a {_WEEKDAY[day.weekday()]}, not a {said}."]


# Relative dates and their offsets in days.  "the day before"/"the day after" count only
# when nothing follows them ("the day before the coup" needs an event we cannot date).
_NUM = {"a": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
        "eight": 8, "nine": 9, "ten": 10}
_RELATIVE = re.compile(
    r"\b(?:(?P<next>the\s+(?:next|following)\s+(?:day|morning|evening|night|afternoon)|next\s+day"
    r"|the\s+day\s+after(?=\s*(?:[,.;:)]|$)))"
    r"|(?P<same>that\s+(?:same\s+)?(?:night|evening|morning|afternoon|day)|the\s+same\s+day)"
    r"|(?P<prev>the\s+(?:previous|preceding)\s+day|the\s+day\s+before(?=\s*(?:[,.;:)]|$)))"
    r"|(?P<n>a|one|two|three|four|five|six|seven|eight|nine|ten|\d{1,2})\s+days?\s+"
    r"(?P<dir>later|afterwards?|earlier|previously|before(?=\s*(?:[,.;:)]|$))"
    r"|after(?=\s*(?:[,.;:)]|$))))", re.I)
_SENTENCE_END = re.compile(r"(?<!\b[A-Z])[.!?](?=\s+[\"\u201c(A-Z]|\s*$)")


def _relative_delta(mt: re.Match[str]) -> int:
    if mt.group("next"):
        return 1
    if mt.group("same"):
        return 0
    if mt.group("prev"):
        return -1
    n = mt.group("n").lower()
    k = int(n) if n.isdigit() else _NUM[n]
    return k if mt.group("dir").lower().startswith(("later", "after")) else -k


def _shift(anchor: date, calendar: str, delta: int, phrase: str, start: int, end: int) -> DateMention:
    """The day ``delta`` days from the (Gregorian) ``anchor``, stated in the anchor's ``calendar``."""
    g = anchor + timedelta(days=delta)
    try:
        j: date | None = date(*g2j(g.year, g.month, g.day))
    except ValueError:  # Julian 29 February 1700/1800/1900: no date holds it
        j = None
    return DateMention(phrase, start, end, g, j, "day", calendar)


def _describe(m: DateMention) -> str:
    """A day as a person reads it, in the calendar(s) the text used."""
    g = m.gregorian
    if g is None:  # callers pass days only; a mention without one is said as written
        return m.text
    if m.calendar == "julian" and m.julian is not None:
        return f"{_fmt(m.julian)} (O.S.) = {_fmt(g, g.year != m.julian.year)} (N.S.)"
    if m.calendar in ("gregorian", "dual"):
        return f"{_fmt(g)} (N.S.)"
    as_os = date(*j2g(g.year, g.month, g.day))
    return f"{_fmt(g)} (calendar not stated; {_fmt(as_os)} N.S. if it is Old Style)"


def _real_days(m: DateMention) -> set[date]:
    """The actual days a mention can mean: one if its calendar is known, two if not."""
    g = m.gregorian
    if g is None:
        return set()
    if m.calendar != "unknown":
        return {g}
    try:
        return {g, date(*j2g(g.year, g.month, g.day))}
    except ValueError:
        return {g}


def _sentence_end(text: str, pos: int, spans: list[tuple[int, int]]) -> int:
    for mt in _SENTENCE_END.finditer(text, pos):
        if not any(s <= mt.start() < e for s, e in spans):
            return mt.start()
    return len(text)


# How far a document's explicit Old Style dates vouch for the calendar of its bare ones. They say which
# calendar the story they date is told in; the same story's other dates lie within a few years of them
# (the 1917 revolutions to the end of the Civil War is five). A date further off belongs to another story
# whose calendar they say nothing about: an essay on 1917 recalling Napoleon "on Monday, 14 September 1812"
# in Moscow, read as Old Style, makes that Monday a Saturday (a false date_wrong).
INFERENCE_REACH_YEARS = 10
# The country of a document that names none of the adoption table's places: the Julian calendar's
# last great user, whose dates this tool reads most (declared.py assumes it too).
DEFAULT_COUNTRY = "russia"


@dataclass(frozen=True)
class DocumentCalendar:
    """The calendar a document states its dates in, read into its bare dates within bounds.

    ``first_year``..``last_year`` span the years of its explicit Old Style (or dual) days, ``years``
    lists them (sorted, each once; empty: every year of the span); ``country`` the adoption table's
    country it names most, None where it names none.
    """

    calendar: str
    first_year: int
    last_year: int
    country: str | None = None
    years: tuple[int, ...] = ()

    def nearest_year(self, year: int) -> int:
        """The explicit Old Style year closest to ``year`` (the reach is measured from it, not from the span)."""
        if not self.years:
            return min(max(year, self.first_year), self.last_year)
        i = bisect.bisect_left(self.years, year)
        return min(self.years[max(i - 1, 0): i + 1], key=lambda y: abs(y - year))


def document_calendar(doc: Document) -> DocumentCalendar | None:
    """Old Style when the document states its dates as Old Style (or dual) and never as New Style alone.

    Then a bare "25 October" in it is Old Style too; read as New Style it was placed 13 days off in
    one claim and not at all in another. How far that reaches is :func:`inference_withheld`'s.
    """
    days = [m for c in doc.claims for m in find_dates(c.text) if m.precision == "day" and not m.notes]
    stated = {m.calendar for m in days}
    if not (stated & {"julian", "dual"}) or "gregorian" in stated:
        return None
    years = [(m.julian or m.gregorian).year for m in days  # type: ignore[union-attr]
             if m.calendar in ("julian", "dual") and (m.julian or m.gregorian)]
    if not years:
        return None
    named = Counter(c for claim in doc.claims for c in countries_named(claim.text))
    country = max(named, key=lambda c: (named[c], -list(named).index(c))) if named else None
    return DocumentCalendar("julian", min(years), max(years), country, tuple(sorted(set(years))))


def inference_withheld(m: DateMention, text: str, inferred: DocumentCalendar,
                       source_calendar: str | None = None) -> str | None:
    """Why a bare date is not read in the document's calendar, or None where it is.

    Each bound names the false alarm it prevents (a weekday right in New Style, wrong in Old):
    - a cited source that declares the other calendar wins (Reed, "Wednesday, November 7th");
    - no Old Style after the country's change (Russia: New Style from 14 February 1918);
    - none in a place Gregorian at the time (Paris in 1789), by the countries the date's sentence
      of ``text`` names;
    - none more than INFERENCE_REACH_YEARS from the document's own Old Style dates.
    """
    if source_calendar in ("julian", "gregorian") and source_calendar != inferred.calendar:
        return f"the cited source declares {_STYLE[source_calendar]}"
    label = m.gregorian  # a bare date's label, as written
    if label is None:
        return None
    ymd = (label.year, label.month, label.day)
    for country in countries_named(_sentence_at(text, m.start, m.end)) or [inferred.country or DEFAULT_COUNTRY]:
        adoption = ADOPTION[country]
        if ymd > adoption.last_julian:
            return f"{country.title()} used New Style from {_fmt(adoption.first_gregorian)}"
    nearest = inferred.nearest_year(label.year)
    if abs(label.year - nearest) > INFERENCE_REACH_YEARS:  # from the nearest one: 1870 is far from both 1812 and 1917
        span = (str(inferred.first_year) if inferred.first_year == inferred.last_year
                else f"{inferred.first_year}-{inferred.last_year}, nearest {nearest}")
        return f"it is more than {INFERENCE_REACH_YEARS} years from the document's Old Style dates ({span})"
    return None


def _sentence_at(text: str, start: int, end: int) -> str:
    """The sentence of ``text`` that holds ``start``..``end`` (a claim may set each sentence elsewhere)."""
    begin = max((mt.end() for mt in _SENTENCE_END.finditer(text) if mt.end() <= start), default=0)
    stop = _SENTENCE_END.search(text, end)
    return text[begin:stop.end() if stop else len(text)]


def _read_claim(text: str, inferred: str | DocumentCalendar | None, source_calendar: str | None,
                previous: date | None) -> list[DateMention]:
    """The claim's dates, its bare ones read in the document's calendar where the bounds allow."""
    year = previous.year if previous else None
    if inferred is None:
        return find_dates(text, None, year)
    calendar = inferred if isinstance(inferred, str) else inferred.calendar
    as_inferred = {m.start: m for m in find_dates(text, calendar, year)}
    out: list[DateMention] = []
    for bare in find_dates(text, None, year):
        read_so = as_inferred.get(bare.start)
        if bare.calendar != "unknown" or read_so is None or read_so.calendar != calendar:
            out.append(bare)
            continue
        why = None if isinstance(inferred, str) else inference_withheld(bare, text, inferred, source_calendar)
        m = bare if why else read_so
        if m.precision == "day":
            m.notes.append(f"calendar not stated: not read as {_STYLE[calendar]}, as the document's other dates "
                           f"are, because {why}" if why else
                           f"calendar not stated: read as {_STYLE[calendar]}, as the document's other "
                           "dates are (inferred)")
        out.append(m)
    return out


def check_claim_dates(
    claim_text: str,
    evidence_texts: list[str],
    default_calendar: str | None = None,
    previous_date: date | None = None,
    claim_calendar: str | DocumentCalendar | None = None,
) -> tuple[list[DateMention], list[str]]:
    """The claim's dates (each with its problems) and the claim-level date problems.

    ``default_calendar`` is the calendar of the evidence's source where it declares one;
    ``claim_calendar`` the same for the claim: a calendar it declares, or the document's
    (:func:`document_calendar`), which reaches a bare date only within :func:`inference_withheld`'s
    bounds, and never where the cited source (``default_calendar``) declares the other calendar.  ``previous_date`` (Gregorian) is the last
    date before this claim, so that a claim opening "The next day" can be resolved.
    The returned mentions include resolved relative dates ("The next day" = 7 November).
    """
    explicit = _read_claim(claim_text, claim_calendar, default_calendar, previous_date)
    for m in explicit:
        m.problems = check_mention(m)
    spans = [(m.start, m.end) for m in explicit]
    problems: list[str] = []
    relatives: list[DateMention] = []
    for mt in _RELATIVE.finditer(claim_text):
        if any(s <= mt.start() < e for s, e in spans):
            continue
        before = [m for m in explicit + relatives if m.end <= mt.start()
                  and m.precision in ("day", "range")]
        anchor = max(before, key=lambda m: m.end) if before else None
        if anchor is None and previous_date is not None:
            anchor = DateMention(_fmt(previous_date), 0, 0, previous_date, None, "day", "gregorian")
        if anchor is None or anchor.precision != "day" or anchor.gregorian is None:
            continue
        rel = _shift(anchor.gregorian, anchor.calendar, _relative_delta(mt), mt.group(0), mt.start(), mt.end())
        relatives.append(rel)
        stop = _sentence_end(claim_text, mt.end(), spans)
        after = [m for m in explicit if mt.end() <= m.start < stop
                 and m.precision == "day" and m.gregorian is not None]
        if after:
            e = after[0]
            ok = {rel.gregorian} if e.calendar != "unknown" else {rel.gregorian, rel.julian}
            if e.gregorian not in ok:
                what = anchor.text
                problems.append(f"\u201c{mt.group(0)}\u201d after {what} is {_describe(rel)}, "
                                f"but the same sentence then gives {e.text}.")
    day = [m for m in explicit if m.precision == "day" and m.gregorian is not None]
    first_day = day[0].gregorian if day else None
    year = (first_day.year if first_day else
            previous_date.year if previous_date else
            next((m.gregorian.year for m in explicit if m.gregorian), None))
    ev_day = [m for text in evidence_texts for m in find_dates(text, default_calendar, year)
              if m.precision == "day" and m.gregorian is not None]
    if len(day) == 1 and len(ev_day) == 1 and not (_real_days(day[0]) & _real_days(ev_day[0])):
        problems.append(f"The claim says {_describe(day[0])}, the evidence says {_describe(ev_day[0])}.")
    mentions = sorted(explicit + relatives, key=lambda m: m.start)
    return mentions, problems
