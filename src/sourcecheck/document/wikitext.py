"""Wikipedia wikitext: the sentences and clauses that refs follow are the claims.

Read with mwparserfromhell, so nested templates, named refs and tables are parsed as
MediaWiki does rather than guessed at. What a reader sees as running text (links, bold,
inline templates such as ``{{lang}}``) is text; infoboxes, tables, navboxes and other
block templates are not claims (the false alarm it prevents: "no evidence" for every
infobox field). A ref's ``|quote=`` is a quotation to locate in the cited source; a ref
without one still names its source. ``{{sfn}}``/``{{harvnb}}`` are resolved against the
article's own full citations, by surname and year, as the Harvard templates link them.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from pathlib import Path

import mwparserfromhell
from mwparserfromhell.nodes import Comment, ExternalLink, Heading, HTMLEntity, Tag, Template, Text, Wikilink

from ..library.citations import surname
from ..records import Citation, Claim, Evidence
from ..text import SENTENCE_END, is_boundary
from .locator import parse_locator
from .pandoc import QUOTED
from .readers import DocumentReader, claims_only

CITE_TEMPLATES = ("cite book", "cite web", "cite journal", "cite news", "citation", "cite encyclopedia",
                  "cite magazine", "cite thesis", "cite report")
SHORT_TEMPLATES = ("sfn", "sfnp", "harvnb", "harv", "harvp", "harvtxt", "harvcoltxt", "sfnm")
NEEDED_TEMPLATES = ("citation needed", "cn", "fact", "cite needed")
INLINE_TAGS = ("b", "i", "u", "s", "small", "big", "span", "sup", "sub", "abbr", "nowiki", "em", "strong", "q")
DROP_LINK_PREFIXES = ("file:", "image:", "category:", "media:")
# Inline templates as a reader sees them; every other template is block furniture.
INLINE_TEMPLATES = {
    "lang": lambda t: _param(t, "2"), "nowrap": lambda t: _param(t, "1"), "nobr": lambda t: _param(t, "1"),
    "convert": lambda t: f"{_param(t, '1')} {_param(t, '2')}", "circa": lambda t: f"c. {_param(t, '1')}",
    "c.": lambda t: f"c. {_param(t, '1')}", "transl": lambda t: _param(t, "2") or _param(t, "1"),
    "oldstyledate": lambda t: f"{_param(t, '1')} [O.S. {_param(t, '3')}] {_param(t, '2')}",
    "snd": lambda t: " \u2013 ", "ndash": lambda t: "\u2013", "mdash": lambda t: "\u2014",
}


def _name(t: Template) -> str:
    return " ".join(str(t.name).replace("_", " ").split()).lower()


# Each template's parameters by name, made once: a cite template is asked for ~20 names (author
# forms, page forms, title, quote), and mwparserfromhell's ``get`` strips every parameter's name on
# each call, which was most of the reading time of 10,000 refs. Keyed by id, with the template kept,
# so an id reused after a template is freed is never mistaken for it; cleared by each ``parse``.
_PARAMS: dict[int, tuple[Template, dict]] = {}


def _params(t: Template) -> dict:
    known = _PARAMS.get(id(t))
    if known is None or known[0] is not t:
        by_name: dict = {}
        for p in t.params:  # the last of a repeated name wins, as MediaWiki (and Template.get) read it
            by_name[str(p.name).strip()] = p.value
        known = _PARAMS[id(t)] = (t, by_name)
    return known[1]


def _param(t: Template, name: str) -> str:
    value = _params(t).get(name)
    if value is None:
        return ""
    raw = str(value)
    # strip_code is most of the reading time on a long article: only for values with markup
    return " ".join((value.strip_code() if any(c in raw for c in "[{<'&") else raw).split())


@dataclass
class _Mark:
    """A ref (or a citation-needed mark) at a position of the running text."""

    pos: int
    citation: Citation | None
    quote: str | None = None


@dataclass
class _Para:
    text: list[str] = field(default_factory=list)
    offsets: list[int] = field(default_factory=list)  # document offset of each character
    marks: list[_Mark] = field(default_factory=list)

    def add(self, s: str, offset: int, end: int | None = None) -> None:
        self.text.append(s)
        self.offsets += [offset + i if end is None else end - 1 for i in range(len(s))]

    @property
    def string(self) -> str:
        return "".join(self.text)


_HARV_YEAR = re.compile(r"\d{4}[a-z]?")
_BRACES = re.compile(r"\{\{+|\}\}+")


def _year(text: str) -> int | None:
    m = re.search(r"\b(\d{4})", text)
    return int(m.group(1)) if m else None


def _author(t: Template) -> str | None:
    for last, first in (("last", "first"), ("last1", "first1"), ("surname", "given"), ("author", ""),
                        ("author1", ""), ("editor-last", "editor-first"), ("editor", "")):
        if _param(t, last):
            return f"{_param(t, last)}, {_param(t, first)}" if first and _param(t, first) else _param(t, last)
    return None


def _locator(t: Template):
    for name, unit in (("page", "p. "), ("p", "p. "), ("pages", "pp. "), ("pp", "pp. "), ("at", ""), ("loc", "")):
        value = _param(t, name)
        if value:
            return parse_locator(unit + value) or parse_locator(value)
    return None


def full_citation(t: Template) -> tuple[Citation, str | None]:
    """(Citation, quote) of a ``{{cite ...}}`` template."""
    title = _param(t, "title") or re.sub(r"^[a-z]{2,3}:", "", _param(t, "script-title")) or _param(t, "work")
    author, year = _author(t), _year(_param(t, "year") or _param(t, "date"))
    loc = _locator(t)
    raw = ", ".join(x for x in (title, author, str(year) if year else "", loc.raw if loc else "") if x)
    return Citation(raw=raw, title=title or None, author=author, year=year, locator=loc), _param(t, "quote") or None


class _Bibliography:
    """The article's full citations, for resolving ``{{sfn|Reed|1919|p=45}}`` by surname and year
    as written, so "2026a" and "2026b" (two works of one author in a year) stay apart."""

    def __init__(self, code) -> None:
        self.entries: dict[tuple[str, str], Citation] = {}
        # Each cite template read once: the refs read the same nodes (alive as long as the parse tree).
        self.read: dict[int, tuple[Template, tuple[Citation, str | None]]] = {}
        for t in code.filter_templates(recursive=True):
            if _name(t) in CITE_TEMPLATES:
                c = self.full(t)[0]
                written = _HARV_YEAR.search(_param(t, "year") or _param(t, "date"))
                if c.author and written:
                    self.entries.setdefault((surname(c.author), written.group(0)), c)

    def full(self, t: Template) -> tuple[Citation, str | None]:
        known = self.read.get(id(t))
        if known is None or known[0] is not t:
            known = self.read[id(t)] = (t, full_citation(t))
        return known[1]

    def short(self, t: Template) -> Citation:
        positional = [str(p.value).strip() for p in t.params if not p.showkey]
        written = next((p for p in reversed(positional) if _HARV_YEAR.fullmatch(p)), None)
        names = [p for p in positional if p != written]
        year = _year(written or "")
        loc = _locator(t)
        raw = " ".join(names[:1] + ([written] if written else [])) + (f", {loc.raw}" if loc else "")
        entry = self.entries.get((surname(names[0]), written)) if names and written else None
        if entry is not None:
            return Citation(raw=raw, title=entry.title, author=entry.author, year=entry.year, locator=loc)
        return Citation(raw=raw, title=None, author=names[0] if names else None, year=year, locator=loc)


class _Reader:
    def __init__(self, text: str) -> None:
        self.text = text
        self.code = mwparserfromhell.parse(text)
        self.bib = _Bibliography(self.code)
        self.named: dict[str, Tag] = {}
        for tag in self.code.filter_tags(recursive=True, matches=lambda n: str(n.tag).lower() == "ref"):
            name = str(tag.get("name").value).strip() if tag.has("name") else ""
            if name and tag.contents is not None and str(tag.contents).strip() and name not in self.named:
                self.named[name] = tag
        self.paras: list[_Para] = [_Para()]

    def ref(self, tag: Tag) -> tuple[Citation | None, str | None]:
        name = str(tag.get("name").value).strip() if tag.has("name") else ""
        body = tag.contents if tag.contents is not None and str(tag.contents).strip() else None
        if body is None and name in self.named:
            body = self.named[name].contents
        if body is None:
            return None, None
        for t in body.filter_templates(recursive=False):
            if _name(t) in CITE_TEMPLATES:
                return self.bib.full(t)
            if _name(t) in SHORT_TEMPLATES:
                return self.bib.short(t), _param(t, "quote") or None
        plain = " ".join(body.strip_code().split())
        if not plain:
            return None, None
        from .citation import parse_citation

        return parse_citation(plain), None

    def brk(self) -> None:
        if self.paras[-1].text or self.paras[-1].marks:
            self.paras.append(_Para())

    def walk(self, nodes, base: int) -> None:
        offset = base
        for node in nodes:
            raw = str(node)
            para = self.paras[-1]
            if isinstance(node, Text):
                # "{{" and "}}" left as text are template syntax the parser gave up on (nested past its
                # depth, or unbalanced), never prose: blanked, same length, so offsets stay true (the
                # garbage it prevents: a claim of 30 KB of closing braces, judged for minutes)
                pieces = re.split(r"(\n\s*\n)", _BRACES.sub(lambda b: " " * len(b.group()), raw))
                at = offset
                for piece in pieces:
                    if re.fullmatch(r"\n\s*\n", piece):
                        self.brk()
                    elif piece:
                        self.paras[-1].add(piece.replace("\n", " "), at)
                    at += len(piece)
            elif isinstance(node, Tag) and str(node.tag).lower() == "ref" and node.has("group"):
                pass  # <ref group="note">: an explanatory note, not a citation
            elif isinstance(node, Tag) and str(node.tag).lower() == "ref":
                citation, quote = self.ref(node)
                para.marks.append(_Mark(len(para.string), citation, quote))
            elif isinstance(node, Template):
                name = _name(node)
                if name in SHORT_TEMPLATES:
                    para.marks.append(_Mark(len(para.string), self.bib.short(node), _param(node, "quote") or None))
                elif name in NEEDED_TEMPLATES:
                    para.marks.append(_Mark(len(para.string), None))
                elif name in INLINE_TEMPLATES:
                    para.add(INLINE_TEMPLATES[name](node), offset, offset + len(raw))
                elif "\n" in raw or name.startswith(("infobox", "navbox", "reflist", "main", "see also", "further")):
                    self.brk()
            elif isinstance(node, Wikilink):
                if not str(node.title).strip().lower().startswith(DROP_LINK_PREFIXES):
                    shown = node.text.strip_code() if node.text is not None else str(node.title).split("#")[0]
                    para.add(shown, offset, offset + len(raw))
            elif isinstance(node, ExternalLink):
                if node.title is not None:
                    para.add(node.title.strip_code(), offset, offset + len(raw))
            elif isinstance(node, HTMLEntity):
                para.add(node.normalize(), offset, offset + len(raw))
            elif isinstance(node, Tag) and str(node.tag).lower() in INLINE_TAGS and node.contents is not None:
                inner = str(node.contents)
                self.walk(node.contents.nodes, offset + raw.find(inner) if inner else offset)
            elif isinstance(node, Tag) and str(node.tag).lower() == "br":
                para.add(" ", offset)
            elif isinstance(node, (Heading, Tag)):
                self.brk()  # headings, tables, list items, blockquotes, galleries: not running text
            elif not isinstance(node, Comment):
                self.brk()
            offset += len(raw)


def _sentence_of(s: str, cuts: list[int], pos: int) -> int:
    """Index of the sentence a ref at ``pos`` follows: refs after a sentence's full stop are its own."""
    i = bisect.bisect_left(cuts, pos)
    if i > 0 and not s[cuts[i - 1] : pos].strip():
        return i - 1
    return min(i, len(cuts) - 1)


