"""The HTML report: one self-contained file (inline CSS and JS, nothing fetched) to share and print.

Jinja2 renders it with autoescaping on, so every string from a document or a source is escaped
by the template engine rather than by hand at each place it is shown; the view below hands the
template plain values and (text, marked) segments, never markup. A Content-Security-Policy
meta tag allows only this file's own style and script (by hash) and no other request at all.
"""

from __future__ import annotations

import base64
import hashlib
import re
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from importlib import resources
from pathlib import Path

import jinja2

from ..problems import PROBLEMS
from ..records import EvidenceFinding, Finding, QuoteStatus, Report, Verdict
from ..text import shown_words
from .common import QUOTE_LABEL, VERDICT_LABEL, headline, source_name
from .registry import WriteOptions, Writer
from .summary import repeated, summarize_report, summary_line
from .svg import timeline_svg

WORD = re.compile(r"\w+(?:['\u2019]\w+)?")
# Words too common to say anything about which words decided a verdict (highlighting "the" is noise).
MINOR = frozenset("""a an the of and or but in on at to for by with from as is was were are be been being that
this these those it its his her their he she they them we you which who what when where not no so than then
also has have had do did does into over under about after before during one such any all some more most other
can could would should may might will shall must very just only own same""".split())


@dataclass
class Segment:
    text: str
    mark: str = ""  # "" (plain), "decides" (a deciding word), "uncovered" (claim words no evidence covers)


@dataclass
class EvidenceView:
    index: int
    quote: list[Segment]
    context: list[Segment]
    citation: str
    status: str
    status_label: str
    where: list[tuple[str, str]]  # (what, value): source, line, page, section, characters
    diff: list[tuple[str, str, str]]  # (op, quotation words, source words)
    verdict: str
    support: str
    parts: list[tuple[str, str, str]] = field(default_factory=list)  # (part, verdict, deciding words)


@dataclass
class ClaimView:
    id: int | str
    line: int
    severity: str  # "error" | "warning" | "ok"
    headline: str
    text: list[Segment]
    verdict: str
    support: str
    problems: list[tuple[str, str, str, str]]  # (severity, code, label, message)
    evidence: list[EvidenceView]
    dates: list[tuple[str, str, str, bool]]  # (as written, N.S., O.S., has problems)
    suggestions: list[tuple[str, str, str]]  # (passage, source, line)


def segments(text: str, phrases: list[str], words: set[str], mark: str = "decides") -> list[Segment]:
    """``text`` cut into plain and marked runs: whole phrases found in it, then single words."""
    spans: list[tuple[int, int]] = []
    low = text.lower()
    for ph in phrases:
        ph = ph.strip().lower()
        i = low.find(ph) if len(ph) > 3 else -1
        if i >= 0:
            spans.append((i, i + len(ph)))
    for m in WORD.finditer(text):
        if m.group(0).lower() in words and not any(a <= m.start() < b for a, b in spans):
            spans.append((m.start(), m.end()))
    out, pos = [], 0
    for a, b in sorted(spans):
        if a < pos:
            continue
        if a > pos:
            out.append(Segment(text[pos:a]))
        out.append(Segment(text[a:b], mark))
        pos = b
    if pos < len(text):
        out.append(Segment(text[pos:]))
    return out


def content(text: str) -> set[str]:
    return {w.lower() for w in WORD.findall(text) if w.lower() not in MINOR and (len(w) > 2 or w.isdigit())}


def _where(e: EvidenceFinding) -> list[tuple[str, str]]:
    m = e.match
    if m.source is None or m.location is None:
        return []
    out = [("source", source_name(m.source)), ("line", str(m.location.line))]
    if m.location.page:
        out.append(("page", str(m.location.page)))
    elif e.page_note:
        out.append(("page", e.page_note))
    if m.location.section:
        out.append(("chapter", m.location.section))
    return out


def evidence_view(f: Finding, i: int, e: EvidenceFinding) -> EvidenceView:
    """The deciding words: the judge's part-level evidence where it gives it, else the claim's
    content words that the quotation shares (what the judge read), minus the words it found uncovered."""
    j = e.judgement
    parts = [p for p in (j.parts if j else []) if p.evidence is None or p.evidence.index in (None, i)]
    phrases = [p.evidence.text for p in parts if p.evidence and p.evidence.text]
    words = set() if phrases else content(f.claim.text) - {w.lower() for w in f.uncovered}
    if j and j.best_span and not phrases:
        phrases = [j.best_span] if len(j.best_span) < len(e.evidence.quote) else []
    diff = [(d.op, d.quote, d.source) for d in e.match.diff] if e.match.status == QuoteStatus.DRIFT else []
    return EvidenceView(
        i + 1, segments(e.evidence.quote, phrases, words), segments(e.match.context, phrases, words),
        e.evidence.citation.raw if e.evidence.citation else "no citation", str(e.match.status),
        QUOTE_LABEL[e.match.status], _where(e), diff,
        VERDICT_LABEL[j.verdict].lower() if j else "", f"{j.support:.2f}" if j else "",
        [(p.text, str(p.verdict), p.evidence.text if p.evidence else "") for p in parts])


