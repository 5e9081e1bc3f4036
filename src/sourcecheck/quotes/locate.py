"""Decide what a quotation's citation deserves: found in the cited source, elsewhere, near, or nowhere.

The matching itself is :mod:`.match`; where else to look is an :class:`Elsewhere`: a list
of sources scanned one by one (:class:`SourceList`) or a library's quotation index
(:class:`sourcecheck.quotes.index.QuoteIndex`). Folded copies of cited sources are kept
in a small cache keyed by content, so a document citing one book folds it once.
"""

from __future__ import annotations

import hashlib
import re
from collections import OrderedDict
from collections.abc import Iterable
from typing import Protocol

from sourcecheck import records
from sourcecheck.tuning import CONTEXT_CHARS, PREPARED_CACHE

from .fold import Folded
from .match import FOUND, Prepared, TextMatch, better, match_prepared, prepare

__all__ = ["Elsewhere", "SourceList", "locate_in_text", "locate_quote"]

_CACHE: OrderedDict[tuple, Prepared] = OrderedDict()


def _prepared(key: tuple, text: str, folded: Folded | None = None) -> Prepared:
    prep = _CACHE.get(key)
    if prep is not None:
        _CACHE.move_to_end(key)
        return prep
    prep = _CACHE[key] = prepare(text, folded)
    if len(_CACHE) > PREPARED_CACHE:
        _CACHE.popitem(last=False)
    return prep


def _source_key(source: records.Source) -> tuple:
    # len() guards against two test sources sharing an id and a dummy sha256.
    return ("source", source.id, source.sha256, len(source.text))


def locate_in_text(
    quote: str, text: str, folded: Folded | None = None, *, allow_drift: bool = True
) -> TextMatch | None:
    """Find ``quote`` in ``text``: exact, normalized, elided, drift, or ``None``.

    ``folded`` may be passed when the caller already holds ``fold(text)``; folded texts
    and their word index are cached per text content either way.
    """
    key = ("text", hashlib.sha256(text.encode("utf-8", "surrogatepass")).digest())
    return match_prepared(quote, _prepared(key, text, folded), allow_drift=allow_drift)


class Elsewhere(Protocol):
    """Where a quotation is looked for when the cited source does not have it."""

    def find(self, quote: str, exclude: str | None = None) -> tuple[records.Source, TextMatch] | None:
        """The best place (exact > normalized > elided) outside source ``exclude``, or ``None``."""
        ...


class SourceList:
    """Sources scanned one by one: right for a handful; a library uses its quotation index."""

    def __init__(self, sources: Iterable[records.Source]):
        self.sources = list(sources)

    def find(self, quote: str, exclude: str | None = None) -> tuple[records.Source, TextMatch] | None:
        best: tuple[records.Source, TextMatch] | None = None
        for s in self.sources:
            if s.id == exclude:
                continue
            tm = match_prepared(quote, _prepared(_source_key(s), s.text), allow_drift=False)
            if tm is not None and better(tm, best[1] if best else None):
                best = (s, tm)
                if tm.status == "exact":
                    break
        return best


_SENTENCE_END = re.compile(r"[.!?][\"'”’)\]]*\s+|\n[ \t]*\n")
_SENTENCE_END_AFTER = re.compile(r"[.!?][\"'”’)\]]*(?=\s|$)|\n[ \t]*\n")


def _location(source: records.Source, start: int, end: int) -> records.Location:
    from sourcecheck.library.store import (
        locate_offsets,  # one notion of "where", for every command
    )

    return locate_offsets(source, start, end)


def _context(text: str, start: int, end: int) -> str:
    """The sentence(s) around a match, from the original text, at most ~400 chars."""
    room = max(0, CONTEXT_CHARS - (end - start)) // 2
    if room == 0:
        snippet = " ".join(text[start:end].split())
        return snippet if len(snippet) <= CONTEXT_CHARS else snippet[: CONTEXT_CHARS - 1] + "…"
    left = text[max(0, start - room) : start]
    ends = list(_SENTENCE_END.finditer(left))
    if ends:
        cs, lead = start - len(left) + ends[-1].end(), ""
    elif start - room <= 0:
        cs, lead = 0, ""
    else:
        sp = left.find(" ")
        cs, lead = start - len(left) + (sp + 1 if sp >= 0 else len(left)), "…"
    if re.search(r"[.!?][\"'”’)\]]*\s*$", text[start:end]):
        ce, trail = end, ""
    else:
        right = text[end : end + room]
        m = _SENTENCE_END_AFTER.search(right)
        if m:
            ce, trail = end + m.end(), ""
        elif end + room >= len(text):
            ce, trail = len(text), ""
        else:
            sp = right.rfind(" ")
            ce, trail = end + (sp if sp >= 0 else 0), "…"
    return lead + " ".join(text[cs:ce].split()) + trail


def _quote_match(
    status: str,
    source: records.Source | None,
    tm: TextMatch | None,
    cited: records.Source | None,
) -> records.QuoteMatch:
    # QuoteStatus(...): the matcher speaks plain strings; the record holds the enum (and a typo fails here)
    qm = records.QuoteMatch(records.QuoteStatus(status), cited_source=cited.ref() if cited else None)
    if source is not None:
        qm.source = source.ref()
    if source is not None and tm is not None:
        qm.location = _location(source, tm.start, tm.end)
        qm.similarity = tm.similarity
        qm.context = _context(source.text, tm.start, tm.end)
        qm.matched_text = source.text[tm.start : tm.end]
        qm.diff = tm.diff
    return qm


def locate_quote(
    quote: str,
    cited: records.Source | None,
    elsewhere: Elsewhere,
    *,
    cited_missing: bool,
) -> records.QuoteMatch:
    """What a quotation's attribution deserves.

    - cited source has it (exact/normalized/elided): that status, located in it;
    - otherwise another source of ``elsewhere`` has it: ``wrong_source``, located there;
    - otherwise a near match in the cited source: ``drift``, with a word diff;
    - otherwise ``absent``.
    When the citation names nothing in the library (``cited is None and cited_missing``)
    the status is ``source_missing``, and ``source``/``location`` say where in the
    library the quotation was found anyway (or are ``None``). With no citation at all
    (``cited is None``, not missing), ``elsewhere`` is searched and the status is where
    it was found, else ``absent``.
    """
    exclude = cited.id if cited is not None else None
    if cited is None:
        hit = elsewhere.find(quote, exclude)
        status = "source_missing" if cited_missing else (hit[1].status if hit else "absent")
        if hit is None:
            return records.QuoteMatch(records.QuoteStatus(status))
        return _quote_match(status, hit[0], hit[1], None)
    tm = match_prepared(quote, _prepared(_source_key(cited), cited.text), allow_drift=True)
    if tm is not None and tm.status in FOUND:
        return _quote_match(tm.status, cited, tm, cited)
    hit = elsewhere.find(quote, exclude)
    if hit is not None:
        return _quote_match("wrong_source", hit[0], hit[1], cited)
    if tm is not None:  # drift
        return _quote_match("drift", cited, tm, cited)
    return _quote_match("absent", cited, None, cited)
