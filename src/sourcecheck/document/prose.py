"""Markdown prose: every sentence of an ordinary paragraph is a claim.

Evidence comes from a blockquote after a paragraph (for its last sentence, attribution
on a final ``— Title, Author, Year`` line) and from footnotes (``[^n]`` in a sentence,
``[^n]: "quote" Title, Author, Year`` defined anywhere).
"""

from __future__ import annotations

import bisect
import dataclasses
import re
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import InputError
from ..records import Claim, Evidence
from ..text import split_sentences
from .citation import OPENERS, SEPARATOR, citation_or_none, split_quotation
from .outline import split_lines
from .readers import DocumentReader, claims_only

FENCE = re.compile(r"^\s{0,3}(?:```|~~~)")
HEADING = re.compile(r"^\s{0,3}#{1,6}(?:\s|$)")
QUOTE_LINE = re.compile(r"^\s{0,3}>\s?")
FOOTNOTE_DEF = re.compile(r"^\[\^([^\]\s]+)\]:\s*(.*)$")
FOOTNOTE_REF = re.compile(r"\[\^([^\]\s]+)\]")
LIST_ITEM = re.compile(r"^\s{0,3}(?:[-*+]|\d+[.)])\s+")
RULE = re.compile(r"^\s{0,3}(?:-{3,}|\*{3,}|_{3,})\s*$")
ATTRIBUTION = re.compile(r"^(?:\u2014|\u2013|--|-)\s*(.+)$")

@dataclass
class _Block:
    kind: str  # "para" | "quote" | "footnote" | "other"
    lines: list[tuple[int, str]] = field(default_factory=list)
    label: str = ""  # footnote label


def _blocks(text: str) -> list[_Block]:
    """Markdown block structure, as much of it as claims and evidence need."""
    blocks: list[_Block] = []
    current: _Block | None = None
    fenced = False
    for no, ln in enumerate(split_lines(text), start=1):
        if fenced or FENCE.match(ln):
            if FENCE.match(ln):
                fenced = not fenced
            current = None
            continue
        if not ln.strip() or RULE.match(ln):
            current = None
            continue
        if HEADING.match(ln):
            blocks.append(_Block("other", [(no, ln)]))
            current = None
            continue
        if QUOTE_LINE.match(ln):
            if current is None or current.kind != "quote":
                current = _Block("quote")
                blocks.append(current)
            current.lines.append((no, QUOTE_LINE.sub("", ln, count=1)))
            continue
        m = FOOTNOTE_DEF.match(ln)
        if m:
            current = _Block("footnote", [(no, m.group(2))], m.group(1))
            blocks.append(current)
            continue
        m = LIST_ITEM.match(ln)
        if m:
            current = _Block("para", [(no, ln[m.end() :])])
            blocks.append(current)
            continue
        if current is None:
            current = _Block("para")
            blocks.append(current)
        current.lines.append((no, ln.strip()))  # lazy continuation, as Markdown does
    return blocks


def sentences(lines: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """(line, sentence) pairs of a paragraph given as (line, text) pairs."""
    text, starts = "", []
    for _no, ln in lines:
        if text:
            text += " "
        starts.append(len(text))
        text += ln.strip()
    nos = [no for no, _ in lines]
    return [(nos[bisect.bisect_right(starts, s) - 1], text[s:e]) for s, e in split_sentences(text)]


def _unwrap(quote: str) -> str:
    """Drop delimiters that wrap the whole quotation: > "..." reads as > ..."""
    if len(quote) >= 2 and quote[0] in OPENERS and quote[-1] == OPENERS[quote[0]]:
        return quote[1:-1].strip()
    return quote


def _blockquote_evidence(block: _Block, path: str | Path | None) -> Evidence:
    lines = [(no, ln.strip()) for no, ln in block.lines if ln.strip()]
    attribution = ""
    if len(lines) > 1:
        m = ATTRIBUTION.match(lines[-1][1])
        if m:
            attribution = m.group(1)
            lines = lines[:-1]
    quote = " ".join(ln for _, ln in lines)
    line = block.lines[0][0]
    if not attribution:
        # One line holding both: > "quote" - Title, Author, Year
        split = split_quotation(quote, path, line) if quote[:1] in OPENERS else None
        if split and split[1]:
            quote, attribution = split
    quote = _unwrap(quote)
    if not quote:
        raise InputError(path, "blockquote has no quotation", line)
    return Evidence(quote, citation_or_none(attribution), line)


def _footnote_evidence(block: _Block, path: str | Path | None) -> Evidence | None:
    """Evidence from a footnote definition; None when it cites without quoting."""
    line = block.lines[0][0]
    text = " ".join(ln.strip() for _, ln in block.lines if ln.strip())
    split = split_quotation(text, path, line)
    if split is None:
        return None
    quote, attribution = split
    m = SEPARATOR.match(attribution)
    return Evidence(quote, citation_or_none(attribution[m.end() :] if m else attribution), line)


def parse(text: str, path: str | Path | None) -> list[Claim]:
    """Claims (ids 1.. in order) with their evidence, from Markdown prose."""
    blocks = _blocks(text)
    footnotes = {b.label: b for b in blocks if b.kind == "footnote"}
    notes: dict[str, Evidence | None] = {}
    claims: list[Claim] = []
    last: Claim | None = None  # the claim a following blockquote is evidence for
    for block in blocks:
        if block.kind == "quote":
            if last is not None:  # a blockquote with no paragraph before it is an epigraph
                last.evidence.append(_blockquote_evidence(block, path))
            continue
        if block.kind != "para":
            last = None
            continue
        for line, sentence in sentences(block.lines):
            labels = list(dict.fromkeys(FOOTNOTE_REF.findall(sentence)))
            claim_text = " ".join(FOOTNOTE_REF.sub("", sentence).split())
            claim_text = re.sub(r"\s+([.,;:!?])", r"\1", claim_text)
            if not claim_text:
                continue
            claim = Claim(id=len(claims) + 1, text=claim_text, line=line)
            for label in labels:
                if label not in footnotes:
                    raise InputError(path, f"footnote [^{label}] is not defined", line)
                if label not in notes:
                    notes[label] = _footnote_evidence(footnotes[label], path)
                note = notes[label]
                if note is not None:
                    # A copy each: two claims citing one note must not share an object.
                    claim.evidence.append(dataclasses.replace(note))
            claims.append(claim)
            last = claim
    return claims


READER = DocumentReader("markdown", claims_only(parse), "Markdown prose: sentences, footnotes, quotations",
                        sniff=lambda text: True, rank=100, records_as="prose", aliases=("prose",))
