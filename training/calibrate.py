"""Fit the judge's combination of model scores and features on WiCE dev; write calibration.json.

A logistic regression over the features (judge/judge.py FEATURES) gives P(supported). Its figures
are reported out-of-fold (5-fold CV: in each fold the regression *and* the threshold are fitted on
the other four folds only), never on the rows it was fitted to. The shipped regression and
threshold are then fitted on all of dev.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from wice import auc, balanced_accuracy, best_threshold, bootstrap_ci, folds, wice_features  # noqa: E402


def fit(X: np.ndarray, y: np.ndarray, C: float):
    from sklearn.linear_model import LogisticRegression

    return LogisticRegression(C=C, max_iter=2000, class_weight="balanced").fit(X, y)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--shared", type=Path, default=HERE.parent.parent / "shared")
    ap.add_argument("--C", type=float, default=1.0)
    args = ap.parse_args()
    from sourcecheck.judge.judge import CALIBRATION, FEATURES, feature_vector

    feats, labels, timing = wice_features(args.shared)
    X = np.array([feature_vector(f) for f in feats])
    y = np.array([1 if l == "supported" else 0 for l in labels])
    mu, sd = X.mean(0), X.std(0) + 1e-9
    Xs = (X - mu) / sd
    oof_p = np.zeros(len(y))
    oof_pred = np.zeros(len(y), dtype=int)
    for test in folds(len(y)):
        train = np.setdiff1d(np.arange(len(y)), test)
        m = fit(Xs[train], y[train], args.C)
        t = best_threshold(y[train], m.predict_proba(Xs[train])[:, 1])
        oof_p[test] = m.predict_proba(Xs[test])[:, 1]
        oof_pred[test] = (oof_p[test] >= t).astype(int)
    ba = balanced_accuracy(y, oof_pred)
    lo, hi = bootstrap_ci(y, oof_pred)
    # Single features, for the card: each one's AUC alone (direction-free).
    single = {k: round(max(auc(y, X[:, i]), 1 - auc(y, X[:, i])), 3) for i, k in enumerate(FEATURES)}
    m = fit(Xs, y, args.C)
    p_all = m.predict_proba(Xs)[:, 1]
    t_all = best_threshold(y, p_all)
    # Fold the standardisation into the coefficients so run time needs only a dot product.
    coef = (m.coef_[0] / sd).tolist()
    intercept = float(m.intercept_[0] - (m.coef_[0] * mu / sd).sum())
    cal = {"features": list(FEATURES), "coef": coef, "intercept": intercept, "t_support": t_all,
           "t_contradiction": 0.6, "C": args.C,
           "wice_dev_out_of_fold": {"balanced_accuracy": round(ba, 4), "ci95": [round(lo, 4), round(hi, 4)],
                                    "auc": round(auc(y, oof_p), 4), "n": int(len(y))},
           "single_feature_auc": single, "feature_seconds": round(timing["seconds"], 1)}
    CALIBRATION.write_text(json.dumps(cal, indent=2))
    print(json.dumps(cal, indent=2))


if __name__ == "__main__":
    main()
