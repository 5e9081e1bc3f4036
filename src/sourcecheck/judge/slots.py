"""Typed slots of a claim's part, compared with the evidence sentence that best supports the rest.

SLOT RULE (a rule of the judge; it outranks the model and word coverage): each year, number, month,
day, person, place and negation of a part is looked for in the evidence as a *value*
(quantities.py: "25,000" is "twenty-five thousand"; quotes/fold.py's spellings: Trotzky is Trotsky).

- A value found in the aligned sentence agrees, and one found anywhere else in the evidence agrees
  unless the aligned sentence is the part's own (OWN_SENTENCE) and holds a different value.
- A value not found, where the aligned sentence (the one that shares most of the part's other words)
  holds a *different* value of the same type, is a conflict: the part is contradicted, and the
  report names both values. This is the swapped-value claim a fact-checker checks first ("Reed
  arrived in Petrograd in 1915" against "... in September 1917"), which a small model calls supported
  because every other word matches.
- A value not found, with no value of its type in the aligned sentence, leaves the slot not
  addressed: the part is never supported on the strength of its other words.

Guards, each against a false alarm seen in history texts:
- the aligned sentence must share at least ALIGNED of the part's other content words: otherwise its
  year or name is about something else; for a negation, REST_NEGATION both ways (the sentence says no
  more than the part), since a negation in another clause of the sentence denies something else;
- the other value must be one the part does not state itself ("The October Revolution followed the
  February Revolution" against "It followed the February Revolution");
- a day or month differing by the Julian-Gregorian shift (12-13 days in 1700-1917; "25 October" and
  "7 November" are one day) is no conflict, since the calendar is the dates check's business;
- a count compares with a count of the same thing: a number followed by a noun conflicts only with a
  number followed by the same noun, where either has one ("5,000 sailors" against "12 ships" is not
  a swap).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from ..dates.places import PLACES
from ..quotes.fold import SPELLINGS
from .quantities import MONTHS, ONES, SCALES, TENS, Quantity, day_dates, quantities
from .windows import STOP, content_words

PLACE_WORDS = {w for words in PLACES.values() for w in words}
NUMBER_WORDS = set(ONES) | set(TENS) | set(SCALES)
ALIGNED = 0.6  # share of the part's other content words the aligned sentence must hold
REST_NEGATION = 0.8
# A value found anywhere in the evidence agrees, since a claim may join two sentences ("in 1917 ... and
# in 1918 ..."), each value from its own; but a sentence that repeats this share of the part's other
# words is the part's own, and its different value is the one the claim changed ("By 1920 cultivated
# land had shrunk to 62%" against "By 1921 ...", with 1920 named in the next sentence).
OWN_SENTENCE = 0.9
JULIAN_SHIFT = (12, 13)
NEGATION = re.compile(r"\b(?:not|never|no|none|nor|neither|without)\b|n't\b", re.I)
NAME = re.compile(r"\b[A-Z][a-z]+(?:[-'’][A-Z]?[a-z]+)?\b")
NOT_NAMES = {m.capitalize() for m in MONTHS} | {"The", "A", "An", "In", "On", "At", "By", "Of", "For", "From", "To",
                                                "After", "Before", "During", "When", "While", "It", "He", "She",
                                                "They", "We", "His", "Her", "Their", "This", "That", "There",
                                                "But", "And", "As", "With", "Monday", "Tuesday", "Wednesday",
                                                "Thursday", "Friday", "Saturday", "Sunday", "According", "Old",
                                                "New", "Style"}


@dataclass(frozen=True)
class Conflict:
    kind: str  # year | number | month | day | person | negation
    claim_value: str
    evidence_value: str
    sentence: str

    def note(self) -> str:
        return f"\u2717 {self.claim_value} \u2190 the evidence says \u201c{self.evidence_value}\u201d"


@dataclass(frozen=True)
class SlotReading:
    conflict: Conflict | None = None
    missing: tuple[str, ...] = ()  # "year 1915": slots with no value of their type in the aligned sentence

    def note(self) -> str:
        if self.conflict:
            return self.conflict.note()
        return "not addressed: the evidence gives no " + ", ".join(self.missing) if self.missing else ""


def _fold(word: str) -> str:
    w = word.lower().strip("'’")
    return SPELLINGS.get(w, w)


def names(text: str) -> list[str]:
    """Capitalised words that may name a person or place: not a sentence's first word (unless two
    capitalised words run together), not a month, weekday or function word."""
    out = []
    for m in NAME.finditer(text):
        w = m.group()
        if w in NOT_NAMES or w.lower() in STOP:
            continue
        before = text[:m.start()].rstrip()
        if (not before or before[-1] in ".!?\"“(") and not re.match(r"\s+[A-Z]", text[m.end():]):
            continue
        out.append(w)
    return out


def _stem(w: str) -> str:
    return w[:5]


def _rest_share(part: str, sentence: str, drop: set[str]) -> float:
    words = [w for w in content_words(part) if w not in drop]
    if not words:
        return 0.0
    have = {_stem(w) for w in content_words(sentence)}
    return sum(_stem(w) in have for w in words) / len(words)


def rest_share(claim: str, sentence: str) -> float:
    """The share of the claim's content words (less its slot values) the sentence holds."""
    slot_words = set(MONTHS) | NUMBER_WORDS | {w for w in content_words(claim) if any(c.isdigit() for c in w)}
    return _rest_share(claim, sentence, slot_words)


