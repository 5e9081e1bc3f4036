"""Pandoc Markdown: prose whose citations are ``[@key, p. 12]``, ``[see @a, pp. 3-5; @b]``, ``@key says``.

Each sentence is a claim, as in plain prose. A citation's quotation is the quoted text
in its sentence (the citation's own prefix first: ``[“...” @key, p. 4]``), or the
blockquote it ends or follows. Keys are resolved later, against ``--bib`` and the YAML
``bibliography:`` field, so a key in no bibliography is reported at its line while the
rest of the document is still checked.

Citations are read with regular expressions rather than by running pandoc: the pandoc
binary is a large system dependency, and its AST drops the line numbers every report needs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from ..errors import InputError
from ..records import Citation, Claim, Evidence
from ..text import SENTENCE_END, is_boundary
from .locator import parse_locator
from .outline import split_lines
from .prose import _blocks
from .readers import DocumentReader

_KEY = r"(?:\{(?P<bkey>[^{}]+)\}|(?P<key>[\w](?:[\w:.#$%&+?<>~/-]*[\w])?))"
GROUP = re.compile(r"\[(?P<body>[^\[\]]*?-?@" + _KEY.replace("?P<bkey>", "?:").replace("?P<key>", "?:") +
                   r"[^\[\]]*)\](?!\()")
ITEM = re.compile(r"^(?P<prefix>.*?)-?@" + _KEY + r"(?P<suffix>.*)$", re.S)
IN_TEXT = re.compile(r"(?<![\w@\[])@" + _KEY + r"(?:\s*\[(?P<loc>[^\[\]@]*)\])?")
QUOTED = re.compile(r"\u201c([^\u201d]{3,})\u201d|\"([^\"]{3,})\"")
DETECT = re.compile(r"\[[^\[\]]*-?@\w[^\[\]]*\]|(?<![\w@])@\w[\w:.#$%&+?<>~/-]*\w\s+(?:says|writes|argues|notes)")
FRONT_MATTER_END = re.compile(r"^(?:---|\.\.\.)\s*$")


@dataclass
class _Cite:
    citation: Citation
    quote: str | None  # a quotation in the citation's own prefix
    start: int  # offset of the citation within its sentence


def uses_citations(text: str) -> bool:
    """Whether Markdown is Pandoc's: it cites with ``[@key]`` or ``@key says``."""
    return DETECT.search(text) is not None


def front_matter(text: str, path: str | Path | None) -> tuple[str, list[str]]:
    """(text with the YAML block blanked, keeping line numbers; its ``bibliography:`` files)."""
    import yaml

    lines = split_lines(text)
    if not lines or lines[0].strip() != "---":
        return text, []
    end = next((i for i in range(1, len(lines)) if FRONT_MATTER_END.match(lines[i])), None)
    if end is None:
        return text, []
    try:
        meta = yaml.safe_load("\n".join(lines[1:end])) or {}
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        raise InputError(path, f"YAML front matter: {getattr(err, 'problem', err)}",
                         (mark.line + 2) if mark else 1) from None
    bib = meta.get("bibliography") if isinstance(meta, dict) else None
    files = [bib] if isinstance(bib, str) else [b for b in bib or [] if isinstance(b, str)]
    base = Path(path).parent if path else Path(".")
    blanked = "\n".join([" " * len(ln) for ln in lines[: end + 1]] + lines[end + 1 :])  # offsets kept
    return blanked, [str(p if (p := Path(f).expanduser()).is_absolute() else base / p) for f in files]


def _citation(prefix: str, key: str, suffix: str) -> _Cite:
    suffix = suffix.strip().lstrip(",").strip()
    locator = parse_locator(suffix.split(",")[0]) if suffix else None
    raw = f"@{key}" + (f", {suffix}" if suffix else "")
    q = QUOTED.search(prefix)
    return _Cite(Citation(raw=raw, key=key, locator=locator), (q.group(1) or q.group(2)).strip() if q else None, 0)


def citations_in(sentence: str) -> tuple[str, list[_Cite]]:
    """(sentence without its bracketed citations, the citations in order)."""
    found: list[_Cite] = []
    for g in GROUP.finditer(sentence):
        for part in g.group("body").split(";"):
            m = ITEM.match(part.strip())
            if m:
                c = _citation(m.group("prefix"), m.group("bkey") or m.group("key"), m.group("suffix"))
                c.start = g.start()
                found.append(c)
    rest = GROUP.sub("", sentence)
    for m in IN_TEXT.finditer(rest):
        c = _citation("", m.group("bkey") or m.group("key"), m.group("loc") or "")
        c.start = m.start()
        found.append(c)
    rest = IN_TEXT.sub(lambda m: m.group("bkey") or m.group("key"), rest)
    found.sort(key=lambda c: c.start)
    rest = re.sub(r"\s+([.,;:!?])", r"\1", " ".join(rest.split()))
    return rest, found


