"""Which stretches of a source's text are never passages that search returns.

Search proposes passages as evidence, so a passage must be prose a reader could quote for a claim.
Text converted from Wikipedia, HTML or a book also holds tables, timelines, link lists, reference
lists and headings; they share a claim's names and dates, so BM25 ranks them high (a table rule
``+----+`` row of the Russian Revolution page was the first suggestion for five of the six claims of
the real example), and the judge, reading a scrap, calls it partly supported.

Each rule below names the false alarm it prevents. A dropped stretch stays in the source's text: a
quotation is located in the whole text (quotes/), so a quotation of a table cell is still found;
only search (passages, their full-text index and their vectors) leaves it out.

INVARIANT: the rules read only the text given (a block and the heading above it), so a library
built twice from the same text has the same passages, in SQLite and PostgreSQL alike.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["RULES", "HygieneRule", "block_fault", "end_matter", "is_heading", "markup_debris", "passage_fault",
           "sentence_fault"]


@dataclass(frozen=True)
class HygieneRule:
    name: str
    prevents: str  # the false alarm a passage of this kind would raise as a suggestion


RULES = (
    HygieneRule("table", "a table rule (`+----+`) or a row of cells suggested as evidence: it shares the "
                "claim's names and dates, and says nothing a reader can quote"),
    HygieneRule("date_list", "a timeline's bare dates (\"1916 January-December 1916 6 February ...\") "
                "suggested for a dated claim: every date matches, no fact is stated"),
    HygieneRule("navigation", "a list of link titles (\"See also\", \"Leninism - October Revolution - ...\") "
                "or a letterhead suggested as evidence: the claim's nouns, no statement"),
    HygieneRule("references", "a reference list or an external-links entry suggested as evidence: a book's "
                "title about the claim's subject is not a passage that supports it"),
    HygieneRule("heading", "a heading alone (\"Chronology of the 1917 revolutions\") suggested as "
                "evidence: a title matches the claim's words, and asserts nothing"),
    HygieneRule("markup", "an article's lead suggested with the wiki markup left before it (\"]] '' headline "
                "from 9 November 1917]] The OCTOBER REVOLUTION ...\"): a caption's leftovers read as the "
                "passage's first words"),
)
NAMES = tuple(r.name for r in RULES)

# -- tables ------------------------------------------------------------------------------------
# Pandoc's grid tables (`+---+---+`, `| cell | cell |`, `+===+`), simple tables' rules
# (`-------- -------`), and text laid out in columns (two or more gaps of 3+ spaces inside a line).
_GRID = re.compile(r"^\s*(?:[+|].*[+|]\s*$|\+[-=:+]{3,})")
_RULE = re.compile(r"^\s*[-=_*]{3,}(?:\s+[-=_*]{3,})*\s*$")
_COLUMN_GAP = re.compile(r"[^\s\-*•+] {3,}(?=\S)")  # not after a list marker ("-   Leninism")


def _table_line(line: str) -> bool:
    return bool(_GRID.match(line) or _RULE.match(line) or len(_COLUMN_GAP.findall(line)) >= 2)


_SIMPLE_RULE = re.compile(r"^\s*-{3,}(?:\s+-{3,})+\s*$")  # a simple table's rule under its column heads
_ONE_GAP = re.compile(r"\S {2,}(?=\S)")


def _is_table(lines: list[str]) -> bool:
    """Half the lines or more are table lines (a grid, a rule, columns); under a simple table's rule
    one gap between two columns is enough ("1862-69     6")."""
    simple = any(_SIMPLE_RULE.match(x) for x in lines)
    return sum(_table_line(x) or (simple and bool(_ONE_GAP.search(x))) for x in lines) * 2 >= len(lines)


# -- dates -------------------------------------------------------------------------------------
_MONTHS = ("january february march april may june july august september october november december "
           "jan feb mar apr jun jul aug sep sept oct nov dec").split()
_DATE_WORD = re.compile(r"^(?:\d+(?:st|nd|rd|th)?|[0-9:.,/–—-]+|(?:" + "|".join(_MONTHS)
                        + r")|bc|ad|bce|ce|c|o\.?s|n\.?s)$", re.I)
_TOKEN = re.compile(r"[^\W_]+(?:[–—-][^\W_]+)*", re.U)
DATE_SHARE = 0.7  # share of a stretch's words that are dates or numbers, at or above which it states no fact
DATE_MIN = 4  # at least this many date words: "In 1917 Lenin" is a sentence, "1916 6 February 1916" a list


def _is_date_list(text: str) -> bool:
    words = _TOKEN.findall(text)
    dated = sum(all(_DATE_WORD.match(p) for p in re.split(r"[–—-]", w) if p) for w in words)
    return dated >= DATE_MIN and dated >= DATE_SHARE * len(words)


# -- lists, navigation, references -------------------------------------------------------------
_ITEM = re.compile(r"^\s*(?:[-*•+]|\d+[.)])\s+")
# A sentence's end, with closing quotes, brackets and footnote marks after it ("... academies.[6]"); a
# colon ends a line that introduces a list or a formula, which is no heading either.
_SENTENCE_END = re.compile(r"[.!?…:][\"'”’)\]]*(?:\[\d+\])*\s*$")
SHORT_ITEM_WORDS = 8  # a list item this short without a full stop is a link title, not a statement
SHORT_LINE_WORDS = 5  # a line this short without a full stop, in a block of such lines: a letterhead, an address
# A line is a citation when it has a reference's own marks (ISBN, DOI, "Retrieved", a URL, "pp. 12"), or
# when it is a list item or a numbered note that names an author ("Pipes, Richard." / "Wood, 1979.")
# with a year or an italic title. Prose has neither: "Commander-in-Chief, Kerensky. He" starts no item.
_CITATION_MARK = re.compile(r"\bISBN\b|\bdoi:|\bRetrieved\b|https?://|\bwww\.|\b\w+\.(?:com|org|net)\b|\bpp?\.\s*\d"
                            r"|\barchived\b", re.I)
# The item opens with the author: "Pipes, Richard." / "[4] David Mandel, The ..." / "Wood, 1979."
_AUTHOR_ITEM = re.compile(r"^\s*(?:[-*•]\s+|\[\d+\]\s*)[A-Z][\w'’-]+(?:\s[A-Z][\w'’.-]+)?,\s+(?:[A-Z]|\d{4})")
_YEAR_OR_TITLE = re.compile(r"\b1[5-9]\d\d\b|\b20\d\d\b|_[^_]+_")
_NOTE = re.compile(r"^\s*\[\d+\]")


def _citation_line(line: str) -> bool:
    if _CITATION_MARK.search(line):
        return True
    return bool(_AUTHOR_ITEM.match(line) and _YEAR_OR_TITLE.search(line))


_CATEGORY = re.compile(r"^\s*Category:", re.M)
_BARE_MARKERS = re.compile(r"^[\s\-*•.]*$")  # "-   -   -   -" or "-   ." (a list whose links were lost)

# Headings under which everything, up to the next heading of another kind, is end matter. Not "Sources"
# (a physics page's section on field sources) nor "Literature" (a section on novels): their lists are
# caught by the citation and navigation rules.
END_MATTER = frozenset({
    "references", "bibliography", "further reading", "external links", "see also", "works cited",
    "citations", "notes and references", "references and notes", "general references",
    "selected bibliography", "external link"})  # not "Literature": in English a section on novels


def _words(text: str) -> int:
    return len(text.split())


def _is_navigation(lines: list[str]) -> bool:
    """A block of short lines none of which is a sentence: link lists, categories, letterheads."""
    if _CATEGORY.search("\n".join(lines)) or all(_BARE_MARKERS.match(x) for x in lines):
        return True
    if len(lines) < 2 and not _ITEM.match(lines[0]):
        return False
    short = 0
    for line in lines:
        body = _ITEM.sub("", line, count=1)
        limit = SHORT_ITEM_WORDS if _ITEM.match(line) else SHORT_LINE_WORDS
        if _words(body) <= limit and not _SENTENCE_END.search(body):
            short += 1
    return short * 4 >= len(lines) * 3  # three in four lines short: a dated line does not make a letterhead prose


def _is_references(lines: list[str]) -> bool:
    """Half the lines or more read as citations (ISBN, a URL, "Retrieved", "Surname, Given.")."""
    return sum(_citation_line(x) for x in lines) * 2 >= len(lines)


# -- headings ----------------------------------------------------------------------------------
HEADING_WORDS = 15  # a one-line paragraph of at most this many words without a full stop is a heading


def is_heading(block: str) -> bool:
    """One line, short, not ended as a sentence (or all capitals): "Chronology of the 1917 revolutions"."""
    text = block.strip()
    if not text or "\n" in text or _ITEM.match(text) or _words(text) > HEADING_WORDS:
        return False
    letters = [c for c in text if c.isalpha()]
    shouting = len(letters) >= 4 and all(c.isupper() for c in letters)
    return shouting or not _SENTENCE_END.search(text)


def end_matter(heading: str) -> bool:
    """Whether a heading opens a reference section ("References", "See also", "External links")."""
    return " ".join(heading.lower().strip(" #=:*_").split()) in END_MATTER


# -- the checks --------------------------------------------------------------------------------
def block_fault(block: str) -> str | None:
    """The rule that keeps a whole paragraph out of search, or None."""
    lines = [x for x in block.splitlines() if x.strip()]
    if not lines:
        return None
    if _is_table(lines):
        return "table"
    if _NOTE.match(block) and (_words(block) <= HEADING_WORDS + 10 or _is_references(lines)):
        return "references"  # a numbered note of the notes list ("[4] Wood, 1979. p. 24")
    if is_heading(block):
        return "heading"
    if _is_references(lines):
        return "references"
    if _is_date_list(block):
        return "date_list"
    if _is_navigation(lines):
        return "navigation"
    return None


# Leftovers of wiki markup a conversion left before a sentence: closing brackets, italics quotes and a
# caption's words up to the last closing bracket, then the sentence's capitalised first word.
_DEBRIS = re.compile(r"^\s*(?:(?:(?:\]\]|\[\[|\}\}|\{\{|''+|\|)[^.!?\]}]{0,80})+(?:\]\]|\}\}|'')"
                     r"|\]\]|\}\})\s*(?=[A-Z])")


def markup_debris(sentence: str) -> int:
    """How many leading characters of a sentence are wiki markup left over (0: none). The sentence
    after them stays a passage; only the leftovers are kept out of search."""
    m = _DEBRIS.match(sentence)
    return m.end() if m else 0


def sentence_fault(sentence: str) -> str | None:
    """The rule that keeps one sentence of a kept paragraph out of search (a timeline run, a cell)."""
    lines = [x for x in sentence.splitlines() if x.strip()]
    if lines and _is_table(lines):
        return "table"
    if _is_date_list(sentence):
        return "date_list"
    return None


def passage_fault(text: str) -> str | None:
    """The rules a stored passage can be checked by on its own (no heading above it): the guard search
    applies to libraries whose passages were made before these rules."""
    lines = [x for x in text.splitlines() if x.strip()]
    if not lines:
        return None
    if _is_table(lines) or "+---" in text or "+===" in text:
        return "table"
    if _is_date_list(text):
        return "date_list"
    if _is_references(lines):
        return "references"
    if _is_navigation(lines) or len(re.findall(r"(?:^|\s)[-*•]\s{2,}", text)) >= 3:  # items joined on one line
        return "navigation"
    if is_heading(text) and len(text) < 100:
        return "heading"
    return None
