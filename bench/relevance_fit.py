"""Fit and measure the relevance re-ranker (search/relevance.py): recall@1 / @5, out of fold, against retrieval.

Data: WiCE dev (every claim with gold supporting sentences; every page one source of ONE mixed library, its
passages dense-indexed as ``sourcecheck index`` does), and the own paraphrase set (``bench/data/paraphrases.jsonl``
over ``../shared/library``). For each claim the first ``--pool`` candidates of ``retrieve`` are found once and their
features computed once; a candidate is relevant where it holds a gold sentence (the bench's own ``hit``).

- WiCE: ``--folds`` folds by claim (each claim's page is its own source, so no page is in two folds); each fold
  is ranked by a model fitted on the others: the figures are out of fold.
- Own set: ranked by the model fitted on all of WiCE, so it is held out entirely.

A listwise logistic model fitted here in numpy (``fit``: Newton steps, L2 on the coefficients; scikit-learn is no
dependency), on standardised features. With ``--write`` the model fitted on all of WiCE goes to
``src/sourcecheck/models/rerank/relevance.json`` with its card (the out-of-fold figures and this command).

    .venv/bin/python -m bench.relevance_fit --shared ../shared [--pool 30] [--write]
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from bench.common import ROOT, save
from bench.rerank_bench import own_rows, recall, wice_library
from bench.search_bench import encoder
from sourcecheck.library import Library
from sourcecheck.library.vectors import index_library
from sourcecheck.search import retrieve
from sourcecheck.search.relevance import FEATURES, MODEL, Relevance, features, relevance_order

L2 = 10.0  # on standardised coefficients: ~18 features against ~300 claims; 0.1 and 1 measured no better out of fold


@dataclass
class Query:
    """One claim's candidates: their features (retrieval order) and which are relevant."""

    x: np.ndarray
    y: np.ndarray


def fit(queries: list[Query], l2: float = L2) -> Relevance:
    """Listwise logistic (softmax over each claim's candidates, the target spread over its relevant ones), by
    Newton steps with a halving line search: a convex loss, so it converges to the one optimum.

    Why listwise and not one logistic per pair: what counts is which candidate is FIRST among one claim's;
    measured out of fold on WiCE dev (BENCHMARKS.md) it put the gold sentence first more often at the same
    recall@5. Claims with no relevant candidate in the pool carry no information on the order and are left out.
    """
    x = np.vstack([q.x for q in queries])
    mean, scale = x.mean(0), x.std(0)
    scale[scale == 0] = 1.0
    zs = [((q.x - mean) / scale, q.y / q.y.sum()) for q in queries if q.y.any()]
    w = np.zeros(x.shape[1])

    def loss(w: np.ndarray) -> float:
        total = 0.5 * l2 * float(w @ w)
        for z, t in zs:
            s = z @ w
            total += float(s.max() + np.log(np.exp(s - s.max()).sum()) - t @ s)
        return total

    for _ in range(50):
        grad, hess = l2 * w, l2 * np.eye(len(w))
        for z, t in zs:
            s = z @ w
            p = np.exp(s - s.max())
            p /= p.sum()
            grad = grad + z.T @ (p - t)
            zm = p @ z
            hess = hess + (z * p[:, None]).T @ z - np.outer(zm, zm)
        step, before, a = np.linalg.solve(hess, grad), loss(w), 1.0
        while loss(w - a * step) > before and a > 1e-4:
            a /= 2
        w = w - a * step
        if np.abs(a * step).max() < 1e-7:
            break
    return Relevance(FEATURES, mean, scale, w, 0.0)


def ranks(queries: list[Query], model: Relevance | None) -> list[int | None]:
    """1-based rank of each claim's first relevant candidate (None: none in the pool)."""
    out: list[int | None] = []
    for q in queries:
        order = relevance_order(model, q.x) if model is not None else list(range(len(q.y)))
        out.append(next((r for r, i in enumerate(order, 1) if q.y[i]), None))
    return out


def figures(r: list[int | None]) -> dict:
    return {"recall@1": recall(r, 1), "recall@5": recall(r, 5), "recall@10": recall(r, 10),
            "in_pool": recall(r, 10**6)}


def collect(lib: Library, claims: list[dict], hit, pool: int) -> list[Query]:
    titles = {r.id: r.title for r in lib.refs()}
    out = []
    for c in claims:
        cands = retrieve(lib, c["claim"], pool)
        x = features(c["claim"], [k.text for k in cands], [k.signals for k in cands], [k.score for k in cands],
                     [titles.get(k.source_id, "") for k in cands], [k.source_id for k in cands])
        out.append(Query(x, np.array([hit(k, c) for k in cands], dtype=bool)))
    return out


def out_of_fold(queries: list[Query], folds: int) -> list[int | None]:
    """Each claim ranked by the model fitted on the folds it is not in (claims dealt round-robin)."""
    r: list[int | None] = [None] * len(queries)
    for f in range(folds):
        train = [q for i, q in enumerate(queries) if i % folds != f]
        model = fit(train)
        test = [i for i in range(len(queries)) if i % folds == f]
        for i, rank in zip(test, ranks([queries[i] for i in test], model)):
            r[i] = rank
    return r


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("--pool", type=int, default=30, help="candidates of retrieve the re-ranker orders")
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--lexical", action="store_true", help="no dense vectors (a library never indexed)")
    ap.add_argument("--write", action="store_true", help="write the model fitted on all of WiCE")
    args = ap.parse_args()
    t0 = time.time()
    enc = encoder()
    with tempfile.TemporaryDirectory() as tmp:
        with wice_library(args.shared, Path(tmp) / "wice.db", None) as (lib, claims, hit):
            if not args.lexical:
                index_library(lib, enc)
            wq = collect(lib, claims, hit, args.pool)
        with Library(Path(tmp) / "own.db") as lib:
            rows, own_hit = own_rows(args.shared, lib)
            if not args.lexical:
                index_library(lib, enc)
            oq = collect(lib, rows, own_hit, args.pool)
    full = fit(wq)
    result = {
        "pool": args.pool, "dense": not args.lexical, "folds": args.folds, "seconds": round(time.time() - t0, 1),
        "wice_mixed": {"claims": len(wq), "retrieval": figures(ranks(wq, None)),
                       "relevance_out_of_fold": figures(out_of_fold(wq, args.folds))},
        "own": {"claims": len(oq), "retrieval": figures(ranks(oq, None)),
                "relevance_fitted_on_wice": figures(ranks(oq, full))},
        "coef": dict(zip(FEATURES, (round(float(v), 3) for v in full.coef))),
    }
    save("relevance_fit", result)
    print(json.dumps(result, indent=2))
    if args.write:
        card = {"what": "logistic relevance of a candidate passage to a claim (search/relevance.py)",
                "fitted_on": f"WiCE dev, {len(wq)} claims, mixed library of all pages, top {args.pool} of retrieve",
                "command": f"python -m bench.relevance_fit --shared ../shared --pool {args.pool} --write",
                "out_of_fold": result["wice_mixed"], "own_set": result["own"]}
        MODEL.parent.mkdir(parents=True, exist_ok=True)
        MODEL.write_text(json.dumps(full.to_json(card), indent=1) + "\n", encoding="utf-8")
        print(f"wrote {MODEL}")


if __name__ == "__main__":
    main()
