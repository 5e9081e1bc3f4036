"""Quotations: fold texts with an offset map, locate quotations, diff them word by word.

Usage::

    from sourcecheck.quotes import locate_quote
    match = locate_quote(quote, cited_source, library_sources, cited_missing=False)
"""

from .diff import render_diff, word_diff
from .fold import Folded, fold
from .locate import TextMatch, locate_in_text, locate_quote

__all__ = [
    "Folded",
    "fold",
    "TextMatch",
    "locate_in_text",
    "locate_quote",
    "word_diff",
    "render_diff",
]
