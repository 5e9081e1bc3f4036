"""The one text toolkit: sentences, stopwords, months, citation keys and safe display of text.

Every stage that splits sentences, drops stopwords, names a month or compares titles uses this
module, so a fix in one place (an abbreviation, a script that must not fold away) reaches all.
Everything here is linear in the size of its input: a hostile 400 KB paragraph must not take
minutes (the old prose splitter re-scanned the text before each full stop).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator

# -- sentences -------------------------------------------------------------------------------
# Written here rather than taken from pysbd, syntok or sentencex: measured on the corpus and the
# benchmarks (bench/splitter_bench.py, BENCHMARKS.md) none splits our test paragraphs better, and
# each is several times slower; this one is a single regex pass plus a bounded look-back per dot.
ABBREVIATIONS = frozenset(
    """mr mrs ms dr st prof gen col capt lt sgt maj adm gov sen rep jr sr rev hon mt ft vs etc cf al
    approx ca esp ed eds co inc ltd corp dept univ jan feb mar apr jun jul aug sep sept oct nov dec"""
    .split()
)
# Abbreviations that stand before a number ("No. 5", "vol. 2", "pp. 45"): a full stop only when no
# number follows.
NUMBER_ABBREVIATIONS = frozenset("no nos vol vols pp p ch fig art sec".split())

# A full stop, "!", "?" or an ellipsis (maybe repeated), then closing quotes, brackets or Markdown
# footnote references, then whitespace and the first visible character of what follows.
SENTENCE_END = _END = re.compile(r"[.!?\u2026]+(?:[\"'\u201d\u2019)\]]|\[\^[^\]\s]+\])*(?=\s+[\"'\u201c\u2018(\[_*]*(\S))")
_PARAGRAPH = re.compile(r"\n[ \t]*\n\s*")
_LOOKBACK = 40  # characters read before a dot to find the word it ends: bounded, so linear
_OPENING = "(\"\u201c\u2018['*_"


def _word_before(text: str, dot: int) -> str:
    """The word that ends at ``dot``, read from at most _LOOKBACK characters."""
    start = max(0, dot - _LOOKBACK)
    chunk = text[start:dot]
    cut = max(chunk.rfind(" "), chunk.rfind("\n"), chunk.rfind("\t"))
    return chunk[cut + 1:].lstrip(_OPENING)


def is_boundary(text: str, m: re.Match[str]) -> bool:
    """Whether the punctuation matched by _END ends a sentence, and not an abbreviation or initial."""
    nxt = m.group(1)
    if nxt.islower():  # "e.g. the", "... and": a new sentence does not start lower case
        return False
    punct = m.group(0)
    core = punct[: len(punct) - len(punct.lstrip(".!?\u2026"))]
    if core != ".":  # "!", "?", "...": always an end
        return True
    return not _is_abbreviation(text, m.start(), nxt)


def _is_abbreviation(text: str, dot: int, nxt: str) -> bool:
    word = _word_before(text, dot)
    if len(word) == 1 and word.isalpha():  # an initial: "O. S. Ostrovsky", "J. Reed"
        return True
    if "." in word:  # "e.g.", "U.S.", "O.S."
        return True
    lower = word.lower()
    if lower in ABBREVIATIONS:
        return True
    return lower in NUMBER_ABBREVIATIONS and nxt.isdigit()


def trim_span(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _sentence_ends(text: str, start: int, end: int) -> Iterator[int]:
    for m in _END.finditer(text, start, end):
        if is_boundary(text, m):
            yield m.end()


def split_sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence of ``text``; a blank line always ends a sentence."""
    spans: list[tuple[int, int]] = []
    para_start = 0
    breaks = [(m.start(), m.end()) for m in _PARAGRAPH.finditer(text)] + [(len(text), len(text))]
    for brk_start, brk_end in breaks:
        start = para_start
        for cut in _sentence_ends(text, para_start, brk_start):
            s, e = trim_span(text, start, cut)
            if e > s:
                spans.append((s, e))
            start = cut
        s, e = trim_span(text, start, brk_start)
        if e > s:
            spans.append((s, e))
        para_start = brk_end
    return spans


# -- stopwords -------------------------------------------------------------------------------
# Words in most passages: as search terms they make full-text search rank nearly every row
# (p50 170 ms on the 96 M-character sample) while adding nothing to the order.
STOPWORDS = frozenset("""a an the of and or but in on at to for by with from as is was were are be been being
that this these those it its his her their he she they them we you i which who whom whose what when where
while not no so than then there also has have had do did does into onto over under about after before
during since until upon out up down off""".split())


def shown_words(words: list[str]) -> list[str]:
    """The words a report lists or marks from a judge's word list: its stop words left out. The judge
    keeps them (annotators mark "is the only one" whole, and the per-word model is measured so), but
    "not covered: the, Petrograd" reads as noise, and marking every "the" of a claim hides the rest."""
    return [w for w in words if w.lower() not in STOPWORDS]


def content_words(text: str) -> list[str]:
    """Lower-cased words of ``text`` (any script) that are not stopwords."""
    return [w for w in (x.lower() for x in re.findall(r"\w+", text)) if w not in STOPWORDS]


# -- months ----------------------------------------------------------------------------------
MONTH_NAMES = ["January", "February", "March", "April", "May", "June", "July", "August",
               "September", "October", "November", "December"]
MONTHS: dict[str, int] = {n.lower(): i for i, n in enumerate(MONTH_NAMES, 1)}
MONTHS.update({n[:3].lower(): i for i, n in enumerate(MONTH_NAMES, 1)})
MONTHS["sept"] = 9


def month_name(number: int) -> str:
    return MONTH_NAMES[number - 1]


# -- keys for citation matching ----------------------------------------------------------------
def fold_key(text: str) -> str:
    """Lower case, accents off, punctuation to spaces, single spaces; letters of every script kept.

    Folding to ASCII made a Cyrillic title ("Десять дней, которые потрясли мир") an empty key,
    so its source was "not in the library"; here only combining marks go, so "Lénine" meets
    "Lenine" and "Ленин" stays "ленин".
    """
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(re.sub(r"[\W_]+", " ", bare.casefold()).split())


# -- safe display ----------------------------------------------------------------------------
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")


def escape_controls(text: str, keep_newlines: bool = True) -> str:
    """Control characters (ESC, OSC, bidi overrides...) shown as ``\\x1b``-style escapes.

    A document or a source can hold ``ESC[2J`` or an OSC title sequence; printed raw it would clear
    the reader's terminal or rename its window. Tabs (and newlines, when kept) are left alone.
    """
    def esc(m: re.Match[str]) -> str:
        ch = m.group(0)
        return f"\\x{ord(ch):02x}" if ord(ch) < 0x100 else f"\\u{ord(ch):04x}"

    out = _CONTROL.sub(esc, text)
    return out if keep_newlines else out.replace("\n", "\\n").replace("\r", "\\r")


def clean_title(text: str) -> str:
    """A one-line title: controls escaped, runs of whitespace (newlines too) made one space.

    A file name may hold a newline or ESC; as a title it would break the one-line listing of
    ``sourcecheck sources`` or reach a terminal raw.
    """
    return " ".join(escape_controls(text.replace("\r", " ").replace("\n", " ")).split())
