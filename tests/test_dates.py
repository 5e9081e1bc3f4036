"""Dates: reading every written form, converting calendars, and the problems reported."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sourcecheck.dates import (
    ADOPTION,
    check_claim_dates,
    check_mention,
    find_dates,
    g2j,
    gregorian_to_julian,
    j2g,
    julian_to_gregorian,
    likely_calendar,
    offset_days,
)
from sourcecheck.errors import InputError

SHARED = Path(__file__).resolve().parents[2] / "shared"


def only(text: str, **kw):
    """The single date mention of ``text`` (fails if there is not exactly one)."""
    ms = find_dates(text, **kw)
    assert len(ms) == 1, [m.text for m in ms]
    return ms[0]


# text, expected gregorian ISO, julian ISO, precision, calendar
FORMS = [
    ("7 November 1917", "1917-11-07", "1917-10-25", "day", "unknown"),
    ("November 7, 1917", "1917-11-07", "1917-10-25", "day", "unknown"),
    ("Nov. 7, 1917", "1917-11-07", "1917-10-25", "day", "unknown"),
    ("the 7th of November 1917", "1917-11-07", "1917-10-25", "day", "unknown"),
    ("1917-11-07", "1917-11-07", "1917-10-25", "day", "unknown"),
    ("November 1917", "1917-11-01", "1917-11-01", "month", "unknown"),
    ("in 1917 there", "1917-01-01", "1917-01-01", "year", "unknown"),
    ("1917\u201323", "1917-01-01", "1917-01-01", "range", "unknown"),
    ("1917-1923", "1917-01-01", "1917-01-01", "range", "unknown"),
    ("from 1917 until 1923", "1917-01-01", "1917-01-01", "range", "unknown"),
    ("late 1922", "1922-01-01", "1922-01-01", "year", "unknown"),
    ("early in 1918", "1918-01-01", "1918-01-01", "year", "unknown"),
    ("mid-1917", "1917-01-01", "1917-01-01", "year", "unknown"),
    ("7 November 1917 (25 October Old Style)", "1917-11-07", "1917-10-25", "day", "dual"),
    ("23 October 1917 (10 October Old Style)", "1917-10-23", "1917-10-10", "day", "dual"),
    ("6 November 1917 (24 October Old Style)", "1917-11-06", "1917-10-24", "day", "dual"),
    ("25 October (O.S.; 7 November, N.S.), 1917", "1917-11-07", "1917-10-25", "day", "dual"),
    ("7 November (25 October, O.S.) 1917", "1917-11-07", "1917-10-25", "day", "dual"),
    ("25 October (7 November new style) 1917", "1917-11-07", "1917-10-25", "day", "dual"),
    ("7 November 1917 (New Style)", "1917-11-07", "1917-10-25", "day", "gregorian"),
    ("25 October 1917 (O.S.)", "1917-11-07", "1917-10-25", "day", "julian"),
    ("25 October 1917 O.S.", "1917-11-07", "1917-10-25", "day", "julian"),
    ("25 October 1917 according to the Julian calendar and 7 November in the Gregorian calendar",
     "1917-11-07", "1917-10-25", "day", "dual"),
    ("October 25 (November 7), 1917", "1917-11-07", "1917-10-25", "day", "dual"),
    ("31 December 1917 (13 January 1918 N.S.)", "1918-01-13", "1917-12-31", "day", "dual"),
    ("25 December (O.S.; 7 January, N.S.), 1917", "1918-01-07", "1917-12-25", "day", "dual"),
    ("1 February 1688/9", "1689-02-11", "1689-02-01", "day", "julian"),
    ("29 February 1900", "1900-03-13", None, "day", "julian"),  # exists only Old Style
    # Forms read from the pages of ../shared/library:
    ("On 23 October 1917 (5 November New Style), the", "1917-11-05", "1917-10-23", "day", "dual"),
    ("at 2:10a.m. on 26 October (8 November new style) 1917 the", "1917-11-08", "1917-10-26", "day", "dual"),
    ("The October Revolution, night to Wednesday 7 November 1917 according to the modern Gregorian "
     "calendar and night to Wednesday 25 October according to the Julian calendar at the time",
     "1917-11-07", "1917-10-25", "day", "dual"),
    ("On the 9th day of February 1918 (N. S.) we learned", "1918-02-09", "1918-01-27", "day", "gregorian"),
    ("on November 7th, 1917 (our calendar), which", "1917-11-07", "1917-10-25", "day", "gregorian"),
    ("on 25 October 1917 by the old Russian calendar", "1917-11-07", "1917-10-25", "day", "julian"),
    ("the 14th of February, 1918.", "1918-02-14", "1918-02-01", "day", "unknown"),
    # Forms met in the Wikipedia sample (bench/dates_bench.py):
    ("On 4 September 1913 \u201422 August 1913 in the Julian calendar used by Russia",
     "1913-09-04", "1913-08-22", "day", "dual"),
    ("corresponds to 7 January 1918 in the Gregorian Calendar and 25 December in the Julian Calendar.",
     "1918-01-07", "1917-12-25", "day", "dual"),
    ("Christmas Day, 25 December 1642 (NS 4 January 1643) an hour", "1643-01-04", "1642-12-25", "day", "dual"),
    ("to Carl Linnaeus, 7 May 1736 n.s., with", "1736-05-07", "1736-04-26", "day", "gregorian"),
    ("| Gregorian Date | Julian Date |\n+====+====+\n| 8 March 1917 | 23 February |",
     "1917-03-08", "1917-02-23", "day", "dual"),
    ("  Old Style        New Style       Event\n  ---------------- --------------- -----\n"
     "  25 October 1917  7 November      Rising", "1917-11-07", "1917-10-25", "day", "dual"),
]


@pytest.mark.parametrize("text,greg,jul,precision,calendar", FORMS)
def test_forms(text, greg, jul, precision, calendar):
    found = find_dates(text)
    ms = [m for m in found if m.precision != "year"] or found  # a table's "1917 ..." aside
    assert len(ms) == 1, [m.text for m in ms]
    m = ms[0]
    assert m.gregorian == date.fromisoformat(greg)
    assert m.julian == (date.fromisoformat(jul) if jul else None)
    assert (m.precision, m.calendar) == (precision, calendar)
    assert text[m.start:m.end] == m.text
    assert check_mention(m) == []


# Forms whose year comes from context: a preceding date in the text, or default_year.
CONTEXT = [
    ("In 1917, 24 October (6 November N.S.) came.", "24 October (6 November N.S.)",
     "1917-11-06", "1917-10-24", "day", "dual"),
    ("In 1917: 24 October [6 November].", "24 October [6 November]",
     "1917-11-06", "1917-10-24", "day", "dual"),
    ("That night (October 24-25), Bolshevik units", "October 24-25",
     "1917-10-24", "1917-10-11", "range", "unknown"),
    ("On 24\u201325 October the city fell", "24\u201325 October",
     "1917-10-24", "1917-10-11", "range", "unknown"),
    ("On 7 November the city fell", "7 November", "1917-11-07", "1917-10-25", "day", "unknown"),
    ("which began on 25 October (7 November new style). After", "25 October (7 November new style)",
     "1917-11-07", "1917-10-25", "day", "dual"),
    ("as on the 30th (12 November N.S.) when", "the 30th (12 November N.S.)",
     "1917-11-12", "1917-10-30", "day", "dual"),
    ("the procession planned for November 4th (our calendar).", "November 4th (our calendar)",
     "1917-11-04", "1917-10-22", "day", "gregorian"),
    ("| Gregorian Date | Julian Date  | Event |\n| 3\u20134 May        | 20\u201321 April  | April Days |",
     "3\u20134 May        | 20\u201321 April", "1917-05-03", "1917-04-20", "range", "dual"),
    ("| Gregorian Date | Julian Date |\n| 12 January | 30 December |", "12 January | 30 December",
     "1917-01-12", "1916-12-30", "day", "dual"),
]


@pytest.mark.parametrize("text,span,greg,jul,precision,calendar", CONTEXT)
def test_forms_with_year_from_context(text, span, greg, jul, precision, calendar):
    m = [m for m in find_dates(text, default_year=1917) if m.text == span]
    assert m, [x.text for x in find_dates(text, default_year=1917)]
    m0 = m[0]
    assert text[m0.start:m0.end] == span
    assert (m0.gregorian, m0.julian) == (date.fromisoformat(greg), date.fromisoformat(jul))
    assert (m0.precision, m0.calendar) == (precision, calendar)


def test_year_from_preceding_date_beats_default():
    ms = find_dates("On 3 March 1918 the treaty; on 5 March the rest.", default_year=1900)
    assert [m.gregorian for m in ms] == [date(1918, 3, 3), date(1918, 3, 5)]


def test_day_month_without_any_year_has_no_date():
    m = only("On 7 November the city fell")
    assert (m.gregorian, m.julian, m.precision) == (None, None, "day")


def test_default_calendar_applies_to_undeclared_dates_only():
    m = only("On 25 October 1917 the palace fell", default_calendar="julian")
    assert (m.calendar, m.julian, m.gregorian) == ("julian", date(1917, 10, 25), date(1917, 11, 7))
    m = only("7 November 1917 (New Style)", default_calendar="julian")
    assert m.calendar == "gregorian"


@pytest.mark.parametrize("text", [
    "O. S. Nagornaia, a historian, wrote it.",
    "see O. S. Nagornaia and N. S. Khrushchev",
    "5,000 sailors and 5000 men",
    "eleven Bolsheviks and six Left SRs",
    "page 1917 of the book",
    "It may march on.",
    "in the 1920s",
])
def test_not_dates(text):
    assert find_dates(text) == []


def test_initials_after_a_date_are_not_a_calendar_marker():
    m = find_dates("Written 7 November 1917 O. S. Nagornaia said.")[0]
    assert (m.text, m.calendar) == ("7 November 1917", "unknown")
    m = find_dates("On 7 November 1917 (O. S. Nagornaia, p. 4) it fell.")[0]
    assert (m.text, m.calendar) == ("7 November 1917", "unknown")


def test_bare_calendar_word_after_a_date_is_a_name_not_a_marker():
    assert only("on 24 October Julian Smith wrote", default_year=1917).calendar == "unknown"
    assert only("on 24 October (Julian)", default_year=1917).calendar == "julian"


def test_day_month_range_takes_year_of_its_end():
    m = only("Between 24 October and 7 November 1917 the city changed hands")
    assert (m.text, m.precision, m.gregorian) == (
        "Between 24 October and 7 November 1917", "range", date(1917, 10, 24))


def test_number_followed_by_unit_is_not_a_year():
    assert find_dates("a march of 1917 km") == []
    assert [m.text for m in find_dates("1917 sailors")] == ["1917"]


def test_offsets_into_text_for_several_mentions():
    text = "Between 1 March 1917 and 25 October (O.S.; 7 November, N.S.), 1917 and late 1922."
    ms = find_dates(text)
    assert [text[m.start:m.end] for m in ms] == [
        "1 March 1917", "25 October (O.S.; 7 November, N.S.), 1917", "late 1922"]


# --- problems -------------------------------------------------------------------------

@pytest.mark.parametrize("text,needles", [
    ("7 November 1917 (24 October Old Style)", ["25 October", "off by 1 day", "Old Style"]),
    ("25 October (O.S.; 8 November, N.S.), 1917", ["7 November", "not 8 November", "off by 1 day"]),
    ("25 October (9 November new style) 1917", ["is 7 November", "off by 2 days"]),
    ("7 November 1917 (26 October Old Style)", ["25 October", "off by 1 day"]),
    ("7 November 1917 (23 October Old Style)", ["25 October", "off by 2 days", "13 days apart in 1917"]),
])
def test_wrong_dual_dates_name_the_right_date(text, needles):
    m = only(text)
    assert m.calendar == "dual"
    problems = check_mention(m)
    assert len(problems) == 1
    for needle in needles:
        assert needle in problems[0], problems[0]


def test_dual_date_in_1700s_uses_that_centurys_offset():
    assert check_mention(only("1 March 1750 (18 February 1750 O.S.)")) == []  # 11 days
    p = check_mention(only("1 March 1750 (19 February 1750 O.S.)"))
    assert p and "18 February" in p[0] and "11 days apart in 1750" in p[0]


def test_impossible_dates():
    assert check_mention(only("30 February 1917")) == ["30 February 1917 does not exist."]
    assert check_mention(only("31 April 1917 (O.S.)")) == ["31 April 1917 does not exist."]
    p = check_mention(only("29 February 1900 (N.S.)"))
    assert p and "Gregorian" in p[0] and "Julian" in p[0]


def test_weekdays():
    assert check_mention(only("Wednesday, 7 November 1917")) == []
    assert check_mention(only("Wednesday, 25 October 1917 (O.S.)")) == []
    p = check_mention(only("Thursday, 7 November 1917 (N.S.)"))
    assert p == ["7 November 1917 was a Wednesday, not a Thursday."]
    p = check_mention(only("Thursday, 25 October 1917 (O.S.)"))
    assert p == ["25 October 1917 (Old Style) was a Wednesday, not a Thursday."]
    # Undeclared: fine if either reading fits (25 Oct read as N.S. was a Thursday) ...
    assert check_mention(only("Thursday, 25 October 1917")) == []
    # ... a problem only when neither does.
    p = check_mention(only("Friday, 7 November 1917"))
    assert len(p) == 1 and "Wednesday" in p[0] and "not a Friday" in p[0]


def test_dual_year_problems():
    assert "1688/9" in check_mention(only("1 February 1688/7"))[0]
    assert "24 March" in check_mention(only("1 June 1688/9"))[0]


# --- relative dates and claims ---------------------------------------------------------

CLAIM4 = ("On 6 November 1917 (24 October Old Style), the government shut down numerous "
          "newspapers and closed the city of Petrograd.")
CLAIM5 = ("The next day a full scale uprising erupted as a fleet of Bolshevik sailors entered the "
          "harbor. Bolshevik Red Guards forces began the occupation of government buildings on "
          "25 October (O.S.; 7 November, N.S.), 1917. The following day, the Winter Palace (the "
          "seat of the Provisional government located in Petrograd, then capital of Russia) was "
          "captured.")


def test_relative_dates_resolve_against_previous_claim_and_in_reading_order():
    prev = find_dates(CLAIM4)[-1].gregorian
    mentions, problems = check_claim_dates(CLAIM5, ["That night (October 24-25), units moved."],
                                           previous_date=prev)
    assert problems == []
    by_text = {m.text: m for m in mentions}
    assert by_text["The next day"].gregorian == date(1917, 11, 7)
    assert by_text["The next day"].julian == date(1917, 10, 25)
    assert by_text["The following day"].gregorian == date(1917, 11, 8)
    assert by_text["The following day"].julian == date(1917, 10, 26)
    assert [m.start for m in mentions] == sorted(m.start for m in mentions)


def test_relative_date_disagreeing_with_explicit_date_in_same_sentence():
    _, problems = check_claim_dates("The next day, 8 November 1917, the uprising began.", [],
                                    previous_date=date(1917, 11, 6))
    assert len(problems) == 1
    assert "7 November 1917" in problems[0] and "8 November 1917" in problems[0]
    _, ok = check_claim_dates("The next day, 7 November 1917, the uprising began.", [],
                              previous_date=date(1917, 11, 6))
    assert ok == []
    # An undeclared explicit date is fine if it fits in either calendar.
    _, ok = check_claim_dates("The next day, 25 October 1917, the uprising began.", [],
                              previous_date=date(1917, 11, 6))
    assert ok == []


def test_relative_dates_within_one_claim():
    _, p = check_claim_dates("On 6 November 1917 the press was closed. Two days later, on "
                             "8 November 1917, the decree followed.", [])
    assert p == []
    _, p = check_claim_dates("On 6 November 1917 the press was closed. Two days later, on "
                             "9 November 1917, the decree followed.", [])
    assert len(p) == 1 and "8 November 1917" in p[0]


def test_day_before_an_event_is_not_resolved():
    mentions, _ = check_claim_dates("On 6 November 1917 it began, the day before the storming.", [])
    assert [m.text for m in mentions] == ["6 November 1917"]


def test_claim_against_evidence_date():
    claim = "On 6 November 1917 (24 October Old Style), the government acted."
    ms, p = check_claim_dates(claim, ["On 25 October 1917 the government acted."],
                              default_calendar="julian")
    assert ms[0].calendar == "dual" and ms[0].problems == []
    assert p == ["The claim says 6 November 1917 (N.S.), the evidence says "
                 "25 October 1917 (O.S.) = 7 November (N.S.)."]
    # Agreement once in one calendar: no problem.
    _, p = check_claim_dates(claim, ["On 24 October 1917 the government acted."],
                             default_calendar="julian")
    assert p == []
    # Undeclared evidence date that fits neither reading.
    _, p = check_claim_dates(claim, ["On 25 October 1917 the government acted."])
    assert len(p) == 1 and "calendar not stated" in p[0]
    # Two evidence dates: too uncertain to say anything.
    _, p = check_claim_dates(claim, ["On 25 October 1917 and 30 October 1917 it acted."],
                             default_calendar="julian")
    assert p == []


def test_claim_mentions_carry_their_own_problems():
    ms, _ = check_claim_dates("On 7 November 1917 (24 October Old Style) it happened.", [])
    assert ms[0].problems and "25 October" in ms[0].problems[0]


def test_example_document_dates_are_consistent():
    path = SHARED / "examples" / "october-revolution.md"
    if not path.exists():
        pytest.skip("shared examples not available")
    claims = [ln[2:] for ln in path.read_text(encoding="utf-8").splitlines() if ln.startswith("- ")]
    prev = None
    seen = []
    for claim in claims:
        mentions, problems = check_claim_dates(claim, [], previous_date=prev)
        assert problems == [], claim
        for m in mentions:
            assert m.problems == [], m
            seen.append((m.text, m.precision))
        days = [m for m in mentions if m.precision == "day" and m.gregorian]
        prev = days[-1].gregorian if days else prev
    assert ("7 November 1917 (25 October Old Style)", "day") in seen
    assert ("late 1922", "year") in seen
    assert ("1923", "year") in seen


# --- calendars -------------------------------------------------------------------------

def test_offsets_by_century():
    assert offset_days(1582, 10, 5) == 10
    assert offset_days(1700, 2, 28) == 10
    assert offset_days(1700, 2, 29) == 10  # the extra Julian day still counts 10
    assert offset_days(1700, 3, 1) == 11
    assert offset_days(1800, 3, 1) == 12
    assert offset_days(1900, 3, 1) == 13
    assert offset_days(2100, 2, 28) == 13
    assert offset_days(2100, 3, 1) == 14
    assert offset_days(1917, 11, 7, calendar="gregorian") == 13


def test_julian_only_day_and_date_wrappers():
    assert j2g(1700, 2, 29) == (1700, 3, 11)
    assert g2j(1700, 3, 11) == (1700, 2, 29)
    assert julian_to_gregorian(date(1917, 10, 25)) == date(1917, 11, 7)
    assert gregorian_to_julian(date(1917, 11, 7)) == date(1917, 10, 25)
    with pytest.raises(ValueError):
        gregorian_to_julian(date(1700, 3, 11))  # Julian 29 Feb 1700: no date holds it


def test_adoption_and_likely_calendar():
    ru = ADOPTION["russia"]
    assert ru.last_julian == (1918, 1, 31) and ru.first_gregorian == date(1918, 2, 14)
    assert j2g(*ru.last_julian) == (1918, 2, 13)  # the switch skipped no real day
    for row in ADOPTION.values():
        assert date(*j2g(*row.last_julian)) + timedelta(days=1) == row.first_gregorian
    assert ADOPTION["britain"].first_gregorian == date(1752, 9, 14)
    assert likely_calendar(date(1917, 10, 25)) == "julian"
    assert likely_calendar(date(1918, 3, 1)) == "gregorian"
    assert likely_calendar(date(1751, 1, 1), country="Britain") == "julian"
    with pytest.raises(InputError):
        likely_calendar(date(1900, 1, 1), country="Atlantis")


# Julian Day Numbers written out here, independently of convertdate.
def _tdiv(a: int, b: int) -> int:
    """Division truncating toward zero, as the Fortran/C original assumes."""
    q = abs(a) // abs(b)
    return q if (a >= 0) == (b >= 0) else -q


def jdn_gregorian(y: int, m: int, d: int) -> int:
    """Fliegel & Van Flandern (1968), Communications of the ACM 11(10): 657."""
    a = _tdiv(m - 14, 12)
    return (_tdiv(1461 * (y + 4800 + a), 4) + _tdiv(367 * (m - 2 - 12 * a), 12)
            - _tdiv(3 * _tdiv(y + 4900 + a, 100), 4) + d - 32075)


def jdn_julian(y: int, m: int, d: int) -> int:
    """Richards' algorithm (Explanatory Supplement to the Astronomical Almanac, 3rd ed. 15.11)."""
    a = (14 - m) // 12
    yy, mm = y + 4800 - a, m + 12 * a - 3
    return d + (153 * mm + 2) // 5 + 365 * yy + yy // 4 - 32083


