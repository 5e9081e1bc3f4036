"""The store's contract: what every storage backend must do, run against each one.

Each backend is opened through ``open_library`` as the CLI opens it. The PostgreSQL run uses the
throwaway server of ``tests/pg_cluster.py`` (started once per session); if it cannot start, these
tests fail with its reason rather than skip.
"""

from __future__ import annotations

import numpy as np
import pytest

from sourcecheck.errors import InputError
from sourcecheck.library import Store, open_library
from sourcecheck.library.protocol import QuoteChunk, VectorRows
from sourcecheck.library.vectors import quantize

TEXTS = {
    "alpha.txt": "Alpha Chronicle\n\nThe merchants of Alpha traded wool and salt along the river. "
                 "In 1820 the harbour of Alpha was rebuilt in stone after a fire.\n",
    "beta.txt": "Beta Railway\n\nThe railway through the Beta valley opened in 1902 and carried tourists. "
                "The line was closed in 1931 after floods.\n",
    "gamma.md": "# Gamma Delta\n\nFloods destroyed the villages of the Gamma delta in 1931. "
                "A dam was built upstream in 1950 to stop them.\n",
}


@pytest.fixture
def folder(tmp_path):
    d = tmp_path / "sources"
    d.mkdir()
    for name, text in TEXTS.items():
        (d / name).write_text(text, encoding="utf-8")
    return d


@pytest.fixture(params=["sqlite", "postgres", "postgres-arrays"])
def target(request, tmp_path):
    """A fresh, empty library of each backend: an SQLite path, or a new PostgreSQL database (with
    pgvector, or made without it so that vectors are arrays ranked with numpy)."""
    if request.param == "sqlite":
        return str(tmp_path / "lib.db")
    url = request.getfixturevalue("pg_database")
    if request.param == "postgres-arrays":
        from sourcecheck.library.postgres import PostgresStore

        PostgresStore(url, pgvector=False).close()
    return url


def test_postgres_uses_pgvector_where_the_server_has_it(pg_database):
    with open_library(pg_database) as lib:
        assert lib.pgvector  # the test server (pgserver) carries the extension


@pytest.fixture
def store(target):
    with open_library(target) as lib:
        yield lib


def stored(lib: Store) -> list:
    """Everything the library holds, comparable across backends and copies."""
    out = []
    for st in lib.export_sources():
        s = st.source
        out.append((s.id, s.title, s.author, s.year, s.path, s.sha256, s.text, s.calendar, s.pages,
                    st.added_at, st.passages, st.vector_model, st.vector_sha256,
                    [round(x, 6) for x in st.vector_scale], st.vector_rows))
    return out


def test_is_a_store(store):
    assert isinstance(store, Store)


def test_add_reads_and_finds_sources(store, folder):
    results = store.add(folder)
    assert sorted(r.status for r in results) == ["added"] * 3
    assert [r.id for r in store.refs()] == ["alpha", "beta", "gamma-delta"]
    beta = store.get("beta")
    assert beta is not None and beta.title == "beta" and "1902" in beta.text
    assert store.find_source("GAMMA delta").id == "gamma-delta"  # title, any case
    assert store.find_source(str(folder / "beta.txt")).id == "beta"  # original path
    assert store.find_source("no such thing") is None
    assert store.get("nope") is None
    assert [r.status for r in store.add(folder)] == ["unchanged"] * 3


def test_passages_are_slices_of_their_source(store, folder):
    store.add(folder)
    for ref in store.refs():
        source = store.get(ref.id)
        passages = store.passage_ids(ref.id)
        assert passages and [p for _, p in passages] == store.passages(ref.id)
        for _pid, p in passages:
            assert p.text == source.text[p.start:p.end]
        by_id = store.passages_by_id([pid for pid, _ in passages])
        assert [by_id[pid] for pid, _ in passages] == [p for _, p in passages]


def test_search_ranks_and_filters(store, folder):
    store.add(folder)
    hits = store.search("railway tourists", k=3)
    assert hits and hits[0][0].source_id == "beta"
    assert all(a[1] >= b[1] for a, b in zip(hits, hits[1:]))  # best first
    assert {p.source_id for p, _ in store.search("1931 floods", k=5, source_ids=["gamma-delta"])} == {"gamma-delta"}
    assert store.search("floods", source_ids=[]) == []
    # Query syntax in a claim is inert: quotes, operators and brackets are only words.
    assert store.search('wool" OR NEAR(salt AND -')[0][0].source_id == "alpha"
    assert store.search("harbour", k=0) == []


def test_replace_and_remove(store, folder):
    store.add(folder)
    rev = store.revision()
    (folder / "beta.txt").write_text(TEXTS["beta.txt"] + "\nA museum opened in the station in 1990.\n", encoding="utf-8")
    assert [r.status for r in store.add(folder / "beta.txt")] == ["replaced"]
    assert store.revision() != rev
    assert "museum" in store.get("beta").text
    assert store.search("museum station")[0][0].source_id == "beta"
    rev = store.revision()
    assert store.remove("beta").id == "beta"
    assert store.revision() != rev
    assert store.get("beta") is None and store.passages("beta") == []
    assert all(p.source_id != "beta" for p, _ in store.search("railway museum"))
    with pytest.raises(InputError):
        store.remove("beta")


