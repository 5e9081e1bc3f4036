"""Reciprocal rank fusion: one ranking from several, using ranks only.

Why RRF (Cormack et al., 2009): BM25 scores and cosines live on unrelated scales, and ranks are
robust where score normalisation is not; k=60 is the usual constant (the one anchorcite uses).
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from typing import TypeVar

Item = TypeVar("Item", bound=Hashable)  # what is ranked; the fused list gives the same type back


def rrf(rankings: Sequence[Sequence[Item]], k: int = 60,
        weights: Sequence[float] | None = None) -> list[tuple[Item, float]]:
    """Items of all rankings (best first each), by sum of ``weight / (k + rank)``, best first.

    Ties keep the order in which items were first seen, so the result is deterministic.
    """
    scores: dict[Item, float] = {}
    for n, ranking in enumerate(rankings):
        w = 1.0 if weights is None else weights[n]
        for rank, item in enumerate(ranking, 1):
            scores[item] = scores.get(item, 0.0) + w / (k + rank)
    return sorted(scores.items(), key=lambda kv: -kv[1])
