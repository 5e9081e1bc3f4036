"""Moving a library between backends (``sourcecheck library copy SRC DST``), losing nothing.

Sources go over as the store exports them: the same ids, texts, metadata, passage spans and
vectors, one transaction per source in the target; then the bibliography keys. The full-text index is rebuilt by the target
from the spans; the quotation index is a cache of folded text, rebuilt there by the caller.
"""

from __future__ import annotations

from collections.abc import Callable

from ..errors import InputError
from .protocol import Store, StoredSource


def copy_library(source: Store, target: Store, *, replace: bool = False,
                 progress: Callable[[StoredSource], None] | None = None) -> int:
    """Copy every source of ``source`` into ``target``; returns how many were copied.

    A source id the target already holds is refused (InputError, nothing written) unless
    ``replace``: then the target's source of that id is replaced by the copy.
    """
    if not replace:
        clash = sorted({r.id for r in source.refs()} & {r.id for r in target.refs()})
        if clash:
            more = f" and {len(clash) - 3} more" if len(clash) > 3 else ""
            raise InputError(target.name, f"already holds {', '.join(clash[:3])}{more}; "
                                          "use --replace to overwrite them")
    n = 0
    for stored in source.export_sources():
        target.import_source(stored)
        n += 1
        if progress:
            progress(stored)
    target.keys_write(source.keys_rows())  # the bibliography keys, after the sources they name
    return n
