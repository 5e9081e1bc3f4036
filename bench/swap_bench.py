"""The swap bench (issue 20 §5): claims made by rule from held-out sentences of the library's books and the
demo's sources, one row per shape, judged as `check` judges them (the claim reader, then the judge).

Shapes: verbatim, in context, a year / number / month / name / place / negation swapped, a reporting frame,
first person read as the author, a number or day written another way. Sentences are those
training/shapes.py holds out (`held_out`), so training never saw them.

    python -m bench.swap_bench --shared ../shared [--quick]
"""

from __future__ import annotations

import argparse
import random
import re
import time
from pathlib import Path

import numpy as np
from training import shapes

from bench.common import save, table

ROOT = Path(__file__).resolve().parent.parent
ENTAILED = ("verbatim", "in_context", "frame", "first_person", "number_form")
MARKER = re.compile(r"\[\d+\]")
BOOKS = {"reed-ten-days-that-shook-the-world.txt": "Reed", "trotsky-from-october-to-brest-litovsk.txt": "Trotsky"}


def rows(shared: Path, per_class: int, seed: int = 11) -> list[dict]:
    from sourcecheck.text import split_sentences

    rng = random.Random(seed)
    texts = [((shared / "library" / name).read_text(encoding="utf-8", errors="replace"), author)
             for name, author in BOOKS.items()]
    texts += [(p.read_text(encoding="utf-8"), "") for p in sorted((shared / "library" / "wikipedia").glob("*.txt"))]
    texts += [(p.read_text(encoding="utf-8"), "") for p in sorted((ROOT / "examples" / "sources").glob("*.*"))]
    out: dict[str, list[dict]] = {}
    for text, author in texts:
        text = text.split("*** END OF")[0]  # the Project Gutenberg licence is no history
        # Footnote markers ("[13]") are no part of a sentence's facts; a swap of one would be no swap.
        sents = [" ".join(MARKER.sub("", text[a:b]).split()) for a, b in split_sentences(text)]
        sents = [s if "|" not in s and "+--" not in s else "" for s in sents]  # table rows: no sentences
        # Names to swap in: capitalised words met inside a sentence, never first ("What", "There").
        names = sorted({m.group() for s in sents[:400] for m in shapes.CAP_RE.finditer(s)
                        if m.start() > 0 and s[m.start() - 2: m.start()] not in (". ", "“", "\"")})
        for i, s in enumerate(sents):
            if not shapes.held_out(s) or not 60 <= len(s) <= 300 or "\n" in s.strip():
                continue
            context = " ".join(sents[max(0, i - 1): i + 2])
            made = {"verbatim": (s, s), "in_context": (s, context)}
            if author:
                made["frame"] = (shapes.frame(s, author, rng), context)
                made["first_person"] = (shapes.first_person(s, author), context)
            made["number_form"] = (shapes.number_form(s, rng), context)
            for kind in shapes.SWAPS:
                made[kind] = (shapes.swap(s, kind, rng, names), context)
            for kind, (claim, evidence) in made.items():
                if claim and (kind in ("verbatim", "in_context") or claim != s):
                    out.setdefault(kind, []).append({"kind": kind, "claim": claim, "evidence": evidence,
                                                     "author": author})
    picked = []
    for rs in out.values():
        rng.shuffle(rs)
        picked += rs[:per_class]
    return picked


def rate(verdicts: list[str], verdict: str, n: int = 2000, seed: int = 0) -> tuple[float, float, float]:
    """The share of `verdict` with its 95% percentile-bootstrap interval (rows resampled with replacement)."""
    flags = np.array([v == verdict for v in verdicts], dtype=float)
    if not len(flags):
        return (float("nan"),) * 3
    means = np.random.default_rng(seed).choice(flags, (n, len(flags))).mean(axis=1)
    return float(flags.mean()), float(np.percentile(means, 2.5)), float(np.percentile(means, 97.5))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("--quick", action="store_true")
    args = ap.parse_args()
    from sourcecheck.judge import get_judge
    from sourcecheck.judge.reader import read

    judge = get_judge()
    data = rows(args.shared, 12 if args.quick else 48)
    t0 = time.time()
    by: dict[str, list[str]] = {}
    for r in data:
        reading = read(r["claim"], [r["evidence"]], [r["author"] or None])
        v = judge.judge(reading.claim, reading.evidence[0]).verdict
        by.setdefault(r["kind"], []).append(str(v))
    seconds = time.time() - t0
    lines = ["| shape | rows | supported | contradicted | not addressed / partly |", "|---|---|---|---|---|"]
    for kind in list(ENTAILED) + list(shapes.SWAPS):
        vs = by.get(kind, [])
        if not vs:
            continue
        n = len(vs)
        sup, con = vs.count("supported") / n, vs.count("contradicted") / n
        lines.append(f"| {kind} | {n} | {sup:.3f} | {con:.3f} | {1 - sup - con:.3f} |")
    swapped = [v for k in shapes.SWAPS for v in by.get(k, [])]
    plain = [v for k in ("verbatim", "in_context") for v in by.get(k, [])]
    reworded = [v for k in ("frame", "first_person", "number_form") for v in by.get(k, [])]
    measures = [("verbatim and in context called supported (target >= 0.99)", plain, "supported"),
                ("swapped called supported (target <= 0.02)", swapped, "supported"),
                ("swapped called contradicted (target >= 0.90)", swapped, "contradicted"),
                ("frame, first person, number form called supported (target >= 0.95)", reworded, "supported")]
    summary = {name: rate(vs, verdict) for name, vs, verdict in measures}
    # Precision: of the rows called supported, the share that are entailed shapes; of those called
    # contradicted, the share that are swaps (each row's truth is known by construction).
    entailed = [v for k in ENTAILED for v in by.get(k, [])]
    for verdict, right in (("supported", entailed), ("contradicted", swapped)):
        hits = ["right"] * right.count(verdict) + ["wrong"] * ((entailed + swapped).count(verdict) - right.count(verdict))
        summary[f"precision of {verdict} (target >= {0.95 if verdict == 'supported' else 0.90:.2f})"] = rate(hits, "right")
    print(f"## Swap bench ({len(data)} rows, {seconds:.0f} s)\n")
    print("\n".join(lines) + "\n")
    print(table([(k, f"{v[0]:.3f} [{v[1]:.3f}, {v[2]:.3f}]") for k, v in summary.items()]))
    save("swap", {"rows": len(data), "seconds": round(seconds, 1), "summary": summary,
                  "by_kind": {k: {v: vs.count(v) for v in set(vs)} for k, vs in by.items()}})


if __name__ == "__main__":
    main()
