"""Sentences and passages with offsets into the original text.

Search returns passages as exact quotations, so every passage is a slice
``text[start:end]`` of the stored source text; nothing here rewrites text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..text import split_sentences, trim_span

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