# The verdicts whose problem lists the words "not covered": only there are they underlined (red), so a
# supported or contradicted claim never shows a mark its text report does not explain.
LISTS_UNCOVERED = {Verdict.PARTIALLY_SUPPORTED, Verdict.NOT_ADDRESSED}


def claim_view(f: Finding) -> ClaimView:
    iso = (lambda d: d.isoformat() if d else "?")
    marked = {w.lower() for w in shown_words(f.uncovered)} if f.verdict in LISTS_UNCOVERED else set()
    return ClaimView(
        f.claim.id, f.claim.line, str(f.severity or "ok"), headline(f),
        segments(f.claim.text, [], marked, "uncovered"),
        VERDICT_LABEL[f.verdict], f"{f.support:.2f}",
        [(str(p.severity), str(p.code), PROBLEMS[p.code].heading, p.message) for p in f.problems],
        [evidence_view(f, i, e) for i, e in enumerate(f.evidence)],
        [(d.text, iso(d.gregorian), iso(d.julian), bool(d.problems)) for d in f.dates],
        [(s.text, source_name(s.source), str(s.location.line)) for s in f.suggestions])


def sources_table(report: Report) -> list[tuple[str, str, list[int | str]]]:
    """(source as cited or found, "in library" | "missing", claim ids) for every source the document cites."""
    rows: dict[tuple[str, str], list[int | str]] = {}
    for f in report.findings:
        for e in f.evidence:
            if e.match.status == QuoteStatus.SOURCE_MISSING:
                key = (e.evidence.citation.raw if e.evidence.citation else "-", "missing")
            else:
                key = (source_name(e.match.cited_source or e.match.source), "in library")
            ids = rows.setdefault(key, [])
            if f.claim.id not in ids:
                ids.append(f.claim.id)
    return [(name, state, ids) for (name, state), ids in sorted(rows.items(), key=lambda kv: (kv[0][1], kv[0][0]))]


@lru_cache(maxsize=1)
def _environment() -> jinja2.Environment:
    return jinja2.Environment(loader=jinja2.PackageLoader("sourcecheck.report", "assets"),
                              autoescape=True, undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)


@lru_cache(maxsize=1)
def _assets() -> tuple[str, str]:
    base = resources.files("sourcecheck.report") / "assets"
    return (base / "report.css").read_text(encoding="utf-8"), (base / "report.js").read_text(encoding="utf-8")


def csp_hash(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode() + "'"


def content_security_policy(css: str, js: str) -> str:
    """Nothing from anywhere (default-src 'none'), except this file's own style and script by hash."""
    return (f"default-src 'none'; style-src {csp_hash(css)}; script-src {csp_hash(js)}; img-src data:; "
            "base-uri 'none'; form-action 'none'")


def page_policy() -> str:
    """The report page's own policy, for a server that sends it as a header too (serve)."""
    return content_security_policy(*_assets())


def document_lines(report: Report, options: WriteOptions) -> list[tuple[int, str, int | str | None]]:
    """(line number, text, claim id on that line) for the document's lines, when its text is at hand."""
    text = options.document_text
    if text is None:
        try:
            text = Path(report.document).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            return []
    claim_at = {f.claim.line: f.claim.id for f in report.findings}
    return [(n, line, claim_at.get(n)) for n, line in enumerate(text.splitlines(), 1)]


def report_to_html(report: Report, options: WriteOptions = WriteOptions()) -> str:
    from ..dates.timeline import timeline_from_findings

    css, js = _assets()
    summary = summarize_report(report)
    claims = [claim_view(f) for f in report.findings]
    return _environment().get_template("report.html.j2").render(
        report=report, css=css, js=js, csp=content_security_policy(css, js),
        summary=summary, summary_line=summary_line(summary), claims=claims,
        counts={"error": sum(c.severity == "error" for c in claims),
                "warning": sum(c.severity == "warning" for c in claims), "all": len(claims)},
        repeated=repeated(report.findings), sources=sources_table(report),
        timeline=timeline_svg(timeline_from_findings(report.findings)),
        lines=document_lines(report, options), links=options.links, today=date.today().isoformat())


WRITER = Writer("html", report_to_html, suffix=".html", media_type="text/html; charset=utf-8",
          description="one self-contained page to share or print")
