"""Issue 24: `serve` under a burst. 50 searches and some checks sent at once to a real server process:
how many answer and how many fail, and the server's memory before, at its peak and after the burst.

The server runs as a user runs it (``sourcecheck serve`` on a free port, serve.launch); its memory is
read from /proc (VmRSS sampled every 50 ms during the burst, VmHWM for the peak between samples). The
"before" figure is taken once as many searches as the burst holds have run one at a time (``--warm``
rounds of the claims) and a check has run: a fresh server grows over its first few dozen searches,
one at a time or not, and then stays flat, so this compares the burst with the same work done in
turn; "after" is the median of samples taken from 15 s after the last answer. Prints a Markdown table for BENCHMARKS.md and
writes bench/out/serve.json.

    .venv/bin/python -m bench.serve_bench [--finds 50] [--checks 5]
"""

from __future__ import annotations

import argparse
import json
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

from bench.common import ROOT, median, save, table
from sourcecheck.serve.launch import free_port, start_server

EXAMPLE = ROOT / "examples" / "october-days.md"
CLAIMS = ["the garrison backed the committee", "the Winter Palace was taken on 25 October",
          "Kerensky left Petrograd", "the cruiser Aurora fired a blank shot", "the Congress of Soviets met",
          "the Provisional Government fell without a fight", "Trotsky led the Military Revolutionary Committee"]


def memory_mb(pid: int) -> tuple[float, float]:
    """(resident now, resident at its highest so far) of process ``pid``, in MB."""
    fields = dict(line.split(":", 1) for line in Path(f"/proc/{pid}/status").read_text().splitlines() if ":" in line)
    return int(fields["VmRSS"].split()[0]) / 1024, int(fields["VmHWM"].split()[0]) / 1024


def get(url: str) -> tuple[int | str, float]:
    t0 = time.perf_counter()
    try:
        with urllib.request.urlopen(url, timeout=600) as res:
            res.read()
            code: int | str = res.status
    except urllib.error.HTTPError as err:
        code = err.code
    except OSError as err:  # refused or reset: counted as failed, by its kind
        code = type(err).__name__
    return code, time.perf_counter() - t0


def check(base: str, text: str) -> str:
    """Upload ``text``, wait for its report: "done", or what went wrong."""
    body = urllib.parse.urlencode({"text": text, "format": "auto"}).encode()
    try:
        with urllib.request.urlopen(urllib.request.Request(base + "/check", data=body), timeout=600) as res:
            job = res.url.rsplit("/", 1)[1]
        while True:
            with urllib.request.urlopen(f"{base}/jobs/{job}/status", timeout=600) as res:
                state = json.load(res)
            if state["state"] not in ("queued", "running"):
                return "done" if state["state"] == "done" else f"failed: {state['error']}"
            time.sleep(0.2)
    except OSError as err:
        return f"failed: {type(err).__name__}: {err}"


def burst(base: str, pid: int, finds: int, checks: int, text: str) -> dict:
    find_codes: list[int | str] = [0] * finds
    find_s: list[float] = [0.0] * finds
    check_states: list[str] = [""] * checks
    start = threading.Barrier(finds + checks)

    def one_find(i: int) -> None:
        start.wait()
        find_codes[i], find_s[i] = get(base + "/find?q=" + urllib.parse.quote(CLAIMS[i % len(CLAIMS)]))

    def one_check(i: int) -> None:
        start.wait()
        check_states[i] = check(base, text)

    threads = [threading.Thread(target=one_find, args=(i,)) for i in range(finds)]
    threads += [threading.Thread(target=one_check, args=(i,)) for i in range(checks)]
    samples: list[float] = []
    t0 = time.perf_counter()
    for t in threads:
        t.start()
    while any(t.is_alive() for t in threads):
        samples.append(memory_mb(pid)[0])
        time.sleep(0.05)
    wall = time.perf_counter() - t0
    return {"find_codes": find_codes, "find_s": find_s, "check_states": check_states, "wall_s": wall,
            "peak_sampled_mb": max(samples), "peak_hwm_mb": memory_mb(pid)[1]}


