"""The terminal report: summary, problems said once, then one block per claim headed by its worst problem."""

from __future__ import annotations

from collections.abc import Sequence

from ..records import Report, Severity
from ..text import escape_controls
from .common import QUOTE_LABEL, VERDICT_LABEL, date_line, headline, page_note, part_line, short, show_parts, source_name, where
from .registry import WriteOptions, Writer
from .summary import overall_line, repeated, summarize_report, summary_line

COLOURS = {Severity.ERROR: "31", Severity.WARNING: "33", None: "32"}


def one_after_another(reports: Sequence[Report], outputs: list[str]) -> str:
    """Several documents: each report in turn, then one line for all of them."""
    return "\n".join(outputs) + f"\nAll: {overall_line(list(reports))}\n"


def report_to_text(report: Report, options: WriteOptions = WriteOptions()) -> str:
    def c(text: str, sev: Severity | None) -> str:
        # Sentinels, not ESC, until the user's text is escaped: only our own colours reach the terminal raw.
        return f"\ue000{COLOURS[sev]}m{text}\ue0000m" if options.colour else text

    summary = summary_line(summarize_report(report))
    out = [f"sourcecheck: {report.document} against {report.library}", f"judge: {report.judge}", "",
           f"Summary: {summary}", ""]
    shared = repeated(report.findings)
    said = {(str(g.code), g.message): g for g in shared}
    if shared:
        out.append("Problems shared by several claims (said once here):")
        for g in shared:
            out.append(f"  - {c(str(g.severity), g.severity)} {g.code}: {g.message} "
                       f"({len(g.claims)} claims: {', '.join(map(str, g.claims))})")
        out.append("")
    for f in report.findings:
        cl = f.claim
        unit = "paragraph" if report.document.lower().endswith(".docx") else "line"  # a Word file has no lines
        out.append(f"Claim {cl.id} ({unit} {cl.line}): {c(headline(f), f.severity)}"
                   + (f"  support {f.support:.2f}, contradiction {f.contradiction:.2f}" if f.evidence else ""))
        out.append(f"  {short(cl.text, 300)}")
        if show_parts(f):
            out += [f"    {part_line(p)}" for p in f.parts]
        for p in f.problems:
            group = said.get((str(p.code), p.message))
            text = f"{p.code} (shared by claims {', '.join(map(str, group.claims))}, said above)" if group else p.message
            out.append(f"  {c(str(p.severity), p.severity)}: {text}")
        for i, e in enumerate(f.evidence, 1):
            label = QUOTE_LABEL[e.match.status]
            out.append(f"  [{i}] \u201c{short(e.evidence.quote, 110)}\u201d" + (f" ({e.evidence.where})" if e.evidence.where else ""))
            out.append(f"      cited: {e.evidence.citation.raw if e.evidence.citation else '-'}"
                       + (f" ({page_note(e)})" if page_note(e) else ""))
            out.append(f"      quotation: {label}" + (f" in {where(e)}" if where(e) else ""))
            if e.judgement:
                out.append(f"      evidence: {VERDICT_LABEL[e.judgement.verdict].lower()} "
                           f"(support {e.judgement.support:.2f}, contradiction {e.judgement.contradiction:.2f})")
        for d in f.dates:
            out.append(f"  date: {date_line(d)}")
        for s in f.suggestions:
            out.append(f"  suggested: \u201c{short(s.text, 200)}\u201d - {source_name(s.source)}"
                       f" (line {s.location.line}, support {s.support:.2f})")
        out.append("")
    # The summary is said once, at the top: said again here it only repeated itself under a long report.
    out += timeline_section(report, options.quiet)
    return escape_controls("\n".join(out)).replace("\ue000", "\x1b[") + "\n"


def timeline_section(report: Report, quiet: bool = False) -> list[str]:
    """Every dated claim on one timeline in both calendars (issue 5), after the claims.

    None at all for a document without a placed date (a table of nothing), and no list of the undated
    claims under -q (it named every claim with a problem again) or where no claim has a date.
    """
    from ..dates.timeline import timeline_from_findings, timeline_text

    tl = timeline_from_findings(report.findings)
    if not tl.dated:
        return []
    return ["Timeline:"] + [f"  {line}" if line else "" for line in timeline_text(tl, undated=not quiet)]


WRITER = Writer("text", report_to_text, suffix=".txt", media_type="text/plain; charset=utf-8", description="for a terminal (default)",
          combine=one_after_another)
