"""A judge for callers that act only on a "supported" verdict (`cite`): the GATE RULE of judge.py.

`cite` proposes a passage only when the judge calls it supported (judge/precision.py), and most of the
passages it asks about support nothing; reading every part of the claim against each of them cost
about 2 s a claim. A part whose support is below the ✓ threshold settles that the claim is not
supported, so the judge stops reading that passage there (``judge_many_gated``).

INVARIANT: every judgement this judge gives as "supported" (or as anything not ``provisional``) is the
one the wrapped judge gives, up to the model's batch noise (its int8 activations are scaled per batch, so
a pair read in another batch moves by about 0.01 of support); a ``provisional`` one is never "supported". A judge without the gated
reading (an LLM, the rule-table judge of the tests), or a claim too long to read whole, is judged in full.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ..records import Judgement
from .longclaim import WindowedJudge

__all__ = ["GatedJudge", "gated"]


class GatedJudge:
    """``judge_many`` through the GATE RULE where the wrapped judge has it; everything else is its own."""

    def __init__(self, judge: Any):
        self.inner = judge

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)

    def judge(self, claim: str, evidence: str | Sequence[str]) -> Judgement:
        return self.judge_many(claim, [evidence])[0]

    def judge_many(self, claim: str, evidences: Sequence[str | Sequence[str]]) -> list[Judgement]:
        base = self.inner.inner if isinstance(self.inner, WindowedJudge) else self.inner
        gated_many = getattr(base, "judge_many_gated", None)
        if gated_many is None or (isinstance(self.inner, WindowedJudge) and not self.inner.fits(claim)):
            return list(self.inner.judge_many(claim, evidences))
        return list(gated_many(claim, evidences))


def gated(judge: Any) -> Any:
    """``judge`` behind the GATE RULE (a judge already gated is returned as it is)."""
    return judge if isinstance(judge, GatedJudge) else GatedJudge(judge)
