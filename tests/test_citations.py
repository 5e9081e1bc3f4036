"""Citations as scholars and Wikipedia editors write them (issue 14): page locators, the page
check on paged sources, bibliographies and keys, Pandoc Markdown, wikitext, non-Latin titles,
and `cite` writing back in the document's own form. Through the CLI, on real files."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import EXAMPLES, needs_model
from paged_sources import FIRST_PAGE, TARGET, TARGET_PAGE, write_epub, write_pdf, write_pg_text
from sourcecheck.cli import main
from sourcecheck.document import parse_citation, read_document
from sourcecheck.document.locator import parse_locator
from sourcecheck.library.citations import authors_agree, match_citation, title_score
from sourcecheck.records import Citation, SourceRef

FIXTURES = Path(__file__).parent / "fixtures" / "citations"
NOTES = "Notes on the October Days"
NOTES_QUOTE = "The committee sent its own commissars to the regiments of the garrison."


def run(*args: str):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


@pytest.fixture(scope="module")
def paged(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("paged")
    return {"text": write_pg_text(folder), "pdf": write_pdf(folder), "epub": write_epub(folder)}


@pytest.fixture(scope="module")
def library(tmp_path_factory, paged) -> Path:
    """The example sources and the three paged sources in a real library file."""
    path = tmp_path_factory.mktemp("citations") / "library.db"
    assert run("add", EXAMPLES / "sources", *paged.values(), "--library", path).exit_code == 0
    return path


def dump(path: Path) -> list[tuple]:
    """The library's sources and tables (the quotation index builds its cache on a first check: not compared)."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        tables = conn.execute("SELECT name FROM sqlite_master WHERE name NOT LIKE '%quote%' AND name != 'sqlite_sequence' ORDER BY name").fetchall()
        return tables + conn.execute("SELECT id, title, author, year, sha256 FROM sources ORDER BY id").fetchall()
    finally:
        conn.close()


def check_json(doc: Path, library: Path, *extra: str) -> dict:
    res = run("check", doc, "--library", library, "--format", "json", "--fail-on", "none", *extra)
    assert res.exit_code == 0, res.output
    return json.loads(res.stdout)


# -- 1. page locators --------------------------------------------------------------------

@pytest.mark.parametrize("text, kind, first, last", [
    ("p. 45", "page", 45, 45), ("pp. 45\u201347", "page", 45, 47), ("pp. 45-47", "page", 45, 47),
    ("45f.", "page", 45, 46), ("45ff.", "page", 45, 47), ("at 45", "page", 45, 45), ("ch. 3", "chapter", 3, 3),
    ("chapter IV", "chapter", 4, 4), ("pp. 245-7", "page", 245, 247), ("p. xii", "page", 12, 12),
])
def test_locators_read(text: str, kind: str, first: int, last: int) -> None:
    loc = parse_locator(text)
    assert loc is not None and (loc.kind, loc.first, loc.last) == (kind, first, last)


@pytest.mark.parametrize("text", ["1919", "Reed 1919", "Ten Days", "page"])
def test_not_locators(text: str) -> None:
    assert parse_locator(text) is None


@pytest.mark.parametrize("raw", [
    "Ten Days That Shook the World, John Reed, 1919, p. 45",
    "Ten Days That Shook the World, John Reed, 1919, pp. 45\u201347",
    "Ten Days That Shook the World, John Reed, 1919, 45f.",
    "Ten Days That Shook the World, John Reed, 1919, at 45",
    "Ten Days That Shook the World, John Reed (1919), ch. 3",
    "Ten Days That Shook the World, John Reed, 1919 p. 45",
])
def test_locator_never_breaks_source_matching(raw: str) -> None:
    reed = SourceRef("reed", "Ten Days That Shook the World", "John Reed", 1919)
    other = SourceRef("trotsky", "From October to Brest-Litovsk", "Leon Trotsky", 1919)
    c = parse_citation(raw)
    assert (c.title, c.author, c.year) == ("Ten Days That Shook the World", "John Reed", 1919)
    assert c.locator is not None
    assert match_citation(c, [reed, other]) == reed


