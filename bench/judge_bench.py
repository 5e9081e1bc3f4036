"""Issue 9 figures: the judge, part by part, on every kind of evidence it meets.

- Balanced accuracy (supported vs. not) OUT OF FOLD on the three fitting sets (WiCE dev pages,
  attribution_id dev passages, held-out sentence pairs), exactly as training/calibrate.py fits
  them: regression and thresholds refitted on the other four folds, never on the scored rows.
- Measurement only (never fitted on): attribution_id test_sampled500; the seeded 20% of esnli_dev
  (3-way: balanced accuracy and the recall of contradictions).
- SNLI test 3-way accuracy of the shipped model (measured at export on all 9,824 pairs).
- WiCE dev's three labels (supported / partly / not): mean recall, with and without the WORD RULE
  (its threshold fitted by training/uncovered.py, out of fold there).
- ``uncovered`` words against WiCE's word labels (dev_partial_tokens.jsonl, 124 partly supported
  claims): micro-F1 over claim tokens without punctuation, beside the baseline "tokens absent from
  the page".
- Time for all of WiCE dev on 2 threads, peak memory, and ``find`` with re-scoring on the WiCE dev
  pages added as a library (median wall-clock per claim, model loading excluded).
Every figure carries a 95% bootstrap interval where it is a rate.
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from training import calibrate
from training.wice import evidence_text, load_wice

from bench.common import peak_mb, save, table

PUNCT = re.compile(r"^\W+$")


def calibration_figures(shared: Path, quick: bool) -> dict:
    """Out-of-fold and measurement-only figures, recomputed from the judge's features."""
    sets = calibrate.load_sets(shared, quick)
    feats, timing = calibrate.part_features(sets)
    ys = {k: np.array([r["y"] for r in v]) for k, v in sets.items()}
    from sourcecheck.judge.model import MODEL_DIR

    cal = json.loads((MODEL_DIR / "calibration.json").read_text())
    oof = {}
    fold_of = {k: calibrate.folds(len(ys[k])) for k in calibrate.FIT_SETS}
    preds = {k: np.zeros(len(ys[k])) for k in calibrate.FIT_SETS}
    for f in range(5):
        train = {k: np.setdiff1d(np.arange(len(ys[k])), fold_of[k][f]) for k in calibrate.FIT_SETS}
        comb = calibrate.Combination(cal["C"]).fit([([feats[k][i] for i in train[k]], ys[k][train[k]])
                                                    for k in calibrate.FIT_SETS])
        t = calibrate.best_shared_threshold([(ys[k][train[k]], comb.claim_p([feats[k][i] for i in train[k]]))
                                             for k in calibrate.FIT_SETS])
        for k in calibrate.FIT_SETS:
            test = fold_of[k][f]
            preds[k][test] = (comb.claim_p([feats[k][i] for i in test]) >= t).astype(int)
    for k in calibrate.FIT_SETS:
        lo, hi = calibrate.bootstrap_ci(ys[k], preds[k])
        oof[k] = (calibrate.balanced_accuracy(ys[k], preds[k]), lo, hi, len(ys[k]))
    comb = calibrate.Combination(cal["C"]).fit([(feats[k], ys[k]) for k in calibrate.FIT_SETS])
    measured = {k: calibrate.measure(comb, cal["t_support"], cal["t_contradiction"], feats[k], sets[k])
                for k in ("attribution_test", "esnli_heldout")}
    # The verdicts the judge ships: both thresholds fitted for precision (calibration.json). WiCE dev's
    # regression is fitted on all of WiCE here (in-sample for it; the others are measurement only).
    t_sp = cal.get("t_support_precise", cal["t_support"])
    t_cp = cal.get("t_contradiction_precise", cal["t_contradiction"])
    shipped = {k: calibrate.measure(comb, t_sp, t_cp, feats[k], sets[k])
               for k in ("wice_dev", "attribution_test", "esnli_heldout")}
    return {"oof": oof, "measured": measured, "shipped": shipped, "timing": timing}


