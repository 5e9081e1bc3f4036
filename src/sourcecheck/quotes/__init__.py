"""Quotations: fold texts with an offset map, locate quotations, diff them word by word.

Usage::

    from sourcecheck.quotes import locate_quote
    match = locate_quote(quote, cited_source, library_sources, cited_missing=False)
    # at library scale: the other sources through the quotation index, no scan each
    match = locate_quote(quote, cited_source, (), cited_missing=False, library=lib)
"""

from .diff import render_diff, word_diff
from .fold import Folded, fold
from .index import build_quote_index, find_in_library
from .locate import TextMatch, locate_in_text, locate_quote

__all__ = [
    "Folded",
    "build_quote_index",
    "find_in_library",
    "fold",
    "TextMatch",
    "locate_in_text",
    "locate_quote",
    "word_diff",
    "render_diff",
]
