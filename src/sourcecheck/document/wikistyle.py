"""The citation style a wikitext article already uses, so that `cite` writes its refs the same way.

An editor reverts a ref in another style than the article's (WP:CITEVAR): ``|author=John Reed`` in an
article of ``|last=Reed |first=John``, a ``|year=`` where the article writes ``|date=``, a ``<ref>`` in an
article of ``{{sfn}}`` short citations. The style is read from the article's own cite templates: the
majority of what they write wins, and an article with none gets the CS1 defaults (``last``/``first``,
``year``, ``<ref>``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..records import SourceRef

_CITE = re.compile(r"\{\{\s*cite\s+\w+[^{}]*\}\}", re.I)
_SFN = re.compile(r"\{\{\s*(?:sfn|sfnp|harvnb)\s*\|", re.I)
_REF = re.compile(r"<ref[\s>]", re.I)


@dataclass(frozen=True)
class WikiStyle:
    last_first: bool = True  # |last= |first= (else |author=)
    date_param: str = "year"  # "year" or "date": where the article writes a work's year
    sfn: bool = False  # short citations ({{sfn}}) with the full ones in a list of sources

    def params(self, source: SourceRef, page: int | None, quote: str | None) -> str:
        """`` |last=Reed |first=John |title=... |year=1919 |page=12 |quote=...`` in this style."""
        fields: list[tuple[str, object]] = [("title", source.title)]
        if source.author:
            last, first = split_name(source.author)
            personal = first and is_personal_name(source.author)
            fields += [("last", last), ("first", first)] if self.last_first and personal else [("author", source.author)]
        fields += [(self.date_param, source.year), ("page", page), ("quote", quote)]
        return "".join(f" |{name}={wiki_escape(value)}" for name, value in fields if value)


def wiki_escape(text: object) -> str:
    """One line; "|" and "}}" would end the parameter or the template, "</ref" the ref."""
    return " ".join(str(text).split()).replace("|", "{{!}}").replace("}}", "} }").replace("</ref", "&lt;/ref")


def split_name(name: str) -> tuple[str, str]:
    """(last, first) of "John Reed" or "Reed, John"; ("Herodotus", "") for one name."""
    name = " ".join(name.split())
    if "," in name:
        last, first = (x.strip() for x in name.split(",", 1))
        return last, first
    words = name.split(" ")
    return (words[-1], " ".join(words[:-1])) if len(words) > 1 else (name, "")


def is_personal_name(name: str) -> bool:
    """"John Reed", "Reed, John", "L. D. Trotsky": every word capitalised, two to four of them. "the
    sourcecheck team" or "Ministry of Justice" is a group, written whole as ``|author=`` (or ``|last=``
    alone would split it)."""
    words = name.replace(",", " ").split()
    return 2 <= len(words) <= 4 and all(w[0].isupper() for w in words)


def surname(name: str) -> str:
    return split_name(name)[0]


def _count(pattern: str, templates: list[str]) -> int:
    return sum(bool(re.search(pattern, t, re.I)) for t in templates)


def read_style(text: str) -> WikiStyle:
    """The majority style of the article's cite templates (ties go to the CS1 default)."""
    templates = _CITE.findall(text)
    last = _count(r"\|\s*last\d*\s*=", templates)
    author = _count(r"\|\s*author\d*\s*=", templates)
    date = _count(r"\|\s*date\s*=", templates)
    year = _count(r"\|\s*year\s*=", templates)
    sfn = len(_SFN.findall(text))
    refs = len(_REF.findall(text))
    return WikiStyle(last_first=last >= author, date_param="date" if date > year else "year", sfn=sfn > refs)


_SOURCES_HEADING = re.compile(r"^==+\s*(?:Sources|Bibliography|Works cited|References)\s*==+\s*$", re.M | re.I)


def add_to_sources_list(text: str, sources: list[SourceRef], style: WikiStyle) -> str:
    """The full citations an ``{{sfn}}`` points to, as ``* {{cite book ...}}`` lines after the article's
    last full citation of its sources list (or under its Sources heading); one already there is kept."""
    new = []
    for s in {x.id: x for x in sources}.values():
        last = surname(s.author or "")
        already = re.search(r"\{\{\s*cite\s+\w+[^{}]*\|\s*(?:last\d*|author\d*)\s*=\s*[^|{}]*" + re.escape(last)
                            + r"[^{}]*" + re.escape(str(s.year)), text, re.I)
        if not already:
            new.append(f"* {{{{cite book{style.params(s, None, None)}}}}}")
    if not new:
        return text
    lines = [m for m in re.finditer(r"^\*\s*\{\{\s*cite\s+\w+.*$", text, re.M | re.I)]
    at = lines[-1].end() if lines else None
    if at is None:
        headings = list(_SOURCES_HEADING.finditer(text))
        heading = headings[-1] if headings else None
        if heading is None:
            return text.rstrip("\n") + "\n\n== Sources ==\n" + "\n".join(new) + "\n"
        at = heading.end()
    return text[:at] + "\n" + "\n".join(new) + text[at:]
