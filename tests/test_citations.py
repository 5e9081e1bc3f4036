"""Citations as scholars and Wikipedia editors write them (issue 14): page locators, the page
check on paged sources, bibliographies and keys, Pandoc Markdown, wikitext, non-Latin titles,
and `cite` writing back in the document's own form. Through the CLI, on real files."""

from __future__ import annotations

import json
import shutil
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
    assert f"Cited p. {right + 1}, found on p. {right}." in wrong["problems"]
    assert ok["evidence"][0]["page_problem"] is None and ok["evidence"][0]["found_page"] == right
    assert not any("found on p." in p for p in ok["problems"])
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
    assert not any("found on" in p for p in unpaged["problems"])


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
