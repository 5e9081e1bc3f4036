"""Our sentence splitter against pysbd, syntok and sentencex (issue 10 section 4, issue 11 section 3).

Three measures: boundary F1 on hand-labelled paragraphs written for the cases a history text has
(initials, "Gen.", "U.S.", "O.S.", "p. 45", quotes, footnote marks); speed on articles of the
Wikipedia sample; growth of time from n to 8n on one long paragraph (quadratic gives 64).
A maintained splitter would replace ours if it measured as well; see BENCHMARKS.md.

    .venv/bin/python bench/splitter_bench.py --shared ../shared [--quick]
"""

from __future__ import annotations

import argparse
import gzip
import json
import statistics
import time
from collections.abc import Callable
from pathlib import Path

from bench.common import save
from bench.hostile_cases import prose_paragraph
from sourcecheck.text import split_sentences

# Each paragraph with its sentences separated by " | " (the gold boundaries).
GOLD = [
    "Gen. Kornilov marched on Petrograd in August 1917. | The rising failed.",
    "J. Reed and L. Bryant reached Petrograd in September. | They stayed at the Hotel France.",
    "The Winter Palace fell on 26 October (O.S.) in the early hours. | The ministers were arrested.",
    "The U.S. embassy watched closely. | Mr. Francis wrote home every week.",
    "Pipes gives the figure on p. 45 of his book. | Others disagree.",
    "\u201cAll power to the Soviets!\u201d | The slogan was everywhere.",
    "Was the rising planned? | Trotsky said it was. | Sukhanov was less sure.",
    "The Congress met on 25 Oct. 1917 at Smolny. | Lenin spoke the next day.",
    "He wrote, e.g. in Pravda, that the time had come. | Few believed him.",
    "It was done.[^1] | The rest followed.",
    "Vol. 2 covers the civil war. | No. 5 of the series is lost.",
    "The Bolsheviks had c. 240,000 members. | The Mensheviks had fewer.",
    "St. Petersburg became Petrograd in 1914. | It became Leningrad in 1924.",
    "Dr. Zhivago is a novel... | It was banned.",
    "Prof. Rabinowitch (1976) argues the opposite. | His evidence is the garrison.",
    "The vote was 390 to 0. | It passed.",
]


def _ours(text: str) -> list[str]:
    return [text[s:e] for s, e in split_sentences(text)]


def _splitters() -> dict[str, Callable[[str], list[str]]]:
    out: dict[str, Callable[[str], list[str]]] = {"sourcecheck": _ours}
    try:
        import pysbd

        seg = pysbd.Segmenter(language="en", clean=False)
        out["pysbd"] = lambda t: [s.strip() for s in seg.segment(t)]
    except ImportError:
        pass
    try:
        from syntok import segmenter

        out["syntok"] = lambda t: ["".join(tok.spacing + tok.value for tok in sent).strip()
                                   for para in segmenter.process(t) for sent in para]
    except ImportError:
        pass
    try:
        from sentencex import segment

        out["sentencex"] = lambda t: [s.strip() for s in segment("en", t) if s.strip()]
    except ImportError:
        pass
    return out


def _boundaries(sentences: list[str]) -> set[int]:
    """Character counts (spaces ignored) at which each sentence but the last ends."""
    ends, n = set(), 0
    for s in sentences[:-1]:
        n += len("".join(s.split()))
        ends.add(n)
    return ends


def f1(split: Callable[[str], list[str]]) -> float:
    tp = fp = fn = 0
    for para in GOLD:
        gold = [s.strip() for s in para.split(" | ")]
        got = _boundaries(split(" ".join(gold)))
        want = _boundaries(gold)
        tp, fp, fn = tp + len(got & want), fp + len(got - want), fn + len(want - got)
    return 2 * tp / max(1, 2 * tp + fp + fn)


def corpus_texts(shared: Path, chars: int) -> list[str]:
    texts, total = [], 0
    with gzip.open(shared / "corpus" / "wikipedia-2019-sample.jsonl.gz", "rt", encoding="utf-8") as fh:
        for line in fh:
            t = json.loads(line)["text"]
            texts.append(t)
            total += len(t)
            if total >= chars:
                break
    return texts


def seconds(fn: Callable[[], object], repeat: int = 3) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.process_time()
        fn()
        times.append(time.process_time() - t0)
    return statistics.median(times)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--shared", default=str(Path(__file__).resolve().parents[2] / "shared"))
    ap.add_argument("--quick", action="store_true")
    args = ap.parse_args()
    texts = corpus_texts(Path(args.shared), 300_000 if args.quick else 2_000_000)
    chars = sum(map(len, texts))
    n = 10_000 if args.quick else 25_000
    small, big = prose_paragraph(n), prose_paragraph(8 * n)
    rows = []
    print(f"| splitter | boundary F1 (16 paragraphs) | corpus speed (M chars/s, {chars / 1e6:.1f} M chars) "
          f"| time at 8n / n ({n // 1000} K chars) |")
    print("|---|---|---|---|")
    for name, split in _splitters().items():
        speed = chars / seconds(lambda split=split: [split(t) for t in texts], 1) / 1e6
        growth = seconds(lambda split=split: split(big)) / max(seconds(lambda split=split: split(small)), 1e-6)
        rows.append({"splitter": name, "f1": round(f1(split), 3), "mchars_per_s": round(speed, 2),
                     "ratio_8n": round(growth, 1)})
        print(f"| {name} | {rows[-1]['f1']:.3f} | {speed:.2f} | {growth:.1f} |", flush=True)
    save("splitter", {"chars": chars, "n": n, "rows": rows})


if __name__ == "__main__":
    main()
