"""The library: ingest, re-ingest, search, citations, extraction, robustness."""

from __future__ import annotations

import gzip
import json
import sqlite3
from pathlib import Path

import pytest

from sourcecheck.errors import InputError
from sourcecheck.library import Library, extract, locate_offsets, make_passages, match_citation, split_sentences
from sourcecheck.library import store as store_module
from sourcecheck.library.citations import title_score
from sourcecheck.library.gutenberg import find_year, strip_gutenberg
from sourcecheck.records import Citation, Source, SourceRef

SHARED = Path(__file__).resolve().parents[2] / "shared"
LIBRARY_DIR = SHARED / "library"
FIXTURES = Path(__file__).parent / "fixtures" / "library"
REED_ID = "ten-days-that-shook-the-world"
TROTSKY_ID = "from-october-to-brest-litovsk"


@pytest.fixture(scope="module")
def real_library(tmp_path_factory):
    if not LIBRARY_DIR.is_dir():
        pytest.skip("shared library data not present")
    path = tmp_path_factory.mktemp("lib") / "sub" / "library.db"  # parent dir is created
    lib = Library(path)
    results = lib.add(LIBRARY_DIR)
    yield lib, results
    lib.close()


def fts_intact(lib: Library) -> bool:
    """FTS5's own check that the index agrees with the passage texts it was built from."""
    return lib.fts_intact()


# -- the real library -------------------------------------------------------------------

def test_add_real_folder_reads_metadata_and_calendars(real_library):
    lib, results = real_library
    assert [r.status for r in results] == ["added"] * 6
    by_id = {s.id: s for s in lib.sources()}
    assert set(by_id) == {REED_ID, TROTSKY_ID, "bolsheviks", "october-revolution",
                          "russian-civil-war", "russian-revolution"}
    reed, trotsky = by_id[REED_ID], by_id[TROTSKY_ID]
    assert (reed.title, reed.author, reed.year) == ("Ten Days That Shook the World", "John Reed", 1919)
    # The Gutenberg header spells him "Trotzky"; we keep the source's own spelling.
    assert (trotsky.title, trotsky.author, trotsky.year) == ("From October to Brest-Litovsk", "Leon Trotzky", 1919)
    assert reed.calendar == "gregorian"
    assert trotsky.calendar == "julian"
    assert by_id["russian-revolution"].calendar is None
    assert by_id["russian-revolution"].title == "Russian Revolution"
    # The Gutenberg licence is stripped; the book's body is kept.
    assert "PROJECT GUTENBERG" not in reed.text.upper()
    assert "I have adopted in this book our Calendar throughout" in reed.text
    assert reed.text.rstrip().endswith("dissolved....")


def test_re_add_is_unchanged(real_library):
    lib, _ = real_library
    again = lib.add(LIBRARY_DIR)
    assert [r.status for r in again] == ["unchanged"] * 6
    assert fts_intact(lib)
    assert len(lib.sources()) == 6


def test_search_returns_exact_slices_of_reed(real_library):
    lib, _ = real_library
    hits = lib.search("Winter Palace", k=10)
    assert hits and all(score > 0 for _, score in hits)
    assert [s for _, s in hits] == sorted((s for _, s in hits), reverse=True)
    reed = lib.get(REED_ID)
    reed_hits = [p for p, _ in hits if p.source_id == REED_ID]
    assert reed_hits
    for p in reed_hits:
        assert reed.text[p.start:p.end] == p.text
        assert "winter palace" in p.text.lower()
    only_reed = lib.search("Winter Palace", k=5, source_ids=[REED_ID])
    assert len(only_reed) == 5 and {p.source_id for p, _ in only_reed} == {REED_ID}


def test_search_survives_fts_syntax(real_library):
    lib, _ = real_library
    for query in ['"Winter Palace', "NEAR(Smolny AND) OR * ^ -x:", "col:Trotzky", "()", ""]:
        lib.search(query)  # must not raise
    assert lib.search('"unbalanced (Cronstadt* AND')[0][0].text.lower().count("cronstadt") >= 1
    assert lib.search("?!") == []


