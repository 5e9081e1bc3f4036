"""Sentences and passages with offsets into the original text.

Search returns passages as exact quotations, so every passage is a slice
``text[start:end]`` of the stored source text; nothing here rewrites text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Hand-written splitter: spaCy would be heavier than the whole library for this job and
# its model is not a run-time dependency; a regex with an abbreviation list is enough
# for passages (2-3 sentences), where an occasional wrong split costs little.
_ABBREVIATIONS = frozenset(
    """mr mrs ms dr st prof gen col capt lt sgt maj adm gov sen rep jr sr rev hon
    mt ft vs etc cf al no nos vol vols pp ed eds fig jan feb mar apr jun jul aug sep sept
    oct nov dec co inc ltd corp dept univ approx ca esp"""
    .split()
)
# A sentence ends at . ! ? (maybe repeated, maybe followed by closing quotes/brackets)
# when whitespace and then a likely sentence start follow.
_END = re.compile(r"[.!?]+[\"'”’)\]]*(?=\s+[\"'“‘(\[_]*[A-Z0-9])")
_PARAGRAPH = re.compile(r"\n[ \t]*\n\s*")
_WORD_BEFORE = re.compile(r"([A-Za-z]+)\.?$")


@dataclass
class Passage:
    """A run of 2-3 sentences: ``text == source.text[start:end]``."""

    source_id: str
    start: int
    end: int
    text: str


def _is_abbreviation(text: str, dot: int) -> bool:
    """True if the '.' at ``dot`` ends an abbreviation or an initial ("Mr.", "J.")."""
    if text[dot] != ".":
        return False
    m = _WORD_BEFORE.search(text, max(0, dot - 12), dot)
    if not m:
        return False
    word = m.group(1)
    if m.start(1) > 0 and text[m.start(1) - 1] == ".":  # "i.e.", "U.S."
        return True
    if len(word) == 1 and word.isupper():  # an initial: "J. Reed"
        return True
    return word.lower() in _ABBREVIATIONS


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def split_sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence; paragraph breaks always end a sentence."""
    spans: list[tuple[int, int]] = []
    para_start = 0
    paragraphs = [(m.start(), m.end()) for m in _PARAGRAPH.finditer(text)] + [(len(text), len(text))]
    for brk_start, brk_end in paragraphs:
        start = para_start
        for m in _END.finditer(text, para_start, brk_start):
            if _is_abbreviation(text, m.start()):
                continue
            s, e = _trim(text, start, m.end())
            if e > s:
                spans.append((s, e))
            start = m.end()
        s, e = _trim(text, start, brk_start)
        if e > s:
            spans.append((s, e))
        para_start = brk_end
    return spans


def _split_long(text: str, start: int, end: int, max_chars: int) -> list[tuple[int, int]]:
    """Cut an over-long sentence at whitespace into pieces of at most ``max_chars``."""
    pieces = []
    while end - start > max_chars:
        cut = text.rfind(" ", start + max_chars // 2, start + max_chars)
        if cut <= start:
            cut = start + max_chars
        s, e = _trim(text, start, cut)
        pieces.append((s, e))
        start, _ = _trim(text, cut, end)
    pieces.append((start, end))
    return pieces


def make_passages(
    source_id: str, text: str, max_sentences: int = 3, max_chars: int = 600
) -> list[Passage]:
    """Group sentences into passages of up to ``max_sentences`` within one paragraph.

    Passages never cross a paragraph break (a heading is not glued to the text below
    it) and stay under ``max_chars`` unless one sentence alone is longer, in which case
    it is cut at whitespace.
    """
    sentences: list[tuple[int, int]] = []
    for s, e in split_sentences(text):
        sentences.extend(_split_long(text, s, e, max_chars) if e - s > max_chars else [(s, e)])
    passages: list[Passage] = []
    group: list[tuple[int, int]] = []

    def flush() -> None:
        if group:
            s, e = group[0][0], group[-1][1]
            passages.append(Passage(source_id, s, e, text[s:e]))
            group.clear()

    for s, e in sentences:
        if group:
            same_paragraph = _PARAGRAPH.search(text, group[-1][1], s) is None
            fits = e - group[0][0] <= max_chars and len(group) < max_sentences
            if not (same_paragraph and fits):
                flush()
        group.append((s, e))
    flush()
    return passages
