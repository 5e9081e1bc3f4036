"""Helpers every benchmark script shares: peak memory, medians, writing results."""

from __future__ import annotations

import json
import platform
import resource
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]  # the repository: `python -m bench.X` runs from here
OUT = ROOT / "bench" / "out"


def peak_mb() -> float:
    """Peak resident memory of this process so far (Linux reports kilobytes)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def median(xs: list[float]) -> float:
    return statistics.median(xs) if xs else float("nan")


def save(name: str, data: dict) -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    data = {"date": time.strftime("%Y-%m-%d"), "machine": f"{platform.machine()}, {__import__('os').cpu_count()} cores",
            "command": " ".join(["python"] + sys.argv), **data}
    (OUT / f"{name}.json").write_text(json.dumps(data, indent=2))


def table(rows: list[tuple[str, str]]) -> str:
    return "\n".join(["| measure | value |", "|---|---|"] + [f"| {a} | {b} |" for a, b in rows])