def _unit(text: str, q: Quantity) -> str | None:
    m = re.match(r"\s+([a-z]{3,})", text[q.end:])
    return _stem(m.group(1)) if m and m.group(1) not in STOP else None


def read_slots(part: str, aligned: str, evidence: str) -> SlotReading:
    """The SLOT RULE (module docstring) for one part against its aligned sentence and all its evidence."""
    # The rest of the part: its words less the slot values that may differ (numbers, months, number
    # words, and names the aligned sentence lacks); a name both share counts as shared.
    low = aligned.lower()
    slot_words = {w.lower() for w in names(part) if w.lower() not in low} | set(MONTHS) | NUMBER_WORDS
    slot_words |= {w for w in content_words(part) if any(c.isdigit() for c in w)}
    share = _rest_share(part, aligned, slot_words)
    missing: list[str] = []
    conflict = (_numbers(part, aligned, evidence, share, missing) or _days(part, aligned, evidence, share, missing)
                or _people(part, aligned, evidence, share, missing) or _negation(part, aligned, evidence))
    return SlotReading(conflict, tuple(missing))


def _numbers(part: str, aligned: str, evidence: str, share: float, missing: list[str]) -> Conflict | None:
    ev_all = quantities(evidence)
    ev_sent = quantities(aligned)
    part_qs = quantities(part)
    for q in part_qs:
        def agrees(es: list[Quantity], q: Quantity = q) -> bool:
            return any(q.agrees(e) for e in es if e.year == q.year)
        if agrees(ev_sent) or (agrees(ev_all) and share < OWN_SENTENCE):
            continue
        kind = "year" if q.year else "number"
        others = [e for e in ev_sent if e.year == q.year and not any(e.agrees(p) for p in part_qs)]
        unit = _unit(part, q)
        if not q.year:
            others = [e for e in others if unit is None or _unit(aligned, e) in (None, unit)]
        if others and share >= ALIGNED:
            return Conflict(kind, q.text, _context(aligned, others[0].start, others[0].end), aligned)
        missing.append(f"{kind} {q.text}")
    return None


def _days(part: str, aligned: str, evidence: str, share: float, missing: list[str]) -> Conflict | None:
    ev_days = day_dates(evidence)
    for d in day_dates(part):
        if any((e.day, e.month) == (d.day, d.month) for e in ev_days):
            continue
        own = {(p.day, p.month) for p in day_dates(part)}
        candidates = [e for e in day_dates(aligned) if (e.day, e.month) not in own]
        shifted = [e for e in candidates if _day_gap(d.day, d.month, e.day, e.month) not in JULIAN_SHIFT]
        if shifted and share >= ALIGNED and len(shifted) == len(candidates):
            return Conflict("day", d.text, _context(aligned, shifted[0].start, shifted[0].end), aligned)
        missing.append(f"day {d.text}")
    part_days = {(d.start, d.end) for d in day_dates(part)}
    ev_low = evidence.lower()
    for m in re.finditer(r"\b(" + "|".join(x.capitalize() for x in MONTHS) + r")\b", part):
        if any(a <= m.start() < b for a, b in part_days) or m.group().lower() in aligned.lower() \
                or (m.group().lower() in ev_low and share < OWN_SENTENCE):
            continue
        # A month the part names itself is no other value: "The October Revolution followed the February
        # Revolution" against "It followed the February Revolution" swaps nothing.
        months = [x for x in re.finditer(r"\b(" + "|".join(x.capitalize() for x in MONTHS) + r")\b", aligned)
                  if x.group().lower() not in part.lower()]
        adjacent = any(abs(MONTHS.index(x.group().lower()) - MONTHS.index(m.group().lower())) in (1, 11)
                       for x in months)
        if months and share >= ALIGNED and not (adjacent and day_dates(aligned)):
            return Conflict("month", m.group(), _context(aligned, months[0].start(), months[0].end()), aligned)
        missing.append(f"month {m.group()}")
    return None


