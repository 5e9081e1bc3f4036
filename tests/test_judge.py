"""The judge: windows over long evidence, decomposition, features, and the trained model's verdicts."""

from __future__ import annotations

import json

import pytest

from conftest import EXAMPLES, MODEL, needs_model
from sourcecheck.judge.decompose import decompose
from sourcecheck.judge.features import agreement
from sourcecheck.judge.judge import decide
from sourcecheck.judge.windows import MAX_WINDOW_CHARS, best_windows, make_windows

NOTES = (EXAMPLES / "sources" / "notes-on-the-october-days.txt").read_text()
GARRISON = (EXAMPLES / "sources" / "the-petrograd-garrison.txt").read_text()


def filler(words: int) -> str:
    """Long evidence about other things: the example sources' sentences, repeated with numbers."""
    base = [s for s in (NOTES + " " + GARRISON).replace("\n", " ").split(". ") if "Kerensky" not in s]
    out, n, i = [], 0, 0
    while n < words:
        s = base[i % len(base)].strip() + f" (note {i})."
        out.append(s)
        n += len(s.split())
        i += 1
    return " ".join(out)


# -- windows: nothing unread, the right ones picked ------------------------------------------

def test_every_sentence_is_in_some_window() -> None:
    sents, wins = make_windows(NOTES)
    covered = {i for w in wins for i in w.sentences}
    assert covered == set(range(len(sents)))
    assert all(len(w.text) <= MAX_WINDOW_CHARS or len(w.sentences) == 1 for w in wins)


def test_sentence_at_the_end_of_20000_words_is_picked() -> None:
    text = filler(20000) + " Kerensky escaped from Petrograd by car on the morning of 25 October to look for loyal troops."
    assert len(text.split()) > 20000
    wins = best_windows("Kerensky left Petrograd by car to find loyal troops.", text, k=4)
    assert "Kerensky escaped" in wins[0].text


# -- decomposition ----------------------------------------------------------------------------

@pytest.mark.parametrize("claim, n", [
    ("The Winter Palace fell on 8 November 1917, and the ministers were arrested.", 2),
    ("The garrison stayed in its barracks; the sailors came from Kronstadt.", 2),
    ("Trotsky chaired the Soviet, which created the Military Revolutionary Committee.", 2),
    ("Kerensky left Petrograd on 25 October.", 1),
])
def test_compound_claims_are_split(claim: str, n: int) -> None:
    parts = decompose(claim)
    assert len(parts) == n, parts
    words = " ".join(parts)
    for w in ("Palace", "ministers", "Kronstadt", "Committee", "Kerensky"):
        if w in claim:
            assert w in words


# -- features beside the model -----------------------------------------------------------------

def test_agreement_features() -> None:
    f = agreement("The garrison numbered 200,000 soldiers in 1917.", "The garrison numbered 200000 soldiers in 1917.")
    assert f["num_missing"] == 0.0
    f = agreement("The garrison numbered 300,000 soldiers.", "The garrison numbered 200,000 soldiers.")
    assert f["num_missing"] == 1.0
    f = agreement("The palace fell on 8 November 1917.", "The palace fell on 26 October 1917 (Old Style).")
    assert f["date_conflict"] == 0.0  # 26 October O.S. is 8 November N.S.
    f = agreement("The palace fell on 9 November 1917.", "The palace fell on 26 October 1917 (Old Style).")
    assert f["date_conflict"] == 1.0
    f = agreement("Kerensky did not leave the city.", "Kerensky left the city by car.")
    assert f["neg_mismatch"] == 1.0
    f = agreement("The committee was led by Trotsky.", "The committee was led by Lazimir.")
    assert f["name_missing"] == 1.0


def test_verdict_rules() -> None:
    assert decide(0.9, 0.0, 0.9, 0.5, 0.6) == "supported"
    assert decide(0.1, 0.8, 0.1, 0.5, 0.6) == "contradicted"
    assert decide(0.2, 0.1, 0.7, 0.5, 0.6) == "partially_supported"
    assert decide(0.1, 0.1, 0.1, 0.5, 0.6) == "not_addressed"


# -- the trained model -------------------------------------------------------------------------

@needs_model
def test_shipped_model_has_card_and_tokenizer() -> None:
    d = MODEL.parent
    assert (d / "tokenizer.json").exists() and (d / "export.json").exists()
    meta = json.loads((d / "export.json").read_text())
    assert meta["shipped"] in ("int8", "fp32") and meta["labels"] == ["entailment", "neutral", "contradiction"]


@needs_model
def test_long_evidence_support_and_contradiction_are_seen() -> None:
    from sourcecheck.judge import get_judge

    j = get_judge()
    claim = "Kerensky left Petrograd by car to look for loyal troops."
    long = filler(20000)
    sup = j.judge(claim, long + " Kerensky left Petrograd by car on the morning of 25 October to look for loyal troops at the front.")
    con = j.judge(claim, long + " Kerensky never left Petrograd; he stayed in the Winter Palace until his arrest.")
    none = j.judge(claim, long)
    assert sup.support > none.support and sup.support > con.support
    assert con.contradiction > sup.contradiction
    assert "Kerensky left Petrograd by car" in (sup.best_span or "")


@needs_model
def test_partial_support_names_uncovered_words() -> None:
    from sourcecheck.judge import get_judge

    j = get_judge()
    res = j.judge("The palace was taken on 26 October, and Kerensky fled to Finland disguised as a nurse.",
                  "The palace was taken in the early hours of 26 October, and the ministers were arrested.")
    assert res.verdict in ("partially_supported", "not_addressed", "contradicted")
    assert "finland" in res.uncovered or "nurse" in res.uncovered
    assert "palace" not in res.uncovered