def test_passages_cover_source_in_order(real_library):
    lib, _ = real_library
    source = lib.get("bolsheviks")
    passages = lib.passages("bolsheviks")
    assert len(passages) > 20
    starts = [p.start for p in passages]
    assert starts == sorted(starts)
    for p in passages:
        assert source.text[p.start:p.end] == p.text
        assert len(p.text) <= 600


def test_find_source_and_location(real_library):
    lib, _ = real_library
    assert lib.find_source("ten days that shook the world").id == REED_ID
    assert lib.find_source(str(LIBRARY_DIR / "reed-ten-days-that-shook-the-world.txt")).id == REED_ID
    assert lib.find_source(REED_ID).id == REED_ID
    assert lib.find_source("Ten Days") is None
    reed = lib.get(REED_ID)
    start = reed.text.index("I have adopted in this book")
    loc = lib.location(reed, start, start + 10)
    assert loc.line == reed.text[:start].count("\n") + 1 and loc.page is None
    assert reed.text.splitlines()[loc.line - 1].startswith("I have adopted")


CITATION_CASES = [
    (Citation("", "A Concise History of the Russian Revolution", "Richard Pipes", 1995), None),
    (Citation("", "Ten Days That Shook the World", "John Reed", 1919), REED_ID),
    (Citation("", "Ten Days That Shook the World", "Reed, John", None), REED_ID),
    (Citation("", "Ten Days That Shook the World", "John Reed", 1920), None),  # year disagrees
    (Citation("", "Ten Days That Shook the World", "Max Eastman", 1919), None),  # author disagrees
    (Citation("", "Ten Days", "John Reed", None), None),
    (Citation("", "From October to Brest-Litovsk", "Leon Trotsky", 1919), TROTSKY_ID),
    (Citation("", "Russian Revolution", None, None), "russian-revolution"),
    (Citation("", "The Russian Revolution", None, None), "russian-revolution"),
    (Citation("", None, None, None), None),
]


@pytest.mark.parametrize("citation,expected", CITATION_CASES)
def test_match_citation_against_real_library(real_library, citation, expected):
    lib, _ = real_library
    found = lib.match_citation(citation)
    assert (found.id if found else None) == expected


def test_loose_title_likeness_is_no_match():
    pipes = [SourceRef("pipes", "A Concise History of the Russian Revolution", "Richard Pipes", 1995)]
    assert match_citation(Citation("", "Russian Revolution"), pipes) is None
    assert title_score("Russian Revolution", "A Concise History of the Russian Revolution") < 90
    subtitled = [SourceRef("reed", "Ten Days That Shook the World: A Chronicle", "John Reed", 1919)]
    assert match_citation(Citation("", "Ten Days That Shook the World", "Reed"), subtitled).id == "reed"


def test_equal_matches_are_not_guessed():
    twins = [SourceRef("a", "Collected Works", "Lenin", None), SourceRef("b", "Collected Works", "Lenin", None)]
    assert match_citation(Citation("", "Collected Works", "Lenin"), twins) is None


def test_remove(tmp_path):
    if not LIBRARY_DIR.is_dir():
        pytest.skip("shared library data not present")
    with Library(tmp_path / "lib.db") as lib:
        lib.add(LIBRARY_DIR / "wikipedia")
        removed = lib.remove("Bolsheviks")
        assert removed == SourceRef("bolsheviks", "Bolsheviks", None, None)
        assert lib.get("bolsheviks") is None and lib.passages("bolsheviks") == []
        assert all(p.source_id != "bolsheviks" for p, _ in lib.search("Bolsheviks Lenin party", k=50))
        assert lib.remove("russian-civil-war").id == "russian-civil-war"
        with pytest.raises(InputError):
            lib.remove("Bolsheviks")
        assert len(lib.sources()) == 2
        assert fts_intact(lib)


# -- ingest behaviour on small files ---------------------------------------------------------

