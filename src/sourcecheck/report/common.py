"""Wording shared by every report, so that all of them say the same thing."""

from __future__ import annotations

from ..problems import PROBLEMS
from ..records import DateMention, EvidenceFinding, Finding, PartJudgement, QuoteStatus, SourceRef, Verdict

VERDICT_LABEL = {
    Verdict.SUPPORTED: "SUPPORTED",
    Verdict.PARTIALLY_SUPPORTED: "PARTLY SUPPORTED",
    Verdict.CONTRADICTED: "CONTRADICTED",
    Verdict.NOT_ADDRESSED: "NOT ADDRESSED",
    Verdict.NO_EVIDENCE: "NO EVIDENCE",
}
QUOTE_LABEL = {
    QuoteStatus.EXACT: "found verbatim",
    QuoteStatus.NORMALIZED: "found (typography normalised)",
    QuoteStatus.ELIDED: "found with an ellipsis",
    QuoteStatus.DRIFT: "MISQUOTED",
    QuoteStatus.ABSENT: "NOT FOUND",
    QuoteStatus.SOURCE_MISSING: "source not in library",
    QuoteStatus.WRONG_SOURCE: "found in another source",
}
def headline(f: Finding) -> str:
    """The worst problem first, then the support verdict: ``MISQUOTED · SUPPORTED``."""
    words = [PROBLEMS[f.problems[0].code].heading] if f.problems else []
    verdict = VERDICT_LABEL[f.verdict]
    if verdict not in words:
        words.append(verdict)
    return " \u00b7 ".join(words)


def source_name(ref: SourceRef | None) -> str:
    if ref is None:
        return "-"
    parts = [ref.title] + ([ref.author] if ref.author else []) + ([str(ref.year)] if ref.year else [])
    return ", ".join(parts)


def where(e: EvidenceFinding) -> str:
    m = e.match
    if m.location is None or m.source is None:
        return ""
    page = f", page {m.location.page}" if m.location.page else ""
    page += f", in \u201c{m.location.section}\u201d" if m.location.section else ""
    return f"{source_name(m.source)}, line {m.location.line}{page} (chars {m.location.start}-{m.location.end})"


PART_MARK = {"supported": "\u2713", "contradicted": "\u2717", "not_addressed": "?"}


def part_line(p: PartJudgement) -> str:
    """``✓ part ← "deciding words"``, ``✗ part ← contradicted by "…"``, ``? part: not in the evidence``."""
    mark = PART_MARK.get(p.verdict, "?")
    text = short(p.text.rstrip("."), 120)
    if p.evidence is None:
        return f"{mark} {text}: not in the evidence" + (f" ({p.note})" if p.note else "")
    words = short(p.evidence.text, 140)
    note = f" ({p.note})" if p.note else ""
    if p.verdict == "contradicted":
        return f"{mark} {text} \u2190 contradicted by \u201c{words}\u201d{note}"
    return f"{mark} {text} \u2190 \u201c{words}\u201d{note}"


def page_note(e: EvidenceFinding) -> str:
    """"cited p. 45, found on p. 47" / "cited p. 45" / "found on p. 47": both pages where known,
    and why the page was not checked where it could not be ("page not checked: ...")."""
    loc = e.evidence.citation.locator if e.evidence.citation else None
    found = e.match.location.page if e.match.location else None
    parts = ([f"cited {loc.label()}"] if loc else []) + ([f"found on p. {found}"] if found else [])
    return "; ".join(filter(None, [", ".join(parts), e.page_note]))


def show_parts(f: Finding) -> bool:
    """Parts are worth a line each when there are several, or when one is not supported."""
    return len(f.parts) > 1 or any(p.verdict != "supported" for p in f.parts)


def date_line(d: DateMention) -> str:
    mark = "consistent" if not d.problems else "PROBLEM"
    if not d.gregorian and not d.julian:
        return f"\u201c{d.text}\u201d: no year given, not placed"
    notes = "".join(f"; {n}" for n in d.notes)
    if d.precision in ("year", "month") and d.gregorian:
        # A year (or a month) is shown as one: "1917" read as 1917-01-01 would claim a day the text never gave.
        shown = str(d.gregorian.year) if d.precision == "year" else d.gregorian.isoformat()[:7]
        return f"\u201c{d.text}\u201d = {shown}, {d.precision}: {mark}{notes}"
    g = d.gregorian.isoformat() if d.gregorian else "?"
    j = d.julian.isoformat() if d.julian else d.julian_text or "?"
    return f"\u201c{d.text}\u201d = {g} (N.S.) / {j} (O.S.), {d.precision}: {mark}{notes}"


def short(text: str, n: int = 160) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "\u2026"
