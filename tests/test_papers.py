"""Word and LaTeX papers in, a reviewed Word file out (issue 23).

The DOCX fixtures are made here by python-docx with field codes as Zotero and Mendeley write them
(bench/papers.py); the LaTeX fixtures are compiled by a real TeX (pdflatex + biber) first, to prove
they are LaTeX a scholar could have written; the reviewed file is opened again by python-docx and by
LibreOffice, headless, whose PDF is read back and rendered to PNG. `make papers` installs the tools.
"""

from __future__ import annotations

import io
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from bench import papers
from click.testing import CliRunner

from sourcecheck.cli import main
from sourcecheck.document import docx as docx_reader
from sourcecheck.document import latex, read_document
from sourcecheck.errors import InputError

PIPES = "A Concise History of the Russian Revolution"
REED = "Ten Days That Shook the World"


def cli(*args: str) -> tuple[int, str, str]:
    r = CliRunner().invoke(main, list(args), catch_exceptions=False)
    return r.exit_code, r.stdout, r.stderr


def need(*tools: str) -> None:
    missing = [t for t in tools if shutil.which(t) is None]
    if missing:
        pytest.fail(f"{', '.join(missing)} not installed: run `make papers` (Debian packages, see Makefile)")


@pytest.fixture(scope="module")
def library(tmp_path_factory) -> Path:
    from sourcecheck.library import Library

    folder = tmp_path_factory.mktemp("sources")
    path = folder / "library.db"
    with Library(path) as lib:
        for p in papers.write_sources(folder / "texts"):
            lib.add(p)
    return path


@pytest.fixture
def paper_docx(tmp_path: Path) -> Path:
    p = tmp_path / "paper.docx"
    p.write_bytes(papers.sample_docx())
    return p


@pytest.fixture
def paper_tex(tmp_path: Path) -> Path:
    (tmp_path / "refs.bib").write_text(papers.REFS_BIB, encoding="utf-8")
    (tmp_path / "chapter2.tex").write_text(papers.CHAPTER2_TEX, encoding="utf-8")
    p = tmp_path / "paper.tex"
    p.write_text(papers.SAMPLE_TEX, encoding="utf-8")
    return p


# --- the DOCX reader ----------------------------------------------------------------------------


def test_docx_paragraphs_footnotes_and_fields(paper_docx: Path) -> None:
    doc = read_document(paper_docx)
    assert doc.format == "docx"
    texts = [c.text for c in doc.claims]
    assert texts == ["The Bolsheviks took the city in two phases.", "The garrison stayed in its barracks.",
                     "Reed saw \u201cthe palace was taken in the early hours of 26 October\u201d.",
                     "Kerensky fled the city by train."]  # the heading and the bibliography are not claims
    assert [c.line for c in doc.claims] == [2, 2, 3, 4]  # paragraph numbers, as python-docx counts them
    one, two, reed, kerensky = doc.claims
    # Zotero's field in footnote 1: item data and its locator
    (e,) = one.evidence
    assert (e.quote, e.where) == ("The Bolshevik coup went through two phases.", "footnote 1")
    assert e.citation and (e.citation.title, e.citation.author, e.citation.year) == (PIPES, "Pipes, Richard", 1995)
    assert e.citation.locator and e.citation.locator.first == 45
    # a plain-text short note ("Pipes, Concise History, 46.") completed from the bibliography
    (e,) = two.evidence
    assert e.where == "footnote 2" and e.citation and e.citation.title == PIPES and e.citation.year == 1995
    assert e.citation.locator and e.citation.locator.first == 46
    # Mendeley's in-text field: the sentence's quotation is its evidence; the rendered "(Reed 1919, 12)" is not text
    (e,) = reed.evidence
    assert e.quote == "the palace was taken in the early hours of 26 October"
    assert e.citation and (e.citation.title, e.citation.year, e.citation.locator.first if e.citation.locator else 0) == (REED, 1919, 12)
    # a "Quote"-styled paragraph is the block quotation of the claim before it, with its attribution
    (e,) = kerensky.evidence
    assert e.quote.startswith("Kerensky had left the city by car") and e.where == "paragraph 5"
    assert e.citation and e.citation.title == REED and e.citation.author == "John Reed"


