"""The Markdown report: the summary, a table headed by each claim's worst problem, a section per claim."""

from __future__ import annotations

from collections.abc import Sequence

from ..quotes.diff import render_diff
from ..records import QuoteStatus, Report
from ..text import escape_controls
from .common import QUOTE_LABEL, VERDICT_LABEL, date_line, headline, page_note, part_line, short, show_parts, source_name, where
from .registry import WriteOptions, Writer
from .summary import overall_line, repeated, summarize_report, summary_line


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def one_after_another(reports: Sequence[Report], outputs: list[str]) -> str:
    """Several documents: each report in turn, then one line for all of them."""
    return "\n".join(outputs) + f"\n**All:** {overall_line(list(reports))}\n"


def report_to_markdown(report: Report, options: WriteOptions = WriteOptions()) -> str:
    out = [f"# sourcecheck report: `{report.document}`", "", f"Library: `{report.library}`; judge: {report.judge}.", "",
           f"**Summary:** {summary_line(summarize_report(report))}", ""]
    shared = repeated(report.findings)
    if shared:
        out += ["Problems shared by several claims:", ""]
        out += [f"- **{g.severity}** `{g.code}`: {g.message} (claims {', '.join(map(str, g.claims))})" for g in shared]
        out.append("")
    out += ["| # | line | claim | heading | support | errors | warnings |", "|---|---|---|---|---|---|---|"]
    for f in report.findings:
        n_err = sum(1 for p in f.problems if p.severity == "error")
        out.append(f"| {f.claim.id} | {f.claim.line} | {_cell(short(f.claim.text, 80))} | {headline(f)} "
                   f"| {f.support:.2f} | {n_err} | {len(f.problems) - n_err} |")
    for f in report.findings:
        out += ["", f"## Claim {f.claim.id} (line {f.claim.line}): {headline(f)}", "", f"> {f.claim.text}", ""]
        if f.problems:
            out += [f"- **{p.severity}** `{p.code}`: {p.message}" for p in f.problems] + [""]
        if show_parts(f):
            out += ["Part by part:", ""] + [f"- {_cell(part_line(p))}" for p in f.parts] + [""]
        for i, e in enumerate(f.evidence, 1):
            cite = e.evidence.citation.raw if e.evidence.citation else "no citation"
            cite += f"; {page_note(e)}" if page_note(e) else ""
            loc = f" in {where(e)}" if where(e) else ""
            verdict = f"; evidence {VERDICT_LABEL[e.judgement.verdict].lower()} (support {e.judgement.support:.2f})" if e.judgement else ""
            out.append(f"{i}. \u201c{short(e.evidence.quote, 200)}\u201d ({cite}): **{QUOTE_LABEL[e.match.status]}**{loc}{verdict}")
            if e.match.status == QuoteStatus.DRIFT and e.match.diff:
                out.append(f"   - diff: `{render_diff(e.match.diff)}`")
        if f.dates:
            out.append("")
            out += [f"- Date {date_line(d)}" for d in f.dates]
        if f.suggestions:
            out += ["", "Suggested evidence from the library:", ""]
            out += [f"- `{s.text}` - {source_name(s.source)} (line {s.location.line}, support {s.support:.2f})"
                    for s in f.suggestions]
    out += timeline_section(report, options.quiet)
    # Our Markdown holds no HTML of its own, so every "<" and "&" is escaped: a document's or a
    # source's <script> or <img onerror> must not run where the report is pasted ("> " quotes stay).
    return escape_controls("\n".join(out).replace("&", "&amp;").replace("<", "&lt;")) + "\n"


def timeline_section(report: Report, quiet: bool = False) -> list[str]:
    """Every dated claim on one timeline in both calendars (issue 5), as the last section; as in the
    text report, none without a placed date and no list of undated claims under -q."""
    from ..dates.timeline import timeline_from_findings, timeline_markdown

    tl = timeline_from_findings(report.findings)
    if not tl.dated:
        return []
    return ["", "## Timeline", ""] + timeline_markdown(tl, undated=not quiet)


WRITER = Writer("md", report_to_markdown, suffix=".md", media_type="text/markdown; charset=utf-8", description="pastes into a wiki or PR",
          combine=one_after_another)
