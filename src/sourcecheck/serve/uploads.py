"""One submission to `serve`: documents (uploaded or pasted) and the bibliographies uploaded with them.

A Pandoc paper names its bibliography by file (``bibliography: refs.bib``), and so does LaTeX. The
server never opens a path a document names on its own disk: a name is matched, by its last part,
to a file uploaded in the same submission, and a named file that was not uploaded is refused with
what to do. Every uploaded bibliography counts for each document uploaded with it, as ``check --bib``.
The bibliography files are written to a folder of the job's own, which the worker removes once the
check ends (the check reads the keys when it starts).

Invariant: a document's ``bibliographies`` name only files inside its job's folder.
"""

from __future__ import annotations

import dataclasses
import re
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from ..decode import decode_text
from ..errors import InputError
from ..records import Document

SAFE_NAME = re.compile(r"[^A-Za-z0-9._-]+")
# What the readers that detect their format from the text (outline, Markdown, Pandoc) are usually
# given; every other suffix comes from the reader registry and the bibliography readers.
TEXT_SUFFIXES = (".md", ".markdown", ".txt")
MAX_FILES = 8  # files in one submission: a document and its bibliographies, or a few documents


@dataclass
class Upload:
    name: str  # the safe name, as shown and as written in the job's folder
    data: bytes


@dataclass
class Prepared:
    """A document read and ready to queue: its name, its text for the report's lines, its folder."""

    name: str
    document: Document
    text: str
    folder: Path | None  # the job's bibliography files; None when it has none


def upload_name(name: str) -> str | None:
    """A safe file name for an upload, or None when it names no file (``..``, ``.``, only separators)."""
    safe = SAFE_NAME.sub("_", Path(name.replace("\\", "/")).name)[:80]
    return None if not safe.strip("._") else safe


def bibliography_suffixes() -> tuple[str, ...]:
    from ..library.bibliography import SUFFIXES

    return tuple(SUFFIXES)


def accepted_suffixes() -> list[str]:
    """The upload picker's ``accept`` list: every document reader's suffixes, the text suffixes and the
    bibliographies' (so a new reader plugin's files can be chosen without editing the page)."""
    from .. import plugins

    suffixes = [*TEXT_SUFFIXES, *(s for r in plugins.document_readers for s in r.suffixes), *bibliography_suffixes()]
    return list(dict.fromkeys(suffixes))


def is_bibliography(name: str) -> bool:
    return Path(name).suffix.lower() in bibliography_suffixes()


def _binary(name: str) -> bool:
    from .. import plugins

    return any(Path(name).suffix.lower() in r.suffixes for r in plugins.document_readers if r.binary)


def prepare(documents: list[Upload], bibliographies: list[Upload], fmt: str | None) -> list[Prepared]:
    """Each document read, its bibliographies matched to the uploaded ones; InputError naming the
    user's file (never a folder of ours) when one cannot be read or names a file not uploaded."""
    prepared: list[Prepared] = []
    try:
        for upload in documents:
            prepared.append(_prepare_one(upload, bibliographies, fmt))
    except BaseException:
        discard(prepared)
        raise
    return prepared


def _prepare_one(upload: Upload, bibliographies: list[Upload], fmt: str | None) -> Prepared:
    from ..document import read_document_data
    from ..library.bibliography import read_bibliography

    doc = read_document_data(upload.data, upload.name, fmt)
    uploaded = {b.name for b in bibliographies}
    missing = [Path(b).name for b in doc.bibliographies if Path(b).name not in uploaded]
    if missing:
        raise InputError(upload.name, f"its bibliography {missing[0]} was not uploaded with it; choose the "
                                      f"document and {missing[0]} together")
    text = "" if _binary(upload.name) else decode_text(upload.data, upload.name)  # as the reader decoded it
    if not bibliographies:
        return Prepared(upload.name, doc, text, None)
    folder = Path(tempfile.mkdtemp(prefix="sourcecheck-serve-"))
    try:
        for b in bibliographies:
            (folder / b.name).write_bytes(b.data)
            try:
                read_bibliography(folder / b.name)  # said now, on the form, rather than later as a failed check
            except InputError as err:
                raise InputError(b.name, err.message, err.line) from None
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    order = dict.fromkeys([Path(b).name for b in doc.bibliographies] + [b.name for b in bibliographies])
    return Prepared(upload.name, dataclasses.replace(doc, bibliographies=[str(folder / n) for n in order]), text, folder)


def discard(prepared: list[Prepared]) -> None:
    """Remove the folders of documents that will not be checked after all."""
    for p in prepared:
        if p.folder is not None:
            shutil.rmtree(p.folder, ignore_errors=True)
