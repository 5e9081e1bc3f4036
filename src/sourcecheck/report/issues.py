"""A report as a flat list of problems, each with a line, a level and a rule: what CI formats show.

GitHub annotations, SARIF and JUnit all point at one line of one file per problem, so a claim's
quotation problem points at the quotation's own line rather than the claim's.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from ..records import Finding, Judgement, Report

RULES = {
    "quotation-drift": "The quotation differs from its source.",
    "quotation-absent": "The quotation is in no source of the library.",
    "quotation-wrong-source": "The quotation is in another source than the one cited.",
    "quotation-source-missing": "The cited source is not in the library.",
    "claim-contradicted": "The evidence contradicts the claim.",
    "claim-partially-supported": "The evidence supports only part of the claim.",
    "claim-not-addressed": "The evidence does not address the claim.",
    "claim-no-evidence": "No evidence is given for the claim.",
    "date": "A date is wrong or inconsistent (calendar, conversion, order).",
}


@dataclass(frozen=True)
class Issue:
    document: str
    line: int
    level: str  # "error" | "warning"
    rule: str  # a key of RULES
    message: str
    claim: int


def finding_issues(document: str, f: Finding) -> Iterator[Issue]:
    # check.py imports the judge and numpy: imported here, `--help` stays fast
    from ..check import ERROR_QUOTES, ERROR_VERDICTS, WARNING_QUOTES, WARNING_VERDICTS, quote_problem, verdict_problem

    for e in f.evidence:
        status = e.match.status
        if status in ERROR_QUOTES or status in WARNING_QUOTES:
            text = quote_problem(e.match, e.evidence.citation.raw if e.evidence.citation else "") or status
            yield Issue(document, e.evidence.line or f.claim.line, "error" if status in ERROR_QUOTES else "warning",
                        "quotation-" + status.replace("_", "-"), text[0].upper() + text[1:] + ".", f.claim.id)
    if f.verdict in ERROR_VERDICTS or f.verdict in WARNING_VERDICTS:
        text = verdict_problem(f.verdict, None if f.verdict == "no_evidence" else _judgement(f)) or f.verdict
        yield Issue(document, f.claim.line, "error" if f.verdict in ERROR_VERDICTS else "warning",
                    "claim-" + f.verdict.replace("_", "-"), text[0].upper() + text[1:] + ".", f.claim.id)
    for p in f.date_problems:
        yield Issue(document, f.claim.line, "error", "date", p, f.claim.id)


def _judgement(f: Finding) -> Judgement:
    return Judgement(f.verdict, f.support, f.contradiction, f.uncovered)


def report_issues(report: Report) -> list[Issue]:
    return [i for f in report.findings for i in finding_issues(report.document, f)]
