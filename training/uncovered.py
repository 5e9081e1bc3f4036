"""Fit the per-word "uncovered" model (judge/uncovered.py) on WiCE's word labels; write uncovered.json.

Data: ``../shared/train/wice_partial_train.jsonl``, 374 claims that their cited page supports only
in part, each word labelled supported or not. The judge (shipped model and calibration) reads each
claim against its page; every claim word becomes one row of judge/uncovered.py's FEATURES, labelled
from the annotators' tokens it overlaps. The measure is ``bench/judge_bench.py`` on
``../shared/bench/wice/dev_partial_tokens.jsonl`` (another split, never fitted on); the figures
printed here are out-of-fold over claims (5 folds), beside the "absent from the page" baseline.

    .venv-train/bin/python -m training.uncovered --shared ../shared
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np

from training.prepare import WORK
from training.wice import evidence_text, folds, model_hash

PUNCT = set(".,;:!?()[]\"'“”‘’-–—")


def gold_spans(claim: str, tokens: list[str], flags: list[bool]) -> list[tuple[int, int, bool]]:
    """The annotators' tokens as character spans of the claim (they are given without offsets)."""
    out, pos = [], 0
    for t, f in zip(tokens, flags):
        i = claim.find(t, pos)
        if i < 0:
            continue
        out.append((i, i + len(t), bool(f)))
        pos = i + len(t)
    return out


def rows_for(shared: Path, use_cache: bool = True) -> list[dict]:
    """Per claim: the feature rows, their labels and the judge's verdict (cached per model and code)."""
    cache = WORK / f"uncovered_rows_{model_hash()}.json"
    if use_cache and cache.exists():
        return json.loads(cache.read_text())
    from sourcecheck.judge.judge import CrossEncoderJudge

    judge = CrossEncoderJudge()
    data = [json.loads(line) for line in (shared / "train/wice_partial_train.jsonl").open(encoding="utf-8")]
    out = []
    for n, r in enumerate(data):
        evidence = evidence_text(r)
        a = judge.analyse(r["claim"], evidence)
        j = judge.verdict(r["claim"], a, evidence)
        toks, rows = judge.uncovered_features(r["claim"], a, j.parts, evidence)
        gold = gold_spans(r["claim"], r["claim_tokens"], r["non_supported_spans"])
        labels = [int(any(f for s, e, f in gold if s < t.end and t.start < e)) for t in toks]
        out.append({"rows": rows, "y": labels, "verdict": str(j.verdict)})
        if n % 50 == 0:
            print(f"{n}/{len(data)}", flush=True)
    WORK.mkdir(parents=True, exist_ok=True)
    cache.write_text(json.dumps(out))
    return out


def f1(y: np.ndarray, pred: np.ndarray) -> float:
    tp = int((pred & (y == 1)).sum())
    return 2 * tp / max(1, 2 * tp + int((pred & (y == 0)).sum()) + int((~pred & (y == 1)).sum()))


def fit(x: np.ndarray, y: np.ndarray, C: float):
    from sklearn.linear_model import LogisticRegression
    from sklearn.preprocessing import StandardScaler

    sc = StandardScaler().fit(x)
    lr = LogisticRegression(C=C, max_iter=2000, class_weight="balanced").fit(sc.transform(x), y)
    return sc, lr


def best_threshold(y: np.ndarray, p: np.ndarray) -> float:
    grid = np.linspace(0.2, 0.9, 71)
    return float(max(grid, key=lambda t: f1(y, p >= t)))


def oof_probabilities(claims: list[dict], key: str, C: float) -> list[np.ndarray]:
    """Each claim's probabilities from a regression fitted on the other folds' claims."""
    oof = [np.zeros(len(c["y"])) for c in claims]
    for test in folds(len(claims)):
        held = set(test.tolist())
        x = np.array([r for i, c in enumerate(claims) if i not in held for r in c[key]])
        y = np.array([v for i, c in enumerate(claims) if i not in held for v in c["y"]])
        sc, lr = fit(x, y, C)
        for i in test:
            oof[i] = lr.predict_proba(sc.transform(np.array(claims[i][key])))[:, 1]
    return oof


def weights(claims: list[dict], key: str, C: float) -> dict:
    sc, lr = fit(np.array([r for c in claims for r in c[key]]), np.array([v for c in claims for v in c["y"]]), C)
    return {"mean": sc.mean_.tolist(), "scale": sc.scale_.tolist(), "coef": lr.coef_[0].tolist(),
            "intercept": float(lr.intercept_[0])}


