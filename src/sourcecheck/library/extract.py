"""Text and metadata out of source files: txt, md, html, epub, pdf.

Each reader returns the text that will be stored; every offset the library hands out
(passages, page starts) refers to that text.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ..decode import decode_text
from ..errors import InputError
from ..jsonlines import parse_line
from ..limits import DEFAULT, MB, Limits, exceeded
from ..text import clean_title
from . import gutenberg


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


def _read_text(path: Path, limits: Limits = DEFAULT) -> str:
    try:
        size = path.stat().st_size
        if size > limits.text_mb * MB * 4:  # UTF-8 takes at most 4 bytes a character
            raise exceeded(path, "the file", f"{size // MB} MB", "text_mb", limits.text_mb, " MB of text")
        data = path.read_bytes()
    except OSError as err:
        raise InputError(path, f"cannot read: {err.strerror}") from None
    return decode_text(data, path)


def _title_from_stem(path: Path) -> str:
    return clean_title(re.sub(r"[_]+", " ", path.stem)) or clean_title(path.name) or "Untitled"


# A plain-text title page: "Title\nby Author\n1919" in the first lines (how papers, reports and
# transcriptions often open); without it the title falls back to the file name.
_TITLE_PAGE = re.compile(r"\s*(?P<title>[^\n]{2,120})\n\s*by (?P<author>[^\n]{2,80})\n(?:\s*(?P<year>1[0-9]{3}|20[0-9]{2})\s*\n)?")


def extract_plain(path: Path, limits: Limits = DEFAULT) -> Extracted:
    raw = _read_text(path, limits).replace("\r\n", "\n")
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


def _meta(root, name: str) -> str | None:
    for tag in root.iter("meta"):
        if (tag.get("name") or "").lower() == name:
            return tag.get("content")
    return None


def _walk_text(root, limit: int) -> str:
    """The text of ``root`` with blank lines around block elements, in one pass over the tree.

    Written over lxml's own tree walk rather than BeautifulSoup's tree edits: inserting separators
    before and after each block was quadratic (100,000 nested elements took minutes).
    """
    from lxml import etree

    out: list[str] = []
    depth = 0
    for event, el in etree.iterwalk(root, events=("start", "end")):
        is_tag = isinstance(el.tag, str)
        block = is_tag and el.tag in _BLOCK_TAGS
        if event == "start":
            depth += 1
            if depth > limit:
                raise ValueError(depth)
            if block:
                out.append("\n\n")
            elif is_tag and el.tag == "br":
                out.append("\n")
            if is_tag and el.text:
                out.append(el.text)
        else:
            depth -= 1
            if block:
                out.append("\n\n")
            if el is not root and el.tail:
                out.append(el.tail)
    return "".join(out)


def html_to_text(markup: str | bytes, limits: Limits = DEFAULT, path: object = "<html>"
                 ) -> tuple[str, str | None, str | None, int | None]:
    """(main text, title, author, year) of an HTML page; paragraphs joined by blank lines."""
    from lxml import etree
    from lxml import html as lhtml

    parser = lhtml.HTMLParser(huge_tree=limits.html_depth > 256)
    try:
        root = lhtml.document_fromstring(markup, parser=parser)
    except (etree.ParserError, ValueError):
        return "", None, None, None
    if any("depth" in str(e).lower() for e in parser.error_log):  # past the parser's own cap
        cap = 2048 if limits.html_depth > 256 else 256
        raise exceeded(path, "the HTML's nesting", f"deeper than {cap} levels", "html_depth", limits.html_depth,
                       " levels")
    title_el = root.find(".//title")
    title = " ".join(title_el.text_content().split()) if title_el is not None else ""
    if not title and (h1 := root.find(".//h1")) is not None:
        title = " ".join(h1.text_content().split())
    author = _meta(root, "author")
    year = None
    for name in ("citation_publication_date", "dc.date", "date"):
        m = re.match(r"\s*(\d{4})", _meta(root, name) or "")
        if m:
            year = int(m.group(1))
            break
    etree.strip_elements(root, *_DROP_TAGS, etree.Comment, with_tail=False)
    main = root.find(".//main")
    main = main if main is not None else root.find(".//article")
    main = main if main is not None else root.find(".//body")
    try:
        raw = _walk_text(main if main is not None else root, limits.html_depth)
    except ValueError:
        raise exceeded(path, "the HTML's nesting", f"over {limits.html_depth}", "html_depth", limits.html_depth,
                       " levels") from None
    paragraphs = (" ".join(p.split()) for p in re.split(r"\n\s*\n", raw))
    return "\n\n".join(p for p in paragraphs if p), clean_title(title) or None, author, year


def extract_html(path: Path, limits: Limits = DEFAULT) -> Extracted:
    try:
        size = path.stat().st_size
        if size > limits.text_mb * MB * 4:
            raise exceeded(path, "the file", f"{size // MB} MB", "text_mb", limits.text_mb, " MB of text")
        data = path.read_bytes()
    except OSError as err:
        raise InputError(path, f"cannot read: {err.strerror}") from None
    text, title, author, year = html_to_text(data, limits, path)
    if not text:
        raise InputError(path, "no text found in the HTML")
    return Extracted(text, title or _title_from_stem(path), author, year, page_starts(text))


def _check_epub_sizes(path: Path, limits: Limits) -> None:
    """Refuse an EPUB whose members decompress past the limits, before anything is decompressed.

    zipfile never reads past a member's declared size, so the declared sizes bound memory.
    """
    import zipfile

    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
    except (zipfile.BadZipFile, OSError) as err:
        raise InputError(path, f"cannot read EPUB: {err}") from None
    for info in infos:
        if info.file_size > limits.epub_member_mb * MB:
            raise exceeded(path, f"member {clean_title(info.filename)!r} decompressed", f"{info.file_size // MB} MB",
                           "epub_member_mb", limits.epub_member_mb, " MB")
    total = sum(i.file_size for i in infos)
    if total > limits.epub_book_mb * MB:
        raise exceeded(path, "the whole book decompressed", f"{total // MB} MB", "epub_book_mb",
                       limits.epub_book_mb, " MB")


def extract_epub(path: Path, limits: Limits = DEFAULT) -> Extracted:
    import ebooklib
    from ebooklib import epub

    _check_epub_sizes(path, limits)
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
            text = html_to_text(mark_pages(item.get_content(), targets.get(item.get_name(), {})), limits, path)[0]
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
    return Extracted(text, clean_title(first("title") or "") or _title_from_stem(path), first("creator"),
                     int(m.group(1)) if m else None, page_starts(text))


def extract_pdf(path: Path, limits: Limits = DEFAULT) -> Extracted:
    import logging

    from pypdf import PdfReader

    # pypdf reports recoverable damage through logging and warnings; one line per problem on the
    # user's stderr would bury the one line that matters, so they are silenced while it reads.
    pypdf_log = logging.getLogger("pypdf")
    level = pypdf_log.level
    pypdf_log.setLevel(logging.CRITICAL)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            reader = PdfReader(str(path))
            if len(reader.pages) > limits.pdf_pages:
                raise exceeded(path, "the PDF", f"{len(reader.pages)} pages", "pdf_pages", limits.pdf_pages, " pages")
            page_texts = [(p.extract_text() or "").strip() for p in reader.pages]
            info = reader.metadata
    except InputError:
        raise
    except Exception as err:  # pypdf raises many types (KeyError, ...) on broken files
        raise InputError(path, f"cannot read PDF: {err}") from None
    finally:
        pypdf_log.setLevel(level)
    pages, chunks, offset = [], [], 0
    for t in page_texts:
        pages.append(offset)
        chunks.append(t)
        offset += len(t) + 2  # the "\n\n" joining pages
    text = "\n\n".join(chunks)
    if not text.strip():
        raise InputError(path, "no text layer in the PDF (scanned?)")
    title = clean_title((info.title if info else None) or "") or _title_from_stem(path)
    author = info.author if info else None
    return Extracted(text, title, author or None, None, pages)


@dataclass(frozen=True)
class SourceReader:
    """What a source file type registers (plugins.source_readers): text, title and pages out of a file.

    Source readers take a path, since EPUB and PDF are archives read in place, not text.
    """

    name: str
    suffixes: tuple[str, ...]
    extract: Callable[[Path, Limits], Extracted]
    description: str


PLAIN = SourceReader("text", (".txt", ".md"), extract_plain, "plain text and Markdown (Gutenberg headers cut)")
HTML = SourceReader("html", (".html", ".htm"), extract_html, "HTML, navigation and scripts left out")
EPUB = SourceReader("epub", (".epub",), extract_epub, "EPUB books, with their page marks")
PDF = SourceReader("pdf", (".pdf",), extract_pdf, "PDF with a text layer, a page per page")


def source_suffixes() -> tuple[str, ...]:
    """Every file ending a registered source reader takes (`add` on a folder takes these)."""
    from .. import plugins

    return tuple(s for r in plugins.source_readers for s in r.suffixes)


def extract(path: str | Path, limits: Limits = DEFAULT) -> Extracted:
    """Read one source file by the reader registered for its ending; the declared calendar is read from its opening."""
    from .. import plugins

    path = Path(path)
    suffix = path.suffix.lower()
    reader = next((r for r in plugins.source_readers if suffix in r.suffixes), None)
    if reader is None:
        raise InputError(path, f"unsupported file type {suffix or '(none)'}; use one of {', '.join(source_suffixes())}")
    ex = reader.extract(path, limits)
    check_text_size(path, ex.text, limits)
    ex.title = clean_title(ex.title or "") or _title_from_stem(path)
    ex.calendar = declared_calendar(ex.text)
    return ex


def check_text_size(path: object, text: str, limits: Limits) -> None:
    if len(text) > limits.text_mb * MB:
        raise exceeded(path, "the text", f"{len(text) / MB:.1f} M characters", "text_mb", limits.text_mb,
                       " M characters")


def iter_jsonl(path: str | Path, limits: Limits = DEFAULT) -> Iterator[tuple[int, bytes, Extracted | InputError]]:
    """Yield ``(line number, raw line bytes, Extracted)`` for each ``{"title","text"}`` line.

    Optional ``author`` and ``year`` fields are kept. Blank lines are skipped; a line that is not
    such an object gives an InputError naming its line in place of the Extracted, and reading goes
    on, so the caller can add every good line and list every bad one.
    """
    import gzip

    path = Path(path)
    opener = gzip.open if path.name.lower().endswith(".gz") else open
    try:
        with opener(path, "rb") as fh:
            for number, raw in enumerate(fh, 1):
                if raw.strip():
                    yield number, raw, _jsonl_source(path, number, raw, limits)
    except (OSError, EOFError) as err:
        raise InputError(path, f"cannot read: {err}") from None


def _jsonl_source(path: Path, number: int, raw: bytes, limits: Limits) -> Extracted | InputError:
    try:
        obj = parse_line(raw, path, number)
    except InputError as err:
        return err
    if obj is None or not isinstance(obj.get("title"), str) \
            or not isinstance(obj.get("text"), str) or not obj["title"].strip():
        return InputError(path, 'each line needs string "title" and "text" fields', line=number)
    if not obj["text"].strip():
        return InputError(path, "the text is empty", line=number)
    try:
        check_text_size(path, obj["text"], limits)
    except InputError as err:
        return InputError(path, err.message, line=number)
    year = obj.get("year")
    ex = Extracted(obj["text"], clean_title(obj["title"]),
                   obj.get("author") if isinstance(obj.get("author"), str) else None,
                   year if isinstance(year, int) and not isinstance(year, bool) else None)
    ex.pages = page_starts(ex.text)
    ex.calendar = declared_calendar(ex.text)
    return ex
