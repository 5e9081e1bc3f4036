"""The Markdown report: a summary table, then a section per claim (pastes into a wiki or PR)."""

from __future__ import annotations

from ..quotes.diff import render_diff
from ..records import Report
from ..text import escape_controls
from .common import QUOTE_LABEL, VERDICT_LABEL, date_line, page_note, part_line, short, where
from .text import source_name_dict


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def report_to_markdown(report: Report) -> str:
    out = [f"# sourcecheck report: `{report.document}`", "", f"Library: `{report.library}`; judge: {report.judge}.", "",
           "| # | line | claim | verdict | support | problems |", "|---|---|---|---|---|---|"]
    for f in report.findings:
        out.append(f"| {f.claim.id} | {f.claim.line} | {_cell(short(f.claim.text, 80))} | {VERDICT_LABEL[f.verdict]} "
                   f"| {f.support:.2f} | {len(f.problems)} |")
    for f in report.findings:
        out += ["", f"## Claim {f.claim.id} (line {f.claim.line}): {VERDICT_LABEL[f.verdict]}", "", f"> {f.claim.text}", ""]
        if len(f.parts) > 1 or any(p.verdict != "supported" for p in f.parts):
            out += ["Part by part:", ""] + [f"- {_cell(part_line(p))}" for p in f.parts] + [""]
        for i, e in enumerate(f.evidence, 1):
            cite = e.evidence.citation.raw if e.evidence.citation else "no citation"
            cite += f"; {page_note(e)}" if page_note(e) else ""
            loc = f" in {where(e)}" if where(e) else ""
            verdict = f"; evidence {VERDICT_LABEL[e.judgement.verdict].lower()} (support {e.judgement.support:.2f})" if e.judgement else ""
            out.append(f"{i}. \u201c{short(e.evidence.quote, 200)}\u201d ({cite}): **{QUOTE_LABEL[e.match.status]}**{loc}{verdict}")
            if e.match.status == "drift" and e.match.diff:
                out.append(f"   - diff: `{render_diff(e.match.diff)}`")
        if f.dates:
            out.append("")
            out += [f"- Date {date_line(d)}" for d in f.dates]
        if f.problems:
            out += ["", "Problems:", ""] + [f"- {p}" for p in f.problems]
        if f.suggestions:
            out += ["", "Suggested evidence from the library:", ""]
            out += [f"- `{s['quote']}` - {source_name_dict(s['source'])} (line {s['location']['line']}, "
                    f"support {s['support']:.2f})" for s in f.suggestions]
    out += timeline_section(report)
    # Our Markdown holds no HTML of its own, so every "<" and "&" is escaped: a document's or a
    # source's <script> or <img onerror> must not run where the report is pasted ("> " quotes stay).
    return escape_controls("\n".join(out).replace("&", "&amp;").replace("<", "&lt;")) + "\n"


def timeline_section(report: Report) -> list[str]:
    """Every claim on one timeline in both calendars (issue 5), as the last section."""
    from ..dates.timeline import timeline_from_findings, timeline_markdown

    return ["", "## Timeline", ""] + timeline_markdown(timeline_from_findings(report.findings))
