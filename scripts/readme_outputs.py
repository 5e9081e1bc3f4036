"""Every output the README shows, made again by the command that made it: checked by
tests/test_readme_outputs.py, rewritten by ``python scripts/readme_outputs.py --write``.

An output block is a fenced block right after a marker line naming its command::

    <!-- output of: sourcecheck sources --library .sourcecheck/demo.db -->
    ```text
    ...
    ```

The block shows the command's output from the block's first line on (a report's header lines, which
name the machine's paths, may be left above it). A shown line that ends in "…" stands for every line
that starts with the text before it: long lines are cut at ``WIDTH`` characters when written. The
Python block's ``# `` comment lines are its printed output, in order, and end in "..." where cut.

The commands run as the README's own blocks do: from a folder that looks like a checkout (``examples``
linked in, ``../shared`` beside it), with the two libraries the README's blocks make before them
(``.sourcecheck/demo.db`` from the bundled sources, ``.sourcecheck/library.db`` from ``../shared/library``).
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
SHARED = ROOT.parent / "shared"
WIDTH = 160
MARKER = re.compile(r"^<!-- output of: (.+?) -->\n```(\w*)\n(.*?)^```", re.S | re.M)
PYTHON = re.compile(r"^```python\n(.*?)^```", re.S | re.M)


@dataclass(frozen=True)
class Shown:
    """One output block of the README: its command, the lines it shows, and where they stand."""

    command: str
    lines: list[str]
    start: int  # offsets of the block's body in the README
    end: int


def shown_blocks(text: str) -> list[Shown]:
    return [Shown(m.group(1), m.group(3).splitlines(), m.start(3), m.end(3)) for m in MARKER.finditer(text)]


def python_block(text: str) -> tuple[str, list[str], int, int]:
    """The README's Python block: its code, its ``# `` output lines, and where its body stands."""
    m = PYTHON.search(text)
    if m is None:
        raise SystemExit("README.md has no python block")
    body = m.group(1)
    return body, [line[2:] for line in body.splitlines() if line.startswith("# ")], m.start(1), m.end(1)


def normalise(text: str, work: Path) -> list[str]:
    """The output's lines with the scratch folder's path as ``.`` and timings as ``N s``; no trailing blanks."""
    text = text.replace(str(work) + "/", "").replace(str(work), ".")
    lines = [re.sub(r"\b\d+\.\d+ s\b", "N s", line.rstrip()) for line in text.splitlines()]
    while lines and not lines[-1]:
        lines.pop()
    return lines


def line_matches(shown: str, actual: str, cut: str = "\u2026") -> bool:
    return actual == shown or (shown.endswith(cut) and actual.startswith(shown[: -len(cut)]))


def from_first(shown: list[str], actual: list[str], cut: str = "\u2026") -> list[str]:
    """The actual lines from the one the block starts with: the same line, else the first that starts
    with the same word (a stale "Summary: ..." still starts at the new summary), else all of them."""
    if shown:
        for i, line in enumerate(actual):
            if line_matches(shown[0], line, cut):
                return actual[i:]
        head = shown[0].split()[:1]
        for i, line in enumerate(actual):
            if head and line.split()[:1] == head:
                return actual[i:]
    return actual


def differences(shown: list[str], actual: list[str], cut: str = "\u2026") -> list[str]:
    """What differs, as ``line N: shown / actual`` entries; empty where the block is true."""
    out = [f"line {i}: shown {s!r}\n        actual {a!r}" for i, (s, a) in enumerate(zip(shown, actual), 1)
           if not line_matches(s, a, cut)]
    if len(shown) != len(actual):
        out.append(f"{len(shown)} lines shown, {len(actual)} made")
    return out


def cut_lines(lines: list[str], cut: str = "\u2026", width: int = WIDTH) -> list[str]:
    return [line if len(line) <= width else line[: width - len(cut)] + cut for line in lines]


