"""The library of sources: ingest, store, search, and match citations to sources.

Every SQL statement of the project is in this package, behind :class:`Store`; open a library
with :func:`open_library` (a path, ``sqlite:///...`` or ``postgresql://...``).
"""

from .citations import match_citation
from .extract import Extracted, extract
from .protocol import AddResult, Store
from .segment import Passage, make_passages, split_sentences
from .store import Library, is_url, locate_offsets, open_library, slugify

__all__ = [
    "AddResult", "Extracted", "Library", "Passage", "Store", "extract", "locate_offsets",
    "is_url", "make_passages", "match_citation", "open_library", "slugify", "split_sentences",
]