def _claims_of(para: _Para, line_starts: list[int], claims: list[Claim]) -> None:
    s = para.string
    if not para.marks or not s.strip():
        return
    cuts = [m.end() for m in SENTENCE_END.finditer(s) if is_boundary(s, m)] + [len(s)]
    by_sentence: dict[int, list[_Mark]] = {}
    for m in para.marks:
        by_sentence.setdefault(_sentence_of(s, cuts, m.pos), []).append(m)
    for i, marks in sorted(by_sentence.items()):
        begin, end = (cuts[i - 1] if i else 0), cuts[i]
        # A ref inside the sentence ends a clause; refs at its end (before or after the full stop) the rest.
        groups: dict[int, list[_Mark]] = {}
        for m in marks:
            at_end = m.pos >= end or not s[m.pos:end].strip(" .,;:!?\"\u201d')")
            groups.setdefault(end if at_end else m.pos, []).append(m)
        seg_start = begin
        for cut, group in sorted(groups.items()):
            segment = s[seg_start:cut]
            words = " ".join(segment.split()).strip(" ,;:")
            seg_start = cut
            if not any(ch.isalpha() for ch in words):
                continue
            first = cut - len(segment) + len(segment) - len(segment.lstrip())
            last = cut - len(segment) + len(segment.rstrip()) - 1
            line = bisect.bisect_right(line_starts, para.offsets[first])
            claim = Claim(id=len(claims) + 1, text=words, line=line, anchor=para.offsets[last] + 1)
            inline = QUOTED.search(words)
            seen: set[tuple[str | None, str]] = set()
            for m in group:
                # no |quote=: words the sentence itself quotes are the quotation, as in Pandoc prose
                quote = m.quote or (((inline.group(1) or inline.group(2)).strip()) if inline else None)
                if m.citation is None or (quote, m.citation.raw) in seen:
                    continue  # a named ref given twice on one clause is one citation, checked (and listed) once
                seen.add((quote, m.citation.raw))
                if quote:
                    claim.evidence.append(Evidence(quote, m.citation, line))
                else:
                    claim.citations.append(m.citation)
            claims.append(claim)


def parse(text: str, path: str | Path | None) -> list[Claim]:
    """Claims (the referenced sentences and clauses) with their evidence, from wikitext."""
    _PARAMS.clear()
    try:
        return _parse(text)
    finally:
        _PARAMS.clear()  # the templates die with the parse tree; their names need not outlive it


def _parse(text: str) -> list[Claim]:
    reader = _Reader(text)
    reader.walk(reader.code.nodes, 0)
    line_starts = [0] + [m.end() for m in re.finditer("\n", text)]
    claims: list[Claim] = []
    for para in reader.paras:
        _claims_of(para, line_starts, claims)
    return claims


READER = DocumentReader("wikitext", claims_only(parse), "MediaWiki: <ref>, {{sfn}}, {{cite ...}}",
                        suffixes=(".wiki", ".wikitext", ".mediawiki"), writes_back=True)
