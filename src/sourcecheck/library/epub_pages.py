"""An EPUB's print pages: its page list (EPUB 3 ``page-list`` nav, EPUB 2 NCX ``pageList``).

Each page target becomes a ``[Page N]`` mark in the extracted text, the mark
``extract.page_starts`` already reads in plain text and quotation folding already skips;
so a quotation cited as "p. 45" in an EPUB can be checked against the page it is on.
"""

from __future__ import annotations

import posixpath
import re
import warnings
from urllib.parse import unquote

from bs4 import BeautifulSoup, XMLParsedAsHTMLWarning


def _soup(markup: bytes | str, parser: str = "lxml") -> BeautifulSoup:
    """XHTML through the HTML parser, as the rest of extraction reads it (the warning says nothing new)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", XMLParsedAsHTMLWarning)
        return BeautifulSoup(markup, parser)


def page_targets(book) -> dict[str, dict[str, str]]:
    """``{document file name: {element id: page label}}`` from the book's page lists."""
    import ebooklib

    targets: dict[str, dict[str, str]] = {}

    def add(base: str, href: str, label: str) -> None:
        path, _, anchor = unquote(href).partition("#")
        name = posixpath.normpath(posixpath.join(posixpath.dirname(base), path)) if path else base
        if anchor and label.strip():
            targets.setdefault(name, {})[anchor] = label.strip()

    for item in book.get_items():
        kind = item.get_type()
        if kind not in (ebooklib.ITEM_DOCUMENT, ebooklib.ITEM_NAVIGATION):
            continue
        soup = _soup(item.get_content(), "xml" if item.get_name().endswith(".ncx") else "lxml")
        for nav in soup.find_all("nav"):
            if "page-list" in (nav.get("epub:type") or nav.get("type") or ""):
                for a in nav.find_all("a", href=True):
                    add(item.get_name(), str(a["href"]), a.get_text(" ", strip=True))
        for target in soup.find_all("pageTarget"):
            content, text = target.find("content"), target.find("text")
            if content is not None and text is not None:
                add(item.get_name(), str(content.get("src") or ""), text.get_text(strip=True))
    return targets


def mark_pages(markup: bytes, ids: dict[str, str]) -> bytes | str:
    """The document with ``[Page N]`` before each page-target element (and each epub:type=pagebreak)."""
    if not ids and b"pagebreak" not in markup:
        return markup
    soup = _soup(markup)
    for el in soup.find_all(True):
        label: str | None = ids.get(str(el.get("id"))) if el.get("id") else None
        if label is None and "pagebreak" in str(el.get("epub:type") or el.get("role") or ""):
            label = str(el.get("title") or el.get("aria-label") or el.get_text(strip=True))
        if label and re.fullmatch(r"\d{1,5}", label.strip()):
            el.insert_before(f" [Page {label.strip()}] ")
    # The HTML parser lower-cases nothing that matters here and keeps the document as HTML.
    return str(soup)
