"""Token ids of 1,000 sentences from ../shared, as JSON on stdout, with whatever `tokenizers` this
interpreter has: run it under two versions and compare, to pin a version without changing a token.

Both ways the package reads ``models/judge/tokenizer.json`` are covered: the judge's (claim and
evidence as a pair, with special tokens, truncated only in the evidence) and the static embedding's
(one text, no special tokens, no truncation). Standalone (stdlib + tokenizers), so it runs in a
venv that has nothing else.
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
TOKENIZER = HERE.parent / "src" / "sourcecheck" / "models" / "judge" / "tokenizer.json"


def sentences(shared: Path, n: int) -> list[str]:
    """The first n sentences of the Wikipedia sample, in order (same input for every version)."""
    out: list[str] = []
    with gzip.open(shared / "corpus" / "wikipedia-2019-sample.jsonl.gz", "rt", encoding="utf-8") as f:
        for line in f:
            for s in re.split(r"(?<=[.!?])\s+", json.loads(line)["text"]):
                if 4 <= len(s.split()) <= 80 and len(s) <= 600:  # a sentence, not a flattened table
                    out.append(s)
                    if len(out) == n:
                        return out
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--shared", default=str(HERE.parent.parent / "shared"))
    ap.add_argument("-n", type=int, default=1000)
    args = ap.parse_args()
    import tokenizers
    from tokenizers import Tokenizer

    texts = sentences(Path(args.shared), args.n)
    t0 = time.perf_counter()
    single = Tokenizer.from_file(str(TOKENIZER))
    single.no_truncation()
    claim_ids = [single.encode(t).ids for t in texts]
    # As the judge does: (evidence, claim) pairs, padded, the evidence cut to fit (judge/model.py).
    judge = Tokenizer.from_file(str(TOKENIZER))
    judge.enable_padding()
    judge_ids = []
    for i in range(0, len(texts) - 3, 8):
        batch = [(" ".join(texts[j: j + 3]), texts[j + 3]) for j in range(i, min(i + 8, len(texts) - 3))]
        longest = max(len(single.encode(claim).ids) for _, claim in batch)
        judge.enable_truncation(max(160, min(512, longest + 64)), strategy="only_first")
        judge_ids += [e.ids for e in judge.encode_batch(batch)]
    static = Tokenizer.from_file(str(TOKENIZER))
    static.no_truncation()
    static.no_padding()
    static_ids = [e.ids for e in static.encode_batch(texts, add_special_tokens=False)]
    seconds = time.perf_counter() - t0
    json.dump({"version": tokenizers.__version__, "sentences": len(texts), "seconds": round(seconds, 3),
               "judge_pairs": judge_ids, "claims": claim_ids, "static": static_ids}, sys.stdout)


if __name__ == "__main__":
    main()
