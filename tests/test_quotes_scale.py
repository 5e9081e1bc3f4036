"""The quotation index: locating a quotation across a whole library without a scan per
quotation (``locate_quote(..., QuoteIndex(library), ...)``), on a small library in tmp_path."""

from __future__ import annotations

from pathlib import Path

import pytest

from sourcecheck.library import Library
from sourcecheck.quotes import QuoteIndex, SourceList, locate_quote
from sourcecheck.quotes.index import STEP, build_quote_index

FILLER = " ".join(f"word{k} filler text about nothing in particular." for k in range(400))

SOURCES = {
    "petrograd.txt": (
        "Petrograd in November\n\n" + FILLER + "\nFor at Cronstadt were twenty-five thousand sailors,\n"
        "convinced Bolsheviki and not afraid to die. " + FILLER
    ),
    "moscow.txt": (
        "Moscow in November\n\nThe fighting in Moscow lasted a whole week, and the Kremlin was "
        "shelled from the Sparrow Hills before the Junkers surrendered. " + FILLER
    ),
    "land.txt": "The Land Decree\n\nAll land, whether belonging to the Crown, to monasteries or to "
    "private owners, passed to the peasants without compensation.\n",
}
KRONSTADT = "For at Kronstadt were twenty-five thousand sailors, convinced Bolsheviks and not afraid to die"


@pytest.fixture()
def lib(tmp_path: Path) -> Library:
    folder = tmp_path / "src"
    folder.mkdir()
    for name, text in SOURCES.items():
        (folder / name).write_text(text, encoding="utf-8")
    library = Library(tmp_path / "lib.db")
    library.add(folder)
    yield library
    library.close()


def _id(lib: Library, title_word: str) -> str:
    return next(r.id for r in lib.refs() if title_word in r.title.lower())


def test_wrong_source_found_through_the_index(lib: Library) -> None:
    moscow = lib.get(_id(lib, "moscow"))
    qm = locate_quote(KRONSTADT, moscow, QuoteIndex(lib), cited_missing=False)
    assert qm.status == "wrong_source"
    assert qm.source is not None and qm.source.id == _id(lib, "petrograd")
    assert qm.cited_source is not None and qm.cited_source.id == moscow.id
    assert qm.matched_text.startswith("For at Cronstadt") and qm.matched_text.endswith("afraid to die")
    petrograd = lib.get(qm.source.id)
    assert petrograd.text[qm.location.start : qm.location.end] == qm.matched_text
    assert qm.location.line == petrograd.text.count("\n", 0, qm.location.start) + 1


def test_source_missing_located_through_the_index(lib: Library) -> None:
    quote = "the Kremlin was shelled from the Sparrow Hills … the Junkers surrendered"
    qm = locate_quote(quote, None, QuoteIndex(lib), cited_missing=True)
    assert qm.status == "source_missing"
    assert qm.source is not None and qm.source.id == _id(lib, "moscow")
    assert qm.matched_text.endswith("Junkers surrendered")


def test_no_citation_and_absent_through_the_index(lib: Library) -> None:
    index = QuoteIndex(lib)
    qm = locate_quote("passed to the peasants without compensation", None, index, cited_missing=False)
    assert qm.status == "exact" and qm.source.id == _id(lib, "land")
    qm = locate_quote("The Cossacks rode silently through the frozen suburbs", None, index, cited_missing=False)
    assert qm.status == "absent" and qm.source is None
    # one word changed is not found anywhere: the index only verifies, never guesses
    qm = locate_quote("passed to the landlords without compensation", None, index, cited_missing=False)
    assert qm.status == "absent"


def test_index_and_old_path_agree(lib: Library) -> None:
    sources = lib.sources()
    land = lib.get(_id(lib, "land"))
    for quote in (KRONSTADT, "the fighting in Moscow lasted a whole week", "nothing like this at all here"):
        a = locate_quote(quote, land, SourceList(sources), cited_missing=False)
        b = locate_quote(quote, land, QuoteIndex(lib), cited_missing=False)
        assert (a.status, a.source, a.location) == (b.status, b.source, b.location)


def test_index_follows_the_library(lib: Library, tmp_path: Path) -> None:
    assert build_quote_index(lib) == 3
    assert build_quote_index(lib) == 0  # incremental: nothing changed
    extra = tmp_path / "late.txt"
    extra.write_text("A late source that tells of the armoured cars at the Mikhailovsky Riding School.\n")
    index = QuoteIndex(lib)  # one held across changes of the library, as the checker holds it
    assert index.build() == 0
    lib.add(extra)
    qm = locate_quote("the armoured cars at the Mikhailovsky Riding School", None, index, cited_missing=False)
    assert qm.status == "exact"  # indexed on first use after the add
    lib.remove(qm.source.id)
    qm = locate_quote("the armoured cars at the Mikhailovsky Riding School", None, index, cited_missing=False)
    assert qm.status == "absent"  # a removed source's chunks are never used


def test_quotation_across_a_chunk_boundary(tmp_path: Path) -> None:
    # words 0..N: any run of words lies in one chunk, wherever the chunks were cut
    text = " ".join(f"w{k}" for k in range(3 * STEP))
    (tmp_path / "numbers.txt").write_text(text)
    with Library(tmp_path / "lib.db") as lib:
        lib.add(tmp_path / "numbers.txt")
        for start in range(0, 3 * STEP - 60, 97):
            quote = " ".join(f"w{k}" for k in range(start, start + 50))
            hit = QuoteIndex(lib).find(quote)
            assert hit is not None and hit[1].status == "exact", start
            assert hit[0].text[hit[1].start : hit[1].end] == quote


def test_candidates_are_few(lib: Library) -> None:
    index = QuoteIndex(lib)
    wins = index.candidate_windows(KRONSTADT)
    assert [w[0] for w in wins] == [_id(lib, "petrograd")]
    assert index.candidate_windows("“ ”") == []
