"""The SQLite store: one file holding sources, passages, an FTS5 index, the quotation index and vectors.

Every source goes in with its own ``BEGIN IMMEDIATE`` transaction, so an ingest that is
killed keeps the sources it finished and nothing of the one in progress; WAL mode and a
busy timeout let two processes add at once without corrupting the file. A store opened
read-only (``mode=ro``) never changes the file: ``check``, ``quote`` and ``find`` open it so; only a
write left unfinished by a killed process is rolled back first (``_roll_back_hot_journal``).
"""

from __future__ import annotations

import contextlib
import re
import sqlite3
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from ..errors import InputError
from ..records import Source
from .base import StoreBase, query_words
from .protocol import QuoteChunk, VectorRows
from .segment import Passage
from .vectors import VectorIndex

SCHEMA_VERSION = 1
_SQLITE_MAGIC = b"SQLite format 3\x00"

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
CREATE TABLE IF NOT EXISTS passage_vectors (
    passage_id INTEGER PRIMARY KEY REFERENCES passages(id) ON DELETE CASCADE,
    source_id TEXT NOT NULL, scale REAL NOT NULL, vec BLOB NOT NULL);
CREATE INDEX IF NOT EXISTS passage_vectors_source ON passage_vectors(source_id);
CREATE TABLE IF NOT EXISTS vector_sources (
    source_id TEXT PRIMARY KEY REFERENCES sources(id) ON DELETE CASCADE,
    sha256 TEXT, model TEXT NOT NULL, dim INTEGER NOT NULL, n INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS citation_keys (
    key TEXT PRIMARY KEY, source_id TEXT REFERENCES sources(id) ON DELETE SET NULL,
    entry_json TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS quote_index_sources (
    source_id TEXT PRIMARY KEY, sha256 TEXT, length INTEGER);
CREATE TABLE IF NOT EXISTS quote_chunks (
    id INTEGER PRIMARY KEY AUTOINCREMENT, source_id TEXT NOT NULL,
    start INTEGER NOT NULL, "end" INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS quote_chunks_source ON quote_chunks(source_id);
CREATE VIRTUAL TABLE IF NOT EXISTS quote_chunks_fts USING fts5(
    text, content='', detail='none', tokenize='unicode61 remove_diacritics 0')
"""
# Vectors reference the store's rows with ON DELETE CASCADE (foreign keys are on), so removing
# or replacing a source drops its vectors. The quotation index is contentless FTS5 with
# ``detail=none`` (rowids only, a fraction of the text's size); AUTOINCREMENT because such a table
# (SQLite < 3.43) cannot forget a row without its old text, so rows of removed sources stay in it,
# and never reusing a chunk id keeps those stale rows pointing at nothing instead of a new chunk.
_QUOTE_TABLES = ("quote_chunks_fts", "quote_chunks", "quote_index_sources")


def _check_is_library(path: Path) -> None:
    """Raise InputError unless ``path`` is a sourcecheck library; writes to it only to finish rolling
    back a write a stopped process left unfinished (what SQLite's own next open would do)."""
    try:
        with path.open("rb") as fh:
            magic = fh.read(len(_SQLITE_MAGIC))
    except OSError as err:
        raise InputError(path, f"cannot read library: {err.strerror}") from None
    if magic != _SQLITE_MAGIC:
        raise InputError(path, "not a sourcecheck library (not an SQLite file)")
    _roll_back_hot_journal(path)  # first: a killed writer's pages are in the file until it is played back
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


def _roll_back_hot_journal(path: Path) -> None:
    """Roll back a write that a stopped process left unfinished, before any read-only open.

    A writer killed mid-transaction in rollback-journal mode (the library's mode at rest) leaves
    ``library.db-journal`` beside the file: a "hot" journal, which SQLite must play back before anyone
    reads. A read-only open (``mode=ro``) cannot, and fails as if the file had no tables, which would
    misname a whole library. One read-write open plays it back: the file is again as at its last commit.
    A journal that is empty, or held by a writer still running, is not hot, and this open changes nothing.
    """
    journal = path.with_name(path.name + "-journal")
    try:
        if journal.stat().st_size == 0:
            return
    except OSError:  # no journal: the usual case
        return
    try:
        conn = sqlite3.connect(str(path), timeout=30)
        try:
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        finally:
            conn.close()
    except sqlite3.DatabaseError as err:
        if "malformed" in str(err) or "corrupt" in str(err):
            raise InputError(path, f"the library file is damaged ({err}); restore it from a copy or rebuild it") from None
        raise InputError(path, f"a write to this library was left unfinished ({journal.name}) and could not be "
                               f"rolled back ({err}); run any sourcecheck command on it once as a user who may "
                               f"write to {path.parent}") from None


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


class SQLiteStore(StoreBase):
    """A sourcecheck library file. Use as a context manager or call :meth:`close`."""

    def __init__(self, path: str | Path, *, read_only: bool = False):
        self.path = Path(path)
        self.name = str(self.path)
        self.read_only = read_only
        self._vectors = VectorIndex()
        if self.path.exists():
            if self.path.is_dir():
                raise InputError(self.path, "is a folder, not a library file")
            _check_is_library(self.path)
        elif read_only:
            raise InputError(self.path, "no library here; add sources first with `sourcecheck add PATH`")
        else:
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as err:
                raise InputError(self.path, f"cannot create library folder: {err.strerror}") from None
        try:
            if read_only:
                self._conn = sqlite3.connect(f"{self.path.resolve().as_uri()}?mode=ro", uri=True,
                                             isolation_level=None, timeout=30)
                self._conn.execute("PRAGMA busy_timeout = 30000")
                self._stand_in_for_missing_tables()
                return
            self._conn = sqlite3.connect(str(self.path), isolation_level=None, timeout=30)
            self._conn.execute("PRAGMA busy_timeout = 30000")
            self._conn.execute("PRAGMA journal_mode = WAL")
            # Safe with WAL: a killed process loses nothing committed; only a power cut
            # may lose the last commits. Saves an fsync per source on big ingests.
            self._conn.execute("PRAGMA synchronous = NORMAL")
            self._conn.execute("PRAGMA foreign_keys = ON")
            with self._write():
                self._create_schema()
            self._tables = {r[0] for r in self._conn.execute("SELECT name FROM sqlite_master")}
        except sqlite3.Error as err:
            raise InputError(self.path, f"cannot open library: {err}") from None

    def _create_schema(self) -> None:
        for statement in _SCHEMA.split(";"):  # no ';' inside any statement
            if statement.strip():
                self._conn.execute(statement)
        self._conn.execute(
            "INSERT OR IGNORE INTO meta(key, value) VALUES ('schema_version', ?)", (str(SCHEMA_VERSION),)
        )

    def _stand_in_for_missing_tables(self) -> None:
        """Empty TEMP tables for the caches an older file lacks (vectors, quotation index), so a
        read-only store reads "nothing indexed" from them and writes nothing to the file."""
        have = {r[0] for r in self._conn.execute("SELECT name FROM sqlite_master")}
        for statement in _SCHEMA.split(";"):
            m = re.match(r"\s*CREATE (VIRTUAL )?TABLE IF NOT EXISTS (\w+)", statement)
            if m and m.group(2) not in have:
                self._conn.execute(statement.replace(f"EXISTS {m.group(2)}", f"EXISTS temp.{m.group(2)}", 1))

    def _rows(self, sql: str, params: Sequence = ()) -> list[tuple]:
        return self._conn.execute(sql, params).fetchall()

    def close(self) -> None:
        if not self.read_only:
            # Back to a single file at rest, so a read-only open (mode=ro) needs no -wal/-shm
            # files beside it; refused (and harmless) while another connection has it open.
            with contextlib.suppress(sqlite3.Error):
                self._conn.execute("PRAGMA journal_mode = DELETE")
        self._conn.close()

    def revision(self) -> tuple:
        """Changes whenever a source is added, replaced or removed: each such write bumps a counter."""
        return tuple(self._conn.execute(
            "SELECT count(*), (SELECT coalesce(max(value), 0) FROM meta WHERE key = 'revision') FROM sources").fetchone())

    def _bump_revision(self) -> None:
        self._conn.execute("INSERT INTO meta(key, value) VALUES ('revision', 1) "
                           "ON CONFLICT(key) DO UPDATE SET value = value + 1")

    def stats(self) -> dict[str, int]:
        one = lambda sql: self._conn.execute(sql).fetchone()[0]
        return {"sources": one("SELECT count(*) FROM sources"), "passages": one("SELECT count(*) FROM passages"),
                "characters": one("SELECT coalesce(sum(length(text)), 0) FROM sources"),
                "vectors": self.vector_count()}

    def passage_ids(self, source_id: str) -> list[tuple[int, Passage]]:
        rows = self._conn.execute(
            'SELECT id, source_id, start, "end", text FROM passage_texts WHERE source_id = ? ORDER BY start',
            (source_id,),
        )
        return [(r[0], Passage(*r[1:])) for r in rows]

    def passages_by_id(self, ids: Sequence[int]) -> dict[int, Passage]:
        ids = list(ids)
        if not ids:
            return {}
        rows = self._conn.execute(
            f'SELECT id, source_id, start, "end", text FROM passage_texts WHERE id IN ({",".join("?" * len(ids))})',
            ids)
        return {r[0]: Passage(*r[1:]) for r in rows}

    def search(
        self, query: str, k: int = 10, source_ids: list[str] | None = None
    ) -> list[tuple[Passage, float]]:
        """Best ``k`` passages by BM25 (higher score is better), optionally within sources."""
        # Each word double-quoted, so FTS5 syntax in a claim is inert.
        match = " OR ".join(f'"{w}"' for w in query_words(query))
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

    # -- writing -----------------------------------------------------------------------
    def _insert_source(self, s: Source, added_at: str | None) -> None:
        self._bump_revision()
        super()._insert_source(s, added_at)

    def _insert_passages(self, source_id: str, passages: list[Passage]) -> list[int]:
        ids = []
        for p in passages:
            cur = self._conn.execute(
                'INSERT INTO passages(source_id, start, "end") VALUES (?, ?, ?)', (source_id, p.start, p.end)
            )
            self._conn.execute("INSERT INTO passages_fts(rowid, text) VALUES (?, ?)", (cur.lastrowid, p.text))
            ids.append(cur.lastrowid or 0)  # always set after an INSERT
        return ids

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
        if self._conn.execute("DELETE FROM sources WHERE id = ?", (source_id,)).rowcount:
            self._bump_revision()

    def _write(self) -> _Transaction:
        self._refuse_write()
        return _Transaction(self._conn)

    def check_integrity(self) -> None:
        """Refuse to write into a library whose pages are damaged (it used to take writes, exit 0)."""
        try:
            row = self._conn.execute("PRAGMA quick_check(1)").fetchone()
        except sqlite3.DatabaseError as err:
            row = (str(err),)
        if row is None or row[0] != "ok":
            detail = " ".join(str(row[0]).replace("*", " ").split())[:160] if row else "unreadable"  # one line
            raise InputError(self.path, f"the library file is damaged ({detail}); restore it from a copy or rebuild it")

    def fts_intact(self) -> bool:
        """FTS5's own check that the full-text index agrees with the passage texts."""
        try:
            self._conn.execute("INSERT INTO passages_fts(passages_fts, rank) VALUES ('integrity-check', 1)")
        except sqlite3.DatabaseError:
            return False
        return True

    # -- the quotation index -------------------------------------------------------------
    def quote_index_write(self, forget: Sequence[str], put: Sequence[tuple[Source, list[QuoteChunk]]],
                          rebuild: bool = False) -> None:
        """Forget sources' chunks and write others', in one transaction (``rebuild``: drop all first)."""
        with self._write():
            if rebuild:
                for table in _QUOTE_TABLES:
                    self._conn.execute(f"DROP TABLE IF EXISTS {table}")
                self._create_schema()
            for sid in forget:
                self._conn.execute("DELETE FROM quote_chunks WHERE source_id = ?", (sid,))
                self._conn.execute("DELETE FROM quote_index_sources WHERE source_id = ?", (sid,))
            for source, chunks in put:
                self._conn.execute("DELETE FROM quote_chunks WHERE source_id = ?", (source.id,))
                for c in chunks:
                    cur = self._conn.execute('INSERT INTO quote_chunks(source_id, start, "end") VALUES (?, ?, ?)',
                                             (source.id, c.start, c.end))
                    self._conn.execute("INSERT INTO quote_chunks_fts(rowid, text) VALUES (?, ?)",
                                       (cur.lastrowid, c.words))
                self._conn.execute("INSERT OR REPLACE INTO quote_index_sources VALUES (?, ?, ?)",
                                   (source.id, source.sha256, len(source.text)))

    def quote_candidates(self, words: Sequence[str], limit: int) -> list[tuple[str, int, int]]:
        """(source id, start, end) of chunks holding every one of ``words`` (folded), at most ``limit``."""
        if not words:
            return []
        query = " AND ".join(f'"{w}"' for w in words)
        return [tuple(r) for r in self._conn.execute(
            'SELECT c.source_id, c.start, c."end" FROM quote_chunks_fts f '
            "JOIN quote_chunks c ON c.id = f.rowid WHERE quote_chunks_fts MATCH ? LIMIT ?",
            (query, limit),
        )]

    # -- vectors -------------------------------------------------------------------------
    def _write_vectors(self, source_id: str, model: str, sha256: str | None, rows: VectorRows) -> None:
        if sha256 is None:
            sha256 = self._one("SELECT sha256 FROM sources WHERE id = ?", (source_id,))
        self._conn.execute("DELETE FROM passage_vectors WHERE source_id = ?", (source_id,))
        self._conn.executemany(
            "INSERT OR REPLACE INTO passage_vectors(passage_id, source_id, scale, vec) VALUES (?, ?, ?, ?)",
            ((int(pid), source_id, float(s), v.tobytes()) for pid, s, v in zip(rows.passage_ids, rows.scale, rows.vecs)))
        dim = int(rows.vecs.shape[1]) if rows.vecs.ndim == 2 and len(rows.vecs) else VectorIndex.DIM
        self._conn.execute("INSERT OR REPLACE INTO vector_sources(source_id, sha256, model, dim, n) VALUES (?, ?, ?, ?, ?)",
                           (source_id, sha256, model, dim, len(rows.passage_ids)))

    def vector_search(self, query: np.ndarray, k: int,
                      source_ids: Sequence[str] | None = None) -> list[tuple[int, float]]:
        """(passage id, cosine) of the ``k`` nearest passages: exact, with numpy over the int8 rows."""
        return self._numpy_vector_search(query, k, source_ids)


class _Transaction:
    """``BEGIN IMMEDIATE`` ... ``COMMIT``, or ``ROLLBACK`` on any exception."""

    def __init__(self, conn: sqlite3.Connection):
        self.conn = conn

    def __enter__(self) -> None:
        self.conn.execute("BEGIN IMMEDIATE")

    def __exit__(self, exc_type: object, *rest: object) -> None:
        self.conn.execute("ROLLBACK" if exc_type else "COMMIT")
