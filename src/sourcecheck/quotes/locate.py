"""Find a quotation in a source's text, and decide what its citation deserves.

Matching happens on folded copies (:mod:`.fold`); every offset returned is into the
original text, and everything shown (matched text, context, diff words) is original.
"""

from __future__ import annotations

import difflib
import hashlib
import re
import unicodedata
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from rapidfuzz import fuzz

from sourcecheck import records
from sourcecheck.records import DiffOp

from .diff import word_diff
from .fold import Folded, fold

if TYPE_CHECKING:
    from sourcecheck.library import Library

__all__ = ["TextMatch", "locate_in_text", "locate_quote", "FOUND", "DRIFT_THRESHOLD"]

FOUND = ("exact", "normalized", "elided")  # statuses that mean "the source has it"
DRIFT_THRESHOLD = 0.75  # word-level similarity below which a near match is "absent"
ELISION_GAP = 1500  # most folded chars an ellipsis may stand for
INSERTION_GAP = 80  # most folded chars a [bracketed insertion] may replace
CONTEXT_CHARS = 400


@dataclass
class TextMatch:
    """Where a quotation is in one text (original offsets) and how well it matches."""

    status: str  # exact | normalized | elided | drift
    start: int
    end: int
    similarity: float
    diff: list[DiffOp] = field(default_factory=list)
    parts: list[tuple[int, int]] = field(default_factory=list)


@dataclass
class _Prepared:
    """A source folded once, with a word -> folded positions index for drift anchors."""

    text: str
    folded: Folded
    padded: str  # " " + folded.text + " ": finds whole words with one str.find
    index: dict[str, list[int]]


_CACHE: OrderedDict[tuple, _Prepared] = OrderedDict()
_CACHE_SIZE = 64  # folded copies kept per process; a whole library would not fit in memory
_WORD = re.compile(r"\S+")


def _build(text: str, folded: Folded | None = None) -> _Prepared:
    """Fold ``text`` and index its words, without caching (windows of a library source)."""
    folded = folded or fold(text)
    index: dict[str, list[int]] = {}
    for m in _WORD.finditer(folded.text):
        index.setdefault(m.group(), []).append(m.start())
    return _Prepared(text, folded, " " + folded.text + " ", index)


def _prepare(key: tuple, text: str, folded: Folded | None = None) -> _Prepared:
    prep = _CACHE.get(key)
    if prep is not None:
        _CACHE.move_to_end(key)
        return prep
    prep = _build(text, folded)
    _CACHE[key] = prep
    if len(_CACHE) > _CACHE_SIZE:
        _CACHE.popitem(last=False)
    return prep


def _source_key(source: records.Source) -> tuple:
    # len() guards against two test sources sharing an id and a dummy sha256.
    return ("source", source.id, source.sha256, len(source.text))


# --- the four ways of being found -------------------------------------------------


def _find_words(prep: _Prepared, part: str, lo: int = 0, hi: int | None = None) -> Iterable[int]:
    """Folded start of each whole-word occurrence of ``part`` starting in ``[lo, hi]``."""
    needle = " " + part + " "
    limit = len(prep.padded) if hi is None else min(len(prep.padded), hi + len(needle))
    pos = prep.padded.find(needle, lo, limit)
    while pos >= 0:
        yield pos
        pos = prep.padded.find(needle, pos + 1, limit)


def _orig_span(prep: _Prepared, i: int, j: int) -> tuple[int, int]:
    start, end = prep.folded.span(i, j)
    return start, _past_combining(prep.text, end)


def _past_combining(text: str, end: int) -> int:
    # A decomposed accent after the last letter belongs to the match.
    while end < len(text) and unicodedata.combining(text[end]):
        end += 1
    return end


_SIC = re.compile(r"\[\s*sic\s*\]", re.IGNORECASE)
_LETTER = re.compile(r"\[([^\W\d_])\]")  # "[T]he": only the case was changed
_GAPS = re.compile(
    r"(?P<ell>\[\s*(?:…|\.\s*\.\s*\.)\s*\]|…|\.\s*\.\s*\.(?:\s*\.)?)|(?P<ins>\[[^\[\]]*\])"
)


