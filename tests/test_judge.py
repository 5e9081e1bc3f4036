"""The judge: windows over long evidence, decomposition, features, and the trained model's verdicts."""

from __future__ import annotations

import json

import pytest

from conftest import EXAMPLES, MODEL, needs_model
from sourcecheck.judge.decompose import clean_claim, decompose, decompose_parts
from sourcecheck.judge.features import agreement
from sourcecheck.judge.judge import FEATURES, claim_verdict, load_calibration, part_verdict
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


@pytest.mark.parametrize("support, con, ent, expected", [
    (0.9, 0.0, 0.9, "supported"),          # support reaches its threshold
    (0.2, 0.8, 0.1, "contradicted"),       # contradiction reaches its threshold and outweighs entailment
    (0.2, 0.7, 0.75, "not_addressed"),     # contradiction high, but the model entails it more: not a denial
    (0.3, 0.3, 0.3, "not_addressed"),      # neither
])
def test_part_rule(support: float, con: float, ent: float, expected: str) -> None:
    assert part_verdict(support, con, ent, 0.5, 0.6) == expected


@pytest.mark.parametrize("parts, expected", [
    (["supported"], "supported"),
    (["supported", "supported", "supported"], "supported"),                  # all parts supported
    (["supported", "not_addressed"], "partially_supported"),                 # some supported, none contradicted
    (["not_addressed", "not_addressed"], "not_addressed"),                   # nothing supported or denied
    (["contradicted"], "contradicted"),
    (["contradicted", "supported"], "contradicted"),                         # denies as much as it confirms
    (["contradicted", "supported", "supported"], "partially_supported"),     # a denied detail, the rest stands
    (["contradicted", "not_addressed", "supported"], "contradicted"),
    ([], "not_addressed"),
])
def test_claim_rule(parts: list[str], expected: str) -> None:
    assert claim_verdict(parts) == expected


@pytest.mark.parametrize("parts, share, expected", [
    (["not_addressed"], 0.2, "partially_supported"),   # most of its words are supported: part of it is
    (["not_addressed"], 0.45, "partially_supported"),  # at the threshold
    (["not_addressed"], 0.8, "not_addressed"),         # most words uncovered: the evidence is about something else
    (["not_addressed"], None, "not_addressed"),        # no content words to count
    (["contradicted"], 0.0, "contradicted"),           # a denial is not outweighed by shared words
    (["supported", "not_addressed"], 0.9, "partially_supported"),
])
def test_word_rule(parts: list[str], share: float | None, expected: str) -> None:
    assert claim_verdict(parts, share, 0.45) == expected
    assert claim_verdict(parts, share, None) == claim_verdict(parts)  # no fitted threshold, no word rule


def test_parts_of_the_fifth_claim() -> None:
    """The example's fifth claim holds several facts; the occupation and the qualifiers are their own parts."""
    claim = ("The next day a full scale uprising erupted as a fleet of Bolshevik sailors entered the harbor and tens "
             "of thousands of soldiers rose up in support of the Bolsheviks.")
    parts = [p.text for p in decompose_parts(claim)]
    assert len(parts) == 3, parts
    assert any(p.startswith("The next day a full scale uprising erupted") for p in parts)
    assert any("tens of thousands of soldiers rose up" in p for p in parts)
    kinds = {p.text: p.kind for p in decompose_parts(claim)}
    assert kinds[parts[0]] == "qualifier"


def test_appositive_and_gloss_become_parts() -> None:
    parts = [p.text for p in decompose_parts("On 23 October 1917, the Petrograd Soviet, led by Trotsky, voted to back an uprising.")]
    assert "the Petrograd Soviet was led by Trotsky." in parts
    assert any(p.startswith("On 23 October 1917, the Petrograd Soviet voted") for p in parts)
    parts = [p.text for p in decompose_parts("It took place through an armed insurrection in Petrograd (now Saint Petersburg).")]
    assert "Petrograd is now Saint Petersburg." in parts
    # a calendar gloss is not a fact to look for
    assert len(decompose_parts("The palace fell on 26 October (O.S.).")) == 1
    # two nouns joined by "and" stay one fact
    assert len(decompose_parts("Lenin and Trotsky led the revolution.")) == 1


@needs_model
def test_calibration_lists_the_features_the_code_computes(tmp_path) -> None:
    cal = load_calibration()
    assert cal is not None and cal["features"] == list(FEATURES)
    bad = tmp_path / "calibration.json"
    bad.write_text(json.dumps({**cal, "features": list(FEATURES)[:-1]}))
    with pytest.raises(RuntimeError, match="fitted on features"):
        load_calibration(bad)


@needs_model
def test_uncovered_weights_list_the_features_the_code_computes(tmp_path) -> None:
    from sourcecheck.judge.uncovered import FEATURES as WORD_FEATURES
    from sourcecheck.judge.uncovered import WEIGHTS, UncoveredModel

    w = json.loads(WEIGHTS.read_text())
    assert w["features"] == list(WORD_FEATURES) and 0 < w["threshold"] < 1
    bad = tmp_path / "uncovered.json"
    bad.write_text(json.dumps({**w, "features": list(WORD_FEATURES)[1:]}))
    with pytest.raises(RuntimeError, match="fitted on features"):
        UncoveredModel(bad)