def test_docx_indented_block_quotation_and_endnote_field() -> None:
    endnote = ('ADDIN EN.CITE &lt;EndNote&gt;&lt;Cite&gt;&lt;Author&gt;Reed&lt;/Author&gt;&lt;Year&gt;1919&lt;/Year&gt;'
               '&lt;Pages&gt;13&lt;/Pages&gt;&lt;record&gt;&lt;contributors&gt;&lt;authors&gt;&lt;author&gt;Reed, John'
               '&lt;/author&gt;&lt;/authors&gt;&lt;/contributors&gt;&lt;titles&gt;&lt;title&gt;Ten Days That Shook the World'
               '&lt;/title&gt;&lt;/titles&gt;&lt;dates&gt;&lt;year&gt;1919&lt;/year&gt;&lt;/dates&gt;&lt;/record&gt;&lt;/Cite&gt;&lt;/EndNote&gt;')
    import html

    data = papers.make_docx([
        ["The palace fell quietly.", ("footnote", ["\u201cThe Winter Palace fell without a fight.\u201d ",
                                                  ("field", (html.unescape(endnote), "Reed, 1919, 13"))])],
        ["The ministers waited."],
        ("indent", "The ministers sat in the Malachite Room and waited for the end."),
    ])
    doc = docx_reader.read(data, "endnote.docx")
    first, second = doc.claims
    (e,) = first.evidence
    assert e.citation and (e.citation.title, e.citation.author, e.citation.year) == (REED, "Reed, John", 1919)
    assert e.citation.locator and e.citation.locator.first == 13
    (e,) = second.evidence
    assert e.quote.startswith("The ministers sat in the Malachite Room") and e.line == 3


def test_docx_notes_are_found_by_id_not_by_position() -> None:
    data = papers.make_docx([["A claim.", ("footnote", ["\u201cFirst note's words.\u201d Reed, Ten Days, 12."])],
                             ["Another claim.", ("footnote", ["\u201cSecond note's words.\u201d Reed, Ten Days, 13."])]])
    doc = docx_reader.read(data, "two.docx")
    assert [(c.evidence[0].quote, c.evidence[0].where) for c in doc.claims] == [
        ("First note's words.", "footnote 1"), ("Second note's words.", "footnote 2")]


def test_docx_field_doi_matches_the_bibliography_entry_with_that_doi(tmp_path: Path, library: Path) -> None:
    item = {**papers.PIPES, "title": "Concise hist. of the Russian rev."}  # a title too garbled to match by itself
    p = tmp_path / "doi.docx"
    p.write_bytes(papers.make_docx([["The coup came in two phases.", ("footnote", [
        "\u201cThe Bolshevik coup went through two phases.\u201d ", ("field", (papers.zotero(item, "45"), "Pipes, 45."))])]]))
    (e,) = read_document(p).claims[0].evidence
    assert e.citation and e.citation.doi == "10.0000/pipes.1995"
    (tmp_path / "refs.bib").write_text(papers.REFS_BIB, encoding="utf-8")
    code, out, _ = cli("check", str(p), "-l", str(library), "--fail-on", "none")
    assert code == 0 and "found verbatim" not in out  # by title alone it names no source
    code, out, _ = cli("check", str(p), "-l", str(library), "--bib", str(tmp_path / "refs.bib"), "--fail-on", "none")
    assert code == 0 and "found verbatim in A Concise History of the Russian Revolution" in out, out


# --- the LaTeX reader ---------------------------------------------------------------------------


def test_latex_cites_quotations_lines_and_inputs(paper_tex: Path) -> None:
    doc = read_document(paper_tex)
    assert doc.format == "latex" and doc.bibliographies == [str(paper_tex.parent / "refs.bib")]
    lines = papers.SAMPLE_TEX.splitlines()
    by_text = {c.text: c for c in doc.claims}
    for c in doc.claims:  # every line points into the .tex: the claim's first words are on it
        first_word = c.text.split()[0].strip("\u201c")
        if c.text.startswith("Lenin"):
            assert "\\input{chapter2}" in lines[c.line - 1]  # an \input file's claims point at the \input
        else:
            assert first_word in lines[c.line - 1], (c.line, c.text)
    one = by_text["The Bolsheviks took the city in two phases."]
    (e,) = one.evidence  # \footnote{\enquote{...} \cite[45]{pipes1995}}
    assert e.quote == "The Bolshevik coup went through two phases." and e.citation and e.citation.key == "pipes1995"
    assert e.citation.locator and e.citation.locator.first == 45
    two = next(c for c in doc.claims if c.text.startswith("The garrison"))
    (e,) = two.evidence  # \enquote{...} \parencite[see][p.~46]{pipes1995}: prenote dropped, postnote the page
    assert e.quote == "stayed in its barracks" and e.citation and e.citation.locator and e.citation.locator.first == 46
    mrc = by_text["The Military Revolutionary Committee gave the orders."]  # \newcommand{\MRC}{...} read as its text
    assert [c.key for c in mrc.citations] == ["reed1919"]  # \citep without a quotation
    ker = next(c for c in doc.claims if c.text.startswith("Kerensky"))
    assert [e.quote for e in ker.evidence] == ["Kerensky had left the city by car on the morning of 25 October.",
                                               "The Winter Palace fell without a fight."]  # quote env, \blockcquote
    assert ker.evidence[1].citation and ker.evidence[1].citation.locator and ker.evidence[1].citation.locator.first == 13
    lenin = by_text["Lenin spoke at the Smolny that evening."]
    assert [(c.key, c.locator.first if c.locator else None) for c in lenin.citations] == [("pipes1995", 47)]
    assert "nowhere" not in str(doc)  # the commented-out \cite is not read


