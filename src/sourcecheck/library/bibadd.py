"""``add --bib``: a reference manager's export into the library, entry by entry.

Files an entry names (Zotero's ``file`` field) are added with the entry's title, first
author and year, since a PDF's own metadata is often empty or wrong; then every entry is
attached to its source, so citations can name it by key. Every named file is checked
before anything is written: a missing attachment stops the run with nothing half-added.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ..errors import InputError
from .bibliography import BibEntry, read_bibliography
from .citations import match_citation
from .citekeys import KeyStore
from .store import AddResult


@dataclass
class Attached:
    entry: BibEntry
    source_id: str | None  # None: no source in the library matches the entry


def add_bibliography(library, bib_path: str | Path,
                     progress: Callable[[AddResult], None] | None = None) -> list[Attached]:
    """Add the files ``bib_path`` names, then store every entry's key beside its matching source."""
    entries = read_bibliography(bib_path)
    for e in entries:
        for f in e.files:
            if not Path(f).is_file():
                raise InputError(bib_path, f"entry {e.key!r} names a file that does not exist: {f}")
    attached: list[Attached] = []
    for e in entries:
        source_id = None
        for f in e.files:
            author = e.authors[0] if e.authors else None
            results = library.add(f, title=e.title, author=author, year=e.year, progress=progress)
            source_id = source_id or (results[0].source_id if results else None)
        if source_id is None and e.title:
            ref = match_citation(e.citation(), library.refs())
            source_id = ref.id if ref else None
        attached.append(Attached(e, source_id))
    KeyStore(library).attach([(a.entry, a.source_id) for a in attached])
    return attached
