"""Opening a library: ``open_library`` picks the storage backend (plugins.stores) from a path or a URL.

A backend registers a ``StoreBackend``: its URL schemes and how to open one. A plain path or
``sqlite:///path`` is an SQLite file (:mod:`.sqlite`); ``postgresql://...`` is a PostgreSQL database
(:mod:`.postgres`, needs the ``[postgres]`` extra). Every caller gets a :class:`~.protocol.Store` and
never sees a connection.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ..errors import InputError
from .base import locate_offsets, slugify
from .protocol import AddResult, Store
from .sqlite import SQLiteStore

Library = SQLiteStore  # the name the stages and tests have always used for an SQLite library

_PG_SCHEMES = ("postgresql://", "postgres://")

__all__ = ["AddResult", "Library", "Store", "is_url", "locate_offsets", "open_library", "slugify"]


@dataclass(frozen=True)
class StoreBackend:
    """What a storage backend registers: the URL schemes it owns and how to open a target."""

    name: str
    schemes: tuple[str, ...]  # "postgresql://": a target starting so is this backend's; () for plain paths
    open: Callable[[str, bool, bool], Store]  # (target, read_only, must_exist)
    description: str


def _open_sqlite(target: str, read_only: bool, must_exist: bool) -> Store:
    if target.startswith("sqlite:"):
        if not target.startswith("sqlite:///"):
            raise InputError(target, "an SQLite URL is sqlite:///relative/path or sqlite:////absolute/path")
        target = target[len("sqlite:///"):]
    path = Path(target)
    if must_exist and not path.exists():
        raise InputError(path, "no library here; add sources first with `sourcecheck add PATH`")
    return SQLiteStore(path, read_only=read_only)


def _open_postgres(target: str, read_only: bool, must_exist: bool) -> Store:
    from .postgres import PostgresStore  # psycopg is an extra: imported only for a PostgreSQL URL

    return PostgresStore(target, read_only=read_only, must_exist=must_exist)


SQLITE = StoreBackend("sqlite", ("sqlite:",), _open_sqlite, "an SQLite file (a path or sqlite:///PATH)")
POSTGRES = StoreBackend("postgresql", _PG_SCHEMES, _open_postgres, "a PostgreSQL database (the [postgres] extra)")


def is_url(target: str | Path) -> bool:
    from .. import plugins

    return isinstance(target, str) and any(b.schemes and target.startswith(b.schemes) for b in plugins.stores)


def open_library(target: str | Path, *, read_only: bool = False, must_exist: bool = False) -> Store:
    """The library at ``target``: a file path, ``sqlite:///path``, or ``postgresql://...``.

    ``read_only`` opens it so that nothing can change it (what ``check``, ``quote`` and ``find``
    do); ``must_exist`` refuses to create an empty library where there is none.
    """
    from .. import plugins

    text = str(target)
    if isinstance(target, str):
        for backend in plugins.stores:
            if backend.schemes and target.startswith(backend.schemes):
                return backend.open(text, read_only, must_exist)
    return plugins.stores.get("sqlite").open(text, read_only, must_exist)
