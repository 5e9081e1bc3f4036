"""The GATE RULE (judge.py ``analyse_gated``, judge/gate.py): what `cite` reads passages through.

`cite` acts only on "supported"; the gated judge stops reading a passage at its first part below the
✓ threshold. These tests hold it to its invariant with the real model: a passage the full reading
supports is supported by the gated one too (the same verdict, the same deciding window, its support
within the model's batch noise), a ``provisional`` judgement is never "supported", and the gate does
save model work (fewer pairs read) on passages that support nothing.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import needs_model
from sourcecheck.judge.gate import GatedJudge, gated
from sourcecheck.records import Claim, Evidence, Verdict

CLAIM = "Lenin returned to Petrograd in April 1917, and the Petrograd Soviet was led by Trotsky."
EVIDENCES: list[str | list[str]] = [
    "Lenin returned to Petrograd in April 1917. The Petrograd Soviet was led by Trotsky.",
    "Lenin returned to Petrograd in April 1917 on a sealed train from Switzerland.",
    "The harvest of 1913 was the largest the Russian Empire ever had.",
    ["Lenin returned to Petrograd in April 1917.", "By then the Petrograd Soviet was led by Trotsky."],
]
BATCH_NOISE = 0.02  # the int8 model scales its activations per batch: a pair read in another batch moves this much


@pytest.fixture(scope="module")
def judge():
    from sourcecheck.judge import get_judge

    return get_judge()


class Counting:
    """The model with a count of the pairs it is asked to read (the real model does the reading)."""

    def __init__(self, model):
        self.model, self.pairs = model, 0

    def __getattr__(self, name):
        return getattr(self.model, name)

    def predict(self, pairs, batch=32, max_len=None):
        self.pairs += len(pairs)
        return self.model.predict(pairs, batch, max_len)


@needs_model
def test_gated_supports_what_the_full_reading_supports(judge) -> None:
    full = judge.judge_many(CLAIM, EVIDENCES)
    gate = judge.judge_many_gated(CLAIM, EVIDENCES)
    assert [j.verdict for j in full].count(Verdict.SUPPORTED) == 2  # the two that state both facts
    for f, g in zip(full, gate):
        if f.verdict == Verdict.SUPPORTED:
            assert g.verdict == Verdict.SUPPORTED and not g.provisional
            assert g.best_span == f.best_span and abs(g.support - f.support) <= BATCH_NOISE
        if g.provisional:
            assert g.verdict != Verdict.SUPPORTED and f.verdict != Verdict.SUPPORTED
            assert len(g.parts) == 1 and "not read" in g.parts[0].note
        else:
            assert g.verdict == f.verdict
    # the unrelated harvest and the passage without Trotsky are ruled out before the end
    assert gate[1].provisional and gate[2].provisional


@needs_model
def test_gate_reads_fewer_pairs(judge, monkeypatch) -> None:
    counting = Counting(judge.model)
    monkeypatch.setattr(judge, "model", counting)
    judge.judge_many(CLAIM, EVIDENCES[1:3])
    full = counting.pairs
    counting.pairs = 0
    judge.judge_many_gated(CLAIM, EVIDENCES[1:3])
    assert 0 < counting.pairs < full


@needs_model
def test_gated_wrapper_and_the_checker(judge, demo_library: Path) -> None:
    """Through the Checker as `cite` uses it: quotations judged together only, the verdict unchanged."""
    from sourcecheck.library import Library
    from sourcecheck.pipeline.check import Checker

    quotes = ["Lenin returned to Petrograd in April 1917.", "By then the Petrograd Soviet was led by Trotsky."]
    claim = Claim(1, CLAIM, 1, [Evidence(q, None, 2 + i) for i, q in enumerate(quotes)])
    with Library(demo_library) as lib:
        checker = Checker(lib, judge)
        reported = checker.check_claim(claim)
        checker.judge, checker.judge_each_quotation = gated(checker.judge), False
        assert isinstance(checker.judge, GatedJudge) and gated(checker.judge) is checker.judge
        for_cite = checker.check_claim(claim)
    assert reported.verdict == for_cite.verdict == Verdict.SUPPORTED
    assert all(e.judgement is not None for e in reported.evidence)
    assert all(e.judgement is None for e in for_cite.evidence)  # each alone: not judged for cite
