"""`cite` per claim with the model loaded: the median time of choosing what to cite, and what it proposed.

The real example (``../shared/examples/october-revolution.md``) against ``../shared/library``, run as
`cite` runs it (CITE_CANDIDATES passages judged per weak claim), after one warm-up claim so that model
loading is excluded; every proposal is re-judged to count those the judge supports at its precision threshold.

    .venv/bin/python -m bench.cite_bench --shared ../shared [--repeat 3]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from bench.common import ROOT, save
from sourcecheck.document import read_document
from sourcecheck.judge import get_judge
from sourcecheck.judge.precision import precise_support, supports_precisely
from sourcecheck.library import Library
from sourcecheck.pipeline.check import Checker
from sourcecheck.pipeline.cite import choose_citations
from sourcecheck.tuning import CITE_CANDIDATES


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("--quick", action="store_true", help="one repetition")
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    doc = read_document(args.shared / "examples" / "october-revolution.md")
    judge = get_judge()
    times: list[float] = []
    with tempfile.TemporaryDirectory() as tmp, Library(Path(tmp) / "lib.db") as lib:
        lib.add(args.shared / "library")
        checker = Checker(lib, judge, suggest=CITE_CANDIDATES)
        checker.suggest_candidates = CITE_CANDIDATES
        choose_citations(checker, doc.claims[:1], 1)  # warm-up: the model loaded and run once
        for _ in range(1 if args.quick else args.repeat):
            for claim in doc.claims:
                t = time.perf_counter()
                plan = choose_citations(checker, [claim], 1)
                times.append(time.perf_counter() - t)
        plan = choose_citations(checker, doc.claims, 1)
        threshold = precise_support(judge)
        proposed = [s for chosen in plan.passages.values() for s in chosen]
        rejudged = [supports_precisely(judge.judge(c.text, s.text), threshold)
                    for c in doc.claims for s in plan.passages.get(c.id, [])]
    figures = {"claims": len(doc.claims), "median_s_per_claim": round(statistics.median(times), 3),
               "max_s_per_claim": round(max(times), 3), "proposed": len(proposed),
               "proposed_supported_precisely": sum(rejudged), "uncited": len(plan.uncited),
               "why": {str(k): v for k, v in plan.why.items()}}
    save("cite_bench", figures)
    print("## `cite` per claim\n")
    print(f"Real example, {figures['claims']} claims, {len(times)} timed runs: median {figures['median_s_per_claim']} s "
          f"a claim (max {figures['max_s_per_claim']} s), model loading excluded. Proposed {figures['proposed']}, "
          f"of them {figures['proposed_supported_precisely']} supported at the precision threshold on re-judging; "
          f"{figures['uncited']} claims left uncited:\n")
    for k, v in figures["why"].items():
        print(f"- claim {k}: {v}")


if __name__ == "__main__":
    main()
