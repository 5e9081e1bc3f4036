"""Does a pair's score depend on the other pairs in its batch? (int8 dynamic quantization)

onnxruntime's dynamic quantization computes each activation tensor's range over the whole batch, so
the same (evidence, claim) pair can score differently alone and beside others. This measures how
much on held-out e-SNLI pairs (the seeded 20% prepare.py keeps out of training): each pair scored
alone against all of them scored in the judge's batches of 32.

    .venv/bin/python -m bench.batch_bench --shared ../shared
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np

from bench.common import save, table


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--shared", type=Path, required=True)
    ap.add_argument("-n", type=int, default=256)
    ap.add_argument("--quick", action="store_true", help="64 pairs")
    args = ap.parse_args()
    from training.prepare import esnli_split

    from sourcecheck.judge.model import get_cross_encoder

    path = args.shared / "train/esnli_dev.jsonl"
    rows = esnli_split([json.loads(line) for line in path.open(encoding="utf-8")])[1][: 64 if args.quick else args.n]
    pairs = [(r["premise"], r["hypothesis"]) for r in rows]
    model = get_cross_encoder()
    alone = np.array([model.predict([p], max_len=96)[0] for p in pairs])
    batched = model.predict(pairs, max_len=96)
    diff = np.abs(alone - batched)
    flips = int((alone.argmax(1) != batched.argmax(1)).sum())
    figures = {"pairs": len(pairs), "median_abs_diff": float(np.median(diff)), "max_abs_diff": float(diff.max()),
               "label_flips": flips}
    print("## Batch invariance of the judge's scores\n\n" + table([
        (f"pairs scored alone vs in batches of 32 (n={len(pairs)}): median / max probability difference",
         f"{figures['median_abs_diff']:.4f} / {figures['max_abs_diff']:.2f}"),
        ("pairs whose top label differs", f"{flips} of {len(pairs)}")]) + "\n")
    save("batch", figures)


if __name__ == "__main__":
    main()