def _editorial_parts(quote: str, ellipses: bool = True) -> tuple[list[str], list[int]] | None:
    """Folded parts of a quotation with editorial marks, and the gap allowed after each.

    ``None`` when the quotation has no ellipsis or bracket at all. ``ellipses=False``
    reads a bare ``...``/``…`` as the source's own punctuation, not as a gap.
    """
    q = _SIC.sub(" ", quote)
    q = _LETTER.sub(r"\1", q)
    if q == quote and not _GAPS.search(q):
        return None
    parts: list[str] = []
    gaps: list[int] = []
    pending = 0
    pos = 0
    for m in _GAPS.finditer(q):
        if not ellipses and m.group("ell") and not m.group().startswith("["):
            continue  # folded away with the text around it
        piece = fold(q[pos : m.start()]).text
        if piece:
            if parts:
                gaps.append(pending)
            parts.append(piece)
            pending = 0
        pending += ELISION_GAP if m.group("ell") else INSERTION_GAP
        pos = m.end()
    piece = fold(q[pos:]).text
    if piece:
        if parts:
            gaps.append(pending)
        parts.append(piece)
    return parts, gaps


def _trivial(part: str) -> bool:
    # A lone short word ("the", "and") matches anywhere: it proves nothing.
    return " " not in part and len(part) < 6


def _find_elided(prep: _Prepared, quote: str) -> TextMatch | None:
    m = _find_parts(prep, _editorial_parts(quote))
    if m is None and _BARE_ELLIPSIS.search(quote):
        # The source's own "..." copied with a [bracketed insertion] elsewhere: Reed
        # writes "support... a" and a quotation keeps it; it is not an elision.
        m = _find_parts(prep, _editorial_parts(quote, ellipses=False))
    return m


_BARE_ELLIPSIS = re.compile(r"(?<!\[)(?:…|\.\s*\.\s*\.)")


def _find_parts(prep: _Prepared, parsed: tuple[list[str], list[int]] | None) -> TextMatch | None:
    if parsed is None:
        return None
    parts, gaps = parsed
    # A lone short word between marks ("platform.... On") joins its neighbour: the
    # source's own "...." then reads as punctuation; the match must still be contiguous.
    k = 0
    while k < len(parts) and len(parts) > 1:
        if _trivial(parts[k]):
            j = k - 1 if k > 0 else k
            parts[j : j + 2] = [parts[j] + " " + parts[j + 1]]
            del gaps[j]
            k = 0
        else:
            k += 1
    if not parts or any(_trivial(p) for p in parts):
        return None

    def rest(k: int, prev_end: int) -> list[tuple[int, int]] | None:
        if k == len(parts):
            return []
        # Backtracking over the few occurrences inside the allowed gap.
        for s in _find_words(prep, parts[k], prev_end, prev_end + 1 + gaps[k - 1]):
            tail = rest(k + 1, s + len(parts[k]))
            if tail is not None:
                return [(s, s + len(parts[k]))] + tail
        return None

    for n, s in enumerate(_find_words(prep, parts[0])):
        if n >= 500:
            break
        tail = rest(1, s + len(parts[0]))
        if tail is not None:
            spans = [(s, s + len(parts[0]))] + tail
            orig = [_orig_span(prep, i, j) for i, j in spans]
            return TextMatch("elided", orig[0][0], orig[-1][1], 1.0, [], orig)
    return None


