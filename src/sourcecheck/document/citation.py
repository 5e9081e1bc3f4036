"""Quotations and attributions as documents write them.

Shared by the outline and prose readers, so that a bullet ``\\`quote\\` - Title, Author,
Year`` and a footnote ``[^1]: "quote" Title, Author, Year`` are read by the same rules.
"""

from __future__ import annotations

import re
from pathlib import Path

from ..errors import InputError
from ..records import Citation
from .locator import split_locator

# Opening delimiter -> closing delimiter of a quotation.
OPENERS = {"`": "`", '"': '"', "\u201c": "\u201d"}

# ` - `, ` -- `, ` — `, ` – ` between a quotation and its attribution.
SEPARATOR = re.compile(r"^\s*(?:-{1,3}|\u2014|\u2013)\s*")

_YEAR = re.compile(r"^\(?(\d{3,4})\)?\.?$")
# "Richard Pipes (1995)": a year in parentheses after the author.
_TRAILING_YEAR = re.compile(r"^(.*\S)\s+\((\d{3,4})\)\.?$")


# A page or chapter locator after the citation: "p. 45", "pp. 45-47", "page 12", "ch. IV".
_LOCATOR = re.compile(r"^(?:pp?|pages?|ch|chap|chapter|vol|sec|§)\.?\s*[\dIVXLCivxlc]+(?:\s*[-\u2013]\s*\w+)?\.?$",
                      re.I)


def parse_citation(raw: str) -> Citation:
    """Read ``Title, Author, Year`` (year and author optional).

    Titles may contain commas, so only the last comma-part (after the year is taken
    off) is the author, and only when at least two parts remain. A page or chapter
    locator at the end ("p. 45", "at 45", "45f.") is read first and kept apart.
    """
    body, locator = split_locator(raw.strip())
    key = re.fullmatch(r"@([\w][\w:.#$%&+?<>~/-]*)", body.strip())
    if key:  # "@pipes1995, p. 12": a bibliography key, as Pandoc writes it
        return Citation(raw=raw.strip(), key=key.group(1), locator=locator)
    parts = [p.strip() for p in body.split(",")]
    parts = [p for p in parts if p]
    while len(parts) > 1 and _LOCATOR.match(parts[-1]):  # ", p. 45" names a page, not an author
        parts.pop()
    year: int | None = None
    if parts:
        m = _YEAR.match(parts[-1])
        if m:
            year = int(m.group(1))
            parts.pop()
        else:
            m = _TRAILING_YEAR.match(parts[-1])
            if m:
                year = int(m.group(2))
                parts[-1] = m.group(1)
    title: str | None = None
    author: str | None = None
    if len(parts) >= 2:
        title, author = ", ".join(parts[:-1]), parts[-1]
    elif parts:
        title = parts[0]
    return Citation(raw=raw.strip(), title=title, author=author, year=year, locator=locator)


def _ends_quotation(rest: str) -> bool:
    """A closing delimiter is the real end when only an attribution (or nothing) follows."""
    return not rest.strip() or SEPARATOR.match(rest) is not None


def split_quotation(
    text: str, path: str | Path | None, line: int
) -> tuple[str, str] | None:
    """Split ``<quotation><separator><attribution>``; None when text opens no quotation.

    The quotation must open the text. Its end is the first closing delimiter followed
    by a separator or by nothing, so that quotes inside it (``"counterrevolutionary"``
    inside backticks, or a nested “...” pair) stay part of it. Raises InputError when
    the quotation is never closed or is empty.
    """
    s = text.strip()
    if not s or s[0] not in OPENERS:
        return None
    opener, closer = s[0], OPENERS[s[0]]
    body = s[1:]
    closes = [i for i, c in enumerate(body) if c == closer]
    if not closes:
        raise InputError(path, f"quotation opened with {opener} is never closed", line)
    end = next((i for i in closes if _ends_quotation(body[i + 1 :])), closes[0])
    quote = body[:end].strip()
    if not quote:
        raise InputError(path, "empty quotation", line)
    rest = body[end + 1 :]
    m = SEPARATOR.match(rest)
    # No separator at all ("quote" Title, Author): what follows is still the attribution.
    attribution = rest[m.end() :] if m else rest.strip().lstrip(",;:")
    return quote, attribution.strip()


def citation_or_none(attribution: str) -> Citation | None:
    """A Citation for a non-empty attribution, else None (a quotation with no source)."""
    return parse_citation(attribution) if attribution.strip() else None
