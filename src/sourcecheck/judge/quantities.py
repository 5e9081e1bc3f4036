"""Numbers and day dates in one normal form, whatever way a sentence writes them.

"twenty-five thousand", "25,000" and "25000" are one value; "October 25th", "25 October" and "the
25th of October" are one day. The judge compares values, never surfaces: without this, "25 October"
against "October 25th" is a date the evidence lacks (a claim left unsupported), and "some five
thousand" reads as covered by "twenty-five thousand" (the word "five thousand" is in it).

Hand-written because number words must be found *inside running text with their spans* (to compare
them and to rewrite a claim in the evidence's form); the word-to-number packages on PyPI parse a
whole string that is only a number.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

ONES = {w: i for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
    "seventeen eighteen nineteen".split())}
TENS = {w: 10 * i for i, w in enumerate("_ _ twenty thirty forty fifty sixty seventy eighty ninety".split()) if i >= 2}
SCALES = {"hundred": 100, "thousand": 1000, "million": 1_000_000}
MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
          "november", "december"]
_MONTH = r"(January|February|March|April|May|June|July|August|September|October|November|December)"
_ORD = r"([1-9]|[12][0-9]|3[01])(?:st|nd|rd|th)?"
DAY_MONTH = re.compile(rf"\b(?:the\s+)?{_ORD}(?:\s+of)?\s+{_MONTH}\b|\b{_MONTH}\s+{_ORD}\b(?!,?\d)")
_NUMBER_WORD = "|".join(sorted(list(ONES) + list(TENS) + list(SCALES), key=len, reverse=True))
WORDS = re.compile(rf"\b(?:(?:a|an)\s+(?=hundred|thousand|million))?(?:{_NUMBER_WORD})(?:(?:[\s-]+|\s+and\s+)"
                   rf"(?:{_NUMBER_WORD}))*\b", re.I)
DIGITS = re.compile(r"(?<![\w.,])\d{1,3}(?:,\d{3})+(?![\w,]\d)|(?<![\w.,])\d+(?:\.\d+)?(?![\w]|,\d)")
YEAR = re.compile(r"^(?:1[0-9]{3}|20[0-9]{2})$")
# Hedges before a number: the range of true values each leaves open (the false alarm each prevents:
# "about 5,000" against "4,800" is not a different number; "more than 5,000" against "6,000" is not).
HEDGE = re.compile(r"\b(about|around|some|roughly|approximately|nearly|almost|over|more than|at least|fewer than|"
                   r"less than|under|up to|at most|several)\s*$", re.I)
TOLERANCE = 0.15  # "about N" is any value within 15% of N


@dataclass(frozen=True)
class Quantity:
    """A number in a sentence: its value, its hedge ("" for none), and where it is."""

    value: float
    hedge: str
    start: int
    end: int
    text: str
    year: bool  # a bare 4-digit number 1000-2099 without a separator: read as a year, not a count
    number: str = ""  # the number as written, without its hedge

    def interval(self) -> tuple[float, float]:
        """The values this (hedged) number leaves open, as a closed range (an open end is nudged in)."""
        v, h, eps = self.value, self.hedge, 1e-9 * max(abs(self.value), 1)
        if h in ("more than", "over"):
            return v + eps, math.inf
        if h == "at least":
            return v, math.inf
        if h in ("fewer than", "less than", "under"):
            return -math.inf, v - eps
        if h in ("up to", "at most"):
            return -math.inf, v
        if h in ("nearly", "almost"):
            return v * (1 - TOLERANCE), v
        if h:
            return v - TOLERANCE * max(abs(v), 1), v + TOLERANCE * max(abs(v), 1)
        return v, v

    def agrees(self, other: Quantity) -> bool:
        """Whether two numbers can state the same value: their ranges meet. "over 500,000" agrees with
        itself and with "about 520,000"; "some five thousand" does not agree with "twenty-five thousand"."""
        (a, b), (c, d) = self.interval(), other.interval()
        return a <= d and c <= b

    def admits(self, other: float) -> bool:
        """Whether ``other`` is a value this (hedged) number allows."""
        v, h = self.value, self.hedge
        if h in ("more than", "over"):
            return other > v
        if h == "at least":
            return other >= v
        if h in ("fewer than", "less than", "under"):
            return other < v
        if h in ("up to", "at most"):
            return other <= v
        if h in ("nearly", "almost"):
            return v * (1 - TOLERANCE) <= other <= v
        if h:
            return abs(other - v) <= TOLERANCE * max(abs(v), 1)
        return other == v


def words_value(text: str) -> float | None:
    """The value of number words ("twenty-five thousand", "a hundred and five"); None if not one."""
    total, current, seen = 0, 0, False
    for w in re.split(r"[\s-]+", text.lower()):
        if w in ("and", "a", "an", ""):
            continue
        if w in ONES:
            current += ONES[w]
        elif w in TENS:
            current += TENS[w]
        elif w == "hundred":
            current = max(current, 1) * 100
        elif w in SCALES:
            total += max(current, 1) * SCALES[w]
            current = 0
        else:
            return None
        seen = True
    return float(total + current) if seen else None


def quantities(text: str) -> list[Quantity]:
    """Every number of the text, in order: digits (with separators) and number words. Days of a
    month ("25 October") are dates, not counts, and left out (see :func:`day_dates`)."""
    days = [(m.start(), m.end()) for m in DAY_MONTH.finditer(text)]
    found: list[Quantity] = []
    for m in DIGITS.finditer(text):
        if any(a <= m.start() < b for a, b in days):
            continue
        raw = m.group()
        value = float(raw.replace(",", ""))
        found.append(_quantity(text, value, m.start(), m.end(), raw, year=bool(YEAR.match(raw))))
    for m in WORDS.finditer(text):
        raw = m.group()
        if raw.lower() in ("a", "an") or raw.lower().strip() in ("one",):  # "one of the", not a count
            continue
        worded = words_value(raw)
        if worded is not None:
            found.append(_quantity(text, worded, m.start(), m.end(), raw, year=False))
    return sorted(found, key=lambda q: q.start)


def _quantity(text: str, value: float, start: int, end: int, raw: str, year: bool) -> Quantity:
    h = HEDGE.search(text[max(0, start - 20): start])
    if h:
        start -= len(text[max(0, start - 20): start]) - h.start()
    return Quantity(value, h.group(1).lower() if h else "", start, end, text[start:end] if h else raw, year, raw)


@dataclass(frozen=True)
class DayMonth:
    day: int
    month: int  # 1-12
    start: int
    end: int
    text: str


def day_dates(text: str) -> list[DayMonth]:
    """Every "25 October" / "October 25th" / "the 25th of October" of the text."""
    out = []
    for m in DAY_MONTH.finditer(text):
        day, month = (m.group(1), m.group(2)) if m.group(1) else (m.group(4), m.group(3))
        out.append(DayMonth(int(day), MONTHS.index(month.lower()) + 1, m.start(), m.end(), m.group()))
    return out


def in_evidence_form(claim: str, evidence: str) -> str:
    """The claim with each number and day written as the evidence writes the same value ("25,000" for
    "twenty-five thousand", "25 October" for "October 25th"), so the model and the word coverage see
    the same words; values the evidence lacks stay as the claim wrote them."""
    edits: list[tuple[int, int, str]] = []
    ev_q = quantities(evidence)
    for q in quantities(claim):
        same = next((e for e in ev_q if e.value == q.value and e.year == q.year), None)
        if same is not None and same.number != q.number:
            edits.append((q.end - len(q.number), q.end, same.number))
    ev_d = day_dates(evidence)
    for d in day_dates(claim):
        same_d = next((e for e in ev_d if (e.day, e.month) == (d.day, d.month)), None)
        if same_d is not None and same_d.text != d.text:
            edits.append((d.start, d.end, same_d.text))
    out, last = [], 0
    for start, end, new in sorted(edits):
        if start < last:
            continue
        out += [claim[last:start], new]
        last = end
    return "".join(out) + claim[last:]
