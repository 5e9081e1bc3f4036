"""One table of problem codes: each row says a code's severity, heading, noun and rule.

Every format reads these rows (the text heading, the summary's counts, SARIF's rule list, the
severity that --fail-on counts), so a new kind of problem is one row here and one ``ProblemCode``.
Rows are in the order reports list problems: errors first, each kind before the next.

Severity is the public contract: a drifted or misattributed quotation is an error even when the
judge calls the claim supported, since otherwise a claim headed SUPPORTED would hide that its
evidence was misquoted.
"""

from __future__ import annotations

from dataclasses import dataclass

from .records import ProblemCode, Severity


@dataclass(frozen=True)
class ProblemKind:
    code: ProblemCode
    severity: Severity
    heading: str  # a claim's heading names its worst problem with these words
    noun: tuple[str, str]  # singular and plural, for the summary's counts (as pytest counts)
    rule: str  # one sentence: what the problem means (SARIF's shortDescription, the README's table)


E, W = Severity.ERROR, Severity.WARNING
_ROWS = (
    ProblemKind(ProblemCode.MISQUOTED, E, "MISQUOTED", ("misquotation", "misquotations"),
                "The quotation is near a passage of the cited source, but words differ."),
    ProblemKind(ProblemCode.QUOTE_NOT_FOUND, E, "QUOTATION NOT FOUND", ("quotation not found", "quotations not found"),
                "The quotation is in no source of the library."),
    ProblemKind(ProblemCode.WRONG_SOURCE, E, "WRONG SOURCE",
                ("quotation from another source", "quotations from another source"),
                "The quotation is in another source than the one cited."),
    ProblemKind(ProblemCode.CONTRADICTED, E, "CONTRADICTED", ("contradicted claim", "contradicted claims"),
                "The evidence contradicts the claim."),
    ProblemKind(ProblemCode.DATE_WRONG, E, "DATE WRONG", ("wrong date", "wrong dates"),
                "A date is wrong in itself (no such day, dual-date halves that disagree)."),
    ProblemKind(ProblemCode.DATE_CONFLICT, E, "DATES DISAGREE", ("date conflict", "date conflicts"),
                "A date disagrees with another date."),
    ProblemKind(ProblemCode.UNKNOWN_CITATION_KEY, E, "UNKNOWN CITATION KEY",
                ("unknown citation key", "unknown citation keys"), "The citation key is in no bibliography given."),
    ProblemKind(ProblemCode.SOURCE_NOT_IN_LIBRARY, W, "SOURCE NOT IN LIBRARY",
                ("source not in library", "sources not in library"), "The cited source is not in the library."),
    ProblemKind(ProblemCode.PAGE_MISMATCH, W, "WRONG PAGE",
                ("quotation on another page", "quotations on another page"),
                "The quotation is on another page than the one cited."),
    ProblemKind(ProblemCode.WRONG_SPEAKER, W, "WRONG SPEAKER", ("frame naming another speaker",
                "frames naming another speaker"),
                "The claim says someone said it (\"Lenin wrote that\"), but the quotation is another's."),
    ProblemKind(ProblemCode.CIRCULAR_CITATION, W, "CIRCULAR CITATION", ("ref citing Wikipedia", "refs citing Wikipedia"),
                "A ref in a Wikipedia article cites Wikipedia itself (WP:CIRCULAR)."),
    ProblemKind(ProblemCode.PARTLY_SUPPORTED, W, "PARTLY SUPPORTED", ("partly supported claim", "partly supported claims"),
                "The evidence supports only part of the claim."),
    ProblemKind(ProblemCode.NOT_ADDRESSED, W, "NOT ADDRESSED", ("claim not addressed", "claims not addressed"),
                "The evidence does not address the claim."),
    ProblemKind(ProblemCode.NO_EVIDENCE, W, "NO EVIDENCE", ("claim without evidence", "claims without evidence"),
                "No evidence is given for the claim."),
)
PROBLEMS: dict[ProblemCode, ProblemKind] = {row.code: row for row in _ROWS}
ORDER = {code: i for i, code in enumerate(PROBLEMS)}  # worst first: errors, then warnings, each in table order

missing = set(ProblemCode) - set(PROBLEMS)
if missing:  # a code without a row would have no severity: refuse at import, not in a user's report
    raise RuntimeError(f"problem codes without a row in problems.py: {sorted(missing)}")