def uncovered_f1(shared: Path, judge, quick: bool) -> dict:
    """Micro-F1 of ``uncovered`` against WiCE's word labels, and of the absent-from-page baseline."""
    from sourcecheck.judge.windows import stem

    rows = [json.loads(line) for line in (shared / "bench/wice/dev_partial_tokens.jsonl").open(encoding="utf-8")]
    rows = rows[:20] if quick else rows
    tp = fp = fn = btp = bfp = bfn = 0
    for r in rows:
        evidence = [e.replace("(meta data) TITLE:", "").strip() for e in r["evidence"]]
        res = judge.judge(r["claim"], evidence)
        mine = {stem(w.lower()) for w in res.uncovered}
        page = {stem(w) for w in re.findall(r"[a-z0-9]+", " ".join(evidence).lower())}
        for tok, gold in zip(r["claim_tokens"], r["non_supported_spans"]):
            if PUNCT.match(tok):
                continue
            s = stem(tok.lower())
            pred, base = s in mine, s not in page
            tp, fp, fn = tp + (pred and gold), fp + (pred and not gold), fn + (gold and not pred)
            btp, bfp, bfn = btp + (base and gold), bfp + (base and not gold), bfn + (gold and not base)

    def f1(a: int, b: int, c: int) -> float:
        return 2 * a / max(1, 2 * a + b + c)

    return {"f1": f1(tp, fp, fn), "precision": tp / max(1, tp + fp), "recall": tp / max(1, tp + fn),
            "baseline_f1": f1(btp, bfp, bfn), "claims": len(rows)}


def wice_time(shared: Path, judge, n: int | None) -> tuple[float, int]:
    rows = load_wice(shared)[:n] if n else load_wice(shared)
    t0 = time.time()
    for r in rows:
        judge.judge(r["claim"], evidence_text(r))
    return time.time() - t0, len(rows)


def find_per_claim(shared: Path, judge, n: int) -> float:
    """Median seconds of ``find`` with re-scoring per claim, over WiCE dev pages added as a library."""
    from sourcecheck.library import Library
    from sourcecheck.search import find_evidence

    rows = load_wice(shared)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "pages"
        folder.mkdir()
        seen = set()
        for i, r in enumerate(rows):
            text = "\n".join(evidence_text(r))
            if text not in seen:
                seen.add(text)
                (folder / f"page-{i:03d}.txt").write_text(text, encoding="utf-8")
        with Library(Path(tmp) / "lib.db") as lib:
            lib.add(folder)
            find_evidence(lib, judge, rows[0]["claim"], k=5)  # warm: the first query loads indexes
            times = []
            for r in rows[1: n + 1]:
                t0 = time.time()
                find_evidence(lib, judge, r["claim"], k=5)
                times.append(time.time() - t0)
    return statistics.median(times)


LLM_SETS = ("wice_dev", "attribution_dev", "sentences", "attribution_test", "esnli_heldout")


def sample_sets(shared: Path, n: int, names: Sequence[str] = LLM_SETS) -> dict[str, list[dict]]:
    """The same dev sets as the shipped judge's figures, ``n`` rows of each (a seeded sample)."""
    import random

    sets = calibrate.load_sets(shared, quick=False)
    return {k: random.Random(19).sample(sets[k], min(n, len(sets[k]))) for k in names}


def verdict_figures(rows: list[dict], verdicts: list[str]) -> dict:
    """Balanced accuracy (supported vs not) with its interval; recall of contradictions where 3-way."""
    y = np.array([r["y"] for r in rows])
    pred = np.array([int(v == "supported") for v in verdicts])
    ba = calibrate.balanced_accuracy(y, pred) if 0 < y.sum() < len(y) else float("nan")
    lo, hi = calibrate.bootstrap_ci(y, pred) if 0 < y.sum() < len(y) else (float("nan"), float("nan"))
    con = [v == "contradicted" for r, v in zip(rows, verdicts) if r["label3"] == 2]
    return {"n": len(rows), "balanced_accuracy": ba, "ci95": [lo, hi],
            "contradiction_recall": float(np.mean(con)) if con else None,
            "verdicts": {v: verdicts.count(v) for v in sorted(set(verdicts))}}


def run_judge_on(judge, rows: list[dict]) -> tuple[list[str], float]:
    """Each row's verdict, in order (several requests in flight where the judge can), and the wall time."""
    t0 = time.time()
    pairs = getattr(judge, "judge_pairs", None)
    if pairs is not None:
        res = list(pairs((r["claim"], r["evidence"]) for r in rows))
    else:
        res = [judge.judge(r["claim"], r["evidence"]) for r in rows]
    return [str(j.verdict) for j in res], time.time() - t0


