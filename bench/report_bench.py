"""Issue 12 figures: the HTML report of the real example (render time, size) and `serve` (upload to report, 4 at once).

The check runs once; rendering is timed alone, 5 times, median quoted. `serve` runs as a real process
on a free port and is driven over HTTP as a browser would: post the form, poll, fetch the JSON.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import threading
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

from bench.common import median, save, table
from sourcecheck.serve.launch import free_port, start_server

HERE = Path(__file__).resolve().parent
EXAMPLE = HERE.parent / "examples" / "october-days.md"


def post_document(base: str, text: str) -> str:
    """The form post a browser makes; returns the job's address."""
    boundary = uuid.uuid4().hex
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"format\"\r\n\r\nauto\r\n"
            f"--{boundary}\r\nContent-Disposition: form-data; name=\"text\"\r\n\r\n{text}\r\n--{boundary}--\r\n").encode()
    req = urllib.request.Request(base + "/check", data=body, method="POST",
                                 headers={"Content-Type": f"multipart/form-data; boundary={boundary}"})

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *a, **k):
            return None

    try:
        urllib.request.build_opener(NoRedirect).open(req)
    except urllib.error.HTTPError as err:  # the 303 to the job's page
        if err.code != 303:
            raise
        return base + err.headers["Location"]
    raise RuntimeError("no redirect to the job")


def upload_to_report(base: str, text: str) -> tuple[float, dict]:
    t0 = time.perf_counter()
    job = post_document(base, text)
    while json.load(urllib.request.urlopen(job + "/status"))["state"] not in ("done", "failed"):
        time.sleep(0.05)
    report = json.load(urllib.request.urlopen(job + "/report.json"))
    return time.perf_counter() - t0, report


def render_real(shared: Path, runs: int) -> list[tuple[str, str]]:
    from sourcecheck.document import read_document
    from sourcecheck.judge import get_judge
    from sourcecheck.library import Library
    from sourcecheck.pipeline.check import Checker
    from sourcecheck.report import render

    doc = shared / "examples" / "october-revolution.md"
    with tempfile.TemporaryDirectory() as tmp, Library(Path(tmp) / "lib.db") as lib:
        lib.add(shared / "library")
        report = Checker(lib, get_judge()).check(read_document(doc))
    times, html = [], ""
    for _ in range(runs):
        t0 = time.perf_counter()
        html = render(report, "html")
        times.append(time.perf_counter() - t0)
    js = render(report, "json")
    save("report_html", {"render_s": times, "bytes": len(html.encode()), "json_bytes": len(js.encode())})
    return [(f"HTML report of october-revolution.md ({len(report.findings)} claims), render median ms",
             f"{median(times) * 1000:.1f}"),
            ("its size, kB (JSON report for scale)", f"{len(html.encode()) / 1024:.1f} ({len(js.encode()) / 1024:.1f})")]


def serve_figures(runs: int) -> list[tuple[str, str]]:
    from sourcecheck.library import Library

    text = EXAMPLE.read_text()
    with tempfile.TemporaryDirectory() as tmp:
        lib = Path(tmp) / "demo.db"
        with Library(lib) as library:
            library.add(EXAMPLE.parent / "sources")
        port = free_port()
        proc = start_server(lib, port)
        base = f"http://127.0.0.1:{port}"
        try:
            upload_to_report(base, text)  # warm: the first check loads the judge
            single = [upload_to_report(base, text)[0] for _ in range(runs)]
            results: list[tuple[float, dict] | Exception] = [None] * 4  # type: ignore[list-item]

            def one(i: int) -> None:
                try:
                    results[i] = upload_to_report(base, text)
                except Exception as err:  # counted as lost below
                    results[i] = err

            threads = [threading.Thread(target=one, args=(i,)) for i in range(4)]
            t0 = time.perf_counter()
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            wall = time.perf_counter() - t0
        finally:
            proc.terminate()
            proc.wait(timeout=20)
    done = [r for r in results if isinstance(r, tuple) and r[1]["summary"]["claims"] == 8]
    each = sorted(t for t, _ in done)
    save("report_serve", {"upload_to_report_s": single, "concurrent_each_s": each, "concurrent_wall_s": wall,
                          "concurrent_finished": len(done)})
    return [("serve: upload of october-days.md (8 claims) to finished report, median s", f"{median(single):.2f}"),
            ("serve: 4 concurrent uploads, finished / lost", f"{len(done)} / {4 - len(done)}"),
            ("serve: 4 concurrent, each upload-to-report s (queued: one check at a time)",
             ", ".join(f"{t:.2f}" for t in each)),
            ("serve: 4 concurrent, wall s (ratio to one)", f"{wall:.2f} ({wall / median(single):.1f}\u00d7)")]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--shared", type=Path, required=True)
    ap.add_argument("--quick", action="store_true")
    args = ap.parse_args()
    rows = render_real(args.shared, 3 if args.quick else 5) + serve_figures(1 if args.quick else 3)
    print("## Reports: HTML and serve (issue 12)\n\n" + table(rows) + "\n")


if __name__ == "__main__":
    main()
