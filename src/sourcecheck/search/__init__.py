"""Evidence search: the library's passages that best *support* a claim, as exact quotations.

BM25 (SQLite FTS5) gathers candidates; the claim's dates are added to the query in the other
calendar too (a claim dated 7 November 1917 must find a Julian source's "25 October"); the judge
then re-scores the candidates, so the first result is the passage that supports the claim, not the
one that merely shares its words. Passages that contradict the claim are kept and labelled.
"""

from __future__ import annotations

from typing import Any

from ..dates import find_dates
from ..judge import Judge
from ..library import Library
from ..report.jsonout import location_json, source_json

MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December"]


def calendar_query(claim: str) -> str:
    """The claim plus each of its day dates written in the other calendar ("25 October")."""
    extra = []
    for m in find_dates(claim):
        if m.precision == "day" and m.gregorian and m.julian:
            for d in (m.gregorian, m.julian):
                extra.append(f"{d.day} {MONTHS[d.month - 1]}")
    return " ".join([claim] + extra)


def find_evidence(library: Library, judge: Judge, claim: str, k: int = 5, candidates: int = 20,
                  rescore: bool = True) -> list[dict[str, Any]]:
    """Up to k passages, best support first, each ``{quote, source, location, support, contradiction, score, verdict}``."""
    hits = library.search(calendar_query(claim), k=candidates)
    # Headings and scraps rank high in BM25 (short documents), but cannot be quoted as evidence.
    hits = [(p, s) for p, s in hits if len(p.text) >= 60][:candidates]
    if not hits:
        return []
    top = max(s for _, s in hits) or 1.0
    results = []
    for p, s in hits:
        source = library.get(p.source_id)
        j = judge.judge(claim, p.text) if rescore else None
        support = j.support if j else 0.0
        contradiction = j.contradiction if j else 0.0
        results.append({
            "quote": p.text, "source": source_json(source.ref()), "location": location_json(library.location(source, p.start, p.end)),
            "support": support, "contradiction": contradiction,
            "verdict": j.verdict if j else None,
            # Mostly the judge's support; BM25 breaks ties among passages it rates alike.
            "score": round((0.8 * support + 0.2 * s / top) if rescore else s / top, 4),
        })
    results.sort(key=lambda r: -r["score"])
    return results[:k]
