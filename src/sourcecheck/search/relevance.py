"""A re-ranker for relevance: which of the candidates search found holds the claim's own fact.

Why a fitted model and not a fixed fusion: BM25, the dense cosine and the date match each find the right
passage, but which of them to trust for one claim depends on things the fusion cannot see (a passage that
covers every rare word of the claim in one sentence, a passage that only shares the subject's name). A
logistic model over the signals search already has (each retriever's rank and score, how much of the
claim's content words and rare words the passage covers, whether one sentence covers them, whether the
source's title names the claim's subject, the passage's length) weighs them from data: (claim, gold sentence)
pairs of WiCE dev, fitted out of fold (bench/relevance_fit.py, BENCHMARKS.md "The right passage first").

It costs no model run: text operations over at most a few dozen candidates, so it re-orders a wider pool
than the judge could read, and only its first few go to the judge.

INVARIANTS: ``FEATURES`` is the order of the model file's coefficients, and a file whose list differs is
refused (a coefficient applied to the wrong feature ranks silently wrong); the re-ranker only permutes the
candidates it is given; ties keep the retrieval order.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import InputError
from ..judge.windows import stem
from ..text import content_words, split_sentences

MODEL = Path(__file__).resolve().parent.parent / "models" / "rerank" / "relevance.json"

# Missing-retriever rank: one past the retrieval pool, so "not found by BM25" ranks below its last.
ABSENT_RANK = 51.0

FEATURES = (
    "fused_rank_log",    # log of the position in the fused retrieval order (the baseline itself)
    "fused_score_rel",   # fused RRF score over the pool's best
    "bm25_found",        # 1 where BM25 found the passage
    "bm25_rank_log",
    "bm25_score_rel",    # BM25 score over the pool's best BM25 score
    "dense_found",
    "dense_rank_log",
    "dense_sim",         # cosine of the static vectors
    "date_found",        # the passage names one of the claim's dates in its source's calendar
    "cover",             # share of the claim's distinct content stems the passage holds
    "cover_idf",         # the same, weighted by the pool's inverse document frequency: rare words count more
    "sentence_cover",    # the largest idf-weighted share one sentence of the passage holds
    "numbers",           # share of the claim's numbers (years, counts) the passage holds; 1 where it has none
    "title_subject",     # share of the source title's content stems the claim names (its subject)
    "length_log",        # log of the passage's characters
    "source_share",      # share of the pool's candidates from the passage's source: the page about the claim
    "source_rank_log",   # log of the passage's position among its own source's candidates
    "source_cover",      # idf-weighted share of the claim's stems that the source's candidates hold together
)


@dataclass(frozen=True)
class Relevance:
    """A fitted logistic model: ``coef · (x - mean) / scale + intercept``; higher is more relevant."""

    features: tuple[str, ...]
    mean: np.ndarray
    scale: np.ndarray
    coef: np.ndarray
    intercept: float

    def scores(self, x: np.ndarray) -> np.ndarray:
        return ((x - self.mean) / self.scale) @ self.coef + self.intercept

    def to_json(self, card: dict[str, Any]) -> dict[str, Any]:
        return {"features": list(self.features), "mean": [round(float(v), 6) for v in self.mean],
                "scale": [round(float(v), 6) for v in self.scale], "coef": [round(float(v), 6) for v in self.coef],
                "intercept": round(self.intercept, 6), "card": card}


def from_json(data: dict[str, Any], path: Path | str = "<model>") -> Relevance:
    """The model in ``data``; refuses a features list other than ``FEATURES``, in that order."""
    names = tuple(data.get("features", ()))
    if names != FEATURES:
        missing = [f for f in FEATURES if f not in names]
        extra = [f for f in names if f not in FEATURES]
        raise InputError(path, f"re-ranker features do not match the code's (missing {missing}, unknown {extra}"
                               f"{', order differs' if not missing and not extra else ''}); refit it with bench/relevance_fit.py")
    arrays = [np.asarray(data[k], dtype=float) for k in ("mean", "scale", "coef")]
    if any(a.shape != (len(FEATURES),) for a in arrays):
        raise InputError(path, f"re-ranker mean/scale/coef must each hold {len(FEATURES)} numbers")
    return Relevance(names, arrays[0], np.where(arrays[1] > 0, arrays[1], 1.0), arrays[2], float(data["intercept"]))


@cache
def load(path: Path = MODEL) -> Relevance | None:
    """The shipped model, or None where there is none (the retrieval order stays)."""
    if not path.exists():
        return None
    return from_json(json.loads(path.read_text(encoding="utf-8")), path)


def _stems(text: str) -> list[str]:
    return [stem(w) for w in content_words(text)]


_NUMBER = re.compile(r"\d+")


def features(claim: str, texts: Sequence[str], signals: Sequence[dict[str, float]],
             fused: Sequence[float], titles: Sequence[str], sources: Sequence[str]) -> np.ndarray:
    """One row of ``FEATURES`` per candidate (given in retrieval order); ``sources``: each one's source id."""
    n = len(texts)
    claim_stems = list(dict.fromkeys(_stems(claim)))
    passage_stems = [set(_stems(t)) for t in texts]
    sentences = [[set(_stems(t[a:b])) for a, b in split_sentences(t)] or [passage_stems[i]] for i, t in enumerate(texts)]
    df = {w: sum(w in ps for ps in passage_stems) for w in claim_stems}
    idf = {w: math.log(1 + n / (1 + df[w])) for w in claim_stems}
    total = sum(idf.values()) or 1.0
    numbers = set(_NUMBER.findall(claim))
    claim_set = set(claim_stems)
    best_fused = max(fused, default=0.0) or 1.0
    best_bm25 = max((s.get("bm25_score", 0.0) for s in signals), default=0.0) or 1.0
    members: dict[str, list[int]] = {}
    for i, sid in enumerate(sources):
        members.setdefault(sid, []).append(i)
    source_cover = {sid: sum(idf[w] for w in claim_stems if any(w in passage_stems[i] for i in idx)) / total
                    for sid, idx in members.items()}
    rows = []
    for i in range(n):
        sig, ps = signals[i], passage_stems[i]
        cover = sum(w in ps for w in claim_stems) / len(claim_stems) if claim_stems else 0.0
        cover_idf = sum(idf[w] for w in claim_stems if w in ps) / total
        sentence_cover = max(sum(idf[w] for w in claim_stems if w in ss) / total for ss in sentences[i])
        found_numbers = set(_NUMBER.findall(texts[i]))
        title_stems = set(_stems(titles[i]))
        rows.append([
            math.log(i + 1),
            fused[i] / best_fused,
            float("bm25_rank" in sig),
            math.log(sig.get("bm25_rank", ABSENT_RANK)),
            sig.get("bm25_score", 0.0) / best_bm25,
            float("dense_rank" in sig),
            math.log(sig.get("dense_rank", ABSENT_RANK)),
            sig.get("dense_score", 0.0),
            float("date_rank" in sig),
            cover,
            cover_idf,
            sentence_cover,
            len(numbers & found_numbers) / len(numbers) if numbers else 1.0,
            len(title_stems & claim_set) / len(title_stems) if title_stems else 0.0,
            math.log(len(texts[i]) + 1),
            len(members[sources[i]]) / n,
            math.log(members[sources[i]].index(i) + 1),
            source_cover[sources[i]],
        ])
    return np.asarray(rows, dtype=float).reshape(n, len(FEATURES))


def relevance_order(model: Relevance, x: np.ndarray) -> list[int]:
    """Candidate indices, most relevant first; ties keep the retrieval order."""
    s = model.scores(x)
    return sorted(range(len(s)), key=lambda i: (-s[i], i))
