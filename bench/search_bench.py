"""Evidence search quality on WiCE dev (recall@1/5/10 of gold supporting sentences), and scale.

Quality: every claim's evidence page becomes one source; a page's sentences are grouped into
passages of ``--sentences`` consecutive sentences (each group one paragraph, so the library's own
segmenter keeps it whole unless it runs past 600 characters). A hit at k: one of the first k
passages returned contains (by character offsets) a gold supporting sentence from any of the
alternative sets. (a) "page": search restricted to the claim's own page (``source_ids``);
(b) "mixed": all pages of the split in one library. Same code path as ``sourcecheck find``:
``find_evidence`` over a library file, its vectors from ``index_library``.

Scale (``--scale``): ingest a fraction of the Wikipedia sample, time the dense index on a part
of it and extrapolate, sizes, peak memory, query latency with and without re-scoring.

    .venv/bin/python bench/search_bench.py --shared ../shared [--quick] [--scale --fraction 0.1]
"""

from __future__ import annotations

import argparse
import gzip
import json
import resource
import sys
import time
from pathlib import Path

import numpy as np

from bench.common import OUT, ROOT
from sourcecheck.library import Library, embed
from sourcecheck.library.vectors import index_library
from sourcecheck.records import Suggestion
from sourcecheck.search import find_evidence


def encoder():
    """The shipped tokenizer, or (before the model export lands) a local copy of MiniLM's."""
    if not embed.TOKENIZER.exists():
        local = OUT / "minilm-tokenizer.json"
        if not local.exists():
            sys.exit(f"no tokenizer: {embed.TOKENIZER} missing and no {local}")
        embed.TOKENIZER = local
    return embed.get_static_encoder()


def judge_or_none():
    from sourcecheck.judge.model import MODEL_DIR

    if not (MODEL_DIR / "model.onnx").exists():
        return None
    from sourcecheck.judge import get_judge

    return get_judge()


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# -- quality ---------------------------------------------------------------------------------
def build_wice(shared: Path, limit: int | None, size: int) -> tuple[Path, list[dict]]:
    """One JSON Lines source per page; returns its path and, per claim, its gold sentence spans."""
    rows = [json.loads(line) for line in (shared / "bench" / "wice" / "dev.jsonl").open()]
    rows = [r for r in rows if any(r["supporting_sentences"])][:limit]
    path = OUT / f"wice_pages_{len(rows)}_{size}.jsonl"
    claims = []
    with path.open("w", encoding="utf-8") as fh:
        for i, r in enumerate(rows):
            parts, spans, pos = [], [], 0
            for g in range(0, len(r["evidence"]), size):
                para = []
                for s in r["evidence"][g: g + size]:
                    s = " ".join(s.split()) or "-"
                    spans.append((pos, pos + len(s)))
                    para.append(s)
                    pos += len(s) + 1
                parts.append(" ".join(para))
                pos += 1  # the paragraph break is two characters; one was counted above
            text = "\n\n".join(parts)
            assert all(text[a:b] == " ".join(r["evidence"][n].split()) or text[a:b] == "-"
                       for n, (a, b) in enumerate(spans))
            title = f"wice-{i:03d}"
            fh.write(json.dumps({"title": title, "text": text}) + "\n")
            gold = {n for alt in r["supporting_sentences"] for n in alt}
            claims.append({"claim": r["claim"], "source": title, "gold": [spans[n] for n in sorted(gold)]})
    return path, claims


def hit_ranks(results: list[Suggestion], c: dict) -> int | None:
    """1-based rank of the first result holding a gold sentence of the claim's page."""
    for rank, r in enumerate(results, 1):
        if r.source.title != c["source"]:
            continue
        s, e = r.location.start, r.location.end
        if any(s <= a and b <= e for a, b in c["gold"]):
            return rank
    return None


