"""The order of the candidates search found: which passage a reader sees first.

Why not the judge's support alone: the judge answers "does this passage entail the claim?", and a
passage that states the claim's fact with a pronoun or a different date form ("It followed and
capitalized on the February Revolution of the same year", on the October Revolution page) can score
low, while a passage about the same subject that entails nothing scores higher. Measured on a set of
paraphrases of library sentences and on WiCE (bench/rerank_bench.py, BENCHMARKS.md), the order by
support alone put the paraphrased sentence first less often than the retrieval order did.

The orders compared are reciprocal rank fusions (fuse.py) of the retrieval ranking (BM25 over the
whole passage, dense vectors, dates) with the judge's support ranking and the ALIGNMENT ranking: how
much of the claim's weight one *sentence* of the passage covers (a paraphrase keeps most of the claim's
rare words in one sentence), weighted by the pool's own inverse document frequencies. Neither beat the
retrieval order on either set, so the shipped order is the retrieval order (DEFAULT_ORDER); the judge
still gives its verdict on every suggestion, and ``cite`` proposes only what the judge supports at its
precision threshold. The other orders stay for the benchmark, which re-measures them when the judge or
the search changes.

"retrieval" here is the order the candidates come in: in ``find_evidence`` that is the relevance
re-ranker's (relevance.py), applied to the fused ranking before the judge reads it.

INVARIANT: an ordering only permutes the candidates it is given; it never drops or adds one.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from ..judge.windows import stem
from ..records import Judgement
from ..text import content_words, split_sentences
from ..tuning import RRF_K
from .fuse import rrf

ORDERS = ("retrieval", "judge", "retrieval+judge", "retrieval+align", "retrieval+align+judge", "retrieval+precise")
DEFAULT_ORDER = "retrieval"  # the best measured on both sets (BENCHMARKS.md, "The right passage first")
BIGRAM_WEIGHT = 0.5  # a claim's word pair kept together in one sentence ("capitalized on February") counts half again


def _stems(text: str) -> list[str]:
    return [stem(w) for w in content_words(text)]


def alignment(claim: str, passages: Sequence[str]) -> list[float]:
    """For each passage, the largest share of the claim's weight that one of its sentences covers."""
    claim_stems = list(dict.fromkeys(_stems(claim)))
    if not claim_stems:
        return [0.0] * len(passages)
    sentence_stems = [[_stems(p[s:e]) for s, e in split_sentences(p)] or [_stems(p)] for p in passages]
    df = {w: sum(any(w in ss for ss in sents) for sents in sentence_stems) for w in claim_stems}
    n = len(passages)
    idf = {w: math.log(1 + n / (1 + df[w])) for w in claim_stems}
    total = sum(idf.values()) or 1.0
    claim_seq = _stems(claim)
    pairs = {(a, b) for a, b in zip(claim_seq, claim_seq[1:])}
    out = []
    for sents in sentence_stems:
        best = 0.0
        for ss in sents:
            words = set(ss)
            cover = sum(idf[w] for w in claim_stems if w in words) / total
            kept = len(pairs & set(zip(ss, ss[1:]))) / len(pairs) if pairs else 0.0
            best = max(best, cover + BIGRAM_WEIGHT * kept)
        out.append(best)
    return out


def _ranking(scores: Sequence[float]) -> list[int]:
    """Indices, best score first; ties keep the given order."""
    return sorted(range(len(scores)), key=lambda i: -scores[i])


def order_scores(claim: str, texts: Sequence[str], judged: Sequence[Judgement | None],
                 order: str = DEFAULT_ORDER, precise: Sequence[bool] | None = None) -> list[float]:
    """A score for each candidate (given in retrieval order) under ``order``; higher is first.

    ``precise`` (for "retrieval+precise"): which candidates the judge supports at its precision
    threshold (judge/precision.py); they go first, each group in retrieval order.
    """
    if order not in ORDERS:
        raise ValueError(f"order must be one of {ORDERS}")
    n = len(texts)
    support = [j.support if j else 0.0 for j in judged] if judged else [0.0] * n
    retrieval = list(range(n))
    if order == "retrieval":
        return [1.0 - i / max(n, 1) for i in range(n)]
    if order == "retrieval+precise":
        flags = list(precise) if precise is not None else [False] * n
        return [round(0.5 * flags[i] + 0.5 * (1.0 - i / max(n, 1)), 4) for i in range(n)]
    if order == "judge":  # the order before this module: support first, retrieval rank to break near-ties
        return [0.95 * s + 0.05 * (1.0 - i / max(n, 1)) for i, s in enumerate(support)]
    rankings = [retrieval]
    if "align" in order:
        rankings.append(_ranking(alignment(claim, texts)))
    if "judge" in order:
        rankings.append(_ranking(support))
    fused = dict(rrf(rankings, k=RRF_K))
    best = len(rankings) / (RRF_K + 1)  # every ranking's first: 1.0
    return [round(fused.get(i, 0.0) / best, 4) for i in range(n)]


def order_candidates(claim: str, candidates: Sequence, judged: Sequence[Judgement | None], order: str,
                     precise: Sequence[bool] | None = None) -> list:
    """The candidates (each with ``.text``) in the order ``order`` gives them."""
    scores = order_scores(claim, [c.text for c in candidates], judged, order, precise)
    return [candidates[i] for i in sorted(range(len(candidates)), key=lambda i: -scores[i])]