def prepare(top: Path, python: str) -> Path:
    """A scratch checkout under ``top`` with the README's two libraries; returns its folder."""
    (top / "shared").symlink_to(SHARED)
    work = top / "work"
    work.mkdir()
    (work / "examples").symlink_to(ROOT / "examples")
    bin_dir = top / "bin"
    bin_dir.mkdir()
    exe = bin_dir / "sourcecheck"  # `sourcecheck` as the README writes it, from this interpreter's install
    exe.write_text(f'#!/bin/sh\nexec "{python}" -m sourcecheck "$@"\n')
    exe.chmod(0o755)
    for args in (["add", "examples/sources", "--library", ".sourcecheck/demo.db"], ["add", "../shared/library"]):
        run(" ".join(["sourcecheck", *args]), work, check=True)
    return work


def environment(work: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("SOURCECHECK_LIBRARY", "NO_COLOR", "FORCE_COLOR")}
    env["PATH"] = f"{work.parent / 'bin'}:{env.get('PATH', '')}"
    env["COLUMNS"] = "200"
    return env


def run(command: str, work: Path, check: bool = False) -> str:
    res = subprocess.run(["bash", "-c", command], cwd=work, env=environment(work), capture_output=True, text=True,
                         timeout=1200)
    if check and res.returncode != 0:
        raise RuntimeError(f"`{command}` exited {res.returncode}: {res.stderr[-2000:]}")
    return res.stdout


def run_python(code: str, work: Path, python: str) -> str:
    res = subprocess.run([python, "-c", code], cwd=work, env=environment(work), capture_output=True, text=True,
                         timeout=1200)
    if res.returncode != 0:
        raise RuntimeError(f"the README's Python block exited {res.returncode}: {res.stderr[-2000:]}")
    return res.stdout


@dataclass
class Made:
    """What one block shows against what its command makes now (both after the allowances)."""

    name: str
    shown: list[str]
    actual: list[str]
    start: int
    end: int
    cut: str

    @property
    def stale(self) -> list[str]:
        return differences(self.shown, self.actual, self.cut)


def make_all(text: str, work: Path, python: str) -> list[Made]:
    made = []
    for b in shown_blocks(text):
        actual = from_first(b.lines, normalise(run(b.command, work), work))
        made.append(Made(b.command, b.lines, actual, b.start, b.end, "\u2026"))
    code, lines, start, end = python_block(text)
    made.append(Made("the Python block", lines, normalise(run_python(code, work, python), work), start, end, "..."))
    return made


def rewritten(text: str, made: list[Made]) -> str:
    """The README with every block made again (lines cut at WIDTH), the Python block's comments too."""
    for m in sorted(made, key=lambda m: m.start, reverse=True):
        lines = cut_lines(m.actual, m.cut)
        if m.name == "the Python block":
            body = text[m.start:m.end]
            printed = iter(lines)
            out: list[str] = []
            for line in body.splitlines():  # each print's output stays where its old comment lines stood
                if line.startswith("# "):
                    out.extend(f"# {p}" for p in [next(printed, None)] if p is not None)
                else:
                    out.append(line)
            extra = [f"# {p}" for p in printed]
            out = out + extra if extra else out
            new = "\n".join(out) + "\n"
        else:
            new = "\n".join(lines) + "\n"
        text = text[:m.start] + new + text[m.end:]
    return text


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--write", action="store_true", help="rewrite the stale blocks of README.md")
    args = ap.parse_args()
    text = README.read_text(encoding="utf-8")
    with tempfile.TemporaryDirectory() as tmp:
        work = prepare(Path(tmp), sys.executable)
        made = make_all(text, work, sys.executable)
    stale = [m for m in made if m.stale]
    for m in stale:
        print(f"stale: {m.name}\n  " + "\n  ".join(m.stale[:5]))
    if args.write and stale:
        README.write_text(rewritten(text, stale), encoding="utf-8")
        print(f"rewrote {len(stale)} blocks of {README}")
    sys.exit(1 if stale and not args.write else 0)


if __name__ == "__main__":
    main()
