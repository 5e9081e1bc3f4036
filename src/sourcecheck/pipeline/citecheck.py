"""What a citation itself gets wrong, apart from its quotation: a page, a key.

Kept beside check.py so the checker stays one loop over claims.
"""

from __future__ import annotations

from ..records import Citation, QuoteMatch, Source, SourceRef

NO_PAGE_MARKS = "page not checked: the source has no page marks"


def page_problem(citation: Citation | None, match: QuoteMatch) -> str | None:
    """"cited p. 45, found on p. 47" when the quotation is in the cited source on another page.

    Only where the source has pages and the quotation was found in the very source cited:
    a book without page marks, or a quotation found elsewhere, says nothing about pages
    (the false alarm it prevents: a page "mismatch" against a text that has no pages).
    """
    loc = citation.locator if citation else None
    if loc is None or loc.kind != "page" or loc.first is None or match.location is None:
        return None
    found = match.location.page
    if found is None or match.source is None or match.cited_source is None or match.source.id != match.cited_source.id:
        return None
    last = loc.last if loc.last is not None else loc.first
    if loc.first <= found <= last:
        return None
    return f"cited {loc.label()}, found on p. {found}"


def page_note(citation: Citation | None, match: QuoteMatch, found_in: Source | None) -> str | None:
    """Why a cited page was not checked, where it could not be: the quotation is in the cited
    source, but that source has no page marks (a plain text, an HTML page, an EPUB without a page list).

    Not a problem (the citation may well be right); said so that silence about the page is not
    read as the page confirmed.
    """
    loc = citation.locator if citation else None
    if loc is None or loc.kind != "page" or loc.first is None or found_in is None or match.location is None:
        return None
    if match.cited_source is None or match.cited_source.id != found_in.id or found_in.pages:
        return None
    return NO_PAGE_MARKS


def unknown_key(citation: Citation) -> str:
    return f"unknown citation key @{citation.key}: it is in no bibliography (give one with --bib " \
           "or the document's bibliography: field)"


def not_in_library(citation: Citation) -> str:
    """For a citation without a quotation whose source is not in the library (a quoted one says it in its match)."""
    return f"the cited source \u201c{citation.raw}\u201d is not in the library, so the claim could not be checked against it"


def circular(citation: Citation, resolved: SourceRef | None, library) -> str | None:
    """Why a wikitext ref cites Wikipedia (WP:CIRCULAR), or None: its text names Wikipedia, or the source
    it resolves to in the library is a Wikipedia page. A Wikipedia article may not cite another one: an
    article repeats its sources, and citing it verifies nothing."""
    from ..library.wikipedia import cites_wikipedia, is_wikipedia_source

    if cites_wikipedia(citation):
        return f"the ref \u201c{citation.raw}\u201d cites Wikipedia, which Wikipedia may not cite (WP:CIRCULAR)"
    source = library.get(resolved.id) if resolved is not None else None
    if source is not None and is_wikipedia_source(source):
        return (f"the ref \u201c{citation.raw}\u201d cites {source.title}, a Wikipedia page, which Wikipedia "
                "may not cite (WP:CIRCULAR)")
    return None
