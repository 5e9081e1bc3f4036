"""The PostgreSQL library against SQLite: ingest time, query p50/p95, and search recall on WiCE dev.

Both backends run the same code (``Store`` through ``open_library``) on the same data, one after
the other on this machine; the PostgreSQL server is a throwaway cluster of the ``pgserver`` wheel
(started as in the tests, ``tests/pg_cluster.py``) unless ``--url`` names one.

- Ingest: the first ``--fraction`` of the Wikipedia sample's articles (the whole 96 M characters
  take far too long on a shared 2-core machine; the fraction is in the output), then the quotation
  index, then vectors for the sources the static encoder reaches in ``--index-seconds`` (the same
  sources in both).
- Queries: 40 claims made from article titles, ``retrieve`` in BM25 and hybrid mode (no judge);
  p50 and p95 in milliseconds.
- Recall: WiCE dev, as ``search_bench.py`` measures it (every page one source; hits by gold
  sentence offsets), recall@1/5/10 per backend and their difference.

    .venv/bin/python -m bench.postgres_bench --shared ../shared [--quick] [--fraction 0.05] [--url postgresql://...]
"""

from __future__ import annotations

import argparse
import gzip
import importlib.util
import json
import sys
import time
from pathlib import Path

import numpy as np

from bench import search_bench as sb
from bench.common import OUT, ROOT
from sourcecheck.library import open_library
from sourcecheck.library.vectors import index_library, index_source, pending_sources
from sourcecheck.quotes.index import build_quote_index
from sourcecheck.search import find_evidence, retrieve


def _module(path: Path, name: str):
    """The tests' cluster helper, by file (tests/ is not a package)."""
    spec = importlib.util.spec_from_file_location(name, path)
    mod = importlib.util.module_from_spec(spec)
    sys.modules[name] = mod
    spec.loader.exec_module(mod)
    return mod


def fresh_targets(tmp: Path, cluster, url: str | None, name: str) -> dict[str, str]:
    db = tmp / f"{name}.db"
    for suffix in ("", "-wal", "-shm"):
        Path(str(db) + suffix).unlink(missing_ok=True)
    if url:
        import psycopg

        base = url.rsplit("/", 1)[0]
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
            conn.execute(f'CREATE DATABASE "{name}"')
        return {"sqlite": str(db), "postgres": f"{base}/{name}"}
    return {"sqlite": str(db), "postgres": cluster.create_database(name)}


def corpus_slice(shared: Path, fraction: float) -> tuple[Path, int, int, list[str]]:
    src = shared / "corpus" / "wikipedia-2019-sample.jsonl.gz"
    with gzip.open(src, "rt", encoding="utf-8") as fh:
        total = sum(1 for _ in fh)
    n = max(1, int(total * fraction))
    with gzip.open(src, "rt", encoding="utf-8") as fh:
        lines = [line for _, line in zip(range(n), fh)]
    part = OUT / f"pg_wiki_{n}.jsonl"
    part.write_text("".join(lines), encoding="utf-8")
    rows = [json.loads(x) for x in lines]
    return part, n, sum(len(r["text"]) for r in rows), [r["title"] for r in rows]


def percentiles(times: list[float]) -> dict:
    return {"p50_ms": round(float(np.percentile(times, 50)), 1), "p95_ms": round(float(np.percentile(times, 95)), 1),
            "queries": len(times)}


