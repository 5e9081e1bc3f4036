"""The right passage first: recall@1 / @5 of each way of ordering the candidates search finds.

Two sets. (a) ``bench/data/paraphrases.jsonl``: 32 claims written here, each a paraphrase of one
sentence of ``../shared/library`` in the shape of the real example's claims (its gold words are
named by their count and the sha1 of their folded form, never copied: ``find_gold``); the library is ``../shared/library`` as ``sourcecheck add`` makes it.
(b) WiCE dev: every page one source of one mixed library (bench/search_bench.py builds it); a hit
holds a gold supporting sentence.

For each claim the candidates are found once (``retrieve``, the RESCORE_CANDIDATES first) and judged
once (``judge_many``); every ordering then ranks the same candidates, so the figures differ only by the
order:

- ``retrieval``: the fused BM25 / dense / date ranking as it is;
- ``judge``: by the judge's support (0.95 support + 0.05 retrieval, the order before this bench);
- ``retrieval+judge``: reciprocal rank fusion of the retrieval rank and the judge's support rank;
- ``retrieval+align``: RRF of the retrieval rank and the alignment rank (search/rerank.py: how much of
  the claim's weight one sentence of the passage covers);
- ``retrieval+align+judge``: all three;
- ``retrieval+precise``: the candidates the judge supports at its precision threshold first, then the
  rest, each group in retrieval order.

    .venv/bin/python -m bench.rerank_bench --shared ../shared [--quick]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from bench.common import ROOT, save
from bench.search_bench import build_wice
from sourcecheck.judge import get_judge
from sourcecheck.judge.precision import precise_support, supports_precisely
from sourcecheck.library import Library
from sourcecheck.search import Candidate, retrieve
from sourcecheck.search.rerank import ORDERS, order_candidates
from sourcecheck.text import fold_key
from sourcecheck.tuning import RESCORE_CANDIDATES

DATA = ROOT / "bench" / "data" / "paraphrases.jsonl"


def recall(ranks: list[int | None], k: int) -> float:
    return round(sum(1 for r in ranks if r is not None and r <= k) / max(len(ranks), 1), 3)


def evaluate(lib: Library, claims: list[dict], hit: Callable[[Candidate, dict], bool], judge) -> dict:
    ranks: dict[str, list[int | None]] = {name: [] for name in ORDERS}
    threshold = precise_support(judge)
    t0 = time.time()
    for c in claims:
        cands = retrieve(lib, c["claim"], RESCORE_CANDIDATES)
        judged = judge.judge_many(c["claim"], [x.text for x in cands]) if cands else []
        precise = [supports_precisely(j, threshold) for j in judged]
        for name in ORDERS:
            order = order_candidates(c["claim"], cands, judged, name, precise)
            ranks[name].append(next((i + 1 for i, x in enumerate(order) if hit(x, c)), None))
    seconds = time.time() - t0
    return {"claims": len(claims), "s_per_claim": round(seconds / max(len(claims), 1), 2),
            **{name: {"recall@1": recall(r, 1), "recall@5": recall(r, 5), "recall@10": recall(r, 10)}
               for name, r in ranks.items()}}


def find_gold(text: str, n: int, sha1: str) -> tuple[int, int] | None:
    """Where the gold words stand in the source: the run of ``n`` folded words whose sha1 is ``sha1``.
    The set names its gold sentences by hash, so that no text of ../shared is copied into the project."""
    words = list(re.finditer(r"[^\W_]+", text))
    folded = [fold_key(w.group()) for w in words]
    for i in range(len(words) - n + 1):
        if hashlib.sha1(" ".join(folded[i: i + n]).encode()).hexdigest() == sha1:
            return words[i].start(), words[i + n - 1].end()
    return None


def own_rows(shared: Path, lib: Library) -> tuple[list[dict], Callable[[Candidate, dict], bool]]:
    """Adds ``shared/library`` to ``lib``; the paraphrase rows (each with its gold span) and their ``hit``."""
    rows = [json.loads(x) for x in DATA.read_text(encoding="utf-8").splitlines() if x.strip()]
    lib.add(shared / "library")
    titles = {r.title: r.id for r in lib.refs()}
    texts = {sid: (s.text if (s := lib.get(sid)) else "") for sid in titles.values()}
    for r in rows:
        sid = titles[r["source"]]
        found = find_gold(texts[sid], r["gold_tokens"], r["gold_sha1"])
        if found is None:
            sys.exit(f"{DATA}: gold not in {r['source']} (sha1 {r['gold_sha1']})")
        r["span"] = (sid, *found)

    def hit(x: Candidate, r: dict) -> bool:
        sid, a, _b = r["span"]
        return x.source_id == sid and x.start <= a < x.end  # the passage holds the gold sentence's start

    return rows, hit


def own_set(shared: Path, judge) -> dict:
    with tempfile.TemporaryDirectory() as tmp, Library(Path(tmp) / "lib.db") as lib:
        rows, hit = own_rows(shared, lib)
        return evaluate(lib, rows, hit, judge)


@contextmanager
def wice_library(shared: Path, db: Path, limit: int | None) -> Iterator[tuple[Library, list[dict], Callable]]:
    """WiCE dev as one mixed library at ``db`` (every page one source), its claims and their ``hit``."""
    path, claims = build_wice(shared, limit, 3)
    with Library(db) as lib:
        lib.add(path)
        ids = {r.title: r.id for r in lib.refs()}

        def hit(x: Candidate, c: dict) -> bool:
            return x.source_id == ids[c["source"]] and any(x.start <= a and b <= x.end for a, b in c["gold"])

        yield lib, claims, hit


def wice(shared: Path, judge, limit: int | None) -> dict:
    with tempfile.TemporaryDirectory() as tmp, wice_library(shared, Path(tmp) / "wice.db", limit) as (lib, claims, hit):
        return evaluate(lib, claims, hit, judge)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("--quick", action="store_true", help="WiCE: the first 60 claims")
    args = ap.parse_args()
    judge = get_judge()
    figures = {"own": own_set(args.shared, judge), "wice_mixed": wice(args.shared, judge, 60 if args.quick else None)}
    save("rerank_bench", figures)
    print("## The right passage first (candidate ordering)\n")
    print("| set | claims | s/claim | " + " | ".join(f"{n} @1 / @5" for n in ORDERS) + " |")
    print("|---|---|---|" + "---|" * len(ORDERS))
    for name, f in (("own paraphrases", figures["own"]), ("WiCE dev, mixed library", figures["wice_mixed"])):
        cells = " | ".join(f"{f[n]['recall@1']:.3f} / {f[n]['recall@5']:.3f}" for n in ORDERS)
        print(f"| {name} | {f['claims']} | {f['s_per_claim']} | {cells} |")


if __name__ == "__main__":
    main()
