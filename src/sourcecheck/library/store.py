"""The library: one SQLite file holding sources, their passages and an FTS5 index.

Every source goes in with its own ``BEGIN IMMEDIATE`` transaction, so an ingest that is
killed keeps the sources it finished and nothing of the one in progress; WAL mode and a
busy timeout let two processes add at once without corrupting the file.
"""

from __future__ import annotations

import bisect
import functools
import hashlib
import json
import re
import sqlite3
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import InputError
from ..limits import DEFAULT as DEFAULT_LIMITS
from ..limits import Limits
from ..records import Citation, Location, Source, SourceRef
from ..text import STOPWORDS
from . import citations
from .extract import SUFFIXES, Extracted, extract, iter_jsonl
from .segment import Passage, make_passages

if TYPE_CHECKING:
    from .vectors import VectorIndex

SCHEMA_VERSION = 1
_SQLITE_MAGIC = b"SQLite format 3\x00"
_JSONL = (".jsonl", ".jsonl.gz")

# Passage texts are not stored twice: the FTS5 index reads them from the source text
# through the ``passage_texts`` view (SQLite's substr counts code points, as Python does),
# so a passage's row is only its offsets. The index is kept in step by _insert_passages
# and _delete (not triggers: a trigger would re-read the whole source text per passage).
_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE IF NOT EXISTS sources (
    id TEXT PRIMARY KEY, title TEXT NOT NULL, author TEXT, year INTEGER, path TEXT,
    sha256 TEXT, calendar TEXT, pages_json TEXT, text TEXT NOT NULL, added_at TEXT);