def test_jdn_helpers_known_values():
    assert jdn_gregorian(2000, 1, 1) == 2451545
    assert jdn_gregorian(1582, 10, 15) == jdn_julian(1582, 10, 4) + 1 == 2299161


GREG = st.dates(min_value=date(1582, 10, 15), max_value=date(2200, 12, 31))


@settings(max_examples=300, deadline=None)
@given(GREG)
def test_g2j_round_trips_and_matches_jdn(d):
    j = g2j(d.year, d.month, d.day)
    assert j2g(*j) == (d.year, d.month, d.day)
    assert jdn_julian(*j) == jdn_gregorian(d.year, d.month, d.day)
    assert (date(d.year, d.month, 1).toordinal() + d.day - 1) - (
        date(j[0], j[1], 1).toordinal() + j[2] - 1) == offset_days(*j)


@st.composite
def julian_days(draw):
    y = draw(st.integers(1583, 2200))
    m = draw(st.integers(1, 12))
    last = 29 if m == 2 and y % 4 == 0 else [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1]
    return y, m, draw(st.integers(1, last))


@settings(max_examples=300, deadline=None)
@given(julian_days())
def test_j2g_matches_jdn_including_julian_only_days(j):
    g = j2g(*j)
    assert g2j(*g) == j
    assert jdn_gregorian(*g) == jdn_julian(*j)


