"""`cite` per claim with the model loaded: the median time of choosing what to cite, and what it proposed.

The real example (``../shared/examples/october-revolution.md``) against ``../shared/library``, run as
`cite` runs it (CITE_CANDIDATES passages judged per weak claim), after one warm-up claim so that model
loading is excluded. Two readings are timed in the same run, claim by claim in turn so that the machine's
load falls on both alike: every passage judged in full (``gate=False``, before the GATE RULE) and the
GATE RULE's (judge/gate.py, what `cite` runs). Both must propose the same passages; every proposal is
re-judged in full to count those the judge supports at its precision threshold. The real example's
claims get no proposal from either, so the same comparison runs once more on the 32 paraphrases of
library sentences (bench/data/paraphrases.jsonl, claims without quotations), where some are proposed.

    .venv/bin/python -m bench.cite_bench --shared ../shared [--repeat 3]
"""

from __future__ import annotations

import argparse
import json
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
from sourcecheck.pipeline.cite import CitePlan, choose_citations
from sourcecheck.records import Claim
from sourcecheck.tuning import CITE_CANDIDATES

PARAPHRASES = ROOT / "bench" / "data" / "paraphrases.jsonl"


def proposals(plan: CitePlan) -> list[tuple[str, int, int]]:
    return [(s.source.id, s.location.start, s.location.end) for chosen in plan.passages.values() for s in chosen]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("--quick", action="store_true", help="one repetition")
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    doc = read_document(args.shared / "examples" / "october-revolution.md")
    judge = get_judge()
    times: dict[bool, list[float]] = {False: [], True: []}
    same = 0
    with tempfile.TemporaryDirectory() as tmp, Library(Path(tmp) / "lib.db") as lib:
        lib.add(args.shared / "library")
        checker = Checker(lib, judge, suggest=CITE_CANDIDATES)
        checker.suggest_candidates = CITE_CANDIDATES
        choose_citations(checker, doc.claims[:2], 1, gate=False)  # warm-up: the model loaded, the quotation index built
        for _ in range(1 if args.quick else args.repeat):
            for claim in doc.claims:
                got = {}
                for gate in (False, True):
                    t = time.perf_counter()
                    got[gate] = proposals(choose_citations(checker, [claim], 1, gate=gate))
                    times[gate].append(time.perf_counter() - t)
                same += got[False] == got[True]
        rows = [json.loads(line) for line in PARAPHRASES.read_text().splitlines() if line.strip()]
        para = {False: [], True: []}
        para_times: dict[bool, list[float]] = {False: [], True: []}
        for i, row in enumerate(rows):
            claim = Claim(i + 1, row["claim"], i + 1)
            for gate in (False, True):
                t = time.perf_counter()
                para[gate].append(proposals(choose_citations(checker, [claim], 1, gate=gate)))
                para_times[gate].append(time.perf_counter() - t)
        para_same = sum(a == b for a, b in zip(para[False], para[True]))
        para_proposed = sum(len(x) for x in para[True])
        plan = choose_citations(checker, doc.claims, 1)
        threshold = precise_support(judge)
        proposed = [s for chosen in plan.passages.values() for s in chosen]
        rejudged = [supports_precisely(judge.judge(c.text, s.text), threshold)
                    for c in doc.claims for s in plan.passages.get(c.id, [])]
    full, gated = statistics.median(times[False]), statistics.median(times[True])
    figures = {"claims": len(doc.claims), "median_s_per_claim": round(gated, 3),
               "max_s_per_claim": round(max(times[True]), 3), "median_s_per_claim_full_reading": round(full, 3),
               "ratio_gated_to_full": round(gated / full, 3), "same_proposals": f"{same} of {len(times[True])}",
               "proposed": len(proposed), "proposed_supported_precisely": sum(rejudged), "uncited": len(plan.uncited),
               "why": {str(k): v for k, v in plan.why.items()},
               "paraphrases": {"claims": len(rows), "same_proposals": para_same, "proposed": para_proposed,
                               "median_s_per_claim": round(statistics.median(para_times[True]), 3),
                               "median_s_per_claim_full_reading": round(statistics.median(para_times[False]), 3)}}
    save("cite_bench", figures)
    print("## `cite` per claim\n")
    print(f"Real example, {figures['claims']} claims, {len(times[True])} timed runs of each reading, model loading "
          f"excluded: median {figures['median_s_per_claim']} s a claim (max {figures['max_s_per_claim']} s) with the "
          f"GATE RULE, {figures['median_s_per_claim_full_reading']} s reading every passage in full (ratio "
          f"{figures['ratio_gated_to_full']}); the same passages proposed in {figures['same_proposals']} runs. "
          f"Proposed {figures['proposed']}, of them {figures['proposed_supported_precisely']} supported at the "
          f"precision threshold on re-judging; {figures['uncited']} claims left uncited:\n")
    for k, v in figures["why"].items():
        print(f"- claim {k}: {v}")
    pp = figures["paraphrases"]
    print(f"\nParaphrases of library sentences, {pp['claims']} claims: {pp['proposed']} proposed with the GATE RULE, "
          f"the same passages as reading in full for {pp['same_proposals']} of {pp['claims']} claims; median "
          f"{pp['median_s_per_claim']} s a claim, {pp['median_s_per_claim_full_reading']} s in full.")


if __name__ == "__main__":
    main()
