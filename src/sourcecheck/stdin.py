"""``-`` as a document: standard input read as one, under the name ``<stdin>``.

The readers work on paths (format detection looks at the suffix), so stdin goes through a temporary
``.md`` file; errors and reports then name ``<stdin>``, not the temporary file.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from .errors import InputError
from .records import Document

STDIN = "<stdin>"


def read_one(path: str, format: str | None = None, stdin_text: str | None = None) -> Document:
    """One document; ``format`` is --from's (None: by extension and content)."""
    from .document import read_document

    if path != "-":
        return read_document(path, format)
    if format == "docx":  # a Word file is bytes: read as they are, never as text
        from .document import docx

        return docx.read(sys.stdin.buffer.read(), STDIN)
    text = sys.stdin.read() if stdin_text is None else stdin_text
    with tempfile.TemporaryDirectory(prefix="sourcecheck-") as tmp:
        file = Path(tmp) / "stdin.md"
        file.write_text(text, encoding="utf-8")
        try:
            doc = read_document(file, format)
        except InputError as err:
            raise InputError(STDIN, err.message, line=err.line) from None
    doc.path = STDIN
    return doc


def read_all(paths: tuple[str, ...], format: str | None = None) -> list[Document]:
    """Every document of a call, read before any is checked, so a bad one fails the call at once."""
    if list(paths).count("-") > 1:
        raise InputError(STDIN, "standard input can be read once; give `-` only once")
    return [read_one(p, format) for p in paths]
