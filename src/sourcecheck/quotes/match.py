"""Matching primitives: find a quotation in one prepared text, exact, normalized, elided or drift.

The one public home of what :mod:`.locate` (one cited source) and :mod:`.index` (a whole
library) both use, so neither reaches into the other's private names.
Matching happens on folded copies (:mod:`.fold`); every offset returned is into the
original text, and everything shown (matched text, diff words) is original.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field

from rapidfuzz import fuzz

from sourcecheck.records import DiffOp
from sourcecheck.tuning import (
    DRIFT_ANCHOR_MAX_HITS,
    DRIFT_ANCHORS,
    DRIFT_MIN_ALIGNMENT,
    DRIFT_MIN_BUCKET,
    DRIFT_MIN_WORDS,
    DRIFT_THRESHOLD,
    DRIFT_WINDOWS,
    ELIDED_MAX_STARTS,
    ELISION_GAP,
    INSERTION_GAP,
    TRIVIAL_PART_CHARS,
)

from .diff import word_diff
from .fold import Folded, fold

__all__ = [
    "DRIFT_THRESHOLD",
    "FOUND",
    "STATUS_RANK",
    "Prepared",
    "TextMatch",
    "better",
    "editorial_parts",
    "match_prepared",
    "prepare",
    "shift",
]

FOUND = ("exact", "normalized", "elided")  # statuses that mean "the source has it"
# How good a find elsewhere is, best first: drift is never looked for outside the cited source.
STATUS_RANK = {"exact": 0, "normalized": 1, "elided": 2}


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
class Prepared:
    """A text folded once, with a word -> folded positions index for drift anchors."""

    text: str
    folded: Folded
    padded: str  # " " + folded.text + " ": finds whole words with one str.find
    index: dict[str, list[int]]


_WORD = re.compile(r"\S+")


def prepare(text: str, folded: Folded | None = None) -> Prepared:
    """Fold ``text`` and index its words (the caller decides whether to keep it)."""
    folded = folded or fold(text)
    index: dict[str, list[int]] = {}
    for m in _WORD.finditer(folded.text):
        index.setdefault(m.group(), []).append(m.start())
    return Prepared(text, folded, " " + folded.text + " ", index)


def better(tm: TextMatch, than: TextMatch | None) -> bool:
    """Whether ``tm`` ranks above ``than`` (exact > normalized > elided) as a find elsewhere."""
    return than is None or STATUS_RANK[tm.status] < STATUS_RANK[than.status]


def shift(tm: TextMatch, offset: int) -> TextMatch:
    """``tm`` found in a window starting at ``offset``, moved to the whole text's offsets."""
    tm.start += offset
    tm.end += offset
    tm.parts = [(a + offset, b + offset) for a, b in tm.parts]
    return tm


# --- the four ways of being found -------------------------------------------------


def _find_words(prep: Prepared, part: str, lo: int = 0, hi: int | None = None) -> Iterable[int]:
    """Folded start of each whole-word occurrence of ``part`` starting in ``[lo, hi]``."""
    needle = " " + part + " "
    limit = len(prep.padded) if hi is None else min(len(prep.padded), hi + len(needle))
    pos = prep.padded.find(needle, lo, limit)
    while pos >= 0:
        yield pos
        pos = prep.padded.find(needle, pos + 1, limit)


def _orig_span(prep: Prepared, i: int, j: int) -> tuple[int, int]:
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


def editorial_parts(quote: str, ellipses: bool = True) -> tuple[list[str], list[int]] | None:
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
    return " " not in part and len(part) < TRIVIAL_PART_CHARS


def _find_elided(prep: Prepared, quote: str) -> TextMatch | None:
    m = _find_parts(prep, editorial_parts(quote))
    if m is None and _BARE_ELLIPSIS.search(quote):
        # The source's own "..." copied with a [bracketed insertion] elsewhere: Reed
        # writes "support... a" and a quotation keeps it; it is not an elision.
        m = _find_parts(prep, editorial_parts(quote, ellipses=False))
    return m


_BARE_ELLIPSIS = re.compile(r"(?<!\[)(?:…|\.\s*\.\s*\.)")


def _find_parts(prep: Prepared, parsed: tuple[list[str], list[int]] | None) -> TextMatch | None:
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
                return [(s, s + len(parts[k])), *tail]
        return None

    for n, s in enumerate(_find_words(prep, parts[0])):
        if n >= ELIDED_MAX_STARTS:
            break
        tail = rest(1, s + len(parts[0]))
        if tail is not None:
            spans = [(s, s + len(parts[0])), *tail]
            orig = [_orig_span(prep, i, j) for i, j in spans]
            return TextMatch("elided", orig[0][0], orig[-1][1], 1.0, [], orig)
    return None


def _find_drift(prep: Prepared, quote: str, fq: str) -> TextMatch | None:
    """Best near match, from windows around clusters of the quotation's rarest words.

    No scan of the whole text: each rare word's occurrences vote for where the quotation
    would start, and only the few best-voted windows are aligned.
    """
    qwords = fq.split()
    if len(qwords) < DRIFT_MIN_WORDS:
        return None  # too short to tell a reworded quotation from a coincidence
    qoffs = [m.start() for m in _WORD.finditer(fq)]
    cands = sorted(
        (len(prep.index[w]), w, off) for w, off in zip(qwords, qoffs) if w in prep.index
    )
    seen: set[str] = set()
    anchors = []
    for count, w, off in cands:
        if w in seen or count > DRIFT_ANCHOR_MAX_HITS:
            continue
        seen.add(w)
        anchors.append((w, off))
        if len(anchors) == DRIFT_ANCHORS:
            break
    if not anchors:
        return None
    L = len(fq)
    bucket = max(L // 2, DRIFT_MIN_BUCKET)
    votes: dict[int, set[int]] = {}
    for k, (w, off) in enumerate(anchors):
        for p in prep.index[w]:
            votes.setdefault((p - off) // bucket, set()).add(k)
    none: set[int] = set()
    score = {b: len(v | votes.get(b - 1, none) | votes.get(b + 1, none)) for b, v in votes.items()}
    best_buckets = sorted(score, key=lambda b: (-score[b], b))[:DRIFT_WINDOWS]

    ftext = prep.folded.text
    best: tuple[float, int, int] | None = None
    for b in best_buckets:
        ws = max(0, b * bucket - L)
        we = min(len(ftext), b * bucket + 2 * L + bucket)
        al = fuzz.partial_ratio_alignment(fq, ftext[ws:we])
        if al is None or al.score < DRIFT_MIN_ALIGNMENT:
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


def match_prepared(quote: str, prep: Prepared, *, allow_drift: bool) -> TextMatch | None:
    """Find ``quote`` in a prepared text: exact, normalized, elided, drift (if allowed), or ``None``."""
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
