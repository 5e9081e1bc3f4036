"""Page and chapter locators in citations: "p. 45", "pp. 45–47", "45f.", "at 45", "ch. 3".

A locator is cut off a citation before its title, author and year are read, so
"Ten Days That Shook the World, John Reed, 1919, p. 45" still names Reed's book
(the false alarm it prevents: "source not in library" for every cited page).
Written as a regular expression because no maintained parser reads locators out of
free-form attributions (citeproc libraries format them; they do not parse them).
"""

from __future__ import annotations

import re

from ..records import Locator

_DASH = r"\s*(?:-{1,2}|\u2013|\u2014|to)\s*"
_NUM = r"(\d{1,5}|[ivxlcdm]{1,7})"
_PAGE_WORD = r"(?:pp?\.?|pages?|pgs?\.?|s\.|S\.)"
_CHAPTER_WORD = r"(?:ch(?:ap)?s?\.?|chapters?)"

# One locator, alone: what follows an author/year or a key.
LOCATOR = re.compile(
    rf"^(?:(?P<pw>{_PAGE_WORD})\s*{_NUM}(?:{_DASH}{_NUM})?(?P<f1>ff?\.)?"
    rf"|at\s+{_NUM}(?:{_DASH}{_NUM})?"
    rf"|{_NUM}(?P<f2>ff?\.)"
    rf"|(?P<cw>{_CHAPTER_WORD})\s*{_NUM}(?:{_DASH}{_NUM})?)\s*\.?$",
    re.I,
)
# A locator at the end of a longer attribution, after a comma (or a space for p./pp./ch.).
TRAILING = re.compile(
    rf"(?:,\s*|\s+)((?:{_PAGE_WORD}|{_CHAPTER_WORD})\s*{_NUM}(?:{_DASH}{_NUM})?(?:ff?\.)?"
    rf"|(?<=,)\s*at\s+{_NUM}(?:{_DASH}{_NUM})?|(?<=,)\s*{_NUM}ff?\.)\s*\.?$",
    re.I,
)
_ROMAN = {"i": 1, "v": 5, "x": 10, "l": 50, "c": 100, "d": 500, "m": 1000}


def _number(text: str | None) -> int | None:
    if text is None:
        return None
    if text.isdigit():
        return int(text)
    total, prev = 0, 0
    for ch in reversed(text.lower()):
        value = _ROMAN[ch]
        total, prev = (total - value, prev) if value < prev else (total + value, value)
    return total


def parse_locator(text: str) -> Locator | None:
    """The Locator that ``text`` is, or None when it is not one."""
    raw = text.strip().rstrip(",;")
    m = LOCATOR.match(raw)
    if not m:
        return None
    worded = m.group("pw") or m.group("cw") or raw.lower().startswith("at")
    numbers_part = re.sub(rf"^(?:{_PAGE_WORD}|{_CHAPTER_WORD}|at)\s*", "", raw, flags=re.I) if worded else raw
    values = [v for n in re.findall(rf"\b{_NUM}(?=\b|f)", numbers_part, re.I) if (v := _number(n)) is not None]
    if not values:
        return None
    first = values[0]
    last = values[1] if len(values) > 1 else first
    follow = (m.group("f1") or m.group("f2") or "").lower()
    if follow == "f.":
        last = first + 1
    elif follow == "ff.":
        last = first + 2
    if last < first:  # "pp. 245-7": the second number abbreviates the first's ending
        digits = str(last)
        last = int(str(first)[: -len(digits)] + digits) if len(digits) < len(str(first)) else first
    kind = "chapter" if m.group("cw") else "page"
    return Locator(raw=raw, kind=kind, first=first, last=last)


def split_locator(attribution: str) -> tuple[str, Locator | None]:
    """``(attribution without its locator, locator)``; the text is unchanged when it has none."""
    m = TRAILING.search(attribution.strip())
    if not m:
        return attribution, None
    loc = parse_locator(m.group(1))
    if loc is None:
        return attribution, None
    return attribution.strip()[: m.start()].rstrip(" ,;"), loc
