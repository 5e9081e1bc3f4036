"""What ``sourcecheck cite`` adds to a document: for each claim the library does not yet support,
up to k library passages the judge supports at its precision threshold, as quotations with citations.

Conservative by rule, since a citation written into someone's document that does not support the
claim is worse than none:

- PRECISION RULE: only a passage the judge calls "supported" with the support its precision threshold
  asks (``t_support_precise``, judge/precision.py) is proposed; "partly supported" and "supported" below
  it are not (a "tall, bearded" man who is someone else shares the claim's words and half its facts).
- CIRCULAR RULE: in wikitext no Wikipedia source is proposed (WP:CIRCULAR, library/wikipedia.py).
- KEY RULE: where the document's form cites by key (Pandoc), only a source with a key in a
  bibliography is proposed, unless the caller can add the entry (``can_add_key``).

A claim nothing passes gets one reason, said by the CLI: what was best and which rule refused it.

Since only a "supported" verdict is acted on, the judge reads each passage, and the claim's own
quotations, through the GATE RULE (judge/gate.py): a passage is dropped at its first part below the ✓
threshold, which proposes the same passages for a fraction of the model's time (bench/cite_bench.py),
and the quotations are judged together only (their verdict), not each alone as `check` reports them.
Kept out of the CLI so that the choice can be tested and reused without a command line.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from ..judge.gate import gated
from ..judge.precision import precise_support, supports_precisely
from ..library.wikipedia import is_wikipedia_source
from ..records import Claim, SourceRef, Suggestion
from .check import Checker

__all__ = ["CitePlan", "choose_citations", "citation_text"]


@dataclass
class CitePlan:
    """Quotations to add, by the line of their claim, and the weak claims nothing passed, with why."""

    additions: dict[int, list[tuple[str, str]]] = field(default_factory=dict)  # line -> (quote, citation)
    uncited: list[Claim] = field(default_factory=list)
    passages: dict[int | str, list[Suggestion]] = field(default_factory=dict)  # claim id -> chosen passages
    why: dict[int | str, str] = field(default_factory=dict)  # claim id -> why nothing is proposed
    findings: dict[int | str, object] = field(default_factory=dict)  # claim id -> its Finding (misquotations)


def citation_text(source: SourceRef) -> str:
    """``Title, Author, Year``, leaving out what the library does not know."""
    return ", ".join(str(x) for x in (source.title, source.author, source.year) if x)


@contextmanager
def _reading_for_cite(checker: Checker, gate: bool) -> Iterator[None]:
    """The checker's judge behind the GATE RULE, quotations judged together only; restored afterwards."""
    if not gate:
        yield
        return
    judge, each = checker.judge, checker.judge_each_quotation
    checker.judge, checker.judge_each_quotation = gated(judge), False
    try:
        yield
    finally:
        checker.judge, checker.judge_each_quotation = judge, each


def choose_citations(checker: Checker, claims: Iterable[Claim], k: int, *, wikitext: bool = False,
                     has_key=None, can_add_key: bool = False, gate: bool = True) -> CitePlan:
    """Up to ``k`` passages for each claim whose own evidence is not enough, by the rules above.

    ``has_key(source_id)`` says whether a source has a bibliography key (Pandoc); None: keys not needed.
    The quotation is the judge's best sentence span when it is a slice of the passage, else the passage.
    ``gate=False`` judges every passage in full (the benchmark's comparison; the same passages result).
    """
    with _reading_for_cite(checker, gate):
        return _choose(checker, claims, k, wikitext, has_key, can_add_key)


def _choose(checker: Checker, claims: Iterable[Claim], k: int, wikitext: bool, has_key, can_add_key: bool) -> CitePlan:
    plan = CitePlan()
    threshold = precise_support(checker.judge)
    for claim in claims:
        finding = checker.check_claim(claim)
        plan.findings[claim.id] = finding
        if finding.verdict == "supported":
            continue
        good: list[Suggestion] = []
        refused = {"wikipedia": 0, "key": 0, "precise_ok": 0}
        for s in finding.suggestions:
            if not supports_precisely(s.judgement, threshold):
                continue
            refused["precise_ok"] += 1
            source = checker.library.get(s.source.id)
            if wikitext and source is not None and is_wikipedia_source(source):
                refused["wikipedia"] += 1
                continue
            if has_key is not None and not has_key(s.source.id) and not can_add_key:
                refused["key"] += 1
                continue
            good.append(s)
        good = good[:k]
        if not good:
            plan.uncited.append(claim)
            plan.why[claim.id] = _why(finding.suggestions, threshold, refused)
            continue
        plan.passages[claim.id] = good  # writers that need the page or the source (Pandoc, wikitext)
        plan.additions[claim.line] = [
            (" ".join((s.best_span or s.text).split()), citation_text(s.source)) for s in good
        ]
    return plan


def _why(suggestions: list[Suggestion], threshold: float | None, refused: dict[str, int]) -> str:
    """One sentence: what was best and which rule refused it."""
    if not suggestions:
        return "no passage of the library was found for it"
    if refused["precise_ok"]:  # some passed the judge, and the other rules refused them
        why = []
        if refused["wikipedia"]:
            why.append(f"the {refused['wikipedia']} passage(s) the judge supports are Wikipedia's, "
                       "which wikitext may not cite (WP:CIRCULAR)")
        if refused["key"]:
            why.append(f"the {refused['key']} passage(s) the judge supports are of sources with no key in "
                       "the bibliography, and the document names no bibliography file to add one to")
        return "; ".join(why)
    best = max(suggestions, key=lambda s: s.support)
    need = f"{threshold:.2f}, the judge's precision threshold" if threshold is not None else "a \u201csupported\u201d verdict"
    j = best.judgement
    if j is not None and j.provisional and j.parts:  # GATE RULE: read up to the part that ruled it out
        said = f"not supported: its part \u201c{j.parts[0].text}\u201d has support {j.support:.2f}"
    else:
        said = f"{best.verdict or 'not judged'} with support {best.support:.2f}"
    return (f"no passage the judge supports at its precision threshold: the best, {best.source.title} "
            f"(line {best.location.line if best.location else '?'}), is {said}, and cite needs {need}")