LABELS = ("supported", "partially_supported", "not_supported")


def wice_three_way(shared: Path) -> list[dict]:
    """WiCE dev as the judge reads it: gold label, the parts' verdicts, the uncovered share."""
    from sourcecheck.judge.judge import CrossEncoderJudge
    from training.wice import load_wice

    judge = CrossEncoderJudge()
    out = []
    for r in load_wice(shared):
        evidence = evidence_text(r)
        a = judge.analyse(r["claim"], evidence)
        j = judge.verdict(r["claim"], a, evidence)
        _, share = judge.uncovered.decide(*judge.uncovered_features(r["claim"], a, j.parts, evidence))
        out.append({"label": r["label"], "parts": [str(p.verdict) for p in j.parts], "share": share})
    return out


def wice_label(row: dict, t: float | None) -> str:
    """The judge's verdict on a WiCE row in WiCE's labels (contradicted and not addressed are not supported)."""
    from sourcecheck.judge.judge import claim_verdict

    v = str(claim_verdict(row["parts"], row["share"], t))
    return v if v in LABELS[:2] else "not_supported"


def macro_recall(rows: list[dict], t: float | list[float | None] | None) -> tuple[float, dict]:
    """Mean recall over WiCE's three labels; ``t`` one threshold, or one per row (out of fold)."""
    ts = t if isinstance(t, list) else [t] * len(rows)
    hits: dict[str, list[int]] = {k: [] for k in LABELS}
    for r, tr in zip(rows, ts):
        hits[r["label"]].append(int(wice_label(r, tr) == r["label"]))
    recalls = {k: round(float(np.mean(v)), 4) for k, v in hits.items() if v}
    return float(np.mean(list(recalls.values()))), recalls


def fit_t_words(rows: list[dict]) -> float:
    grid = [round(x, 2) for x in np.arange(0.0, 1.01, 0.05)]
    return max(grid, key=lambda t: (macro_recall(rows, t)[0], -t))


def main() -> None:
    from sourcecheck.judge.uncovered import FEATURES, SMOOTH, WEIGHTS, smooth_rows

    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--shared", type=Path, default=Path("../shared"))
    ap.add_argument("--C", type=float, default=1.0)
    ap.add_argument("--no-cache", action="store_true")
    args = ap.parse_args()
    claims = [c for c in rows_for(args.shared, not args.no_cache) if c["rows"]]
    # Stage one per word; stage two (stacked) over each word's out-of-fold probability and its neighbours'.
    for c, p in zip(claims, oof_probabilities(claims, "rows", args.C)):
        c["smooth"] = smooth_rows([float(v) for v in p], c["rows"])
    p_all = np.concatenate(oof_probabilities(claims, "smooth", args.C))
    y_all = np.array([v for c in claims for v in c["y"]])
    t = best_threshold(y_all, p_all)
    stop = FEATURES.index("stop")
    base = np.array([r[0] == 1 and r[stop] == 0 for c in claims for r in c["rows"]])
    figures = {"oof_f1": round(f1(y_all, p_all >= t), 4), "baseline_f1": round(f1(y_all, base), 4),
               "claims": len(claims), "words": len(y_all)}
    print(figures)
    WEIGHTS.write_text(json.dumps({
        "features": list(FEATURES), "smooth_features": list(SMOOTH), "word": weights(claims, "rows", args.C),
        "smooth": weights(claims, "smooth", args.C), "threshold": t,
        "fitted_on": "wice_partial_train.jsonl (all claims); threshold: best out-of-fold F1",
        "C": args.C, **figures}, indent=2) + "\n")
    print(f"wrote {WEIGHTS}")

    # The WORD RULE's threshold (judge.py), fitted on WiCE dev's three labels; out of fold beside it.
    wice = wice_three_way(args.shared)
    oof_t: list[float | None] = [None] * len(wice)
    for test in folds(len(wice)):
        held = set(test.tolist())
        t_f = fit_t_words([r for i, r in enumerate(wice) if i not in held])
        for i in test:
            oof_t[i] = t_f
    t_words = float(fit_t_words(wice))
    three = {"t_words": t_words, "wice_dev_3way_without": macro_recall(wice, None),
             "wice_dev_3way_oof_macro_recall": round(macro_recall(wice, oof_t)[0], 4),
             "wice_dev_3way_with": macro_recall(wice, t_words)}
    print(three)
    w = json.loads(WEIGHTS.read_text())
    WEIGHTS.write_text(json.dumps({**w, **three}, indent=2) + "\n")


if __name__ == "__main__":
    main()
