"""The shapes quotations take, made by rule from one sentence: shared by training and the swap bench.

One function per shape, each taking a sentence (and the source's author where the shape needs a
speaker) and returning a claim, or None where the sentence has nothing of that shape. Rewrites that
keep the meaning (a reporting frame, first person read as the author, a number written another way)
are entailed; swaps of one typed value (year, number, month, name, place, negation) contradict.

Which sentences a run may use is split by a hash of the sentence (`held_out`): the swap bench reads
only held-out sentences and training never sees them, so the bench measures what training did not fit.
"""

from __future__ import annotations

import hashlib
import random
import re

YEAR_RE = re.compile(r"\b(1[0-9]{3}|20[0-2][0-9])\b")
# Whole numbers only: a digit of a decimal ("1.5%") or a footnote is no number of its own.
NUM_RE = re.compile(r"(?<![\d.])\b\d{1,3}(?:,\d{3})+\b(?![.,]\d)|(?<![\d.])\b\d+\b(?![.,]\d)")
CAP_RE = re.compile(r"\b[A-Z][a-z]{2,}(?:\s+[A-Z][a-z]{2,})*\b")
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December"]
MONTH_RE = re.compile(r"\b(" + "|".join(MONTHS) + r")\b")
# Place names of the library's books and their near neighbours: a swap among these is a swap of place.
PLACES = ["Petrograd", "Moscow", "Kronstadt", "Kiev", "Odessa", "Smolny", "Brest-Litovsk", "Berlin", "Vienna",
          "Paris", "London", "Helsingfors", "Finland", "Germany", "Russia", "Ukraine", "Siberia", "Tsarskoye Selo"]
NEGATABLE = [(" was ", " was not "), (" were ", " were not "), (" is ", " is not "), (" are ", " are not "),
             (" has ", " has not "), (" had ", " had not "), (" did ", " did not "), (" could ", " could not "),
             (" would ", " would not "), (" will ", " will not ")]
FRAMES = ["According to {a}, {p}", "{A} wrote that {p}", "{A} reported that {p}", "{A} noted that {p}",
          "In {a}'s words, {p}", "{A} later wrote that {p}", "{A} claimed that {p}"]
ONES = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
        "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"]
TENS = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]


def held_out(sentence: str, share: int = 10) -> bool:
    """True for about 1 in `share` sentences, the same on every machine and run (not Python's hash)."""
    return int(hashlib.sha1(sentence.encode("utf-8")).hexdigest()[:8], 16) % share == 0


