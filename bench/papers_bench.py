"""Issue 23 figures: reading and checking a generated 30-page DOCX and 30-page LaTeX paper, peak memory,
and the time of the reviewed-file writer.

Each paper is read and checked in a fresh process (as `sourcecheck check` runs it), against a library of
the two sources it cites; the writer is timed in that process on the report just made, 3 times, median.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

from bench import papers
from bench.common import save, table

CHILD = r"""
import json, resource, statistics, sys, time
from sourcecheck.pipeline.check import Checker
from sourcecheck.document import read_document
from sourcecheck.judge import get_judge
from sourcecheck.library import Library
from sourcecheck.library.citekeys import keys_for
path, lib_path, review = sys.argv[1], sys.argv[2], sys.argv[3] == "1"
t0 = time.perf_counter()
doc = read_document(path)
read_s = time.perf_counter() - t0
with Library(lib_path, read_only=True) as lib:
    t1 = time.perf_counter()
    report = Checker(lib, get_judge(), suggest=0, keys=keys_for(lib, [])).check(doc)
    check_s = time.perf_counter() - t1
write = []
if review:
    from sourcecheck.report.docx import review_docx
    data = open(path, "rb").read()
    for _ in range(3):
        t2 = time.perf_counter()
        out = review_docx(data, report)
        write.append(time.perf_counter() - t2)
print(json.dumps({"claims": len(doc.claims), "evidence": sum(len(c.evidence) for c in doc.claims),
                  "problems": sum(1 for f in report.findings if f.problems), "read_s": read_s, "check_s": check_s,
                  "write_s": statistics.median(write) if write else None,
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--shared", type=Path, required=False)
    ap.add_argument("--quick", action="store_true", help="5 pages instead of 30")
    ap.add_argument("--pages", type=int, default=30)
    args = ap.parse_args()
    pages = 5 if args.quick else args.pages
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        from sourcecheck.library import Library

        with Library(folder / "lib.db") as lib:
            for p in papers.write_sources(folder / "sources"):
                lib.add(p)
        (folder / "refs.bib").write_text(papers.REFS_BIB, encoding="utf-8")
        (folder / "long.docx").write_bytes(papers.long_docx(pages))
        (folder / "long.tex").write_text(papers.long_tex(pages), encoding="utf-8")
        for name, review in (("long.docx", "1"), ("long.tex", "0")):
            out = subprocess.run([sys.executable, "-c", CHILD, str(folder / name), str(folder / "lib.db"), review],
                                 capture_output=True, text=True, check=True)
            results[name] = json.loads(out.stdout.strip().splitlines()[-1])
        sizes = {n: (folder / n).stat().st_size for n in ("long.docx", "long.tex")}
    d, t = results["long.docx"], results["long.tex"]
    rows = [(f"DOCX, {pages} pages ({sizes['long.docx'] // 1024} KB, {d['claims']} claims, {d['evidence']} footnote quotations): read, s",
             f"{d['read_s']:.2f}"),
            ("DOCX: check (read claims against the library, judge), s", f"{d['check_s']:.1f}"),
            ("DOCX: reviewed-file writer (" + f"{d['problems']} comments), median of 3, s", f"{d['write_s']:.2f}"),
            ("DOCX: peak memory of the process, MB", f"{d['peak_mb']:.0f}"),
            (f"LaTeX, {pages} pages ({sizes['long.tex'] // 1024} KB, {t['claims']} claims, {t['evidence']} quotations): read, s",
             f"{t['read_s']:.2f}"),
            ("LaTeX: check, s", f"{t['check_s']:.1f}"),
            ("LaTeX: peak memory of the process, MB", f"{t['peak_mb']:.0f}")]
    print(f"## Word and LaTeX papers ({pages} pages each)\n\n" + table(rows) + "\n")
    save("papers", {"pages": pages, "docx": d, "latex": t, "sizes": sizes})


if __name__ == "__main__":
    main()
