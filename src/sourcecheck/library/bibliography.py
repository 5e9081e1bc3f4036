"""Bibliographies as reference managers export them: BibTeX, CSL-JSON and RIS.

Read with maintained parsers (bibtexparser, rispy, json), never regular expressions: a
hand-rolled BibTeX reader breaks on nested braces and LaTeX accents, and a key it misses
becomes a false "unknown citation key" error in every document that cites it.
"""

from __future__ import annotations

import json
import logging
import re
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import InputError
from ..records import Citation

SUFFIXES = {".bib": "bibtex", ".bibtex": "bibtex", ".json": "csl", ".ris": "ris"}


@dataclass
class BibEntry:
    """One bibliography entry: what a citation key stands for."""

    key: str
    title: str | None = None
    authors: list[str] = field(default_factory=list)
    year: int | None = None
    publisher: str | None = None
    doi: str | None = None
    isbn: str | None = None
    files: list[str] = field(default_factory=list)  # attached files (Zotero's `file`), absolute paths

    def citation(self) -> Citation:
        """The entry as a citation, matched to a source by title, first author and year."""
        return Citation(raw=self.key, title=self.title, author=self.authors[0] if self.authors else None,
                        year=self.year, key=self.key)


def _year(value: object) -> int | None:
    m = re.search(r"\b(\d{4})\b", str(value or ""))
    return int(m.group(1)) if m else None


def _clean(value: object) -> str | None:
    text = " ".join(str(value).split()) if value not in (None, "") else ""
    return text or None


def _zotero_files(value: str, base: Path) -> list[str]:
    """Paths in a Zotero/JabRef ``file`` field: ``Description:path:mime;...`` or bare paths."""
    out = []
    for part in value.split(";"):
        part = part.strip()
        if not part:
            continue
        pieces = re.split(r"(?<!\\):", part)
        if len(pieces) >= 3:
            path = ":".join(pieces[1:-1])  # the middle; "C\:" of a Windows drive stays in it
        elif len(pieces) == 2 and not Path(part).exists():
            path = pieces[1]
        else:
            path = part
        path = path.replace("\\:", ":")
        p = Path(path).expanduser()
        out.append(str(p if p.is_absolute() else (base / p)))
    return out


def _bibtex(text: str, path: Path) -> list[BibEntry]:
    import bibtexparser
    from bibtexparser.middlewares import LatexDecodingMiddleware, SeparateCoAuthors
    from bibtexparser.model import DuplicateBlockKeyBlock

    log = logging.getLogger("bibtexparser")
    level, log.level = log.level, logging.CRITICAL  # its own report of a bad entry would be a second line
    try:
        library = bibtexparser.parse_string(text, append_middleware=[LatexDecodingMiddleware(), SeparateCoAuthors()])
    finally:
        log.setLevel(level)
    if library.failed_blocks:
        block = library.failed_blocks[0]
        if isinstance(block, DuplicateBlockKeyBlock):
            raise InputError(path, f"key {block.key!r} is defined twice", (block.start_line or 0) + 1)
        head = (block.raw or "").strip()[:60]
        raise InputError(path, f"cannot read this BibTeX entry: {head!r}",
                         (block.start_line or 0) + 1)
    entries = []
    for e in library.entries:
        f = {k.lower(): v.value for k, v in e.fields_dict.items()}
        authors = f.get("author") or f.get("editor") or []
        if isinstance(authors, str):
            authors = [authors]
        entries.append(BibEntry(
            e.key, _clean(f.get("title")), [a for a in (_clean(x) for x in authors) if a],
            _year(f.get("year") or f.get("date")), _clean(f.get("publisher")), _clean(f.get("doi")),
            _clean(f.get("isbn")), _zotero_files(str(f["file"]), path.parent) if f.get("file") else []))
    return entries


def _csl_name(name: object) -> str | None:
    if isinstance(name, dict):
        if name.get("literal"):
            return _clean(name["literal"])
        family, given = name.get("family"), name.get("given")
        return _clean(f"{family}, {given}" if family and given else family or given)
    return None


def _csl(text: str, path: Path) -> list[BibEntry]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as err:
        raise InputError(path, f"not CSL-JSON: {err.msg}", err.lineno) from None
    if isinstance(data, dict):
        data = data.get("items", [data])
    if not isinstance(data, list) or not all(isinstance(x, dict) for x in data):
        raise InputError(path, "CSL-JSON must be a list of objects")
    entries = []
    for n, item in enumerate(data, 1):
        if not item.get("id"):
            raise InputError(path, f"CSL-JSON item {n} has no \"id\"")
        issued = item.get("issued") or {}
        parts = issued.get("date-parts") if isinstance(issued, dict) else None
        year = _year(parts[0][0]) if parts and parts[0] else _year(issued.get("raw") if isinstance(issued, dict) else None)
        entries.append(BibEntry(
            str(item["id"]), _clean(item.get("title")),
            [a for a in (_csl_name(x) for x in item.get("author") or item.get("editor") or []) if a],
            year, _clean(item.get("publisher")), _clean(item.get("DOI")), _clean(item.get("ISBN"))))
    return entries


def _ris(text: str, path: Path) -> list[BibEntry]:
    import rispy

    try:
        records = rispy.loads(text)
    except Exception as err:  # rispy raises IOError/ValueError subclasses for malformed files
        raise InputError(path, f"not RIS: {err}") from None
    entries = []
    for n, r in enumerate(records, 1):
        key = r.get("id") or f"ris{n}"
        files = [f for k in ("file_attachments1", "file_attachments2") for f in r.get(k) or []]
        entries.append(BibEntry(
            str(key), _clean(r.get("title") or r.get("primary_title")),
            [a for a in (_clean(x) for x in (r.get("authors") or r.get("first_authors") or [])) if a],
            _year(r.get("year") or r.get("publication_year") or r.get("date")), _clean(r.get("publisher")),
            _clean(r.get("doi")), _clean(r.get("issn")) if r.get("type_of_reference") == "BOOK" else None,
            [str(p if (p := Path(f.replace("file://", ""))).is_absolute() else path.parent / p) for f in files]))
    return entries


_READERS = {"bibtex": _bibtex, "csl": _csl, "ris": _ris}


def read_bibliography(path: str | Path) -> list[BibEntry]:
    """Entries of a .bib, .json (CSL) or .ris file; InputError naming the file when it cannot be read."""
    p = Path(path)
    kind = SUFFIXES.get(p.suffix.lower())
    if kind is None:
        raise InputError(p, f"unknown bibliography type {p.suffix or '(none)'}; use .bib, .json (CSL-JSON) or .ris")
    try:
        text = p.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise InputError(p, "no such bibliography file") from None
    except (OSError, UnicodeDecodeError) as err:
        raise InputError(p, f"cannot read: {err}") from None
    entries = _READERS[kind](text, p)
    seen: set[str] = set()
    for e in entries:
        if e.key in seen:
            raise InputError(p, f"key {e.key!r} is defined twice")
        seen.add(e.key)
    return entries