def number_words(n: int) -> str | None:
    """English words for 0..999,999; None beyond (a rewrite needs no more)."""
    if n < 20:
        return ONES[n]
    if n < 100:
        return TENS[n // 10] + ("" if n % 10 == 0 else "-" + ONES[n % 10])
    if n < 1000:
        rest = n % 100
        return ONES[n // 100] + " hundred" + ("" if rest == 0 else " and " + (number_words(rest) or ""))
    if n < 1_000_000:
        rest = n % 1000
        head = number_words(n // 1000)
        tail = "" if rest == 0 else (" and " if rest < 100 else " ") + (number_words(rest) or "")
        return f"{head} thousand{tail}"
    return None


def lower_first(s: str) -> str:
    """A sentence made the content of a frame: its first letter lowered unless it starts a name."""
    word = s.split(" ", 1)[0]
    if word in {"I", "I'm"} or (len(word) > 1 and word[1:].islower() and word.strip(",.") in PLACES):
        return s
    return s[0].lower() + s[1:] if s and s[0].isupper() and not s[:2].isupper() else s


def frame(sent: str, author: str, rng: random.Random) -> str | None:
    """A reporting frame around the sentence, the author as the speaker: entailed."""
    if first_person(sent, author) is not None or not author:
        return None
    pat = rng.choice(FRAMES)
    body = lower_first(sent.rstrip())
    return pat.format(a=author, A=author, p=body)


FIRST_PERSON = [(r"\bI am\b", "{A} is"), (r"\bI was\b", "{A} was"), (r"\bI have\b", "{A} has"),
                (r"\bI\b", "{A}"), (r"\bme\b", "him"), (r"\bmy\b", "his"), (r"\bMy\b", "His"),
                (r"\bmyself\b", "himself")]


def first_person(sent: str, author: str) -> str | None:
    """'I declared ...' read as '{author} declared ...': entailed (the author speaks in a memoir)."""
    # Plural first person ("we", "our") has no one third-person form; a claim keeping it is in the
    # author's own voice, which the claim reader reads as written.
    if not author or not re.search(r"\bI\b", sent) or re.search(r"\b(?i:we|us|our|ours)\b", sent):
        return None
    out = sent
    for pat, rep in FIRST_PERSON:
        out = re.sub(pat, rep.format(A=author), out)
    return out if out != sent else None


def number_form(sent: str, rng: random.Random) -> str | None:
    """The same number or date written another way: words for digits, '25th' for '25', no separators."""
    days = list(re.finditer(r"\b([1-9]|[12][0-9]|3[01]) (" + "|".join(MONTHS) + r")\b", sent))
    if days and rng.random() < 0.5:
        m = rng.choice(days)
        d = int(m.group(1))
        suffix = "th" if 10 <= d % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(d % 10, "th")
        return sent[: m.start()] + f"{m.group(2)} {d}{suffix}" + sent[m.end():]
    nums = [m for m in NUM_RE.finditer(sent) if not YEAR_RE.fullmatch(m.group())
            and not _in_date(sent, m) and int(m.group().replace(",", "")) >= 2]
    if not nums:
        return None
    m = rng.choice(nums)
    words = number_words(int(m.group().replace(",", "")))
    return None if words is None else sent[: m.start()] + words + sent[m.end():]


def _in_date(sent: str, m: re.Match[str]) -> bool:
    around = sent[max(0, m.start() - 12): m.end() + 12]
    return bool(MONTH_RE.search(around))


def swap(sent: str, kind: str, rng: random.Random, names: list[str]) -> str | None:
    """One typed value changed: year, number, month, name, place or negation. A contradiction."""
    if kind == "year" and (ms := list(YEAR_RE.finditer(sent))):
        m = rng.choice(ms)
        # A value the sentence already names would make a range collapse ("1904-1904"), not a new fact.
        ys = [y for d in (-11, -3, -2, -1, 1, 2, 5, 10) if str(y := int(m.group()) + d) not in sent]
        return sent[: m.start()] + str(rng.choice(ys)) + sent[m.end():] if ys else None
    if kind == "number":
        # A footnote marker ("[13]") or a day of a date ("25 October") is no count: changing it states
        # no other fact, or an impossible day.
        ms = [m for m in NUM_RE.finditer(sent) if not YEAR_RE.fullmatch(m.group()) and not _in_date(sent, m)
              and sent[max(0, m.start() - 1): m.start()] != "["]
        if ms:
            m = rng.choice(ms)
            v = int(m.group().replace(",", ""))
            nv = v * rng.choice([2, 3, 10]) + rng.choice([1, 3, 7]) if v < 1000 else v * rng.choice([2, 3]) + 1000
            text = f"{nv:,}" if "," in m.group() else str(nv)
            return sent[: m.start()] + text + sent[m.end():]
    if kind == "month" and (ms := list(MONTH_RE.finditer(sent))):
        m = rng.choice(ms)
        others = [o for d in (1, 2, 3, 5, 7) if (o := MONTHS[(MONTHS.index(m.group()) + d) % 12]) not in sent]
        return sent[: m.start()] + rng.choice(others) + sent[m.end():] if others else None
    if kind == "place":
        here = [p for p in PLACES if re.search(rf"\b{re.escape(p)}\b", sent)]
        if here:
            p = rng.choice(here)
            q = rng.choice([x for x in PLACES if x != p and x not in sent])
            return re.sub(rf"\b{re.escape(p)}\b", q, sent, count=1)
    if kind == "name":
        caps = [m for m in CAP_RE.finditer(sent) if m.start() > 0 and m.group() not in PLACES
                and m.group() not in MONTHS]
        cands = [n for n in names if n not in sent and n not in PLACES and n not in MONTHS]
        if caps and cands:
            m = rng.choice(caps)
            return sent[: m.start()] + rng.choice(cands) + sent[m.end():]
    if kind == "negation":
        for a, b in NEGATABLE:
            # A sentence already negative ("in no instance did ...") would read as a double negation.
            if a in sent and not re.search(r"\b(not|no|never|nothing|none|neither|nor)\b|n't", sent):
                return sent.replace(a, b, 1)
    return None


SWAPS = ("year", "number", "month", "name", "place", "negation")
