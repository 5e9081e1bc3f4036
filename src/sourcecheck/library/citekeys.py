"""Citation keys: which library source a bibliography key stands for.

``add --bib`` stores each entry beside its source (the store's ``citation_keys``, through
:class:`KeyStore`); ``check --bib`` maps keys in memory only, so checking never writes.
Matching by key first prevents two false alarms: a short title ("Pipes 1995") that names
no source by itself, and a title shared by two sources that title matching refuses to guess.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import TYPE_CHECKING

from ..records import Citation, SourceRef
from .bibliography import BibEntry
from .citations import match_citation

if TYPE_CHECKING:
    from .protocol import Store

class KeyStore:
    """Bibliography entries stored with a library: JSON in and out of the store's key rows."""

    def __init__(self, library: Store):
        self.library = library

    def attach(self, entries: list[tuple[BibEntry, str | None]]) -> None:
        """Store ``(entry, source id)`` pairs in one transaction (a key added again is replaced)."""
        self.library.keys_write([(e.key, sid, json.dumps(asdict(e), ensure_ascii=False)) for e, sid in entries])

    def entries(self) -> list[tuple[BibEntry, str | None]]:
        """Every stored (entry, source id); empty for a library that never had a bibliography."""
        return [(BibEntry(**json.loads(j)), sid) for _key, sid, j in self.library.keys_rows()]

    def keys_by_source(self) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {}
        for entry, sid in self.entries():
            if sid is not None:
                out.setdefault(sid, []).append(entry.key)
        return out


class KeyMap:
    """Keys -> sources for one run: the library's stored keys plus bibliographies read now."""

    def __init__(self, refs: list[SourceRef], stored: list[tuple[BibEntry, str | None]] | None = None):
        stored = stored or []
        self.refs = refs
        by_id = {r.id: r for r in refs}
        self.ids = by_id  # a library source id is a key too: `cite` writes [@id] for a source with no entry
        self.entries: dict[str, BibEntry] = {e.key: e for e, _ in stored}
        self.sources: dict[str, SourceRef | None] = {e.key: by_id.get(sid) if sid else None for e, sid in stored}

    def add(self, entries: list[BibEntry]) -> None:
        """Map each entry to the source its title, first author and year name (None if none)."""
        for e in entries:
            self.entries[e.key] = e
            self.sources[e.key] = match_citation(e.citation(), self.refs) if e.title else None

    def extended(self, bib_files: list[str]) -> KeyMap:
        """A copy with the entries of ``bib_files`` added (a document's own YAML bibliography)."""
        from .bibliography import read_bibliography

        copy = KeyMap(self.refs)
        copy.entries, copy.sources = dict(self.entries), dict(self.sources)
        for path in bib_files:
            copy.add(read_bibliography(path))
        return copy

    def known(self, key: str) -> bool:
        return key in self.entries or key in self.ids

    def key_of(self, source_id: str) -> str | None:
        """The first bibliography key that names this source (None when it has none)."""
        return next((k for k, ref in sorted(self.sources.items()) if ref is not None and ref.id == source_id), None)

    def resolve(self, citation: Citation) -> SourceRef | None:
        """The source of a citation: by its key where it has a known one, else by title/author/year.

        A citation with no key whose whole text is a known key ("pipes1995, p. 12") is read as that key.
        """
        key = citation.key
        if key is None and citation.doi:  # a Zotero/Mendeley item with a DOI: the entry with that DOI, if any
            doi = citation.doi.lower().removeprefix("https://doi.org/")
            key = next((k for k, e in self.entries.items() if e.doi and e.doi.lower().removeprefix("https://doi.org/") == doi),
                       None)
        if key is None and citation.title and not citation.author and citation.title in self.entries:
            key = citation.title
        if key is not None and key in self.entries:
            return self.sources.get(key)
        if key is not None and key in self.ids:
            return self.ids[key]
        if key is not None and not citation.title:
            return None
        return match_citation(citation, self.refs)

    def describe(self, key: str) -> Citation | None:
        """The entry behind a key as a Citation (title, first author, year), for reports and cite."""
        e = self.entries.get(key)
        return e.citation() if e else None


def library_keys(library: Store) -> KeyMap:
    """The keys stored in a library."""
    return KeyMap(library.refs(), KeyStore(library).entries())


def keys_for(library: Store, bib_files: list[str]) -> KeyMap:
    """The library's stored keys plus those of ``bib_files`` (read now, never stored: `check --bib`)."""
    return library_keys(library).extended(bib_files)