def test_changed_file_replaces_and_ids_are_unique(tmp_path):
    a = tmp_path / "docs" / "a.txt"
    a.parent.mkdir()
    a.write_text("First version. It has two sentences.\n", encoding="utf-8")
    with Library(tmp_path / "lib.db") as lib:
        [r] = lib.add(a, title="Same Title")
        assert (r.status, r.source_id) == ("added", "same-title")
        b = tmp_path / "docs" / "b.md"
        b.write_text("# Ignored heading\n\nOther text.\n", encoding="utf-8")
        [r2] = lib.add(b, title="Same Title")
        assert r2.source_id == "same-title-2"
        a.write_text("Second version. Entirely new words here.\n", encoding="utf-8")
        [r3] = lib.add(a, title="Same Title")
        assert r3.status == "replaced" and r3.source_id == "same-title"
        assert lib.get("same-title").text.startswith("Second version")
        assert all("First" not in p.text for p, _ in lib.search("First version"))
        assert lib.add(a, title="Same Title")[0].status == "unchanged"
        assert lib.add(a, title="Same Title", year=1920)[0].status == "replaced"
        assert lib.get("same-title").year == 1920
        assert fts_intact(lib)
        assert len(lib.sources()) == 2


def test_folder_skips_other_files_and_md_title(tmp_path):
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "notes.md").write_text("# My Notes\n\nSome text here.\n", encoding="utf-8")
    (tmp_path / "src" / "image.png").write_bytes(b"\x89PNG\r\n")
    (tmp_path / "src" / "data.csv").write_text("a,b\n", encoding="utf-8")
    with Library(tmp_path / "lib.db") as lib:
        results = lib.add(tmp_path / "src")
        assert [(r.title, r.status) for r in results] == [("My Notes", "added")]


def test_undecodable_file_is_input_error(tmp_path):
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"caf\xe9 au lait\n")
    with Library(tmp_path / "lib.db") as lib:
        with pytest.raises(InputError) as err:
            lib.add(bad)
        assert "bad.txt" in str(err.value)
        with pytest.raises(InputError):
            lib.add(tmp_path / "missing.txt")
        assert lib.sources() == []


def test_jsonl_and_gz_lines_are_sources(tmp_path):
    rows = [{"title": "Alpha Page", "text": "Alpha text. More alpha."},
            {"title": "Beta Page", "text": "Beta text.", "author": "B. Writer", "year": 2001}]
    plain = tmp_path / "pages.jsonl"
    plain.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    gz = tmp_path / "more.jsonl.gz"
    with gzip.open(gz, "wt", encoding="utf-8") as fh:
        fh.write(json.dumps({"title": "Gamma Page", "text": "Gamma text."}) + "\n")
    with Library(tmp_path / "lib.db") as lib:
        assert [r.source_id for r in lib.add(plain)] == ["alpha-page", "beta-page"]
        assert [r.status for r in lib.add(plain)] == ["unchanged", "unchanged"]
        assert lib.add(gz)[0].source_id == "gamma-page"
        beta = lib.get("beta-page")
        assert (beta.author, beta.year) == ("B. Writer", 2001)
    broken = tmp_path / "broken.jsonl"
    broken.write_text('{"title": "ok", "text": "fine"}\n{"text": "no title"}\n', encoding="utf-8")
    with Library(tmp_path / "lib2.db") as lib:
        with pytest.raises(InputError) as err:
            lib.add(broken)
        assert err.value.line == 2
    surrogate = tmp_path / "surrogate.jsonl"
    surrogate.write_text('{"title": "S", "text": "bad \\ud800 here"}\n', encoding="utf-8")
    with Library(tmp_path / "lib3.db") as lib, pytest.raises(InputError):
        lib.add(surrogate)