def settled_mb(pid: int, wait: float = 0.0) -> float:
    """Resident memory once the server is idle: the median of 10 samples over 2 s, after ``wait`` s."""
    time.sleep(wait)
    samples = []
    for _ in range(10):
        samples.append(memory_mb(pid)[0])
        time.sleep(0.2)
    return median(samples)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--shared", default=None, help="unused: the library is the bundled example's sources")
    ap.add_argument("--quick", action="store_true", help="20 finds and 2 checks")
    ap.add_argument("--finds", type=int, default=50)
    ap.add_argument("--checks", type=int, default=5)
    ap.add_argument("--warm", type=int, default=7, help="rounds of the searches, one at a time, before the burst")
    args = ap.parse_args()
    finds, checks = (20, 2) if args.quick else (args.finds, args.checks)
    from sourcecheck.library import Library

    text = EXAMPLE.read_text(encoding="utf-8")
    with tempfile.TemporaryDirectory() as tmp:
        lib = Path(tmp) / "demo.db"
        with Library(lib) as library:
            library.add(EXAMPLE.parent / "sources")
        port = free_port()
        log = (Path(tmp) / "serve.log").open("w+", encoding="utf-8")
        proc = start_server(lib, port, log=log)
        base = f"http://127.0.0.1:{port}"
        try:
            started = memory_mb(proc.pid)[0]
            for i in range(args.warm * len(CLAIMS)):  # warm, one at a time: every search and the check have run
                get(base + "/find?q=" + urllib.parse.quote(CLAIMS[i % len(CLAIMS)]))
            assert check(base, text) == "done"
            time.sleep(2)
            before = settled_mb(proc.pid)
            result = burst(base, proc.pid, finds, checks, text)
            after = settled_mb(proc.pid, wait=15)
            again = burst(base, proc.pid, finds, checks, text)  # the same again: memory is reused, not grown
            after_again = settled_mb(proc.pid, wait=15)
        finally:
            proc.terminate()
            proc.wait(timeout=60)
            log.seek(0)
            logged = log.read()
            log.close()
    tracebacks = logged.count("Traceback (most recent call last)")
    runs = [result, again]
    answered = [sum(c == 200 for c in r["find_codes"]) for r in runs]
    done = [sum(st == "done" for st in r["check_states"]) for r in runs]
    failures = sorted({str(c) for r in runs for c in r["find_codes"] if c != 200}
                      | {st for r in runs for st in r["check_states"] if st != "done"})
    peaks = [max(r["peak_sampled_mb"], r["peak_hwm_mb"]) for r in runs]
    save("serve", {"tracebacks": tracebacks, "finds": finds, "checks": checks, "answered": answered, "checks_done": done, "failures": failures,
                   "started_mb": started, "before_mb": before, "peak_mb": peaks, "after_mb": [after, after_again],
                   "find_s": [r["find_s"] for r in runs], "wall_s": [r["wall_s"] for r in runs]})
    print(f"## serve under a burst: {finds} searches and {checks} checks at once, twice\n")
    print(table([
        ("searches answered 200 / failed (first burst, second)",
         ", ".join(f"{a} / {finds - a}" for a in answered)),
        ("checks done / failed (first, second)", ", ".join(f"{d} / {checks - d}" for d in done)),
        ("failures seen", ", ".join(failures) or "none"),
        ("tracebacks in the server's log", str(tracebacks)),
        ("search time in the first burst, median / slowest s",
         f"{median(result['find_s']):.2f} / {max(result['find_s']):.2f}"),
        ("burst wall s (first, second)", f"{result['wall_s']:.1f}, {again['wall_s']:.1f}"),
        ("server RSS at start / warm, before the burst MB", f"{started:.0f} / {before:.0f}"),
        ("server RSS peak, first burst MB (ratio to warm)", f"{peaks[0]:.0f} ({peaks[0] / before:.2f}x)"),
        ("server RSS 15 s after the first burst MB (ratio to warm)", f"{after:.0f} ({after / before:.2f}x)"),
        ("server RSS peak, second burst MB (ratio to warm)", f"{peaks[1]:.0f} ({peaks[1] / before:.2f}x)"),
        ("server RSS 15 s after the second burst MB (ratio to warm)", f"{after_again:.0f} ({after_again / before:.2f}x)"),
    ]))
    if failures or tracebacks:
        raise SystemExit(f"failures under the burst: {failures}; {tracebacks} tracebacks in the server's log")


if __name__ == "__main__":
    main()