@settings(max_examples=100, deadline=None)
@given(st.dates(min_value=date(1582, 10, 15), max_value=date(2100, 12, 31)))
def test_written_dual_date_round_trips_through_parser(d):
    j = g2j(d.year, d.month, d.day)
    names = ["January", "February", "March", "April", "May", "June", "July", "August",
             "September", "October", "November", "December"]
    text = f"{d.day} {names[d.month - 1]} {d.year} ({j[2]} {names[j[1] - 1]} Old Style)"
    m = only(text)
    assert m.calendar == "dual" and m.gregorian == d
    assert check_mention(m) == []


# --- forms added with the library pages, ranges, declared calendars ----------------------

def test_every_dual_date_in_the_library_pages_is_read_and_consistent():
    """Each dual date written in ../shared/library's pages is read as one dual mention."""
    pages = {
        "wikipedia/Russian_Revolution.txt": 31,  # 30 table rows + the Gregorian/Julian sentence
        "wikipedia/October_Revolution.txt": 13,  # "N.S)" forms and "the 30th (12 November N.S" among them
    }
    if not (SHARED / "library").is_dir():
        pytest.skip("../shared/library missing")
    for name, want in pages.items():
        ms = [m for m in find_dates((SHARED / "library" / name).read_text(encoding="utf-8"))
              if m.calendar == "dual"]
        assert len(ms) == want, (name, [m.text for m in ms])
        assert all(check_mention(m) == [] for m in ms), name


