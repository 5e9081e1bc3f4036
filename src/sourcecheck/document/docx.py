"""Word documents (.docx): paragraphs are claims, footnotes and endnotes their evidence.

Read with python-docx for the body and lxml for what python-docx does not read (footnotes,
endnotes, complex fields). Each body paragraph's sentences are claims, as in Markdown prose;
a paragraph styled "Quote" (or indented on both sides) is a block quotation, evidence for the
claim before it. A footnote or endnote referenced in a sentence is that sentence's evidence:
its quotation in quotation marks (or a "Quote"-styled paragraph of the note), its citation
either a reference manager's field or plain text read by the outline's citation reader.

Citation fields, as the reference managers write them into ``w:instrText``:

- Zotero: ``ADDIN ZOTERO_ITEM CSL_CITATION {json}``
- Mendeley: ``ADDIN CSL_CITATION {json}``
- EndNote: ``ADDIN EN.CITE <EndNote><Cite>...<record>...</record></Cite></EndNote>``

Each item's title, first author, year and DOI become a Citation that matches a library source
as a BibTeX entry does (title, first author, year), with the cite's locator as its page. A
Zotero or Mendeley bibliography field (``ZOTERO_BIBL``, ``Mendeley Bibliography``) is not read
as claims; its entries complete short note citations ("Pipes, *Concise History*, 45.").

A location is the paragraph's number among the body's paragraphs (``Claim.line``, the number
the reviewed-file writer comments on) and, for evidence from a note, "footnote N".

Bounded before anything is parsed: the ZIP's declared sizes (a zip bomb), and the number of notes.
"""

from __future__ import annotations

import html
import io
import json
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from ..errors import InputError
from ..records import Citation, Claim, Document, Evidence, Locator
from ..text import split_sentences
from .citation import OPENERS, SEPARATOR, parse_citation, split_quotation
from .locator import parse_locator
from .readers import MARK, DocumentReader, from_document, unmark

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_W = "{" + W + "}"

MAX_MEMBER_MB = 64  # one decompressed part: a 300-page thesis's document.xml is under 20 MB
MAX_TOTAL_MB = 256  # all parts together, decompressed (images included)
MAX_RATIO = 200  # decompressed / compressed of one part: XML compresses ~10-30x, a bomb ~1000x
MAX_MEMBERS = 10_000  # parts in the package (a real document has tens)
MAX_NOTES = 20_000  # footnotes + endnotes (a long thesis has under 2,000)
MB = 1024 * 1024

QUOTED = re.compile(r"\u201c([^\u201d]{3,})\u201d|\"([^\"]{3,})\"|\u201e([^\u201c\u201d]{3,})[\u201c\u201d]|\u00ab\s*([^\u00bb]{3,}?)\s*\u00bb")
QUOTE_STYLES = ("quote", "intense quote", "block text", "quotation")
HEADING_STYLES = ("heading", "title", "subtitle", "toc", "bibliography", "caption")
INDENT_TWIPS = 567  # 1 cm on the left (and not a first-line indent): a block quotation as typed by hand


def _check_zip(data: bytes, name: str) -> zipfile.ZipFile:
    """The package, refused before decompressing anything when its declared sizes are too large."""
    try:
        z = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise InputError(name, "not a Word document (.docx is a ZIP package; this is not one)") from None
    infos = z.infolist()
    if len(infos) > MAX_MEMBERS:
        raise InputError(name, f"the package has {len(infos)} parts (limit {MAX_MEMBERS}): not a real document")
    total = 0
    for info in infos:
        total += info.file_size
        if info.file_size > MAX_MEMBER_MB * MB:
            raise InputError(name, f"part {info.filename} decompresses to {info.file_size // MB} MB "
                                   f"(limit {MAX_MEMBER_MB} MB): refused as a zip bomb")
        if info.file_size > MB and info.file_size > MAX_RATIO * max(1, info.compress_size):
            raise InputError(name, f"part {info.filename} is compressed {info.file_size // max(1, info.compress_size)}:1 "
                                   f"(limit {MAX_RATIO}:1): refused as a zip bomb")
    if total > MAX_TOTAL_MB * MB:
        raise InputError(name, f"the package decompresses to {total // MB} MB (limit {MAX_TOTAL_MB} MB): refused as a zip bomb")
    if "word/document.xml" not in z.namelist():
        raise InputError(name, "not a Word document: the package has no word/document.xml")
    return z


