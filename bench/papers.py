"""Word and LaTeX papers made for the tests and the benchmarks, in the form the tools write them.

The DOCX is built by python-docx; its footnotes part and its citation fields are written as
Word writes them when Zotero or Mendeley insert a citation (``w:fldChar`` begin / ``w:instrText``
``ADDIN ZOTERO_ITEM CSL_CITATION {json}`` / separate / the rendered citation / end).
"""

from __future__ import annotations

import io
import json
from collections.abc import Sequence
from typing import Any
from xml.sax.saxutils import escape

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
FOOTNOTES_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"
FOOTNOTES_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/footnotes"

PIPES = {"id": 12, "type": "book", "title": "A Concise History of the Russian Revolution",
         "author": [{"family": "Pipes", "given": "Richard"}], "issued": {"date-parts": [["1995"]]},
         "publisher": "Knopf", "DOI": "10.0000/pipes.1995"}
REED = {"id": "ITEM-1", "type": "book", "title": "Ten Days That Shook the World",
        "author": [{"family": "Reed", "given": "John"}], "issued": {"date-parts": [[1919]]}}


def zotero(item: dict[str, Any], locator: str | None = None, formatted: str = "") -> str:
    cite: dict[str, Any] = {"id": item["id"], "uris": [f"http://zotero.org/users/1/items/{item['id']}"], "itemData": item}
    if locator:
        cite.update(locator=locator, label="page")
    data = {"citationID": "a1b2c3", "properties": {"formattedCitation": formatted, "plainCitation": formatted,
                                                   "noteIndex": 1},
            "citationItems": [cite], "schema": "https://github.com/citation-style-language/schema/raw/master/csl-citation.json"}
    return "ADDIN ZOTERO_ITEM CSL_CITATION " + json.dumps(data, ensure_ascii=False)


def mendeley(item: dict[str, Any], locator: str | None = None, formatted: str = "") -> str:
    cite: dict[str, Any] = {"id": item["id"], "itemData": item, "uris": ["http://www.mendeley.com/documents/?uuid=1"]}
    if locator:
        cite["locator"] = locator
    data = {"citationItems": [cite], "mendeley": {"formattedCitation": formatted, "plainTextFormattedCitation": formatted,
                                                  "previouslyFormattedCitation": formatted},
            "properties": {"noteIndex": 0}, "schema": "https://github.com/citation-style-language/schema/raw/master/csl-citation.json"}
    return "ADDIN CSL_CITATION " + json.dumps(data, ensure_ascii=False)


def _run(text: str) -> str:
    return f'<w:r><w:t xml:space="preserve">{escape(text)}</w:t></w:r>'


def field_xml(instr: str, result: str) -> str:
    """A complex field as Word writes it: begin, instruction, separate, result, end."""
    return ('<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
            f'<w:r><w:instrText xml:space="preserve"> {escape(instr)} </w:instrText></w:r>'
            '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
            f'{_run(result)}<w:r><w:fldChar w:fldCharType="end"/></w:r>')


Segment = str | tuple[str, Any]


def _footnote(note_id: int, segments: Sequence[Segment]) -> str:
    body = ('<w:r><w:rPr><w:rStyle w:val="FootnoteReference"/></w:rPr><w:footnoteRef/></w:r>' + _run(" "))
    paras = []
    for seg in segments:
        if isinstance(seg, str):
            body += _run(seg)
        elif seg[0] == "field":
            body += field_xml(seg[1][0], seg[1][1])
        elif seg[0] == "quote":  # a block quotation inside the note
            paras.append(f'<w:p><w:pPr><w:pStyle w:val="Quote"/></w:pPr>{_run(seg[1])}</w:p>')
    return (f'<w:footnote w:id="{note_id}"><w:p><w:pPr><w:pStyle w:val="FootnoteText"/></w:pPr>{body}</w:p>'
            + "".join(paras) + "</w:footnote>")


