"""The PostgreSQL store: one library shared by many people on a database server.

The same tables as the SQLite store, in PostgreSQL's terms:

- full-text search is a ``tsvector`` per passage (the ``english`` configuration: Snowball stems,
  where FTS5 has Porter's) with a GIN index; the ranking is BM25 computed in SQL with FTS5's
  constants (k1 = 1.2, b = 0.75, the same IDF), because PostgreSQL's own ``ts_rank`` has no IDF and
  ranks long common passages first (recall against SQLite is measured in BENCHMARKS.md);
- quotation candidates come from the same folded-chunk index as SQLite's (not pg_trgm: trigrams
  of a folded quotation would match far more chunks, and the chunks' words are what FTS5 matches),
  as a stripped ``simple`` tsvector with GIN, queried with AND;
- vectors are int8 rows as in SQLite, plus a pgvector column with an HNSW index where the server
  has the ``vector`` extension; without it they are ranked exactly with numpy as SQLite ranks them.

Every source goes in with one transaction holding one advisory lock (what ``BEGIN IMMEDIATE`` is
to SQLite), so two writers never leave a half-added source, nor both take the same id. A store
opened read-only runs every statement in read-only transactions.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

import numpy as np

from ..errors import InputError
from ..records import Source
from .base import StoreBase, query_words
from .protocol import QuoteChunk, VectorRows
from .segment import Passage
from .vectors import VectorIndex

SCHEMA_VERSION = 1
_WRITE_LOCK = 0x5C0C  # pg_advisory_xact_lock key: one writing transaction at a time, as in SQLite
K1, B = 1.2, 0.75  # FTS5's bm25() constants

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE IF NOT EXISTS sources (
    seq BIGSERIAL UNIQUE, id TEXT PRIMARY KEY, title TEXT NOT NULL, author TEXT, year INTEGER, path TEXT,
    sha256 TEXT, calendar TEXT, pages_json TEXT, text TEXT NOT NULL, added_at TEXT);
CREATE INDEX IF NOT EXISTS sources_path ON sources(path);
CREATE TABLE IF NOT EXISTS passages (
    id BIGSERIAL PRIMARY KEY, source_id TEXT NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
    start INTEGER NOT NULL, "end" INTEGER NOT NULL, ntok INTEGER NOT NULL, text TEXT NOT NULL,
    tsv tsvector NOT NULL);
CREATE INDEX IF NOT EXISTS passages_source ON passages(source_id, start);
CREATE INDEX IF NOT EXISTS passages_tsv ON passages USING gin(tsv) WITH (fastupdate = off);
CREATE TABLE IF NOT EXISTS passage_vectors (
    passage_id BIGINT PRIMARY KEY REFERENCES passages(id) ON DELETE CASCADE,
    source_id TEXT NOT NULL, scale REAL NOT NULL, vec BYTEA NOT NULL);
CREATE INDEX IF NOT EXISTS passage_vectors_source ON passage_vectors(source_id);
CREATE TABLE IF NOT EXISTS vector_sources (
    source_id TEXT PRIMARY KEY REFERENCES sources(id) ON DELETE CASCADE,
    sha256 TEXT, model TEXT NOT NULL, dim INTEGER NOT NULL, n INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS citation_keys (
    key TEXT PRIMARY KEY, source_id TEXT REFERENCES sources(id) ON DELETE SET NULL,
    entry_json TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS quote_index_sources (
    source_id TEXT PRIMARY KEY REFERENCES sources(id) ON DELETE CASCADE, sha256 TEXT, length INTEGER);
CREATE TABLE IF NOT EXISTS quote_chunks (
    id BIGSERIAL PRIMARY KEY, source_id TEXT NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
    start INTEGER NOT NULL, "end" INTEGER NOT NULL, words tsvector NOT NULL);
CREATE INDEX IF NOT EXISTS quote_chunks_source ON quote_chunks(source_id);
CREATE INDEX IF NOT EXISTS quote_chunks_words ON quote_chunks USING gin(words) WITH (fastupdate = off)
"""
# GIN indexes with fastupdate off: the pending list a bulk ingest leaves behind is scanned whole by
# every query until a vacuum merges it (BM25 p50 95 ms against 47 ms on 28,000 passages).
_PGVECTOR = f"""
ALTER TABLE passage_vectors ADD COLUMN IF NOT EXISTS emb vector({VectorIndex.DIM});
CREATE INDEX IF NOT EXISTS passage_vectors_hnsw ON passage_vectors USING hnsw (emb vector_cosine_ops)
"""

