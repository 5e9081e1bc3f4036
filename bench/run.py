"""`make bench`: run every bench/*_bench.py in its own process (so each reports its own peak memory).

Run from the repository as ``python -m bench.run``: bench/ is a package, so no script edits sys.path.

Each script prints a Markdown section and writes bench/out/<name>.json; this prints them in turn.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--shared", default=str(HERE.parent.parent / "shared"))
    ap.add_argument("--quick", action="store_true", help="the quick form of every benchmark")
    ap.add_argument("only", nargs="*", help="names of benchmarks to run (default: all)")
    args = ap.parse_args()
    scripts = sorted(HERE.glob("*_bench.py"))
    if args.only:
        scripts = [s for s in scripts if s.stem.removesuffix("_bench") in args.only]
    failed = []
    for s in scripts:
        cmd = [sys.executable, "-m", f"bench.{s.stem}", "--shared", args.shared] + (["--quick"] if args.quick else [])
        print(f"\n<!-- {' '.join(cmd)} -->", flush=True)
        t0 = time.time()
        if subprocess.run(cmd, cwd=HERE.parent).returncode != 0:
            failed.append(s.stem)
        print(f"<!-- {s.stem}: {time.time() - t0:.0f} s -->", flush=True)
    if failed:
        sys.exit(f"failed: {', '.join(failed)}")


if __name__ == "__main__":
    main()
