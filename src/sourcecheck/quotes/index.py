"""A quotation index over a whole library, so that a quotation is located in every
source without folding and scanning every text once per quotation.

Why a table of its own and not the library's passage index: that index tokenizes the
original text, so "revolu-\\ntion", "Cronstadt" or a ligature would not be found under
the words of a quotation folded by :mod:`.fold`. Here the *folded* text is indexed, cut
into overlapping chunks, so the words of a folded quotation are exactly the tokens.

The index is kept by the store (``library/``, which owns every SQL statement): per source, its
sha256 and its chunks, each chunk's original offsets and its folded words in a full-text index.
It is a cache: ``add``, ``remove`` and ``index`` bring it up to date; a store opened read-only
(``check``, ``quote``, ``find``) never writes it, and scans the texts of any source it does not
cover yet instead.

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

import sys
from collections import OrderedDict
from collections.abc import Callable
from typing import TYPE_CHECKING

from sourcecheck import records
from sourcecheck.library.protocol import QuoteChunk
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
    from sourcecheck.library import Store as Library

__all__ = ["STEP", "QuoteIndex", "build_quote_index"]

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


def _query(part: str) -> tuple[list[str], int]:
    """The longest distinct words within one STEP (all of them must be in a chunk), and its span."""
    head = part if len(part) <= STEP else part[: part.rfind(" ", 0, STEP + 1)]
    words = head.split()
    longest = sorted(dict.fromkeys(words), key=lambda w: (-len(w), words.index(w)))
    return longest[:QUERY_WORDS], len(head)


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
        # (the library's revision, the sources the index does not cover) when last checked:
        # saves comparing every source's hash on every quotation.
        self._synced: tuple[tuple, list[str]] | None = None
        self._recent: OrderedDict[str, records.Source] = OrderedDict()  # sources verified last

    def build(self, *, rebuild: bool = False, progress: Callable[[int, int], None] | None = None) -> int:
        """Bring the index up to date (see :func:`build_quote_index`); return sources indexed."""
        library = self.library
        current = library.source_hashes()
        indexed = {} if rebuild else library.quote_index_hashes()
        stale = [sid for sid, sha in indexed.items() if current.get(sid) != sha]
        todo = sorted(sid for sid, sha in current.items() if indexed.get(sid) != sha)
        if stale or rebuild:
            library.quote_index_write(stale, [], rebuild=rebuild)
        for b in range(0, len(todo), INDEX_BATCH):  # INDEX_BATCH sources per transaction
            batch = []
            for sid in todo[b : b + INDEX_BATCH]:
                src = library.get(sid)
                if src is not None:
                    batch.append((src, [QuoteChunk(*c) for c in _chunks(src.text)]))
            library.quote_index_write([], batch)
            if progress:
                progress(min(b + INDEX_BATCH, len(todo)), len(todo))
        self._synced = (library.revision(), [])
        self._recent.clear()  # a replaced source may come back under the same id
        return len(todo)

    def _unindexed(self) -> list[str]:
        """Sources the index does not cover: none once a writable library is brought up to date."""
        revision = self.library.revision()
        if self._synced is not None and self._synced[0] == revision:
            return self._synced[1]
        if not self.library.read_only:
            self.build()
            return []
        indexed = self.library.quote_index_hashes()
        missing = sorted(sid for sid, sha in self.library.source_hashes().items() if indexed.get(sid) != sha)
        self._synced = (revision, missing)
        return missing

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
        unindexed = self._unindexed()
        # Every part of an elided quotation is in the source: the part whose words match
        # the fewest chunks names the candidates ("a [he] of Isaac Leeser's": Leeser).
        rows: list[tuple[str, int, int]] | None = None
        for part in sorted(set(parts), key=len, reverse=True)[:QUERY_PARTS]:
            got = [r for r in self.library.quote_candidates(_query(part)[0], MAX_CANDIDATES + 1)
                   if r[0] not in unindexed]
            if rows is None or len(got) < len(rows):
                rows = got
            if len(rows) <= MAX_CANDIDATES // 4:
                break
        # A source the index does not cover (read-only, not yet indexed) is one window: its whole text.
        rows = (rows or [])[:MAX_CANDIDATES] + [(sid, 0, sys.maxsize) for sid in unindexed]
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
