"""What the stages need from a library, as one interface that every storage backend implements.

Why a ``Protocol`` and not a base class the stages see: the quotation index, the vectors, search
and the CLI call these methods and nothing else, so a new backend (PostgreSQL next to SQLite) is a
new class that passes the contract tests (``tests/test_store_contract.py``), and no stage changes.
Every SQL statement of the project lives in the classes that implement it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol, runtime_checkable

import numpy as np

from ..limits import Limits
from ..records import Citation, Location, Source, SourceRef
from .segment import Passage


@dataclass
class AddResult:
    """What ``add`` did with one source."""

    path: str
    source_id: str
    status: str  # "added" | "unchanged" | "replaced" | "duplicate" (same bytes at another path) | "failed"
    title: str
    reason: str = ""  # why it failed, or which source it duplicates
    line: int | None = None  # the JSON Lines line that failed


@dataclass
class QuoteChunk:
    """One chunk of the quotation index: original offsets and the chunk's folded words."""

    start: int
    end: int
    words: str


@dataclass
class VectorRows:
    """A source's passage vectors: int8 rows with one float scale each (``row ≈ vec * scale``)."""

    passage_ids: np.ndarray  # int64
    scale: np.ndarray  # float32
    vecs: np.ndarray  # int8, one row per passage


@dataclass
class StoredSource:
    """Everything a library holds about one source, as ``library copy`` moves it.

    Passages are the source's (start, end) spans; the full-text index is rebuilt from them. The
    quotation index is not carried: it is a cache of the folded text, rebuilt by the target.
    """

    source: Source
    added_at: str | None
    passages: list[tuple[int, int]]
    vector_model: str | None = None
    vector_sha256: str | None = None
    vector_scale: list[float] = field(default_factory=list)  # one per passage, in passage order
    vector_rows: list[bytes] = field(default_factory=list)  # int8 bytes, one per passage


@runtime_checkable
class Store(Protocol):
    """A library of sources. Open one with :func:`sourcecheck.library.open_library`."""

    name: str  # what a report shows as the library: a file path, or a URL without its password
    read_only: bool

    def close(self) -> None: ...
    def __enter__(self) -> Store: ...
    def __exit__(self, *exc: object) -> None: ...

    # -- sources ---------------------------------------------------------------------------
    def sources(self) -> list[Source]: ...
    def refs(self) -> list[SourceRef]: ...
    def get(self, source_id: str) -> Source | None: ...
    def find_source(self, ref: str) -> Source | None: ...
    def match_citation(self, citation: Citation) -> SourceRef | None: ...
    def location(self, source: Source, start: int, end: int) -> Location: ...
    def source_hashes(self) -> dict[str, str]: ...
    def revision(self) -> tuple: ...
    def stats(self) -> dict[str, int]: ...

    # -- passages and full-text search -----------------------------------------------------
    def passages(self, source_id: str) -> list[Passage]: ...
    def passage_ids(self, source_id: str) -> list[tuple[int, Passage]]: ...
    def passages_by_id(self, ids: Sequence[int]) -> dict[int, Passage]: ...
    def search(self, query: str, k: int = 10, source_ids: list[str] | None = None) -> list[tuple[Passage, float]]: ...

    # -- writing ---------------------------------------------------------------------------
    def add(self, path: str | Path, *, title: str | None = None, author: str | None = None,
            year: int | None = None, progress: Callable[[AddResult], None] | None = None,
            limits: Limits = ..., keep_going: bool = False) -> list[AddResult]: ...
    def remove(self, ref: str) -> SourceRef: ...

    # -- the quotation index (a cache of folded chunks; see quotes/index.py) ---------------
    def quote_index_hashes(self) -> dict[str, str]: ...
    def quote_index_write(self, forget: Sequence[str], put: Sequence[tuple[Source, list[QuoteChunk]]],
                          rebuild: bool = False) -> None: ...
    def quote_candidates(self, words: Sequence[str], limit: int) -> list[tuple[str, int, int]]: ...

    # -- dense vectors (see vectors.py) ----------------------------------------------------
    def vector_pending(self, model: str) -> list[str]: ...
    def vector_write(self, source_id: str, model: str, rows: VectorRows) -> None: ...
    def vector_search(self, query: np.ndarray, k: int,
                      source_ids: Sequence[str] | None = None) -> list[tuple[int, float]]: ...
    def vector_count(self) -> int: ...

    # -- bibliography keys (``add --bib``; see citekeys.py) ---------------------------------
    def keys_write(self, rows: Sequence[tuple[str, str | None, str]]) -> None: ...
    def keys_rows(self) -> list[tuple[str, str | None, str]]: ...

    # -- moving a library (``sourcecheck library copy``) -----------------------------------
    def export_sources(self) -> Iterator[StoredSource]: ...
    def import_source(self, stored: StoredSource) -> None: ...