def _xml(z: zipfile.ZipFile, part: str, name: str) -> Any:
    from lxml import etree

    try:
        raw = z.read(part)
    except KeyError:
        return None
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, remove_comments=True)
    try:
        return etree.fromstring(raw, parser)
    except etree.XMLSyntaxError as err:
        raise InputError(name, f"{part} is not well-formed XML: {err}") from None


# --- citation fields ---------------------------------------------------------------------------

def _csl_author(item: dict[str, Any]) -> str | None:
    for who in item.get("author") or item.get("editor") or []:
        if isinstance(who, dict):
            if who.get("literal"):
                return str(who["literal"])
            family, given = who.get("family"), who.get("given")
            if family:
                return f"{family}, {given}" if given else str(family)
    return None


def _csl_year(item: dict[str, Any]) -> int | None:
    issued = item.get("issued") or {}
    parts = issued.get("date-parts") if isinstance(issued, dict) else None
    text = str(parts[0][0]) if parts and parts[0] else str(issued.get("raw", "") if isinstance(issued, dict) else "")
    m = re.search(r"\b(\d{3,4})\b", text)
    return int(m.group(1)) if m else None


def _locator(text: str | None) -> Locator | None:
    if not text:
        return None
    text = str(text).strip()
    loc = parse_locator(text)
    if loc is None and re.fullmatch(r"\d{1,5}(?:\s*[-\u2013]\s*\d{1,5})?", text):
        loc = parse_locator(f"p. {text}" if "-" not in text and "\u2013" not in text else f"pp. {text}")
    return loc


@dataclass
class FieldCite:
    """One cited item of a citation field."""

    citation: Citation
    doi: str | None = None


def _csl_field(payload: str, name: str, where: str) -> list[FieldCite]:
    start = payload.find("{")
    if start < 0:
        raise InputError(name, f"{where}: citation field without its JSON data")
    try:
        data, _ = json.JSONDecoder().raw_decode(payload[start:])
    except json.JSONDecodeError as err:
        raise InputError(name, f"{where}: citation field's JSON cannot be read ({err.msg})") from None
    out = []
    for ci in data.get("citationItems") or [] if isinstance(data, dict) else []:
        item = ci.get("itemData") or {}
        if not isinstance(item, dict):
            continue
        title = item.get("title")
        author = _csl_author(item)
        year = _csl_year(item)
        label = ci.get("label") or "page"  # CSL: "page", "chapter", "section", ...
        locator = parse_locator(f"ch. {ci['locator']}") if label == "chapter" and ci.get("locator") else _locator(ci.get("locator"))
        raw = ", ".join(str(x) for x in (title, author, year) if x) + (f", {locator.raw}" if locator else "")
        doi = str(item["DOI"]) if item.get("DOI") else None
        out.append(FieldCite(Citation(raw=raw, title=str(title) if title else None, author=author, year=year,
                                      locator=locator, doi=doi), doi))
    return out


def _endnote_field(payload: str, name: str, where: str) -> list[FieldCite]:
    from lxml import etree

    start = payload.find("<EndNote")
    if start < 0:
        return []
    parser = etree.XMLParser(resolve_entities=False, no_network=True, recover=True)
    try:
        root = etree.fromstring(html.unescape(payload[start:]).encode("utf-8"), parser)
    except etree.XMLSyntaxError:
        raise InputError(name, f"{where}: EndNote citation field cannot be read") from None
    if root is None:
        return []
    out = []
    for cite in root.iter("Cite"):
        def text(path: str, node: Any = cite) -> str | None:
            found = node.find(path)
            value = "".join(found.itertext()).strip() if found is not None else ""
            return value or None
        title = text(".//titles/title")
        author = text(".//contributors/authors/author") or text("Author")
        year_text = text(".//dates/year") or text("Year")
        m = re.search(r"\d{3,4}", year_text or "")
        year = int(m.group(0)) if m else None
        locator = _locator(text("Pages"))
        raw = ", ".join(str(x) for x in (title, author, year) if x) + (f", {locator.raw}" if locator else "")
        doi = text(".//electronic-resource-num")
        out.append(FieldCite(Citation(raw=raw, title=title, author=author, year=year, locator=locator, doi=doi), doi))
    return out


def field_citations(instr: str, name: str, where: str) -> list[FieldCite] | None:
    """The items a field instruction cites; None when the field is not a citation."""
    s = instr.strip()
    if not s.startswith("ADDIN"):
        return None
    body = s[len("ADDIN"):].strip()
    if body.startswith("ZOTERO_ITEM") or body.startswith("CSL_CITATION"):
        return _csl_field(body, name, where)
    if body.startswith("EN.CITE"):
        return _endnote_field(body, name, where)
    return None