def test_killed_ingest_keeps_finished_sources_only(tmp_path, monkeypatch):
    folder = tmp_path / "src"
    folder.mkdir()
    (folder / "a.txt").write_text("Alpha source. It is complete.\n", encoding="utf-8")
    (folder / "b.txt").write_text("Beta source. It will be interrupted.\n", encoding="utf-8")
    real_insert = store_module.Library._insert_passages
    calls = []

    def flaky_insert(self, source_id, passages):
        calls.append(source_id)
        if len(calls) == 2:
            real_insert(self, source_id, passages)  # half-written, then killed
            raise KeyboardInterrupt("killed")
        real_insert(self, source_id, passages)

    monkeypatch.setattr(store_module.Library, "_insert_passages", flaky_insert)
    db = tmp_path / "lib.db"
    lib = Library(db)
    with pytest.raises(KeyboardInterrupt):
        lib.add(folder)
    lib.close()
    monkeypatch.undo()
    with Library(db, read_only=True) as lib:
        assert [s.id for s in lib.sources()] == ["a"]
        assert lib.stats()["passages"] == len(lib.passages("a")) > 0  # no passage of the killed one
    with Library(db) as lib:
        assert [p.source_id for p, _ in lib.search("Beta interrupted")] == []
        assert [r.status for r in lib.add(folder)] == ["unchanged", "added"]


# -- not a library ------------------------------------------------------------------------

def test_text_file_is_not_a_library(tmp_path):
    path = tmp_path / "notes.db"
    path.write_text("just some notes\n", encoding="utf-8")
    before = path.read_bytes()
    with pytest.raises(InputError) as err:
        Library(path)
    assert "not a sourcecheck library" in str(err.value)
    assert path.read_bytes() == before


def test_other_sqlite_file_is_not_a_library(tmp_path):
    path = tmp_path / "other.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE customers (name TEXT)")
    conn.execute("INSERT INTO customers VALUES ('x')")
    conn.commit()
    conn.close()
    before = path.read_bytes()
    with pytest.raises(InputError) as err:
        Library(path)
    assert "not a sourcecheck library" in str(err.value)
    assert path.read_bytes() == before
    assert not (tmp_path / "other.db-wal").exists()


def test_reopen_existing_library(tmp_path):
    db = tmp_path / "lib.db"
    with Library(db) as lib:
        (tmp_path / "a.txt").write_text("Words of a source.\n", encoding="utf-8")
        lib.add(tmp_path / "a.txt")
    with Library(db) as lib:
        assert [s.id for s in lib.sources()] == ["a"]


def test_two_connections_add_at_once(tmp_path):
    db = tmp_path / "lib.db"
    for name in "xy":
        (tmp_path / f"{name}.txt").write_text(f"Source {name}. Text.\n", encoding="utf-8")
    with Library(db) as one, Library(db) as two:
        one.add(tmp_path / "x.txt")
        two.add(tmp_path / "y.txt")
        assert {s.id for s in one.sources()} == {"x", "y"}


# -- extraction ---------------------------------------------------------------------------

def test_html_keeps_main_text_only():
    ex = extract(FIXTURES / "page.html")
    assert ex.title == "The Smolny Institute" and ex.author == "A. Tester"
    assert "The Smolny Institute was the headquarters of the Bolsheviks. It stood" in ex.text
    assert "Guards stood at its gates" in ex.text
    for junk in ("Navigation menu", "script text", "Site header", "sidebar", "footer", "color"):
        assert junk not in ex.text


def test_epub_documents_in_spine_order(tmp_path):
    from ebooklib import epub

    book = epub.EpubBook()
    book.set_identifier("test-1")
    book.set_title("A Tiny Book")
    book.add_author("Ann Author")
    book.add_metadata("DC", "date", "1921-03-01")
    chapters = []
    for i, body in enumerate(["<p>Chapter one text. The first.</p>", "<p>Chapter two text.</p>"], 1):
        ch = epub.EpubHtml(title=f"Ch {i}", file_name=f"ch{i}.xhtml", lang="en")
        ch.content = f"<html><body><h1>Chapter {i}</h1>{body}</body></html>"
        book.add_item(ch)
        chapters.append(ch)
    book.toc = chapters
    book.add_item(epub.EpubNcx())
    book.add_item(epub.EpubNav())
    book.spine = [chapters[1], chapters[0]]  # spine order, not file order
    path = tmp_path / "tiny.epub"
    epub.write_epub(str(path), book)
    ex = extract(path)
    assert (ex.title, ex.author, ex.year) == ("A Tiny Book", "Ann Author", 1921)
    assert ex.text.index("Chapter two text.") < ex.text.index("Chapter one text.")