def quality(args) -> dict:
    path, claims = build_wice(args.shared, 60 if args.quick else None, args.sentences)
    db = OUT / f"{path.stem}.db"
    t0 = time.time()
    lib = Library(db)
    lib.add(path)
    enc = encoder()
    done = index_library(lib, enc, progress=lambda r: print(f"  indexed {r.source_id}", file=sys.stderr)
                         if args.verbose else None)
    index_s = time.time() - t0
    judge = None if args.no_judge else judge_or_none()
    ids = {r.title: r.id for r in lib.refs()}
    settings = [("bm25", False), ("dense", False), ("hybrid", False)]
    if judge is not None:
        settings.append(("hybrid", True))
    rescore_limit = args.rescore_claims if not args.quick else min(args.rescore_claims, 30)
    figures: dict = {"claims": len(claims), "sentences_per_passage": args.sentences,
                     "indexed_now": len(done), "build_s": round(index_s, 1), "results": {}}
    for scope in ("page", "mixed"):
        for mode, rescore in settings:
            name = f"{scope}/{mode}{'+judge' if rescore else ''}"
            use = claims[:rescore_limit] if rescore else claims
            ranks, t = [], time.time()
            for c in use:
                res = find_evidence(lib, judge, c["claim"], k=10, candidates=args.candidates, rescore=rescore,
                                    mode=mode, source_ids=[ids[c["source"]]] if scope == "page" else None,
                                    encoder=enc)
                ranks.append(hit_ranks(res, c))
            n = len(use)
            figures["results"][name] = {
                "n": n, **{f"recall@{k}": round(sum(1 for r in ranks if r and r <= k) / n, 3) for k in (1, 5, 10)},
                "ms_per_query": round(1000 * (time.time() - t) / n, 1)}
            print(f"  {name}: {figures['results'][name]}", file=sys.stderr)
    lib.close()
    return figures


