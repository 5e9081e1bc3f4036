"""Dense passage vectors, stored in the library's SQLite file beside the FTS5 index.

Why a separate, resumable step (``sourcecheck index``): a transformer pass over a large library
takes far longer than the lexical ingest, so lexical search is usable at once and vectors follow.
Each source's vectors go in with one ``BEGIN IMMEDIATE`` transaction together with its row in
``vector_sources``, so a killed ``index`` keeps the sources it finished and nothing of the one in
progress, and a rerun picks up where it stopped. Both tables reference the store's rows with
``ON DELETE CASCADE`` (the store turns foreign keys on), so removing or replacing a source drops
its vectors without the store knowing about them.

Vectors are int8 with one float scale per row (384 bytes + 4): a quarter of float32, and exact
search with numpy over the int8 matrix is fast enough at a few hundred thousand passages.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np

from ..tuning import EMBED_DIM

_SCHEMA = """
CREATE TABLE IF NOT EXISTS passage_vectors (
    passage_id INTEGER PRIMARY KEY REFERENCES passages(id) ON DELETE CASCADE,
    source_id TEXT NOT NULL, scale REAL NOT NULL, vec BLOB NOT NULL);
CREATE INDEX IF NOT EXISTS passage_vectors_source ON passage_vectors(source_id);
CREATE TABLE IF NOT EXISTS vector_sources (
    source_id TEXT PRIMARY KEY REFERENCES sources(id) ON DELETE CASCADE,
    sha256 TEXT, model TEXT NOT NULL, dim INTEGER NOT NULL, n INTEGER NOT NULL)
"""
MODEL_NAME = "minilm-static-sif"  # embed.StaticEncoder; vectors of another model are re-indexed


class Embedder(Protocol):
    def embed(self, texts: list[str]) -> np.ndarray: ...


@dataclass
class IndexResult:
    source_id: str
    passages: int
    status: str  # "indexed" | "skipped"


def _conn(library) -> sqlite3.Connection:
    # The store exposes no public connection; vectors must share it (and its transactions), so
    # that an in-memory library works too and the per-source transaction covers both tables.
    return library.connection


def ensure_schema(library) -> None:
    conn = _conn(library)
    for statement in _SCHEMA.split(";"):
        if statement.strip():
            conn.execute(statement)


def quantize(vecs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Rows of float vectors -> (int8 rows, per-row scale) with ``row ≈ int8 * scale``."""
    vecs = np.asarray(vecs, dtype=np.float32)
    scale = np.abs(vecs).max(axis=1) / 127.0
    scale[scale == 0] = 1.0
    q = np.clip(np.rint(vecs / scale[:, None]), -127, 127).astype(np.int8)
    return q, scale.astype(np.float32)


def pending_sources(library, model: str = MODEL_NAME) -> list[str]:
    """Sources without vectors for ``model`` (or whose text changed since they were indexed)."""
    ensure_schema(library)
    rows = _conn(library).execute(
        "SELECT s.id FROM sources s LEFT JOIN vector_sources v ON v.source_id = s.id AND v.model = ?"
        " WHERE v.source_id IS NULL OR v.sha256 IS NOT s.sha256 ORDER BY s.id", (model,))
    return [r[0] for r in rows]


def embed_sorted(embedder: Embedder, texts: list[str]) -> np.ndarray:
    """``embedder.embed`` over texts sorted by length, rows back in the given order.

    Batches are padded to their longest text, so sorting first saves much of the padding work.
    """
    if not texts:
        return np.zeros((0, EMBED_DIM), np.float32)
    order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
    vecs = np.asarray(embedder.embed([texts[i] for i in order]), dtype=np.float32)
    out = np.empty_like(vecs)
    out[order] = vecs
    return out