def _offsets(text: str) -> list[int]:
    starts, n = [], 0
    for ln in text.split("\n"):
        starts.append(n)
        n += len(ln) + 1
    return starts


def _sentences(block_lines: list[tuple[int, str]], raw_lines: list[str], line_starts: list[int]
               ) -> list[tuple[int, str, int]]:
    """(line, sentence, document offset of the sentence's end) for a paragraph."""
    joined = ""
    offs: list[int] = []  # the document offset of each character of joined
    for no, ln in block_lines:
        raw = raw_lines[no - 1]
        col = raw.find(ln.strip()) if ln.strip() else 0
        if joined:
            joined += " "
            offs.append(offs[-1] + 1 if offs else 0)
        for i, _ch in enumerate(ln.strip()):
            offs.append(line_starts[no - 1] + max(col, 0) + i)
        joined += ln.strip()
    out, begin = [], 0
    # A citation's own punctuation ("[“... Committee.” @key]") never ends its sentence.
    masked = GROUP.sub(lambda m: "[" + "x" * (len(m.group(0)) - 2) + "]", joined)
    cuts = [m.end() for m in SENTENCE_END.finditer(masked) if is_boundary(masked, m)]
    for end in [*cuts, len(joined)]:
        chunk = joined[begin:end]
        if chunk.strip():
            lead = len(chunk) - len(chunk.lstrip())
            start_off = offs[begin + lead]
            line = next(no for no in reversed([n for n, _ in block_lines]) if line_starts[no - 1] <= start_off)
            out.append((line, chunk.strip(), offs[begin + len(chunk.rstrip()) - 1] + 1))
        begin = end
    return out


def _anchor(sentence: str, end: int) -> int:
    """Where a new citation goes: before the sentence's closing punctuation, as Pandoc writes."""
    stripped = sentence.rstrip()
    trail = len(stripped) - len(stripped.rstrip(".!?\u2026\"\u201d')"))
    return end - trail


def parse_document(text: str, path: str | Path | None) -> tuple[list[Claim], list[str]]:
    """Claims with their evidence and quotation-less citations, and the YAML bibliography files."""
    text, bibliographies = front_matter(text, path)
    raw_lines = split_lines(text)
    line_starts = _offsets(text)
    claims: list[Claim] = []
    last: Claim | None = None
    for block in _blocks(text):
        if block.kind == "quote":
            quote_text = " ".join(ln.strip() for _, ln in block.lines if ln.strip())
            rest, cites = citations_in(quote_text)
            block_quote = rest.strip().strip("\u201c\u201d\"").strip()
            target = last
            if target is None or not block_quote:
                continue
            if cites:  # > quotation [@key, p. 4]
                target.evidence += [Evidence(block_quote, c.citation, block.lines[0][0]) for c in cites[:1]]
                target.citations += [c.citation for c in cites[1:]]
            elif target.citations:  # a sentence that cites, then the quotation as a block
                target.evidence.append(Evidence(block_quote, target.citations.pop(0), block.lines[0][0]))
            continue
        if block.kind != "para":
            last = None
            continue
        for line, sentence, end in _sentences(block.lines, raw_lines, line_starts):
            claim_text, cites = citations_in(sentence)
            if not claim_text.strip(" .") and not cites:
                continue
            claim = Claim(id=len(claims) + 1, text=claim_text, line=line, anchor=_anchor(sentence, end))
            inline = QUOTED.search(claim_text)
            for i, c in enumerate(cites):
                quote: str | None = c.quote or ((inline.group(1) or inline.group(2)).strip() if inline and i == 0 else None)
                if quote:
                    claim.evidence.append(Evidence(quote, c.citation, line))
                else:
                    claim.citations.append(c.citation)
            claims.append(claim)
            last = claim
    return claims, bibliographies


def parse(text: str, path: str | Path | None) -> list[Claim]:
    return parse_document(text, path)[0]


READER = DocumentReader("pandoc", parse_document, "Pandoc Markdown: [@key, p. 12] and a bibliography",
                        sniff=uses_citations, rank=20, writes_back=True)
