"""Which library source, if any, a citation names.

A wrong match is worse than none: a quotation checked against the wrong book gets a
confident wrong verdict. So the title must match closely and author and year, where
both sides give them, must agree; otherwise the answer is None.
"""

from __future__ import annotations

import re

from rapidfuzz import fuzz

from ..records import Citation, SourceRef
from .translit import forms

TITLE_MIN = 90  # token_sort_ratio of folded titles
SURNAME_MIN = 85  # ratio of folded surnames: "trotzky" ~ "trotsky" is 85.7
_ARTICLE = re.compile(r"^(?:the|a|an)\s+")
_SUFFIXES = {"jr", "sr", "ii", "iii", "phd"}


def _title_forms(title: str) -> list[tuple[str, str]]:
    """(whole title, main title before any subtitle), folded, leading article dropped, once per
    script form (as written, ALA-LC, anyascii): a Cyrillic title and its romanizations compare."""
    main = re.split(r"\s*[:;]\s+|\s+[-–—]{1,2}\s+", title, maxsplit=1)[0]
    out = []
    for whole, head in zip(forms(title), forms(main)):
        out.append((_ARTICLE.sub("", whole), _ARTICLE.sub("", head)))
    return out


def _pair_score(cited: tuple[str, str], source: tuple[str, str]) -> float:
    (c_full, c_main), (s_full, s_main) = cited, source
    if not c_full or not s_full:
        return 0.0
    # A missing subtitle on one side is not a difference; two different subtitles are.
    if c_full in (s_full, s_main) or c_main == s_full:
        return 100.0
    return float(fuzz.token_sort_ratio(c_full, s_full))


def title_score(cited: str, source: str) -> float:
    """0-100 likeness of two titles; 100 when equal up to article and subtitle, in any script form."""
    return max((_pair_score(c, s) for c in _title_forms(cited) for s in _title_forms(source)), default=0.0)


def _surnames(name: str) -> list[str]:
    """Folded surname in each script form: "Reed, John" and "John Reed" give "reed"; "Рид" also "rid"."""
    if "," in name:
        head = name.split(",", 1)[0]
        if any(f not in _SUFFIXES for f in forms(head)):
            return [f.split()[-1] for f in forms(head)]
    out = []
    for form in forms(name):
        words = [w for w in form.split() if w not in _SUFFIXES]
        if words:
            out.append(words[-1])
    return out


def surname(name: str) -> str:
    """Folded surname: "Reed, John" and "John Reed" both give "reed"."""
    found = _surnames(name)
    return found[0] if found else ""


def authors_agree(cited: str, source: str) -> bool:
    return any(fuzz.ratio(a, b) >= SURNAME_MIN for a in _surnames(cited) for b in _surnames(source) if a and b)


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
