"""Robustness regression suite: every hostile input of issue 11, with time, peak memory and outcome.

Each case of hostile_cases.py runs as its own `sourcecheck` process (so its peak memory is its own,
read with wait4), and its outcome is checked as tests/test_hostile.py checks it; then the web app's
cases of serve_cases.py, each against its own `sourcecheck serve` process (tests/test_serve_hostile.py). Prints a Markdown
table for BENCHMARKS.md and writes bench/out/hostile.json.

    .venv/bin/python bench/hostile_bench.py [--quick]
    .venv/bin/python -m bench.hostile_bench --growth     # only the growing sizes, each at n and 8n
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from bench.common import save
from bench.growing_cases import GROWTH
from bench.hostile_cases import CASES, run_case, verify


def growth_rows(timeout: float, only: str | None = None, sizes: str = "both") -> tuple[list[dict], list[str]]:
    """Each growing input at n and 8n in its own process: time, peak memory, the 8n/n time ratio."""
    rows, failed = [], []
    for g in GROWTH:
        if only and g.name != only:
            continue
        row: dict = {"case": g.name, "input": g.what.format(n="n"), "n": g.n, "8n": 8 * g.n}
        for label, n in (("n", g.n), ("8n", 8 * g.n)):
            if sizes != "both" and label != sizes:
                row[f"seconds_{label}"] = row[f"peak_mb_{label}"] = float("nan")
                continue
            case = g.case(n)
            with tempfile.TemporaryDirectory(prefix="growth-") as tmp:
                out = run_case(case, Path(tmp), timeout=timeout)
                try:
                    verify(case, Path(tmp), out)
                except AssertionError as err:
                    row["outcome"] = f"UNEXPECTED at {n:,}: {str(err).splitlines()[0][:100]}"
                    failed.append(case.name)
            row[f"seconds_{label}"], row[f"peak_mb_{label}"] = round(out.seconds, 2), round(out.peak_mb, 1)
        row["ratio"] = round(row["seconds_8n"] / row["seconds_n"], 1)
        row.setdefault("outcome", "as expected")
        rows.append(row)
    return rows, failed


def print_growth(rows: list[dict]) -> None:
    print("| input | n → 8n | time n (s) | time 8n (s) | 8n/n | peak MB n → 8n | outcome |")
    print("|---|---|---|---|---|---|---|")
    for r in rows:
        print(f"| {r['input']} | {r['n']:,} → {r['8n']:,} | {r['seconds_n']:.2f} | {r['seconds_8n']:.2f} | "
              f"{r['ratio']:.1f} | {r['peak_mb_n']:.0f} → {r['peak_mb_8n']:.0f} | {r['outcome']} |")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--shared", default=None, help="unused: every input is made here")
    ap.add_argument("--quick", action="store_true", help="skip the cases that load the judge's model")
    ap.add_argument("--growth", action="store_true", help="only the growing sizes (bench/growing_cases.py)")
    ap.add_argument("--timeout", type=float, default=600, help="seconds one process may run (growing sizes)")
    ap.add_argument("--only", default=None, help="with --growth: one growing input, by name (e.g. pandoc_claims)")
    ap.add_argument("--sizes", choices=("both", "n", "8n"), default="both", help="with --growth: which sizes")
    args = ap.parse_args()
    if args.growth:
        grown, failed = growth_rows(args.timeout, args.only, args.sizes)
        print_growth(grown)
        save("hostile_growth", {"cases": grown, "failed": failed})
        if failed:
            raise SystemExit(f"unexpected outcomes: {', '.join(failed)}")
        return
    rows, failed = [], []
    for case in CASES:
        if args.quick and case.judge:
            continue
        with tempfile.TemporaryDirectory(prefix="hostile-") as tmp:
            out = run_case(case, Path(tmp))
            try:
                verify(case, Path(tmp), out)
                outcome = "as expected"
            except AssertionError as err:
                outcome = f"UNEXPECTED: {str(err).splitlines()[0][:120]}"
                failed.append(case.name)
        said = next((ln for ln in out.stderr.splitlines() if ln.startswith("sourcecheck: error:")), "")
        said = said.removeprefix("sourcecheck: error: ").split(": ", 1)[-1][:90]
        rows.append({"case": case.name, "input": case.what, "seconds": round(out.seconds, 2),
                     "peak_mb": round(out.peak_mb, 1), "exit": out.rc, "says": said, "outcome": outcome})
    print("| input | exit | time (s) | peak memory (MB) | outcome | what it says |")
    print("|---|---|---|---|---|---|")
    for r in rows:
        says = r["says"].replace("|", "\\|").replace("<", "&lt;") or "-"
        what = r["input"].replace("<", "&lt;")
        print(f"| {what} | {r['exit']} | {r['seconds']:.2f} | {r['peak_mb']:.0f} | {r['outcome']} | {says} |")
    grown: list[dict] = []
    if not args.quick:  # every growing input loads the judge's model
        grown, failed_growth = growth_rows(args.timeout)
        print()
        print_growth(grown)
        failed += failed_growth
    serve_rows = serve_table(args.quick, failed)
    save("hostile", {"cases": rows, "growth": grown, "serve_cases": serve_rows, "failed": failed})
    if failed:
        raise SystemExit(f"unexpected outcomes: {', '.join(failed)}")


def serve_table(quick: bool, failed: list[str]) -> list[dict]:
    """The web app's rows (bench/serve_cases.py): each against its own real server process."""
    from bench.serve_cases import CASES as SERVE_CASES
    from bench.serve_cases import run_serve_case

    rows = []
    for case in SERVE_CASES:
        if quick and case.judge:
            continue
        with tempfile.TemporaryDirectory(prefix="hostile-serve-") as tmp:
            out, outcome = run_serve_case(case, Path(tmp))
        if outcome != "as expected":
            failed.append(case.name)
        rows.append({"case": case.name, "input": case.what, "seconds": round(out.seconds, 2) if out else None,
                     "server_peak_mb": round(out.server_peak_mb, 1) if out else None, "says": out.says if out else "",
                     "outcome": outcome})
    print("\n| web app input | time (s) | server peak memory (MB) | outcome | what it answers |")
    print("|---|---|---|---|---|")
    for r in rows:
        what, says = (r[k].replace("|", "\\|").replace("<", "&lt;") for k in ("input", "says"))
        print(f"| {what} | {r['seconds']:.2f} | {r['server_peak_mb']:.0f} | {r['outcome']} | {says or '-'} |")
    return rows


if __name__ == "__main__":
    main()