# -- 1. the found page against the cited one -----------------------------------------------

@needs_model
@pytest.mark.parametrize("kind, title, author, year", [
    ("text", "A Sailor's Memoir", "Pavel Dybenko", "1928"),
    ("pdf", "A Fleet Diary", "Fyodor Raskolnikov", ""),
    ("epub", "Kronstadt Notes", "Anatoli Zheleznyakov", ""),
])
def test_page_mismatch_is_a_warning(tmp_path: Path, library: Path, kind: str, title: str, author: str, year: str) -> None:
    # PDF pages are the file's own pages (the target is on the 3rd); the others name their printed pages.
    right = 3 if kind == "pdf" else TARGET_PAGE
    attribution = ", ".join(x for x in (title, author, year) if x)
    doc = tmp_path / "doc.md"
    doc.write_text(f"- The sailors would stay in the river until the ministers surrendered.\n"
                   f"    - `{TARGET}` - {attribution}, p. {right + 1}\n"
                   f"- The sailors meant to stay in the river until the ministers gave up.\n"
                   f"    - `{TARGET}` - {attribution}, p. {right}\n", encoding="utf-8")
    report = check_json(doc, library)
    wrong, ok = report["claims"]
    assert wrong["evidence"][0]["quote_status"] in ("exact", "normalized")  # a PDF breaks lines
    assert wrong["evidence"][0]["cited_page"] == f"p. {right + 1}"
    assert wrong["evidence"][0]["found_page"] == right
    assert {"code": "page_mismatch", "severity": "warning", "message": f"Cited p. {right + 1}, found on p. {right}.",
            "evidence": 0} in wrong["problems"]
    assert ok["evidence"][0]["page_problem"] is None and ok["evidence"][0]["found_page"] == right
    assert not any("found on p." in p["message"] for p in ok["problems"])
    text = run("check", doc, "--library", library, "--fail-on", "warning")
    assert text.exit_code == 1  # a warning: --fail-on warning counts it
    assert f"(cited p. {right + 1}, found on p. {right})" in text.stdout


@needs_model
def test_page_range_and_unpaged_source(tmp_path: Path, library: Path) -> None:
    doc = tmp_path / "doc.md"
    doc.write_text(f"- The sailors would stay in the river until the ministers surrendered.\n"
                   f"    - `{TARGET}` - A Sailor's Memoir, Pavel Dybenko, 1928, pp. {FIRST_PAGE}-{TARGET_PAGE}\n"
                   f"- The committee sent commissars to the regiments.\n"
                   f"    - `{NOTES_QUOTE}` - {NOTES}, sourcecheck team, 2026, p. 999\n", encoding="utf-8")
    in_range, unpaged = check_json(doc, library)["claims"]
    assert in_range["evidence"][0]["page_problem"] is None
    # The notes have no pages: a cited page says nothing there (no false alarm), but it is shown.
    assert unpaged["evidence"][0]["quote_status"] == "exact"
    assert unpaged["evidence"][0]["cited_page"] == "p. 999" and unpaged["evidence"][0]["found_page"] is None
    assert not any(p["code"] == "page_mismatch" for p in unpaged["problems"])
    # ... and says so, so that silence about the page is not read as the page confirmed (issue 22)
    assert unpaged["evidence"][0]["page_note"] == "page not checked: the source has no page marks"
    assert in_range["evidence"][0]["page_note"] is None  # a paged source: the page was checked
    text = run("check", doc, "--library", library, "--fail-on", "none").stdout
    assert "(cited p. 999; page not checked: the source has no page marks)" in text
    assert text.count("page not checked") == 1
    md = run("check", doc, "--library", library, "--fail-on", "none", "--format", "md").stdout
    assert "page not checked: the source has no page marks" in md


# -- 5. non-Latin titles and authors ------------------------------------------------------------

