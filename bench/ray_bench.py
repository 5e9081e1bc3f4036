"""Batch on Ray (issue 15): `sourcecheck judge` on WiCE dev, plain and with 1 and 2 Ray workers.

Each configuration is run as users run it (a `sourcecheck judge` process, wall clock, the model
load and a local Ray cluster's start included), twice: on one claim and on N claims. The
difference divided by N - 1 is the cost of a claim once running; what is left is the fixed cost.
Ray's own cost per claim is measured apart: the round trip of one task carrying a batch of claim
rows to an actor that only sends lines back (no judging), divided by the batch size.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from training.wice import evidence_text, load_wice

from bench.common import save, table

SC = [sys.executable, "-m", "sourcecheck.cli"]


def _rows(shared: Path, n: int) -> list[dict]:
    return [{"id": i, "claim": r["claim"], "evidence": evidence_text(r)} for i, r in enumerate(load_wice(shared)[:n])]


def _run(args: list[str], rows: list[dict], folder: Path) -> tuple[float, list[str], float]:
    """(wall seconds, output lines, 1-minute load average before) of one `sourcecheck judge` run."""
    src = folder / f"in-{len(rows)}.jsonl"
    src.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    out = folder / "out.jsonl"
    load = os.getloadavg()[0]
    t0 = time.perf_counter()
    subprocess.run([*SC, "judge", "-i", str(src), "-o", str(out), *args], check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - t0, out.read_text(encoding="utf-8").splitlines(), load


class _Echo:
    """An actor that answers a batch without judging it: what is left is Ray's own cost."""

    def run(self, task: tuple[int, list]) -> tuple[int, list[str]]:
        i, rows = task
        return i, [json.dumps({"id": r.id}) for r in rows]


def ray_round_trip(rows: list[dict], batch: int, calls: int) -> float:
    """Median seconds of one task round trip (batch of claim rows out, lines back) on a local actor."""
    import ray

    from sourcecheck.engine.batch import ClaimRow

    ray.init(num_cpus=1, include_dashboard=False, object_store_memory=128 * 1024 * 1024, log_to_driver=False)
    try:
        actor = ray.remote(_Echo).remote()
        task = [ClaimRow(r["id"], r["claim"], r["evidence"]) for r in rows[:batch]]
        ray.get(actor.run.remote((0, task)))  # the actor is up
        times = []
        for k in range(calls):
            t0 = time.perf_counter()
            ray.get(actor.run.remote((k, task)))
            times.append(time.perf_counter() - t0)
        return statistics.median(times)
    finally:
        ray.shutdown()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--shared", type=Path, required=True)
    ap.add_argument("--quick", action="store_true", help="60 claims instead of the whole dev split")
    ap.add_argument("--claims", type=int, default=None, help="claims per run (default: all 349; --quick: 60)")
    args = ap.parse_args()
    from sourcecheck.tuning import RAY_BATCH

    n = args.claims or (60 if args.quick else 349)
    rows = _rows(args.shared, n)
    n = len(rows)
    configs = {"plain CLI (1 process, 2 threads)": [],
               "Ray, 1 worker": ["--engine", "ray", "--workers", "1"],
               "Ray, 2 workers": ["--engine", "ray", "--workers", "2"]}
    res: dict[str, dict] = {}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for name, extra in configs.items():
            t1, _, load1 = _run(extra, rows[:1], folder)
            tn, lines, load = _run(extra, rows, folder)
            per_claim = (tn - t1) / (n - 1)
            res[name] = {"wall_s": tn, "one_claim_s": t1, "per_claim_s": per_claim, "fixed_s": tn - per_claim * n,
                         "claims_per_s": n / tn, "steady_claims_per_s": 1 / per_claim, "load_avg": [load1, load],
                         "lines": lines}
    plain = res["plain CLI (1 process, 2 threads)"]["lines"]
    for r in res.values():
        ids = [json.loads(x)["id"] for x in r.pop("lines")]
        r["in_order"] = ids == list(range(n))
        r["differ_from_plain"] = sum(a != b for a, b in zip(ids, [json.loads(x)["id"] for x in plain]))
    trip = ray_round_trip(rows, RAY_BATCH, 200)
    out = [(f"{name}: {n} claims, wall s (claims/s)", f"{r['wall_s']:.1f} ({r['claims_per_s']:.2f})") for name, r in res.items()]
    out += [(f"{name}: s per claim once running (claims/s); fixed s", f"{r['per_claim_s']:.3f} ({r['steady_claims_per_s']:.2f}); {r['fixed_s']:.1f}")
            for name, r in res.items()]
    out += [(f"Ray task round trip, batch of {RAY_BATCH} claim rows (median of 200); per claim, ms",
             f"{trip * 1000:.2f}; {trip * 1000 / RAY_BATCH:.3f}")]
    out += [("every output in input order, none lost or twice", str(all(r["in_order"] for r in res.values())))]
    out += [("1-minute load average during the runs (2 cores)",
             ", ".join(f"{r['load_avg'][1]:.1f}" for r in res.values()))]
    print(f"## Batch on Ray: judge on WiCE dev ({n} claims, whole evidence pages)\n\n" + table(out) + "\n")
    save("ray", {"claims": n, "configs": res, "ray_round_trip_s": trip, "batch": RAY_BATCH})


if __name__ == "__main__":
    main()
