"""Outline documents: top-level bullets are claims, nested bullets their quoted evidence.

The format of ``examples/october-revolution.md``. Lines are grouped into items (a bullet
and the non-bullet lines that continue it) before any quotation is read, so that a
quotation may span lines and an error can name the line of the bullet it belongs to.
The same grouping tells :func:`render_outline` where each claim's block ends, so new
evidence is inserted without touching any other byte.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import InputError
from ..records import Claim, Evidence
from .citation import OPENERS, citation_or_none, split_quotation
from .readers import DocumentReader, claims_only

CLAIM_BULLET = re.compile(r"^[-*](?:[ \t]+(.*))?$")
EVIDENCE_BULLET = re.compile(r"^([ \t]+)([-*+])[ \t]+(.*)$")
HEADING = re.compile(r"^#{1,6}(?:\s|$)")
RULE = re.compile(r"^(?:-{3,}|\*{3,}|_{3,})\s*$")


@dataclass
class _Item:
    """A bullet and its continuation lines, as written."""

    kind: str  # "claim" | "evidence"
    line: int  # 1-based line of the bullet
    parts: list[str] = field(default_factory=list)
    last_line: int = 0  # last non-blank line of the item
    indent: str = ""
    marker: str = "-"

    @property
    def text(self) -> str:
        return " ".join(p.strip() for p in self.parts if p.strip())


def split_lines(text: str) -> list[str]:
    """Lines on ``\\n`` only (str.splitlines also breaks on \\x0c, \\u2028..., which would
    shift line numbers against what editors and :func:`render_outline` count)."""
    return [ln.rstrip("\r") for ln in text.split("\n")]


def _items(text: str, path: str | Path | None) -> list[_Item]:
    items: list[_Item] = []
    current: _Item | None = None
    for no, ln in enumerate(split_lines(text), start=1):
        if not ln.strip():
            continue
        m = CLAIM_BULLET.match(ln)
        if m and not RULE.match(ln):
            current = _Item("claim", no, [m.group(1) or ""], no)
            items.append(current)
            continue
        m = EVIDENCE_BULLET.match(ln)
        if m:
            if not items:
                raise InputError(path, "evidence bullet before any claim", no)
            current = _Item("evidence", no, [m.group(3)], no, m.group(1), m.group(2))
            items.append(current)
            continue
        if HEADING.match(ln) or RULE.match(ln):
            current = None
            continue
        if current is None:
            raise InputError(path, "expected a claim bullet ('- ' at the start of the line)", no)
        current.parts.append(ln)
        current.last_line = no
    return items


def parse(text: str, path: str | Path | None) -> list[Claim]:
    """Claims (ids 1.. in order) with their evidence, from outline text."""
    claims: list[Claim] = []
    for item in _items(text, path):
        if item.kind == "claim":
            if not item.text:
                raise InputError(path, "empty claim bullet", item.line)
            claims.append(Claim(id=len(claims) + 1, text=item.text, line=item.line))
            continue
        split = split_quotation(item.text, path, item.line)
        if split is None:
            raise InputError(
                path,
                "evidence bullet has no quotation (expected `...`, \"...\" or \u201c...\u201d first)",
                item.line,
            )
        quote, attribution = split
        claims[-1].evidence.append(Evidence(quote, citation_or_none(attribution), item.line))
    return claims


def _delimiters(preferred: str, quote: str) -> tuple[str, str]:
    """The document's delimiter, unless the quotation itself contains its closer."""
    for opener in (preferred, "`", "\u201c", '"'):
        if OPENERS[opener] not in quote:
            return opener, OPENERS[opener]
    return "`", "`"


def render_outline(doc_text: str, additions: dict[int, list[tuple[str, str]]]) -> str:
    """The outline with new evidence bullets after the evidence of the claims named by line.

    ``additions`` maps the line of a claim bullet to ``(quote, citation_raw)`` pairs.
    New bullets copy the indentation, marker and quotation delimiter of the claim's own
    evidence, else of the document's first evidence, else 4 spaces, ``-`` and backticks;
    every other byte of the document is kept as it was.
    """
    items = _items(doc_text, None)
    blocks: dict[int, tuple[int, _Item | None]] = {}  # claim line -> (last line, style)
    claim_line = 0
    for item in items:
        if item.kind == "claim":
            claim_line = item.line
            blocks[claim_line] = (item.last_line, None)
        else:
            _, style = blocks[claim_line]
            blocks[claim_line] = (item.last_line, style or item)
    first_evidence = next((i for i in items if i.kind == "evidence"), None)

    lines = doc_text.split("\n")
    eol = "\r" if "\r\n" in doc_text else ""  # the "\n" comes back with the join
    # Insert from the bottom up so earlier line numbers stay valid.
    for line in sorted(additions, reverse=True):
        if line not in blocks:
            raise ValueError(f"no claim bullet on line {line}")
        last, style = blocks[line]
        style = style or first_evidence
        indent = style.indent if style else "    "
        marker = style.marker if style else "-"
        opener = style.text[:1] if style and style.text[:1] in OPENERS else "`"
        new = []
        for quote, citation_raw in additions[line]:
            quote = " ".join(quote.split())
            o, c = _delimiters(opener, quote)
            bullet = f"{indent}{marker} {o}{quote}{c}"
            if citation_raw.strip():
                bullet += f" - {citation_raw.strip()}"
            new.append(bullet + eol)
        if not new:
            continue
        if last == len(lines):  # the document's last line, with no line ending
            lines[last - 1] += eol
            new[-1] = new[-1][: len(new[-1]) - len(eol)]
        lines[last:last] = new
    return "\n".join(lines)


READER = DocumentReader("outline", claims_only(parse), "our outline: `- claim` with indented evidence",
                        sniff=lambda text: first_line(text).startswith(("- ", "* ")), rank=10, writes_back=True)


def first_line(text: str) -> str:
    """The first line that is neither blank nor a heading: `# Notes` above an outline keeps it one."""
    return next((ln for ln in text.splitlines() if ln.strip() and not ln.lstrip().startswith("#")), "")
