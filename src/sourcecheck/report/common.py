"""Wording shared by the text and Markdown reports, so both say the same thing."""

from __future__ import annotations

from ..records import DateMention, EvidenceFinding, PartJudgement, SourceRef

VERDICT_LABEL = {
    "supported": "SUPPORTED",
    "partially_supported": "PARTLY SUPPORTED",
    "contradicted": "CONTRADICTED",
    "not_addressed": "NOT ADDRESSED",
    "no_evidence": "NO EVIDENCE",
}
QUOTE_LABEL = {
    "exact": "found verbatim",
    "normalized": "found (typography normalised)",
    "elided": "found with an ellipsis",
    "drift": "MISQUOTED",
    "absent": "NOT FOUND",
    "source_missing": "source not in library",
    "wrong_source": "found in another source",
}


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
        return f"{mark} {text}: not in the evidence"
    words = short(p.evidence.text, 140)
    if p.verdict == "contradicted":
        return f"{mark} {text} \u2190 contradicted by \u201c{words}\u201d"
    return f"{mark} {text} \u2190 \u201c{words}\u201d"


def page_note(e: EvidenceFinding) -> str:
    """"cited p. 45, found on p. 47" / "cited p. 45" / "found on p. 47": both pages where known."""
    loc = e.evidence.citation.locator if e.evidence.citation else None
    found = e.match.location.page if e.match.location else None
    parts = ([f"cited {loc.label()}"] if loc else []) + ([f"found on p. {found}"] if found else [])
    return ", ".join(parts)


def date_line(d: DateMention) -> str:
    mark = "consistent" if not d.problems else "PROBLEM"
    if not d.gregorian and not d.julian:
        return f"\u201c{d.text}\u201d: no year given, not placed"
    g = d.gregorian.isoformat() if d.gregorian else "?"
    j = d.julian.isoformat() if d.julian else d.julian_text or "?"
    notes = "".join(f"; {n}" for n in d.notes)
    return f"\u201c{d.text}\u201d = {g} (N.S.) / {j} (O.S.), {d.precision}: {mark}{notes}"


def short(text: str, n: int = 160) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "\u2026"
