"""The terminal report: one block per claim; colour only when writing to a terminal."""

from __future__ import annotations

from ..records import Report
from ..text import escape_controls
from .common import QUOTE_LABEL, VERDICT_LABEL, date_line, page_note, part_line, short, where

COLOURS = {"supported": "32", "partially_supported": "33", "contradicted": "31", "not_addressed": "33",
           "no_evidence": "35", "MISQUOTED": "31", "NOT FOUND": "31"}


def report_to_text(report: Report, colour: bool = False) -> str:
    def c(text: str, key: str) -> str:
        code = COLOURS.get(key)
        # Sentinels, not ESC, until the user's text is escaped: only our own colours reach the terminal raw.
        return f"\ue000{code}m{text}\ue0000m" if colour and code else text

    out = [f"sourcecheck: {report.document} against {report.library}", f"judge: {report.judge}", ""]
    for f in report.findings:
        cl = f.claim
        out.append(f"Claim {cl.id} (line {cl.line}): {c(VERDICT_LABEL[f.verdict], f.verdict)}"
                   + (f"  support {f.support:.2f}, contradiction {f.contradiction:.2f}" if f.evidence else ""))
        out.append(f"  {short(cl.text, 300)}")
        if len(f.parts) > 1 or any(p.verdict != "supported" for p in f.parts):
            out += [f"    {part_line(p)}" for p in f.parts]
        for i, e in enumerate(f.evidence, 1):
            label = QUOTE_LABEL[e.match.status]
            out.append(f"  [{i}] \u201c{short(e.evidence.quote, 110)}\u201d")
            out.append(f"      cited: {e.evidence.citation.raw if e.evidence.citation else '-'}"
                       + (f" ({page_note(e)})" if page_note(e) else ""))
            out.append(f"      quotation: {c(label, label)}" + (f" in {where(e)}" if where(e) else ""))
            if e.judgement:
                out.append(f"      evidence: {VERDICT_LABEL[e.judgement.verdict].lower()} "
                           f"(support {e.judgement.support:.2f}, contradiction {e.judgement.contradiction:.2f})")
        for d in f.dates:
            out.append(f"  date: {date_line(d)}")
        for p in f.problems:
            out.append(f"  - {p}")
        for s in f.suggestions:
            out.append(f"  suggested: \u201c{short(s['quote'], 200)}\u201d - {source_name_dict(s['source'])}"
                       f" (line {s['location']['line']}, support {s['support']:.2f})")
        out.append("")
    counts: dict[str, int] = {}
    for f in report.findings:
        counts[f.verdict] = counts.get(f.verdict, 0) + 1
    out.append("Summary: " + ", ".join(f"{n} {VERDICT_LABEL[v].lower()}" for v, n in counts.items()))
    out += timeline_section(report)
    return escape_controls("\n".join(out)).replace("\ue000", "\x1b[") + "\n"


def source_name_dict(src: dict | None) -> str:
    if not src:
        return "-"
    return ", ".join(str(x) for x in (src.get("title"), src.get("author"), src.get("year")) if x)


def timeline_section(report: Report) -> list[str]:
    """Every claim on one timeline in both calendars (issue 5), after the summary."""
    from ..dates.timeline import timeline_from_findings, timeline_text

    return ["", "Timeline:"] + ["  " + line for line in timeline_text(timeline_from_findings(report.findings))]