@pytest.mark.parametrize("cited", [
    "Desiat' dnei, kotorye potriasli mir",  # Library of Congress (ALA-LC)
    "Desyat' dney, kotorye potryasli mir",  # what anyascii gives
    "Десять дней, которые потрясли мир",  # the script itself
])
def test_cyrillic_title_in_script_and_transliteration(cited: str) -> None:
    russian = SourceRef("reed-ru", "Десять дней, которые потрясли мир", "Джон Рид", 1923)
    english = SourceRef("reed-en", "Ten Days That Shook the World", "John Reed", 1919)
    assert title_score(cited, russian.title) == 100.0
    assert match_citation(Citation(cited, cited, None, 1923), [english, russian]) == russian
    # and the other way round: a romanized source, a citation in Cyrillic
    romanized = SourceRef("reed-lc", cited, "Rid, Dzhon", None)
    assert match_citation(Citation("", "Десять дней, которые потрясли мир", "Джон Рид"), [english, romanized]) == romanized


@pytest.mark.parametrize("cited, source", [("Rid, Dzhon", "Джон Рид"), ("Dzhon Rid", "Рид, Джон"),
                                           ("Trotskii", "Лев Троцкий"), ("Trotskiy", "Лев Троцкий")])
def test_cyrillic_authors_agree_with_romanizations(cited: str, source: str) -> None:
    assert authors_agree(cited, source)


def test_scripts_do_not_collapse_into_each_other() -> None:
    """A Cyrillic title must not match a different one just because both fold to nothing."""
    assert title_score("Мать", "Десять дней, которые потрясли мир") < 90
    assert title_score("Ἱστορίαι", "Историа") < 90 or title_score("Ἱστορίαι", "Ἱστορίαι") == 100.0
    assert title_score("史记", "史记") == 100.0 and title_score("史记", "汉书") < 90


@needs_model
def test_cyrillic_source_cited_in_transliteration(tmp_path: Path) -> None:
    src = tmp_path / "reed-ru.txt"
    src.write_text("Десять дней, которые потрясли мир\nby Джон Рид\n1923\n\nЭта книга — сгусток истории, "
                   "истории, какой я её видел.\n", encoding="utf-8")
    lib = tmp_path / "lib.db"
    assert run("add", src, "--library", lib).exit_code == 0
    for cited in ("Desiat' dnei, kotorye potriasli mir, Dzhon Rid, 1923", "Desyat' dney, kotorye potryasli mir, Dzhon Rid, 1923"):
        doc = tmp_path / "doc.md"
        doc.write_text(f"- Reed saw the history himself.\n    - `Эта книга — сгусток истории` - {cited}, p. 1\n",
                       encoding="utf-8")
        ev = check_json(doc, lib)["claims"][0]["evidence"][0]
        assert ev["cited_source"] and ev["cited_source"]["title"] == "Десять дней, которые потрясли мир", cited
        assert ev["quote_status"] in ("exact", "normalized")


# -- 2. bibliographies ------------------------------------------------------------------------

@pytest.mark.parametrize("name, key, source_title", [
    ("refs.bib", "team2026notes", NOTES), ("refs.json", "notes", NOTES), ("refs.ris", "notes", NOTES),
    ("refs.bib", "team2026garrison", "The Petrograd Garrison in 1917"),
])
def test_add_bib_attaches_keys(tmp_path: Path, name: str, key: str, source_title: str) -> None:
    lib = tmp_path / "lib.db"
    assert run("add", EXAMPLES / "sources", "--library", lib).exit_code == 0
    res = run("add", "--bib", FIXTURES / name, "--library", lib)
    assert res.exit_code == 0, res.output
    assert f"{key} -> " in res.stderr
    rows = json.loads(run("sources", "--library", lib, "--format", "json").stdout)
    by_title = {r["title"]: r for r in rows}
    assert key in by_title[source_title]["keys"]
    assert key in run("sources", "--library", lib).stdout  # the text listing shows keys too
    # an entry with no source is stored but attached to nothing
    assert "no source in the library" in res.stderr