def _day_gap(d1: int, m1: int, d2: int, m2: int) -> int:
    days_in = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
    a = sum(days_in[: m1 - 1]) + d1
    b = sum(days_in[: m2 - 1]) + d2
    return abs(a - b)


def _name_runs(text: str) -> list[re.Match[str]]:
    """Names as runs of capitalised words ("Boris Pasternak's", "Central Committee"): a swap replaces a
    whole name, and a word-by-word reading lost two words of one name and called it no swap."""
    word = r"[A-Z][a-z]+(?:[-'’][A-Z]?[a-z]+)?"
    return [m for m in re.finditer(rf"\b{word}(?:\s+{word})*\b", text)]


def _name_words(run: str) -> list[str]:
    return [w for w in NAME.findall(run) if w not in NOT_NAMES and w.lower() not in STOP]


def _people(part: str, aligned: str, evidence: str, share: float, missing: list[str]) -> Conflict | None:
    """A name of the part the evidence lacks (by spelling fold and stem), where the aligned sentence
    names someone the part does not, in the same place: a swapped name. A name only missing is no
    slot left open (a person is often named another way: "the Tsar" for Nicholas), so it adds nothing
    to ``missing``."""
    # Found anywhere in the evidence, a name agrees; in the part's own sentence (OWN_SENTENCE), only there.
    seen = aligned if share >= OWN_SENTENCE else evidence
    ev_words = {_stem(_fold(w)) for w in re.findall(r"[A-Za-z]+(?:[-'’][A-Za-z]+)*|[A-Za-z]+", seen)}
    ev_words |= {_stem(_fold(w)) for w in re.findall(r"[A-Za-z]+", seen)}
    short = {w for w in re.findall(r"\b[A-Z][a-z]{0,3}\b", seen)}
    lost = _lost_names(part, lambda w: _stem(_fold(w)) in ev_words or any(abbreviates(a, w) for a in short))
    if len(lost) != 1 or share < 0.7:
        return None
    folded_part = {_stem(_fold(w)) for w in re.findall(r"[A-Za-z]+", part)}
    part_words = re.findall(r"\b[A-Z][a-z]+\b", part)
    # In the evidence a sentence's first word may be the name ("Serov painted it"): any capitalised word.
    new = _lost_names(aligned, lambda w: _stem(_fold(w)) in folded_part or any(abbreviates(w, b) for b in part_words))
    placed = [n for n in new if _same_place(part, lost[0], aligned, n)]
    if not placed:
        return None
    name = part[lost[0][0]: lost[0][1]]
    kind = "place" if name in PLACE_WORDS or any(w in PLACE_WORDS for w in _name_words(name)) else "name"
    return Conflict(kind, name, _context(aligned, placed[0][0], placed[0][1]), aligned)


def abbreviates(short: str, long: str) -> bool:
    """Whether `short` is an abbreviation of `long` ("St" of "Saint", "Gen" of "General", "Mt" of "Mount"):
    at most four letters, the same first letter, the rest in order within the long word. Without it
    "Saint Petersburg" against "St. Petersburg" read as a swapped name."""
    if not 2 <= len(short) <= 4 or len(long) <= len(short) or short[0].lower() != long[0].lower():
        return False
    rest = iter(long[1:].lower())
    return all(c in rest for c in short[1:].lower())


def _lost_names(text: str, known: Callable[[str], bool]) -> list[tuple[int, int]]:
    """Spans of the name words of `text` that are not `known`, consecutive ones of a run joined: in "The
    Smolny Soviet" only "Smolny" is lost where the other side says "The Petrograd Soviet", and "Boris
    Pasternak's" is one lost name where it says "Wrangel's"."""
    spans: list[tuple[int, int]] = []
    for run in _name_runs(text):
        group: list[tuple[int, int]] = []
        for w in NAME.finditer(run.group()):
            word = w.group()
            if word not in NOT_NAMES and word.lower() not in STOP and not known(word):
                group.append((run.start() + w.start(), run.start() + w.end()))
            elif group:
                spans.append((group[0][0], group[-1][1]))
                group = []
        if group:
            spans.append((group[0][0], group[-1][1]))
    return spans


def _neighbours(text: str, span: tuple[int, int]) -> tuple[str, str]:
    left = re.findall(r"[A-Za-z]+", text[: span[0]])
    right = re.findall(r"[A-Za-z]+", text[span[1]:])
    return (left[-1].lower() if left else ""), (right[0].lower() if right else "")


