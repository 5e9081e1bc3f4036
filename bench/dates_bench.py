"""Dates read per second on the Wikipedia sample, and how many dual dates disagree.

Every article of ``corpus/wikipedia-2019-sample.jsonl.gz`` goes through
``sourcecheck.dates.find_dates``; every dual date (Old Style and New Style both written)
goes through ``check_mention``.  A sample of the inconsistent ones is printed with its
context for a person to judge (true error in the article, or a misreading of ours).

    .venv/bin/python bench/dates_bench.py --shared ../shared [--quick]
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import sys
import time
from pathlib import Path

from bench.common import peak_mb, save, table
from sourcecheck.dates import check_mention, find_dates

# What the spot-check of the printed sample found, by hand (see the report of issue 5).
FINDINGS = """\
Spot-check by hand (full run, 2019 sample, after the fixes of issue 5):
- Before the fixes the full run flagged 2 of 54 dual dates. "Isaac Newton": "25 December
  1642 (NS 4 January 1643)" was OUR MISREADING (a marker written before the bracketed date
  was taken as the outer date's); fixed, it now reads as Julian 25 Dec 1642 = Gregorian
  4 Jan 1643, consistent.
- "Cape Berg": "On 3 September 1913 -22 August 1913 in the Julian calendar" is a TRUE ERROR
  in the article: 3 September 1913 (N.S.) is 21 August (O.S.); 22 August O.S. is 4 September.
- Dual dates are rare in general articles (54 in 96 M characters); most are Russian or
  English Old Style dates, nearly all consistent.  Forms found there and now read: a dash
  between the halves ("3 September 1913 -22 August 1913 in the Julian calendar", taken as
  dual only when the halves are 10-14 days apart, else a range), "in the Gregorian
  Calendar and ... in the Julian Calendar", lowercase "7 May 1736 n.s.".
- Not read as dual dates (known gaps): British dual years on a year alone ("1664/5",
  "(1663/64)"), and feast-day sentences that give two dates for one day in different
  churches ("on September 4 ... celebrate this day on September 17").
"""


def articles(path: Path, fraction: float, seed: int = 5):
    """(title, text) of a fraction of the articles, the same ones on every run."""
    rng = random.Random(seed)
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        for line in fh:
            if not line.strip():
                continue
            take = rng.random() < fraction
            if take:
                obj = json.loads(line)
                yield obj["title"], obj["text"]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--shared", default="../shared")
    ap.add_argument("--quick", action="store_true", help="10%% of the articles")
    ap.add_argument("--sample", type=int, default=15)
    args = ap.parse_args()
    path = Path(args.shared) / "corpus" / "wikipedia-2019-sample.jsonl.gz"
    if not path.is_file():
        sys.exit(f"missing {path}")
    fraction = 0.1 if args.quick else 1.0
    n_articles = n_chars = n_dates = n_day = n_dual = 0
    inconsistent: list[tuple[str, str, str, list[str]]] = []
    parse_s = check_s = 0.0
    for title, text in articles(path, fraction):
        n_articles += 1
        n_chars += len(text)
        t0 = time.perf_counter()
        ms = find_dates(text)
        t1 = time.perf_counter()
        parse_s += t1 - t0
        n_dates += len(ms)
        n_day += sum(m.precision in ("day", "range") for m in ms)
        for m in ms:
            if m.calendar != "dual":
                continue
            n_dual += 1
            problems = check_mention(m)
            if problems:
                ctx = text[max(0, m.start - 120):m.end + 80].replace("\n", " ")
                inconsistent.append((title, m.text, ctx, problems))
        check_s += time.perf_counter() - t1
    rng = random.Random(1)
    sample = rng.sample(inconsistent, min(args.sample, len(inconsistent)))
    figures = {
        "articles": n_articles, "characters": n_chars, "dates": n_dates, "day_or_range_dates": n_day,
        "parse_seconds": round(parse_s, 2), "dates_per_second": round(n_dates / parse_s) if parse_s else 0,
        "chars_per_second": round(n_chars / parse_s) if parse_s else 0,
        "dual_dates": n_dual, "dual_inconsistent": len(inconsistent),
        "check_seconds": round(check_s, 3), "peak_mb": round(peak_mb(), 1), "quick": args.quick,
        "sample": [{"title": t, "date": d, "context": c, "problems": p} for t, d, c, p in sample],
    }
    save("dates_bench", figures)
    cmd = f".venv/bin/python bench/dates_bench.py --shared {args.shared}" + (" --quick" if args.quick else "")
    print("## Dates (issue 5)\n")
    print(f"`{cmd}` ({'10% of' if args.quick else 'all'} the articles of the Wikipedia 2019 sample)\n")
    print(table([
        ("articles", f"{n_articles:,}"), ("characters", f"{n_chars:,}"),
        ("dates read", f"{n_dates:,} ({n_day:,} to the day or a day range)"),
        ("reading time", f"{parse_s:.1f} s"), ("dates read per second", f"{figures['dates_per_second']:,}"),
        ("characters per second", f"{figures['chars_per_second']:,}"),
        ("dual dates (both calendars written)", f"{n_dual:,}"),
        ("dual dates inconsistent", f"{len(inconsistent):,}"),
        ("peak memory", f"{figures['peak_mb']} MB"),
    ]))
    print(f"\n### Sample of {len(sample)} inconsistent dual dates\n")
    for i, (title, d, ctx, problems) in enumerate(sample, 1):
        print(f"{i}. **{title}**: \u201c{d}\u201d \u2014 \u2026{ctx}\u2026\n   - {' '.join(problems)}")
    print("\n### Spot-check\n")
    print(FINDINGS)


if __name__ == "__main__":
    main()
