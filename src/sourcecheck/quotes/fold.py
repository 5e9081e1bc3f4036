"""Fold text to a comparable form, keeping a map back to the original.

Quotations are matched on a *folded* copy of both the quotation and the source, and
every place is reported in the *original* text: ``Folded.offsets[i]`` is the index in
the original of folded character ``i`` (plus a final sentinel, ``len(original)``), so a
folded span ``[i, j)`` is the original span ``[offsets[i], offsets[j - 1] + 1)``.

Each rule below carries one line naming the false alarm it prevents.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

__all__ = ["Folded", "fold", "SPELLINGS"]


@dataclass
class Folded:
    """A folded text: lowercase words separated by single spaces, and the offset map."""

    text: str
    offsets: list[int]  # len(text) + 1 entries; the last is len(original)

    def span(self, i: int, j: int) -> tuple[int, int]:
        """Original ``(start, end)`` of the folded span ``[i, j)`` (``j > i``)."""
        return self.offsets[i], self.offsets[j - 1] + 1


# Rule: running heads and page numbers dropped into a sentence by a scan are removed.
# Prevents: "the Winter\n\n112\n\nPalace" failing to match "the Winter Palace".
_CAPS = r"[A-Z][A-Z'’.,-]*(?:[ \t]+[A-Z][A-Z'’.,-]*)+"  # two or more capitalised words
_PAGE_MARKS = re.compile(
    # A running head (with or without its page number) on lines of its own, between a
    # line that ends mid-sentence and one that goes on in lower case: "the Winter\n\n
    # 112 TEN DAYS THAT SHOOK THE WORLD\n\nPalace" is not cut off at "Winter". Only
    # mid-sentence, so headings such as "ORDER NO. 2" after a colon are kept.
    r"(?-i:(?<=[a-z])[ \t]*(?:\r?\n[ \t]*)+"
    rf"(?:\d{{1,4}}[ \t]+{_CAPS}|{_CAPS}[ \t]+\d{{1,4}}|{_CAPS})"
    r"[ \t]*(?:\r?\n[ \t]*)+(?=[A-Za-z]))"
    r"|(?<=\n)[ \t]*\d{1,4}[ \t]*(?=\r?\n)"  # a line that is only a page number
    r"|\[(?:page|pg|p\.?)[ \t]*\d+\]",  # [Page 12], [Pg 12] (Gutenberg), [p. 12], [p12]
    re.IGNORECASE,
)

# Rule: a hyphen between letters, even across a line break, is dropped (words joined).
# Prevents: "revolu-\ntion" and "Social-\nRevolutionary" (hyphen at a line end of a
# hard-wrapped book) not matching "revolution" and "Social-Revolutionary".
_JOIN_HYPHEN = re.compile(r"(?<=[^\W\d_])[-\u2010\u2011\u00ad](?:[ \t]*\r?\n[ \t]*)?(?=[^\W\d_])")

# Rule: straight and curly quotes and apostrophes are dropped.
# Prevents: 'All power to the Soviets!' quoted with single marks inside a quotation
# failing against "All power..." in the source, and don’t vs don't.
_QUOTE_MARKS = frozenset("'\"‘’‚‛“”„‟«»‹›`´′″")

# Rule: spelling variants of transliterated names are mapped to one form (whole words).
# Prevents: "Trotsky" and "Kronstadt" in a quotation failing against Reed's 1919
# transliterations "Trotzky", "Cronstadt", "Bolsheviki".
SPELLINGS: dict[str, str] = {
    "cronstadt": "kronstadt",
    "kronshtadt": "kronstadt",
    "trotzky": "trotsky",
    "trotski": "trotsky",
    "bolsheviki": "bolsheviks",
    "mensheviki": "mensheviks",
    "kerenski": "kerensky",
    "tseretelli": "tsereteli",
    "tchernov": "chernov",
    "tchkheidze": "chkheidze",
    "lenine": "lenin",
    "lunatcharsky": "lunacharsky",
    "krilenko": "krylenko",
    "smolni": "smolny",
    "zinovyev": "zinoviev",
}
_SPELLING_RE = re.compile(r"(?<!\S)(?:" + "|".join(SPELLINGS) + r")(?!\S)")

_char_cache: dict[str, str] = {}


def _fold_char(c: str) -> str:
    """What one original character becomes: letters/digits, ``""`` or ``" "``."""
    out = _char_cache.get(c)
    if out is not None:
        return out
    if c in _QUOTE_MARKS:
        out = ""
    else:
        pieces = []
        # Rule: NFKD expands ligatures and splits accents off; combining marks dropped.
        # Prevents: "ﬁrst" (PDF/ebook ligature) and "Tséretelli"/"Tseretelli" mismatches.
        for d in unicodedata.normalize("NFKD", c):
            if unicodedata.combining(d):
                continue
            if d in _QUOTE_MARKS:
                continue
            # Rule: lowercase (casefold: also ß -> ss).
            # Prevents: a quotation that starts a sentence with "The" vs "the" mid-sentence.
            d = d.casefold()
            # Rule: every other punctuation mark (dashes, --, commas, brackets) -> space.
            # Prevents: "--" in a typewritten book vs "—" in the quotation, and a comma
            # dropped or added at the start or end of a quotation.
            pieces.append(d if d.isalnum() else " ")
        out = "".join(pieces)
    _char_cache[c] = out
    return out


def _dropped_spans(text: str) -> tuple[list[tuple[int, int]], set[int]]:
    """Sorted, non-overlapping original spans removed before character folding, and
    the starts of those that were page marks (they separate words, so leave a space)."""
    pages = [(m.start(), m.end()) for m in _PAGE_MARKS.finditer(text)]
    spans = sorted(pages + [(m.start(), m.end()) for m in _JOIN_HYPHEN.finditer(text)])
    merged: list[tuple[int, int]] = []
    last = -1
    for s, e in spans:
        if s >= last and e > s:
            merged.append((s, e))
            last = e
    return merged, {s for s, _ in pages}


def fold(text: str) -> Folded:
    """Fold ``text``; see the module's rules. Runs in one pass plus a few regex scans."""
    dropped, page_starts = _dropped_spans(text)
    chars: list[str] = []
    offsets: list[int] = []
    space = True  # collapse whitespace runs and strip leading space
    d = 0
    n = len(text)
    i = 0
    while i < n:
        if d < len(dropped) and dropped[d][0] == i:
            s, e = dropped[d]
            d += 1
            if s in page_starts and not space:
                # Rule: whitespace and line breaks collapsed to one space.
                # Prevents: a quotation typed on one line vs the book's hard line breaks.
                chars.append(" ")
                offsets.append(s)
                space = True
            i = e
            continue
        f = _fold_char(text[i])
        for ch in f:
            if ch == " ":
                if space:
                    continue
                space = True
            else:
                space = False
            chars.append(ch)
            offsets.append(i)
        i += 1
    if chars and chars[-1] == " ":
        chars.pop()
        offsets.pop()
    folded = "".join(chars)
    folded, offsets = _respell(folded, offsets)
    offsets.append(n)
    return Folded(folded, offsets)


def _respell(folded: str, offsets: list[int]) -> tuple[str, list[int]]:
    """Apply :data:`SPELLINGS` on whole words, mapping each new char into the old word."""
    if not _SPELLING_RE.search(folded):
        return folded, offsets
    parts: list[str] = []
    new_offsets: list[int] = []
    pos = 0
    for m in _SPELLING_RE.finditer(folded):
        parts.append(folded[pos : m.start()])
        new_offsets.extend(offsets[pos : m.start()])
        repl = SPELLINGS[m.group()]
        last = m.end() - m.start() - 1
        parts.append(repl)
        # Char k of the new spelling maps to char k of the old; the last to the last,
        # so a shorter spelling still spans the whole original word.
        ks = [min(k, last) for k in range(len(repl) - 1)] + [last]
        new_offsets.extend(offsets[m.start() + k] for k in ks)
        pos = m.end()
    parts.append(folded[pos:])
    new_offsets.extend(offsets[pos:])
    return "".join(parts), new_offsets
