"""What every storage backend shares: walking files to add, naming sources, locating offsets.

The backends (``sqlite.py``, ``postgres.py``) differ only in their SQL; the walk over a folder,
the extraction, the ids and the locations are written once here, so a library copied from one
backend to the other gives the same ids and the same answers.
"""

from __future__ import annotations

import bisect
import hashlib
import json
import re
import unicodedata
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

from ..errors import InputError
from ..limits import DEFAULT as DEFAULT_LIMITS
from ..limits import Limits
from ..records import Citation, Location, Source, SourceRef
from ..text import STOPWORDS
from . import citations
from .extract import Extracted, extract, iter_jsonl, source_suffixes
from .protocol import AddResult, StoredSource, VectorRows
from .segment import Passage, make_passages
from .vectors import VectorIndex

_JSONL = (".jsonl", ".jsonl.gz")

def query_words(query: str) -> list[str]:
    """The distinct content words of a search query, lower case (all words if none is content)."""
    words = list(dict.fromkeys(w.lower() for w in re.findall(r"\w+", query)))
    # Words in most passages: OR-ing them makes the full-text index rank nearly every row of a
    # large library (p50 170 ms on the 96 M-character sample) while adding nothing to BM25's order.
    return [w for w in words if w not in STOPWORDS] or words


def slugify(title: str, limit: int = 60) -> str:
    """Lowercase ASCII words joined by hyphens, at most ``limit`` characters."""
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_title.lower()).strip("-")
    if len(slug) > limit:
        slug = slug[:limit].rsplit("-", 1)[0] if "-" in slug[:limit] else slug[:limit]
    return slug or "source"


# Headings a reader cites by: "Chapter IV. The Fall of the Provisional Government", "CHAPTER X",
# Markdown "# ..." and "PART II"; a book without pages is located by its chapter.
_HEADING = re.compile(r"^[ \t]*(?:(?:CHAPTER|Chapter|PART|Part|BOOK|Book|SECTION|Section)[ \t]+[\w.]+[^\n]{0,100}|#{1,6}[ \t]+[^\n]{1,100})$",
                      re.M)
_HEADINGS: dict[tuple[str, int], tuple[list[int], list[str]]] = {}


def _headings(source: Source) -> tuple[list[int], list[str]]:
    key = (source.id, len(source.text))
    if key not in _HEADINGS:
        found = [(m.start(), " ".join(m.group(0).strip("# \t").split())) for m in _HEADING.finditer(source.text)]
        _HEADINGS[key] = ([o for o, _ in found], [h for _, h in found])
    return _HEADINGS[key]


def locate_offsets(source: Source, start: int, end: int) -> Location:
    """Location of ``source.text[start:end]``: 1-based line of ``start``, its page, its chapter."""
    line = source.text.count("\n", 0, start) + 1
    page = bisect.bisect_right(source.pages, start) if source.pages else None
    offsets, names = _headings(source)
    k = bisect.bisect_right(offsets, start)
    return Location(start, end, line, page or None, names[k - 1] if k else None)


def is_source_name(name: str) -> bool:
    lower = name.lower()
    return lower.endswith(source_suffixes()) or lower.endswith(_JSONL)


