"""Passage hygiene on the Wikipedia sample: how many passages each rule keeps out of search, and what.

Every article of ``../shared/corpus`` (``--quick``: the first 600) is cut into passages twice, with
the hygiene rules (library/hygiene.py) and without; for each rule this prints the stretches it drops,
the passages of at least MIN_PASSAGE_CHARS that search would otherwise have returned, and a sample of
what it drops (every n-th, so the sample is spread over the corpus, not the first article's table).

    .venv/bin/python -m bench.hygiene_bench --shared ../shared [--quick] [--sample 6]
"""

from __future__ import annotations

import argparse
import gzip
import json
import time
from collections import Counter, defaultdict
from pathlib import Path

from bench.common import ROOT, save
from sourcecheck.library.hygiene import NAMES, RULES
from sourcecheck.library.segment import Dropped, make_passages
from sourcecheck.tuning import MIN_PASSAGE_CHARS


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("--quick", action="store_true", help="the first 600 articles")
    ap.add_argument("--sample", type=int, default=6, help="dropped stretches shown per rule")
    args = ap.parse_args()
    limit = 600 if args.quick else None
    before = after = 0
    dropped_n: Counter[str] = Counter()
    dropped_chars: Counter[str] = Counter()
    searchable: Counter[str] = Counter()  # dropped stretches long enough that search would have returned them
    seen: dict[str, list[str]] = defaultdict(list)
    articles = chars = 0
    t0 = time.time()
    with gzip.open(args.shared / "corpus" / "wikipedia-2019-sample.jsonl.gz", "rt", encoding="utf-8") as fh:
        for n, line in enumerate(fh):
            if limit is not None and n >= limit:
                break
            text = json.loads(line)["text"]
            articles += 1
            chars += len(text)
            before += sum(len(p.text) >= MIN_PASSAGE_CHARS for p in make_passages("a", text, hygiene=False))
            dropped: list[Dropped] = []
            after += sum(len(p.text) >= MIN_PASSAGE_CHARS for p in make_passages("a", text, dropped=dropped))
            for d in dropped:
                dropped_n[d.rule] += 1
                dropped_chars[d.rule] += d.end - d.start
                searchable[d.rule] += d.end - d.start >= MIN_PASSAGE_CHARS
                seen[d.rule].append(" ".join(text[d.start:d.end].split())[:110])
    seconds = time.time() - t0
    samples = {r: v[:: max(1, len(v) // args.sample)][: args.sample] for r, v in seen.items()}
    figures = {"articles": articles, "chars": chars, "passages_before": before, "passages_after": after,
               "seconds": round(seconds, 1),
               "rules": {r: {"stretches": dropped_n[r], "chars": dropped_chars[r], "searchable": searchable[r]}
                         for r in NAMES}, "samples": samples}
    save("hygiene_bench", figures)
    print("## Passage hygiene\n")
    print(f"{articles} articles, {chars / 1e6:.1f} M characters, {seconds:.0f} s for both cuttings. Passages of at "
          f"least {MIN_PASSAGE_CHARS} characters (what search returns): {before} without the rules, {after} with "
          f"them ({before - after} fewer, {100 * (before - after) / max(before, 1):.1f}%).\n")
    print("| rule | stretches dropped | of them ≥ 60 chars | characters | the false alarm it prevents |")
    print("|---|---|---|---|---|")
    for r in RULES:
        f = figures["rules"][r.name]
        print(f"| `{r.name}` | {f['stretches']} | {f['searchable']} | {f['chars']} | {r.prevents} |")
    print("\nA sample of what each rule drops (every n-th stretch, first 110 characters):\n")
    for r in RULES:
        print(f"- `{r.name}`:")
        for s in samples.get(r.name, []):
            print(f"  - `{s.replace('`', chr(39))}`")


if __name__ == "__main__":
    main()
