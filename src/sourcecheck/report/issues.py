"""A report as a flat list of problems, each on one line of one document: what the CI formats show.

GitHub annotations, SARIF and JUnit all point at one line of one file per problem, so a problem
about a quotation points at the quotation's own line rather than its claim's. The rule of each is
its problem code (records.ProblemCode), the one name the JSON report and the README use too.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..records import Finding, ProblemCode, Report

# What each rule means, for tools that list the rules (SARIF's shortDescription); as the README's table.
RULES = {
    ProblemCode.MISQUOTED: "The quotation is near a passage of the cited source, but words differ.",
    ProblemCode.QUOTE_NOT_FOUND: "The quotation is in no source of the library.",
    ProblemCode.WRONG_SOURCE: "The quotation is in another source than the one cited.",
    ProblemCode.CONTRADICTED: "The evidence contradicts the claim.",
    ProblemCode.DATE_WRONG: "A date is wrong in itself (no such day, dual-date halves that disagree).",
    ProblemCode.DATE_CONFLICT: "A date disagrees with another date.",
    ProblemCode.UNKNOWN_CITATION_KEY: "The citation key is in no bibliography given.",
    ProblemCode.SOURCE_NOT_IN_LIBRARY: "The cited source is not in the library.",
    ProblemCode.PAGE_MISMATCH: "The quotation is on another page than the one cited.",
    ProblemCode.PARTLY_SUPPORTED: "The evidence supports only part of the claim.",
    ProblemCode.NOT_ADDRESSED: "The evidence does not address the claim.",
    ProblemCode.NO_EVIDENCE: "No evidence is given for the claim.",
}


@dataclass(frozen=True)
class Issue:
    document: str
    line: int
    level: str  # "error" | "warning": the problem's severity
    rule: str  # a problem code, a key of RULES
    message: str
    claim: int


def finding_issues(document: str, f: Finding) -> list[Issue]:
    """The finding's problems, worst first, each at the line of the quotation it is about (else the claim's)."""
    out = []
    for p in f.problems:
        line = f.claim.line
        if p.evidence is not None and p.evidence < len(f.claim.evidence):
            line = f.claim.evidence[p.evidence].line or line
        out.append(Issue(document, line, str(p.severity), str(p.code), p.message, f.claim.id))
    return out


def report_issues(report: Report) -> list[Issue]:
    return [i for f in report.findings for i in finding_issues(report.document, f)]