def make_docx(paragraphs: Sequence[Sequence[Segment] | tuple[str, str]]) -> bytes:
    """A .docx of these paragraphs. A paragraph is a list of segments: text, ``("footnote", [segments])``,
    ``("field", (instruction, result))``; or ``("heading", text)``, ``("quote", text)`` (the "Quote" style),
    ``("indent", text)`` (indented 1.27 cm), ``("bibliography", [entries])`` (a Zotero bibliography field)."""
    import docx
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part
    from docx.oxml import parse_xml
    from docx.shared import Cm

    doc = docx.Document()
    notes: list[str] = []
    ns = f'xmlns:w="{W}"'
    for para in paragraphs:
        if isinstance(para, tuple) and para[0] == "heading":
            doc.add_heading(str(para[1]), level=1)
            continue
        if isinstance(para, tuple) and para[0] == "quote":
            doc.add_paragraph(str(para[1]), style="Quote")
            continue
        if isinstance(para, tuple) and para[0] == "indent":
            p = doc.add_paragraph(str(para[1]))
            p.paragraph_format.left_indent = Cm(1.27)
            p.paragraph_format.right_indent = Cm(1.27)
            continue
        if isinstance(para, tuple) and para[0] == "bibliography":
            entries = list(para[1])
            bib = doc.add_paragraph(style="Bibliography" if "Bibliography" in [s.name for s in doc.styles] else None)
            bib._p.append(parse_xml(f'<w:r {ns}><w:fldChar w:fldCharType="begin"/></w:r>'))
            bib._p.append(parse_xml(f'<w:r {ns}><w:instrText xml:space="preserve"> ADDIN ZOTERO_BIBL '
                                    '{"uncited":[],"omitted":[],"custom":[]} CSL_BIBLIOGRAPHY </w:instrText></w:r>'))
            bib._p.append(parse_xml(f'<w:r {ns}><w:fldChar w:fldCharType="separate"/></w:r>'))
            bib.add_run(entries[0])
            for entry in entries[1:]:
                doc.add_paragraph(entry)
            doc.paragraphs[-1]._p.append(parse_xml(f'<w:r {ns}><w:fldChar w:fldCharType="end"/></w:r>'))
            continue
        p = doc.add_paragraph()
        for seg in para:
            if isinstance(seg, str):
                p.add_run(seg)
            elif seg[0] == "footnote":
                notes.append(_footnote(len(notes) + 2, seg[1]))  # Word numbers its notes from 2
                p._p.append(parse_xml(f'<w:r {ns}><w:rPr><w:vertAlign w:val="superscript"/></w:rPr>'
                                      f'<w:footnoteReference w:id="{len(notes) + 1}"/></w:r>'))
            elif seg[0] == "field":
                for el in parse_xml(f"<w:p {ns}>{field_xml(seg[1][0], seg[1][1])}</w:p>"):
                    p._p.append(el)
    if notes:
        xml = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:footnotes {ns}>'
               '<w:footnote w:type="separator" w:id="0"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
               '<w:footnote w:type="continuationSeparator" w:id="1"><w:p><w:r><w:continuationSeparator/></w:r></w:p>'
               '</w:footnote>' + "".join(notes) + "</w:footnotes>")
        part = Part(PackURI("/word/footnotes.xml"), FOOTNOTES_TYPE, xml.encode("utf-8"), doc.part.package)
        doc.part.relate_to(part, FOOTNOTES_REL)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def sample_docx() -> bytes:
    """The paper the tests and the README use: Zotero notes, a Mendeley in-text cite, a block quotation."""
    return make_docx([
        ("heading", "The October Days"),
        ["The Bolsheviks took the city in two phases.",
         ("footnote", ["\u201cThe Bolshevik coup went through two phases.\u201d ",
                       ("field", (zotero(PIPES, "45"), "Pipes, Concise History, 45."))]),
         " The garrison stayed in its barracks.",
         ("footnote", ["\u201cMost of the garrison stayed in its barracks.\u201d Pipes, ",
                       "Concise History, 46."])],
        ["Reed saw \u201cthe palace was taken in the early hours of 26 October\u201d ",
         ("field", (mendeley(REED, "12"), "(Reed 1919, 12)")), "."],
        ["Kerensky fled the city by train."],
        ("quote", "Kerensky had left the city by car on the morning of 25 October. \u2014 Ten Days That Shook the World, John Reed"),
        ("bibliography", ["Pipes, Richard. A Concise History of the Russian Revolution. New York: Knopf, 1995.",
                          "Reed, John. Ten Days That Shook the World. New York: Boni & Liveright, 1919."]),
    ])


REFS_BIB = r"""@book{pipes1995,
  author = {Pipes, Richard},
  title = {A Concise History of the Russian Revolution},
  publisher = {Knopf},
  year = {1995},
  doi = {10.0000/pipes.1995}
}
@book{reed1919,
  author = {Reed, John},
  title = {Ten Days That Shook the World},
  publisher = {Boni \& Liveright},
  year = {1919}
}
"""

