"""Issue 4 figures: quotation location, sourcecheck side by side with quotecheck.

1. The evaluation set (bench/quotes_eval.py) of N quotations cited to Reed's book:
   sourcecheck (library = Reed + Trotsky, so wrong_source can be told) and quotecheck
   (Reed's text) on the same quotations; found-rate per category, precision and recall
   per status, total time, peak memory.
2. The Wikipedia sample ingested as a library: sourcecheck locates 1,000 quotations
   across it (no citation) after indexing; quotecheck checks a random sample of 20
   against every article (its way: one scan of the whole text per quotation), and its
   time is extrapolated to 1,000.

Each system runs in its own child process, so peak memory (ru_maxrss) is its own.
quotecheck must be installed (``pip install quotecheck``: benchmark only).

    python bench/quotes_bench.py --shared ../shared [--quick]

``--quick``: 200 Reed quotations and 10% of the corpus.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

from bench import quotes_eval as qe
from bench.common import OUT, ROOT, peak_mb, save

OURS_FOUND = ("exact", "normalized", "elided")
QC_FOUND = ("found", "interleaved")


# --- phases, each run in a child process ----------------------------------------------


def _load(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def phase_ours_reed(args: argparse.Namespace) -> dict:
    from sourcecheck.library import Library
    from sourcecheck.quotes import QuoteIndex, locate_quote

    items = _load(Path(args.items))
    t0 = time.perf_counter()
    db = OUT / "quotes_reed.db"
    for p in (db, Path(f"{db}-wal"), Path(f"{db}-shm")):
        p.unlink(missing_ok=True)
    lib = Library(db)
    lib.add(args.shared / qe.REED)
    lib.add(args.shared / qe.TROTSKY)
    index = QuoteIndex(lib)
    index.build()
    reed = next(s for s in lib.sources() if "ten-days" in s.id)
    setup = time.perf_counter() - t0
    t0 = time.perf_counter()
    statuses = [locate_quote(it["quote"], reed, index, cited_missing=False).status for it in items]
    return {"setup_s": setup, "locate_s": time.perf_counter() - t0, "statuses": statuses}


def phase_qc_reed(args: argparse.Namespace) -> dict:
    import quotecheck

    items = _load(Path(args.items))
    text = (args.shared / qe.REED).read_text(encoding="utf-8")
    t0 = time.perf_counter()
    statuses = [quotecheck.check(it["quote"], text).status for it in items]
    return {"setup_s": 0.0, "locate_s": time.perf_counter() - t0, "statuses": statuses}


def _corpus_db(fraction: float) -> Path:
    return OUT / f"quotes_corpus_{fraction:g}.db"


def phase_ours_corpus(args: argparse.Namespace) -> dict:
    from sourcecheck.library import Library
    from sourcecheck.quotes import QuoteIndex, locate_quote

    items = _load(Path(args.items))
    db = _corpus_db(args.fraction)
    out: dict = {}
    fresh = not db.exists()
    lib = Library(db)
    if fresh:  # ingest once; later runs reuse the library file
        t0 = time.perf_counter()
        lib.add(Path(args.corpus_file))
        out["ingest_s"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    index = QuoteIndex(lib)
    index.build(rebuild=True)
    out["index_s"] = time.perf_counter() - t0
    out["chars"] = lib.stats()["characters"]
    out["sources"] = len(lib.refs())
    t0 = time.perf_counter()
    out["statuses"] = [locate_quote(it["quote"], None, index, cited_missing=False).status for it in items]
    out["locate_s"] = time.perf_counter() - t0
    return out


def phase_qc_corpus(args: argparse.Namespace) -> dict:
    import quotecheck

    items = _load(Path(args.items))
    texts = [a["text"] for a in qe.corpus_articles(args.shared, args.fraction)]
    statuses: list[str] = []
    times: list[float] = []
    start = time.perf_counter()
    for it in items:
        if statuses and time.perf_counter() - start > args.qc_budget:
            break  # time budget spent: extrapolate from the quotations done
        t0 = time.perf_counter()
        best = "absent"
        for text in texts:
            st = quotecheck.check(it["quote"], text).status
            if st in QC_FOUND:
                best = st
                break
            if st == "drift":
                best = "drift"
        statuses.append(best)
        times.append(time.perf_counter() - t0)
    return {"statuses": statuses, "times": times, "locate_s": sum(times)}


def phase_gen(args: argparse.Namespace) -> dict:
    """Write the evaluation sets (and the corpus share) to bench/out: done in a child
    because Linux children inherit their parent's peak RSS, which would hide theirs."""
    reed_items = [vars(i) for i in qe.reed_set(args.shared, args.n)]
    _dump(OUT / "quotes_eval_reed.jsonl", reed_items)
    articles = qe.corpus_articles(args.shared, args.fraction)
    corpus_file = args.shared / qe.CORPUS
    if args.fraction < 1.0:
        corpus_file = OUT / f"quotes_corpus_{args.fraction:g}.jsonl"
        if not corpus_file.exists():
            _dump(corpus_file, articles)
    wiki_items = [vars(i) for i in qe.corpus_set(articles, args.corpus_n)]
    _dump(OUT / "quotes_eval_wiki.jsonl", wiki_items)
    sample = random.Random(3).sample(wiki_items, min(args.qc_sample, len(wiki_items)))
    _dump(OUT / "quotes_eval_wiki_sample.jsonl", sample)
    return {"corpus_file": str(corpus_file)}