def _find_drift(prep: _Prepared, quote: str, fq: str) -> TextMatch | None:
    """Best near match, from windows around clusters of the quotation's rarest words.

    No scan of the whole text: each rare word's occurrences vote for where the quotation
    would start, and only the few best-voted windows are aligned.
    """
    qwords = fq.split()
    if len(qwords) < 4:
        return None  # too short to tell a reworded quotation from a coincidence
    qoffs = [m.start() for m in _WORD.finditer(fq)]
    cands = sorted(
        (len(prep.index[w]), w, off) for w, off in zip(qwords, qoffs) if w in prep.index
    )
    seen: set[str] = set()
    anchors = []
    for count, w, off in cands:
        if w in seen or count > 2000:
            continue
        seen.add(w)
        anchors.append((w, off))
        if len(anchors) == 8:
            break
    if not anchors:
        return None
    L = len(fq)
    bucket = max(L // 2, 20)
    votes: dict[int, set[int]] = {}
    for k, (w, off) in enumerate(anchors):
        for p in prep.index[w]:
            votes.setdefault((p - off) // bucket, set()).add(k)
    none: set[int] = set()
    score = {b: len(v | votes.get(b - 1, none) | votes.get(b + 1, none)) for b, v in votes.items()}
    best_buckets = sorted(score, key=lambda b: (-score[b], b))[:5]

    ftext = prep.folded.text
    best: tuple[float, int, int] | None = None
    for b in best_buckets:
        ws = max(0, b * bucket - L)
        we = min(len(ftext), b * bucket + 2 * L + bucket)
        al = fuzz.partial_ratio_alignment(fq, ftext[ws:we])
        if al is None or al.score < 50:
            continue
        span = _word_span(qwords, ftext, ws + al.dest_start, ws + al.dest_end, L)
        if span and (best is None or span[0] > best[0]):
            best = span
    if best is None or best[0] < DRIFT_THRESHOLD:
        return None
    sim, i, j = best
    start, end = _orig_span(prep, i, j)
    diff = word_diff(quote, prep.text[start:end])
    return TextMatch("drift", start, end, sim, diff, [(start, end)])


def _word_span(
    qwords: list[str], ftext: str, ds: int, de: int, L: int
) -> tuple[float, int, int] | None:
    """Trim/extend a char alignment to whole source words; score it word by word.

    A char alignment is as long as the quotation, so it cuts off words a reworded source
    added; word matching around it finds the real extent.
    """
    lo = max(0, ds - L // 4)
    hi = min(len(ftext), de + L // 4)
    lo = ftext.rfind(" ", 0, lo) + 1 if lo > 0 else 0
    sp = ftext.find(" ", hi)
    hi = len(ftext) if sp < 0 else sp
    swords = [(m.start() + lo, m.end() + lo, m.group()) for m in _WORD.finditer(ftext[lo:hi])]
    if not swords:
        return None
    sm = difflib.SequenceMatcher(None, qwords, [w for _, _, w in swords], autojunk=False)
    blocks = [b for b in sm.get_matching_blocks() if b.size]
    if not blocks:
        return None
    first, last = blocks[0], blocks[-1]
    # Words changed at either end still belong to the span (a replace, not a delete).
    j0 = first.b - min(first.a, first.b)
    tail_q = len(qwords) - last.a - last.size
    j1 = last.b + last.size + min(tail_q, len(swords) - last.b - last.size)
    matched = sum(b.size for b in blocks)
    sim = 2 * matched / (len(qwords) + (j1 - j0))
    return sim, swords[j0][0], swords[j1 - 1][1]


def locate_in_text(
    quote: str, text: str, folded: Folded | None = None, *, allow_drift: bool = True
) -> TextMatch | None:
    """Find ``quote`` in ``text``: exact, normalized, elided, drift, or ``None``.

    ``folded`` may be passed when the caller already holds ``fold(text)``; folded texts
    and their word index are cached per text content either way.
    """
    key = ("text", hashlib.sha256(text.encode("utf-8", "surrogatepass")).digest())
    return _locate(quote, _prepare(key, text, folded), allow_drift)


def _find_exact(text: str, quote: str) -> int:
    """First verbatim occurrence that does not start or end inside a word, else -1."""
    # "he said" inside "the said" is not the quotation.
    i = text.find(quote)
    while i >= 0:
        before = text[i - 1] if i > 0 else " "
        after = text[i + len(quote)] if i + len(quote) < len(text) else " "
        if not (quote[0].isalnum() and before.isalnum()) and not (
            quote[-1].isalnum() and after.isalnum()
        ):
            return i
        i = text.find(quote, i + 1)
    return -1


def _locate(quote: str, prep: _Prepared, allow_drift: bool) -> TextMatch | None:
    quote = quote.strip()
    fq = fold(quote).text
    if not fq:
        return None  # only punctuation: nothing to look for
    i = _find_exact(prep.text, quote)
    if i >= 0:
        return TextMatch("exact", i, i + len(quote), 1.0, [], [(i, i + len(quote))])
    for s in _find_words(prep, fq):
        start, end = _orig_span(prep, s, s + len(fq))
        return TextMatch("normalized", start, end, 1.0, [], [(start, end)])
    m = _find_elided(prep, quote)
    if m is not None:
        return m
    if allow_drift:
        return _find_drift(prep, quote, fq)
    return None


# --- the policy --------------------------------------------------------------------

_RANK = {"exact": 0, "normalized": 1, "elided": 2}
_SENTENCE_END = re.compile(r"[.!?][\"'”’)\]]*\s+|\n[ \t]*\n")
_SENTENCE_END_AFTER = re.compile(r"[.!?][\"'”’)\]]*(?=\s|$)|\n[ \t]*\n")


def _location(source: records.Source, start: int, end: int) -> records.Location:
    from sourcecheck.library.store import locate_offsets  # one notion of "where", for every command

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
    qm = records.QuoteMatch(status, cited_source=cited.ref() if cited else None)
    if source is not None:
        qm.source = source.ref()
    if source is not None and tm is not None:
        qm.location = _location(source, tm.start, tm.end)
        qm.similarity = tm.similarity
        qm.context = _context(source.text, tm.start, tm.end)
        qm.matched_text = source.text[tm.start : tm.end]
        qm.diff = tm.diff
    return qm


def _found_elsewhere(
    quote: str, sources: Iterable[records.Source]
) -> tuple[records.Source, TextMatch] | None:
    best: tuple[records.Source, TextMatch] | None = None
    for s in sources:
        tm = _locate(quote, _prepare(_source_key(s), s.text), allow_drift=False)
        if tm is not None and (best is None or _RANK[tm.status] < _RANK[best[1].status]):
            best = (s, tm)
            if tm.status == "exact":
                break
    return best


def locate_quote(
    quote: str,
    cited: records.Source | None,
    library_sources: Iterable[records.Source],
    cited_missing: bool,
    library: Library | None = None,
) -> records.QuoteMatch:
    """What a quotation's attribution deserves.

    - cited source has it (exact/normalized/elided): that status, located in it;
    - otherwise another library source has it: ``wrong_source``, located there;
    - otherwise a near match in the cited source: ``drift``, with a word diff;
    - otherwise ``absent``.
    When the citation names nothing in the library (``cited is None and cited_missing``)
    the status is ``source_missing``, and ``source``/``location`` say where in the
    library the quotation was found anyway (or are ``None``). With no citation at all
    (``cited is None``, not missing), the library is searched and the status is where
    it was found, else ``absent``.

    With ``library`` (a :class:`sourcecheck.library.Library`), the other sources are
    found through its quotation index (:mod:`.index`, built on first use) instead of
    scanning every text of ``library_sources``, which is then ignored.
    """
    if library is not None:
        from .index import find_in_library  # index imports this module

        exclude = cited.id if cited is not None else None

        def elsewhere() -> tuple[records.Source, TextMatch] | None:
            return find_in_library(library, quote, exclude=exclude)
    else:
        others = [s for s in library_sources if cited is None or s.id != cited.id]

        def elsewhere() -> tuple[records.Source, TextMatch] | None:
            return _found_elsewhere(quote, others)

    if cited is None:
        hit = elsewhere()
        status = "source_missing" if cited_missing else (hit[1].status if hit else "absent")
        if hit is None:
            return records.QuoteMatch(status)
        return _quote_match(status, hit[0], hit[1], None)
    tm = _locate(quote, _prepare(_source_key(cited), cited.text), allow_drift=True)
    if tm is not None and tm.status in FOUND:
        return _quote_match(tm.status, cited, tm, cited)
    hit = elsewhere()
    if hit is not None:
        return _quote_match("wrong_source", hit[0], hit[1], cited)
    if tm is not None:  # drift
        return _quote_match("drift", cited, tm, cited)
    return _quote_match("absent", cited, None, cited)