def test_one_transaction_per_source(store, folder, monkeypatch):
    """A source whose ingest dies half-way leaves nothing; the ones before it stay."""
    real = type(store)._insert_passages
    calls = []

    def dying(self, source_id, passages):
        calls.append(source_id)
        real(self, source_id, passages)
        if len(calls) == 2:
            raise KeyboardInterrupt("killed")

    monkeypatch.setattr(type(store), "_insert_passages", dying)
    with pytest.raises(KeyboardInterrupt):
        store.add(folder)
    monkeypatch.undo()
    assert [r.id for r in store.refs()] == [calls[0]]
    assert store.stats()["passages"] == len(store.passages(calls[0]))
    assert sorted(r.status for r in store.add(folder)) == ["added", "added", "unchanged"]


def test_quote_index(store, folder):
    store.add(folder)
    alpha = store.get("alpha")
    store.quote_index_write([], [(alpha, [QuoteChunk(0, 40, "alpha chronicle the merchants"),
                                          QuoteChunk(20, 90, "merchants of alpha traded wool")])])
    assert store.quote_index_hashes() == {"alpha": alpha.sha256}
    assert sorted(store.quote_candidates(["merchants", "alpha"], 10)) == [("alpha", 0, 40),
                                                                          ("alpha", 20, 90)]
    assert store.quote_candidates(["wool", "merchants"], 10) == [("alpha", 20, 90)]
    assert store.quote_candidates(["wool", "railway"], 10) == []
    assert len(store.quote_candidates(["merchants"], 1)) == 1
    store.quote_index_write(["alpha"], [])
    assert store.quote_index_hashes() == {}
    assert store.quote_candidates(["merchants"], 10) == []


def fake_vectors(store, sid: str, seed: int) -> VectorRows:
    ids = [pid for pid, _ in store.passage_ids(sid)]
    q, scale = quantize(np.random.default_rng(seed).normal(size=(len(ids), 384)).astype(np.float32))
    return VectorRows(np.array(ids, np.int64), scale, q)


def test_vectors(store, folder):
    store.add(folder)
    assert store.vector_pending("m") == ["alpha", "beta", "gamma-delta"]
    rows = fake_vectors(store, "beta", 1)
    store.vector_write("beta", "m", rows)
    assert store.vector_pending("m") == ["alpha", "gamma-delta"]
    assert store.vector_pending("other") == ["alpha", "beta", "gamma-delta"]
    assert store.vector_count() == len(rows.passage_ids)
    target = rows.vecs[-1].astype(np.float32) * rows.scale[-1]
    hits = store.vector_search(target, 2)
    assert hits[0][0] == rows.passage_ids[-1] and hits[0][1] == pytest.approx(hits[0][1]) and hits[0][1] > 0.99
    assert store.vector_search(target, 2, source_ids=["alpha"]) == []
    store.remove("beta")
    assert store.vector_count() == 0 and store.vector_search(target, 2) == []


def test_read_only_refuses_writes(target, folder):
    with open_library(target) as lib:
        lib.add(folder)
    with open_library(target, read_only=True) as lib:
        assert len(lib.refs()) == 3 and lib.search("railway")
        for write in (lambda: lib.add(folder), lambda: lib.remove("beta"),
                      lambda: lib.quote_index_write(["x"], [])):
            with pytest.raises(InputError):
                write()
        assert len(lib.refs()) == 3


def test_bibliography_keys(store, folder):
    store.add(folder)
    store.keys_write([("reed1919", "beta", '{"key": "reed1919"}'), ("pipes1995", None, '{"key": "pipes1995"}')])
    store.keys_write([("reed1919", "alpha", '{"key": "reed1919", "year": 1919}')])  # replaced
    assert store.keys_rows() == [("pipes1995", None, '{"key": "pipes1995"}'),
                                 ("reed1919", "alpha", '{"key": "reed1919", "year": 1919}')]
    store.remove("alpha")
    assert store.keys_rows()[1][:2] == ("reed1919", None)  # the key stays, its source is gone


def test_export_import_keeps_everything(store, folder, tmp_path):
    from sourcecheck.library.copy import copy_library

    store.add(folder)
    store.vector_write("gamma-delta", "m", fake_vectors(store, "gamma-delta", 2))
    store.keys_write([("reed1919", "beta", "{}")])
    with open_library(str(tmp_path / "copy.db")) as other:
        assert copy_library(store, other) == 3
        assert stored(other) == stored(store)
        assert other.keys_rows() == store.keys_rows()
        assert other.search("railway")[0][0] == store.search("railway")[0][0]
        gamma = fake_vectors(store, "gamma-delta", 2)
        q = gamma.vecs[0].astype(np.float32)
        assert other.vector_search(q, 1)[0][1] == pytest.approx(store.vector_search(q, 1)[0][1], abs=1e-4)
