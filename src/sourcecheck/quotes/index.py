"""A quotation index over a whole library, so that a quotation is located in every
source without folding and scanning every text once per quotation.

Why a table of its own and not the library's passage index: that index tokenizes the
original text, so "revolu-\\ntion", "Cronstadt" or a ligature would not be found under
the words of a quotation folded by :mod:`.fold`. Here the *folded* text is indexed, cut
into overlapping chunks, so the words of a folded quotation are exactly the tokens.

Tables (in the library's own SQLite file, beside the library's tables):

- ``quote_index_sources(source_id, sha256, length)``: which sources are indexed;
- ``quote_chunks(id, source_id, start, end)``: original offsets of each chunk;
- ``quote_chunks_fts``: a contentless FTS5 table (``detail=none``: rowids only, a
  fraction of the text's size) of each chunk's folded words.

Chunks start every :data:`STEP` folded characters and run over two steps, so any
stretch of at most ``STEP`` folded characters lies wholly inside one chunk: the AND of
its words finds that chunk. The candidates are then verified by :func:`locate` on a
window of the original text around each chunk, so the index can only miss, never
invent, and it misses nothing that fits in a chunk.

A :class:`QuoteIndex` is held for as long as its library is open (the checker holds one):
what it remembers between quotations (whether the index is up to date, the sources it
verified last) is its own state, not a process-wide table keyed by the library.
"""

from __future__ import annotations

import sqlite3
from collections import OrderedDict
from collections.abc import Callable
from typing import TYPE_CHECKING

from sourcecheck import records
from sourcecheck.tuning import (
    INDEX_BATCH,
    MAX_CANDIDATES,
    QUERY_PARTS,
    QUERY_WORDS,
    RECENT_SOURCES,
    WINDOW_MARGIN,
)
from sourcecheck.tuning import QUOTE_CHUNK_STEP as STEP

from .fold import fold
from .match import TextMatch, better, editorial_parts, match_prepared, prepare, shift

if TYPE_CHECKING:
    from sourcecheck.library import Library

__all__ = ["QuoteIndex", "build_quote_index", "STEP"]

_SCHEMA = """
CREATE TABLE IF NOT EXISTS quote_index_sources (
    source_id TEXT PRIMARY KEY, sha256 TEXT, length INTEGER);
CREATE TABLE IF NOT EXISTS quote_chunks (
    id INTEGER PRIMARY KEY AUTOINCREMENT, source_id TEXT NOT NULL,
    start INTEGER NOT NULL, "end" INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS quote_chunks_source ON quote_chunks(source_id);
CREATE VIRTUAL TABLE IF NOT EXISTS quote_chunks_fts USING fts5(
    text, content='', detail='none', tokenize='unicode61 remove_diacritics 0')
"""
# AUTOINCREMENT: a contentless FTS5 table (SQLite < 3.43) cannot forget a row without
# its old text, so rows of removed sources stay in it; never reusing a chunk id keeps
# those stale rows pointing at nothing instead of at a new chunk.


def _conn(library: Library) -> sqlite3.Connection:
    # The library has no public SQL access; this index is the one other table owner.
    return library.connection


def _signature(conn: sqlite3.Connection) -> tuple[int, int]:
    return conn.execute("SELECT count(*), coalesce(max(rowid), 0) FROM sources").fetchone()


def _chunks(text: str) -> list[tuple[int, int, str]]:
    """``(original start, original end, folded words)`` of each overlapping chunk."""
    f = fold(text)
    ft = f.text
    if not ft:
        return []
    bounds = [0]  # word starts about every STEP folded chars
    while True:
        nxt = ft.find(" ", bounds[-1] + STEP)
        if nxt < 0:
            break
        bounds.append(nxt + 1)
    bounds.append(len(ft) + 1)  # sentinel: one past the end (plus the missing space)
    out = []
    for k in range(len(bounds) - 1):
        a = bounds[k]
        b = min(bounds[min(k + 2, len(bounds) - 1)] - 1, len(ft))
        start, end = f.span(a, b)
        out.append((start, end, ft[a:b]))
        if k + 2 >= len(bounds):
            break
    return out