def is_bibliography(instr: str) -> bool:
    s = instr.strip()
    return s.startswith("ADDIN") and ("ZOTERO_BIBL" in s or "Mendeley Bibliography" in s or "CSL_BIBLIOGRAPHY" in s
                                      or "EN.REFLIST" in s)


# --- paragraphs as text with marks --------------------------------------------------------------

@dataclass
class Mark:
    kind: str  # "footnote" | "endnote" | "field"
    note: str = ""  # the note's id
    cites: list[FieldCite] = field(default_factory=list)


@dataclass
class Para:
    text: str  # the visible text, MARK where a note reference or citation field stands
    marks: list[Mark]
    style: str
    indent: int  # left indentation in twips
    bibliography: bool = False  # inside a bibliography field


class _Fields:
    """Complex-field state across runs and paragraphs (a bibliography field spans many)."""

    def __init__(self) -> None:
        self.stack: list[dict[str, Any]] = []  # {"instr": str, "result": bool}

    def in_citation_result(self) -> bool:
        return any(f["result"] and f.get("cite") is not None for f in self.stack)

    def in_bibliography(self) -> bool:
        return any(f.get("bib") for f in self.stack)


def _paragraph(p: Any, fields: _Fields, name: str, where: str) -> Para:
    """Text and marks of one ``w:p`` (fields may open in an earlier paragraph and close in a later one)."""
    parts: list[str] = []
    marks: list[Mark] = []
    bibliography = fields.in_bibliography()
    for el in p.iter():
        tag = el.tag
        if tag == _W + "fldChar":
            kind = el.get(_W + "fldCharType")
            if kind == "begin":
                fields.stack.append({"instr": "", "result": False, "cite": None})
            elif kind == "separate" and fields.stack:
                f = fields.stack[-1]
                f["result"] = True
                f["cite"] = field_citations(f["instr"], name, where)
                f["bib"] = is_bibliography(f["instr"])
                if f["cite"] is not None:
                    parts.append(MARK)
                    marks.append(Mark("field", cites=f["cite"]))
                bibliography = bibliography or f["bib"]
            elif kind == "end" and fields.stack:
                f = fields.stack.pop()
                if not f["result"]:  # a field with no result part
                    cites = field_citations(f["instr"], name, where)
                    if cites is not None:
                        parts.append(MARK)
                        marks.append(Mark("field", cites=cites))
        elif tag == _W + "instrText":
            if fields.stack:
                fields.stack[-1]["instr"] += el.text or ""
        elif tag == _W + "fldSimple":
            cites = field_citations(el.get(_W + "instr") or "", name, where)
            if cites is not None:
                parts.append(MARK)
                marks.append(Mark("field", cites=cites))
                for t in el.iter(_W + "t"):
                    t.set("_skip", "1")
        elif tag == _W + "t":
            if fields.in_citation_result() or el.get("_skip"):
                continue
            parts.append((el.text or "").replace(MARK, ""))
        elif tag in (_W + "tab", _W + "br", _W + "cr"):
            if not fields.in_citation_result():
                parts.append(" ")
        elif tag in (_W + "footnoteReference", _W + "endnoteReference"):
            parts.append(MARK)
            marks.append(Mark("footnote" if tag == _W + "footnoteReference" else "endnote", note=el.get(_W + "id") or ""))
        elif tag == _W + "noBreakHyphen":
            parts.append("-")
    style, indent = "", 0
    ppr = p.find(_W + "pPr")
    if ppr is not None:
        st = ppr.find(_W + "pStyle")
        style = (st.get(_W + "val") or "") if st is not None else ""
        ind = ppr.find(_W + "ind")
        if ind is not None:
            value = ind.get(_W + "left") or ind.get(_W + "start") or "0"
            indent = int(value) if value.lstrip("-").isdigit() else 0
    return Para("".join(parts), marks, style, indent, bibliography or fields.in_bibliography())


# --- notes --------------------------------------------------------------------------------------

@dataclass
class Note:
    number: int  # as the reader sees it: 1, 2, ... in order of reference
    kind: str
    paras: list[Para]


def _notes(z: zipfile.ZipFile, part: str, kind: str, name: str) -> dict[str, list[Para]]:
    root = _xml(z, part, name)
    if root is None:
        return {}
    out: dict[str, list[Para]] = {}
    tag = _W + kind
    count = 0
    for note in root.iterchildren(tag):
        if note.get(_W + "type") in ("separator", "continuationSeparator", "continuationNotice"):
            continue
        count += 1
        if count > MAX_NOTES:
            raise InputError(name, f"{part} holds more than {MAX_NOTES} notes: refused (a real document has far fewer)")
        fields = _Fields()
        out[note.get(_W + "id") or ""] = [_paragraph(p, fields, name, f"{kind} {note.get(_W + 'id')}")
                                          for p in note.iter(_W + "p")]
    return out


