"""Issue 22's bulk-and-CI points as counts, for one source tree: before and after are two runs.

Runs `sourcecheck` as a process from the tree given (``--src``, default this checkout's ``src``) on
the bundled example, a three-claim essay with fine claims and dates, and ../shared's real example,
and counts what the issue saw go wrong. Prints a Markdown table for BENCHMARKS.md.

    .venv/bin/python -m bench.everyday_bench [--src /tmp/old/src] [--shared ../shared]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ESSAY = """- The garrison stayed in their barracks.
    - `Most of the garrison neither defended the Provisional Government nor took part in the rising: they stayed in their barracks` - The Petrograd Garrison in 1917
- Most of the garrison neither defended the Provisional Government nor took part in the rising.
    - `Most of the garrison neither defended the Provisional Government nor took part in the rising: they stayed in their barracks` - The Petrograd Garrison in 1917
- Kerensky left the city on 7 November 1917 to look for loyal troops.
"""
ROWS = '{"id": "a1", "claim": "The garrison stayed in its barracks.", "evidence": "Most of the garrison stayed in its barracks."}\n' \
       '{"id": "a2", "claim": "Kerensky left.", "evidance": "He had left the city by car."}\n'


def sourcecheck(src: Path, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(src), "NO_COLOR": "1"}
    return subprocess.run([sys.executable, "-m", "sourcecheck", *args], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=1200)


def fine_in(text: str) -> list[int]:
    return [int(m) for m in re.findall(r"(\d+) claims? fine", "\n".join(
        line for line in text.splitlines() if line.startswith("Summary:")))]


def in_evidence(report: dict) -> tuple[int, int]:
    """(words listed as not covered, of those the claim's evidence has as a word, case folded)."""
    listed = found = 0
    for c in report["claims"]:
        quotes = " ".join(e["quote"] for e in c["evidence"]).lower()
        for p in c["problems"]:
            if "(not covered: " in p["message"]:
                words = p["message"].split("(not covered: ")[1].split(")")[0].split(", ")
                listed += len(words)
                found += sum(1 for w in words if re.search(rf"\b{re.escape(w.lower())}\b", quotes))
    return listed, found


def measure(src: Path, shared: Path | None, work: Path) -> dict[str, str]:
    lib = work / "demo.db"
    sourcecheck(src, "add", str(ROOT / "examples" / "sources"), "--library", str(lib), cwd=work)
    essay = work / "essay.md"
    essay.write_text(ESSAY)
    out: dict[str, str] = {}
    base = ["--library", str(lib), "--fail-on", "none"]
    loud = sourcecheck(src, "check", str(essay), *base, cwd=work).stdout
    quiet = sourcecheck(src, "check", str(essay), *base, "-q", cwd=work).stdout
    out["claims fine said, without -q / with -q (essay.md)"] = f"{fine_in(loud)[:1]} / {fine_in(quiet)[:1]}"
    out["`Summary:` lines in the text report (essay.md)"] = str(sum(ln.startswith("Summary:") for ln in loud.splitlines()))
    days_q = sourcecheck(src, "check", str(ROOT / "examples" / "october-days.md"), *base, "-q", cwd=work).stdout
    listed_q = days_q.split("Undated claims:")[1].strip().splitlines() if "Undated claims:" in days_q else []
    out["undated claims listed under -q (october-days.md)"] = str(len(listed_q))
    undated = work / "undated.md"
    undated.write_text("\n".join(ESSAY.splitlines()[:4]) + "\n")
    text = sourcecheck(src, "check", str(undated), *base, cwd=work).stdout
    out["`Undated claims` lists, a document without dates"] = str(text.count("Undated claims"))
    rows = work / "rows.jsonl"
    rows.write_text(ROWS)
    res = sourcecheck(src, "check", str(rows), *base, cwd=work)
    out['a row with "evidance": exit code, lines on stderr'] = f"{res.returncode}, {len(res.stderr.splitlines())}"
    rows.write_text(ROWS.splitlines()[0] + "\n")
    ids = [c["id"] for c in json.loads(sourcecheck(src, "check", str(rows), *base, "--format", "json", cwd=work).stdout)["claims"]]
    out['JSON Lines id "a1" comes back as'] = json.dumps(ids[0])
    days = json.loads(sourcecheck(src, "check", str(ROOT / "examples" / "october-days.md"), *base, "--format", "json",
                                  cwd=work).stdout)
    listed, found = in_evidence(days)
    out['"not covered" words that are in the evidence (october-days.md)'] = f"{found} of {listed}"
    if shared is not None:
        big = work / "shared.db"
        sourcecheck(src, "add", str(shared / "library"), "--library", str(big), cwd=work)
        rev = json.loads(sourcecheck(src, "check", str(shared / "examples" / "october-revolution.md"), "--library",
                                     str(big), "--fail-on", "none", "--format", "json", cwd=work).stdout)
        listed, found = in_evidence(rev)
        out['"not covered" words that are in the evidence (october-revolution.md)'] = f"{found} of {listed}"
    html = sourcecheck(src, "check", str(ROOT / "examples" / "october-days.md"), *base, "--format", "html",
                       cwd=work).stdout
    verdict = {str(c["id"]): c["verdict"] for c in days["claims"]}
    red = 0
    for card in re.findall(r'<article class="card.*?</article>', html, re.S):
        cid = re.search(r'id="claim-([^"]+)"', card)
        if cid and verdict.get(cid.group(1)) not in ("partially_supported", "not_addressed"):
            red += card.count('<mark class="uncovered">')
    out["uncovered marks on claims whose report lists no uncovered words (HTML)"] = str(red)
    res = sourcecheck(src, "sources", "--library", str(lib), cwd=work)
    out["`sources`: first line"] = f"`{res.stdout.splitlines()[0][:40]}`"
    res = sourcecheck(src, "check", str(ROOT / "examples" / "october-days.md"), *base, "--ignore", "no_evidence", cwd=work)
    out["`check --ignore no_evidence`: exit code"] = str(res.returncode)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--src", default=str(ROOT / "src"), help="the source tree to measure (its src/ folder)")
    ap.add_argument("--shared", default=str(ROOT.parent / "shared"), help="../shared, for the real example")
    ap.add_argument("--quick", action="store_true", help="leave out ../shared's real example")
    args = ap.parse_args()
    shared = Path(args.shared) if Path(args.shared, "library").is_dir() and not args.quick else None
    with tempfile.TemporaryDirectory(prefix="everyday-") as tmp:
        rows = measure(Path(args.src).resolve(), shared, Path(tmp))
    from bench.common import save

    save("everyday", {"src": args.src, "rows": rows})
    print(f"| what (src: {args.src}) | result |\n|---|---|")
    for what, value in rows.items():
        print(f"| {what} | {value} |")


if __name__ == "__main__":
    main()
