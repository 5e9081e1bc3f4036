"""Issue 22, citations and calendars: where a document's Old Style inference stops.

A document whose dates are stated Old Style (or dual) has its bare dates read as Old Style too.
Each test here is a false alarm that inference gave where it should not reach: a cited source that
declares the other calendar (Reed), a date after the country's change (Russia, 14 February 1918),
a date far from the document's own Old Style dates, a place that was Gregorian at the time (France
in 1789). The weekdays make the alarm visible: each weekday is right in New Style and wrong in Old.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from sourcecheck.cli import main

OLD_STYLE = "- The Bolsheviks rose in Petrograd on 25 October 1917 (O.S.)."


def run(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def _dates(tmp_path: Path, lines: list[str]) -> list[dict]:
    doc = tmp_path / "d.md"
    doc.write_text("\n".join(lines) + "\n", encoding="utf-8")
    res = run("dates", str(doc), "--format", "json")
    assert res.exit_code == 0, res.output
    return json.loads(res.stdout)


def _row(rows: list[dict], claim: int) -> dict:
    return next(r for r in rows if r["claim"] == claim and r["precision"] == "day")


def test_inference_still_reads_a_near_bare_date_as_old_style(tmp_path: Path) -> None:
    # the rule kept: a bare day near the document's Old Style dates, in Russia before the change
    row = _row(_dates(tmp_path, [OLD_STYLE, "- The Congress of Soviets met on 26 October 1917."]), 2)
    assert (row["gregorian"], row["julian"]) == ("1917-11-08", "1917-10-26")
    assert any("inferred" in n for n in row["notes"])


def test_no_old_style_after_russia_changed(tmp_path: Path) -> None:
    # Sunday 3 March 1918 (N.S., Brest-Litovsk): as Old Style it would be 16 March, a Saturday
    row = _row(_dates(tmp_path, [OLD_STYLE, "- The treaty was signed on Sunday, 3 March 1918."]), 2)
    assert row["problems"] == [], row
    assert row["gregorian"] == "1918-03-03"
    assert any("Russia used New Style from 14 February 1918" in n for n in row["notes"]), row["notes"]


def test_no_old_style_far_from_the_documents_old_style_dates(tmp_path: Path) -> None:
    from sourcecheck.dates.check import INFERENCE_REACH_YEARS

    # Monday 14 September 1812 (N.S.): a century before the document's Old Style dates
    row = _row(_dates(tmp_path, [OLD_STYLE, "- Napoleon entered Moscow on Monday, 14 September 1812."]), 2)
    assert row["problems"] == [], row
    assert any(f"more than {INFERENCE_REACH_YEARS} years" in n for n in row["notes"]), row["notes"]


def test_reach_is_measured_from_the_nearest_old_style_date_not_the_span(tmp_path: Path) -> None:
    # Old Style dates of 1812 and 1917: Sunday 1 June 1862 (N.S.) lies inside their span but 50 years
    # from each, so it is not read as Old Style (as Old Style it would be 13 June, a Friday)
    rows = _dates(tmp_path, ["- Napoleon left Moscow on 7 October 1812 (O.S.).", OLD_STYLE,
                             "- The reform was read out on Sunday, 1 June 1862."])
    row = _row(rows, 3)
    assert row["problems"] == [], row
    assert any("nearest 1812" in n for n in row["notes"]), row["notes"]
    # within reach of one of them, a bare date is still read as Old Style
    rows = _dates(tmp_path, ["- Napoleon left Moscow on 7 October 1812 (O.S.).", OLD_STYLE,
                             "- The fire had begun on 2 September 1812."])
    assert any("inferred" in n for n in _row(rows, 3)["notes"])


def test_no_old_style_for_a_place_gregorian_at_the_time(tmp_path: Path) -> None:
    # Old Style dates of 1789 (Russia), and Tuesday 14 July 1789 in Paris: France was Gregorian since 1582
    rows = _dates(tmp_path, ["- The news reached Petersburg on 24 July 1789 (O.S.).",
                             "- In Paris the Bastille fell on Tuesday, 14 July 1789."])
    row = _row(rows, 2)
    assert row["problems"] == [], row
    assert any("France used New Style from 20 December 1582" in n for n in row["notes"]), row["notes"]
    # the same sentence set in Russia is still read as Old Style (the table decides, not the year)
    rows = _dates(tmp_path, ["- The news reached Petersburg on 24 July 1789 (O.S.).",
                             "- In Moscow the bells rang on 26 July 1789."])
    assert any("inferred" in n for n in _row(rows, 2)["notes"])


def test_adoption_table_covers_every_place_named() -> None:
    from sourcecheck.dates.calendars import ADOPTION
    from sourcecheck.dates.places import PLACES, countries_named

    assert set(PLACES) <= set(ADOPTION)
    assert countries_named("In Paris, then at Versailles") == ["france"]
    assert countries_named("From Petrograd to Paris") == ["russia", "france"]
    assert countries_named("The English translation") == []  # a language, not a place


REED_DECLARES = ("Notes. I have adopted in this book our Calendar throughout, instead of the\n"
                 "former Russian Calendar, which was thirteen days earlier.\n\n")
REED_CLAIMS = [OLD_STYLE,
               "- On Wednesday, 7 November 1917, Reed rose very late and walked down the Nevsky.",
               "    - `Wednesday, November 7th, I rose very late.` - Ten Days That Shook the World, John Reed, 1919"]


def _check_json(doc: Path, library: Path) -> dict:
    res = run("check", str(doc), "--library", str(library), "--format", "json", "--fail-on", "none")
    assert res.exit_code == 0, res.output
    return json.loads(res.stdout)


def _date_codes(report: dict, claim: int) -> list[str]:
    f = report["claims"][claim - 1]
    return [p["code"] for p in f["problems"] if p["code"].startswith("date_")]


def test_cited_sources_declared_calendar_wins_over_the_documents(tmp_path: Path) -> None:
    from sourcecheck.library import Library

    src = tmp_path / "reed.txt"
    src.write_text("Ten Days That Shook the World\n\nby John Reed\n\n" + REED_DECLARES
                   + "Chapter IV\n\nWednesday, November 7th, I rose very late. The noon cannon boomed.\n",
                   encoding="utf-8")
    lib = tmp_path / "lib.db"
    with Library(lib) as library:
        library.add(src, title="Ten Days That Shook the World", author="John Reed", year=1919)
    doc = tmp_path / "d.md"
    doc.write_text("\n".join(REED_CLAIMS) + "\n", encoding="utf-8")
    report = _check_json(doc, lib)
    assert _date_codes(report, 2) == [], report["claims"][1]["problems"]
    (day,) = [d for d in report["claims"][1]["dates"] if d["precision"] == "day"]
    assert day["gregorian"] == "1917-11-07"
    assert any("the cited source declares New Style" in n for n in day["notes"]), day


def test_reeds_own_book_declares_the_western_calendar(tmp_path: Path, shared_library: Path) -> None:
    doc = tmp_path / "d.md"
    doc.write_text("\n".join(REED_CLAIMS) + "\n", encoding="utf-8")
    report = _check_json(doc, shared_library)
    assert _date_codes(report, 2) == [], report["claims"][1]["problems"]


@pytest.mark.parametrize("lines", [[OLD_STYLE, "- The assembly met on Friday, 18 January 1918."]])
def test_a_real_old_style_weekday_error_is_still_caught(tmp_path: Path, lines: list[str]) -> None:
    # 18 January 1918 O.S. (31 January N.S.) was a Thursday: inference applies, the error stays
    row = _row(_dates(tmp_path, lines), 2)
    assert row["problems"] and "Thursday" in row["problems"][0], row
