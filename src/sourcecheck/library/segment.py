"""Sentences and passages with offsets into the original text.

Search returns passages as exact quotations, so every passage is a slice
``text[start:end]`` of the stored source text; nothing here rewrites text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..text import split_sentences, trim_span
from .hygiene import block_fault, end_matter, is_heading, markup_debris, sentence_fault

_PARAGRAPH = re.compile(r"\n[ \t]*\n\s*")


@dataclass
class Passage:
    """A run of 2-3 sentences: ``text == source.text[start:end]``."""

    source_id: str
    start: int
    end: int
    text: str


def _split_long(text: str, start: int, end: int, max_chars: int) -> list[tuple[int, int]]:
    """Cut an over-long sentence at whitespace into pieces of at most ``max_chars``."""
    pieces = []
    while end - start > max_chars:
        cut = text.rfind(" ", start + max_chars // 2, start + max_chars)
        if cut <= start:
            cut = start + max_chars
        s, e = trim_span(text, start, cut)
        pieces.append((s, e))
        start, _ = trim_span(text, cut, end)
    pieces.append((start, end))
    return pieces


@dataclass
class Dropped:
    """A stretch of text kept out of search, and the hygiene rule (hygiene.py) that kept it out."""

    rule: str
    start: int
    end: int


def _blocks(text: str) -> list[tuple[int, int]]:
    """(start, end) of each paragraph, trimmed, in order."""
    out, at = [], 0
    for m in [*_PARAGRAPH.finditer(text), None]:
        s, e = trim_span(text, at, m.start() if m else len(text))
        if e > s:
            out.append((s, e))
        at = m.end() if m else len(text)
    return out


def make_passages(
    source_id: str, text: str, max_sentences: int = 3, max_chars: int = 600,
    dropped: list[Dropped] | None = None, hygiene: bool = True,
) -> list[Passage]:
    """Group sentences into passages of up to ``max_sentences`` within one paragraph.

    Passages never cross a paragraph break (a heading is not glued to the text below
    it) and stay under ``max_chars`` unless one sentence alone is longer, in which case
    it is cut at whitespace. Paragraphs and sentences a hygiene rule refuses (tables, bare
    dates, navigation, reference lists, headings; hygiene.py) are no passage, and a passage
    never spans one; each is appended to ``dropped`` when given. ``hygiene=False`` (for the
    benchmark's before/after) makes passages of everything.
    """
    blocks = _blocks(text) if hygiene else []
    refused: list[tuple[int, int, str]] = []  # (start, end, rule), in order
    in_end_matter = False
    for s, e in blocks:
        block = text[s:e]
        if is_heading(block):
            in_end_matter = end_matter(block)
        rule = block_fault(block) or ("references" if in_end_matter else None)
        if rule:
            refused.append((s, e, rule))
    sentences: list[tuple[int, int]] = []
    r = 0
    for s, e in split_sentences(text):
        while r < len(refused) and refused[r][1] <= s:
            r += 1
        if r < len(refused) and refused[r][0] <= s < refused[r][1]:
            continue  # inside a refused paragraph
        cut = markup_debris(text[s:e]) if hygiene else 0
        if cut:
            refused.append((s, s + cut, "markup"))
            s += cut
        rule = sentence_fault(text[s:e]) if hygiene else None
        if rule:
            refused.append((s, e, rule))
            sentences.append((s, -1))  # a gap no passage spans
            continue
        sentences.extend(_split_long(text, s, e, max_chars) if e - s > max_chars else [(s, e)])
    if dropped is not None:
        dropped.extend(Dropped(rule, s, e) for s, e, rule in sorted(refused))
    passages: list[Passage] = []
    group: list[tuple[int, int]] = []

    def flush() -> None:
        if group:
            s, e = group[0][0], group[-1][1]
            passages.append(Passage(source_id, s, e, text[s:e]))
            group.clear()

    for s, e in sentences:
        if e < 0:
            flush()
            continue
        if group:
            same_paragraph = _PARAGRAPH.search(text, group[-1][1], s) is None
            fits = e - group[0][0] <= max_chars and len(group) < max_sentences
            if not (same_paragraph and fits):
                flush()
        group.append((s, e))
    flush()
    return passages