CREATE INDEX IF NOT EXISTS sources_path ON sources(path);
CREATE INDEX IF NOT EXISTS sources_sha256 ON sources(sha256);
CREATE TABLE IF NOT EXISTS passages (
    id INTEGER PRIMARY KEY, source_id TEXT NOT NULL REFERENCES sources(id),
    start INTEGER NOT NULL, "end" INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS passages_source ON passages(source_id, start);
CREATE VIEW IF NOT EXISTS passage_texts AS
    SELECT p.id AS id, p.source_id AS source_id, p.start AS start, p."end" AS "end",
           substr(s.text, p.start + 1, p."end" - p.start) AS text
    FROM passages p JOIN sources s ON s.id = p.source_id;
CREATE VIRTUAL TABLE IF NOT EXISTS passages_fts USING fts5(
    text, content='passage_texts', content_rowid='id',
    tokenize='porter unicode61 remove_diacritics 2');
"""


@dataclass
class AddResult:
    path: str
    source_id: str
    status: str  # "added" | "unchanged" | "replaced" | "duplicate" (same bytes at another path) | "failed"
    title: str
    reason: str = ""  # why it failed, or which source it duplicates
    line: int | None = None  # the JSON Lines line that failed


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


def _fts_query(query: str) -> str:
    """Words of ``query`` OR-ed, each double-quoted so FTS5 syntax in a claim is inert."""
    words = list(dict.fromkeys(w.lower() for w in re.findall(r"\w+", query)))
    content = [w for w in words if w not in STOPWORDS] or words
    return " OR ".join(f'"{w}"' for w in content)


def _check_is_library(path: Path) -> None:
    """Raise InputError unless ``path`` is a sourcecheck library; never writes to it."""
    try:
        with path.open("rb") as fh:
            magic = fh.read(len(_SQLITE_MAGIC))
    except OSError as err:
        raise InputError(path, f"cannot read library: {err.strerror}") from None
    if magic != _SQLITE_MAGIC:
        raise InputError(path, "not a sourcecheck library (not an SQLite file)")
    _check_not_truncated(path)
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            row = conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        finally:
            conn.close()
    except sqlite3.DatabaseError as err:
        if "malformed" in str(err) or "corrupt" in str(err):
            raise InputError(path, f"the library file is damaged ({err}); restore it from a copy or rebuild it") from None
        row = None
    if row is None:
        raise InputError(path, "not a sourcecheck library (an SQLite file without its tables)")
    if str(row[0]) != str(SCHEMA_VERSION):
        raise InputError(path, f"library schema version {row[0]} is not supported (this sourcecheck reads {SCHEMA_VERSION})")


def _check_not_truncated(path: Path) -> None:
    """A file shorter than its header's page count is damaged (cut by a full disk or a bad copy).

    The header's page count is trusted only when valid (its change counter matches) and no WAL
    file holds newer pages; otherwise SQLite itself reports the damage when it reads.
    """
    with path.open("rb") as fh:
        header = fh.read(100)
    wal = path.with_name(path.name + "-wal")
    if len(header) < 100 or (wal.exists() and wal.stat().st_size > 0):
        return
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    pages = int.from_bytes(header[28:32], "big")
    valid = header[24:28] == header[92:96]
    expected = page_size * pages
    size = path.stat().st_size
    if valid and pages and size < expected:
        raise InputError(path, f"the library file is damaged: truncated ({size} of {expected} bytes); "
                               "restore it from a copy or rebuild it")


class Library:
    """A sourcecheck library file. Use as a context manager or call :meth:`close`."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        if self.path.exists():
            if self.path.is_dir():
                raise InputError(self.path, "is a folder, not a library file")
            _check_is_library(self.path)
        else:
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as err:
                raise InputError(self.path, f"cannot create library folder: {err.strerror}") from None
        try:
            self._conn = sqlite3.connect(str(self.path), isolation_level=None, timeout=30)
            self._conn.execute("PRAGMA busy_timeout = 30000")
            self._conn.execute("PRAGMA journal_mode = WAL")
            # Safe with WAL: a killed process loses nothing committed; only a power cut
            # may lose the last commits. Saves an fsync per source on big ingests.
            self._conn.execute("PRAGMA synchronous = NORMAL")
            self._conn.execute("PRAGMA foreign_keys = ON")
            self._conn.execute("BEGIN IMMEDIATE")
            for statement in _SCHEMA.split(";"):  # no ';' inside any statement
                if statement.strip():
                    self._conn.execute(statement)
            self._conn.execute(
                "INSERT OR IGNORE INTO meta(key, value) VALUES ('schema_version', ?)", (str(SCHEMA_VERSION),)
            )
            self._conn.execute("COMMIT")
        except sqlite3.Error as err:
            raise InputError(self.path, f"cannot open library: {err}") from None

    # -- context manager ---------------------------------------------------------------
    @property
    def connection(self) -> sqlite3.Connection:
        """The open SQLite connection, for modules that keep their own tables in the library file
        (the quotation index, the vectors); they write one source per transaction too."""
        return self._conn

    @functools.cached_property
    def vectors(self) -> VectorIndex:
        """This library's passage vectors in memory, loaded on first use and kept while it is open
        (the index reloads itself when the table grows): state on the library, not a global table."""
        from .vectors import VectorIndex

        return VectorIndex(self)

    def close(self) -> None:
        self._conn.close()

    def __enter__(self) -> Library:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- reading -----------------------------------------------------------------------
    _COLUMNS = "id, title, author, year, path, sha256, text, calendar, pages_json"

    @staticmethod
    def _source(row: tuple) -> Source:
        *head, pages_json = row
        return Source(*head, pages=json.loads(pages_json or "[]"))

    def sources(self) -> list[Source]:
        rows = self._conn.execute(f"SELECT {self._COLUMNS} FROM sources ORDER BY id").fetchall()
        return [self._source(r) for r in rows]

    def refs(self) -> list[SourceRef]:
        """Every source's reference, without loading texts."""
        rows = self._conn.execute("SELECT id, title, author, year FROM sources ORDER BY id")
        return [SourceRef(*r) for r in rows]

    def get(self, source_id: str) -> Source | None:
        row = self._conn.execute(f"SELECT {self._COLUMNS} FROM sources WHERE id = ?", (source_id,)).fetchone()
        return self._source(row) if row else None

    def find_source(self, ref: str) -> Source | None:
        """A source by id, exact title (case-insensitive) or original file path."""
        found = self.get(ref)
        if found:
            return found
        row = self._conn.execute(
            "SELECT id FROM sources WHERE lower(title) = lower(?) ORDER BY id", (ref,)
        ).fetchone()
        if row is None:
            try:
                resolved = str(Path(ref).resolve())
            except (OSError, ValueError):
                resolved = ref
            row = self._conn.execute(
                "SELECT id FROM sources WHERE path IN (?, ?) ORDER BY id", (ref, resolved)
            ).fetchone()
        return self.get(row[0]) if row else None

    def match_citation(self, citation: Citation) -> SourceRef | None:
        return citations.match_citation(citation, self.refs())

    def passages(self, source_id: str) -> list[Passage]:
        rows = self._conn.execute(
            'SELECT source_id, start, "end", text FROM passage_texts WHERE source_id = ? ORDER BY start',
            (source_id,),
        )
        return [Passage(*r) for r in rows]

    def search(
        self, query: str, k: int = 10, source_ids: list[str] | None = None
    ) -> list[tuple[Passage, float]]:
        """Best ``k`` passages by BM25 (higher score is better), optionally within sources."""
        match = _fts_query(query)
        if not match or k <= 0:
            return []
        sql = (
            'SELECT p.source_id, p.start, p."end", p.text, -bm25(passages_fts) AS score '
            "FROM passages_fts JOIN passage_texts p ON p.id = passages_fts.rowid "
            "WHERE passages_fts MATCH ?"
        )
        params: list[object] = [match]
        if source_ids is not None:
            if not source_ids:
                return []
            sql += f" AND p.source_id IN ({', '.join('?' * len(source_ids))})"
            params += list(source_ids)
        sql += " ORDER BY bm25(passages_fts) LIMIT ?"
        params.append(k)
        return [(Passage(*r[:4]), r[4]) for r in self._conn.execute(sql, params)]

    def location(self, source: Source, start: int, end: int) -> Location:
        return locate_offsets(source, start, end)

    # -- writing -----------------------------------------------------------------------
    def remove(self, ref: str) -> SourceRef:
        """Remove a source named by id or exact title; InputError if there is none."""
        source = self.get(ref)
        if source is None:
            row = self._conn.execute(
                "SELECT id FROM sources WHERE lower(title) = lower(?) ORDER BY id", (ref,)
            ).fetchone()
            source = self.get(row[0]) if row else None
        if source is None:
            raise InputError(self.path, f"no source {ref!r} in the library")
        with self._transaction():
            self._delete(source.id)
        return source.ref()

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
        self.check_integrity()
        path = Path(path)
        if not path.exists():
            raise InputError(path, "no such file or folder")
        if path.is_dir():
            if title is not None:
                raise InputError(path, "a title can only be given for a single file")
            files = sorted(
                p for p in path.rglob("*")
                if p.is_file() and _is_source_name(p.name) and not p.name.startswith(".")
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

    def check_integrity(self) -> None:
        """Refuse to write into a library whose pages are damaged (it used to take writes, exit 0)."""
        try:
            row = self._conn.execute("PRAGMA quick_check(1)").fetchone()
        except sqlite3.DatabaseError as err:
            row = (str(err),)
        if row is None or row[0] != "ok":
            detail = " ".join(str(row[0]).replace("*", " ").split())[:160] if row else "unreadable"  # one line
            raise InputError(self.path, f"the library file is damaged ({detail}); restore it from a copy or rebuild it")

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

    def _extract_all(self, file: Path, title: str | None, limits: Limits
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

    def _add_one(self, key: str, digest: str, ex: Extracted) -> AddResult:
        title = ex.title or "Untitled"
        wanted = (digest, title, ex.author, ex.year)
        sql = "SELECT id, sha256, title, author, year FROM sources WHERE path = ?"
        old = self._conn.execute(sql, (key,)).fetchone()
        if old and tuple(old[1:]) == wanted:  # same bytes and same metadata
            return AddResult(key, old[0], "unchanged", title)
        if old is None:  # the same bytes under another path: one source, not two that tie in every search
            twin = self._conn.execute("SELECT id, path FROM sources WHERE sha256 = ? LIMIT 1", (digest,)).fetchone()
            if twin:
                return AddResult(key, twin[0], "duplicate", title, reason=f"same content as {twin[0]} ({twin[1]})")
        with self._transaction():
            # Re-read inside the write lock: another process may have added it meanwhile.
            old = self._conn.execute(sql, (key,)).fetchone()
            if old and tuple(old[1:]) == wanted:
                return AddResult(key, old[0], "unchanged", title)
            if old:
                self._delete(old[0])
            source_id = self._unique_id(slugify(title))
            self._conn.execute(
                "INSERT INTO sources(id, title, author, year, path, sha256, calendar, pages_json, text, added_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (source_id, title, ex.author, ex.year, key, digest, ex.calendar, json.dumps(ex.pages),
                 ex.text, datetime.now(timezone.utc).isoformat(timespec="seconds")),
            )
            self._insert_passages(source_id, make_passages(source_id, ex.text))
        return AddResult(key, source_id, "replaced" if old else "added", title)

    def _insert_passages(self, source_id: str, passages: list[Passage]) -> None:
        for p in passages:
            cur = self._conn.execute(
                'INSERT INTO passages(source_id, start, "end") VALUES (?, ?, ?)', (source_id, p.start, p.end)
            )
            self._conn.execute("INSERT INTO passages_fts(rowid, text) VALUES (?, ?)", (cur.lastrowid, p.text))

    def _delete(self, source_id: str) -> None:
        row = self._conn.execute("SELECT text FROM sources WHERE id = ?", (source_id,)).fetchone()
        if row is not None:
            text = row[0]
            spans = self._conn.execute(
                'SELECT id, start, "end" FROM passages WHERE source_id = ?', (source_id,)
            ).fetchall()
            # External-content FTS5 forgets a row only when told its old text.
            self._conn.executemany(
                "INSERT INTO passages_fts(passages_fts, rowid, text) VALUES ('delete', ?, ?)",
                ((pid, text[start:end]) for pid, start, end in spans),
            )
        self._conn.execute("DELETE FROM passages WHERE source_id = ?", (source_id,))
        self._conn.execute("DELETE FROM sources WHERE id = ?", (source_id,))

    def _unique_id(self, base: str) -> str:
        candidate, n = base, 1
        while self._conn.execute("SELECT 1 FROM sources WHERE id = ?", (candidate,)).fetchone():
            n += 1
            candidate = f"{base}-{n}"
        return candidate

    def _transaction(self) -> _Transaction:
        return _Transaction(self._conn)


class _Transaction:
    """``BEGIN IMMEDIATE`` ... ``COMMIT``, or ``ROLLBACK`` on any exception."""

    def __init__(self, conn: sqlite3.Connection):
        self.conn = conn

    def __enter__(self) -> None:
        self.conn.execute("BEGIN IMMEDIATE")

    def __exit__(self, exc_type: object, *rest: object) -> None:
        self.conn.execute("ROLLBACK" if exc_type else "COMMIT")


def _is_source_name(name: str) -> bool:
    lower = name.lower()
    return lower.endswith(SUFFIXES) or lower.endswith(_JSONL)
