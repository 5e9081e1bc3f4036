"""`cite` writes new evidence back in the document's own form, touching no other byte.

An outline gets its evidence bullet (with the page where the source has pages), Pandoc
Markdown a citation ``[“quotation” @key, p. N]`` before the sentence's full stop (the
quotation as the citation's prefix, which Pandoc renders and sourcecheck reads back) with
a key of a bibliography only, and wikitext a ``<ref>{{cite book ... |page= |quote=}}</ref>``
after it, in the article's own citation style (wikistyle.py): ``|last=``/``|first=`` or
``|author=``, ``|date=`` or ``|year=``, and ``{{sfn}}`` with the full citation in the
article's list of sources where the article cites so. Writers are registered by document
format.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from ..records import Document, SourceRef, Suggestion
from .outline import render_outline
from .wikistyle import WikiStyle, add_to_sources_list, read_style, surname, wiki_escape


@dataclass
class Addition:
    """A passage to cite for a claim: its words, its source, its page where the source has pages."""

    quote: str
    source: SourceRef
    page: int | None = None
    key: str | None = None  # the source's bibliography key, where it has one


def additions_from(passages: dict[int | str, list[Suggestion]], keys,
                   added: dict[str, str] | None = None) -> dict[int | str, list[Addition]]:
    """Chosen library passages (claim id -> `find` results) as Additions, with page and key (a key of
    the bibliography, or one ``added`` to the document's bibliography file: source id -> key)."""
    added = added or {}
    return {cid: [Addition(" ".join((s.best_span or s.text).split()), s.source,
                           s.location.page if s.location else None,
                           keys.key_of(s.source.id) or added.get(s.source.id)) for s in chosen]
            for cid, chosen in passages.items()}


def _citation_raw(a: Addition) -> str:
    parts = [a.source.title, a.source.author, a.source.year]
    raw = ", ".join(str(x) for x in parts if x)
    return raw + (f", p. {a.page}" if a.page else "")


def _outline(doc: Document, original: str, additions: dict[int | str, list[Addition]]) -> str:
    by_line = {c.line: [(a.quote, _citation_raw(a)) for a in additions[c.id]] for c in doc.claims if c.id in additions}
    return render_outline(original, by_line)


# A citation-needed tag that the new ref answers is taken out with it.
CITATION_NEEDED = re.compile(r"\{\{\s*(?:citation needed|cn|fact)\s*(?:\|[^{}]*)?\}\}", re.I)


def _insert(original: str, doc: Document, additions: dict[int | str, list[Addition]], render: Callable[[Addition], str],
            answers: re.Pattern[str] | None = None) -> str:
    inserts = sorted(((c.anchor, "".join(render(a) for a in additions[c.id])) for c in doc.claims
                      if c.id in additions and c.anchor is not None), reverse=True)
    out = original
    for at, text in inserts:  # from the end, so earlier anchors stay valid
        m = answers.match(out, at) if answers else None
        out = out[:at] + text + out[m.end() if m else at :]
    return out


def pandoc_citation(a: Addition) -> str:
    quote = " ".join(a.quote.split()).replace("\u201c", "\u2018").replace("\u201d", "\u2019")
    quote = quote.replace("[", "(").replace("]", ")").replace("@", "(at)")  # nothing that ends or starts a citation
    page = f", p. {a.page}" if a.page else ""
    if not a.key:  # KEY RULE (pipeline/cite.py): Pandoc fails on a key that is in no bibliography
        raise ValueError(f"no bibliography key for {a.source.id}")
    return f" [\u201c{quote}\u201d @{a.key}{page}]"


def wikitext_ref(a: Addition, style: WikiStyle | None = None) -> str:
    """A ``<ref>{{cite book}}</ref>`` in the article's style; in an sfn article, ``{{sfn}}`` (the full
    citation goes to the article's sources list, ``_wikitext``)."""
    style = style or WikiStyle()
    if style.sfn and a.source.author and a.source.year:
        page = f"|p={a.page}" if a.page else ""
        return f"{{{{sfn|{wiki_escape(surname(a.source.author))}|{a.source.year}{page}}}}}"
    return f"<ref>{{{{cite book{style.params(a.source, a.page, a.quote)}}}}}</ref>"


def _wikitext(doc: Document, text: str, adds: dict[int | str, list[Addition]]) -> str:
    style = read_style(text)
    out = _insert(text, doc, adds, lambda a: wikitext_ref(a, style), CITATION_NEEDED)
    if style.sfn:
        full = [a.source for chosen in adds.values() for a in chosen if a.source.author and a.source.year]
        out = add_to_sources_list(out, full, style)
    return out


WRITERS: dict[str, Callable[[Document, str, dict[int | str, list[Addition]]], str]] = {
    "outline": _outline,
    "pandoc": lambda doc, text, adds: _insert(text, doc, adds, pandoc_citation),
    "wikitext": _wikitext,
}


def write_back(doc: Document, original: str, additions: dict[int | str, list[Addition]]) -> str:
    """The document with ``additions`` (claim id -> passages) written in its own form."""
    return WRITERS[doc.format](doc, original, additions)


def source_words(doc: Document, text: str, findings: dict, library: object = None) -> str:
    """``text`` with each misquoted quotation (quote status ``drift``) replaced in place by the source's
    own words: the fix a reader wants is the right words where the wrong ones stand, not a second ref
    beside a wrong quotation (which would leave it wrong). Found by its words, so it runs after the
    additions; a quotation not found as written is left as it is."""
    for claim in doc.claims:
        finding = findings.get(claim.id)
        for e in getattr(finding, "evidence", []) or []:
            m = e.match
            if m.status != "drift" or not m.matched_text:
                continue
            words = e.evidence.quote.split()
            if not words:
                continue
            found = re.search(r"\s+".join(map(re.escape, words)), text)
            if found:
                right = " ".join(m.matched_text.split())
                text = text[:found.start()] + right + text[found.end():]
    return text
