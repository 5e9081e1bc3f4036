"""Passage hygiene (library/hygiene.py): each rule keeps its kind of text out of search, keeps the prose
beside it, and leaves the text in the source so that a quotation of it is still found."""

from __future__ import annotations

from pathlib import Path

import pytest

from sourcecheck.library import Library
from sourcecheck.library.hygiene import NAMES, RULES, passage_fault
from sourcecheck.library.segment import Dropped, make_passages
from sourcecheck.quotes import QuoteIndex, locate_quote

PROSE = "The Military Revolutionary Committee ordered the garrison to stay in its barracks on 24 October."

GRID = """+----------------+--------------+---------------------------------------+
| Gregorian Date | Julian Date  | Event                                 |
+================+==============+=======================================+
| 15 March       | 2 March      | Nicholas II abdicates.                |
+----------------+--------------+---------------------------------------+"""

SIMPLE = """  Years       Average annual strikes
  ----------- ----------------------------
  1862-69     6
  1870-84     20"""

DATES = """  1916      January–December
  1916      6 February
  1916      29 February
  1916      20 June"""

SEE_ALSO = """See also

-   Democratic centralism
-   Left-wing uprisings against the Bolsheviks
-   Leninism
-   October Revolution"""

REFERENCES = """Further reading

-   Acton, Edward, Vladimir Cherniaev, and William G. Rosenberg, eds. _A Critical Companion to the Russian Revolution, 1914–1921_ (Bloomington, 1997).
-   Pipes, Richard. _A Concise History of the Russian Revolution_ (1995), a survey of the years the book covers in full.

[14] Pipes, 1997. p. 51."""

LETTERHEAD = """  Commissar
  Chief Bureau of Prisons
  6th of November, 1917.
  Petrograd, Smolny"""


def cut(*blocks: str) -> tuple[str, list, list[Dropped]]:
    text = "\n\n".join(blocks)
    dropped: list[Dropped] = []
    return text, make_passages("s", text, dropped=dropped), dropped


def test_every_rule_names_the_false_alarm_it_prevents() -> None:
    assert set(NAMES) == {"table", "date_list", "navigation", "references", "heading", "markup"}
    assert all(len(r.prevents.split()) >= 8 and "suggested" in r.prevents for r in RULES)


@pytest.mark.parametrize(("block", "rule"), [
    (GRID, "table"), (SIMPLE, "table"), (DATES, "date_list"), (SEE_ALSO, "navigation"),
    (REFERENCES, "references"), (LETTERHEAD, "navigation"), ("Chronology of the 1917 revolutions", "heading"),
    ("EVENTS OF THE NIGHT, NOVEMBER 6TH", "heading"),
])
def test_a_rule_drops_its_kind_and_keeps_the_prose_beside_it(block: str, rule: str) -> None:
    text, passages, dropped = cut(PROSE, block, "Aftermath", PROSE)  # a heading ends a "See also" section
    assert [p.text for p in passages] == [PROSE, PROSE]  # the prose on both sides, alone
    assert rule in {d.rule for d in dropped}
    assert all(text[d.start:d.end].strip() for d in dropped)  # offsets point at the dropped text


@pytest.mark.parametrize("block", [
    # a sentence naming several dates states a fact: not a date list
    "On 25 October 1917, that is 7 November 1917, the Winter Palace fell after a day of waiting.",
    # a list of statements is prose, not navigation
    "-   The garrison stayed in its barracks and took no side.\n-   The cadets at the palace were told to withdraw by evening.",
    # a name with a comma in prose is no citation
    "Commander-in-Chief, Kerensky. He left the city by car on the morning of 25 October.",
    # a one-line paragraph that ends as a sentence is no heading
    "The inductees into the 2016-17 season are split into their regional academies.[6]",
])
def test_near_misses_stay_passages(block: str) -> None:
    _, passages, dropped = cut(block)
    assert passages and not dropped, dropped


def test_a_timeline_run_inside_prose_is_cut_out_of_its_passage() -> None:
    text = f"{PROSE} 1916 6 February 1916 29 February 1916 20 June 1916 October. {PROSE}"
    passages = make_passages("s", text)
    assert not any("29 February" in p.text for p in passages)
    assert sum(p.text.count("Military Revolutionary Committee") for p in passages) == 2


def test_end_matter_lasts_until_the_next_heading_of_another_kind() -> None:
    body = "The Bolsheviks took the telegraph office during the night, and nobody resisted them at all."
    _, passages, dropped = cut("References", "A long entry that reads like a sentence and has no marks at all.",
                               "History", body)
    assert [p.text for p in passages] == [body]
    assert "references" in {d.rule for d in dropped}


def test_without_hygiene_everything_is_a_passage() -> None:
    text = "\n\n".join([PROSE, GRID, DATES])
    assert len(make_passages("s", text, hygiene=False)) > len(make_passages("s", text))


def test_the_search_guard_reads_a_passage_alone() -> None:
    assert passage_fault("| +----------------+--------------+---------+ | 8 March | 23 February |") == "table"
    assert passage_fault("1916 January–December 1916 6 February 1916 29 February 1916 20 June") == "date_list"
    assert passage_fault("-   Democratic centralism -   Leninism -   Marxism–Leninism -   October Revolution") \
        == "navigation"
    assert passage_fault(PROSE) is None


def test_a_quotation_of_a_dropped_table_cell_is_still_found(tmp_path: Path) -> None:
    src = tmp_path / "chronology.txt"
    src.write_text("\n\n".join([PROSE, GRID, PROSE]) + "\n", encoding="utf-8")
    with Library(tmp_path / "lib.db") as lib:
        (added,) = lib.add(src)
        assert not any("+---" in p.text or "abdicates" in p.text for p in lib.passages(added.source_id))
        assert [h for h, _ in lib.search("abdicates", k=5)] == []  # search never returns the cell
        source = lib.get(added.source_id)
        assert source is not None
        match = locate_quote("Nicholas II abdicates.", source, QuoteIndex(lib), cited_missing=False)
    assert match.status == "exact"


def test_wiki_markup_left_before_a_sentence_is_cut_from_its_passage() -> None:
    """The October Revolution page's lead was suggested as "]] '' headline from 9 November 1917]] The ..."."""
    lead = "The OCTOBER REVOLUTION was a revolution in Russia led by the Bolshevik Party."
    text = "]] '' headline from 9 November 1917]] " + lead + " " + PROSE
    dropped: list[Dropped] = []
    passages = make_passages("s", text, dropped=dropped)
    assert passages[0].text.startswith("The OCTOBER REVOLUTION") and passages[0].start == text.index(lead)
    assert [d.rule for d in dropped] == ["markup"]
    assert make_passages("s", "]] On 23 October 1917 the Central Committee voted. " + PROSE)[0].text.startswith("On 23")
    # Prose that opens with a quotation or a bracket of its own is left alone.
    for kept in ("''Pravda'' was closed on 24 October. " + PROSE, "[The committee] ordered it. " + PROSE):
        assert make_passages("s", kept)[0].start == 0