def test_bib_metadata_read_by_parsers() -> None:
    from sourcecheck.library.bibliography import read_bibliography

    bib = {e.key: e for e in read_bibliography(FIXTURES / "refs.bib")}
    assert bib["sukhanov1955"].authors == ["Sukhanov, Nikola\u00ef N.", "Carmichael, Joel"]  # LaTeX accent decoded
    assert bib["team2026notes"].title == NOTES  # braces dropped
    assert bib["team2026garrison"].doi == "10.0000/garrison.1917"
    assert bib["team2026notes"].isbn == "978-0-00-000000-2"
    csl = {e.key: e for e in read_bibliography(FIXTURES / "refs.json")}
    assert csl["reed1919"].authors == ["Reed, John"] and csl["reed1919"].publisher == "Boni & Liveright"
    ris = {e.key: e for e in read_bibliography(FIXTURES / "refs.ris")}
    assert ris["trotsky1919"].year == 1919 and ris["trotsky1919"].title == "From October to Brest-Litovsk"


def test_zotero_file_entry_is_added(tmp_path: Path, paged) -> None:
    pdf = tmp_path / "files" / "diary.pdf"
    pdf.parent.mkdir()
    shutil.copy(paged["pdf"], pdf)
    bib = tmp_path / "zotero.bib"
    bib.write_text("@book{raskolnikov1934,\n  title = {Kronstadt and Piter in 1917},\n"
                   "  author = {Raskolnikov, Fyodor},\n  year = {1934},\n"
                   "  file = {Full Text PDF:files/diary.pdf:application/pdf}\n}\n", encoding="utf-8")
    lib = tmp_path / "lib.db"
    res = run("add", "--bib", bib, "--library", lib)
    assert res.exit_code == 0, res.output
    rows = json.loads(run("sources", "--library", lib, "--format", "json").stdout)
    assert [(r["title"], r["author"], r["year"], r["keys"]) for r in rows] == \
        [("Kronstadt and Piter in 1917", "Raskolnikov, Fyodor", 1934, ["raskolnikov1934"])]


def test_zotero_file_that_does_not_exist_is_warned_and_every_entry_attached(tmp_path: Path, paged) -> None:
    """Issue 22: a stale `file =` path used to stop the whole add with no key attached."""
    pdf = tmp_path / "files" / "diary.pdf"
    pdf.parent.mkdir()
    shutil.copy(paged["pdf"], pdf)
    notes = tmp_path / "notes.txt"
    notes.write_text("Notes on the garrison.\n\nThe garrison stayed in its barracks.\n", encoding="utf-8")
    lib = tmp_path / "lib.db"
    assert run("add", notes, "--title", "Notes on the Garrison", "--year", "2026", "--library", lib).exit_code == 0
    bib = tmp_path / "zotero.bib"
    bib.write_text(
        "@book{raskolnikov1934, title = {Kronstadt and Piter in 1917}, author = {Raskolnikov, Fyodor}, year = {1934},\n"
        "  file = {Full Text PDF:files/diary.pdf:application/pdf}}\n"
        # a moved PDF, named by two entries: one warning; the entry still finds its source by title
        "@book{garrison2026, title = {Notes on the Garrison}, year = {2026},\n"
        "  file = {Full Text PDF:files/moved.pdf:application/pdf}}\n"
        "@incollection{garrison2026b, title = {Notes on the Garrison, a chapter}, year = {2026},\n"
        "  file = {Full Text PDF:files/moved.pdf:application/pdf;Snapshot:files/gone.html:text/html}}\n"
        "@book{other1990, title = {A Book Nobody Has}, year = {1990}}\n", encoding="utf-8")
    res = run("add", "--bib", bib, "--library", lib)
    assert res.exit_code == 0, res.output
    warnings = [ln for ln in res.stderr.splitlines() if ln.startswith("sourcecheck: warning:")]
    assert len(warnings) == 2, res.stderr  # once per missing file, not once per entry naming it
    assert any(str(tmp_path / "files" / "moved.pdf") in w and "'garrison2026'" in w for w in warnings)
    assert any(str(tmp_path / "files" / "gone.html") in w for w in warnings)
    assert all("attached without it" in w for w in warnings)
    assert "sourcecheck: 1 added, 2 keys attached, 2 keys without a source, 2 attachments missing" in res.stderr
    rows = {r["title"]: r["keys"] for r in json.loads(run("sources", "--library", lib, "--format", "json").stdout)}
    assert rows == {"Kronstadt and Piter in 1917": ["raskolnikov1934"], "Notes on the Garrison": ["garrison2026"]}


