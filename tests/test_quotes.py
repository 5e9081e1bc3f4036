"""Quotations: folding with an offset map, locating in real books, the citation policy."""

from __future__ import annotations

import functools
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sourcecheck import records
from sourcecheck.quotes import Folded, SourceList, fold, locate_in_text, locate_quote, render_diff, word_diff

SHARED = Path(__file__).resolve().parents[2] / "shared"
REED = SHARED / "library" / "reed-ten-days-that-shook-the-world.txt"
TROTSKY = SHARED / "library" / "trotsky-from-october-to-brest-litovsk.txt"

# Real sentences of Reed (line numbers of the Gutenberg file in /work/shared/library).
EXACT = "Then for the Bolsheviki, Trotzky mounted the tribune, borne on a wave"  # l. 3154
LINE_BREAK = (  # ll. 3156-3157: "...Mephistophelian in\nits expression..."
    "His thin, pointed face was positively Mephistophelian in its expression of "
    "malicious irony."
)
SPELLINGS = (  # ll. 4768-4771: "Bolsheviki", "anybody--except", "Trotzky"
    "That the Bolsheviks would remain in power longer than three days never occurred "
    "to anybody—except perhaps to Lenin, Trotsky, the Petrograd workers and the "
    "simpler soldiers"
)
KRONSTADT = (  # ll. 3026-3027: "Cronstadt", "Bolsheviki"
    "For at Kronstadt were twenty-five thousand sailors, convinced Bolsheviks and "
    "not afraid to die"
)
ELIDED = (  # ll. 1001-1007, about 280 characters left out
    "In this atmosphere of corruption, of monstrous half-truths, one clear note "
    "sounded day after day ... the cause of the people all over the world!"
)
INSERTION = (  # "in its expression" with [his] put in for "its"
    "His thin, pointed face was positively Mephistophelian in [his] expression of "
    "malicious irony"
)
DRIFT = LINE_BREAK.replace("Mephistophelian", "demonic")
SPLICED = (  # l. 3154 + l. 4771, 1,600 lines apart
    "Then for the Bolsheviki, Trotzky mounted the tribune, and the Petrograd workers "
    "and the simpler soldiers"
)
INVENTED = (
    "The Cossacks rode silently through the frozen suburbs of Moscow before dawn, "
    "singing hymns to the Tsar."
)
TROTSKY_SENTENCE = (  # Trotsky, From October to Brest-Litovsk, ll. 2006-2008, across a line break
    "In the first six months of the revolution they managed, as a result of this "
    "policy, to lose absolutely all the confidence of the populace and army"
)


def _source(path: Path, id: str, title: str, author: str, year: int) -> records.Source:
    if not path.exists():
        pytest.skip(f"{path} missing")
    text = path.read_text(encoding="utf-8")
    return records.Source(id=id, title=title, author=author, year=year, path=str(path),
                          sha256="x", text=text)


@pytest.fixture(scope="module")
def reed() -> records.Source:
    return _source(REED, "reed", "Ten Days That Shook the World", "John Reed", 1919)


@pytest.fixture(scope="module")
def trotsky() -> records.Source:
    return _source(TROTSKY, "trotsky", "From October to Brest-Litovsk", "Leon Trotsky", 1919)


# --- fold ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw, folded",
    [
        ("The City", "the city"),
        ("“All power” to ‘the’ \"Soviets\" 'now'", "all power to the soviets now"),
        ("don’t", "dont"),
        ("war--war — war – war", "war war war war"),
        ("the revolu-\ntion came", "the revolution came"),
        ("Social-\nRevolutionary", "socialrevolutionary"),
        ("Social-Revolutionary", "socialrevolutionary"),
        ("1917-1918", "1917 1918"),
        ("the ﬁrst ﬂag", "the first flag"),
        ("Tséretelli, café, cafe\u0301", "tsereteli cafe cafe"),
        ("  a\n\n\tb  ", "a b"),
        ("Cronstadt Trotzky Bolsheviki Lenine", "kronstadt trotsky bolsheviks lenin"),
        ("Bolshevik Bolsheviks", "bolshevik bolsheviks"),
        ("the Winter\n\n112\n\nPalace", "the winter palace"),
        ("the Winter [Page 12] Palace [p. 3] fell", "the winter palace fell"),
    ],
)
def test_fold_rules(raw: str, folded: str) -> None:
    f = fold(raw)
    assert f.text == folded
    assert len(f.offsets) == len(f.text) + 1
    assert f.offsets[-1] == len(raw)


def test_fold_offsets_point_at_original_words() -> None:
    raw = "“Cronstadt” is revolu-\ntionary"
    f = fold(raw)
    i = f.text.index("revolutionary")
    start, end = f.span(i, i + len("revolutionary"))
    assert raw[start:end] == "revolu-\ntionary"
    start, end = f.span(0, len("kronstadt"))
    assert raw[start:end] == "Cronstadt"


