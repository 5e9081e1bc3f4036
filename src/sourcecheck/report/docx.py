"""The reviewed Word file: a copy of the checked .docx with a Word comment on each claim that has a problem.

``sourcecheck check paper.docx --format docx -o reviewed.docx``. Each comment says the problems
(worst first), the verdict, the source's own words where the quotation was found, and the page
it was found on, as a human reviewer would write them in the margin. The comments are made with
python-docx's own comments support (``Document.add_comment``, python-docx 1.2), anchored on the
runs of the claim's sentence; nothing else of the paper changes (the tests compare every other
part of the package). The copy is written atomically (``safeio.write_bytes``); the original is
never opened for writing.
"""

from __future__ import annotations

import io
import os
from pathlib import Path
from typing import Any

from ..errors import InputError
from ..records import Finding, Report
from .common import headline, source_name
from .registry import WriteOptions, Writer

AUTHOR, INITIALS = "sourcecheck", "SC"
WORDS = 320  # characters of the source's words in a comment: a margin note, not a page


def comment_paragraphs(f: Finding) -> list[str]:
    """The lines of one claim's comment."""
    lines = [f"sourcecheck: {headline(f)}"]
    lines += [f"{p.severity}: {p.message}" for p in f.problems]
    lines.append(f"Verdict: {str(f.verdict).replace('_', ' ')} (support {f.support:.2f}, contradiction {f.contradiction:.2f})")
    for e in f.evidence:
        m = e.match
        if m.source is None or not (m.matched_text or m.context):
            continue
        words = " ".join((m.matched_text or m.context).split())
        if len(words) > WORDS:
            words = words[: WORDS - 1] + "\u2026"
        page = m.location.page if m.location else None
        lines.append(f"Source\u2019s words ({source_name(m.source)}): \u201c{words}\u201d")
        cited = e.evidence.citation.locator.label() if e.evidence.citation and e.evidence.citation.locator else None
        if page is not None:
            lines.append(f"Found on p. {page}" + (f" (cited {cited})" if cited else ""))
        elif cited:
            lines.append(f"Cited {cited}; the source has no pages to compare")
    return lines


def _runs_for(paragraph: Any, text: str) -> list[Any]:
    """The runs of ``paragraph`` that hold the claim's sentence (all its runs when it cannot be found)."""
    every = list(paragraph.runs)
    texts = [r.text for r in every]  # each .text is an XPath query: read once
    runs = [r for r, t in zip(every, texts) if t]
    if not runs:
        return every
    spans, pos = [], 0
    for t in (t for t in texts if t):
        spans.append((pos, pos + len(t)))
        pos += len(t)
    whole = "".join(texts)
    head = text[: min(len(text), 24)].rstrip(".")
    start = whole.find(head) if head else -1
    if start < 0:
        return runs
    end = start + len(text)
    chosen = [r for r, (a, b) in zip(runs, spans) if a < end and b > start]
    if not chosen:
        return runs
    if any(r._r.xpath("./w:footnoteReference|./w:endnoteReference") for r in every):
        # LibreOffice (7.4) gives the wrong text to the footnotes of a paragraph where a comment's range has a
        # note reference on one side and another inside or after it (tested: tests/test_papers.py); a comment
        # over the whole paragraph shows right in Word and LibreOffice both.
        return [every[0], every[-1]]
    return chosen


def review_docx(data: bytes, report: Report) -> bytes:
    """The paper ``data`` with a comment on each claim of ``report`` that has a problem."""
    import docx

    from ..document.docx import _check_zip

    _check_zip(data, report.document)
    doc = docx.Document(io.BytesIO(data))
    paragraphs = doc.paragraphs
    for f in report.findings:
        if not f.problems:
            continue
        no = f.claim.line
        if not 1 <= no <= len(paragraphs):
            raise InputError(report.document, f"claim {f.claim.id} is at paragraph {no}, which the document does not have")
        runs = _runs_for(paragraphs[no - 1], f.claim.text)
        if not runs:
            continue
        lines = comment_paragraphs(f)
        comment = doc.add_comment(runs, text=lines[0], author=AUTHOR, initials=INITIALS)
        for line in lines[1:]:
            comment.add_paragraph(line)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def save_docx(report: Report, options: WriteOptions, output: str | None) -> None:
    """Write the reviewed copy of the checked .docx to ``output``, atomically; the original is left as it is."""
    from ..safeio import write_bytes

    source = options.document_path
    if output is None:
        raise InputError(None, "--format docx writes a Word file: give -o reviewed.docx")
    if not source or Path(source).suffix.lower() != ".docx":
        raise InputError(source, "--format docx reviews a Word document: check a .docx file")
    if os.path.exists(output) and os.path.realpath(output) == os.path.realpath(source):
        raise InputError(output, "is the checked document itself; the reviewed copy goes to another file")
    try:
        data = Path(source).read_bytes()
    except OSError as err:
        raise InputError(source, f"cannot read: {err.strerror or err}") from None
    write_bytes(output, review_docx(data, report))


def report_to_docx(report: Report, options: WriteOptions) -> str:
    raise InputError(report.document, "--format docx writes a Word file: give -o reviewed.docx")


WRITER = Writer("docx", report_to_docx, suffix=".docx",
                media_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                description="a copy of the checked .docx with a Word comment on each claim that has a problem (needs -o)",
                save=save_docx)