def _same_place(part: str, lost: tuple[int, int], aligned: str, new: tuple[int, int]) -> bool:
    """The new name stands where the lost one stood: a neighbouring word in common ("Lenin arrived" /
    "Trotsky arrived"), or agent and subject ("painted by Repin" / "Serov painted"). Without it, any
    other name in the sentence ("a car from the American embassy") reads as a swap of a place the
    sentence only paraphrases ("fled Petrograd" / "fled the city")."""
    (pl, pr), (al, ar) = _neighbours(part, lost), _neighbours(aligned, new)
    if (pl and pl == al) or (pr and pr == ar):
        return True
    return (pl == "by" or not pl) and (not al or al == "by")


def _negation(part: str, aligned: str, evidence: str) -> Conflict | None:
    neg_part, neg_sent = NEGATION.search(part), NEGATION.search(aligned)
    if bool(neg_part) == bool(neg_sent):
        return None
    drop = {"not", "never", "no", "none", "nor", "neither", "without"}
    # Both ways: the sentence must say no more than the part, or its negation may belong to another
    # clause ("they would not listen" beside the part "in vain he tried to argue").
    if _rest_share(part, aligned, drop) < REST_NEGATION or _rest_share(aligned, part, drop) < REST_NEGATION:
        return None
    # The negated word must be one the other side has: "they would not listen" denies nothing of the
    # part "in vain he tried to argue, to explain" that was cut from the same sentence.
    neg, other = (neg_part, aligned) if neg_part else (neg_sent, part)
    assert neg is not None
    # And the denying clause must be the other side's own: "Kerensky was not arrested, but the ministers
    # were arrested" denies nothing of "the ministers were arrested" (its clause shares one word of two).
    clause = _clause(neg.string, neg.start())
    negated = negated_words(neg)
    have = {_stem(w) for w in content_words(other)}
    if negated and not any(_stem(w) in have for w in negated):
        return None
    words = [w for w in content_words(clause) if w not in drop]
    if words and sum(_stem(w) in have for w in words) / len(words) < ALIGNED:
        return None
    if neg_part:
        return Conflict("negation", neg_part.group(), "no denial: " + _context(aligned, 0, min(len(aligned), 60)), aligned)
    assert neg_sent is not None
    return Conflict("negation", "no denial", _context(aligned, neg_sent.start(), neg_sent.end()), aligned)


def _context(text: str, start: int, end: int, width: int = 24) -> str:
    """A value with a few words either side: "in September 1917"."""
    left = text[max(0, start - width): start]
    left = left[left.find(" ") + 1:] if " " in left and start - width > 0 else left
    right = text[end: end + width]
    right = right[: right.rfind(" ")] if " " in right and end + width < len(text) else right
    return (left + text[start:end] + right).strip(" ,;")


CLAUSE_BREAK = re.compile(r"[:;,]\s+|\s+but\s+")


def negated_words(neg: re.Match[str]) -> list[str]:
    """What a negation denies: the first three content words after it, within its clause (up to a
    colon, semicolon, full stop or "but"; a comma may stand inside: "did not, as a whole, fight")."""
    after = re.split(r"[:;.]|\bbut\b", neg.string[neg.end():], maxsplit=1)[0]
    return content_words(after)[:3]


def _clause(text: str, at: int) -> str:
    """The clause of `text` around position `at`, between clause breaks (a colon, semicolon, comma, "but")."""
    starts = [m.end() for m in CLAUSE_BREAK.finditer(text) if m.end() <= at]
    ends = [m.start() for m in CLAUSE_BREAK.finditer(text) if m.start() >= at]
    return text[(starts[-1] if starts else 0): (ends[0] if ends else len(text))]


def denial_elsewhere(part: str, sentence: str) -> tuple[str, str] | None:
    """NEGATION ELSEWHERE: the sentence without its clauses that deny something the part does not
    name, and the first such clause; None where there is none, or where the part denies something
    itself. The false alarm: "Alexander Kerensky, the head of the government, was not among them: he
    had left the city by car ... to look for loyal troops" was a contradiction (0.91) of "Kerensky left
    Petrograd ... to look for loyal troops", the model reading the denial of one clause (he was not
    among the arrested) into the next. A denying clause that shares a content word with the part
    stays: what a clause denies is the words after its negation (`negated_words`), so "the garrison did
    not, as a whole, fight" still denies "the garrison fought", and "was not among them:" denies
    nothing the part says."""
    if NEGATION.search(part):
        return None
    clauses = re.split(r"(?<=[:;])\s+|\s+(?=but\b)", sentence)
    have = {_stem(w) for w in content_words(part)}
    gone = [c for c in clauses if (m := NEGATION.search(c)) and not any(_stem(w) in have for w in negated_words(m))]
    kept = [c for c in clauses if c not in gone]
    if not gone or not kept:
        return None
    return " ".join(kept), gone[0].strip(" ,;:")