def index_source(library, embedder: Embedder, source_id: str, model: str = MODEL_NAME) -> int:
    """Embed every passage of one source and write them in one transaction; returns the count."""
    conn = _conn(library)
    rows = conn.execute("SELECT id, text FROM passage_texts WHERE source_id = ? ORDER BY start",
                        (source_id,)).fetchall()
    vecs = embed_sorted(embedder, [t for _, t in rows])
    q, scale = quantize(vecs) if len(rows) else (np.zeros((0, EMBED_DIM), np.int8), np.zeros(0, np.float32))
    conn.execute("BEGIN IMMEDIATE")
    try:
        sha = conn.execute("SELECT sha256 FROM sources WHERE id = ?", (source_id,)).fetchone()
        conn.execute("DELETE FROM passage_vectors WHERE source_id = ?", (source_id,))
        conn.executemany(
            "INSERT OR REPLACE INTO passage_vectors(passage_id, source_id, scale, vec) VALUES (?, ?, ?, ?)",
            ((pid, source_id, float(s), v.tobytes()) for (pid, _), s, v in zip(rows, scale, q)))
        conn.execute("INSERT OR REPLACE INTO vector_sources(source_id, sha256, model, dim, n) VALUES (?, ?, ?, ?, ?)",
                     (source_id, sha[0] if sha else None, model, int(q.shape[1]) if q.ndim == 2 else EMBED_DIM, len(rows)))
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    return len(rows)


def index_library(library, embedder: Embedder, model: str = MODEL_NAME,
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
    """The library's passage vectors in memory, for exact cosine search with numpy.

    Loaded lazily and reloaded when the table changed (its row count or largest id), so one
    object serves a long-running process while ``index`` adds sources.
    """

    def __init__(self, library, model: str = MODEL_NAME):
        self.library = library
        self.model = model
        self._key: tuple | None = None
        self.ids = np.zeros(0, np.int64)
        self.sources: np.ndarray = np.zeros(0, dtype=object)
        self.matrix = np.zeros((0, EMBED_DIM), np.int8)
        self.scale = np.zeros(0, np.float32)
        self.inv_norm = np.zeros(0, np.float32)
        self.unit = np.zeros((0, EMBED_DIM), np.float32)

    def _load(self) -> None:
        ensure_schema(self.library)
        conn = _conn(self.library)
        key = conn.execute("SELECT count(*), max(passage_id) FROM passage_vectors").fetchone()
        if key == self._key:
            return
        rows = conn.execute("SELECT passage_id, source_id, scale, vec FROM passage_vectors ORDER BY passage_id").fetchall()
        self.ids = np.array([r[0] for r in rows], dtype=np.int64)
        self.sources = np.array([r[1] for r in rows], dtype=object)
        self.scale = np.array([r[2] for r in rows], dtype=np.float32)
        self.matrix = (np.frombuffer(b"".join(r[3] for r in rows), dtype=np.int8).reshape(len(rows), -1)
                       if rows else np.zeros((0, EMBED_DIM), np.int8))
        # Cosine against the stored int8 row: the scale cancels, only the row's length counts.
        # The unit-length float32 rows are kept (4x the int8 bytes: 800 MB for the 96 M-character
        # sample) because converting the matrix on every query cost ~140 ms there.
        self.unit = self.matrix.astype(np.float32)
        self.inv_norm = 1.0 / (np.linalg.norm(self.unit, axis=1) + 1e-9)
        self.unit *= self.inv_norm[:, None]
        self._key = key

    def __len__(self) -> int:
        self._load()
        return len(self.ids)

    def search(self, query_vec: np.ndarray, k: int = 50,
               source_ids: Sequence[str] | None = None) -> list[tuple[int, float]]:
        """(passage id, cosine) of the ``k`` nearest passages, optionally within sources."""
        self._load()
        if not len(self.ids) or k <= 0:
            return []
        rows = np.arange(len(self.ids))
        if source_ids is not None:
            rows = np.flatnonzero(np.isin(self.sources, list(source_ids)))
            if not len(rows):
                return []
        q = np.asarray(query_vec, dtype=np.float32).ravel()
        sims = (self.unit if source_ids is None else self.unit[rows]) @ q
        top = np.argsort(-sims)[:k] if len(sims) <= k else np.argpartition(-sims, k)[:k]
        top = top[np.argsort(-sims[top])]
        return [(int(self.ids[rows[i]]), float(sims[i])) for i in top]