# BM25 over the passages matching any query lexeme: tf from each lexeme's positions, document
# length in words, IDF over the matching passages (every passage holding a term is among them).
# Passages keep their own text here (SQLite reads them from the source's): substr() on a UTF-8
# text reads it from its start, and slicing a query's 100 passages out of long articles cost 45 ms.
# The tsquery comes in as a constant (made by _LEXEMES first): as a subquery the planner could not
# estimate it and scanned every passage instead of the GIN index.
_LEXEMES = ("SELECT coalesce(array_agg(lexeme), '{}'), coalesce(string_agg(quote_literal(lexeme), ' | '), '') "
            "FROM unnest(to_tsvector('english', %s))")
_BM25 = f"""
WITH cand AS (SELECT p.id, p.source_id, p.start, p."end", p.ntok, p.tsv FROM passages p
              WHERE p.tsv @@ %(query)s::tsquery),
terms AS (SELECT c.id, u.lexeme, array_length(u.positions, 1) AS tf
          FROM cand c, unnest(c.tsv) u WHERE u.lexeme = ANY(%(lexemes)s::text[])),
df AS (SELECT lexeme, count(*) AS n FROM terms GROUP BY lexeme),
scored AS (SELECT t.id, sum(greatest(ln((%(n)s::float8 - df.n + 0.5) / (df.n + 0.5)), 1e-6)
                           * t.tf * {K1 + 1} / (t.tf + {K1} * ({1 - B} + {B} * c.ntok / %(avgdl)s::float8))) AS score
           FROM terms t JOIN df USING (lexeme) JOIN cand c ON c.id = t.id
           WHERE %(sids)s::text[] IS NULL OR c.source_id = ANY(%(sids)s::text[]) GROUP BY t.id),
top AS (SELECT id, score FROM scored ORDER BY score DESC, id LIMIT %(k)s)
SELECT p.source_id, p.start, p."end", p.text, top.score
FROM top JOIN passages p ON p.id = top.id ORDER BY top.score DESC, top.id
"""


def _driver():
    try:
        import psycopg
    except ImportError:
        raise InputError(None, "a PostgreSQL library needs its driver: pip install 'sourcecheck[postgres]'") from None
    return psycopg


def public_name(url: str) -> str:
    """The URL without its password, for reports and messages."""
    return re.sub(r"://([^:/@]+):[^@]*@", r"://\1@", url)


