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

from .errors import InputError
from .library import Library


@contextmanager
def quote_library(path: Path, sources: Iterable[object]) -> Iterator[Library]:
    files = list(dict.fromkeys(s for s in sources if isinstance(s, str) and s and Path(s).is_file()))
    if path.exists() or not files:
        if not path.exists():
            raise InputError(path, "no library here; add sources first with `sourcecheck add PATH`, "
                                   "or name the source's file")
        with Library(path) as lib:
            yield lib
        return
    with tempfile.TemporaryDirectory(prefix="sourcecheck-quote-") as tmp, Library(Path(tmp) / "library.db") as lib:
        for f in files:
            lib.add(f)
        yield lib