def test_bad_bibliographies_are_one_line_errors(tmp_path: Path) -> None:
    lib = tmp_path / "lib.db"
    dup = tmp_path / "dup.json"
    dup.write_text('[{"id": "a", "title": "A"}, {"id": "a", "title": "B"}]', encoding="utf-8")
    res = run("add", "--bib", dup, "--library", lib)
    assert res.exit_code == 2 and "defined twice" in res.stderr
    broken = tmp_path / "broken.bib"
    broken.write_text("@book{ok, title={A}}\n\n@book{x, title={unclosed\n", encoding="utf-8")
    res = run("add", "--bib", broken, "--library", lib)
    assert res.exit_code == 2 and "broken.bib:3:" in res.stderr and "unclosed" in res.stderr
    assert len(res.stderr.strip().splitlines()) == 1
    assert not lib.exists() or json.loads(run("sources", "--library", lib, "--format", "json").stdout) == []
    res = run("add", "--bib", tmp_path / "refs.txt", "--library", lib)
    assert res.exit_code == 2 and "bibliography" in res.stderr


@needs_model
def test_check_bib_is_read_only_and_matches_by_key(tmp_path: Path) -> None:
    lib = tmp_path / "lib.db"
    assert run("add", EXAMPLES / "sources", "--library", lib).exit_code == 0
    before = dump(lib)
    doc = tmp_path / "doc.md"
    # "team2026notes" is no title: only the key names the source
    doc.write_text(f"- The committee sent commissars to the regiments.\n    - `{NOTES_QUOTE}` - @team2026notes, p. 2\n"
                   f"- The committee sent commissars to the regiments.\n    - `{NOTES_QUOTE}` - team2026notes\n"
                   f"- Pipes says so.\n    - `{NOTES_QUOTE}` - @pipes1990\n", encoding="utf-8")
    report = check_json(doc, lib, "--bib", FIXTURES / "refs.bib")
    first, second, third = report["claims"]
    assert first["evidence"][0]["cited_source"]["title"] == NOTES and first["evidence"][0]["key"] == "team2026notes"
    assert second["evidence"][0]["cited_source"]["title"] == NOTES
    # a key with no source in the library: "source not in library", as for titles
    assert third["evidence"][0]["quote_status"] == "source_missing"
    assert dump(lib) == before  # read-only: no key stored, nothing else changed
    from sourcecheck.library import open_library

    with open_library(str(lib), read_only=True) as store:
        assert store.keys_rows() == []  # no key was stored by check --bib
    without = check_json(doc, lib)["claims"]
    assert without[0]["evidence"][0]["cited_source"] is None
    assert any("Unknown citation key @team2026notes" in p["message"] and p["code"] == "unknown_citation_key"
               for p in without[0]["problems"])


# -- 3. Pandoc Markdown -------------------------------------------------------------------------

def test_pandoc_reader() -> None:
    doc = read_document(FIXTURES / "essay.md")
    assert doc.format == "pandoc" and doc.bibliographies == [str(FIXTURES / "refs.bib")]
    by_line = {c.line: c for c in doc.claims}
    first = by_line[8]
    assert first.text == "The Military Revolutionary Committee sent commissars to every regiment."
    assert [(e.quote, e.citation.key, e.citation.locator.label()) for e in first.evidence] == \
        [(NOTES_QUOTE, "team2026notes", "p. 2")]
    says = by_line[9]  # "@key [p. 2] says: “...”"
    assert says.evidence[0].quote.startswith("By 23 October the committee") and says.evidence[0].citation.key == "team2026notes"
    several = by_line[10]  # [see @a, pp. 3-5; @b]
    assert [(c.key, c.locator.label() if c.locator else None) for c in several.citations] == \
        [("pipes1990", "pp. 3\u20135"), ("sukhanov1955", None)]
    block = by_line[12]  # the blockquote the citation is followed by
    assert block.evidence[0].quote.startswith("Several thousand of them") and block.evidence[0].citation.key == "team2026garrison"
    assert "@" not in " ".join(c.text for c in doc.claims)