class PostgresStore(StoreBase):
    """A library in a PostgreSQL database (``postgresql://user@host:port/db``)."""

    def __init__(self, url: str, *, read_only: bool = False, must_exist: bool = False,
                 pgvector: bool | None = None):
        """``pgvector``: None uses the extension where the server has it; False never does."""
        psycopg = _driver()
        self.name = public_name(url)
        self.read_only = read_only
        self._vectors = VectorIndex()
        self._corpus: tuple | None = None  # (revision, passages, mean length) for BM25
        try:
            self._conn = psycopg.connect(url, autocommit=True,
                                         options="-c default_transaction_read_only=on" if read_only else None)
        except psycopg.Error as err:
            raise InputError(self.name, f"cannot connect to the library: {str(err).strip().splitlines()[0]}") from None
        self._psycopg = psycopg
        try:
            exists = self._one("SELECT to_regclass('meta') IS NOT NULL")
            version = self._one("SELECT value FROM meta WHERE key = 'schema_version'") if exists else None
            if version is None:
                if read_only or must_exist:
                    raise InputError(self.name, "no library here; add sources first with `sourcecheck add PATH`")
                self._create_schema(pgvector)
            elif str(version) != str(SCHEMA_VERSION):
                raise InputError(self.name, f"library schema version {version} is not supported "
                                            f"(this sourcecheck reads {SCHEMA_VERSION})")
            self.pgvector = self._one("SELECT value FROM meta WHERE key = 'vectors'") == "pgvector"
        except psycopg.Error as err:
            self._conn.close()
            raise InputError(self.name, f"cannot open library: {str(err).strip().splitlines()[0]}") from None
        except InputError:
            self._conn.close()
            raise

    def _rows(self, sql: str, params: Sequence = ()) -> list[tuple]:
        cur = self._conn.execute(sql.replace("?", "%s"), tuple(params) or None)
        return cur.fetchall() if cur.description else []

    def _create_schema(self, pgvector: bool | None) -> None:
        with self._write():
            for statement in _SCHEMA.split(";"):
                self._conn.execute(statement)
            use = False
            if pgvector is not False:
                try:
                    with self._conn.transaction():  # a savepoint: a refusal leaves the rest standing
                        self._conn.execute("CREATE EXTENSION IF NOT EXISTS vector")
                        for statement in _PGVECTOR.split(";"):
                            self._conn.execute(statement)
                    use = True
                except self._psycopg.Error:
                    if pgvector:
                        raise
            self._conn.execute("INSERT INTO meta VALUES ('schema_version', %s), ('vectors', %s) ON CONFLICT DO NOTHING",
                               (str(SCHEMA_VERSION), "pgvector" if use else "array"))

    @contextmanager
    def _write(self) -> Iterator[None]:
        """One transaction, holding the library's write lock until it commits or rolls back."""
        self._refuse_write()
        with self._conn.transaction():
            self._conn.execute("SELECT pg_advisory_xact_lock(%s)", (_WRITE_LOCK,))
            yield

    def close(self) -> None:
        self._conn.close()

    # -- reading -----------------------------------------------------------------------
    def revision(self) -> tuple:
        """Changes whenever a source is added, replaced or removed (``seq`` only grows)."""
        return tuple(self._conn.execute("SELECT count(*), coalesce(max(seq), 0) FROM sources").fetchone())

    def stats(self) -> dict[str, int]:
        n, chars = self._conn.execute("SELECT count(*), coalesce(sum(length(text)), 0) FROM sources").fetchone()
        return {"sources": n, "passages": self._one("SELECT count(*) FROM passages"), "characters": int(chars),
                "vectors": self.vector_count()}

    def passage_ids(self, source_id: str) -> list[tuple[int, Passage]]:
        rows = self._conn.execute(
            'SELECT id, source_id, start, "end", text FROM passages WHERE source_id = %s ORDER BY start', (source_id,))
        return [(r[0], Passage(*r[1:])) for r in rows]

    def passages_by_id(self, ids: Sequence[int]) -> dict[int, Passage]:
        rows = self._conn.execute(
            'SELECT id, source_id, start, "end", text FROM passages WHERE id = ANY(%s)', ([int(i) for i in ids],))
        return {r[0]: Passage(*r[1:]) for r in rows}

    def search(self, query: str, k: int = 10, source_ids: list[str] | None = None) -> list[tuple[Passage, float]]:
        """Best ``k`` passages by BM25 (higher score is better), optionally within sources."""
        # Only letters and digits reach the query parser: a claim's punctuation is inert.
        words = [w for w in query_words(query) if re.fullmatch(r"[^\W_]+", w)]
        if not words or k <= 0 or (source_ids is not None and not source_ids):
            return []
        revision = self.revision()
        if self._corpus is None or self._corpus[0] != revision:
            n, avgdl = self._conn.execute("SELECT count(*), coalesce(avg(ntok), 1) FROM passages").fetchone()
            self._corpus = (revision, int(n), float(avgdl) or 1.0)
        _, n, avgdl = self._corpus
        lexemes, tsquery = self._conn.execute(_LEXEMES, (" ".join(words),)).fetchone()
        if not lexemes:  # only stop words
            return []
        with self._conn.transaction():
            # The planner prices a tsvector match at one comparison and so scans every passage
            # (50 ms at 28,000); through the GIN index the same query reads only the matches.
            self._conn.execute("SET LOCAL enable_seqscan = off")
            rows = self._conn.execute(_BM25, {"query": tsquery, "lexemes": lexemes, "n": n, "avgdl": avgdl, "k": k,
                                              "sids": list(source_ids) if source_ids is not None else None}).fetchall()
        return [(Passage(*r[:4]), float(r[4])) for r in rows]

    # -- writing -----------------------------------------------------------------------
    def _delete(self, source_id: str) -> None:
        self._rows("DELETE FROM sources WHERE id = ?", (source_id,))  # passages, vectors, chunks cascade

    def _insert_passages(self, source_id: str, passages: list[Passage]) -> list[int]:
        if not passages:
            return []
        with self._conn.cursor() as cur:
            cur.executemany(
                'INSERT INTO passages(source_id, start, "end", ntok, text, tsv) '
                "VALUES (%s, %s, %s, %s, %s, to_tsvector('english', %s)) RETURNING id",
                [(source_id, p.start, p.end, len(re.findall(r"\w+", p.text)), p.text, p.text) for p in passages],
                returning=True)
            ids = []
            while True:
                ids.append(cur.fetchone()[0])
                if not cur.nextset():
                    break
        return ids

    # -- the quotation index -------------------------------------------------------------
    def quote_index_write(self, forget: Sequence[str], put: Sequence[tuple[Source, list[QuoteChunk]]],
                          rebuild: bool = False) -> None:
        with self._write():
            if rebuild:
                self._conn.execute("TRUNCATE quote_chunks, quote_index_sources")
            gone = list(forget) + [s.id for s, _ in put]
            self._conn.execute("DELETE FROM quote_chunks WHERE source_id = ANY(%s)", (gone,))
            self._conn.execute("DELETE FROM quote_index_sources WHERE source_id = ANY(%s)", (gone,))
            with self._conn.cursor() as cur:
                cur.executemany('INSERT INTO quote_chunks(source_id, start, "end", words) '
                                "VALUES (%s, %s, %s, strip(to_tsvector('simple', %s)))",
                                [(s.id, c.start, c.end, c.words) for s, chunks in put for c in chunks])
                cur.executemany("INSERT INTO quote_index_sources VALUES (%s, %s, %s)",
                                [(s.id, s.sha256, len(s.text)) for s, _ in put])

    def quote_candidates(self, words: Sequence[str], limit: int) -> list[tuple[str, int, int]]:
        if not words:
            return []
        return [tuple(r) for r in self._conn.execute(
            "SELECT source_id, start, \"end\" FROM quote_chunks WHERE words @@ plainto_tsquery('simple', %s) LIMIT %s",
            (" ".join(words), limit))]

    # -- vectors -------------------------------------------------------------------------
    def _write_vectors(self, source_id: str, model: str, sha256: str | None, rows: VectorRows) -> None:
        if sha256 is None:
            sha256 = self._one("SELECT sha256 FROM sources WHERE id = ?", (source_id,))
        self._conn.execute("DELETE FROM passage_vectors WHERE source_id = %s", (source_id,))
        values = [(int(pid), source_id, float(s), v.tobytes()) for pid, s, v in zip(rows.passage_ids, rows.scale, rows.vecs)]
        with self._conn.cursor() as cur:
            if self.pgvector:  # the int8 values as the vector: cosine does not see the scale
                cur.executemany("INSERT INTO passage_vectors(passage_id, source_id, scale, vec, emb) "
                                "VALUES (%s, %s, %s, %s, %s::vector)",
                                [(*v, "[" + ",".join(map(str, row.tolist())) + "]") for v, row in zip(values, rows.vecs)])
            else:
                cur.executemany("INSERT INTO passage_vectors(passage_id, source_id, scale, vec) VALUES (%s, %s, %s, %s)",
                                values)
        dim = int(rows.vecs.shape[1]) if rows.vecs.ndim == 2 and len(rows.vecs) else VectorIndex.DIM
        self._conn.execute("INSERT INTO vector_sources VALUES (%s, %s, %s, %s, %s) ON CONFLICT (source_id) DO UPDATE "
                           "SET sha256 = EXCLUDED.sha256, model = EXCLUDED.model, dim = EXCLUDED.dim, n = EXCLUDED.n",
                           (source_id, sha256, model, dim, len(rows.passage_ids)))

    def vector_search(self, query: np.ndarray, k: int,
                      source_ids: Sequence[str] | None = None) -> list[tuple[int, float]]:
        """(passage id, cosine) of the ``k`` nearest passages: HNSW with pgvector, else numpy."""
        if k <= 0 or (source_ids is not None and not source_ids):
            return []
        if not self.pgvector:
            return self._numpy_vector_search(query, k, source_ids)
        q = "[" + ",".join(f"{x:.6g}" for x in np.asarray(query, np.float32).ravel()) + "]"
        if source_ids is None:  # the HNSW index (approximate; ef_search at least twice k)
            with self._conn.transaction():
                self._conn.execute(f"SET LOCAL hnsw.ef_search = {max(40, 2 * int(k))}")
                rows = self._conn.execute("SELECT passage_id, 1 - (emb <=> %s::vector) FROM passage_vectors "
                                          "ORDER BY emb <=> %s::vector LIMIT %s", (q, q, k)).fetchall()
        else:  # within named sources: exact, over their rows only (the index would filter after)
            rows = self._conn.execute(
                "WITH c AS MATERIALIZED (SELECT passage_id, emb FROM passage_vectors WHERE source_id = ANY(%s)) "
                "SELECT passage_id, 1 - (emb <=> %s::vector) FROM c ORDER BY emb <=> %s::vector LIMIT %s",
                (list(source_ids), q, q, k)).fetchall()
        return [(int(pid), float(sim)) for pid, sim in rows]
