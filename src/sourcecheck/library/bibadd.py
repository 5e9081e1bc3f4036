"""``add --bib``: a reference manager's export into the library, entry by entry.

Files an entry names (Zotero's ``file`` field) are added with the entry's title, first
author and year, since a PDF's own metadata is often empty or wrong; then every entry is
attached to its source, so citations can name it by key. A named file that is not on disk
(Zotero's export keeps the path of a PDF since moved or never synced) does not stop the run:
the entry is still attached, by title, to a source already in the library, and the missing file
is reported once (the false stop it prevents: one stale path losing every key of the export).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from .bibliography import BibEntry, read_bibliography
from .citations import match_citation
from .citekeys import KeyStore
from .store import AddResult


@dataclass
class Attached:
    entry: BibEntry
    source_id: str | None  # None: no source in the library matches the entry
    missing: list[str] = field(default_factory=list)  # files the entry names that do not exist


def add_bibliography(library, bib_path: str | Path,
                     progress: Callable[[AddResult], None] | None = None) -> list[Attached]:
    """Add the files ``bib_path`` names, then store every entry's key beside its matching source."""
    entries = read_bibliography(bib_path)
    attached: list[Attached] = []
    for e in entries:
        source_id = None
        missing = [f for f in e.files if not Path(f).is_file()]
        for f in e.files:
            if f in missing:
                continue
            author = e.authors[0] if e.authors else None
            results = library.add(f, title=e.title, author=author, year=e.year, progress=progress)
            source_id = source_id or (results[0].source_id if results else None)
        if source_id is None and e.title:
            ref = match_citation(e.citation(), library.refs())
            source_id = ref.id if ref else None
        attached.append(Attached(e, source_id, missing))
    KeyStore(library).attach([(a.entry, a.source_id) for a in attached])
    return attached
