"""Dense passage vectors: computing them per source, and ranking them exactly with numpy.

Why a separate, resumable step (``sourcecheck index``): a transformer pass over a large library
takes far longer than the lexical ingest, so lexical search is usable at once and vectors follow.
Each source's vectors are written by the store in one transaction together with its row of
indexed sources, so a killed ``index`` keeps the sources it finished and nothing of the one in
progress, and a rerun picks up where it stopped. Removing or replacing a source drops its vectors.

Vectors are int8 with one float scale per row (384 bytes + 4): a quarter of float32, and exact
search with numpy over the int8 matrix is fast enough at a few hundred thousand passages. The
SQL lives in the stores (``sqlite.py``, ``postgres.py``); this module holds no connection.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

import numpy as np

from ..tuning import EMBED_DIM

if TYPE_CHECKING:
    from .protocol import Store

MODEL_NAME = "minilm-static-sif"  # embed.StaticEncoder; vectors of another model are re-indexed


class Embedder(Protocol):
    def embed(self, texts: list[str]) -> np.ndarray: ...


@dataclass
class IndexResult:
    source_id: str
    passages: int
    status: str  # "indexed" | "skipped"


def quantize(vecs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Rows of float vectors -> (int8 rows, per-row scale) with ``row ≈ int8 * scale``."""
    vecs = np.asarray(vecs, dtype=np.float32)
    scale = np.abs(vecs).max(axis=1) / 127.0
    scale[scale == 0] = 1.0
    q = np.clip(np.rint(vecs / scale[:, None]), -127, 127).astype(np.int8)
    return q, scale.astype(np.float32)


def pending_sources(library: Store, model: str = MODEL_NAME) -> list[str]:
    """Sources without vectors for ``model`` (or whose text changed since they were indexed)."""
    return library.vector_pending(model)


def embed_sorted(embedder: Embedder, texts: list[str]) -> np.ndarray:
    """``embedder.embed`` over texts sorted by length, rows back in the given order.

    Batches are padded to their longest text, so sorting first saves much of the padding work.
    """
    if not texts:
        return np.zeros((0, VectorIndex.DIM), np.float32)
    order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
    vecs = np.asarray(embedder.embed([texts[i] for i in order]), dtype=np.float32)
    out = np.empty_like(vecs)
    out[order] = vecs
    return out


def index_source(library: Store, embedder: Embedder, source_id: str, model: str = MODEL_NAME) -> int:
    """Embed every passage of one source and write them in one transaction; returns the count."""
    from .protocol import VectorRows

    rows = library.passage_ids(source_id)
    vecs = embed_sorted(embedder, [p.text for _, p in rows])
    q, scale = quantize(vecs) if rows else (np.zeros((0, VectorIndex.DIM), np.int8), np.zeros(0, np.float32))
    library.vector_write(source_id, model, VectorRows(np.array([pid for pid, _ in rows], np.int64), scale, q))
    return len(rows)


def index_library(library: Store, embedder: Embedder, model: str = MODEL_NAME,
                  progress: Callable[[IndexResult], None] | None = None) -> list[IndexResult]:
    """Index every pending source, one transaction each (resumable: rerun after a kill)."""
    out = []
    for sid in pending_sources(library, model):
        n = index_source(library, embedder, sid, model)
        out.append(IndexResult(sid, n, "indexed"))
        if progress:
            progress(out[-1])
    return out


class VectorIndex:
    """Passage vectors in memory, for exact cosine search with numpy (a store keeps one)."""

    DIM = EMBED_DIM  # the shape of an empty index

    def __init__(self) -> None:
        self.ids = np.zeros(0, np.int64)
        self.sources: np.ndarray = np.zeros(0, dtype=object)
        self.unit = np.zeros((0, self.DIM), np.float32)

    def load(self, ids: Sequence[int], sources: Sequence[str], vecs: Sequence[bytes]) -> None:
        """Replace the rows: passage ids, their source ids and their int8 vectors' bytes."""
        self.ids = np.array(ids, dtype=np.int64)
        self.sources = np.array(sources, dtype=object)
        matrix = (np.frombuffer(b"".join(vecs), dtype=np.int8).reshape(len(ids), -1)
                  if len(ids) else np.zeros((0, self.DIM), np.int8))
        # Cosine against the stored int8 row: the scale cancels, only the row's length counts.
        # The unit-length float32 rows are kept (4x the int8 bytes: 800 MB for the 96 M-character
        # sample) because converting the matrix on every query cost ~140 ms there.
        self.unit = matrix.astype(np.float32)
        self.unit *= (1.0 / (np.linalg.norm(self.unit, axis=1) + 1e-9))[:, None]

    def __len__(self) -> int:
        return len(self.ids)

    def search(self, query_vec: np.ndarray, k: int = 50,
               source_ids: Sequence[str] | None = None) -> list[tuple[int, float]]:
        """(passage id, cosine) of the ``k`` nearest passages, optionally within sources."""
        if not len(self.ids) or k <= 0:
            return []
        rows = np.arange(len(self.ids))
        if source_ids is not None:
            rows = np.flatnonzero(np.isin(self.sources, list(source_ids)))
            if not len(rows):
                return []
        q = np.asarray(query_vec, dtype=np.float32).ravel()
        q = q / (np.linalg.norm(q) + 1e-9)  # a true cosine, as pgvector gives: the ranking is the same
        sims = (self.unit if source_ids is None else self.unit[rows]) @ q
        top = np.argsort(-sims)[:k] if len(sims) <= k else np.argpartition(-sims, k)[:k]
        top = top[np.argsort(-sims[top])]
        return [(int(self.ids[rows[i]]), float(sims[i])) for i in top]