class StoreBase:
    """The backend-independent half of a store, over SQL both backends read alike.

    Statements here are written with ``?`` placeholders; a backend's ``_rows`` adapts them. A
    backend supplies ``_rows``, ``_write`` (one transaction holding the write lock), ``_delete``,
    ``_insert_passages``, ``_write_vectors`` and the statements that differ (search, vectors).
    """

    name: str
    read_only: bool
    _COLUMNS = "id, title, author, year, path, sha256, text, calendar, pages_json"

    def _rows(self, sql: str, params: Sequence = ()) -> list[tuple]:
        raise NotImplementedError

    def _write(self) -> AbstractContextManager:
        raise NotImplementedError

    def _delete(self, source_id: str) -> None:
        raise NotImplementedError

    def _insert_passages(self, source_id: str, passages: list[Passage]) -> list[int]:
        raise NotImplementedError

    def _write_vectors(self, source_id: str, model: str, sha256: str | None, rows: VectorRows) -> None:
        raise NotImplementedError

    def passage_ids(self, source_id: str) -> list[tuple[int, Passage]]:
        raise NotImplementedError

    def close(self) -> None:
        raise NotImplementedError

    def _one(self, sql: str, params: Sequence = ()):
        rows = self._rows(sql, params)
        return rows[0][0] if rows else None

    # -- reading -----------------------------------------------------------------------
    @staticmethod
    def _source(row: tuple) -> Source:
        sid, title, author, year, path, sha256, text, calendar, pages_json = row
        return Source(sid, title, author, year, path, sha256, text, calendar, json.loads(pages_json or "[]"))

    def sources(self) -> list[Source]:
        return [self._source(r) for r in self._rows(f"SELECT {self._COLUMNS} FROM sources ORDER BY id")]

    def refs(self) -> list[SourceRef]:
        """Every source's reference, without loading texts."""
        return [SourceRef(*r) for r in self._rows("SELECT id, title, author, year FROM sources ORDER BY id")]

    def get(self, source_id: str) -> Source | None:
        rows = self._rows(f"SELECT {self._COLUMNS} FROM sources WHERE id = ?", (source_id,))
        return self._source(rows[0]) if rows else None

    def _id_by_title(self, title: str) -> str | None:
        return self._one("SELECT id FROM sources WHERE lower(title) = lower(?) ORDER BY id", (title,))

    def find_source(self, ref: str) -> Source | None:
        """A source by id, exact title (case-insensitive) or original file path."""
        found = self.get(ref)
        if found:
            return found
        sid = self._id_by_title(ref)
        if sid is None:
            try:
                resolved = str(Path(ref).resolve())
            except (OSError, ValueError):
                resolved = ref
            sid = self._one("SELECT id FROM sources WHERE path IN (?, ?) ORDER BY id", (ref, resolved))
        return self.get(sid) if sid else None

    def source_hashes(self) -> dict[str, str]:
        return dict(self._rows("SELECT id, sha256 FROM sources"))

    def passages(self, source_id: str) -> list[Passage]:
        return [p for _, p in self.passage_ids(source_id)]

    def quote_index_hashes(self) -> dict[str, str]:
        return dict(self._rows("SELECT source_id, sha256 FROM quote_index_sources"))

    # -- writing -----------------------------------------------------------------------
    def remove(self, ref: str) -> SourceRef:
        """Remove a source named by id or exact title; InputError if there is none."""
        self._refuse_write()
        source = self.get(ref)
        if source is None:
            sid = self._id_by_title(ref)
            source = self.get(sid) if sid else None
        if source is None:
            raise InputError(self.name, f"no source {ref!r} in the library")
        with self._write():
            self._delete(source.id)
        return source.ref()

    def _add_one(self, key: str, digest: str, ex: Extracted) -> AddResult:
        title = ex.title or "Untitled"
        wanted = (digest, title, ex.author, ex.year)
        sql = "SELECT id, sha256, title, author, year FROM sources WHERE path = ?"
        old = next(iter(self._rows(sql, (key,))), None)
        if old and tuple(old[1:]) == wanted:  # same bytes and same metadata
            return AddResult(key, old[0], "unchanged", title)
        with self._write():
            # Re-read under the write lock: another process may have added it meanwhile.
            old = next(iter(self._rows(sql, (key,))), None)
            if old and tuple(old[1:]) == wanted:
                return AddResult(key, old[0], "unchanged", title)
            if old is None:  # the same bytes under another path: one source, not two that tie in every search
                # (checked under the lock: two writers adding one text at once keep one copy)
                twin = next(iter(self._rows("SELECT id, path FROM sources WHERE sha256 = ? LIMIT 1", (digest,))), None)
                if twin:
                    return AddResult(key, twin[0], "duplicate", title, reason=f"same content as {twin[0]} ({twin[1]})")
            if old:
                self._delete(old[0])
            source_id = self._unique_id(slugify(title))
            self._insert_source(Source(source_id, title, ex.author, ex.year, key, digest, ex.text, ex.calendar, ex.pages),
                                datetime.now(UTC).isoformat(timespec="seconds"))
            self._insert_passages(source_id, make_passages(source_id, ex.text))
        return AddResult(key, source_id, "replaced" if old else "added", title)

    def _insert_source(self, s: Source, added_at: str | None) -> None:
        self._rows("INSERT INTO sources(id, title, author, year, path, sha256, calendar, pages_json, text, added_at)"
                   " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                   (s.id, s.title, s.author, s.year, s.path, s.sha256, s.calendar, json.dumps(s.pages), s.text, added_at))

    def _unique_id(self, base: str) -> str:
        candidate, n = base, 1
        while self._rows("SELECT 1 FROM sources WHERE id = ?", (candidate,)):
            n += 1
            candidate = f"{base}-{n}"
        return candidate

    # -- bibliography keys ----------------------------------------------------------------
    def keys_rows(self) -> list[tuple[str, str | None, str]]:
        """Every stored (key, source id or None, entry as JSON), by key."""
        return [tuple(r) for r in self._rows("SELECT key, source_id, entry_json FROM citation_keys ORDER BY key")]

    def keys_write(self, rows: Sequence[tuple[str, str | None, str]]) -> None:
        """Store (key, source id, entry JSON) rows in one transaction; a key stored again is replaced."""
        with self._write():
            for key, sid, entry in rows:
                self._rows("DELETE FROM citation_keys WHERE key = ?", (key,))
                self._rows("INSERT INTO citation_keys(key, source_id, entry_json) VALUES (?, ?, ?)", (key, sid, entry))

    # -- vectors -------------------------------------------------------------------------
    _vectors: VectorIndex  # the rows in memory, for a backend that ranks with numpy
    _vector_key: tuple | None = None  # (row count, largest id) when they were loaded

    def vector_pending(self, model: str) -> list[str]:
        """Sources without vectors of ``model``, or whose text changed since they were made."""
        return [r[0] for r in self._rows(
            "SELECT s.id FROM sources s LEFT JOIN vector_sources v ON v.source_id = s.id AND v.model = ?"
            " WHERE v.source_id IS NULL OR coalesce(v.sha256, '') <> coalesce(s.sha256, '') ORDER BY s.id", (model,))]

    def vector_write(self, source_id: str, model: str, rows: VectorRows) -> None:
        """One source's vectors and its row in ``vector_sources``, in one transaction."""
        with self._write():
            self._write_vectors(source_id, model, None, rows)

    def vector_count(self) -> int:
        return self._one("SELECT count(*) FROM passage_vectors")

    def _numpy_vector_search(self, query: np.ndarray, k: int, source_ids: Sequence[str] | None) -> list[tuple[int, float]]:
        """Exact cosine over the int8 rows in memory, loaded once and reloaded when the table changed
        (its row count or largest id), so one store serves a long process while ``index`` adds sources."""
        key = tuple(self._rows("SELECT count(*), max(passage_id) FROM passage_vectors")[0])
        if key != self._vector_key:
            rows = self._rows("SELECT passage_id, source_id, vec FROM passage_vectors ORDER BY passage_id")
            self._vectors.load([r[0] for r in rows], [r[1] for r in rows], [bytes(r[2]) for r in rows])
            self._vector_key = key
        return self._vectors.search(query, k, source_ids)

    # -- copying -------------------------------------------------------------------------
    def export_sources(self) -> Iterator[StoredSource]:
        """Every source with its passages' spans and, where complete, its vectors (ids in order)."""
        for (sid,) in self._rows("SELECT id FROM sources ORDER BY id"):
            source = self.get(sid)
            if source is None:  # removed meanwhile
                continue
            spans = self._rows('SELECT id, start, "end" FROM passages WHERE source_id = ? ORDER BY start', (sid,))
            stored = StoredSource(source, self._one("SELECT added_at FROM sources WHERE id = ?", (sid,)),
                                  [(s, e) for _, s, e in spans])
            vs = self._rows("SELECT model, sha256 FROM vector_sources WHERE source_id = ?", (sid,))
            if vs:
                vecs = {r[0]: (r[1], bytes(r[2])) for r in self._rows(
                    "SELECT passage_id, scale, vec FROM passage_vectors WHERE source_id = ?", (sid,))}
                if all(pid in vecs for pid, _, _ in spans):
                    stored.vector_model, stored.vector_sha256 = vs[0]
                    stored.vector_scale = [vecs[pid][0] for pid, _, _ in spans]
                    stored.vector_rows = [vecs[pid][1] for pid, _, _ in spans]
            yield stored

    def import_source(self, stored: StoredSource) -> None:
        """Write one exported source as it is (same id), replacing one of that id, in one transaction."""
        with self._write():
            s = stored.source
            self._delete(s.id)
            self._insert_source(s, stored.added_at)
            ids = self._insert_passages(s.id, [Passage(s.id, a, b, s.text[a:b]) for a, b in stored.passages])
            if stored.vector_model and len(stored.vector_rows) == len(ids):
                vecs = np.frombuffer(b"".join(stored.vector_rows), dtype=np.int8).reshape(len(ids), -1)
                self._write_vectors(s.id, stored.vector_model, stored.vector_sha256,
                                    VectorRows(np.array(ids, np.int64), np.array(stored.vector_scale, np.float32), vecs))

    def _refuse_write(self) -> None:
        """A library opened read-only (by ``check``, ``quote``, ``find``) must not change."""
        if self.read_only:
            raise InputError(self.name, "the library is open read-only here")

    def __enter__(self):
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def match_citation(self, citation: Citation) -> SourceRef | None:
        return citations.match_citation(citation, self.refs())

    def location(self, source: Source, start: int, end: int) -> Location:
        return locate_offsets(source, start, end)

    def check_integrity(self) -> None:
        """Refuse to write into a damaged library (a backend that can tell checks here)."""

    def add(
        self,
        path: str | Path,
        *,
        title: str | None = None,
        author: str | None = None,
        year: int | None = None,
        progress: Callable[[AddResult], None] | None = None,
        limits: Limits = DEFAULT_LIMITS,
        keep_going: bool = False,
    ) -> list[AddResult]:
        """Ingest a file or a folder (recursively); one transaction per source.

        ``title`` overrides a single file's title only; ``author`` and ``year`` apply to
        every source added by this call. The first file (or JSON Lines line) that cannot be read
        raises InputError; with ``keep_going`` every one is tried instead, one that cannot be read
        is a "failed" result with its reason, so the caller can say exactly what was and was not added.
        """
        self._refuse_write()
        self.check_integrity()
        path = Path(path)
        if not path.exists():
            raise InputError(path, "no such file or folder")
        if path.is_dir():
            if title is not None:
                raise InputError(path, "a title can only be given for a single file")
            files = sorted(
                p for p in path.rglob("*")
                if p.is_file() and is_source_name(p.name) and not p.name.startswith(".")
            )
        else:
            files = [path]
        results: list[AddResult] = []
        for file in files:
            for result in self._add_file(file, title, author, year, limits):
                if result.status == "failed" and not keep_going:
                    raise InputError(result.path, result.reason, line=result.line)
                results.append(result)
                if progress:
                    progress(result)
        return results

    def _add_file(self, file: Path, title: str | None, author: str | None, year: int | None,
                  limits: Limits) -> Iterator[AddResult]:
        try:
            for key, digest, ex in self._extract_all(file, title, limits):
                if isinstance(ex, InputError):
                    yield AddResult(ex.path or key, "", "failed", "", reason=ex.message, line=ex.line)
                    continue
                if author is not None:
                    ex.author = author
                if year is not None:
                    ex.year = year
                yield self._add_one(key, digest, ex)
        except InputError as err:
            yield AddResult(str(file), "", "failed", "", reason=err.message, line=err.line)

    @staticmethod
    def _extract_all(file: Path, title: str | None, limits: Limits
                     ) -> Iterator[tuple[str, str, Extracted | InputError]]:
        """(path key, sha256, Extracted or the line's error) of each source in ``file``."""
        resolved = str(file.resolve())
        if file.name.lower().endswith(_JSONL):
            if title is not None:
                raise InputError(file, "a title cannot be given for a JSON Lines file")
            for _number, raw, ex in iter_jsonl(file, limits):
                if isinstance(ex, InputError):
                    yield str(file), "", ex
                else:
                    yield f"{resolved}#{ex.title}", hashlib.sha256(raw.strip()).hexdigest(), ex
            return
        try:
            digest = hashlib.sha256(file.read_bytes()).hexdigest()
        except OSError as err:
            raise InputError(file, f"cannot read: {err.strerror}") from None
        ex = extract(file, limits)
        if title is not None:
            ex.title = title
        yield resolved, digest, ex
