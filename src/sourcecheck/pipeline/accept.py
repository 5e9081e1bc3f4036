"""Which problems a report shows: codes selected or ignored, and findings accepted after review.

Three steps, in this order, each after the checker has found every problem (so a verdict is never
changed, only which of its problems count):

1. ``--select`` / ``--ignore`` (and the settings ``select`` / ``ignore``): codes left out are not
   reported and not counted, as a rule turned off in ruff. It prevents the false alarm of a kind
   of problem a project has decided it does not check (``no_evidence`` in an essay of opinions).
2. An inline ``<!-- sourcecheck: ignore[code] -->`` (document/directives.py): the problems it
   accepts are counted in the summary's ``ignored``.
3. A baseline file (pipeline/baseline.py): problems it lists are counted in ``baselined``.

Invariant: a problem left out in any step is gone from ``Finding.problems`` (and from the
``date_problems`` / ``citation_problems`` lists that repeat its message), so the severity that
``--fail-on`` counts, every format's lines and the summary agree; a finding whose problems are all
gone is a claim without problems ("fine"), its verdict unchanged.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from ..document.directives import problem_code
from ..records import Document, Finding, Problem, ProblemCode, Report

DATE_CODES = {ProblemCode.DATE_WRONG, ProblemCode.DATE_CONFLICT}


@dataclass(frozen=True)
class Selection:
    """The codes a run reports: ``select`` (None: every code) minus ``ignore``."""

    select: frozenset[str] | None = None
    ignore: frozenset[str] = frozenset()

    @classmethod
    def of(cls, select: Iterable[str] | None, ignore: Iterable[str] | None, where: str | None = None) -> Selection:
        """From names as given (``--select a,b`` or a settings list); an unknown code is an InputError."""
        def codes(names: Iterable[str]) -> frozenset[str]:
            return frozenset(problem_code(n, where) for item in names for n in item.split(",") if n.strip())

        return cls(None if select is None else codes(select), codes(ignore or ()))

    def reports(self, code: str) -> bool:
        return (self.select is None or code in self.select) and code not in self.ignore

    @property
    def everything(self) -> bool:
        return self.select is None and not self.ignore


def without(f: Finding, keep: Callable[[Problem], bool]) -> tuple[Finding, int]:
    """``f`` with only the problems ``keep`` says yes to, and how many went."""
    kept = [p for p in f.problems if keep(p)]
    if len(kept) == len(f.problems):
        return f, 0
    dates = {p.message for p in kept if p.code in DATE_CODES}
    cites = {p.message for p in kept if p.code == ProblemCode.UNKNOWN_CITATION_KEY}
    return dataclasses.replace(f, problems=kept, date_problems=[m for m in f.date_problems if m in dates],
                               citation_problems=[m for m in f.citation_problems if m in cites]), \
        len(f.problems) - len(kept)


def select(report: Report, selection: Selection) -> Report:
    """Step 1: codes the run does not report left out, and not counted anywhere."""
    if selection.everything:
        return report
    findings = [without(f, lambda p: selection.reports(str(p.code)))[0] for f in report.findings]
    return dataclasses.replace(report, findings=findings)


def problem_line(f: Finding, p: Problem) -> int:
    """The line a problem is reported at: its quotation's, else its claim's (as report/issues.py puts it)."""
    if p.evidence is not None and p.evidence < len(f.claim.evidence):
        return f.claim.evidence[p.evidence].line or f.claim.line
    return f.claim.line


def accept_inline(report: Report, doc: Document) -> Report:
    """Step 2: problems an ignore comment on their claim's line, or their quotation's, accepts."""
    if not doc.ignores:
        return report

    def accepted(f: Finding, p: Problem) -> bool:
        for line in {f.claim.line, problem_line(f, p)}:
            codes = doc.ignores.get(line)
            if codes is not None and (not codes or str(p.code) in codes):
                return True
        return False

    def keeper(f: Finding) -> Callable[[Problem], bool]:
        return lambda p: not accepted(f, p)

    findings, n = [], 0
    for f in report.findings:
        g, gone = without(f, keeper(f))
        findings.append(g)
        n += gone
    return dataclasses.replace(report, findings=findings, ignored=report.ignored + n)
