"""The ``DocumentReader`` record: what a document format registers (plugins.document_readers).

A reader takes the document's text (or bytes, for a binary format) and a name for messages and
locations, never a path, so stdin and uploads need no temporary files. It returns the claims and
the bibliographies the document names.

Detection (``detect``): a file's suffix decides where a reader claims it (``.jsonl``, ``.wiki``);
otherwise each reader's ``sniff`` is asked in ``rank`` order and the first that says yes reads it.
The reader of plain Markdown prose sniffs yes to everything and ranks last: a document nobody
recognises is read as prose, which finds its sentences and footnotes, rather than refused.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ..records import Claim, Document

# A reader of a format with notes or citation commands keeps a mark where each stood in the flat text
# (a private-use character, so no document's own text holds it), to place each note's evidence afterwards.
MARK = "\ue000"

Parsed = tuple[list[Claim], list[str]]  # the claims, and the bibliography files the document names


@dataclass(frozen=True)
class DocumentReader:
    name: str  # what --from takes
    read: Callable[[Any, str], Parsed]  # (text, or bytes where binary; name for messages) -> claims, bibliographies
    description: str
    suffixes: tuple[str, ...] = ()  # file endings that are always this format
    sniff: Callable[[str], bool] | None = None  # content detection; None: only by suffix or --from
    rank: int = 50  # order of sniffing, low first
    records_as: str = ""  # the Document.format it records (default: the name); Markdown records "prose"
    aliases: tuple[str, ...] = ()  # other names --from takes
    binary: bool = False  # read gets bytes (decoded as latin-1 text is never what it wants)
    writes_back: bool = False  # `cite` can write this format back (document/writeback.py)

    @property
    def format(self) -> str:
        return self.records_as or self.name


def claims_only(parse: Callable[[str, str], list[Claim]]) -> Callable[[str, str], Parsed]:
    """A reader whose documents name no bibliography."""
    return lambda text, name: (parse(text, name), [])


def from_document(read: Callable[[Any, str], Document]) -> Callable[[Any, str], Parsed]:
    """A reader written as ``read(data, name) -> Document`` (docx.py, latex.py)."""
    def parsed(data: Any, name: str) -> Parsed:
        doc = read(data, name)
        return doc.claims, doc.bibliographies
    return parsed


def unmark(text: str) -> tuple[str, list[int]]:
    """(text without its marks, the offset in that text where each mark stood)."""
    out: list[str] = []
    at: list[int] = []
    n = 0
    for piece in text.split(MARK):
        out.append(piece)
        n += len(piece)
        at.append(n)
    return "".join(out), at[:-1]