def llm_main(args: argparse.Namespace) -> None:
    """The same dev sets against any OpenAI-compatible endpoint, beside the shipped judge and cascade."""
    from sourcecheck.judge.judge import CrossEncoderJudge
    from sourcecheck.judge.llm import CascadeJudge, make_llm_judge
    from sourcecheck.judge.longclaim import windowed

    settings = {"url": args.judge_url, "model": args.judge_model, "api-key-env": args.judge_api_key_env,
                "concurrency": args.judge_concurrency, "timeout": args.judge_timeout}
    sets = sample_sets(args.shared, args.limit, args.sets.split(","))
    shipped = windowed(CrossEncoderJudge(threads=2))
    out: dict = {"url": args.judge_url, "model": args.judge_model, "per_set": args.limit, "sets": {}}
    rows_md = []
    with tempfile.TemporaryDirectory() as tmp:
        cache = str(Path(tmp) / "cache.sqlite")  # a fresh cache: the times are the model's, not the cache's
        llm = make_llm_judge({**settings, "cache": cache})
        for name, rows in sets.items():
            row: dict = {}
            v, t = run_judge_on(shipped, rows)
            row["shipped"] = {**verdict_figures(rows, v), "seconds": t}
            before = (llm.usage.requests, llm.usage.prompt_tokens, llm.usage.completion_tokens, llm.usage.refused)
            v, t = run_judge_on(llm, rows)
            u = llm.usage
            row["llm"] = {**verdict_figures(rows, v), "seconds": t, "requests": u.requests - before[0],
                          "prompt_tokens": u.prompt_tokens - before[1], "completion_tokens": u.completion_tokens - before[2],
                          "refused": u.refused - before[3]}
            t0 = time.time()
            run_judge_on(llm, rows)  # again: every answer from the cache
            row["llm"]["rerun_seconds"] = time.time() - t0
            if args.cascade:
                casc = CascadeJudge(windowed(shipped), make_llm_judge({**settings, "cache": str(Path(tmp) / "cascade.sqlite")}))
                v, t = run_judge_on(casc, rows)
                row["cascade"] = {**verdict_figures(rows, v), "seconds": t, "parts_sent": casc.parts_sent,
                                  "parts_seen": casc.parts_seen, "claims_sent": casc.claims_sent,
                                  "requests": casc.second.usage.requests}
            out["sets"][name] = row
            for who, f in row.items():
                extra = ""
                if who == "llm":
                    extra = (f"; {f['prompt_tokens'] / max(1, f['requests']):.0f} + {f['completion_tokens'] / max(1, f['requests']):.0f} "
                             f"tokens a request, {f['refused']} quotations refused, rerun {f['rerun_seconds']:.1f} s")
                if who == "cascade":
                    extra = f"; {f['parts_sent']} of {f['parts_seen']} parts ({f['claims_sent']} of {f['n']} claims) to the LLM"
                cr = f", contradiction recall {f['contradiction_recall']:.2f}" if f["contradiction_recall"] is not None else ""
                rows_md.append((f"{name} (n={f['n']}): {who}",
                                f"{f['balanced_accuracy']:.3f} ({f['ci95'][0]:.2f}-{f['ci95'][1]:.2f}){cr}; "
                                f"{f['seconds'] / f['n']:.2f} s a claim{extra}"))
            print(f"{name}: done", flush=True)
        out["usage"] = llm.usage_line()
        llm.close()
    print(f"## The judge against {args.judge_model} at {args.judge_url} (issue 19)\n\n"
          "balanced accuracy supported vs not (95% CI); seconds a claim, wall clock\n\n" + table(rows_md) + "\n")
    save("judge_llm", out)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--shared", type=Path, required=True)
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--judge", choices=("cross-encoder", "openai"), default="cross-encoder",
                    help="openai: the same dev sets against an OpenAI-compatible endpoint (with the shipped judge beside it)")
    ap.add_argument("--judge-url")
    ap.add_argument("--judge-model")
    ap.add_argument("--judge-api-key-env")
    ap.add_argument("--judge-concurrency", type=int, default=4)
    ap.add_argument("--judge-timeout", type=float, default=120.0)
    ap.add_argument("--limit", type=int, default=40, help="rows of each set (openai): a seeded sample")
    ap.add_argument("--sets", default=",".join(LLM_SETS),
                    help="the dev sets (openai), comma-separated: a slow endpoint may take the short ones only")
    ap.add_argument("--cascade", action="store_true", help="also the cascade: the shipped judge, weak parts to the LLM")
    args = ap.parse_args()
    if args.judge == "openai":
        if not args.judge_url:
            ap.error("--judge openai needs --judge-url")
        llm_main(args)
        return
    from sourcecheck.judge.judge import CrossEncoderJudge
    from sourcecheck.judge.model import MODEL_DIR

    export = json.loads((MODEL_DIR / "export.json").read_text())
    judge = CrossEncoderJudge(threads=2)
    t0 = time.time()
    cal = calibration_figures(args.shared, args.quick)
    unc = uncovered_f1(args.shared, judge, args.quick)
    wt, wn = wice_time(args.shared, judge, 40 if args.quick else None)
    fpc = find_per_claim(args.shared, judge, 10 if args.quick else 30)
    rows = []
    names = {"wice_dev": "WiCE dev (pages)", "attribution_dev": "attribution_id dev (passages)",
             "sentences": "held-out sentence pairs"}
    for k, (ba, lo, hi, n) in cal["oof"].items():
        rows.append((f"{names[k]}: balanced accuracy, out-of-fold (n={n})", f"{ba:.3f} (95% CI {lo:.3f}-{hi:.3f})"))
    at = cal["measured"]["attribution_test"]
    rows.append((f"attribution_id test_sampled500: balanced accuracy, measurement only (n={at['n']})",
                 f"{at['balanced_accuracy']:.3f} (95% CI {at['ci95'][0]:.3f}-{at['ci95'][1]:.3f})"))
    es = cal["measured"]["esnli_heldout"]
    rows.append((f"esnli_dev held-out 20%: balanced accuracy supported vs not (n={es['n']})",
                 f"{es['balanced_accuracy']:.3f} (95% CI {es['ci95'][0]:.3f}-{es['ci95'][1]:.3f})"))
    rows.append(("esnli_dev held-out 20%: recall of contradictions / false contradiction rate",
                 f"{es.get('contradiction_recall', float('nan')):.3f} / {es.get('contradiction_false_rate', float('nan')):.3f}"))
    for k, m in cal["shipped"].items():
        extra = (f"; contradiction recall {m['contradiction_recall']:.3f}, false contradictions "
                 f"{m['contradiction_false_rate']:.3f}") if "contradiction_recall" in m else ""
        rows.append((f"{k}, the shipped precise thresholds: balanced accuracy (n={m['n']})",
                     f"{m['balanced_accuracy']:.3f} (95% CI {m['ci95'][0]:.3f}-{m['ci95'][1]:.3f}){extra}"))
    shipped = export["measured"][export["shipped"]]
    rows.append(("SNLI test, 3-way accuracy (shipped model, 9,824 pairs, at export)", f"{shipped['snli_test_acc']:.3f}"))
    rows.append((f"uncovered words vs WiCE word labels: micro-F1 ({unc['claims']} claims)",
                 f"{unc['f1']:.3f} (P {unc['precision']:.3f}, R {unc['recall']:.3f}); baseline absent-from-page {unc['baseline_f1']:.3f}"))
    unc_w = json.loads((MODEL_DIR / "uncovered.json").read_text())
    if "wice_dev_3way_oof_macro_recall" in unc_w:
        before, after = unc_w["wice_dev_3way_without"], unc_w["wice_dev_3way_with"]
        rows.append(("WiCE dev, 3 labels: mean recall without / with the WORD RULE (out-of-fold)",
                     f"{before[0]:.3f} / {unc_w['wice_dev_3way_oof_macro_recall']:.3f} (partly supported recall "
                     f"{before[1]['partially_supported']:.2f} -> {after[1]['partially_supported']:.2f}, in-sample)"))
    rows.append((f"time for WiCE dev, 2 threads ({wn} claims), s", f"{wt:.0f}"))
    rows.append(("find with re-scoring, WiCE dev pages as a library: median s per claim", f"{fpc:.2f}"))
    rows.append(("peak memory, MB", f"{peak_mb():.0f}"))
    print("## The judge (issue 9)\n\n" + table(rows) + "\n")
    save("judge", {"out_of_fold": {k: list(v) for k, v in cal["oof"].items()}, "measured": cal["measured"],
                   "shipped_thresholds": cal["shipped"], "uncovered": unc, "wice_seconds": wt, "wice_claims": wn, "find_median_s": fpc,
                   "peak_mb": peak_mb(), "snli_test": shipped["snli_test_acc"], "bench_s": time.time() - t0})


if __name__ == "__main__":
    main()
