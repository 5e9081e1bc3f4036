"""Project Gutenberg boilerplate: where the book's body is, and what the header says.

No maintained PyPI package reads Gutenberg headers offline without extra data
(``gutenberg``/``gutenbergpy`` need a catalogue download), so this is a few regexes.
"""

from __future__ import annotations

import re

_START = re.compile(
    r"^\*{3}\s*START OF (?:THE|THIS) PROJECT GUTENBERG E-?BOOK[^\n]*$", re.I | re.M
)
_END = re.compile(
    r"^(?:\*{3}\s*END OF (?:THE|THIS) PROJECT GUTENBERG E-?BOOK[^\n]*"
    r"|End of (?:the )?Project Gutenberg'?s?\s[^\n]*)$",
    re.I | re.M,
)
_FIELD = re.compile(r"^(Title|Author|Release Date|Posting Date|Language):[ \t]*(.+)$", re.M)

# Publication year in the body's opening (Gutenberg's own dates are not publication years).
_YEAR = r"((?:18|19|20)\d\d)"
_YEAR_CLUES = [
    re.compile(r"\bcopyright(?:ed)?\b[^\n]{0,40}?(?:©\s*)?" + _YEAR, re.I),
    re.compile(r"\b(?:first\s+)?published\b[^\n]{0,40}?" + _YEAR, re.I),
    re.compile(r"^[ \t]*" + _YEAR + r"\.?[ \t]*$", re.M),  # a title-page year line
]
# A dated preface signature such as "New York, January 1st 1919." (Reed's preface).
_SIGNATURE = re.compile(
    r"^[ \t]*[A-Z][A-Za-z. ]{1,30},[ \t]+(?:[A-Z][a-z]+\.?[ \t]+\d{1,2}(?:st|nd|rd|th)?,?[ \t]+)?"
    + _YEAR
    + r"\.?[ \t]*$",
    re.M,
)


def strip_gutenberg(text: str) -> tuple[int, int, dict[str, str]] | None:
    """``(body_start, body_end, header fields)`` or None if the text is not from Gutenberg.

    ``text[body_start:body_end]`` is the book without the licence boilerplate; header
    fields are keyed in lower case (``title``, ``author``, ...).
    """
    start = _START.search(text)
    if start is None:
        return None
    header = text[: start.start()]
    meta = {k.lower(): v.strip() for k, v in _FIELD.findall(header)}
    end = _END.search(text, start.end())
    body_end = end.start() if end else len(text)
    body_start = start.end()
    while body_start < body_end and text[body_start] in "\r\n":
        body_start += 1
    while body_end > body_start and text[body_end - 1].isspace():
        body_end -= 1
    return body_start, body_end, meta


def find_year(body: str) -> int | None:
    """First-publication year stated in the opening of a book's body, else None.

    Looks in the first 5,000 characters for a copyright/"published" year or a title-page
    year line, then in the first 20,000 for a dated preface signature.
    """
    head = body[:5000]
    for clue in _YEAR_CLUES:
        m = clue.search(head)
        if m:
            return int(m.group(1))
    m = _SIGNATURE.search(body[:20000])
    return int(m.group(1)) if m else None
