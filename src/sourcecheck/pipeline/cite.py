"""What ``sourcecheck cite`` adds to a document: for each claim the library does not yet
support, up to k library passages the judge finds supporting, as quotations with citations.

Kept out of the CLI so that the choice can be tested and reused without a command line;
the CLI only reads the document, writes it back and prints what could not be cited.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from ..records import Claim, SourceRef, Suggestion
from .check import Checker

__all__ = ["CitePlan", "choose_citations", "citation_text"]


@dataclass
class CitePlan:
    """Quotations to add, by the line of their claim, and the weak claims nothing supports."""

    additions: dict[int, list[tuple[str, str]]] = field(default_factory=dict)  # line -> (quote, citation)
    uncited: list[Claim] = field(default_factory=list)
    passages: dict[int | str, list[Suggestion]] = field(default_factory=dict)  # claim id -> chosen passages


def citation_text(source: SourceRef) -> str:
    """``Title, Author, Year``, leaving out what the library does not know."""
    return ", ".join(str(x) for x in (source.title, source.author, source.year) if x)


def choose_citations(checker: Checker, claims: Iterable[Claim], k: int) -> CitePlan:
    """Up to ``k`` supporting passages for each claim whose own evidence is not enough.

    Only passages the judge calls ``supported`` are offered: adding a passage that merely shares
    the claim's words would turn a weak claim into a wrongly cited one. The quotation is the
    judge's best sentence span when it is a slice of the passage, else the whole passage.
    """
    plan = CitePlan()
    for claim in claims:
        finding = checker.check_claim(claim)
        if finding.verdict == "supported":
            continue
        good = [s for s in finding.suggestions if s.verdict == "supported"][:k]
        if not good:
            plan.uncited.append(claim)
            continue
        plan.passages[claim.id] = good  # writers that need the page or the source (Pandoc, wikitext)
        plan.additions[claim.line] = [
            (" ".join((s.best_span or s.text).split()), citation_text(s.source)) for s in good
        ]
    return plan
