"""WiCE dev rows and the metrics, shared by training/calibrate.py and bench/judge_bench.py.

The judge's features are computed and cached by calibrate.py (keyed by ``model_hash``).
"""

from __future__ import annotations

import hashlib
import json
import random
from pathlib import Path

import numpy as np


def load_wice(shared: Path) -> list[dict]:
    return [json.loads(line) for line in (shared / "bench/wice/dev.jsonl").open(encoding="utf-8")]


def evidence_text(row: dict) -> list[str]:
    # The first line is "(meta data) TITLE: ..."; the title names the page's subject, keep it as text.
    return [e.replace("(meta data) TITLE:", "").strip() for e in row["evidence"]]


def model_hash() -> str:
    """The shipped model and the judge's code: features cached under another key are stale."""
    from sourcecheck.judge.model import MODEL_DIR

    h = hashlib.sha256((MODEL_DIR / "model.onnx").read_bytes())
    for p in sorted((MODEL_DIR.parents[1] / "judge").glob("*.py")):
        h.update(p.read_bytes())
    return h.hexdigest()[:12]


def balanced_accuracy(y: np.ndarray, pred: np.ndarray) -> float:
    pos, neg = y == 1, y == 0
    return float(0.5 * ((pred[pos] == 1).mean() + (pred[neg] == 0).mean()))


def auc(y: np.ndarray, score: np.ndarray) -> float:
    """Mann-Whitney U over ranks (ties averaged): the probability a positive outranks a negative."""
    order = np.argsort(score, kind="mergesort")
    ranks = np.empty(len(score))
    s = score[order]
    i = 0
    while i < len(s):
        j = i
        while j + 1 < len(s) and s[j + 1] == s[i]:
            j += 1
        ranks[order[i: j + 1]] = (i + j) / 2 + 1
        i = j + 1
    npos, nneg = int(y.sum()), int(len(y) - y.sum())
    return float((ranks[y == 1].sum() - npos * (npos + 1) / 2) / (npos * nneg))


def bootstrap_ci(y: np.ndarray, pred: np.ndarray, n: int = 2000, seed: int = 0) -> tuple[float, float]:
    rng = np.random.default_rng(seed)
    vals = []
    for _ in range(n):
        idx = rng.integers(0, len(y), len(y))
        if 0 < y[idx].sum() < len(idx):
            vals.append(balanced_accuracy(y[idx], pred[idx]))
    return float(np.percentile(vals, 2.5)), float(np.percentile(vals, 97.5))


def best_threshold(y: np.ndarray, p: np.ndarray) -> float:
    cands = np.unique(np.round(p, 4))
    scores = [(balanced_accuracy(y, (p >= t).astype(int)), -abs(t - 0.5), t) for t in cands]
    return float(max(scores)[2])


def folds(n: int, k: int = 5, seed: int = 13) -> list[np.ndarray]:
    idx = list(range(n))
    random.Random(seed).shuffle(idx)
    return [np.array(sorted(idx[i::k])) for i in range(k)]
