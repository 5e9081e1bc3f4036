"""``-`` as a document: standard input read as one, under the name ``<stdin>``.

Readers take text and a name, so stdin needs no temporary file; errors and reports name ``<stdin>``.
"""

from __future__ import annotations

import sys

from ..errors import InputError
from ..records import Document

STDIN = "<stdin>"


def read_one(path: str, format: str | None = None, stdin_text: str | None = None) -> Document:
    """One document; ``format`` is --from's (None: by extension and content)."""
    from ..document import read_document, read_document_data, reader_for

    if path != "-":
        return read_document(path, format)
    if stdin_text is not None:
        return read_document_data(stdin_text, STDIN, format)
    # A binary format (a Word file) is read as bytes, never as text.
    binary = format is not None and reader_for(format, STDIN).binary
    return read_document_data(sys.stdin.buffer.read() if binary else sys.stdin.read(), STDIN, format)


def read_all(paths: tuple[str, ...], format: str | None = None) -> list[Document]:
    """Every document of a call, read before any is checked, so a bad one fails the call at once."""
    if list(paths).count("-") > 1:
        raise InputError(STDIN, "standard input can be read once; give `-` only once")
    return [read_one(p, format) for p in paths]
