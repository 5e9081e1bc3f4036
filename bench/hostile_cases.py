"""Every hostile input of issue 11 as a runnable case: the files it needs, the command, the outcome.

One table serves two masters: ``bench/hostile_bench.py`` runs each case in its own process and
reports time, peak memory and outcome (BENCHMARKS.md), and ``tests/test_hostile.py`` runs the same
table and asserts each outcome, so every row of the benchmark is a test too.
"""

from __future__ import annotations

import json
import os
import resource
import signal
import sqlite3
import subprocess
import sys
import threading
import time
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
SOURCE_TEXT = (EXAMPLES / "sources" / "notes-on-the-october-days.txt").read_text(encoding="utf-8")
EVIDENCE = "By 23 October the committee could count on most of the garrison without having fired a shot."


@dataclass
class Setup:
    """What a case runs: arguments after ``sourcecheck``, stdin bytes, a file-size limit."""

    args: list[str]
    stdin: bytes | None = None
    fsize: int | None = None  # RLIMIT_FSIZE in bytes: writes past it fail as on a full disk


@dataclass
class Outcome:
    rc: int
    stdout: str
    stderr: str
    seconds: float
    peak_mb: float


@dataclass
class Case:
    name: str
    what: str  # the hostile input, in a few words
    make: Callable[[Path], Setup]
    rc: int  # expected exit code
    says: str = ""  # expected in stderr (rc 2) or stdout (rc 0/1)
    after: Callable[[Path, Outcome], None] | None = None  # more checks on the files left behind
    judge: bool = False  # loads the judge's model (slow)
    tags: list[str] = field(default_factory=list)


# -- helpers that make inputs ---------------------------------------------------------------
def library(tmp: Path, name: str = "lib.db") -> Path:
    from sourcecheck.library import Library

    path = tmp / name
    with Library(path) as lib:
        lib.add(EXAMPLES / "sources")
    return path


def outline(tmp: Path, claims: list[str], name: str = "doc.md") -> Path:
    lines = []
    for c in claims:
        lines += [f"- {c}", f"    - `{EVIDENCE}` - Notes on the October Days, sourcecheck team, 2026"]
    p = tmp / name
    p.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return p


