"""A judge for pipeline tests: records in, records out, decided by a small rule table, no model.

Tests of ``check``, the reports and ``cite`` are about the pipeline (which quotation is judged,
how a verdict becomes a problem, how a report shows parts), not about the model; with this judge
they run in milliseconds and their verdicts are written in the test, so a retrained model cannot
move them. The real-model tests stay where the model is what is tested.

Each part of the claim (decompose.py, the same rules as the shipped judge) is decided by the first
:class:`Rule` whose words are in the part and whose words are in the evidence; a part no rule
decides is supported when every content word of it is in the evidence (``lexical=True``, the
default), else not addressed. The claim's verdict follows from its parts by ``claim_verdict``, as
for the shipped judge. Every call is recorded in ``calls`` so a test can see what was asked.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from ..records import Judgement, PartEvidence, PartJudgement, Verdict
from .decompose import clean_claim, decompose_parts
from .windows import content_words, stem

SCORES = {Verdict.SUPPORTED: (0.9, 0.05), Verdict.CONTRADICTED: (0.05, 0.9), Verdict.NOT_ADDRESSED: (0.1, 0.05)}


@dataclass(frozen=True)
class Rule:
    """``verdict`` for a part that contains ``claim`` and whose evidence contains ``evidence``
    (case-insensitive substrings; an empty one matches anything)."""

    claim: str = ""
    evidence: str = ""
    verdict: str = "supported"


def _text(evidence: str | Sequence[str]) -> list[str]:
    return [evidence] if isinstance(evidence, str) else [e for e in evidence]


@dataclass
class FakeJudge:
    """Implements the ``Judge`` protocol (``judge`` and ``judge_many``) by the rule table."""

    rules: Sequence[Rule] = ()
    lexical: bool = True
    name: str = "fake (rule table)"
    t_support_precise: float = 0.85  # a rule's "supported" (0.9) is precise; cite's tests set it higher to refuse
    calls: list[tuple[str, str | Sequence[str]]] = field(default_factory=list)

    def judge(self, claim: str, evidence: str | Sequence[str]) -> Judgement:
        self.calls.append((claim, evidence))
        pieces = _text(evidence)
        parts = [self._part(p.text, p.kind, pieces) for p in decompose_parts(clean_claim(claim))]
        verdict = Verdict(claim_verdict_of(parts))
        support = min((p.support for p in parts), default=0.0)
        contradiction = max((p.contradiction for p in parts), default=0.0)
        joined = " ".join(pieces).lower()
        uncovered = [w for p in parts if p.verdict != Verdict.SUPPORTED for w in content_words(p.text)
                     if w.lower() not in joined]
        best = next((p.evidence.text for p in parts if p.evidence and p.verdict == Verdict.SUPPORTED), None)
        return Judgement(verdict, support, contradiction, uncovered=list(dict.fromkeys(uncovered)),
                         best_span=best, parts=parts)

    def judge_many(self, claim: str, evidences: Sequence[str | Sequence[str]]) -> list[Judgement]:
        return [self.judge(claim, e) for e in evidences]

    def _part(self, text: str, kind: str, pieces: list[str]) -> PartJudgement:
        verdict: Verdict = Verdict.NOT_ADDRESSED
        index: int | None = None
        for rule in self.rules:
            if rule.claim.lower() not in text.lower():
                continue
            hit = next((i for i, e in enumerate(pieces) if rule.evidence.lower() in e.lower()), None)
            if hit is not None:
                verdict, index = Verdict(rule.verdict), hit
                break
        else:
            if self.lexical:
                words = {stem(w.lower()) for w in content_words(text)}
                for i, e in enumerate(pieces):
                    if words and words <= {stem(w.lower()) for w in content_words(e)}:
                        verdict, index = Verdict.SUPPORTED, i
                        break
        sup, con = SCORES[verdict]
        ev = PartEvidence(index, None, None, pieces[index]) if index is not None and verdict != Verdict.NOT_ADDRESSED else None
        return PartJudgement(text, verdict, sup, con, ev, kind)


def claim_verdict_of(parts: Sequence[PartJudgement]) -> str:
    from .judge import claim_verdict

    return claim_verdict([p.verdict for p in parts])
