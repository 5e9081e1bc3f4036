"""The library of sources: ingest, store, search, and match citations to sources."""

from .citations import match_citation
from .extract import Extracted, extract
from .segment import Passage, make_passages, split_sentences
from .store import AddResult, Library, locate_offsets, slugify

__all__ = [
    "AddResult", "Extracted", "Library", "Passage", "extract", "locate_offsets",
    "make_passages", "match_citation", "slugify", "split_sentences",
]