_TOKENS = st.one_of(
    st.text(alphabet="abcdefgHIJKLmnop", min_size=1, max_size=8),
    st.sampled_from([
        "“", "”", "‘", "’", "'", '"', "--", "—", "–", "-", ",", ".", "...", "…",
        "revolu-\ntion", "Social-\nRevolutionary", "ﬁrst", "ﬂag", "Tséretelli",
        "cafe\u0301", "Cronstadt", "Trotzky", "Bolsheviki", "\n\n12\n\n", "[Page 7]",
        "[p. 3]", "ß", "Æther", "1917", "(note)", "\n\n112 TEN DAYS THAT SHOOK THE WORLD\n\n",
    ]),
)
_SEPS = st.sampled_from([" ", "", "\n", "  ", " \n "])


@st.composite
def _texts(draw: st.DrawFn) -> str:
    toks = draw(st.lists(_TOKENS, min_size=1, max_size=30))
    seps = draw(st.lists(_SEPS, min_size=len(toks), max_size=len(toks)))
    return "".join(t + s for t, s in zip(toks, seps))


@settings(max_examples=300, deadline=None)
@given(_texts(), st.data())
def test_offset_map_survives_every_rule(raw: str, data: st.DataObject) -> None:
    """Any run of whole folded words maps back to an original slice that folds to it."""
    f = fold(raw)
    assert len(f.offsets) == len(f.text) + 1 and f.offsets[-1] == len(raw)
    assert f.offsets == sorted(f.offsets)
    if not f.text:
        return
    starts = [0] + [k + 1 for k, c in enumerate(f.text) if c == " "]
    ends = [k for k, c in enumerate(f.text) if c == " "] + [len(f.text)]
    a = data.draw(st.integers(0, len(starts) - 1))
    b = data.draw(st.integers(a, len(starts) - 1))
    i, j = starts[a], ends[b]
    assert fold(raw[f.offsets[i] : f.offsets[j - 1] + 1]).text == f.text[i:j]


@functools.lru_cache(maxsize=1)
def _reed_folded() -> tuple[str, Folded]:
    text = REED.read_text(encoding="utf-8")
    return text, fold(text)


@settings(max_examples=200, deadline=None)
@given(st.integers(0, 10**9), st.integers(1, 1500))
def test_offset_map_on_real_text(at: int, length: int) -> None:
    if not REED.exists():
        pytest.skip(f"{REED} missing")
    text, f = _reed_folded()
    i = f.text.index(" ", at % (len(f.text) - 2000)) + 1
    j = f.text.index(" ", i + length)
    assert fold(text[f.offsets[i] : f.offsets[j - 1] + 1]).text == f.text[i:j]


# --- diff ---------------------------------------------------------------------------


def test_word_diff_and_render() -> None:
    ops = word_diff("Bolsheviks seized the city", "Bolsheviks took the city")
    assert [o.op for o in ops] == ["equal", "replace", "equal"]
    assert render_diff(ops) == "Bolsheviks [-seized-] {+took+} the city"
    # case, quotes and dashes are not changes; words are shown as the source writes them
    ops = word_diff("“The Bolsheviks”—all of them", "the Bolsheviks--all of them")
    assert [o.op for o in ops] == ["equal"]
    assert render_diff(word_diff("a b c", "a c d")) == "a [-b-] c {+d+}"


# --- locate_in_text on Reed ---------------------------------------------------------


def test_exact(reed: records.Source) -> None:
    m = locate_in_text(EXACT, reed.text)
    assert m is not None and m.status == "exact"
    assert reed.text[m.start : m.end] == EXACT
    assert m.similarity == 1.0


@pytest.mark.parametrize("quote", [LINE_BREAK, SPELLINGS, KRONSTADT])
def test_normalized(reed: records.Source, quote: str) -> None:
    assert quote not in reed.text
    m = locate_in_text(quote, reed.text)
    assert m is not None and m.status == "normalized"
    assert fold(reed.text[m.start : m.end]).text == fold(quote).text


def test_normalized_shows_original_spellings(reed: records.Source) -> None:
    m = locate_in_text(SPELLINGS, reed.text)
    assert m is not None
    original = reed.text[m.start : m.end]
    assert "Bolsheviki" in original and "Trotzky" in original and "--" in original


def test_elided(reed: records.Source) -> None:
    m = locate_in_text(ELIDED, reed.text)
    assert m is not None and m.status == "elided"
    assert len(m.parts) == 2
    (s1, e1), (s2, e2) = m.parts
    assert reed.text[s1:e1].startswith("In this atmosphere")
    assert reed.text[s2:e2] == "the cause of the people all over the world"
    assert 150 < s2 - e1 < 1500
    assert (m.start, m.end) == (s1, e2)


