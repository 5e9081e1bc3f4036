"""A report as a flat list of problems, each on one line of one document: what the CI formats show.

GitHub annotations, SARIF and JUnit all point at one line of one file per problem, so a problem
about a quotation points at the quotation's own line rather than its claim's. The rule of each is
its problem code (records.ProblemCode), the one name the JSON report and the README use too.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..records import Finding, Report


@dataclass(frozen=True)
class Issue:
    document: str
    line: int
    level: str  # "error" | "warning": the problem's severity
    rule: str  # a problem code, a row of problems.PROBLEMS
    message: str
    claim: int | str


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
