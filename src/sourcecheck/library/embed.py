"""Word-piece vectors from MiniLM distilled into a static table (training/distill_static.py), no torch.

One table serves two needs: the library's dense index (a passage is the mean of its pieces'
vectors) and the judge's coverage feature (how much of a claim the evidence's words *mean*, not just
spell: "seized" is covered by "took", "insurrection" by "uprising"). It replaced a third copy of
MiniLM that came from a data-only package of unknown provenance; its cost on WiCE dev is measured in
BENCHMARKS.md. The tokenizer is the judge's own ``tokenizer.json`` (the same uncased WordPiece
vocabulary as MiniLM's).
"""

from __future__ import annotations

import threading
from functools import lru_cache
from pathlib import Path

import numpy as np

MODELS = Path(__file__).resolve().parent.parent / "models"
TOKENIZER = MODELS / "judge" / "tokenizer.json"
COVERAGE_STOP = frozenset({"the", "of", "and", "a", "in", "to", "was", "were", "is", "on", "at", "by", "for", "as"})


STATIC = MODELS / "static" / "vectors.npy"


class StaticEncoder:
    """MiniLM distilled into one vector per word piece (training/distill_static.py).

    A passage is the mean of its pieces' (frequency-weighted) vectors: no transformer pass, so the
    whole 96 M-character sample is embedded in minutes rather than hours. Used for the library's
    dense index, and its unit rows for the judge's coverage feature.
    """

    name = "minilm-static-sif"

    def __init__(self) -> None:
        from tokenizers import Tokenizer

        self.table = np.load(STATIC).astype(np.float32)
        self.unit = self.table / (np.linalg.norm(self.table, axis=1, keepdims=True) + 1e-9)
        self.tokenizer = Tokenizer.from_file(str(TOKENIZER))
        self.tokenizer.no_truncation()
        self.tokenizer.no_padding()

    def embed(self, texts: list[str], batch: int = 256) -> np.ndarray:
        out = np.zeros((len(texts), self.table.shape[1]), dtype=np.float32)
        for i in range(0, len(texts), batch):
            for j, enc in enumerate(self.tokenizer.encode_batch(texts[i: i + batch], add_special_tokens=False)):
                if enc.ids:
                    v = self.table[enc.ids].mean(axis=0)
                    out[i + j] = v / (np.linalg.norm(v) + 1e-9)
        return out

    def coverage(self, claim: str, evidence: list[str]) -> float:
        """BERTScore-style recall: mean over the claim's content pieces of the best cosine to any
        piece of the evidence. Whole words only (a "##" continuation carries little meaning alone)."""
        enc = self.tokenizer.encode(claim, add_special_tokens=False)
        keep = [i for i, t in zip(enc.ids, enc.tokens) if t.isalnum() and t not in COVERAGE_STOP]
        ev_ids = sorted({i for e in evidence for i in self.tokenizer.encode(e, add_special_tokens=False).ids})
        if not keep or not ev_ids:
            return 0.0
        a = self.unit[keep]
        b = self.unit[ev_ids]
        return float((a @ b.T).max(axis=1).mean())

    def word_similarity(self, words: list[str], text: str) -> list[float]:
        """Each word's best cosine to any whole-word piece of ``text`` (a word of several pieces is
        their mean): 1.0 for a word the text spells, high for one it says otherwise ("took"/"seized")."""
        enc = self.tokenizer.encode(text, add_special_tokens=False)
        ids = sorted({i for i, t in zip(enc.ids, enc.tokens) if t.isalnum()})
        if not words or not ids:
            return [0.0] * len(words)
        rows = []
        for w in words:
            pieces = self.tokenizer.encode(w, add_special_tokens=False).ids or [0]
            v = self.unit[pieces].mean(axis=0)
            rows.append(v / (np.linalg.norm(v) + 1e-9))
        return [float(x) for x in (np.asarray(rows) @ self.unit[ids].T).max(axis=1)]


_LOAD_LOCK = threading.Lock()


def get_static_encoder() -> StaticEncoder:
    """The process's encoder, made once even when several threads ask first (each copy is ~40 MB).
    Safe to share: its tokenizer is configured before any thread sees it and only encodes afterwards."""
    with _LOAD_LOCK:
        return _load()


@lru_cache(maxsize=1)
def _load() -> StaticEncoder:
    return StaticEncoder()