def _tiny_pdf(pages: list[str]) -> bytes:
    """A valid PDF with one line of Helvetica text per page (offsets in the xref are exact)."""
    n = len(pages)
    objects = ["<< /Type /Catalog /Pages 2 0 R >>",
               f"<< /Type /Pages /Kids [{' '.join(f'{4 + 2 * i} 0 R' for i in range(n))}] /Count {n} >>",
               "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    for i, text in enumerate(pages):
        stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET"
        objects.append(f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
                       f"/Resources << /Font << /F1 3 0 R >> >> /Contents {5 + 2 * i} 0 R >>")
        objects.append(f"<< /Length {len(stream)} >>\nstream\n{stream}\nendstream")
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n{body}\nendobj\n".encode("latin-1")
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += "".join(f"{o:010d} 00000 n \n" for o in offsets).encode()
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def test_pdf_keeps_page_numbers(tmp_path):
    path = tmp_path / "report.pdf"
    path.write_bytes(_tiny_pdf(["Page one words here.", "The Winter Palace fell.", "Third page."]))
    ex = extract(path)
    assert len(ex.pages) == 3
    start = ex.text.index("Winter Palace")
    source = Source("r", "report", None, None, str(path), "", ex.text, pages=ex.pages)
    assert locate_offsets(source, start, start + 13).page == 2
    assert locate_offsets(source, 0, 4).page == 1
    assert locate_offsets(source, ex.text.index("Third"), len(ex.text)).page == 3
    with Library(tmp_path / "lib.db") as lib:
        lib.add(path)
        stored = lib.get("report")
        assert stored.pages == ex.pages
        hit, _ = lib.search("Winter Palace")[0]
        assert lib.location(stored, hit.start, hit.end).page == 2


def test_form_feeds_and_page_marks_give_pages(tmp_path):
    ff = tmp_path / "ff.txt"
    ff.write_text("Page one.\fPage two.\nSecond line.\fPage three.", encoding="utf-8")
    ex = extract(ff)
    src = Source("ff", "ff", None, None, "", "", ex.text, pages=ex.pages)
    at = ex.text.index("Second line")
    assert locate_offsets(src, at, at + 6).page == 2 and locate_offsets(src, at, at + 6).line == 2
    marks = tmp_path / "marks.txt"
    marks.write_text("Front matter.\n[Page 3]\nThird page.\n[Page 5]\nFifth page.", encoding="utf-8")
    ex = extract(marks)
    src = Source("m", "m", None, None, "", "", ex.text, pages=ex.pages)
    assert locate_offsets(src, ex.text.index("Third"), 0).page == 3
    assert locate_offsets(src, ex.text.index("Fifth"), 0).page == 5


def test_gutenberg_strip_and_year():
    text = ("The Project Gutenberg EBook of X\n\nTitle: A Book\n\nAuthor: Some One\n\n"
            "Release Date: May, 2004\n\n*** START OF THIS PROJECT GUTENBERG EBOOK A BOOK ***\n\n"
            "A Book\n\nCopyright, 1912, by Some One\n\nBody text.\n\n"
            "End of the Project Gutenberg EBook of A Book\n\n*** END OF THIS PROJECT GUTENBERG EBOOK ***\n")
    start, end, meta = strip_gutenberg(text)
    assert text[start:end] == "A Book\n\nCopyright, 1912, by Some One\n\nBody text."
    assert (meta["title"], meta["author"]) == ("A Book", "Some One")
    assert find_year(text[start:end]) == 1912
    assert find_year("A Book\n\nNo dates at all here.") is None
    assert strip_gutenberg("plain text") is None


def test_sentence_splitter_keeps_abbreviations():
    text = 'Mr. Smith met Gen. Kornilov in St. Petersburg. J. Reed saw it! "Why?" he asked.\n\nA new paragraph.'
    sentences = [text[s:e] for s, e in split_sentences(text)]
    assert sentences == ["Mr. Smith met Gen. Kornilov in St. Petersburg.", "J. Reed saw it!",
                         '"Why?" he asked.', "A new paragraph."]
    passages = make_passages("x", text)
    assert [p.text for p in passages] == [" ".join(sentences[:3]), "A new paragraph."]
