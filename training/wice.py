"""WiCE dev: the judge's features for each claim against its whole evidence page, and the metrics.

Shared by training/calibrate.py (fits the combination) and bench/run.py (reports it). Features are
cached in training/work/ keyed by the shipped model's hash, since computing them is the slow part.
"""

from __future__ import annotations

import hashlib
import json
import random
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
CACHE = HERE / "work"


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


def wice_features(shared: Path, judge=None, use_cache: bool = True) -> tuple[list[dict], list[str], dict]:
    """Per claim: the judge's raw features (no calibration applied), the gold labels, timing."""
    from sourcecheck.judge.judge import CrossEncoderJudge

    rows = load_wice(shared)
    cache = CACHE / f"wice_features_{model_hash()}.json"
    if use_cache and cache.exists():
        data = json.loads(cache.read_text())
        return data["features"], [r["label"] for r in rows], data["timing"]
    judge = judge or CrossEncoderJudge()
    judge.cal = None  # raw features only
    t0 = time.time()
    feats = [judge.analyse(r["claim"], evidence_text(r)).features for r in rows]
    timing = {"seconds": time.time() - t0, "claims": len(rows)}
    CACHE.mkdir(parents=True, exist_ok=True)
    cache.write_text(json.dumps({"features": feats, "timing": timing}))
    return feats, [r["label"] for r in rows], timing


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