def build_quote_index(
    library: Library,
    *,
    rebuild: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> int:
    """Bring the quotation index up to date with the library; return sources indexed.

    Incremental: only sources added or changed since the last call are folded
    (about 0.2 s per MB of text). ``rebuild`` drops and rebuilds the whole index, which
    also reclaims the space of removed sources. ``progress(done, total)`` is called
    after each batch.
    """
    return QuoteIndex(library).build(rebuild=rebuild, progress=progress)


def _build_index(
    library: Library, rebuild: bool, progress: Callable[[int, int], None] | None
) -> int:
    conn = _conn(library)
    if rebuild:
        conn.execute("DROP TABLE IF EXISTS quote_chunks_fts")
        conn.execute("DROP TABLE IF EXISTS quote_chunks")
        conn.execute("DROP TABLE IF EXISTS quote_index_sources")
    for statement in _SCHEMA.split(";"):
        conn.execute(statement)
    current = dict(conn.execute("SELECT id, sha256 FROM sources").fetchall())
    indexed = dict(conn.execute("SELECT source_id, sha256 FROM quote_index_sources").fetchall())
    stale = [sid for sid, sha in indexed.items() if current.get(sid) != sha]
    todo = sorted(sid for sid, sha in current.items() if indexed.get(sid) != sha)
    if stale:
        conn.execute("BEGIN IMMEDIATE")
        for sid in stale:
            conn.execute("DELETE FROM quote_chunks WHERE source_id = ?", (sid,))
            conn.execute("DELETE FROM quote_index_sources WHERE source_id = ?", (sid,))
        conn.execute("COMMIT")
    for b in range(0, len(todo), INDEX_BATCH):
        conn.execute("BEGIN IMMEDIATE")
        try:
            for sid in todo[b : b + INDEX_BATCH]:
                row = conn.execute("SELECT sha256, text FROM sources WHERE id = ?", (sid,)).fetchone()
                if row is None:
                    continue
                sha, text = row
                for start, end, words in _chunks(text):
                    cur = conn.execute(
                        'INSERT INTO quote_chunks(source_id, start, "end") VALUES (?, ?, ?)',
                        (sid, start, end),
                    )
                    conn.execute(
                        "INSERT INTO quote_chunks_fts(rowid, text) VALUES (?, ?)", (cur.lastrowid, words)
                    )
                conn.execute(
                    "INSERT OR REPLACE INTO quote_index_sources VALUES (?, ?, ?)", (sid, sha, len(text))
                )
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        if progress:
            progress(min(b + INDEX_BATCH, len(todo)), len(todo))
    return len(todo)


def _query(part: str) -> tuple[str, int]:
    """FTS5 query (AND of the longest distinct words within one STEP) and its span."""
    head = part if len(part) <= STEP else part[: part.rfind(" ", 0, STEP + 1)]
    words = head.split()
    longest = sorted(dict.fromkeys(words), key=lambda w: (-len(w), words.index(w)))
    return " AND ".join(f'"{w}"' for w in longest[:QUERY_WORDS]), len(head)


def _window(text: str, start: int, end: int) -> tuple[int, int]:
    """Widen ``[start, end)`` to whitespace, so no word is cut at either edge."""
    start = max(0, min(start, len(text)))
    end = min(len(text), end)
    while start > 0 and not text[start - 1].isspace():
        start -= 1
    while end < len(text) and not text[end].isspace():
        end += 1
    return start, end



class QuoteIndex:
    """A library's quotation index: up to date on first use, then searched per quotation."""

    def __init__(self, library: Library):
        self.library = library
        # (sources count, max rowid) when last brought up to date: saves a scan of the
        # sources table on every quotation.
        self._synced: tuple[int, int] | None = None
        self._recent: OrderedDict[str, records.Source] = OrderedDict()  # sources verified last

    def build(self, *, rebuild: bool = False, progress: Callable[[int, int], None] | None = None) -> int:
        """Bring the index up to date (see :func:`build_quote_index`); return sources indexed."""
        n = _build_index(self.library, rebuild, progress)
        self._synced = _signature(_conn(self.library))
        self._recent.clear()  # a replaced source may come back under the same id
        return n

    def _ensure(self) -> sqlite3.Connection:
        conn = _conn(self.library)
        if self._synced != _signature(conn):
            self.build()
        return conn

    def candidate_windows(self, quote: str) -> list[tuple[str, int, int]]:
        """``(source id, start, end)`` windows of original text that may hold ``quote``.

        Overlapping windows of one source are merged. Empty when the quotation has no word.
        """
        fq = fold(quote).text
        if not fq:
            return []
        parsed = editorial_parts(quote)
        parts = [p for p in (parsed[0] if parsed else []) if p] or [fq]
        # Room around a chunk for the rest of the quotation: the whole of it plus every
        # ellipsis gap, in original chars (folding drops punctuation, so allow half again).
        room = len(fq) + (sum(parsed[1]) if parsed else 0)
        margin = room + room // 2 + WINDOW_MARGIN
        conn = self._ensure()
        # Every part of an elided quotation is in the source: the part whose words match
        # the fewest chunks names the candidates ("a [he] of Isaac Leeser's": Leeser).
        rows: list[tuple[str, int, int]] | None = None
        for part in sorted(set(parts), key=len, reverse=True)[:QUERY_PARTS]:
            query, _ = _query(part)
            got = conn.execute(
                'SELECT c.source_id, c.start, c."end" FROM quote_chunks_fts f '
                "JOIN quote_chunks c ON c.id = f.rowid WHERE quote_chunks_fts MATCH ? LIMIT ?",
                (query, MAX_CANDIDATES + 1),
            ).fetchall()
            if rows is None or len(got) < len(rows):
                rows = got
            if len(rows) <= MAX_CANDIDATES // 4:
                break
        rows = (rows or [])[:MAX_CANDIDATES]
        merged: dict[str, list[list[int]]] = {}
        for sid, start, end in sorted(rows):
            spans = merged.setdefault(sid, [])
            s, e = max(0, start - margin), end + margin
            if spans and s <= spans[-1][1]:
                spans[-1][1] = max(spans[-1][1], e)
            else:
                spans.append([s, e])
        return [(sid, s, e) for sid, spans in merged.items() for s, e in spans]

    def _get(self, sid: str) -> records.Source | None:
        src = self._recent.get(sid)
        if src is None:
            src = self.library.get(sid)
            if src is None:
                return None
            self._recent[sid] = src
            if len(self._recent) > RECENT_SOURCES:
                self._recent.popitem(last=False)
        else:
            self._recent.move_to_end(sid)
        return src

    def find(self, quote: str, exclude: str | None = None) -> tuple[records.Source, TextMatch] | None:
        """The best place (exact > normalized > elided) of ``quote`` in any library source
        other than ``exclude``, found through the index; ``None`` if it is in none."""
        best: tuple[records.Source, TextMatch] | None = None
        for sid, s, e in self.candidate_windows(quote):
            if sid == exclude:
                continue
            src = self._get(sid)
            if src is None:  # a stale chunk of a source removed meanwhile
                continue
            ws, we = _window(src.text, s, e)
            tm = match_prepared(quote, prepare(src.text[ws:we]), allow_drift=False)
            if tm is None:
                continue
            if better(tm, best[1] if best else None):
                best = (src, shift(tm, ws))
                if tm.status == "exact":
                    break
        return best
