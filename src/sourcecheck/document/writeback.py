"""`cite` writes new evidence back in the document's own form, touching no other byte.

An outline gets its evidence bullet (with the page where the source has pages), Pandoc
Markdown a citation ``[“quotation” @key, p. N]`` before the sentence's full stop (the
quotation as the citation's prefix, which Pandoc renders and sourcecheck reads back),
and wikitext a ``<ref>{{cite book ... |page= |quote=}}</ref>`` after it. Writers are
registered by document format.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from ..records import Document, SourceRef, Suggestion
from .outline import render_outline


@dataclass
class Addition:
    """A passage to cite for a claim: its words, its source, its page where the source has pages."""

    quote: str
    source: SourceRef
    page: int | None = None
    key: str | None = None  # the source's bibliography key, where it has one


def additions_from(passages: dict[int | str, list[Suggestion]], keys) -> dict[int | str, list[Addition]]:
    """Chosen library passages (claim id -> `find` results) as Additions, with page and key."""
    return {cid: [Addition(" ".join((s.best_span or s.text).split()), s.source,
                           s.location.page if s.location else None, keys.key_of(s.source.id)) for s in chosen]
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
    return f" [\u201c{quote}\u201d @{a.key or a.source.id}{page}]"


def wikitext_ref(a: Addition) -> str:
    def esc(text: object) -> str:  # "|" and "}}" would end the parameter or the template
        return " ".join(str(text).split()).replace("|", "{{!}}").replace("}}", "} }").replace("</ref", "&lt;/ref")

    fields = [("title", a.source.title), ("author", a.source.author), ("year", a.source.year),
              ("page", a.page), ("quote", a.quote)]
    params = "".join(f" |{name}={esc(value)}" for name, value in fields if value)
    return f"<ref>{{{{cite book{params}}}}}</ref>"


WRITERS: dict[str, Callable[[Document, str, dict[int | str, list[Addition]]], str]] = {
    "outline": _outline,
    "pandoc": lambda doc, text, adds: _insert(text, doc, adds, pandoc_citation),
    "wikitext": lambda doc, text, adds: _insert(text, doc, adds, wikitext_ref, CITATION_NEEDED),
}


def write_back(doc: Document, original: str, additions: dict[int | str, list[Addition]]) -> str:
    """The document with ``additions`` (claim id -> passages) written in its own form."""
    return WRITERS[doc.format](doc, original, additions)
