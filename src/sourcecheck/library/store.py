"""Opening a library: ``open_library`` picks the storage backend from a path or a URL.

A plain path or ``sqlite:///path`` is an SQLite file (:mod:`.sqlite`); ``postgresql://...`` is a
PostgreSQL database (:mod:`.postgres`, needs the ``[postgres]`` extra). Every caller gets a
:class:`~.protocol.Store` and never sees a connection.
"""

from __future__ import annotations

from pathlib import Path

from ..errors import InputError
from .base import locate_offsets, slugify
from .protocol import AddResult, Store
from .sqlite import SQLiteStore

Library = SQLiteStore  # the name the stages and tests have always used for an SQLite library

_PG_SCHEMES = ("postgresql://", "postgres://")

__all__ = ["AddResult", "Library", "Store", "is_url", "locate_offsets", "open_library", "slugify"]


def is_url(target: str | Path) -> bool:
    return isinstance(target, str) and target.startswith(_PG_SCHEMES + ("sqlite:",))


def open_library(target: str | Path, *, read_only: bool = False, must_exist: bool = False) -> Store:
    """The library at ``target``: a file path, ``sqlite:///path``, or ``postgresql://...``.

    ``read_only`` opens it so that nothing can change it (what ``check``, ``quote`` and ``find``
    do); ``must_exist`` refuses to create an empty library where there is none.
    """
    if isinstance(target, str) and target.startswith(_PG_SCHEMES):
        from .postgres import PostgresStore

        return PostgresStore(target, read_only=read_only, must_exist=must_exist)
    if isinstance(target, str) and target.startswith("sqlite:"):
        if not target.startswith("sqlite:///"):
            raise InputError(target, "an SQLite URL is sqlite:///relative/path or sqlite:////absolute/path")
        target = target[len("sqlite:///"):]
    path = Path(target)
    if must_exist and not path.exists():
        raise InputError(path, "no library here; add sources first with `sourcecheck add PATH`")
    return SQLiteStore(path, read_only=read_only)