def test_latex_pre_and_postnotes_and_blockquote_with_braced_cite() -> None:
    tex = ("\\begin{document}\nFirst \\enquote{quoted words here} \\cite[see][p.~12]{a}.\n"
           "Second ``other words here'' \\citet[pp.~3--5]{b,c}.\n\n"
           "\\blockquote[{\\cite[7]{d}}]{Block words.} % trailing comment\n\\end{document}\n")
    doc = latex.read(tex, "x.tex")
    first, second = doc.claims
    assert first.line == 2 and second.line == 3
    assert first.evidence[0].citation and first.evidence[0].citation.raw == "@a, p. 12"
    assert second.evidence[0].quote == "other words here"
    assert second.evidence[0].citation and second.evidence[0].citation.locator
    assert (second.evidence[0].citation.locator.first, second.evidence[0].citation.locator.last) == (3, 5)
    assert [c.key for c in second.citations] == ["c"]
    assert second.evidence[1].quote == "Block words." and second.evidence[1].citation
    assert second.evidence[1].citation.key == "d"


def test_latex_fixture_compiles_with_real_tex(paper_tex: Path) -> None:
    need("pdflatex", "biber")
    run = lambda *cmd: subprocess.run(cmd, cwd=paper_tex.parent, capture_output=True, text=True, timeout=120)
    for cmd in (("pdflatex", "-interaction=nonstopmode", "-halt-on-error", "paper.tex"), ("biber", "paper"),
                ("pdflatex", "-interaction=nonstopmode", "-halt-on-error", "paper.tex"),
                ("pdflatex", "-interaction=nonstopmode", "-halt-on-error", "paper.tex")):  # as latexmk would
        r = run(*cmd)
        assert r.returncode == 0, (cmd, r.stdout[-2000:])
    log = (paper_tex.parent / "paper.log").read_text(errors="replace")
    assert "undefined" not in log  # every key resolved through refs.bib, as the reader resolves them
    text = subprocess.run(["pdftotext", str(paper_tex.parent / "paper.pdf"), "-"], capture_output=True, text=True).stdout
    assert "Pipes, 1995, p. 46" in text and "The Military Revolutionary Committee gave the orders" in text


# --- checking, and the reviewed Word file --------------------------------------------------------


def test_check_docx_and_latex_report_paragraphs_notes_and_pages(paper_docx: Path, paper_tex: Path, library: Path) -> None:
    code, out, _ = cli("check", str(paper_docx), "-l", str(library), "--fail-on", "none")
    assert code == 0, out
    assert "Claim 2 (paragraph 2): WRONG PAGE" in out and "(footnote 2)" in out
    assert "Claim 3 (paragraph 3): MISQUOTED" in out and "Claim 4 (paragraph 4): CONTRADICTED" in out
    code, out, _ = cli("check", str(paper_tex), "-l", str(library), "--fail-on", "none")
    assert code == 0, out
    assert "Claim 3 (line 13): MISQUOTED" in out and "unknown_citation_key" not in out
    assert "Claim 2 (line 11): WRONG PAGE" in out


def test_unknown_latex_key_is_an_error_at_its_line(tmp_path: Path, library: Path) -> None:
    (tmp_path / "refs.bib").write_text(papers.REFS_BIB, encoding="utf-8")
    p = tmp_path / "k.tex"
    p.write_text("\\addbibresource{refs.bib}\n\\begin{document}\nIt fell \\enquote{without a fight} \\cite{nobody}.\n"
                 "\\end{document}\n", encoding="utf-8")
    code, out, _ = cli("check", str(p), "-l", str(library), "--fail-on", "error")
    assert code == 1 and "Claim 1 (line 3): UNKNOWN CITATION KEY" in out


