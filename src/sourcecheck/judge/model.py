"""The trained cross-encoder (MiniLM-L6 fine-tuned by training/), run with onnxruntime.

Reads ``models/judge/model.onnx`` + ``tokenizer.json`` + ``export.json`` shipped in the package.
Everything that ties the code to one export is read from ``export.json``: the model's name, its
labels (so the entailment and contradiction columns are found by name, not position) and its input
names (so another export with other inputs fails with a clear message, not wrong numbers).
The claim is never truncated: only the evidence side of a pair is cut to the window length,
and the windows are made short enough (windows.py) that nothing is cut in practice.

Safe to share between threads (``serve``'s requests and its check worker, ``judge --engine``, a
library user's pool). The Rust tokenizer raises "Already borrowed" when one thread changes its
truncation while another encodes, so no tokenizer is ever changed after it is made: there is one per
pair width, configured once under a lock and then only read (encoding borrows it shared). The ONNX
session is run by one thread at a time (``_run_lock``): on the few cores this runs on, parallel runs
only share them, and each one grows onnxruntime's memory arena, which never gives memory back (20
finds at once took a server from 323 MB to 2.5 GB). Measured in BENCHMARKS.md ("the judge shared
between threads").
"""

from __future__ import annotations

import json
import threading
from collections import OrderedDict
from functools import lru_cache
from pathlib import Path

import numpy as np

MODEL_DIR = Path(__file__).resolve().parents[1] / "models" / "judge"
MAX_POSITIONS = 512  # the encoder's position table: no pair may be longer
MIN_EVIDENCE_TOKENS = 64  # evidence kept beside a long claim, so the pair still has something to read
DEFAULT_INPUTS = ["input_ids", "attention_mask", "token_type_ids"]
WIDTH_TOKENIZERS = 8  # tokenizers kept, one per pair width (~7 MB each); a run uses two or three widths
_LOAD_LOCK = threading.Lock()  # one model per process, even when the first calls come from several threads at once


class CrossEncoder:
    def __init__(self, model_dir: Path = MODEL_DIR, threads: int | None = None):
        import onnxruntime as ort
        from tokenizers import Tokenizer

        meta = json.loads((model_dir / "export.json").read_text())
        self.max_len = int(meta.get("max_len", 160))
        self.name = f"{meta.get('name', 'minilm-l6-nli')} ({meta.get('shipped', '?')})"
        labels = list(meta["labels"])
        self.ent, self.con = labels.index("entailment"), labels.index("contradiction")
        self.inputs = list(meta.get("inputs", DEFAULT_INPUTS))
        opts = ort.SessionOptions()
        if threads:
            opts.intra_op_num_threads = threads
        # No busy-waiting between operators: on a shared machine spinning threads steal the cores
        # that the other threads of the same run (or another process) need.
        opts.add_session_config_entry("session.intra_op.allow_spinning", "0")
        self.session = ort.InferenceSession(str(model_dir / "model.onnx"), opts, providers=["CPUExecutionProvider"])
        have = [i.name for i in self.session.get_inputs()]
        if sorted(have) != sorted(self.inputs):
            raise RuntimeError(f"{model_dir}/model.onnx takes inputs {have}, export.json says {self.inputs}")
        self._tokenizer_file = str(model_dir / "tokenizer.json")
        self.claim_tokenizer = Tokenizer.from_file(self._tokenizer_file)
        self.claim_tokenizer.no_truncation()  # set once, before any thread sees it; only encoded from then on
        self._widths: OrderedDict[int, object] = OrderedDict()  # width -> tokenizer that pads and truncates to it
        self._widths_lock = threading.Lock()
        self._run_lock = threading.Lock()

    def pair_tokenizer(self, width: int):
        """The tokenizer that truncates pairs to ``width`` (evidence side only) and pads a batch: made
        once per width, never changed afterwards, so any number of threads may encode with it at once."""
        with self._widths_lock:
            tok = self._widths.get(width)
            if tok is None:
                from tokenizers import Tokenizer

                tok = Tokenizer.from_file(self._tokenizer_file)
                tok.enable_padding()
                tok.enable_truncation(width, strategy="only_first")
                self._widths[width] = tok
                while len(self._widths) > WIDTH_TOKENIZERS:  # a thread still encoding keeps its own reference
                    self._widths.popitem(last=False)
            else:
                self._widths.move_to_end(width)
            return tok

    def predict(self, pairs: list[tuple[str, str]], batch: int = 32, max_len: int | None = None) -> np.ndarray:
        """Probabilities, in the export's label order, for (evidence, claim) pairs.

        ``max_len`` is the pair's length in word pieces: short for a sentence, longer for a window.
        """
        out = np.zeros((len(pairs), 3), dtype=np.float32)
        max_len = max_len or self.max_len
        # Sorting by length keeps padding (and so wasted compute) small within a batch.
        order = sorted(range(len(pairs)), key=lambda i: len(pairs[i][0]) + len(pairs[i][1]))
        for b in range(0, len(order), batch):
            idx = order[b: b + batch]
            # The claim is never cut: a batch holding a long claim gets a longer window (up to the
            # encoder's 512 positions), so that at least 64 tokens of evidence still fit beside it.
            longest = max(len(self.claim_tokenizer.encode(pairs[i][1]).ids) for i in idx)
            width = max(max_len, min(MAX_POSITIONS, longest + MIN_EVIDENCE_TOKENS))
            encs = self.pair_tokenizer(width).encode_batch([pairs[i] for i in idx])
            arrays = {"input_ids": np.array([e.ids for e in encs], dtype=np.int64),
                      "attention_mask": np.array([e.attention_mask for e in encs], dtype=np.int64),
                      "token_type_ids": np.array([e.type_ids for e in encs], dtype=np.int64)}
            feed = {k: arrays[k] for k in self.inputs}
            with self._run_lock:
                logits = self.session.run(None, feed)[0]
            z = np.exp(logits - logits.max(axis=1, keepdims=True))
            out[idx] = z / z.sum(axis=1, keepdims=True)
        return out


def get_cross_encoder(threads: int | None = None) -> CrossEncoder:
    """The process's model for ``threads`` (loaded once, even when first asked by several threads at once)."""
    with _LOAD_LOCK:
        return _load(threads)


@lru_cache(maxsize=2)
def _load(threads: int | None) -> CrossEncoder:
    return CrossEncoder(threads=threads)