def test_bracketed_insertion_and_sic(reed: records.Source) -> None:
    m = locate_in_text(INSERTION, reed.text)
    assert m is not None and m.status == "elided"
    m = locate_in_text("[T]hen for the Bolsheviki [sic], Trotzky mounted the tribune", reed.text)
    assert m is not None and m.status == "elided"


def test_ellipsis_over_too_long_a_gap_is_not_elided(reed: records.Source) -> None:
    # both parts are real, but 1,600 lines apart
    q = (
        "Trotzky mounted the tribune, borne on a wave ... the Petrograd workers and "
        "the simpler soldiers"
    )
    m = locate_in_text(q, reed.text)
    assert m is None or m.status not in ("exact", "normalized", "elided")


def test_drift_names_the_changed_word(reed: records.Source) -> None:
    m = locate_in_text(DRIFT, reed.text)
    assert m is not None and m.status == "drift"
    assert 0.75 <= m.similarity < 1.0
    changed = [o for o in m.diff if o.op != "equal"]
    assert len(changed) == 1
    assert changed[0].quote == "demonic" and changed[0].source == "Mephistophelian"
    assert "[-demonic-] {+Mephistophelian+}" in render_diff(m.diff)
    assert reed.text[m.start : m.end].startswith("His thin")


def test_spliced_is_not_found(reed: records.Source) -> None:
    m = locate_in_text(SPLICED, reed.text)
    assert m is None or m.status in ("drift",)


def test_invented_is_absent(reed: records.Source) -> None:
    assert locate_in_text(INVENTED, reed.text) is None