def test_reviewed_docx_has_a_comment_per_problem_and_nothing_else_changes(paper_docx: Path, library: Path,
                                                                          tmp_path: Path) -> None:
    import docx

    original = paper_docx.read_bytes()
    out = tmp_path / "reviewed.docx"
    code, stdout, stderr = cli("check", str(paper_docx), "-l", str(library), "--format", "docx", "-o", str(out))
    assert code == 1 and stdout == "", stderr  # errors found; nothing on stdout
    assert paper_docx.read_bytes() == original  # the original is never touched
    assert not [f for f in tmp_path.iterdir() if f.name.endswith(".tmp")]
    reviewed = docx.Document(str(out))
    comments = list(reviewed.comments)
    # Every claim has a problem: claim 1 ("took the city in two phases" against "The Bolshevik coup went
    # through two phases") is only weakly supported (below the precise ✓ threshold), a warning.
    assert len(comments) == 4
    texts = ["\n".join(p.text for p in c.paragraphs) for c in comments]
    partly, wrong_page, misquoted, contradicted = texts
    assert partly.startswith("sourcecheck: PARTLY SUPPORTED")
    assert wrong_page.startswith("sourcecheck: WRONG PAGE") and "Found on p. 47 (cited p. 46)" in wrong_page
    assert "MISQUOTED" in misquoted and "\u201cThe palace was taken in the small hours of 26 October" in misquoted
    assert "Verdict: contradicted" in contradicted and "Found on p. 13" in contradicted
    assert all(c.author == "sourcecheck" for c in comments)
    # the paper's own text and every other part of the package are as they were
    before = docx.Document(io.BytesIO(original))
    assert [p.text for p in reviewed.paragraphs] == [p.text for p in before.paragraphs]
    a, b = zipfile.ZipFile(io.BytesIO(original)), zipfile.ZipFile(out)
    changed = {n for n in a.namelist() if a.read(n) != b.read(n)}
    assert changed <= {"word/document.xml", "word/_rels/document.xml.rels", "[Content_Types].xml"}
    assert set(b.namelist()) - set(a.namelist()) == {"word/comments.xml"}
    # and the reviewed file is read as the same paper
    assert [c.text for c in read_document(out).claims] == [c.text for c in read_document(paper_docx).claims]


def test_reviewed_docx_opens_in_libreoffice_with_its_comments(paper_docx: Path, library: Path, tmp_path: Path) -> None:
    need("soffice", "pdftoppm", "pdftotext")
    import pypdf

    out = tmp_path / "reviewed.docx"
    cli("check", str(paper_docx), "-l", str(library), "--format", "docx", "-o", str(out))
    pdf = tmp_path / "pdf"
    r = subprocess.run(["soffice", "--headless", "--convert-to",
                        'pdf:writer_pdf_Export:{"ExportNotes":{"type":"boolean","value":"true"}}',
                        "--outdir", str(pdf), str(out)], capture_output=True, text=True, timeout=180,
                       env={"HOME": str(tmp_path), "PATH": "/usr/bin:/bin"})
    assert r.returncode == 0, r.stderr
    page = pypdf.PdfReader(pdf / "reviewed.pdf").pages[0]
    notes = [str(a.get_object().get("/Contents")) for a in page.get("/Annots") or []
             if a.get_object().get("/Subtype") == "/Text"]
    assert len(notes) == 4 and any("MISQUOTED" in n for n in notes)  # LibreOffice read every comment
    text = subprocess.run(["pdftotext", str(pdf / "reviewed.pdf"), "-"], capture_output=True, text=True).stdout
    # the footnotes keep their own words (LibreOffice 7.4 misplaced them under some comment ranges)
    assert "1 \u201cThe Bolshevik coup went through two phases.\u201d" in text
    assert "2 \u201cMost of the garrison stayed in its barracks.\u201d" in text
    subprocess.run(["pdftoppm", "-r", "60", "-png", "-f", "1", "-l", "1", str(pdf / "reviewed.pdf"), str(pdf / "page")],
                   check=True, timeout=60)
    png = next(pdf.glob("page*.png"))
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 5000


def test_docx_format_needs_a_docx_and_an_output(paper_docx: Path, paper_tex: Path, library: Path, tmp_path: Path) -> None:
    code, _, err = cli("check", str(paper_docx), "-l", str(library), "--format", "docx")
    assert code == 2 and "give -o reviewed.docx" in err and len(err.strip().splitlines()) == 1
    code, _, err = cli("check", str(paper_tex), "-l", str(library), "--format", "docx", "-o", str(tmp_path / "r.docx"))
    assert code == 2 and "check a .docx file" in err
    code, _, err = cli("check", str(paper_docx), "-l", str(library), "--format", "docx", "-o", str(paper_docx))
    assert code == 2 and "the checked document itself" in err
    assert read_document(paper_docx).claims  # still the paper it was