@needs_model
def test_pandoc_unknown_key_is_an_error_and_the_rest_is_checked(library: Path) -> None:
    report = check_json(FIXTURES / "essay.md", library)
    by_line = {c["line"]: c for c in report["claims"]}
    assert any("Unknown citation key @lenin1917" in p["message"] for p in by_line[16]["problems"])
    assert by_line[8]["evidence"][0]["quote_status"] in ("exact", "normalized")  # the source wraps lines
    assert by_line[8]["evidence"][0]["cited_source"]["title"] == NOTES
    assert by_line[12]["evidence"][0]["quote_status"] in ("exact", "normalized")
    assert any("not in the library" in p["message"] and p["code"] == "source_not_in_library"
               for p in by_line[10]["problems"])  # known keys, no source
    res = run("check", FIXTURES / "essay.md", "--library", library, "--fail-on", "error")
    assert res.exit_code == 1 and "Unknown citation key @lenin1917" in res.stdout


def test_markdown_without_keys_stays_prose_and_from_overrides(tmp_path: Path) -> None:
    plain = tmp_path / "plain.md"
    plain.write_text("Trotsky directed the committee. Write to me at someone@example.org today.\n", encoding="utf-8")
    assert read_document(plain).format == "prose"
    assert read_document(FIXTURES / "essay.md", "markdown").format == "prose"
    wiki_as_md = tmp_path / "article.txt"
    wiki_as_md.write_text((FIXTURES / "october-days.wiki").read_text(encoding="utf-8"), encoding="utf-8")
    assert read_document(wiki_as_md, "wikitext").format == "wikitext"
    res = run("dates", wiki_as_md, "--from", "wikitext", "--format", "json")
    assert res.exit_code == 0 and "1917-11-07" in res.stdout
    res = run("dates", FIXTURES / "essay.md")
    assert res.exit_code == 0


# -- 4. wikitext --------------------------------------------------------------------------------

def test_wikitext_reader() -> None:
    doc = read_document(FIXTURES / "october-days.wiki")
    assert doc.format == "wikitext"
    texts = [c.text for c in doc.claims]
    # infobox, tables, headings, categories, navboxes are not claims
    assert not any("Infobox" in t or "wikitable" in t or "200,000" in t or "Category" in t for t in texts)
    assert not any(t.startswith(("Garrison regiments", "6 November")) for t in texts)
    # links and inline templates read as text
    assert texts[0].startswith("The October Days (Октябрьские дни) were the days in which the Bolsheviks took power")
    by_start = {c.text[:40]: c for c in doc.claims}
    named = [c for c in doc.claims if c.evidence and c.evidence[0].quote.startswith("In practice the committee")]
    assert len(named) == 2  # <ref name="notes-committee"/> reuses the ref
    sfn = next(c for c in doc.claims if c.text.startswith("The garrison of Petrograd numbered"))
    assert sfn.evidence[0].citation.title == "The Petrograd Garrison in 1917"  # {{sfn|Team|2026a}} -> 2026a entry
    harvnb = next(c for c in doc.claims if c.text.startswith("By 23 October"))
    assert harvnb.citations[0].title == NOTES and harvnb.citations[0].locator.label() == "p. 1"
    clause = next(c for c in doc.claims if c.text.startswith("On 16 October 1917"))
    assert clause.text.endswith("created a Military Revolutionary Committee")  # the clause the ref follows
    needed = next(c for c in doc.claims if c.text.startswith("The soldiers were paid in gold"))
    assert not needed.evidence and not needed.citations  # {{citation needed}}: a claim with nothing behind it
    cited_pages = {c.evidence[0].citation.locator.raw for c in doc.claims if c.evidence and c.evidence[0].citation.locator}
    assert {"p. 1", "pp. 2\u20133", "ch. 1", "p. 3"} <= cited_pages
    calendar = next(c for c in doc.claims if c.text.startswith("For this reason the rising"))
    assert calendar.citations == []  # <ref group="note"> is an explanatory note, not a citation
    assert "7 November [O.S. 25 October] 1917" in calendar.text  # {{OldStyleDate}} read as text
    in_words = next(c for c in doc.claims if c.text.startswith("Most of the garrison, in the words"))
    assert in_words.evidence[0].quote == "neither defended the Provisional Government nor took part in the rising"
    assert in_words.evidence[0].citation.title == "The Petrograd Garrison in 1917"  # harvnb inside a ref, 2026a
    assert not any("All power to the Soviets" in t or "Smolny" in t for t in texts)  # quote box, gallery
    assert by_start  # every claim has text
    assert all(c.line > 18 for c in doc.claims)  # nothing from the infobox (lines 3-17)