def _style_names(z: zipfile.ZipFile, name: str) -> dict[str, str]:
    root = _xml(z, "word/styles.xml", name)
    if root is None:
        return {}
    out = {}
    for st in root.iterchildren(_W + "style"):
        n = st.find(_W + "name")
        out[st.get(_W + "styleId") or ""] = (n.get(_W + "val") if n is not None else "") or ""
    return out


# --- evidence out of notes ----------------------------------------------------------------------

def _clean(text: str) -> str:
    return " ".join(text.replace(MARK, " ").split())


def _first_quote(text: str) -> str | None:
    m = QUOTED.search(text)
    return next((g for g in m.groups() if g), None) if m else None


def _is_quote_para(p: Para, styles: dict[str, str]) -> bool:
    style = styles.get(p.style, p.style).lower()
    return any(style.startswith(s) for s in QUOTE_STYLES) or p.indent >= INDENT_TWIPS


class _Bibliography:
    """Entries of the document's bibliography field, to complete short note citations."""

    def __init__(self, entries: list[str], items: list[Citation]):
        self.entries = entries
        self.items = items  # every item a citation field names, with full data

    def complete(self, citation: Citation) -> Citation:
        """A note's short form ("Pipes, Concise History, p. 45") as the full item it abbreviates."""
        from ..library.citations import authors_agree

        words = [w for w in (citation.title, citation.author) if w]
        if len(words) < 2:
            return citation
        short_author, short_title = words[0], words[1]
        folded = short_title.lower().strip("*_ ")
        for item in self.items:
            if item.title and item.author and folded in item.title.lower() and authors_agree(short_author, item.author):
                return Citation(raw=citation.raw, title=item.title, author=item.author, year=item.year,
                                locator=citation.locator, doi=item.doi)
        for entry in self.entries:  # "Pipes, Richard. A Concise History of the Russian Revolution. New York: Knopf, 1995."
            if folded and folded in entry.lower() and entry.lower().startswith(short_author.lower().split(",")[0]):
                pieces = [x.strip() for x in re.split(r"\.\s+", entry) if x.strip()]
                title = next((x for x in pieces[1:] if folded in x.lower()), None)
                m = re.search(r"\b(1[0-9]{3}|20[0-9]{2})\b", entry)
                if title:
                    return Citation(raw=citation.raw, title=title, author=pieces[0], year=int(m.group(1)) if m else None,
                                    locator=citation.locator)
        return citation


def _plain_citation(text: str) -> Citation | None:
    """A note's own words as a citation: "Pipes, Concise History, 45." read by the outline's rules."""
    text = text.strip().strip(".;").strip()
    text = re.sub(r"^(?:see|cf\.|quoted in|ibid\.?,?)\s+", "", text, flags=re.I)
    if not text:
        return None
    text = re.sub(r",\s*(\d{1,5}(?:\s*[-\u2013]\s*\d{1,5})?)$", lambda m: ", p. " + m.group(1) if not re.search(r"[-\u2013]", m.group(1))
                  else ", pp. " + m.group(1), text)  # Chicago notes give the bare page
    return parse_citation(text)


def _note_evidence(note: list[Para], label: str, line: int, styles: dict[str, str], bib: _Bibliography,
                   ) -> tuple[list[Evidence], list[Citation]]:
    """(evidence with quotations, citations without) of one note."""
    cites = [fc.citation for p in note for m in p.marks if m.kind == "field" for fc in m.cites]
    block = [p for p in note if _is_quote_para(p, styles)]
    text = _clean(" ".join(p.text for p in note if p not in block))
    quote = _clean(" ".join(p.text for p in block)) if block else None
    rest = text
    if not quote:
        s = text.strip()
        split = split_quotation(s, label, line) if s[:1] in OPENERS else None
        if split:
            quote, rest = split
            m = SEPARATOR.match(rest)
            rest = rest[m.end():] if m else rest
        else:
            quote = _first_quote(s)
            if quote:
                m = QUOTED.search(s)
                assert m is not None
                rest = (s[: m.start()] + s[m.end():]).strip(" ,;:")
                rest = re.sub(r"^.*?\b(?:writes|wrote|notes|says|observes|argues)\b[,:]?\s*$", "", rest)
    if not cites:
        c = _plain_citation(rest) if rest else None
        cites = [bib.complete(c)] if c else []
    if not quote:
        return [], cites
    quote = quote.strip().strip("\u201c\u201d\"").strip()
    if not quote:
        return [], cites
    return [Evidence(quote, cites[0] if cites else None, line, where=label)], cites[1:]


