"""Quotations: fold texts with an offset map, locate quotations, diff them word by word.

Modules, lowest first (no import runs back up): ``fold`` (comparable text with an offset
map), ``diff`` (word diffs), ``match`` (the matching primitives on one prepared text),
``index`` (a library-wide quotation index) and ``locate`` (what a citation deserves).

Usage::

    from sourcecheck.quotes import QuoteIndex, SourceList, locate_quote
    match = locate_quote(quote, cited_source, SourceList(sources), cited_missing=False)
    # at library scale: the other sources through the quotation index, no scan each
    match = locate_quote(quote, cited_source, QuoteIndex(lib), cited_missing=False)
"""

from .diff import render_diff, word_diff
from .fold import Folded, fold
from .index import QuoteIndex, build_quote_index
from .locate import Elsewhere, SourceList, locate_in_text, locate_quote
from .match import TextMatch

__all__ = [
    "Elsewhere",
    "Folded",
    "QuoteIndex",
    "SourceList",
    "TextMatch",
    "build_quote_index",
    "fold",
    "locate_in_text",
    "locate_quote",
    "render_diff",
    "word_diff",
]
