"""Counts and groupings every report format shows the same way: the summary line, repeated problems.

Counting lives here, once, so that the terminal, Markdown, JSON and HTML reports cannot disagree
about how many errors a document has.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..problems import PROBLEMS
from ..records import Finding, ProblemCode, Report, Severity

ABOUT_SOURCES = {ProblemCode.SOURCE_NOT_IN_LIBRARY, ProblemCode.UNKNOWN_CITATION_KEY}


@dataclass
class Summary:
    """Problems by severity and by code (each claim's problems, after one claim's repeats are merged)."""

    claims: int
    fine: int  # claims without any error or warning
    by_severity: dict[str, int] = field(default_factory=dict)
    by_code: dict[str, int] = field(default_factory=dict)
    codes_by_severity: dict[str, dict[str, int]] = field(default_factory=dict)
    ignored: int = 0  # problems accepted by an inline comment, not counted above
    baselined: int = 0  # problems accepted by the baseline file, not counted above


@dataclass
class Repeated:
    """One problem (same code, same words) that several claims share: said once, with where."""

    code: ProblemCode
    severity: Severity
    message: str
    claims: list[int | str]  # claim ids, as the document gives them


def summarize(findings: list[Finding]) -> Summary:
    s = Summary(claims=len(findings), fine=sum(1 for f in findings if not f.problems))
    for sev in Severity:
        s.by_severity[str(sev)] = 0
        s.codes_by_severity[str(sev)] = {}
    for f in findings:
        for p in f.problems:
            s.by_severity[str(p.severity)] += 1
            s.by_code[str(p.code)] = s.by_code.get(str(p.code), 0) + 1
            per = s.codes_by_severity[str(p.severity)]
            per[str(p.code)] = per.get(str(p.code), 0) + 1
    return s


def summarize_report(report: Report) -> Summary:
    """The report's summary: its findings' counts, plus the fine claims -q left out and the accepted problems.

    Every format summarizes a report through this, so ``-q`` says as many claims fine as a run without it.
    """
    s = summarize(report.findings)
    s.claims += report.omitted
    s.fine += report.omitted
    s.ignored, s.baselined = report.ignored, report.baselined
    return s


def _plural(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def summary_line(s: Summary, sep: str = " \u00b7 ") -> str:
    """``2 errors (1 misquotation, 1 contradicted claim) · 4 warnings (...) · 3 claims fine``, as pytest counts."""
    parts = []
    for sev, (one, many) in ((Severity.ERROR, ("error", "errors")), (Severity.WARNING, ("warning", "warnings"))):
        n = s.by_severity.get(str(sev), 0)
        if not n:
            continue
        kinds = ", ".join(_plural(k, *PROBLEMS[ProblemCode(code)].noun) for code, k in sorted(
            s.codes_by_severity[str(sev)].items(), key=lambda kv: list(ProblemCode).index(ProblemCode(kv[0]))))
        parts.append(f"{_plural(n, one, many)} ({kinds})")
    parts.append(_plural(s.fine, "claim fine", "claims fine"))
    parts += [f"{n} {what}" for n, what in ((s.ignored, "ignored"), (s.baselined, "baselined")) if n]
    return sep.join(parts)


def overall_line(reports: list[Report]) -> str:
    """The closing line of a report on several documents: ``2 documents: 3 errors (...) · 5 claims fine``."""
    every = summarize([f for r in reports for f in r.findings])
    for r in reports:
        every.claims, every.fine = every.claims + r.omitted, every.fine + r.omitted
        every.ignored, every.baselined = every.ignored + r.ignored, every.baselined + r.baselined
    return f"{len(reports)} documents: {summary_line(every)}"


def repeated(findings: list[Finding]) -> list[Repeated]:
    """Problems about a quotation or a citation said in more than one claim, in the order they first appear.

    Only those (the same missing source, say): a claim-level message such as "the evidence
    contradicts the claim" is about each claim on its own, and grouping it would hide which.
    """
    groups: dict[tuple[str, str], Repeated] = {}
    for f in findings:
        for p in f.problems:
            if p.evidence is None and p.code not in ABOUT_SOURCES:
                continue
            key = (str(p.code), p.message)
            g = groups.setdefault(key, Repeated(p.code, p.severity, p.message, []))
            if f.claim.id not in g.claims:
                g.claims.append(f.claim.id)
    return [g for g in groups.values() if len(g.claims) > 1]