@needs_model
def test_wikitext_check_locates_quotes(library: Path) -> None:
    report = check_json(FIXTURES / "october-days.wiki", library)
    statuses = [e["quote_status"] for c in report["claims"] for e in c["evidence"]]
    assert statuses.count("exact") + statuses.count("normalized") >= 12
    aurora = next(c for c in report["claims"] if c["text"].startswith("The cruiser Aurora"))
    assert aurora["evidence"][0]["quote_status"] == "source_missing"  # Reed is not in this library
    assert "absent" not in statuses and "wrong_source" not in statuses


# -- 6. cite writes back in the document's own form ---------------------------------------------

@needs_model
@pytest.mark.parametrize("name, text, marker", [
    ("article.wiki", "'''Petrograd''' had a garrison. The garrison of Petrograd numbered about two hundred thousand "
     "soldiers in the autumn of 1917.{{citation needed|date=May 2026}}\n", "<ref>{{cite book |title=The Petrograd Garrison"),
    ("essay.md", "---\nbibliography: BIB\n---\n\nThe garrison of Petrograd numbered about two hundred thousand soldiers "
     "in the autumn of 1917. It was large [@team2026notes].\n", "@team2026garrison]"),
    ("outline.md", "- The garrison of Petrograd numbered about two hundred thousand soldiers in the autumn of 1917.\n",
     "- The Petrograd Garrison in 1917, the sourcecheck team, 2026"),
])
def test_cite_round_trip(tmp_path: Path, library: Path, name: str, text: str, marker: str) -> None:
    doc = tmp_path / name
    doc.write_text(text.replace("BIB", str(FIXTURES / "refs.bib")), encoding="utf-8")
    out = tmp_path / ("cited-" + name)
    res = run("cite", doc, "--library", library, "-o", out)
    assert res.exit_code == 0, res.output
    written = out.read_text(encoding="utf-8")
    assert marker in written
    assert "citation needed" not in written
    assert written.startswith(text.replace("BIB", str(FIXTURES / "refs.bib"))[:30])  # the rest kept
    report = check_json(out, library)
    garrison = next(c for c in report["claims"] if c["text"].startswith("The garrison of Petrograd"))
    assert garrison["evidence"] and garrison["evidence"][0]["quote_status"] in ("exact", "normalized")
    assert garrison["evidence"][0]["cited_source"]["title"] == "The Petrograd Garrison in 1917"
    assert garrison["verdict"] == "supported"
    assert run("check", out, "--library", library, "--fail-on", "error").exit_code == 0


@needs_model
@pytest.mark.parametrize("name, text", [
    ("paged.wiki", "The sailors voted to stay in the river until the ministers surrendered.{{cn}}\n"),
    ("paged.md", "- The sailors voted to stay in the river until the ministers surrendered.\n"),
])
def test_cite_writes_the_page(tmp_path: Path, library: Path, name: str, text: str) -> None:
    doc = tmp_path / name
    doc.write_text(text, encoding="utf-8")
    out = tmp_path / ("cited-" + name)
    assert run("cite", doc, "--library", library, "-o", out).exit_code == 0
    written = out.read_text(encoding="utf-8")
    assert ("|page=" if name.endswith(".wiki") else ", p. ") in written  # the page the passage is on
    report = check_json(out, library)
    ev = report["claims"][0]["evidence"][0]
    assert ev["page_problem"] is None and ev["found_page"] is not None
    assert ev["cited_page"] == f"p. {ev['found_page']}"
