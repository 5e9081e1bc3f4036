"""Document readers: outline, prose, JSON Lines, citations, bad input, render_outline."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from sourcecheck.document import parse_citation, read_document, render_outline
from sourcecheck.errors import InputError

FIXTURES = Path(__file__).parent / "fixtures" / "document"
SHARED = Path(__file__).resolve().parents[2] / "shared"
EXAMPLE = SHARED / "examples" / "october-revolution.md"
PIPES = "A Concise History of the Russian Revolution"


@pytest.fixture
def example() -> Path:
    if not EXAMPLE.exists():
        pytest.skip("shared example not available")
    return EXAMPLE


def write(tmp_path: Path, name: str, text: str) -> Path:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


# --- the canonical example -------------------------------------------------------------


def test_example_claims_and_lines(example: Path) -> None:
    doc = read_document(example)
    bullets = subprocess.run(
        ["grep", "-n", "^- ", str(example)], capture_output=True, text=True, check=True
    ).stdout.splitlines()
    expected_lines = [int(b.split(":", 1)[0]) for b in bullets]
    assert doc.format == "outline"
    assert [c.id for c in doc.claims] == [1, 2, 3, 4, 5, 6]
    assert [c.line for c in doc.claims] == expected_lines == [1, 2, 4, 6, 8, 11]
    assert [len(c.evidence) for c in doc.claims] == [0, 1, 1, 1, 2, 0]


def test_example_citation_and_quotes(example: Path) -> None:
    doc = read_document(example)
    ev = doc.claims[1].evidence[0]
    assert ev.line == 3
    assert ev.citation is not None
    assert (ev.citation.title, ev.citation.author, ev.citation.year) == (PIPES, "Richard Pipes", 1995)
    assert ev.quote.startswith("The Bolshevik coup went through two phases.")
    assert ev.quote.endswith("by street demonstrations.")
    inner = doc.claims[3].evidence[0].quote
    assert 'shutting down of the "counterrevolutionary" press' in inner
    assert inner.endswith("Bolsheviks and Left SRs")
    assert [e.line for e in doc.claims[4].evidence] == [9, 10]


# --- outline styles ----------------------------------------------------------------------


def test_outline_styles_fixture() -> None:
    doc = read_document(FIXTURES / "outline-styles.md")
    assert doc.format == "outline"  # a heading above the bullets does not make it prose
    c1, c2, c3 = doc.claims
    assert c1.line == 3
    assert c1.text == "The Winter Palace fell on the night of 25 October. It was taken with little fighting."
    curly, dashdash = c1.evidence
    assert curly.quote == "The Winter Palace was taken at 2 a.m."  # “curly”, — separator
    assert curly.citation.author == "John Reed" and curly.citation.year == 1919
    assert dashdash.quote == "Kerensky had fled the city"
    assert dashdash.citation.title == "Ten Days That Shook the World"
    assert dashdash.citation.author == "John Reed"
    assert dashdash.citation.year is None
    multi, no_author = c2.evidence
    assert multi.line == 8
    assert multi.quote == "The Congress opened at 10:45 in the evening, amid the noise of the guns from the river."
    assert multi.citation.author == "Leon Trotsky" and multi.citation.year == 1932  # – separator
    assert no_author.citation.title == "Ten Days That Shook the World"
    assert no_author.citation.author is None
    assert c3.evidence == [] and c3.line == 12


def test_outline_quote_without_attribution(tmp_path: Path) -> None:
    doc = read_document(write(tmp_path, "a.md", "- Claim.\n  - `just a quote`\n"))
    assert doc.claims[0].evidence[0].quote == "just a quote"
    assert doc.claims[0].evidence[0].citation is None


def test_outline_crlf(tmp_path: Path) -> None:
    p = tmp_path / "crlf.md"
    p.write_bytes(b"- Claim one.\r\n    - `Quote.` - T, A, 1900\r\n- Claim two.\r\n")
    doc = read_document(p)
    assert [c.text for c in doc.claims] == ["Claim one.", "Claim two."]
    assert doc.claims[0].evidence[0].citation.year == 1900


# --- citations ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw, title, author, year",
    [
        (f"{PIPES}, Richard Pipes, 1995", PIPES, "Richard Pipes", 1995),
        ("Ten Days That Shook the World, John Reed", "Ten Days That Shook the World", "John Reed", None),
        ("Ten Days That Shook the World", "Ten Days That Shook the World", None, None),
        ("Russia, Land and People, 1905, Anon, 1907", "Russia, Land and People, 1905", "Anon", 1907),
        ("Bede, 731", "Bede", None, 731),
        ("History, Leon Trotsky (1932)", "History", "Leon Trotsky", 1932),
        ("1984, George Orwell", "1984", "George Orwell", None),
    ],
)
def test_parse_citation(raw: str, title: str, author: str | None, year: int | None) -> None:
    c = parse_citation(raw)
    assert (c.raw, c.title, c.author, c.year) == (raw, title, author, year)


# --- prose -------------------------------------------------------------------------------


def test_prose_sentences_blockquote_footnote() -> None:
    doc = read_document(FIXTURES / "essay.md")
    assert doc.format == "prose"
    texts = [c.text for c in doc.claims]
    assert texts == [
        "The Congress met in the Smolny Institute.",
        "Mr. Kerensky had left the city, e.g. by car, before dawn.",
        "Its delegates, among them O. S. Ostrovsky, voted 2.5 times over.",
        "The Winter Palace was taken on the night of 25 October.",
        "Kerensky fled in a car of the American embassy.",  # footnote marker removed
        "St. Petersburg was then called Petrograd.",
    ]
    assert [c.line for c in doc.claims] == [3, 3, 4, 6, 11, 11]
    quoted = doc.claims[3].evidence
    assert len(quoted) == 1 and quoted[0].line == 8
    assert quoted[0].quote == "The Winter Palace was taken at 2 a.m."
    assert (quoted[0].citation.title, quoted[0].citation.year) == ("Ten Days That Shook the World", 1919)
    note = doc.claims[4].evidence
    assert len(note) == 1 and note[0].line == 13
    assert note[0].quote == "Kerensky had fled in a car flying the American flag"
    assert note[0].citation.author == "John Reed"
    assert all(not c.evidence for c in doc.claims if c.id not in (4, 5))


def test_prose_blockquote_goes_to_last_sentence(tmp_path: Path) -> None:
    text = (
        "First claim here. Second claim here.\n"
        "> “Quoted words.”\n"
        "> -- Some Book, Some One\n\n"
        "Third claim.[^a]\n\n"
        "[^a]: `Backticked words` Other Book, Other Author, 1920\n"
    )
    doc = read_document(write(tmp_path, "p.md", text))
    first, second, third = doc.claims
    assert first.evidence == []
    assert second.evidence[0].quote == "Quoted words."
    assert second.evidence[0].citation.author == "Some One"
    assert third.evidence[0].quote == "Backticked words"
    assert third.evidence[0].citation.title == "Other Book"
    assert third.evidence[0].citation.year == 1920


def test_prose_undefined_footnote(tmp_path: Path) -> None:
    p = write(tmp_path, "p.md", "Intro.\n\nA claim.[^9]\n")
    with pytest.raises(InputError) as err:
        read_document(p)
    assert err.value.line == 3 and "[^9]" in err.value.message


# --- JSON Lines --------------------------------------------------------------------------


def test_jsonl_fixture() -> None:
    doc = read_document(FIXTURES / "claims.jsonl")
    assert doc.format == "jsonl"
    assert [(c.id, c.line) for c in doc.claims] == [(7, 1), ("q2", 3), (3, 4)]  # ids as given
    ev = doc.claims[0].evidence
    assert ev[0].citation.author == "John Reed" and ev[0].line == 1
    assert ev[1].quote == "Kerensky had fled." and ev[1].citation is None
    assert doc.claims[1].evidence == []
    assert doc.claims[2].evidence[0].quote == "Trotsky was its chairman."


# --- bad input ---------------------------------------------------------------------------


def raises(path: Path, fragment: str, line: int | None = None, **kw: str) -> InputError:
    with pytest.raises(InputError) as err:
        read_document(path, **kw)
    assert fragment in err.value.message
    assert err.value.line == line
    assert err.value.path == str(path)
    assert str(err.value).startswith(str(path))
    return err.value


def test_missing_file(tmp_path: Path) -> None:
    raises(tmp_path / "nope.md", "no such file")


def test_directory(tmp_path: Path) -> None:
    raises(tmp_path, "directory")


def test_empty_file(tmp_path: Path) -> None:
    raises(write(tmp_path, "e.md", ""), "empty")
    raises(write(tmp_path, "w.md", "  \n\n"), "empty")


def test_binary_file(tmp_path: Path) -> None:
    p = tmp_path / "b.md"
    p.write_bytes(b"- claim\n\x00\x01\x02")
    raises(p, "binary")


def test_latin1_file(tmp_path: Path) -> None:
    p = tmp_path / "l.md"
    p.write_bytes("- First claim.\n- Second claim.\n- Caf\u00e9 claim.\n".encode("latin-1"))
    raises(p, "UTF-8", line=3)


def test_no_claims(tmp_path: Path) -> None:
    raises(write(tmp_path, "h.md", "# Only a heading\n\n## And another\n"), "no claims")


def test_unknown_format(tmp_path: Path) -> None:
    raises(write(tmp_path, "a.md", "- claim\n"), "unknown document format", format="xml")


def test_unclosed_quote(tmp_path: Path) -> None:
    text = "- Claim.\n    - `Fine.` - T, A\n    - `Never closed - T, A\n- Next claim.\n"
    raises(write(tmp_path, "u.md", text), "never closed", line=3)


def test_unclosed_curly_quote(tmp_path: Path) -> None:
    raises(write(tmp_path, "u.md", "- Claim.\n  - \u201cOpen only - T\n"), "never closed", line=2)


def test_nested_bullet_without_quote(tmp_path: Path) -> None:
    raises(write(tmp_path, "n.md", "- Claim.\n\n- Claim two.\n    - see Pipes, 1995\n"), "no quotation", line=4)


def test_evidence_before_claim(tmp_path: Path) -> None:
    p = write(tmp_path, "n.md", "  - `quote` - T\n- claim\n")
    raises(p, "before any claim", line=1, format="outline")


def test_malformed_json(tmp_path: Path) -> None:
    raises(write(tmp_path, "m.jsonl", '{"claim": "ok", "evidence": []}\n\n{"claim": oops}\n'), "not valid JSON", line=3)


def test_jsonl_row_without_claim(tmp_path: Path) -> None:
    raises(write(tmp_path, "m.jsonl", '{"claim": "ok", "evidence": []}\n{"evidence": ["x"]}\n'), '"claim"', line=2)


def test_jsonl_bad_evidence(tmp_path: Path) -> None:
    raises(write(tmp_path, "m.jsonl", '{"claim": "ok", "evidence": [3]}\n'), "evidence item", line=1)


# --- render_outline ----------------------------------------------------------------------


def test_render_outline_no_additions_is_identity(example: Path) -> None:
    text = example.read_text(encoding="utf-8")
    assert render_outline(text, {}) == text


def test_render_outline_appends_in_style(example: Path, tmp_path: Path) -> None:
    text = example.read_text(encoding="utf-8")
    quote = "The Winter Palace was taken at 2 a.m."
    cite = "Ten Days That Shook the World, John Reed, 1919"
    out = render_outline(text, {8: [(quote, cite)], 11: [(quote, cite), ("Two", "B, C")], 1: [("One", "")]})
    new_lines = {
        f"    - `{quote}` - {cite}",
        "    - `Two` - B, C",
        "    - `One`",
    }
    # Every original byte is kept: dropping the added lines gives the document back.
    kept = [ln for ln in out.split("\n") if ln not in new_lines]
    assert "\n".join(kept) == text
    assert out.split("\n")[1] == "    - `One`"  # right after claim 1
    assert out.split("\n")[11] == f"    - `{quote}` - {cite}"  # after claim 5's evidence
    assert not out.endswith("\n")  # the example has no final newline, and still has none
    doc = read_document(write(tmp_path, "out.md", out))
    ev = {c.line: c.evidence for c in doc.claims}
    assert [c.text for c in doc.claims] == [c.text for c in read_document(example).claims]
    five = doc.claims[4].evidence
    assert len(five) == 3 and five[2].quote == quote and five[2].citation.author == "John Reed"
    six = doc.claims[5].evidence
    assert [(e.quote, e.citation.title) for e in six] == [(quote, "Ten Days That Shook the World"), ("Two", "B")]
    assert doc.claims[0].evidence[0].quote == "One" and doc.claims[0].evidence[0].citation is None
    assert len(ev) == 6


def test_render_outline_copies_style_and_keeps_crlf() -> None:
    text = "* Claim.\r\n  * \u201cOld.\u201d \u2014 T, A\r\n\r\n* Bare claim.\r\n"
    out = render_outline(text, {1: [("New", "X, Y, 1900")], 4: [('Has "inner" quotes', "Z")]})
    assert out == (
        "* Claim.\r\n  * \u201cOld.\u201d \u2014 T, A\r\n  * \u201cNew\u201d - X, Y, 1900\r\n"
        "\r\n* Bare claim.\r\n  * \u201cHas \"inner\" quotes\u201d - Z\r\n"
    )


def test_render_outline_default_style() -> None:
    assert render_outline("- A claim.\n", {1: [("Q", "T")]}) == "- A claim.\n    - `Q` - T\n"


def test_render_outline_unknown_line() -> None:
    with pytest.raises(ValueError):
        render_outline("- A claim.\n", {2: [("Q", "T")]})