SAMPLE_TEX = r"""\documentclass{article}
\usepackage[style=authoryear,natbib=true]{biblatex}
\usepackage{csquotes}
\addbibresource{refs.bib}
\newcommand{\MRC}{Military Revolutionary Committee}
% a comment: \cite{nowhere} is not read
\begin{document}
\section{The October Days}
The Bolsheviks took the city in two phases.\footnote{\enquote{The Bolshevik coup went
through two phases.} \cite[45]{pipes1995}.} % the note's quotation and its page
The garrison \enquote{stayed in its barracks} \parencite[see][p.~46]{pipes1995}.

Reed saw ``the palace was taken in the early hours of 26 October'' \autocite[12]{reed1919}.
The \MRC{} gave the orders \citep{reed1919}.

Kerensky fled the city by train \textcite{reed1919}:
\begin{quote}
Kerensky had left the city by car on the morning of 25 October.
\end{quote}

\blockcquote[13]{reed1919}{The Winter Palace fell without a fight.}

\input{chapter2}

\printbibliography
\end{document}
"""

CHAPTER2_TEX = r"""Lenin spoke at the Smolny that evening \footcite[47]{pipes1995}.
"""


PIPES_PAGES = {
    45: "In the autumn the Bolsheviks prepared their seizure of power. The Bolshevik coup went through two phases. "
        "In the first, during which Lenin assumed direct command, the strategic points of the capital were occupied.",
    46: "The Provisional Government had hoped for the support of the troops, and it waited in vain for them.",
    47: "Most of the garrison stayed in its barracks. Lenin spoke at the Smolny that evening and announced the new government.",
}
REED_PAGES = {
    12: "The palace was taken in the small hours of 26 October, and the ministers were led out under guard.",
    13: "The Winter Palace fell without a fight. Kerensky had left the city by car on the morning of 25 October.",
}


def write_sources(folder: Any) -> list[Any]:
    """The two sources the sample papers cite, as texts with ``[Pg N]`` page marks."""
    from pathlib import Path

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for name, head, pages in (("pipes.txt", "A Concise History of the Russian Revolution\nby Richard Pipes\n1995\n",
                               PIPES_PAGES),
                              ("reed.txt", "Ten Days That Shook the World\nby John Reed\n1919\n", REED_PAGES)):
        path = folder / name
        path.write_text(head + "\n" + "\n".join(f"[Pg {n}]\n{body}\n" for n, body in pages.items()), encoding="utf-8")
        out.append(path)
    return out


_CLAIMS = ["The Provisional Government had lost the confidence of the army by the autumn of 1917.",
           "Bread queues in the capital grew longer every week.",
           "The soviet's executive met almost every night in the Smolny Institute.",
           "Few regiments were willing to march against the committee.",
           "The ministers waited for troops that never came.",
           "Rumours of a German advance on the capital spread through the city.",
           "The committee sent commissars to every regiment of the garrison.",
           "Newspapers of every party printed appeals to the soldiers."]
_NOTES = [(PIPES, "45", "The Bolshevik coup went through two phases."),
          (PIPES, "47", "Most of the garrison stayed in its barracks."),
          (REED, "12", "The palace was taken in the small hours of 26 October"),
          (REED, "13", "The Winter Palace fell without a fight.")]
SENTENCES_PER_PAGE = 15  # ~350 words: a page of a history paper, double-spaced 12 pt
NOTES_PER_PAGE = 6