def test_table_rows_with_wrong_conversions_are_reported():
    text = "| Gregorian | Julian |\n| 9 November 1917 | 26 October |\n| 8 March 1917 | 23 February |"
    ms = find_dates(text)
    assert [m.calendar for m in ms] == ["dual", "dual"]
    assert check_mention(ms[1]) == []
    p = check_mention(ms[0])
    assert len(p) == 1 and "8 November" in p[0] and "off by 1 day" in p[0]


def test_table_without_calendar_headers_is_not_paired():
    ms = find_dates("| Date | Other |\n| 8 March 1917 | 23 February |")
    assert [m.calendar for m in ms] == ["unknown", "unknown"]


@pytest.mark.parametrize("text,g_end,j_end", [
    ("On 24\u201325 October 1917 the city fell", "1917-10-25", "1917-10-12"),
    ("October 24-25, 1917", "1917-10-25", "1917-10-12"),
    ("from 3 March to 5 April 1918", "1918-04-05", "1918-03-23"),
    ("1917\u201323", "1923-01-01", "1923-01-01"),
    ("from 1917 until 1923", "1923-01-01", "1923-01-01"),
    ("24\u201325 October 1917 (O.S.)", "1917-11-07", "1917-10-25"),
])
def test_range_ends(text, g_end, j_end):
    from sourcecheck.dates import range_end

    m = only(text)
    assert m.precision == "range"
    assert range_end(m) == (date.fromisoformat(g_end), date.fromisoformat(j_end))