def _dump(path: Path, rows: list[dict]) -> None:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")


PHASES = {"gen": phase_gen, "ours_reed": phase_ours_reed, "qc_reed": phase_qc_reed,
          "ours_corpus": phase_ours_corpus, "qc_corpus": phase_qc_corpus}


def run_phase(name: str, args: argparse.Namespace, items: Path, **extra: object) -> dict:
    """Run one phase in a child; its result plus the child's own peak memory (MB)."""
    result = OUT / f"quotes_phase_{name}.json"
    cmd = [sys.executable, "-m", "bench.quotes_bench", "--phase", name, "--shared", str(args.shared), "--items", str(items),
           "--fraction", str(args.fraction), "--qc-budget", str(args.qc_budget), "--result", str(result)]
    for k, v in extra.items():
        cmd += [f"--{k.replace('_', '-')}", str(v)]
    p = subprocess.Popen(cmd, cwd=ROOT)
    _, status, ru = os.wait4(p.pid, 0)
    if status != 0:
        raise SystemExit(f"phase {name} failed (status {status})")
    data = json.loads(result.read_text())
    data["peak_mb"] = ru.ru_maxrss / 1024
    return data


# --- figures ----------------------------------------------------------------------------


def per_category(items: list[dict], ours: list[str], qc: list[str] | None) -> list[tuple]:
    """(category, n, expected, ours correct, quotecheck correct) per category.

    Correct: a true quotation found (in the cited source); a false one not reported as
    found; a wrong_source one reported as wrong_source (quotecheck: not found in Reed).
    """
    rows = []
    by = defaultdict(list)
    for k, it in enumerate(items):
        by[it["category"]].append(k)
    for cat in qe.MIX:
        ks = by.get(cat)
        if not ks:
            continue
        def ok_ours(k: int, cat: str = cat) -> bool:
            st = ours[k]
            if cat == "wrong_source":
                return st == "wrong_source"
            return (st in OURS_FOUND) == items[k]["true"]
        row = [cat, len(ks), "found" if items[ks[0]]["true"] else ("wrong_source" if cat == "wrong_source" else "not found"),
               sum(ok_ours(k) for k in ks) / len(ks)]
        if qc is not None:
            done = [k for k in ks if k < len(qc)]
            row.append(sum((qc[k] in QC_FOUND) == items[k]["true"] for k in done) / len(done) if done else float("nan"))
        rows.append(tuple(row))
    return rows


def per_status(items: list[dict], ours: list[str]) -> list[tuple[str, int, float, float]]:
    """Precision and recall of each expected status."""
    rows = []
    for st in ("exact", "normalized", "elided", "drift", "absent", "wrong_source"):
        exp = [k for k, it in enumerate(items) if it["expected"] == st]
        got = [k for k, s in enumerate(ours) if s == st]
        tp = sum(1 for k in exp if ours[k] == st)
        if exp or got:
            rows.append((st, len(exp), tp / len(got) if got else float("nan"), tp / len(exp) if exp else float("nan")))
    return rows