def test_one_word_changes_are_drift(reed: records.Source) -> None:
    """100 one-word-changed lines of Reed are all reported as drift (speed is for `make bench`)."""
    lines = [ln for ln in reed.text[20000:700000].splitlines() if len(ln.split()) >= 10]
    picked = lines[:: max(1, len(lines) // 100)][:100]
    quotes = []
    for ln in picked:
        w = ln.split()
        w[len(w) // 2] = "zebra"
        quotes.append(" ".join(w))
    locate_in_text("warm the cache", reed.text)
    results = [locate_in_text(q, reed.text) for q in quotes]
    drift = sum(1 for r in results if r is not None and r.status == "drift")
    assert drift >= 90


# --- locate_quote: the policy -------------------------------------------------------


def test_policy_found_in_cited(reed: records.Source, trotsky: records.Source) -> None:
    qm = locate_quote(EXACT, reed, SourceList([reed, trotsky]), cited_missing=False)
    assert qm.status == "exact"
    assert qm.source is not None and qm.source.id == "reed"
    assert qm.cited_source is not None and qm.cited_source.id == "reed"
    assert qm.location is not None
    assert qm.location.line == reed.text.count("\n", 0, qm.location.start) + 1 == 3154
    assert qm.location.page is None
    assert qm.matched_text == EXACT
    assert qm.similarity == 1.0


def test_policy_context_is_the_whole_sentence(reed: records.Source) -> None:
    qm = locate_quote("pointed face was positively Mephistophelian", reed, SourceList([reed]), cited_missing=False)
    assert qm.status == "exact"
    assert qm.context == (
        "His thin, pointed face was positively Mephistophelian in its expression of "
        "malicious irony."
    )


def test_policy_wrong_source(reed: records.Source, trotsky: records.Source) -> None:
    qm = locate_quote(TROTSKY_SENTENCE, reed, SourceList([reed, trotsky]), cited_missing=False)
    assert qm.status == "wrong_source"
    assert qm.source is not None and qm.source.id == "trotsky"
    assert qm.cited_source is not None and qm.cited_source.id == "reed"
    assert qm.location is not None
    assert "confidence of the populace" in trotsky.text[qm.location.start : qm.location.end]


def test_policy_drift_and_absent(reed: records.Source, trotsky: records.Source) -> None:
    qm = locate_quote(DRIFT, reed, SourceList([reed, trotsky]), cited_missing=False)
    assert qm.status == "drift" and qm.source is not None and qm.source.id == "reed"
    assert any(o.op == "replace" for o in qm.diff) and qm.location is not None
    qm = locate_quote(INVENTED, reed, SourceList([reed, trotsky]), cited_missing=False)
    assert qm.status == "absent"
    assert qm.location is None and qm.cited_source is not None


def test_policy_source_missing(reed: records.Source, trotsky: records.Source) -> None:
    qm = locate_quote(LINE_BREAK, None, SourceList([trotsky, reed]), cited_missing=True)
    assert qm.status == "source_missing"
    assert qm.source is not None and qm.source.id == "reed"  # found there anyway
    assert qm.location is not None and qm.cited_source is None
    qm = locate_quote(INVENTED, None, SourceList([trotsky, reed]), cited_missing=True)
    assert qm.status == "source_missing" and qm.source is None and qm.location is None


def test_policy_no_citation_searches_library(reed: records.Source, trotsky: records.Source) -> None:
    qm = locate_quote(TROTSKY_SENTENCE, None, SourceList([reed, trotsky]), cited_missing=False)
    assert qm.status == "normalized" and qm.source is not None and qm.source.id == "trotsky"


def test_pages_and_lines_from_a_small_source() -> None:
    text = "Page one text.\nThe Winter Palace\nfell at night.\fPage two: the Smolny was lit."
    pages = [0, text.index("\f") + 1]
    src = records.Source("t", "T", None, None, "t.txt", "y", text, pages=pages)
    qm = locate_quote("the Winter Palace fell at night", src, SourceList([src]), cited_missing=False)
    assert qm.status == "normalized"
    assert qm.location is not None and (qm.location.line, qm.location.page) == (2, 1)
    assert qm.matched_text == "The Winter Palace\nfell at night"
    qm = locate_quote("the Smolny was lit", src, SourceList([src]), cited_missing=False)
    assert qm.status == "exact" and qm.location is not None and qm.location.page == 2


def test_empty_quote_is_absent() -> None:
    src = records.Source("e", "E", None, None, "e.txt", "z", "Some text here.")
    assert locate_in_text("  ", src.text) is None
    assert locate_quote("“ ”", src, SourceList([src]), cited_missing=False).status == "absent"


def test_exact_and_normalized_respect_word_boundaries() -> None:
    text = "Then the city fell. The cityscape burned."
    m = locate_in_text("he city fell", text)
    assert m is None or m.status not in ("exact", "normalized")
    m = locate_in_text("the city", text)
    assert m is not None and m.status == "exact" and m.start == 5
    m = locate_in_text("The city burned", text)
    assert m is None


# --- editorial marks and layout not covered above (issue 4) --------------------------

_PAGE_TEXT = (
    "The delegates waited in the great hall.\n\nAt two in the morning the news came that\n"
    "the Winter\n\n112 TEN DAYS THAT SHOOK THE WORLD\n\nPalace had fallen. Nobody slept.\n\n"
    "Then the sailors came in, shouting \"All power to the Soviets!\" and the hall rose.\n"
)


def test_quotation_spanning_a_paragraph_break() -> None:
    m = locate_in_text("waited in the great hall. At two in the morning the news came", _PAGE_TEXT)
    assert m is not None and m.status == "normalized"
    assert "\n\n" in _PAGE_TEXT[m.start : m.end]


def test_running_head_and_page_number_inside_a_sentence() -> None:
    m = locate_in_text("the news came that the Winter Palace had fallen", _PAGE_TEXT)
    assert m is not None and m.status == "normalized"
    assert _PAGE_TEXT[m.start : m.end].endswith("Palace had fallen")
    assert "112 TEN DAYS" in _PAGE_TEXT[m.start : m.end]  # shown as the source has it


def test_heading_after_a_colon_is_kept() -> None:
    text = "He read the orders:\n\nORDER NO. 2\n\nthe troops will stay."
    m = locate_in_text("He read the orders: ORDER NO. 2", text)
    assert m is not None and m.status == "normalized"


def test_nested_quotation_marks() -> None:
    quote = "Then the sailors came in, shouting ‘All power to the Soviets!’ and the hall rose"
    m = locate_in_text(quote, _PAGE_TEXT)
    assert m is not None and m.status == "normalized"
    m = locate_in_text("“Then the sailors came in, shouting ‘All power to the Soviets!’”", _PAGE_TEXT)
    assert m is not None and m.status == "normalized"


def test_capital_changed_at_the_start() -> None:
    m = locate_in_text("The Winter Palace had fallen", _PAGE_TEXT)  # "the Winter" in the source
    assert m is not None and m.status == "normalized"
    m = locate_in_text("[T]he news came that the Winter", _PAGE_TEXT)
    assert m is not None and m.status == "elided"


@pytest.mark.parametrize("mark", [". . .", "...", "…", "[...]", "[…]"])
def test_every_ellipsis_form(reed: records.Source, mark: str) -> None:
    quote = ELIDED.replace("...", mark)
    m = locate_in_text(quote, reed.text)
    assert m is not None and m.status == "elided" and len(m.parts) == 2


def test_sources_own_ellipsis_with_a_bracketed_insertion() -> None:
    text = "They called the Army front and rear for support... and the men came at once."
    m = locate_in_text("[The soldiers] called the Army front and rear for support... and the men came", text)
    assert m is not None and m.status == "elided"
