"""Issue 14 figures: reading a 300 KB wikitext article and checking it against ../shared/library.

The article is built here: the sentences of ../shared/library/wikipedia/*.txt, each followed by a
ref to one of the library's books (Reed, Trotsky) in the forms editors use: ``{{cite book}}`` with
``|page=`` and ``|quote=`` (a real sentence of the book, so the check has something to locate),
named refs reused, and ``{{sfn}}`` resolved against a bibliography section. Reading is timed in
this process (median of 5); the check runs as a user runs it, through the CLI, once.

Run: ``python -m bench.wikitext_bench --shared ../shared [--quick]`` (or ``make bench``).
"""

from __future__ import annotations

import argparse
import itertools
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.common import median, peak_mb, save, table

BOOKS = {
    "reed-ten-days-that-shook-the-world.txt": ("Ten Days That Shook the World", "Reed", "John", 1919),
    "trotsky-from-october-to-brest-litovsk.txt": ("From October to Brest-Litovsk", "Trotsky", "Leon", 1919),
}


def _sentences(text: str) -> list[str]:
    from sourcecheck.document.prose import sentences

    out = []
    for para in re.split(r"\n\s*\n", text):
        out += [s for _, s in sentences([(1, para.replace("\n", " "))]) if 40 <= len(s) <= 400 and "|" not in s]
    return out


def _clean(s: str) -> str:
    """Wikipedia dump debris ([1], '' and ]]) would be markup in wikitext: drop it."""
    s = re.sub(r"\[\d+\]|\[\[|\]\]|''|\{\{|\}\}|<|>", "", s)
    return " ".join(s.split())


def build_article(shared: Path, size: int) -> str:
    library = shared / "library"
    claims = [_clean(s) for f in sorted((library / "wikipedia").glob("*.txt")) for s in _sentences(f.read_text("utf-8"))]
    quotes = {name: [s for s in _sentences((library / name).read_text("utf-8")) if "=" not in s and "}" not in s]
              for name in BOOKS}
    books = itertools.cycle(BOOKS.items())
    picks = {name: itertools.cycle(q[::7]) for name, q in quotes.items()}
    out = ["{{Infobox event\n| name = Benchmark article\n| date = 1917\n}}\n"
           "'''Benchmark''' article built from the library's Wikipedia pages.\n"]
    total = len(out[0])
    for n, claim in enumerate(itertools.cycle(claims)):
        name, (title, last, first, year) = next(books)
        quote = _clean(next(picks[name]))
        if n % 4 == 0:
            ref = f"{{{{sfn|{last}|{year}|p={n % 300 + 1}}}}}"
        elif n % 4 == 1 and n > 4:
            ref = f'<ref name="{last.lower()}-{(n // 8) % 20}"/>'
        else:
            named = f' name="{last.lower()}-{(n // 8) % 20}"' if n % 8 == 2 else ""
            ref = (f"<ref{named}>{{{{cite book |last={last} |first={first} |title={title} |year={year} "
                   f"|page={n % 300 + 1} |quote={quote}}}}}</ref>")
        piece = claim + ref + (" " if n % 5 != 4 else "\n\n") + (f"\n== Section {n // 40 + 1} ==\n" if n % 40 == 39 else "")
        out.append(piece)
        total += len(piece)
        if total >= size:
            break
    out.append("\n== Bibliography ==\n" + "".join(
        f"* {{{{cite book |last={last} |first={first} |title={title} |year={year}}}}}\n"
        for title, last, first, year in BOOKS.values()))
    return "".join(out)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--shared", type=Path, required=True)
    ap.add_argument("--quick", action="store_true", help="a 30 KB article instead of 300 KB")
    args = ap.parse_args()
    size = 30_000 if args.quick else 300_000
    from sourcecheck.document import read_document

    with tempfile.TemporaryDirectory() as tmp:
        article = Path(tmp) / "article.wiki"
        article.write_text(build_article(args.shared, size), encoding="utf-8")
        reads, cpu = [], []
        for _ in range(5):
            t0, c0 = time.perf_counter(), time.process_time()
            doc = read_document(article)
            reads.append(time.perf_counter() - t0)
            cpu.append(time.process_time() - c0)  # steadier than wall time on a shared machine
        n_claims, n_quotes = len(doc.claims), sum(len(c.evidence) for c in doc.claims)
        read_peak = peak_mb()
        lib = Path(tmp) / "lib.db"
        sc = [sys.executable, "-m", "sourcecheck.cli"]
        subprocess.run([*sc, "add", str(args.shared / "library"), "--library", str(lib)], check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        t0 = time.time()
        res = subprocess.run([*sc, "check", str(article), "--library", str(lib), "--format", "json", "--fail-on", "none",
                              "-o", str(Path(tmp) / "report.json")], stderr=subprocess.PIPE, text=True)
        check_s = time.time() - t0
        if res.returncode != 0:
            sys.exit(f"check failed: {res.stderr[-500:]}")
        import json

        report = json.loads((Path(tmp) / "report.json").read_text("utf-8"))
        statuses: dict[str, int] = {}
        for c in report["claims"]:
            for e in c["evidence"]:
                statuses[e["quote_status"]] = statuses.get(e["quote_status"], 0) + 1
        kb = article.stat().st_size / 1000
    rows = [("article", f"{kb:.0f} KB, {n_claims} claims, {n_quotes} quotations"),
            ("read (median of 5)", f"{median(reads):.2f} s wall, {median(cpu):.2f} s CPU "
                                   f"({kb / median(cpu):.0f} KB/s of CPU), peak {read_peak:.0f} MB"),
            ("check against ../shared/library (1 run)", f"{check_s:.1f} s ({n_claims / check_s:.1f} claims/s)"),
            ("quotation statuses", ", ".join(f"{k} {v}" for k, v in sorted(statuses.items())))]
    print("## Wikitext article (issue 14)\n\n" + table(rows))
    save("wikitext", {"kb": kb, "claims": n_claims, "quotations": n_quotes, "read_s": median(reads), "read_cpu_s": median(cpu),
                      "check_s": check_s, "statuses": statuses})


if __name__ == "__main__":
    main()