def summary(items: list[dict], statuses: list[str], found: tuple[str, ...]) -> dict:
    n = min(len(items), len(statuses))
    true = [k for k in range(n) if items[k]["true"]]
    typo = [k for k in true if items[k]["category"] in ("typographic", "spelling", "hyphenation", "one_line", "paragraph")]
    false = [k for k in range(n) if not items[k]["true"]]
    danger = [k for k in false if items[k]["category"] in ("spliced", "one_word")]
    rec = lambda ks: sum(statuses[k] in found for k in ks) / len(ks) if ks else float("nan")
    return {"recall_true": rec(true), "recall_typographic": rec(typo), "false_alarm_rate": rec(false),
            "spliced_or_one_word_found": sum(statuses[k] in found for k in danger)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--shared", type=Path, required=True)
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--n", type=int, default=None, help="Reed quotations (1000; --quick 200)")
    ap.add_argument("--fraction", type=float, default=None, help="share of the corpus (1.0; --quick 0.1)")
    ap.add_argument("--corpus-n", type=int, default=1000)
    ap.add_argument("--qc-sample", type=int, default=20)
    ap.add_argument("--qc-budget", type=float, default=None, help="seconds for quotecheck on the corpus")
    ap.add_argument("--phase", choices=sorted(PHASES))
    ap.add_argument("--items")
    ap.add_argument("--result")
    ap.add_argument("--corpus-file")
    args = ap.parse_args()
    args.shared = args.shared.resolve()
    n = args.n = args.n or (200 if args.quick else 1000)
    args.fraction = args.fraction or (0.1 if args.quick else 1.0)
    args.qc_budget = args.qc_budget or (150.0 if args.quick else 1200.0)
    if args.phase:
        out = PHASES[args.phase](args)
        out["peak_mb_self"] = peak_mb()
        Path(args.result).write_text(json.dumps(out))
        return

    OUT.mkdir(parents=True, exist_ok=True)
    corpus_file = run_phase("gen", args, OUT / "none", n=n, corpus_n=args.corpus_n, qc_sample=args.qc_sample)["corpus_file"]
    reed_path, wiki_path, sample_path = (OUT / f"quotes_eval_{k}.jsonl" for k in ("reed", "wiki", "wiki_sample"))
    reed_items, wiki_items, sample = _load(reed_path), _load(wiki_path), _load(sample_path)
    ours_r = run_phase("ours_reed", args, reed_path)
    qc_r = run_phase("qc_reed", args, reed_path)
    ours_c = run_phase("ours_corpus", args, wiki_path, corpus_file=corpus_file)
    qc_c = run_phase("qc_corpus", args, sample_path)

    # -- Reed
    cmd = "python bench/quotes_bench.py --shared ../shared" + (" --quick" if args.quick else "")
    rs_ours = summary(reed_items, ours_r["statuses"], OURS_FOUND)
    rs_qc = summary(reed_items, qc_r["statuses"], QC_FOUND)
    print(f"## Quotations: sourcecheck vs quotecheck\n\n`{cmd}`\n")
    print(f"### {n} quotations cited to Reed's *Ten Days That Shook the World* (790 k chars)\n")
    rows = [("recall, true quotations", f"{rs_ours['recall_true']:.3f}", f"{rs_qc['recall_true']:.3f}"),
            ("recall, typographic variation (one line, hyphenation, typography, spellings, paragraph)",
             f"{rs_ours['recall_typographic']:.3f}", f"{rs_qc['recall_typographic']:.3f}"),
            ("false alarms (false quotations reported found)", f"{rs_ours['false_alarm_rate']:.3f}", f"{rs_qc['false_alarm_rate']:.3f}"),
            ("spliced or one-word-changed reported found", str(rs_ours["spliced_or_one_word_found"]), str(rs_qc["spliced_or_one_word_found"])),
            ("total time, s", f"{ours_r['locate_s']:.2f} (+{ours_r['setup_s']:.2f} ingest+index)", f"{qc_r['locate_s']:.2f}"),
            ("peak memory, MB", f"{ours_r['peak_mb']:.0f}", f"{qc_r['peak_mb']:.0f}")]
    print("| measure | sourcecheck | quotecheck |\n|---|---|---|")
    print("\n".join(f"| {a} | {b} | {c} |" for a, b, c in rows))
    print("\nCorrect per category (true: found; false: not reported found; wrong_source: "
          "sourcecheck names the other source, quotecheck must not find it in Reed):\n")
    print("| category | n | should be | sourcecheck | quotecheck |\n|---|---|---|---|---|")
    cats = per_category(reed_items, ours_r["statuses"], qc_r["statuses"])
    print("\n".join(f"| {c} | {k} | {e} | {a:.3f} | {b:.3f} |" for c, k, e, a, b in cats))
    print("\nsourcecheck, precision and recall per expected status:\n")
    print("| status | n expected | precision | recall |\n|---|---|---|---|")
    stat = per_status(reed_items, ours_r["statuses"])
    print("\n".join(f"| {s} | {k} | {p:.3f} | {r:.3f} |" for s, k, p, r in stat))
    conf = Counter((it["expected"], s) for it, s in zip(reed_items, ours_r["statuses"]) if it["expected"] != s)
    if conf:
        print("\nsourcecheck's misses (expected -> got: count): " +
              ", ".join(f"{a} -> {b}: {c}" for (a, b), c in conf.most_common()))

    # -- corpus
    qn = len(qc_c["statuses"])
    qc_per = qc_c["locate_s"] / qn if qn else float("nan")
    ours_per = ours_c["locate_s"] / len(wiki_items)
    cs_ours = summary(wiki_items, ours_c["statuses"], OURS_FOUND)
    sample_ours = [ours_c["statuses"][wiki_items.index(s)] for s in sample[:qn]]
    cs_qc = summary(sample[:qn], qc_c["statuses"], QC_FOUND)
    cs_ours_sample = summary(sample[:qn], sample_ours, OURS_FOUND)
    chars = ours_c["chars"]
    print(f"\n### The Wikipedia sample as a library ({ours_c['sources']} articles, {chars / 1e6:.1f} M chars"
          f"{', ' + format(args.fraction, '.0%') + ' of the corpus' if args.fraction < 1 else ''})\n")
    rows = [("quotations located", f"{len(wiki_items)}", f"{qn} (random sample)"),
            ("time per quotation, s", f"{ours_per:.4f}", f"{qc_per:.2f}"),
            ("time for 1,000 quotations, s", f"{ours_per * 1000:.2f}", f"{qc_per * 1000:.0f} (extrapolated)"),
            ("speed-up", f"{qc_per / ours_per:.0f}×", "1×"),
            ("indexing once, s", f"{ours_c['index_s']:.1f}" + (f" (+{ours_c['ingest_s']:.0f} ingest)" if "ingest_s" in ours_c else ""), "none"),
            ("recall, true quotations (whole set / quotecheck's sample)",
             f"{cs_ours['recall_true']:.3f} / {cs_ours_sample['recall_true']:.3f}", f"— / {cs_qc['recall_true']:.3f}"),
            ("false alarms (whole set / quotecheck's sample)",
             f"{cs_ours['false_alarm_rate']:.3f} / {cs_ours_sample['false_alarm_rate']:.3f}", f"— / {cs_qc['false_alarm_rate']:.3f}"),
            ("peak memory, MB", f"{ours_c['peak_mb']:.0f}", f"{qc_c['peak_mb']:.0f}")]
    print("| measure | sourcecheck | quotecheck |\n|---|---|---|")
    print("\n".join(f"| {a} | {b} | {c} |" for a, b, c in rows))
    wcats = per_category(wiki_items, ours_c["statuses"], None)
    print("\nsourcecheck per category across the library: " + ", ".join(f"{c} {a:.3f} (n={k})" for c, k, _, a in wcats))
    print()
    save("quotes_bench", {
        "reed": {"n": n, "ours": {**rs_ours, "time_s": ours_r["locate_s"], "setup_s": ours_r["setup_s"], "peak_mb": ours_r["peak_mb"]},
                 "quotecheck": {**rs_qc, "time_s": qc_r["locate_s"], "peak_mb": qc_r["peak_mb"]},
                 "per_category": cats, "per_status": stat},
        "corpus": {"fraction": args.fraction, "chars": chars, "sources": ours_c["sources"],
                   "ours": {**cs_ours, "n": len(wiki_items), "time_s": ours_c["locate_s"], "index_s": ours_c["index_s"],
                            "ingest_s": ours_c.get("ingest_s"), "peak_mb": ours_c["peak_mb"], "per_category": wcats},
                   "quotecheck": {**cs_qc, "n": qn, "time_s": qc_c["locate_s"], "per_quote_s": qc_per,
                                  "extrapolated_1000_s": qc_per * 1000, "peak_mb": qc_c["peak_mb"]},
                   "speedup": qc_per / ours_per},
    })


if __name__ == "__main__":
    main()