def long_claim(words: int = 700) -> str:
    base = "The Military Revolutionary Committee could count on most of the garrison in October 1917. "
    n = len(base.split())
    return (base * (words // n + 1)).strip()


def jrow(**kw: object) -> bytes:
    return (json.dumps(kw) + "\n").encode()


def damaged_library(tmp: Path) -> Path:
    """A real library whose pages after the first third are overwritten with garbage (the schema intact)."""
    path = library(tmp)
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    size = path.stat().st_size
    with path.open("r+b") as fh:
        for offset in range(size // 3 // 4096 * 4096, size - 4096, 4096 * 2):
            fh.seek(offset)
            fh.write(os.urandom(4096))
    return path


def truncated_library(tmp: Path) -> Path:
    path = library(tmp)
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    with path.open("r+b") as fh:
        fh.truncate(path.stat().st_size // 2)
    return path


def epub_bomb(path: Path, member_mb: int = 100) -> Path:
    """A small EPUB whose one chapter decompresses to ``member_mb`` MB."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        zf.writestr("mimetype", "application/epub+zip", compress_type=zipfile.ZIP_STORED)
        with zf.open("OEBPS/chapter.xhtml", "w", force_zip64=True) as fh:
            chunk = b"<p>" + b"a" * (1024 * 1024 - 7) + b"</p>\n"
            for _ in range(member_mb):
                fh.write(chunk)
    return path


def deep_html(path: Path, depth: int) -> Path:
    path.write_text("<html><body>" + "<div>a" * depth + "</div>" * depth + "</body></html>", encoding="utf-8")
    return path


def pdf(path: Path, pages: int) -> Path:
    from pypdf import PdfWriter

    w = PdfWriter()
    for _ in range(pages):
        w.add_blank_page(200, 200)
    with path.open("wb") as fh:
        w.write(fh)
    return path


def broken_pdf(path: Path) -> Path:
    """A PDF with a wrong startxref offset: pypdf recovers, and warns about it."""
    pdf(path, 2)
    data = path.read_bytes()
    i = data.rfind(b"startxref")
    path.write_bytes(data[:i] + b"startxref\n999999\n%%EOF\n")
    return path


def prose_paragraph(chars: int) -> str:
    """One long paragraph full of abbreviations and full stops: the old splitter was quadratic on it."""
    unit = "Gen. Kornilov met Mr. Kerensky on 25 October 1917, i.e. before the rising. It failed. "
    return (unit * (chars // len(unit) + 1))[:chars]


# -- assertions on what was left behind --------------------------------------------------------
def no_tmp_left(tmp: Path, _: Outcome) -> None:
    left = [p.name for p in tmp.rglob("*") if p.name.endswith(".tmp")]
    assert not left, f"temporary files left: {left}"


def valid_json_lines(_: Path, out: Outcome) -> None:
    for line in out.stdout.splitlines():
        json.loads(line, parse_constant=lambda c: (_ for _ in ()).throw(ValueError(c)))


def library_has(n: int) -> Callable[[Path, Outcome], None]:
    def check(tmp: Path, _: Outcome) -> None:
        conn = sqlite3.connect(tmp / "lib.db")
        try:
            assert conn.execute("SELECT count(*) FROM sources").fetchone()[0] == n
        finally:
            conn.close()
    return check


def no_library_left(tmp: Path, _: Outcome) -> None:
    assert not (tmp / "new.db").exists(), "a failed first add left a library file"


def no_escape_bytes(_: Path, out: Outcome) -> None:
    assert "\x1b" not in out.stdout and "\x07" not in out.stdout, "a raw control character reached the output"


def no_raw_html(_: Path, out: Outcome) -> None:
    assert "<script" not in out.stdout and "<img" not in out.stdout


def only_our_lines(_: Path, out: Outcome) -> None:
    foreign = [ln for ln in out.stderr.splitlines() if ln and not ln.startswith(("sourcecheck", "added", "failed"))]
    assert not foreign, f"lines on stderr that are not ours: {foreign}"


def file_unchanged(name: str, content: bytes) -> Callable[[Path, Outcome], None]:
    def check(tmp: Path, _: Outcome) -> None:
        assert (tmp / name).read_bytes() == content
    return check


def foreign_untouched(tmp: Path, _: Outcome) -> None:
    data = (tmp / "other.db").read_bytes()
    assert data[18:20] == b"\x01\x01", "the foreign file was switched to WAL"
    assert not (tmp / "other.db-wal").exists()


# -- the cases ------------------------------------------------------------------------------
def _long_check(tmp: Path) -> Setup:
    return Setup(["check", str(outline(tmp, [long_claim()])), "-l", str(library(tmp)), "--format", "json",
                  "--fail-on", "none"])


def _long_judge(tmp: Path) -> Setup:
    return Setup(["judge"], jrow(id=1, claim=long_claim(), evidence=EVIDENCE))


def _surrogate_doc(tmp: Path) -> Setup:
    p = tmp / "doc.jsonl"
    p.write_text('{"claim": "A claim \\ud800 here.", "evidence": ["x"]}\n', encoding="utf-8")
    return Setup(["check", str(p), "-l", str(library(tmp))])


def _output_dir(tmp: Path) -> Setup:
    return Setup(["check", str(outline(tmp, ["A claim."])), "-l", str(tmp / "missing.db"), "-o", str(tmp)])


def _output_missing(tmp: Path) -> Setup:
    return Setup(["check", str(outline(tmp, ["A claim."])), "-l", str(tmp / "missing.db"),
                  "-o", str(tmp / "no" / "such" / "out.json")])


# Opening the library writes its 32 KB shared-memory file, so the limit sits just above that
# and the outputs are made larger than it.
SHM_ROOM = 33_000


def _disk_full_check(tmp: Path) -> Setup:
    doc = outline(tmp, [f"By 23 October the committee could count on the garrison, claim {i}." for i in range(25)])
    (tmp / "out.json").write_bytes(b"old report\n")
    return Setup(["check", str(doc), "-l", str(library(tmp)), "--format", "json", "-o", str(tmp / "out.json"),
                  "--fail-on", "none"], fsize=SHM_ROOM)


def _disk_full_cite(tmp: Path) -> Setup:
    doc = outline(tmp, ["The committee proclaimed the Provisional Government deposed."])
    doc.write_text("# Notes " + "x" * 40_000 + "\n\n" + doc.read_text(encoding="utf-8"), encoding="utf-8")
    (tmp / "cited.md").write_bytes(b"old\n")
    return Setup(["cite", str(doc), "-l", str(library(tmp)), "-o", str(tmp / "cited.md")], fsize=SHM_ROOM)


def _disk_full_add(tmp: Path) -> Setup:
    big = tmp / "big.txt"
    big.write_text(SOURCE_TEXT * 200, encoding="utf-8")
    library(tmp)
    return Setup(["add", str(big), "-l", str(tmp / "lib.db")], fsize=(tmp / "lib.db").stat().st_size + 50_000)


def _foreign(tmp: Path) -> Setup:
    conn = sqlite3.connect(tmp / "other.db")
    conn.execute("CREATE TABLE customers (name TEXT)")
    conn.commit()
    conn.close()
    (tmp / "a.txt").write_text("Alpha text. More.\n", encoding="utf-8")
    return Setup(["add", str(tmp / "a.txt"), "-l", str(tmp / "other.db")])


def _good_bad_good(tmp: Path) -> Setup:
    folder = tmp / "src"
    folder.mkdir()
    (folder / "a.txt").write_text("Alpha source text. It is fine.\n", encoding="utf-8")
    (folder / "b.txt").write_bytes(b"caf\xe9 au lait\n")
    (folder / "c.txt").write_text("Gamma source text. Also fine.\n", encoding="utf-8")
    return Setup(["add", str(folder), "-l", str(tmp / "lib.db")])


def _jsonl_bad_line(tmp: Path) -> Setup:
    p = tmp / "pages.jsonl"
    p.write_text('{"title": "One", "text": "First page."}\n{"title": 5}\n{"title": "Three", "text": "Third."}\n',
                 encoding="utf-8")
    return Setup(["add", str(p), "-l", str(tmp / "lib.db")])


def _empty(tmp: Path) -> Setup:
    (tmp / "empty.txt").write_bytes(b"")
    return Setup(["add", str(tmp / "empty.txt"), "-l", str(tmp / "new.db")])


def _nul(tmp: Path) -> Setup:
    (tmp / "nul.txt").write_bytes(b"\x00" * 4096)
    return Setup(["add", str(tmp / "nul.txt"), "-l", str(tmp / "new.db")])


def _same_content(tmp: Path) -> Setup:
    (tmp / "a").mkdir()
    (tmp / "b").mkdir()
    for d in ("a", "b"):
        (tmp / d / "notes.txt").write_text(SOURCE_TEXT, encoding="utf-8")
    return Setup(["add", str(tmp / "a"), str(tmp / "b"), "-l", str(tmp / "lib.db")])


def _escape_source(tmp: Path) -> Setup:
    from sourcecheck.library import Library

    p = tmp / "esc.txt"
    p.write_text("The garrison waited \x1b]0;pwned\x07 in its barracks\x1b[2J. It did not fight.\n", encoding="utf-8")
    with Library(tmp / "lib.db") as lib:
        lib.add(p)
    return Setup(["quote", "The garrison waited", "-l", str(tmp / "lib.db")])


def _markdown_html(tmp: Path) -> Setup:
    doc = outline(tmp, ["The garrison <script>alert(1)</script> waited <img src=x onerror=alert(2)>."])
    return Setup(["check", str(doc), "-l", str(library(tmp)), "--format", "md", "--fail-on", "none"])


def _title_newline(tmp: Path) -> Setup:
    p = tmp / "two\nlines\x1b[2J.txt"
    p.write_text("Some text. More text.\n", encoding="utf-8")
    return Setup(["add", str(p), "-l", str(tmp / "lib.db")])


def _utf16(tmp: Path) -> Setup:
    p = tmp / "doc16.md"
    p.write_bytes("- The committee met on 25 October 1917.\n".encode("utf-16"))
    return Setup(["dates", str(p)])


def _pypdf_warns(tmp: Path) -> Setup:
    return Setup(["add", str(broken_pdf(tmp / "broken.pdf")), "-l", str(tmp / "lib.db")])


def _symlink_planted(tmp: Path) -> Setup:
    victim = tmp / "victim.txt"
    victim.write_bytes(b"precious\n")
    (tmp / "out.md.tmp").symlink_to(victim)
    return Setup(["dates", str(outline(tmp, ["It happened on 25 October 1917."])), "--format", "json"])


CASES: list[Case] = [
    Case("long_claim_check", "700-word claim (over the model's 512 positions) in `check`", _long_check, 0,
         '"verdict"', judge=True),
    Case("long_claim_judge", "700-word claim on `judge`'s stdin", _long_judge, 0, '"parts"', judge=True),
    Case("surrogate_jsonl_document", "lone surrogate \\ud800 in a JSON Lines document", _surrogate_doc, 2,
         "lone surrogate"),
    Case("surrogate_judge_stdin", "lone surrogate on `judge`'s stdin",
         lambda t: Setup(["judge"], jrow(id=1, claim="x \ud800 y", evidence="z")),
         2, "lone surrogate"),
    Case("latin1_judge_stdin", "Latin-1 bytes on `judge`'s stdin",
         lambda t: Setup(["judge"], '{"id": 1, "claim": "café", "evidence": "x"}\n'.encode("latin-1")),
         2, "not UTF-8"),
    Case("nan_id_judge", "`NaN` as a row id",
         lambda t: Setup(["judge"], b'{"id": NaN, "claim": "A claim.", "evidence": "x"}\n'),
         0, '"id": "NaN"', valid_json_lines, judge=True),
    Case("output_is_folder", "`-o` names a folder (checked before the run)", _output_dir, 2, "is a folder"),
    Case("output_missing_folder", "`-o` in a missing folder (checked before the run)", _output_missing, 2,
         "does not exist"),
    Case("disk_full_check", "disk full during `check -o`", _disk_full_check, 2, "disk full",
         lambda t, o: (no_tmp_left(t, o), file_unchanged("out.json", b"old report\n")(t, o)), judge=True),
    Case("disk_full_cite", "disk full during `cite -o`", _disk_full_cite, 2, "disk full",
         lambda t, o: (no_tmp_left(t, o), file_unchanged("cited.md", b"old\n")(t, o)), judge=True),
    Case("disk_full_add", "disk full during `add`", _disk_full_add, 2, "disk full", library_has(2)),
    Case("damaged_library_add", "library with corrupted pages, `add`",
         lambda t: Setup(["add", str(EXAMPLES / "sources"), "-l", str(damaged_library(t))]), 2, "damaged"),
    Case("damaged_library_check", "library with corrupted pages, `check`",
         lambda t: Setup(["check", str(outline(t, ["A claim."])), "-l", str(damaged_library(t))]), 2, "damaged"),
    Case("truncated_library", "library cut to half its size",
         lambda t: Setup(["sources", "-l", str(truncated_library(t))]), 2, "damaged"),
    Case("foreign_sqlite", "another program's SQLite file as the library", _foreign, 2, "not a sourcecheck library",
         foreign_untouched),
    Case("epub_bomb", "EPUB whose chapter decompresses to 100 MB",
         lambda t: Setup(["add", str(epub_bomb(t / "bomb.epub")), "-l", str(t / "lib.db")]), 2, "epub_member_mb"),
    Case("html_nested_100k", "HTML nested 100,000 deep",
         lambda t: Setup(["add", str(deep_html(t / "deep.html", 100_000)), "-l", str(t / "lib.db")]), 2, "html_depth"),
    Case("pdf_pages", "PDF over the page limit (`--limit pdf_pages=10`)",
         lambda t: Setup(["add", str(pdf(t / "p.pdf", 20)), "-l", str(t / "lib.db"), "--limit", "pdf_pages=10"]),
         2, "pdf_pages"),
    Case("text_size", "3 MB text over `--limit text_mb=1`",
         lambda t: (t.joinpath("big.txt").write_text("word " * 600_000, encoding="utf-8"),
                    Setup(["add", str(t / "big.txt"), "-l", str(t / "lib.db"), "--limit", "text_mb=1"]))[1],
         2, "text_mb"),
    Case("prose_400kb", "one 400 KB prose paragraph (`dates`)",
         lambda t: (t.joinpath("p.md").write_text(prose_paragraph(400_000), encoding="utf-8"),
                    Setup(["dates", str(t / "p.md"), "--format", "json"]))[1], 0, '"claim"'),
    Case("good_bad_good_folder", "folder of good, bad, good files", _good_bad_good, 2, "2 added, 1 failed",
         library_has(2)),
    Case("jsonl_one_bad_line", "JSON Lines source with one bad line", _jsonl_bad_line, 2, "pages.jsonl:2",
         library_has(2)),
    Case("zero_byte_txt", "zero-byte .txt", _empty, 2, "file is empty", no_library_left),
    Case("all_nul_txt", "all-NUL .txt", _nul, 2, "only NUL bytes", no_library_left),
    Case("same_file_two_paths", "the same file at two paths", _same_content, 0, "duplicate", library_has(1)),
    Case("escape_sequences", "ESC[2J and an OSC title in a source (`quote`)", _escape_source, 0, "\\x1b",
         no_escape_bytes),
    Case("markdown_html", "<script> and <img onerror> in a document (`--format md`)", _markdown_html, 0, "&lt;script",
         no_raw_html, judge=True),
    Case("title_from_file_name", "newline and ESC in a file name", _title_newline, 0, "two lines",
         lambda t, o: library_has(1)(t, o)),
    Case("utf16_document", "UTF-16 document", _utf16, 0, "1917-10-25"),
    Case("pypdf_warnings", "PDF with a broken xref (pypdf warns)", _pypdf_warns, 2, "no text layer", only_our_lines),
    Case("symlink_at_tmp", "symlink planted at OUT.tmp", _symlink_planted, 0, "1917",
         file_unchanged("victim.txt", b"precious\n")),
]


def _limit(fsize: int | None) -> Callable[[], None] | None:
    if fsize is None:
        return None

    def apply() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails with EFBIG instead of killing
        resource.setrlimit(resource.RLIMIT_FSIZE, (fsize, fsize))
    return apply


def run_case(case: Case, tmp: Path, timeout: float = 600) -> Outcome:
    """Run one case in its own process; time and peak memory are that process's own (wait4)."""
    setup = case.make(tmp)
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    t0 = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "sourcecheck.cli", *setup.args], cwd=tmp, env=env,
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            preexec_fn=_limit(setup.fsize))
    bufs: dict[str, bytes] = {}
    readers = [threading.Thread(target=lambda k=k, f=f: bufs.__setitem__(k, f.read()))
               for k, f in (("out", proc.stdout), ("err", proc.stderr))]
    for r in readers:
        r.start()
    killer = threading.Timer(timeout, proc.kill)
    killer.start()
    try:
        assert proc.stdin is not None
        try:
            proc.stdin.write(setup.stdin or b"")
            proc.stdin.close()
        except BrokenPipeError:
            pass
        _, status, usage = os.wait4(proc.pid, 0)
    finally:
        killer.cancel()
    proc.returncode = os.waitstatus_to_exitcode(status)
    for r in readers:
        r.join()
    return Outcome(proc.returncode, bufs.get("out", b"").decode("utf-8", "replace"),
                   bufs.get("err", b"").decode("utf-8", "replace"), time.perf_counter() - t0, usage.ru_maxrss / 1024)


def verify(case: Case, tmp: Path, out: Outcome) -> None:
    """The case's expected outcome: exit code, its words, no traceback, and its own checks."""
    assert "Traceback" not in out.stderr, out.stderr[-2000:]
    assert out.rc == case.rc, f"exit {out.rc}, expected {case.rc}: {out.stderr[-800:]}"
    where = out.stderr if case.rc == 2 else out.stdout + out.stderr
    assert case.says in where, f"{case.says!r} not in: {where[-800:]}"
    if case.rc == 2:
        errors = [ln for ln in out.stderr.splitlines() if ln.startswith("sourcecheck: error:")]
        assert errors and all("\n" not in e for e in errors)
    if case.after:
        case.after(tmp, out)
