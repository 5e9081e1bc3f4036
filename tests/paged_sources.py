"""Sources with pages, written by the tests (../shared/library has no page marks): a PDF,
an EPUB with a page list, and a text with Gutenberg's ``[Pg N]`` marks.

The same sentence, TARGET, sits on page TARGET_PAGE of each, so a citation of another page
must be reported and a citation of that page must not.
"""

from __future__ import annotations

from pathlib import Path

TARGET = "The sailors of the cruiser voted to stay in the river until the ministers surrendered."
TARGET_PAGE = 43
FIRST_PAGE = 41
_FILLER = ("Page {n} of the memoir tells of the long queues for bread, of the meetings in the barracks and of "
           "rumours that ran through the city from one district to the next on page {n}.")


def _pages() -> list[str]:
    pages = []
    for n in range(FIRST_PAGE, FIRST_PAGE + 5):
        body = _FILLER.format(n=n)
        if n == TARGET_PAGE:
            body += " " + TARGET
        pages.append(body)
    return pages


def write_pg_text(folder: Path) -> Path:
    """A plain text with ``[Pg N]`` marks, pages FIRST_PAGE.."""
    parts = ["A Sailor's Memoir\nby Pavel Dybenko\n1928\n"]
    for n, body in zip(range(FIRST_PAGE, FIRST_PAGE + 5), _pages()):
        parts.append(f"[Pg {n}]\n{body}\n")
    path = folder / "sailor-memoir.txt"
    path.write_text("\n".join(parts), encoding="utf-8")
    return path


def write_pdf(folder: Path) -> Path:
    """A PDF whose physical page k holds page FIRST_PAGE + k - 1 of the memoir; cited pages are PDF pages."""
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_title("A Fleet Diary")
    pdf.set_author("Fyodor Raskolnikov")
    pdf.set_font("Helvetica", size=12)
    for body in _pages():
        pdf.add_page()
        pdf.multi_cell(0, 8, body)
    path = folder / "fleet-diary.pdf"
    pdf.output(str(path))
    return path


def write_epub(folder: Path) -> Path:
    """An EPUB 3 whose page list (nav page-list) points at anchors in two chapters."""
    from ebooklib import epub

    book = epub.EpubBook()
    book.set_identifier("sourcecheck-test-epub")
    book.set_title("Kronstadt Notes")
    book.add_author("Anatoli Zheleznyakov")
    book.set_language("en")
    pages = list(zip(range(FIRST_PAGE, FIRST_PAGE + 5), _pages()))
    chapters = []
    for c, chunk in enumerate((pages[:2], pages[2:]), 1):
        html = "".join(f'<p><span id="pg{n}"></span>{body}</p>' for n, body in chunk)
        ch = epub.EpubHtml(title=f"Chapter {c}", file_name=f"chap{c}.xhtml", lang="en",
                           content=f"<html><body><h1>Chapter {c}</h1>{html}</body></html>")
        book.add_item(ch)
        chapters.append(ch)
    page_list = "".join(f'<li><a href="chap{1 if i < 2 else 2}.xhtml#pg{n}">{n}</a></li>'
                        for i, (n, _) in enumerate(pages))
    nav_pages = epub.EpubHtml(title="Pages", file_name="pages.xhtml",
                              content=f'<html><body><nav epub:type="page-list"><ol>{page_list}</ol></nav></body></html>')
    book.add_item(nav_pages)
    book.toc = chapters
    book.add_item(epub.EpubNcx())
    book.add_item(epub.EpubNav())
    book.spine = ["nav", *chapters]
    path = folder / "kronstadt-notes.epub"
    epub.write_epub(str(path), book)
    return path