def test_range_end_of_a_single_day_is_none():
    from sourcecheck.dates import range_end

    assert range_end(only("7 November 1917")) == (None, None)


def test_calendar_at_trotsky_switches_near_the_end():
    from sourcecheck.dates import calendar_at

    path = SHARED / "library" / "trotsky-from-october-to-brest-litovsk.txt"
    if not path.is_file():
        pytest.skip("../shared/library missing")
    text = path.read_text(encoding="utf-8")
    switch = text.index("14th of February, 1918")
    assert calendar_at(text, text.index("peace negotiations were started December 9th"), "julian") == "julian"
    assert calendar_at(text, switch - 1, "julian") == "julian"
    assert calendar_at(text, switch, "julian") == "gregorian"
    assert calendar_at(text, text.index("This was on February 8th"), "julian") == "gregorian"


def test_calendar_at_sections_and_switch_notes():
    from sourcecheck.dates import calendar_at

    text = ("Note: the author (until near the end) uses the Russian Calendar.\n\n"
            "On 25 October 1917 the palace fell. On 20 December 1917 talks began.\n\n"
            "On 10 February 1918 (N.S.) the talks broke off. On 3 March 1918 peace was signed.")
    assert calendar_at(text, text.index("25 October"), "julian") == "julian"
    assert calendar_at(text, text.index("20 December"), "julian") == "julian"
    assert calendar_at(text, text.index("10 February"), "julian") == "gregorian"
    assert calendar_at(text, text.index("3 March"), "julian") == "gregorian"
    # no switch note: the declared calendar holds throughout; nothing declared: None
    plain = text.replace("(until near the end) ", "")
    assert calendar_at(plain, plain.index("3 March"), "julian") == "julian"
    assert calendar_at(plain, 0, None) is None
    # a section's own note holds until the next heading
    page = ("Intro\n\nOn 7 November 1917 it began.\n\nTimeline (Julian calendar dates)\n\n"
            "- 25 October 1917: Petrograd\n\nOutcome\n\nLater, 1 May 1918.")
    assert calendar_at(page, page.index("7 November"), "gregorian") == "gregorian"
    assert calendar_at(page, page.index("25 October"), "gregorian") == "julian"
    assert calendar_at(page, page.index("1 May"), "gregorian") == "gregorian"
    assert calendar_at(page, page.index("1 May"), None) is None


def test_dash_between_dates_is_a_range_unless_calendars_pair_them():
    # 13 months apart: a range-like pair, not a dual date, whatever the marker says
    ms = find_dates("from 3 September 1913 \u2013 22 October 1914 in the Julian calendar")
    assert [m.calendar for m in ms] == ["unknown", "julian"]
    # a real dual date written with a dash, one day off: reported
    m = only("On 3 September 1913 \u201422 August 1913 in the Julian calendar")
    assert m.calendar == "dual" and "off by 1 day" in check_mention(m)[0]


def test_bare_ordinal_before_a_bracketed_day_is_read_not_crashed_on():
    # "the 25th (7 November 1917)": round brackets, no calendar named, and the first half has no
    # month to measure the gap with; this raised TypeError (found by mypy). The day in brackets
    # stands alone; square brackets still make the pair Old Style / New Style.
    ms = find_dates("On the 25th (7 November 1917) the garrison rose.")
    assert [(m.text, m.gregorian) for m in ms] == [("the 25th", None), ("7 November 1917", date(1917, 11, 7))]
    assert only("On the 25th [7 November 1917] the garrison rose.").calendar == "dual"
