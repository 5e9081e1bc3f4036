"""The claim reader: what a claim asserts, and how its evidence speaks, read before any judge.

Every judge (the cross-encoder, an LLM) reads what this gives it, so the shapes below are read once:

- A reporting frame ("Trotsky later wrote that P", "According to Reed, P", "In Reed's words, P",
  "Reed called it P") is split into the frame and its content P. P is judged against the evidence;
  the frame is checked against who speaks (the cited source's author, or a speaker the evidence
  names). Without it the judge reads "Trotsky wrote" as a fact the quotation must state, and a claim
  whose P is Trotsky's own sentence comes back not addressed.
- First person in a quotation from a source with a known author: "I / me / my" read as the author,
  "we / us / our" as the author's side, written into the evidence in brackets, as an editor marks a
  word supplied ("[Trotsky] declared"). Without it "Trotsky announced that X" against "I declared that
  X" was called contradicted: the model sees two different speakers.
- Numbers and days in the evidence's form (quantities.py): "25,000" for "twenty-five thousand".
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..quotes.fold import SPELLINGS
from ..text import fold_key
from .quantities import in_evidence_form

_WHO = r"(?P<who>[A-Z][\w.'’\- ]{1,60}?)"
_VERB = (r"(?P<verb>wrote|said|says|writes|reported|reports|argued|argues|noted|notes|claimed|claims|stated|states|"
         r"recalled|recalls|declared|announced|observed|remarked|insisted|explained|admitted|told [^,]{1,40}?)")
FRAMES = [
    re.compile(rf"^{_WHO}\s+(?:later\s+|once\s+|also\s+|famously\s+|himself\s+|herself\s+)?{_VERB}"
               rf"(?:\s+(?:to|at|in|before)\s+[^,]{{1,60}}?)?,?\s+that\s+(?P<p>.+)$"),
    re.compile(rf"^According to {_WHO},\s+(?P<p>.+)$"),
    re.compile(rf"^In {_WHO}(?:'s|’s|') (?:own )?words,\s+(?P<p>.+)$"),
    re.compile(rf"^(?P<p>.+?),\s+{_WHO}\s+{_VERB}\.?$"),
]
CALLED = re.compile(rf"^{_WHO}\s+(?:later\s+)?called\s+(?P<obj>it|them|him|her|the [^\"“]+?)\s+(?P<p>[\"“].+)$")
FIRST_PERSON = [(re.compile(r"\bI\b(?!\.)"), "[{a}]", "I"),  # a regnal number ("Nicholas I", "Alexander I") is no speaker
                (re.compile(r"\bme\b"), "[{a}]", "me"), (re.compile(r"\bmyself\b"), "[{a}]", "myself"),
                (re.compile(r"\b[Mm]y\b"), "[{a}'s]", "my"), (re.compile(r"\b[Ww]e\b"), "[{a} and his side]", "we"),
                (re.compile(r"\bus\b"), "[{a} and his side]", "us"), (re.compile(r"\b[Oo]ur\b"), "[{a}'s side's]", "our")]


@dataclass
class Frame:
    speaker: str  # as the claim names them: "Trotsky", "Reed"
    text: str  # the frame as written: "Trotsky later wrote that"
    content: str  # what the claim says the speaker said: judged against the evidence


@dataclass
class Reading:
    claim: str  # what a judge reads
    evidence: list[str]  # the quotations as a judge reads them
    frame: Frame | None = None
    notes: list[str] = field(default_factory=list)  # shown in the report: '"I" read as Trotsky'
    speaker_problem: str = ""  # a frame that names someone who does not speak here


def surname(author: str | None) -> str:
    """"Trotsky, Leon" / "Leon Trotsky" / "L. D. Trotsky" -> "Trotsky"; "" for none."""
    if not author:
        return ""
    first = re.split(r"\s+(?:and|&)\s+|;", author)[0].strip()
    if "," in first:
        return first.split(",")[0].strip()
    words = [w for w in first.split() if not w.endswith(".")]
    return words[-1] if words else first


def _fold(name: str) -> str:
    w = name.lower().strip(" .,'’")
    return SPELLINGS.get(w, w)


def split_frame(claim: str) -> Frame | None:
    """The reporting frame of a claim and its content, or None for a claim without one."""
    text = claim.strip()
    m = CALLED.match(text)
    if m:
        obj = "It" if m.group("obj") in ("it", "them", "him", "her") else m.group("obj")[0].upper() + m.group("obj")[1:]
        return Frame(m.group("who").strip(), text[: m.start("p")].strip(), f"{obj} was {m.group('p')}")
    for pattern in FRAMES:
        m = pattern.match(text)
        if m:
            who = m.group("who").strip()
            if who.split()[0] in ("It", "This", "That", "There", "The", "A", "An"):
                continue  # "It was said that ...", "The report noted that ...": no speaker named
            p = m.group("p").strip()
            p = p[0].upper() + p[1:] if p else p
            frame_text = (text[: m.start("p")] if pattern is not FRAMES[-1] else text[m.end("p"):]).strip(" ,")
            return Frame(who, frame_text, p)
    return None


def speaks(speaker: str, author: str, evidence: list[str]) -> bool:
    """Whether the speaker a frame names is the cited author (by surname, spellings folded) or is named
    in the evidence (a quotation that reports someone's words)."""
    who = _fold(surname(speaker) or speaker)
    if author and who == _fold(surname(author)):
        return True
    folded = {_fold(w) for e in evidence for w in re.findall(r"[A-Za-z’']+", e)}
    return who in folded


def first_person(quote: str, author: str) -> tuple[str, list[str]]:
    """The quotation with first person read as its author (in brackets), and the notes of each reading."""
    name = surname(author)
    if not name:
        return quote, []
    out, notes = quote, []
    for pattern, rep, word in FIRST_PERSON:
        replacement = rep.format(a=name)

        def swap(m: re.Match[str], replacement: str = replacement) -> str:
            return m.group() if _regnal(m) else replacement

        new = pattern.sub(swap, out)
        if new != out:
            notes.append(f"\u201c{word}\u201d read as {name}" + ("'s side" if "side" in rep else ""))
            out = new
    return out, list(dict.fromkeys(notes))


def _regnal(m: re.Match[str]) -> bool:
    """"Nicholas I": an "I" after a name inside a sentence is a regnal number, not a speaker."""
    before = m.string[: m.start()].rstrip()
    words = before.split()
    # After a sentence's end or a comma ("the Revolution! I returned", "Deputies, I decree") it speaks.
    if m.group() != "I" or not words or not words[-1][:1].isupper() or words[-1][-1] in ".!?,;:\"”)":
        return False
    ahead = before[: len(before) - len(words[-1])].rstrip()
    return bool(ahead) and ahead[-1] not in ".!?\"“"


def read(claim: str, quotes: list[str], authors: list[str | None]) -> Reading:
    """The claim and its quotations as a judge should read them (module docstring)."""
    evidence, notes = [], []
    # A claim in the first person itself (a memoir's words repeated) is read against the words as written.
    own_voice = bool(re.search(r"\bI\b|\b(?i:me|my|we|us|our)\b", claim))
    for q, a in zip(quotes, authors):
        text, n = first_person(q, a or "") if not own_voice else (q, [])
        evidence.append(text)
        notes += n
    frame = split_frame(claim)
    content = frame.content if frame else claim
    problem = ""
    if frame:
        cited = next((a for a in authors if a), "")
        if speaks(frame.speaker, cited or "", quotes):
            notes.append(f"frame \u201c{frame.text}\u201d: judged on what follows it")
        elif cited:
            problem = (f"the claim says {frame.speaker} said this (\u201c{frame.text}\u201d), but the quotation "
                       f"is {surname(cited)}'s and names no {frame.speaker}")
    content = in_evidence_form(content, " ".join(evidence))
    return Reading(content, evidence, frame, list(dict.fromkeys(notes)), problem)


QUOTED = re.compile(r"[\"“”„«»]([^\"“”„«»]{3,300})[\"“”„«»]")


def quoted_found(claim: str, evidence: str) -> list[tuple[int, int]]:
    """Spans of the claim's own quotation marks whose words stand in the evidence as written (quotation
    marks, case and punctuation aside): "Trotsky called it “a conspiracy of the masses”" quotes its
    source, and those words are found, not a paraphrase to be judged word by word."""
    plain = fold_key(evidence)
    return [(m.start(1), m.end(1)) for m in QUOTED.finditer(claim) if fold_key(m.group(1)) and
            f" {fold_key(m.group(1))} " in f" {plain} "]

