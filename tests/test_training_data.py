"""The rule-made training pairs (training/prepare.py): each rule makes the change it claims to."""

from __future__ import annotations

import random

from training import prepare

TEXT = " ".join(f"In {1900 + i} the town council of Alton met {i + 3} times and elected Mary Brown as its chair. "
                f"The council was praised by the Governor of Kent for its work on the harbour." for i in range(10))


def test_corrupt_changes_one_fact() -> None:
    rng = random.Random(0)
    sent = "In 1917 the Petrograd Soviet elected 25 delegates and Trotsky was its chairman."
    for _ in range(20):
        bad = prepare.corrupt(sent, rng, ["Kamenev", "Zinoviev"])
        assert bad and bad != sent
        changed = set(bad.split()) ^ set(sent.split())
        assert 1 <= len(changed) <= 4  # one fact, not a rewrite


def test_first_clause_shortens_only_when_it_still_says_something() -> None:
    assert prepare.first_clause("The council met in the harbour town hall every spring, as its charter required.") \
        == "The council met in the harbour town hall every spring."
    assert prepare.first_clause("Yes, it did.") is None


def test_domain_pairs_have_every_kind_and_true_supports() -> None:
    pairs = prepare.domain_pairs(random.Random(1), [(TEXT, "Reed")] * 3, 400)
    kinds = {p["src"] for p in pairs}
    assert {"dom-sup", "dom-con", "dom-na", "dom-part", "dom-both", "shape-frame"} <= kinds
    assert all(k.startswith(("dom-", "shape-")) for k in kinds)
    for p in pairs:
        if p["src"].startswith("shape-"):  # rewrites that keep the meaning are entailed; typed swaps contradict
            want = 0 if p["src"] in ("shape-frame", "shape-first", "shape-numform") else 2
            assert p["label"] == want, p
    for p in pairs:
        if p["src"] == "dom-sup":
            assert p["hypothesis"].rstrip(".") in p["premise"] or p["hypothesis"].split(",")[0].rstrip(".") in p["premise"]
        if p["src"] == "dom-con":
            assert p["label"] == 2 and p["hypothesis"] not in p["premise"]
        if p["src"] in ("dom-na", "dom-part"):
            assert p["label"] == 1
        if p["src"] == "dom-both":  # a compound claim whose two halves are both in the passage
            first, second = p["hypothesis"].rstrip(".").split(", and ", 1)
            assert p["label"] == 0 and first in p["premise"] and second[1:] in p["premise"]


def test_word_labels_are_aligned_to_the_claim_and_the_word_rule_threshold_is_fitted() -> None:
    """training/uncovered.py: WiCE gives tokens without offsets; each must land on its own words, and
    the WORD RULE's threshold is the one that separates the three labels best."""
    from training import uncovered

    claim = "Media Play News is the only one dedicated to it."
    toks = ["Media", "Play", "News", "is", "the", "only", "one", "dedicated", "to", "it", "."]
    flags = [False, False, False, True, True, True, True, True, False, False, False]
    spans = uncovered.gold_spans(claim, toks, flags)
    assert [claim[s:e] for s, e, _ in spans] == toks
    assert [claim[s:e] for s, e, f in spans if f] == ["is", "the", "only", "one", "dedicated"]
    rows = ([{"label": "partially_supported", "parts": ["not_addressed"], "share": 0.2}] * 3
            + [{"label": "not_supported", "parts": ["not_addressed"], "share": 0.9}] * 3
            + [{"label": "supported", "parts": ["supported"], "share": 0.0}] * 3)
    t = uncovered.fit_t_words(rows)
    assert 0.2 <= t < 0.9
    assert uncovered.macro_recall(rows, t)[0] == 1.0 and uncovered.macro_recall(rows, None)[0] < 1.0


def test_shapes_rewrite_one_thing_each() -> None:
    import random as rnd

    from training import shapes

    rng = rnd.Random(3)
    s = "Reed arrived in Petrograd in September 1917 with 25,000 others."
    assert shapes.swap(s, "year", rng, []) != s and "Petrograd" in shapes.swap(s, "year", rng, [])
    month = shapes.swap(s, "month", rng, [])
    assert month and "September" not in month and "1917" in month
    place = shapes.swap(s, "place", rng, [])
    assert place and "Petrograd" not in place
    assert shapes.swap("In no instance did it come to a conflict.", "negation", rng, []) is None  # no double negation
    assert shapes.first_person("I declared the session open.", "Trotsky") == "Trotsky declared the session open."
    assert shapes.number_words(25000) == "twenty-five thousand" and shapes.number_words(101) == "one hundred and one"
    framed = shapes.frame("The palace fell at night.", "Reed", rng)
    assert framed and framed.endswith("the palace fell at night.") and "Reed" in framed
    # The held-out split is a fixed property of the sentence, the same on every run.
    assert shapes.held_out(s) == shapes.held_out(s)