# --- hostile input ------------------------------------------------------------------------------


def _one_line_exit_2(path: Path, library: Path, expect: str, where: Path | None = None) -> None:
    code, _, err = cli("check", str(path), "-l", str(library))
    assert code == 2, err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and f"{where or path}:" in lines[0] and expect in lines[0], err


def test_docx_zip_bomb_is_refused_before_decompressing(tmp_path: Path, library: Path) -> None:
    data = io.BytesIO()
    with zipfile.ZipFile(data, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        with z.open("word/document.xml", "w", force_zip64=True) as fh:
            chunk = b"\0" * (1 << 20)
            for _ in range(80):  # 80 MB of zeros, ~80 KB compressed
                fh.write(chunk)
    p = tmp_path / "bomb.docx"
    p.write_bytes(data.getvalue())
    _one_line_exit_2(p, library, "zip bomb")
    with pytest.raises(InputError, match="zip bomb"):
        docx_reader.read(data.getvalue(), "bomb.docx")


def test_docx_with_100k_footnotes_is_bounded(tmp_path: Path, library: Path) -> None:
    base = zipfile.ZipFile(io.BytesIO(papers.make_docx([["A claim.", ("footnote", ["\u201cWords here.\u201d Reed, Ten, 1."])]])))
    notes = "".join(f'<w:footnote w:id="{i}"><w:p><w:r><w:t>n</w:t></w:r></w:p></w:footnote>' for i in range(2, 100_002))
    xml = f'<w:footnotes xmlns:w="{papers.W}">{notes}</w:footnotes>'
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for info in base.infolist():
            z.writestr(info, xml if info.filename == "word/footnotes.xml" else base.read(info.filename))
    p = tmp_path / "notes.docx"
    p.write_bytes(out.getvalue())
    _one_line_exit_2(p, library, "more than 20000 notes")


def test_not_a_docx_is_one_line(tmp_path: Path, library: Path) -> None:
    p = tmp_path / "fake.docx"
    p.write_text("just text", encoding="utf-8")
    _one_line_exit_2(p, library, "not a Word document")


def test_latex_input_loop_is_one_line(tmp_path: Path, library: Path) -> None:
    (tmp_path / "a.tex").write_text("\\begin{document}\nA claim here.\n\\input{b}\n\\end{document}\n", encoding="utf-8")
    (tmp_path / "b.tex").write_text("More text.\n\\input{a.tex}\n", encoding="utf-8")
    _one_line_exit_2(tmp_path / "a.tex", library, "\\input loop: a.tex -> b.tex -> a.tex", tmp_path / "b.tex")
    (tmp_path / "c.tex").write_text("Text.\n\\input{../../etc/passwd}\n", encoding="utf-8")
    _one_line_exit_2(tmp_path / "c.tex", library, "only files beside the document")
    (tmp_path / "d.tex").write_text("Text.\n\\input{missing}\n", encoding="utf-8")
    _one_line_exit_2(tmp_path / "d.tex", library, "\\input{missing.tex}: No such file")


def test_latex_deep_input_chain_is_bounded(tmp_path: Path, library: Path) -> None:
    for i in range(20):
        (tmp_path / f"f{i}.tex").write_text(f"Claim {i} here.\n\\input{{f{i + 1}}}\n", encoding="utf-8")
    _one_line_exit_2(tmp_path / "f0.tex", library, "nested more than 8 deep", tmp_path / "f8.tex")


def test_from_docx_reads_stdin_as_bytes_and_from_latex_any_name(paper_docx: Path, paper_tex: Path, library: Path) -> None:
    r = CliRunner().invoke(main, ["check", "-", "--from", "docx", "-l", str(library), "--fail-on", "none"],
                           input=paper_docx.read_bytes(), catch_exceptions=False)
    assert r.exit_code == 0 and "sourcecheck: <stdin>" in r.stdout and "MISQUOTED" in r.stdout
    r = CliRunner().invoke(main, ["check", "-", "--from", "docx", "-l", str(library)], input=b"not a zip",
                           catch_exceptions=False)
    assert r.exit_code == 2 and "<stdin>: not a Word document" in r.stderr
    renamed = paper_tex.with_suffix(".txt")
    renamed.write_text(paper_tex.read_text(encoding="utf-8"), encoding="utf-8")
    assert read_document(renamed, "latex").format == "latex"
    assert read_document(paper_tex).claims[0].text == read_document(renamed, "latex").claims[0].text