def long_docx(pages: int) -> bytes:
    """A paper of about ``pages`` pages: paragraphs of five sentences, two of them with a Zotero footnote."""
    paragraphs: list[Any] = [("heading", "A long paper")]
    n = 0
    for _page in range(pages):
        for _para in range(SENTENCES_PER_PAGE // 5):
            segs: list[Any] = []
            for k in range(5):
                segs.append(("" if not segs else " ") + _CLAIMS[n % len(_CLAIMS)])
                if k in (1, 3):
                    item, page, quote = _NOTES[n % len(_NOTES)]
                    instr = zotero(item, page) if n % 2 else mendeley(item, page)
                    segs.append(("footnote", [f"\u201c{quote}\u201d ", ("field", (instr, f"{item['title']}, {page}."))]))
                n += 1
            paragraphs.append(segs)
    return make_docx(paragraphs)


def long_tex(pages: int) -> str:
    """The same paper in LaTeX: \\footcite, \\parencite and \\enquote, as biblatex users write it."""
    keys = {PIPES["title"]: "pipes1995", REED["title"]: "reed1919"}
    out = [SAMPLE_TEX.split("\\begin{document}")[0], "\\begin{document}\n\\section{A long paper}\n"]
    n = 0
    for _page in range(pages):
        for _para in range(SENTENCES_PER_PAGE // 5):
            lines = []
            for k in range(5):
                line = _CLAIMS[n % len(_CLAIMS)]
                if k in (1, 3):
                    item, page, quote = _NOTES[n % len(_NOTES)]
                    line = line + f"\\footnote{{\\enquote{{{quote}}} \\cite[{page}]{{{keys[item['title']]}}}.}}"
                lines.append(line)
                n += 1
            out.append("\n".join(lines) + "\n\n")
    out.append("\\printbibliography\n\\end{document}\n")
    return "".join(out)


def write_examples(folder: Any) -> None:
    """examples/papers: the sample paper in both forms, its bibliography and the two sources it cites."""
    from pathlib import Path

    folder = Path(folder)
    write_sources(folder / "sources")
    (folder / "paper.docx").write_bytes(sample_docx())
    (folder / "paper.tex").write_text(SAMPLE_TEX, encoding="utf-8")
    (folder / "chapter2.tex").write_text(CHAPTER2_TEX, encoding="utf-8")
    (folder / "refs.bib").write_text(REFS_BIB, encoding="utf-8")


def review_picture(out_png: Any) -> None:
    """The README's picture: examples/papers/paper.docx checked, the reviewed copy converted to PDF by LibreOffice
    (headless), its first page rendered by pdftoppm (left) beside the comments LibreOffice exported with it, read
    back from the PDF's annotations (right: LibreOffice 7.4 draws comments as markers only; "in margin" came in 7.5)."""
    import os
    import subprocess
    import sys
    import tempfile
    from pathlib import Path

    import pypdf
    from PIL import Image, ImageDraw, ImageFont

    examples = Path(__file__).resolve().parents[1] / "examples" / "papers"
    sc = [sys.executable, "-m", "sourcecheck.cli"]
    with tempfile.TemporaryDirectory() as tmp:
        t = Path(tmp)
        subprocess.run(sc + ["add", str(examples / "sources"), "-l", str(t / "lib.db")], check=True, capture_output=True)
        subprocess.run(sc + ["check", str(examples / "paper.docx"), "-l", str(t / "lib.db"), "--format", "docx",
                             "-o", str(t / "reviewed.docx"), "--fail-on", "none"], check=True)
        subprocess.run(["soffice", "--headless", "--convert-to", 'pdf:writer_pdf_Export:{"ExportNotes":'
                        '{"type":"boolean","value":"true"}}', "--outdir", tmp, str(t / "reviewed.docx")],
                       check=True, capture_output=True, env={**os.environ, "HOME": tmp})
        subprocess.run(["pdftoppm", "-r", "110", "-png", "-f", "1", "-l", "1", "-x", "110", "-y", "130", "-W", "760",
                        "-H", "400", str(t / "reviewed.pdf"), str(t / "page")], check=True, capture_output=True)
        page = Image.open(next(t.glob("page*.png"))).convert("RGB")
        notes = [str(a.get_object().get("/Contents")) for a in pypdf.PdfReader(t / "reviewed.pdf").pages[0].get("/Annots") or []
                 if a.get_object().get("/Subtype") == "/Text"]
    font = ImageFont.truetype("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", 13)
    bold = ImageFont.truetype("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf", 13)
    width, pad = 560, 12
    import textwrap

    boxes = []
    for note in notes:
        lines: list[tuple[str, Any]] = []
        for i, para in enumerate(note.splitlines()):
            for w in textwrap.wrap(para, 78) or [""]:
                lines.append((w, bold if i == 0 else font))
        boxes.append(lines)
    height = max(page.height, sum(18 * len(b) + 2 * pad + 10 for b in boxes) + 10)
    img = Image.new("RGB", (page.width + width + 20, height), "white")
    img.paste(page, (0, 0))
    draw = ImageDraw.Draw(img)
    y = 10
    for n, lines in enumerate(boxes, 1):
        h = 18 * len(lines) + 2 * pad
        draw.rectangle([page.width + 10, y, page.width + 10 + width, y + h], fill="#fff6cc", outline="#c9a400")
        for k, (text, f) in enumerate(lines):
            draw.text((page.width + 10 + pad, y + pad + 18 * k), (f"{n}. " if k == 0 else "") + text, fill="black", font=f)
        y += h + 10
    img.save(out_png, optimize=True)


if __name__ == "__main__":
    import sys

    if sys.argv[1:2] == ["--picture"]:
        review_picture(sys.argv[2])
    else:
        write_examples(sys.argv[1] if len(sys.argv) > 1 else "examples/papers")
