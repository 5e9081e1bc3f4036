"""Text and metadata out of source files: txt, md, html, epub, pdf.

Each reader returns the text that will be stored; every offset the library hands out
(passages, page starts) refers to that text.
"""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import InputError
from . import gutenberg

SUFFIXES = (".txt", ".md", ".html", ".htm", ".epub", ".pdf")


@dataclass
class Extracted:
    text: str
    title: str | None = None
    author: str | None = None
    year: int | None = None
    pages: list[int] = field(default_factory=list)  # start offset of each page
    calendar: str | None = None


# Declared calendars: (calendar, pattern). The earliest match in the opening wins,
# so "our Calendar throughout, instead of the former Russian Calendar" is Gregorian.
_CALENDAR_DECLARATIONS: list[tuple[str, re.Pattern[str]]] = [
    ("gregorian", re.compile(r"\bour\s+calendar\s+throughout", re.I)),
    ("gregorian", re.compile(r"\b(?:new\s+style|gregorian\s+calendar)\s+(?:is\s+)?(?:used\s+)?throughout", re.I)),
    ("gregorian", re.compile(r"\bdates\s+(?:are\s+)?(?:given\s+)?(?:in\s+)?(?:the\s+)?(?:new\s+style|gregorian)", re.I)),
    ("julian", re.compile(r"\buses?\s+the\s+(?:russian|julian|old[- ]style)\s+calendar", re.I)),
    ("julian", re.compile(r"\b(?:old\s+style|julian\s+calendar|russian\s+calendar)\s+(?:is\s+)?(?:used\s+)?throughout", re.I)),
    ("julian", re.compile(r"\bdates\s+(?:are\s+)?(?:given\s+)?(?:in\s+)?(?:the\s+)?(?:old\s+style|julian)", re.I)),
]


def declared_calendar(text: str, window: int = 60000) -> str | None:
    """"julian" / "gregorian" if the opening of ``text`` declares which it uses.

    The window is wide because prefaces come first: Reed declares his at char ~31,000.
    """
    head = text[:window]
    best: tuple[int, str] | None = None
    for calendar, pattern in _CALENDAR_DECLARATIONS:
        m = pattern.search(head)
        if m and (best is None or m.start() < best[0]):
            best = (m.start(), calendar)
    return best[1] if best else None


_PAGE_MARK = re.compile(r"\[(?:Page|Pg|p\.)\s*(\d{1,5})\]", re.I)


def page_starts(text: str) -> list[int]:
    """Page start offsets from form feeds, else from ``[Page 12]``/``[p. 12]`` marks.

    A mark is taken as the start of the page it names; pages before the first mark
    start at 0, so the page of an offset is the last page starting at or before it.
    """
    if "\f" in text:
        return [0] + [i + 1 for i, ch in enumerate(text) if ch == "\f"]
    marks = [(int(m.group(1)), m.start()) for m in _PAGE_MARK.finditer(text)]
    if not marks or any(b[0] <= a[0] for a, b in zip(marks, marks[1:])) or marks[-1][0] > 100000:
        return []
    pages = [0] * marks[-1][0]
    known = dict(marks)
    nxt = len(text)
    for number in range(marks[-1][0], 0, -1):  # fill gaps with the next known start
        if number in known:
            nxt = known[number]
        pages[number - 1] = nxt if number >= marks[0][0] else 0
    return pages


def _read_text(path: Path) -> str:
    try:
        return path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise InputError(path, f"not UTF-8 text (byte {err.start})") from None
    except OSError as err:
        raise InputError(path, f"cannot read: {err.strerror}") from None


def _title_from_stem(path: Path) -> str:
    return re.sub(r"[_]+", " ", path.stem).strip() or path.name


# A plain-text title page: "Title\nby Author\n1919" in the first lines (how papers, reports and
# transcriptions often open); without it the title falls back to the file name.
_TITLE_PAGE = re.compile(r"\s*(?P<title>[^\n]{2,120})\n\s*by (?P<author>[^\n]{2,80})\n(?:\s*(?P<year>1[0-9]{3}|20[0-9]{2})\s*\n)?")


def extract_plain(path: Path) -> Extracted:
    raw = _read_text(path).replace("\r\n", "\n")
    text, title, author, year = raw, None, None, None
    found = gutenberg.strip_gutenberg(raw)
    if found:
        start, end, meta = found
        text = raw[start:end]
        title, author = meta.get("title"), meta.get("author")
        year = gutenberg.find_year(text)
    if title is None and path.suffix.lower() == ".md":
        m = re.search(r"^#\s+(.+?)\s*#*\s*$", text, re.M)
        title = m.group(1) if m else None
    if title is None and (page := _TITLE_PAGE.match(text)):
        title, author = page.group("title").strip(), page.group("author").strip()
        year = int(page.group("year")) if page.group("year") else year
    return Extracted(text, title or _title_from_stem(path), author, year, page_starts(text))


_DROP_TAGS = ("script", "style", "nav", "header", "footer", "aside", "noscript", "form", "template")
_BLOCK_TAGS = (
    "p", "div", "section", "article", "main", "h1", "h2", "h3", "h4", "h5", "h6", "li",
    "ul", "ol", "blockquote", "pre", "table", "tr", "td", "th", "dd", "dt", "figure",
    "figcaption", "body",
)


