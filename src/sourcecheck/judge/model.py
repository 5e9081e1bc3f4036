"""The trained cross-encoder (MiniLM-L6 fine-tuned by training/), run with onnxruntime.

Reads ``models/judge/model.onnx`` + ``tokenizer.json`` + ``export.json`` shipped in the package.
The claim is never truncated: only the evidence side of a pair is cut to the window length,
and the windows are made short enough (windows.py) that nothing is cut in practice.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

import numpy as np

MODEL_DIR = Path(__file__).resolve().parents[1] / "models" / "judge"
ENT, NEU, CON = 0, 1, 2


class CrossEncoder:
    def __init__(self, model_dir: Path = MODEL_DIR, threads: int | None = None):
        import onnxruntime as ort
        from tokenizers import Tokenizer

        meta = json.loads((model_dir / "export.json").read_text())
        self.max_len = int(meta.get("max_len", 160))
        self.name = f"minilm-l6-nli ({meta.get('shipped', '?')})"
        opts = ort.SessionOptions()
        if threads:
            opts.intra_op_num_threads = threads
        self.session = ort.InferenceSession(str(model_dir / "model.onnx"), opts, providers=["CPUExecutionProvider"])
        self.tokenizer = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
        self.tokenizer.enable_padding()
        self.claim_tokenizer = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
        self.claim_tokenizer.no_truncation()

    def predict(self, pairs: list[tuple[str, str]], batch: int = 32) -> np.ndarray:
        """Probabilities (entailment, neutral, contradiction) for (evidence, claim) pairs."""
        out = np.zeros((len(pairs), 3), dtype=np.float32)
        # Sorting by length keeps padding (and so wasted compute) small within a batch.
        order = sorted(range(len(pairs)), key=lambda i: len(pairs[i][0]) + len(pairs[i][1]))
        for b in range(0, len(order), batch):
            idx = order[b: b + batch]
            # The claim is never cut: a batch holding a long claim gets a longer window (up to the
            # encoder's 512 positions), so that at least 64 tokens of evidence still fit beside it.
            longest = max(len(self.claim_tokenizer.encode(pairs[i][1]).ids) for i in idx)
            self.tokenizer.enable_truncation(max(self.max_len, min(512, longest + 64)), strategy="only_first")
            encs = self.tokenizer.encode_batch([pairs[i] for i in idx])
            feed = {"input_ids": np.array([e.ids for e in encs], dtype=np.int64),
                    "attention_mask": np.array([e.attention_mask for e in encs], dtype=np.int64),
                    "token_type_ids": np.array([e.type_ids for e in encs], dtype=np.int64)}
            logits = self.session.run(None, feed)[0]
            z = np.exp(logits - logits.max(axis=1, keepdims=True))
            out[idx] = z / z.sum(axis=1, keepdims=True)
        return out


@lru_cache(maxsize=2)
def get_cross_encoder(threads: int | None = None) -> CrossEncoder:
    return CrossEncoder(threads=threads)
