"""Which library source, if any, a citation names.

A wrong match is worse than none: a quotation checked against the wrong book gets a
confident wrong verdict. So the title must match closely and author and year, where
both sides give them, must agree; otherwise the answer is None.
"""

from __future__ import annotations

import re
import unicodedata

from rapidfuzz import fuzz

from ..records import Citation, SourceRef

TITLE_MIN = 90  # token_sort_ratio of folded titles
SURNAME_MIN = 85  # ratio of folded surnames: "trotzky" ~ "trotsky" is 85.7
_ARTICLE = re.compile(r"^(?:the|a|an)\s+")
_SUFFIXES = {"jr", "sr", "ii", "iii", "phd"}


def fold(text: str) -> str:
    """Lower case, ASCII, punctuation to spaces, single spaces."""
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text.lower()).split())


def _title_forms(title: str) -> tuple[str, str]:
    """(whole title, main title before any subtitle), folded, leading article dropped."""
    main = re.split(r"\s*[:;]\s+|\s+[-–—]{1,2}\s+", title, maxsplit=1)[0]
    return _ARTICLE.sub("", fold(title)), _ARTICLE.sub("", fold(main))


def title_score(cited: str, source: str) -> float:
    """0-100 likeness of two titles; 100 when equal up to article and subtitle."""
    c_full, c_main = _title_forms(cited)
    s_full, s_main = _title_forms(source)
    if not c_full or not s_full:
        return 0.0
    # A missing subtitle on one side is not a difference; two different subtitles are.
    if c_full == s_full or c_main == s_full or c_full == s_main:
        return 100.0
    return float(fuzz.token_sort_ratio(c_full, s_full))


def surname(name: str) -> str:
    """Folded surname: "Reed, John" and "John Reed" both give "reed"."""
    if "," in name:
        first = fold(name.split(",", 1)[0])
        if first and first not in _SUFFIXES:
            return first.split()[-1]
    words = [w for w in fold(name).split() if w not in _SUFFIXES]
    return words[-1] if words else ""


def authors_agree(cited: str, source: str) -> bool:
    a, b = surname(cited), surname(source)
    return bool(a and b) and fuzz.ratio(a, b) >= SURNAME_MIN


def match_citation(citation: Citation, sources: list[SourceRef]) -> SourceRef | None:
    """The one source the citation names, or None (no match, or a tie between sources)."""
    if not citation.title:
        return None
    scored: list[tuple[float, SourceRef]] = []
    for src in sources:
        score = title_score(citation.title, src.title)
        if score < TITLE_MIN:
            continue
        if citation.author and src.author and not authors_agree(citation.author, src.author):
            continue
        if citation.year is not None and src.year is not None and citation.year != src.year:
            continue
        scored.append((score, src))
    if not scored:
        return None
    scored.sort(key=lambda pair: pair[0], reverse=True)
    if len(scored) > 1 and scored[1][0] == scored[0][0]:
        return None  # two sources fit equally well: never guess
    return scored[0][1]