def scale(args, cluster, enc) -> dict:
    part, n, chars, titles = corpus_slice(args.shared, args.fraction)
    targets = fresh_targets(OUT, cluster, args.url, f"pg_wiki_{n}")
    queries = [f"{t} history and significance" for t in titles[:: max(1, len(titles) // 40)]][:40]
    out: dict = {"fraction": args.fraction, "articles": n, "chars": chars, "backends": {}}
    indexed: list[str] | None = None
    for backend, target in targets.items():
        fig: dict = {}
        with open_library(target) as lib:
            t = time.perf_counter()
            lib.add(part)
            fig["ingest_s"] = round(time.perf_counter() - t, 1)
            t = time.perf_counter()
            build_quote_index(lib)
            fig["quote_index_s"] = round(time.perf_counter() - t, 1)
            t = time.perf_counter()
            if indexed is None:  # the first backend decides which sources get vectors in the budget
                indexed = []
                for sid in pending_sources(lib):
                    if time.perf_counter() - t > args.index_seconds:
                        break
                    index_source(lib, enc, sid)
                    indexed.append(sid)
            else:
                for sid in indexed:
                    index_source(lib, enc, sid)
            fig["vectors_s"] = round(time.perf_counter() - t, 1)
            fig.update(lib.stats())
        with open_library(target, read_only=True) as lib:
            for mode in ("bm25", "hybrid"):
                retrieve(lib, queries[0], n=10, mode=mode, encoder=enc)  # warm: caches, vectors in memory
                times = []
                for q in queries:
                    t = time.perf_counter()
                    retrieve(lib, q, n=10, mode=mode, encoder=enc)
                    times.append(1000 * (time.perf_counter() - t))
                fig[mode] = percentiles(times)
        out["backends"][backend] = fig
        print(f"  {backend}: {fig}", file=sys.stderr)
    return out


def recall(args, cluster, enc) -> dict:
    path, claims = sb.build_wice(args.shared, 60 if args.quick else None, 3)
    targets = fresh_targets(OUT, cluster, args.url, f"pg_wice_{len(claims)}")
    out: dict = {"claims": len(claims), "backends": {}}
    for backend, target in targets.items():
        with open_library(target) as lib:
            lib.add(path)
            index_library(lib, enc)
        with open_library(target, read_only=True) as lib:
            ids = {r.title: r.id for r in lib.refs()}
            res: dict = {}
            for scope in ("page", "mixed"):
                for mode in ("bm25", "hybrid"):
                    ranks = [sb.hit_ranks(find_evidence(lib, None, c["claim"], k=10, rescore=False, mode=mode,
                                                        source_ids=[ids[c["source"]]] if scope == "page" else None,
                                                        encoder=enc), c) for c in claims]
                    res[f"{scope}/{mode}"] = {f"recall@{k}": round(sum(1 for r in ranks if r and r <= k) / len(ranks), 3)
                                              for k in (1, 5, 10)}
            out["backends"][backend] = res
        print(f"  {backend}: {res}", file=sys.stderr)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("--quick", action="store_true", help="60 WiCE claims, 1%% of the corpus")
    ap.add_argument("--fraction", type=float, default=0.05, help="share of the corpus's articles to ingest")
    ap.add_argument("--index-seconds", type=float, default=60, help="vector budget on the corpus slice")
    ap.add_argument("--url", default=None, help="a PostgreSQL server to use (a database per run is made there)")
    args = ap.parse_args()
    if args.quick:
        args.fraction = min(args.fraction, 0.01)
        args.index_seconds = min(args.index_seconds, 20)
    OUT.mkdir(parents=True, exist_ok=True)
    cluster = None if args.url else _module(ROOT / "tests" / "pg_cluster.py", "pg_cluster").start()
    enc = sb.encoder()
    try:
        figures = {"command": "python -m bench.postgres_bench " + " ".join(sys.argv[1:]),
                   "scale": scale(args, cluster, enc), "recall": recall(args, cluster, enc)}
    finally:
        if cluster:
            cluster.stop()
    (OUT / "postgres_bench.json").write_text(json.dumps(figures, indent=2))
    report(figures)


def report(f: dict) -> None:
    s = f["scale"]
    print("## PostgreSQL library against SQLite\n")
    print(f"Corpus slice: {s['articles']} articles, {s['chars'] / 1e6:.1f} M characters ({s['fraction']:.0%} of the sample).\n")
    print("| backend | ingest s | quotation index s | vectors s | BM25 p50 / p95 ms | hybrid p50 / p95 ms |")
    print("|---|---|---|---|---|---|")
    for name, b in s["backends"].items():
        print(f"| {name} | {b['ingest_s']} | {b['quote_index_s']} | {b['vectors_s']} | "
              f"{b['bm25']['p50_ms']} / {b['bm25']['p95_ms']} | {b['hybrid']['p50_ms']} / {b['hybrid']['p95_ms']} |")
    r = f["recall"]
    print(f"\nWiCE dev, {r['claims']} claims, recall@1 / @5 / @10 (no judge):\n")
    print("| setting | SQLite | PostgreSQL |")
    print("|---|---|---|")
    for key in r["backends"]["sqlite"]:
        cells = [" / ".join(str(r["backends"][b][key][f"recall@{k}"]) for k in (1, 5, 10)) for b in ("sqlite", "postgres")]
        print(f"| {key} | {cells[0]} | {cells[1]} |")
    print(f"\nCommand: `{f['command']}`")


if __name__ == "__main__":
    main()
