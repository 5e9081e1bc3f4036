"""Readers of documents into records.Document; each format is a registered plugin (readers.py).

Every reader gives the same records (claims with line numbers, evidence with parsed citations),
so no later stage needs to know which format the user wrote.
"""

from __future__ import annotations

from pathlib import Path

from ..decode import decode_text
from ..errors import InputError
from ..records import Document
from .citation import parse_citation
from .outline import render_outline
from .readers import DocumentReader

__all__ = ["DocumentReader", "detect", "format_names", "parse_citation", "read_document", "read_document_data",
           "reader_for", "render_outline"]


def format_names() -> list[str]:
    """What --from takes: every reader's name and aliases."""
    from .. import plugins

    return [n for r in plugins.document_readers for n in (r.name, *r.aliases)]


def reader_for(format: str, name: str | Path | None = None) -> DocumentReader:
    from .. import plugins

    for r in plugins.document_readers:
        if format in (r.name, *r.aliases):
            return r
    raise InputError(name, f"unknown document format {format!r} (use one of {', '.join(format_names())})")


def detect(name: str, text: str) -> DocumentReader:
    """The reader of a document: by its name's suffix where a reader claims it, else by content."""
    from .. import plugins

    suffix = Path(name).suffix.lower()
    readers = list(plugins.document_readers)
    for r in readers:
        if suffix and suffix in r.suffixes:
            return r
    for r in sorted(readers, key=lambda r: r.rank):
        if r.sniff is not None and not r.binary and r.sniff(text):
            return r
    raise InputError(name, "no document reader recognises this file")


def read_document_data(data: bytes | str, name: str, format: str | None = None) -> Document:
    """A document from its bytes (or text) and a name for messages: stdin and uploads need no file."""
    if format is not None:
        reader = reader_for(format, name)
    else:
        by_suffix = [r for r in _binary_readers() if Path(name).suffix.lower() in r.suffixes]
        reader = by_suffix[0] if by_suffix else detect(name, _text(data, name))
    payload: bytes | str = (data.encode("utf-8") if isinstance(data, str) else data) if reader.binary \
        else _text(data, name)
    ignores: dict[int, tuple[str, ...]] = {}
    if isinstance(payload, str) and reader.name != "jsonl":  # a JSON Lines row has no comments, only fields
        from .directives import read_ignores

        payload, ignores = read_ignores(payload, name)
    claims, bibliographies = reader.read(payload, name)
    if not claims:
        raise InputError(name, f"no claims found (read as {reader.format})")
    return Document(path=name, format=reader.format, claims=claims, bibliographies=bibliographies, ignores=ignores)


def _binary_readers() -> list[DocumentReader]:
    from .. import plugins

    return [r for r in plugins.document_readers if r.binary]


def _text(data: bytes | str, name: str) -> str:
    return data if isinstance(data, str) else decode_text(data, name)


def read_document(path: str | Path, format: str | None = None) -> Document:
    """Read a document's claims and evidence from a file; the format is detected when not given."""
    p = Path(path)
    if format is not None:
        reader_for(format, p)  # an unknown --from is said before the file is read
    if not p.exists():
        raise InputError(p, "no such file")
    if p.is_dir():
        raise InputError(p, "is a directory, not a document")
    try:
        data = p.read_bytes()
    except OSError as err:
        raise InputError(p, f"cannot read: {err.strerror or err}") from None
    return read_document_data(data, str(p), format)