def html_to_text(markup: str | bytes) -> tuple[str, str | None, str | None, int | None]:
    """(main text, title, author, year) of an HTML page; paragraphs joined by blank lines."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(markup, "lxml")
    title = None
    if soup.title and soup.title.get_text(strip=True):
        title = soup.title.get_text(" ", strip=True)
    elif soup.h1:
        title = soup.h1.get_text(" ", strip=True)
    meta_author = soup.find("meta", attrs={"name": "author"})
    author = meta_author.get("content") if meta_author else None
    year = None
    for name in ("citation_publication_date", "dc.date", "date"):
        tag = soup.find("meta", attrs={"name": re.compile(f"^{re.escape(name)}$", re.I)})
        m = re.match(r"\s*(\d{4})", tag.get("content", "")) if tag else None
        if m:
            year = int(m.group(1))
            break
    for tag in soup.find_all(_DROP_TAGS):
        tag.decompose()
    root = soup.find("main") or soup.find("article") or soup.body or soup
    for br in root.find_all("br"):
        br.replace_with("\n")
    for tag in root.find_all(_BLOCK_TAGS):
        tag.insert_before("\n\n")
        tag.insert_after("\n\n")
    raw = root.get_text()
    paragraphs = (" ".join(p.split()) for p in re.split(r"\n\s*\n", raw))
    return "\n\n".join(p for p in paragraphs if p), title, author, year


def extract_html(path: Path) -> Extracted:
    try:
        data = path.read_bytes()
    except OSError as err:
        raise InputError(path, f"cannot read: {err.strerror}") from None
    text, title, author, year = html_to_text(data)
    if not text:
        raise InputError(path, "no text found in the HTML")
    return Extracted(text, title or _title_from_stem(path), author, year, page_starts(text))


def extract_epub(path: Path) -> Extracted:
    import ebooklib
    from ebooklib import epub

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            book = epub.read_epub(str(path), options={"ignore_ncx": True})
    except Exception as err:  # ebooklib raises bare zipfile/lxml/KeyError errors
        raise InputError(path, f"cannot read EPUB: {err}") from None
    from .epub_pages import mark_pages, page_targets

    parts, targets = [], page_targets(book)
    for idref, _linear in book.spine:
        item = book.get_item_with_id(idref)
        if item is not None and item.get_type() == ebooklib.ITEM_DOCUMENT:
            text = html_to_text(mark_pages(item.get_content(), targets.get(item.get_name(), {})))[0]
            if text:
                parts.append(text)

    def first(name: str) -> str | None:
        values = book.get_metadata("DC", name)
        return str(values[0][0]).strip() if values and values[0][0] else None

    date = first("date")
    m = re.match(r"\s*(\d{4})", date or "")
    text = "\n\n".join(parts)
    if not text:
        raise InputError(path, "no text found in the EPUB")
    return Extracted(text, first("title") or _title_from_stem(path), first("creator"),
                     int(m.group(1)) if m else None, page_starts(text))


def extract_pdf(path: Path) -> Extracted:
    from pypdf import PdfReader

    try:
        reader = PdfReader(str(path))
        page_texts = [(p.extract_text() or "").strip() for p in reader.pages]
        info = reader.metadata
    except Exception as err:  # pypdf raises many types (KeyError, ...) on broken files
        raise InputError(path, f"cannot read PDF: {err}") from None
    pages, chunks, offset = [], [], 0
    for t in page_texts:
        pages.append(offset)
        chunks.append(t)
        offset += len(t) + 2  # the "\n\n" joining pages
    text = "\n\n".join(chunks)
    if not text.strip():
        raise InputError(path, "no text layer in the PDF (scanned?)")
    title = (info.title if info else None) or _title_from_stem(path)
    author = info.author if info else None
    return Extracted(text, title, author or None, None, pages)


def extract(path: str | Path) -> Extracted:
    """Read one source file; the declared calendar is read from its opening."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix in (".txt", ".md"):
        ex = extract_plain(path)
    elif suffix in (".html", ".htm"):
        ex = extract_html(path)
    elif suffix == ".epub":
        ex = extract_epub(path)
    elif suffix == ".pdf":
        ex = extract_pdf(path)
    else:
        raise InputError(path, f"unsupported file type {suffix or '(none)'}; use one of {', '.join(SUFFIXES)}")
    ex.calendar = declared_calendar(ex.text)
    return ex


def iter_jsonl(path: str | Path):
    """Yield ``(line number, raw line bytes, Extracted)`` for each ``{"title","text"}`` line.

    Optional ``author`` and ``year`` fields are kept. Blank lines are skipped; a line that
    is not such an object is an InputError naming its line.
    """
    import gzip

    from ..jsonlines import parse_line

    path = Path(path)
    opener = gzip.open if path.name.lower().endswith(".gz") else open
    try:
        with opener(path, "rb") as fh:
            for number, raw in enumerate(fh, 1):
                obj = parse_line(raw, path, number)
                if obj is None:
                    continue
                if not isinstance(obj.get("title"), str) or not isinstance(obj.get("text"), str) \
                        or not obj["title"].strip():
                    raise InputError(path, 'each line needs string "title" and "text" fields', line=number)
                try:  # JSON may escape lone surrogates, which SQLite cannot store
                    (obj["title"] + obj["text"]).encode("utf-8")
                except UnicodeEncodeError:
                    raise InputError(path, "text holds an invalid \\u escape (lone surrogate)", line=number) from None
                year = obj.get("year")
                ex = Extracted(
                    obj["text"], obj["title"].strip(),
                    obj.get("author") if isinstance(obj.get("author"), str) else None,
                    year if isinstance(year, int) else None,
                )
                ex.pages = page_starts(ex.text)
                ex.calendar = declared_calendar(ex.text)
                yield number, raw, ex
    except (OSError, EOFError) as err:
        raise InputError(path, f"cannot read: {err}") from None
