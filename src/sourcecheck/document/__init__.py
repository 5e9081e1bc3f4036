"""Readers of documents: outline, Markdown prose and JSON Lines, into records.Document.

Every reader gives the same records (claims with line numbers, evidence with parsed
citations), so no later stage needs to know which format the user wrote.
"""

from __future__ import annotations

from pathlib import Path

from ..decode import decode_text
from ..errors import InputError
from ..records import Document
from . import jsonl, outline, pandoc, prose, wikitext
from .citation import parse_citation
from .outline import render_outline

__all__ = ["FORMATS", "read_document", "parse_citation", "render_outline"]

_PARSERS = {"outline": outline.parse, "prose": prose.parse, "jsonl": jsonl.parse, "pandoc": pandoc.parse,
            "wikitext": wikitext.parse}
# The names --from takes; "markdown" is plain Markdown prose.
FORMATS = {"outline": "outline", "markdown": "prose", "prose": "prose", "pandoc": "pandoc", "wikitext": "wikitext",
           "jsonl": "jsonl", "docx": "docx", "latex": "latex"}
WIKITEXT_SUFFIXES = (".wiki", ".wikitext", ".mediawiki")


def _read_text(path: Path) -> str:
    """The file's text, or an InputError that says why it cannot be a document."""
    if not path.exists():
        raise InputError(path, "no such file")
    if path.is_dir():
        raise InputError(path, "is a directory, not a document")
    try:
        data = path.read_bytes()
    except OSError as err:
        raise InputError(path, f"cannot read: {err.strerror or err}") from None
    return decode_text(data, path)


def _detect_format(path: Path, text: str) -> str:
    """``.jsonl`` -> jsonl; first non-blank, non-heading line a ``- ``/``* `` bullet ->
    outline; else prose. Headings are skipped so ``# Notes`` above an outline keeps it one."""
    if path.suffix.lower() in (".jsonl", ".ndjson"):
        return "jsonl"
    if path.suffix.lower() in WIKITEXT_SUFFIXES:
        return "wikitext"
    for ln in text.splitlines():
        if not ln.strip() or ln.lstrip().startswith("#"):
            continue
        if ln.startswith(("- ", "* ")):
            return "outline"
        break
    return "pandoc" if pandoc.uses_citations(text) else "prose"


def _read_paper(p: Path, format: str | None) -> Document:
    from . import docx, latex

    if not p.exists():
        raise InputError(p, "no such file")
    if p.is_dir():
        raise InputError(p, "is a directory, not a document")
    if format == "docx" or (format is None and p.suffix.lower() == ".docx"):
        try:
            data = p.read_bytes()
        except OSError as err:
            raise InputError(p, f"cannot read: {err.strerror or err}") from None
        return docx.read(data, str(p))
    return latex.read(_read_text(p), str(p))


def read_document(path: str | Path, format: str | None = None) -> Document:
    """Read a document's claims and evidence; format is detected when not given."""
    p = Path(path)
    if format is not None and format not in FORMATS:
        raise InputError(p, f"unknown document format {format!r} (use one of {', '.join(FORMATS)})")
    if (format or "") in ("docx", "latex") or (not format and p.suffix.lower() in (".docx", ".tex", ".ltx")):
        return _read_paper(p, format)  # readers of their own modules, taking (data, name): docx.py, latex.py
    text = _read_text(p)
    fmt = FORMATS[format] if format else _detect_format(p, text)
    bibliographies: list[str] = []
    if fmt == "pandoc":
        claims, bibliographies = pandoc.parse_document(text, str(p))
    else:
        claims = _PARSERS[fmt](text, str(p))
    if not claims:
        raise InputError(p, f"no claims found (read as {fmt})")
    return Document(path=str(p), format=fmt, claims=claims, bibliographies=bibliographies)
