"""Issue 2 figures: time and peak memory of ingesting ../shared/library and of `check` on the example.

Each timed step runs in a fresh process (the CLI, as a user runs it), 3 times; medians quoted.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.common import median, save, table

SC = [sys.executable, "-m", "sourcecheck.cli"]


def timed(cmd: list[str]) -> tuple[float, float]:
    """Wall seconds and peak RSS (MB) of one child process, via /usr/bin/time-free wait4."""
    import os

    t0 = time.time()
    p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, ru = os.wait4(p.pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"failed: {' '.join(cmd)}")
    return time.time() - t0, ru.ru_maxrss / 1024


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--shared", type=Path, required=True)
    ap.add_argument("--quick", action="store_true")
    args = ap.parse_args()
    runs = 1 if args.quick else 3
    ingest, check = [], []
    with tempfile.TemporaryDirectory() as tmp:
        for i in range(runs):
            lib = Path(tmp) / f"lib{i}.db"
            ingest.append(timed(SC + ["add", str(args.shared / "library"), "--library", str(lib)]))
            check.append(timed(SC + ["check", str(args.shared / "examples/october-revolution.md"), "--library", str(lib),
                                     "--fail-on", "none", "--format", "json"]))
    rows = [("ingest ../shared/library (6 sources, 1.0 MB), median s", f"{median([t for t, _ in ingest]):.2f}"),
            ("ingest peak memory, MB", f"{max(m for _, m in ingest):.0f}"),
            ("check october-revolution.md (6 claims), median s", f"{median([t for t, _ in check]):.2f}"),
            ("check peak memory, MB", f"{max(m for _, m in check):.0f}")]
    print("## Library ingest and the main job\n\n" + table(rows) + "\n")
    save("check", {"ingest_s": [t for t, _ in ingest], "ingest_peak_mb": max(m for _, m in ingest),
                   "check_s": [t for t, _ in check], "check_peak_mb": max(m for _, m in check)})


if __name__ == "__main__":
    main()
