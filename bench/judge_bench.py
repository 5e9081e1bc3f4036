"""Issue 3 figures: the judge on WiCE dev (each claim against its whole evidence page).

Balanced accuracy of supported vs. not (partially_supported counts as not, as on LLM-AggreFact),
reported OUT OF FOLD: the calibration (logistic regression + threshold) is refitted in each of 5
folds on the other four, exactly as training/calibrate.py does, so no claim is scored by a
combination fitted on it. Also: 95% bootstrap interval, AUC, the confusion over the three WiCE
labels, claims/s and pairs/s on 1 and 2 threads, peak memory, and SNLI test accuracy (measured
at export on the 9,824-pair SNLI test set).
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import numpy as np

from bench.baselines import WICE_FLOORS
from bench.common import peak_mb, save, table
from training.wice import (
    auc,
    balanced_accuracy,
    best_threshold,
    bootstrap_ci,
    evidence_text,
    folds,
    load_wice,
    wice_features,
)

WICE_LABEL = {"supported": "supported", "partially_supported": "partially_supported",
              "contradicted": "not_supported", "not_addressed": "not_supported"}


def out_of_fold(feats: list[dict], y: np.ndarray, C: float) -> tuple[np.ndarray, np.ndarray]:
    from sklearn.linear_model import LogisticRegression

    from sourcecheck.judge.judge import feature_vector

    X = np.array([feature_vector(f) for f in feats])
    X = (X - X.mean(0)) / (X.std(0) + 1e-9)
    p = np.zeros(len(y))
    t = np.zeros(len(y))
    for test in folds(len(y)):
        train = np.setdiff1d(np.arange(len(y)), test)
        m = LogisticRegression(C=C, max_iter=2000, class_weight="balanced").fit(X[train], y[train])
        t[test] = best_threshold(y[train], m.predict_proba(X[train])[:, 1])
        p[test] = m.predict_proba(X[test])[:, 1]
    return p, t


def speed(shared: Path, threads: int, n: int) -> tuple[float, float]:
    """claims/s and pairs/s of the whole judge on the first n WiCE claims, with `threads` threads."""
    from sourcecheck.judge import Judge

    j = Judge(threads=threads)  # the shipped configuration, on `threads` threads
    rows = load_wice(shared)[:n]
    t0 = time.time()
    pairs = sum(j.analyse(r["claim"], evidence_text(r)).features["n_pairs"] for r in rows)
    dt = time.time() - t0
    return n / dt, pairs / dt


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--shared", type=Path, required=True)
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--fresh", action="store_true", help="recompute features (else cached per model hash)")
    args = ap.parse_args()
    from sourcecheck.judge.judge import contradiction_probability, decide
    from sourcecheck.judge.model import MODEL_DIR

    cal = json.loads((MODEL_DIR / "calibration.json").read_text())
    export = json.loads((MODEL_DIR / "export.json").read_text())
    t0 = time.time()
    feats, labels, timing = wice_features(args.shared, use_cache=not args.fresh)
    whole_split_s = timing["seconds"]
    y = np.array([1 if l == "supported" else 0 for l in labels])
    p, t = out_of_fold(feats, y, cal.get("C", 1.0))
    pred = (p >= t).astype(int)
    ba = balanced_accuracy(y, pred)
    lo, hi = bootstrap_ci(y, pred)
    verdicts = [decide(pi, contradiction_probability(f, pi), f["ent_parts_max"], ti, cal.get("t_contradiction", 0.6))
                for pi, ti, f in zip(p, t, feats)]
    names = ["supported", "partially_supported", "not_supported"]
    conf = {g: {q: 0 for q in names} for g in names}
    for g, v in zip(labels, verdicts):
        conf[g][WICE_LABEL[v]] += 1
    raw = {k: round(max(auc(y, np.array([f[k] for f in feats])), 1 - auc(y, np.array([f[k] for f in feats]))), 3)
           for k in ("ent_full", "ent_parts_min", "lex_best", "emb_cov")}
    n_speed = 40 if args.quick else 100
    s1 = speed(args.shared, 1, n_speed)
    s2 = speed(args.shared, 2, n_speed)
    rows = [
        ("WiCE dev balanced accuracy (out-of-fold, 5 folds)", f"{ba:.3f} (95% CI {lo:.3f}-{hi:.3f})"),
        ("WiCE dev AUC (out-of-fold)", f"{auc(y, p):.3f}"),
        ("AUC of single raw features", ", ".join(f"{k} {v}" for k, v in raw.items())),
        ("whole dev split judged (349 claims, 2 threads), s", f"{whole_split_s:.0f}"),
        (f"claims/s, 1 thread ({n_speed} claims)", f"{s1[0]:.2f} ({s1[1]:.0f} pairs/s)"),
        (f"claims/s, 2 threads ({n_speed} claims)", f"{s2[0]:.2f} ({s2[1]:.0f} pairs/s)"),
        ("peak memory, MB", f"{peak_mb():.0f}"),
        ("SNLI test accuracy (3-way, shipped model, 9,824 pairs)", f"{export['measured'][export['shipped']]['snli_test_acc']:.3f}"),
        ("held-out training-mix accuracy fp32 / int8", f"{export['measured']['fp32']['dev_acc']:.3f} / {export['measured']['int8']['dev_acc']:.3f} (shipped: {export['shipped']})"),
        ("floors (issue 2): " + "; ".join(WICE_FLOORS), "; ".join(f"{v:.3f}" for v in WICE_FLOORS.values())
         + " (each with its threshold picked on dev itself)"),
    ]
    cm = ["| gold \\ ours | " + " | ".join(names) + " |", "|---|---|---|---|"]
    cm += [f"| {g} | " + " | ".join(str(conf[g][q]) for q in names) + " |" for g in names]
    print("## The judge on WiCE dev\n\n" + table(rows) + "\n\nConfusion (out-of-fold verdicts):\n\n" + "\n".join(cm) + "\n")
    save("judge", {"balanced_accuracy_oof": ba, "ci95": [lo, hi], "auc_oof": auc(y, p), "confusion": conf,
                   "whole_split_s": whole_split_s, "claims_per_s_1t": s1[0], "pairs_per_s_1t": s1[1],
                   "claims_per_s_2t": s2[0], "pairs_per_s_2t": s2[1], "peak_mb": peak_mb(), "raw_feature_auc": raw,
                   "bench_s": time.time() - t0})


if __name__ == "__main__":
    main()