# -- scale -----------------------------------------------------------------------------------
def scale(args) -> dict:
    src = args.shared / "corpus" / "wikipedia-2019-sample.jsonl.gz"
    with gzip.open(src, "rt", encoding="utf-8") as fh:  # count, then keep only the slice (memory)
        total = sum(1 for _ in fh)
    n = max(1, int(total * args.fraction))
    with gzip.open(src, "rt", encoding="utf-8") as fh:
        lines = [line for _, line in zip(range(n), fh)]
    part = OUT / f"wiki_{n}.jsonl"
    part.write_text("".join(lines[:n]), encoding="utf-8")
    chars = sum(len(json.loads(x)["text"]) for x in lines[:n])
    db = OUT / f"wiki_{n}.db"
    for suffix in ("", "-wal", "-shm"):
        Path(str(db) + suffix).unlink(missing_ok=True)
    t = time.time()
    lib = Library(db)
    lib.add(part)
    ingest_s = time.time() - t
    n_pass = lib.stats()["passages"]
    enc = encoder()
    # Dense-index only a slice of sources (a transformer pass over all is hours on 2 cores)
    # and extrapolate by characters.
    from sourcecheck.library.vectors import index_source, pending_sources

    t, done_chars = time.time(), 0
    for sid in pending_sources(lib):
        if time.time() - t > args.index_seconds:
            break
        index_source(lib, enc, sid)
        done_chars += len(lib.get(sid).text)
    index_s = time.time() - t
    vec_rows = lib.vector_count()
    lib.close()  # the last connection's close checkpoints the WAL into the file
    lib = Library(db, read_only=True)
    size_mb = db.stat().st_size / 1e6
    titles = [json.loads(x)["title"] for x in lines[:n]]
    queries = [f"{t} history and significance" for t in titles[:: max(1, len(titles) // 40)]][:40]
    judge = None if args.no_judge else judge_or_none()
    lat: dict = {}
    for label, mode, rescore in (("bm25", "bm25", False), ("hybrid", "hybrid", False), ("hybrid+judge", "hybrid", True)):
        if rescore and judge is None:
            continue
        times = []
        for q in queries[: 10 if rescore else len(queries)]:
            t = time.time()
            find_evidence(lib, judge, q, k=5, candidates=10, rescore=rescore, mode=mode, encoder=enc)
            times.append(1000 * (time.time() - t))
        lat[label] = {"p50_ms": round(float(np.percentile(times, 50)), 1),
                      "p95_ms": round(float(np.percentile(times, 95)), 1), "queries": len(times)}
    lib.close()
    total_chars = 96e6
    return {"fraction": args.fraction, "articles": n, "chars": chars, "passages": n_pass,
            "ingest_s": round(ingest_s, 1), "ingest_s_per_Mchar": round(ingest_s / (chars / 1e6), 2),
            "dense_indexed_chars": done_chars, "dense_index_s": round(index_s, 1), "vector_rows": vec_rows,
            "dense_s_extrapolated_full": round(index_s / max(done_chars, 1) * total_chars) if done_chars else None,
            "db_mb": round(size_mb, 1), "peak_rss_mb": round(peak_mb()), "latency": lat}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("--quick", action="store_true", help="60 claims; judge re-scoring on 30")
    ap.add_argument("--sentences", type=int, default=3, help="WiCE sentences per passage")
    ap.add_argument("--candidates", type=int, default=10, help="candidates the judge re-scores")
    ap.add_argument("--rescore-claims", type=int, default=100, help="claims for the (slow) judge setting")
    ap.add_argument("--no-judge", action="store_true")
    ap.add_argument("--scale", action="store_true", help="also the corpus scale run (not with --quick)")
    ap.add_argument("--scale-only", action="store_true", help="skip quality (so peak memory is the scale run's)")
    ap.add_argument("--fraction", type=float, default=0.1)
    ap.add_argument("--index-seconds", type=float, default=120, help="dense-index budget in --scale")
    ap.add_argument("-v", "--verbose", action="store_true")
    args = ap.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    cmd = "python bench/search_bench.py " + " ".join(sys.argv[1:])
    figures: dict = {"command": cmd}
    if not args.scale_only:
        figures["quality"] = quality(args)
    if (args.scale or args.scale_only) and not args.quick:
        figures["scale"] = scale(args)
    figures["peak_rss_mb"] = round(peak_mb())
    (OUT / "search_bench.json").write_text(json.dumps(figures, indent=2))
    print("## Evidence search\n")
    q = figures.get("quality")
    if q:
        print_quality(q)
    print(f"\nCommand: `{cmd}`")
    if "scale" in figures:
        print_scale(figures["scale"])
    print(f"\nPeak memory {figures['peak_rss_mb']} MB.")


def print_quality(q: dict) -> None:
    print(f"WiCE dev: {q['claims']} claims with gold sentences, passages of {q['sentences_per_passage']} "
          "sentences; a hit = a gold supporting sentence inside a returned passage.\n")
    print("| scope / retrieval | claims | recall@1 | recall@5 | recall@10 | ms/query |")
    print("|---|---|---|---|---|---|")
    for name, r in q["results"].items():
        print(f"| {name} | {r['n']} | {r['recall@1']:.3f} | {r['recall@5']:.3f} | {r['recall@10']:.3f} | {r['ms_per_query']} |")


def print_scale(s: dict) -> None:
    print(f"\n### Scale ({s['fraction']:.0%} of the Wikipedia sample: {s['articles']} articles, {s['chars'] / 1e6:.1f} M chars)\n")
    print("| figure | value |\n|---|---|")
    for key in ("passages", "ingest_s", "ingest_s_per_Mchar", "dense_indexed_chars", "dense_index_s",
                "dense_s_extrapolated_full", "db_mb", "peak_rss_mb"):
        print(f"| {key} | {s[key]} |")
    for label, v in s["latency"].items():
        print(f"| latency {label} p50 / p95 (ms) | {v['p50_ms']} / {v['p95_ms']} |")


if __name__ == "__main__":
    main()