# --- the document -------------------------------------------------------------------------------

def _body_paragraphs(root: Any) -> Iterator[Any]:
    """The body's ``w:p`` in order, as python-docx's ``Document.paragraphs`` lists them (tables left out)."""
    body = root.find(_W + "body")
    if body is None:
        return
    yield from body.iterchildren(_W + "p")


def read(data: bytes, name: str) -> Document:
    """A Word document's claims and evidence; ``name`` names it in every message."""
    z = _check_zip(data, name)
    root = _xml(z, "word/document.xml", name)
    styles = _style_names(z, name)
    footnotes = _notes(z, "word/footnotes.xml", "footnote", name)
    endnotes = _notes(z, "word/endnotes.xml", "endnote", name)
    fields = _Fields()
    paras = [_paragraph(p, fields, name, f"paragraph {i}") for i, p in enumerate(_body_paragraphs(root), start=1)]
    items = [fc.citation for p in paras for m in p.marks for fc in m.cites]
    items += [fc.citation for ps in (*footnotes.values(), *endnotes.values()) for p in ps for m in p.marks for fc in m.cites]
    bib = _Bibliography([_clean(p.text) for p in paras if p.bibliography and p.text.strip()], items)
    numbers: dict[tuple[str, str], int] = {}
    claims: list[Claim] = []
    last: Claim | None = None
    for no, para in enumerate(paras, start=1):
        style = styles.get(para.style, para.style).lower()
        if para.bibliography or any(style.startswith(h) for h in HEADING_STYLES) or not _clean(para.text):
            last = None if para.bibliography or style.startswith("heading") else last
            continue
        if _is_quote_para(para, styles):
            if last is not None:
                quote = _clean(para.text).strip("\u201c\u201d\"").strip()
                cites = [fc.citation for m in para.marks if m.kind == "field" for fc in m.cites]
                attribution = ""
                m = re.search(r"\s(?:\u2014|\u2013|--)\s*([^\u2014\u2013]+)$", quote)
                if m and not cites:
                    attribution, quote = m.group(1), quote[: m.start()].strip()
                citation = cites[0] if cites else (parse_citation(attribution) if attribution else
                                                   (last.citations.pop(0) if last.citations else None))
                last.evidence.append(Evidence(quote, citation, no, where=f"paragraph {no}"))
            continue
        clean, mark_at = unmark(para.text)
        spans = split_sentences(clean)
        for k, (start, end) in enumerate(spans):
            nxt = spans[k + 1][0] if k + 1 < len(spans) else len(clean) + 1
            text = re.sub(r"\s+([.,;:!?])", r"\1", " ".join(clean[start:end].split()))
            # a note's mark right after the full stop (as Word puts it) belongs to the sentence it ends
            own = [m for i, m in zip(mark_at, para.marks) if (start if k else -1) <= i < nxt]
            if not text.strip(" ."):
                continue
            target = Claim(id=len(claims) + 1, text=text, line=no)
            claims.append(target)
            for mark in own:
                if mark.kind == "field":
                    inline = _first_quote(text)
                    for j, fc in enumerate(mark.cites):
                        if inline and j == 0 and not any(e.quote == inline for e in target.evidence):
                            target.evidence.append(Evidence(inline, fc.citation, no, where=f"paragraph {no}"))
                        else:
                            target.citations.append(fc.citation)
                    continue
                notes = footnotes if mark.kind == "footnote" else endnotes
                if mark.note not in notes:
                    raise InputError(name, f"paragraph {no}: {mark.kind} {mark.note} is referenced but not in the document")
                number = numbers.setdefault((mark.kind, mark.note), 1 + sum(1 for seen in numbers if seen[0] == mark.kind))
                ev, cites = _note_evidence(notes[mark.note], f"{mark.kind} {number}", no, styles, bib)
                target.evidence += ev
                target.citations += cites
            last = target
    if not claims:
        raise InputError(name, "no claims found (read as docx)")
    return Document(path=name, format="docx", claims=claims)


READER = DocumentReader("docx", from_document(read), "Word: paragraphs, footnotes, Zotero/Mendeley/EndNote fields",
                        suffixes=(".docx",), binary=True)
