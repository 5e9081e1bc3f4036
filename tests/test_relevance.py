"""The relevance re-ranker (search/relevance.py): its shipped model, its refusal of a mismatched file, its order."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import numpy as np
import pytest

from sourcecheck.errors import InputError
from sourcecheck.library import Library
from sourcecheck.library.vectors import index_library
from sourcecheck.search import find_evidence, rerank, retrieve
from sourcecheck.search.relevance import FEATURES, MODEL, from_json, load, relevance_order

# Two passages about the October Revolution that share its name many times but not the claim's fact, and
# the one sentence the claim paraphrases; plus a second source on another subject.
OCTOBER = (
    "The October Revolution was a revolution in Russia. Historians of the October Revolution and of the "
    "revolution in Russia still write about the October Revolution and its revolution.\n\n"
    "The October Revolution is remembered in Russia every year, and the revolution in Russia is taught in schools "
    "as the October Revolution.\n\n"
    "It followed and capitalized on the February Revolution of the same year, which had overthrown the tsar's "
    "autocracy and set up a provisional government.\n\n"
    "The Bolsheviks then moved the capital from Petrograd to Moscow in March of the following year."
)
OTHER = (
    "The Battle of Hastings was fought in 1066 between the Norman army and the English army of King Harold.\n\n"
    "William of Normandy won the battle and was crowned king of England on Christmas Day of that year."
)
CLAIM = "The October Revolution in Russia capitalized on the February Revolution, which had overthrown the tsar."
GOLD = "It followed and capitalized on the February Revolution"


def _library(tmp_path: Path) -> Library:
    for name, text in (("october.txt", OCTOBER), ("hastings.txt", OTHER)):
        (tmp_path / name).write_text(text, encoding="utf-8")
    library = Library(tmp_path / "lib.db")
    library.add(tmp_path / "october.txt")
    library.add(tmp_path / "hastings.txt")
    return library


def test_the_shipped_model_names_the_codes_features_in_order():
    data = json.loads(MODEL.read_text(encoding="utf-8"))
    assert data["features"] == list(FEATURES)
    model = load()
    assert model is not None and model.coef.shape == (len(FEATURES),) and np.isfinite(model.coef).all()
    assert data["card"]["command"].startswith("python -m bench.relevance_fit")


@pytest.mark.parametrize("change", ["missing", "unknown", "order"])
def test_a_model_file_whose_features_differ_is_refused(tmp_path, change):
    data = json.loads(MODEL.read_text(encoding="utf-8"))
    names = list(FEATURES)
    if change == "missing":
        names = names[:-1]
    elif change == "unknown":
        names[-1] = "bm25_squared"
    else:
        names[0], names[1] = names[1], names[0]
    data["features"] = names
    path = tmp_path / "relevance.json"
    with pytest.raises(InputError) as err:
        from_json(data, path)
    assert str(path) in str(err.value) and "features do not match" in str(err.value)


def test_the_reranker_keeps_the_paraphrased_sentence_first(tmp_path):
    with _library(tmp_path) as library:
        res = find_evidence(library, None, CLAIM, k=3, rescore=False, mode="bm25")
        assert GOLD in res[0].text
        assert {r.text for r in res} <= {p.text for p in retrieve(library, CLAIM, 30, mode="bm25")}
        # The order is the model's: the same candidates under the model turned upside down put the gold last.
        model = load()
        assert model is not None
        cands = retrieve(library, CLAIM, 30, mode="bm25")
        upside_down = dataclasses.replace(model, coef=-model.coef)
        assert GOLD in rerank(library, CLAIM, cands, model)[0].text
        assert GOLD in rerank(library, CLAIM, cands, upside_down)[-1].text


def test_the_reranker_keeps_the_gold_first_with_dense_vectors(tmp_path):
    """With the static vectors indexed (as `sourcecheck index` does), the dense signals are features too."""
    from sourcecheck.library import embed

    if not (embed.TOKENIZER.exists() and embed.STATIC.exists()):
        pytest.skip("static encoder not shipped")
    with _library(tmp_path) as library:
        index_library(library, embed.get_static_encoder())
        cands = retrieve(library, CLAIM, 30)
        assert any("dense_rank" in c.signals for c in cands)
        res = find_evidence(library, None, CLAIM, k=3, rescore=False)
        assert GOLD in res[0].text


def test_rerank_only_permutes_the_candidates(tmp_path):
    with _library(tmp_path) as library:
        cands = retrieve(library, CLAIM, 30, mode="bm25")
        model = load()
        assert model is not None
        out = rerank(library, CLAIM, cands, model)
        key = lambda c: (c.source_id, c.start, c.end)
        assert sorted(map(key, out)) == sorted(map(key, cands)) and len(out) == len(cands)


def test_ties_keep_the_retrieval_order():
    model = load()
    assert model is not None
    x = np.zeros((4, len(FEATURES)))
    assert relevance_order(model, x) == [0, 1, 2, 3]
