"""The library ``quote`` looks in: the user's, or, where there is none, the cited files themselves.

``quote --input rows.jsonl`` whose rows name their ``source`` by file path used to fail without a
library; a quotation checked against a file at hand needs no library, so the named files are
indexed in a temporary library that is gone when the command ends.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from ..errors import InputError
from ..library import Library, Store, is_url, open_library


@contextmanager
def quote_library(target: str, sources: Iterable[object]) -> Iterator[Store]:
    files = list(dict.fromkeys(s for s in sources if isinstance(s, str) and s and Path(s).is_file()))
    path = Path(target.removeprefix("sqlite:///"))
    if is_url(target) and not target.startswith("sqlite:"):
        with open_library(target, read_only=True) as lib:
            yield lib
        return
    if path.exists() or not files:
        if not path.exists():
            raise InputError(path, "no library here; add sources first with `sourcecheck add PATH`, "
                                   "or name the source's file")
        with open_library(path, read_only=True) as lib:
            yield lib
        return
    with tempfile.TemporaryDirectory(prefix="sourcecheck-quote-") as tmp, Library(Path(tmp) / "library.db") as lib:
        for f in files:
            lib.add(f)
        yield lib