def test_uncovered_words_without_weights_are_the_words_absent_from_the_evidence(tmp_path) -> None:
    """The fallback is the baseline the fitted model is measured against: content words not on the page."""
    from sourcecheck.judge.uncovered import UncoveredModel, token_features

    model = UncoveredModel(tmp_path / "missing.json")
    toks, rows = token_features("The garrison stayed in Kronstadt", "The garrison stayed in its barracks.",
                                [], "", lambda words, text: [0.0] * len(words))
    assert model.words(toks, rows) == ["Kronstadt"]


@pytest.mark.parametrize("claim, cleaned", [
    ("Rule 19 says she should stop her engines [7].", "Rule 19 says she should stop her engines."),
    ("**Retrofitting** older buildings[4] [5]. - **", "Retrofitting older buildings."),
    ("In 1917 [citation needed], the Bolsheviks took power[1][2]", "In 1917, the Bolsheviks took power"),
    ("2 * 3 = 6", "2 * 3 = 6"),  # a lone asterisk between spaces is arithmetic, not emphasis
])
def test_reference_marks_are_not_part_of_the_claim(claim: str, cleaned: str) -> None:
    """Without this, "[7]" is a number the evidence lacks (num_missing) and counts against the claim."""
    assert clean_claim(claim) == cleaned


def test_a_footnote_number_is_not_a_missing_number() -> None:
    evidence = "Under Rule 19 she should stop her engines."
    assert agreement("Rule 19 says she should stop her engines [7].", evidence)["num_missing"] > 0
    assert agreement(clean_claim("Rule 19 says she should stop her engines [7]."), evidence)["num_missing"] == 0


# -- the trained model -------------------------------------------------------------------------

@needs_model
def test_shipped_model_has_card_and_tokenizer() -> None:
    d = MODEL.parent
    assert (d / "tokenizer.json").exists() and (d / "export.json").exists()
    meta = json.loads((d / "export.json").read_text())
    assert meta["shipped"] in ("int8", "int8-per-channel", "fp32") and meta["labels"] == ["entailment", "neutral", "contradiction"]


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
    words = {w.lower() for w in res.uncovered}  # as the claim spells them
    assert "finland" in words or "nurse" in words
    assert "palace" not in words and "taken" not in words


# -- hand-written cases, one per verdict (the trained model and the rules together) ------------

@needs_model
@pytest.mark.parametrize("claim, evidence, expected", [
    ("Kerensky left Petrograd by car.",
     "On the morning of 25 October Kerensky left Petrograd by car to look for loyal troops.", {"supported"}),
    pytest.param("The garrison supported the Provisional Government.",
                 "The garrison refused to defend the Provisional Government and declared for the Soviet.", {"contradicted"},
                 marks=pytest.mark.xfail(reason="known weakness of the judge: 'refused to defend' is no denial to the model "
                                                "(contradiction 0.14, needs 0.54); its support 0.51 is only weak (needs 0.82), "
                                                "and the WORD RULE then calls the claim partly supported", strict=False)),
    ("Kerensky stayed in Petrograd and never left the city.",
     "On the morning of 25 October Kerensky left Petrograd by car to look for loyal troops.", {"contradicted"}),
    ("Lenin was born in Simbirsk on the Volga.",
     "The garrison stayed in its barracks while the Red Guards posted pickets at the bridges.", {"not_addressed"}),
    ("Kerensky left Petrograd by car, and he later fled to Finland disguised as a nurse.",
     "On the morning of 25 October Kerensky left Petrograd by car to look for loyal troops.", {"partially_supported"}),
])
def test_one_case_per_verdict(claim: str, evidence: str, expected: set[str]) -> None:
    from sourcecheck.judge import get_judge

    res = get_judge().judge(claim, evidence)
    assert res.verdict in expected, (res.verdict, [(p.text, p.verdict, p.support, p.contradiction) for p in res.parts])
    assert res.parts and all(p.verdict in ("supported", "contradicted", "not_addressed") for p in res.parts)
    for p in res.parts:  # a supported or contradicted part names the words that decide it
        if p.verdict != "not_addressed":
            assert p.evidence is not None and p.evidence.text and p.evidence.text in evidence


@needs_model
def test_verdicts_do_not_depend_on_the_process_hash_seed(tmp_path, shared) -> None:
    """A plain run and a Ray worker are different processes with different hash seeds: a score that
    summed a set in its iteration order differed in the last bit, and a tie between two sentences then
    changed what the model read (WiCE dev's twelfth claim read other sentences under seeds 0 and 4)."""
    import os
    import subprocess
    import sys

    script = (
        "import json, sys\n"
        "from sourcecheck.judge import get_judge\n"
        "for line in open(sys.argv[1], encoding='utf-8'):\n"
        "    r = json.loads(line)\n"
        "    j = get_judge().judge(r['claim'], r['evidence'])\n"
        "    print(json.dumps([j.verdict, j.support, j.uncovered, [p.support for p in j.parts]]))\n")
    rows = []
    for line in (shared / "bench/wice/dev.jsonl").read_text(encoding="utf-8").splitlines()[:12]:
        r = json.loads(line)
        keep = sorted({i for group in r["supporting_sentences"] for i in group})
        rows.append({"claim": r["claim"], "evidence": [r["evidence"][i] for i in keep] or r["evidence"][:3]})
    data = tmp_path / "rows.jsonl"
    data.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    outs = []
    for seed in ("0", "4"):
        res = subprocess.run([sys.executable, "-c", script, str(data)], env={**os.environ, "PYTHONHASHSEED": seed},
                             capture_output=True, text=True, timeout=300)
        assert res.returncode == 0, res.stderr
        outs.append(res.stdout)
    assert outs[0] == outs[1]
