"""The records every stage passes on.

Data flows one way (read -> library -> locate -> judge -> dates -> search -> verdict ->
report); these dataclasses are the only thing the stages share. They hold plain values
so that every report format (and ``json.dumps`` via :func:`to_dict`) can be made from them.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any


class QuoteStatus(StrEnum):
    """Statuses of a located quotation (the README's public contract).

    A ``StrEnum`` so that a typo is an error where it is written, while JSON and comparisons
    with plain strings (``status == "drift"``) keep working.
    """

    EXACT = "exact"                    # the quotation's characters are in the source as they are
    NORMALIZED = "normalized"          # found once case, quotes, dashes, spaces, hyphenation are folded
    ELIDED = "elided"                  # parts around an ellipsis / [...] found in order, close together
    DRIFT = "drift"                    # only a near match: words changed, added or dropped
    ABSENT = "absent"                  # nothing close in the cited source nor anywhere in the library
    SOURCE_MISSING = "source_missing"  # the citation matches no source in the library
    WRONG_SOURCE = "wrong_source"      # not in the cited source, but found in another source


class Verdict(StrEnum):
    """What evidence does for a claim; ``no_evidence`` is a claim's verdict only (nothing was offered)."""

    SUPPORTED = "supported"
    PARTIALLY_SUPPORTED = "partially_supported"
    CONTRADICTED = "contradicted"
    NOT_ADDRESSED = "not_addressed"
    NO_EVIDENCE = "no_evidence"


class Severity(StrEnum):
    """How much a problem matters: ``error`` fails ``--fail-on error``, ``warning`` only ``--fail-on warning``."""

    ERROR = "error"
    WARNING = "warning"


class ProblemCode(StrEnum):
    """One code per kind of problem; each is documented in the README ("Problem codes")."""

    MISQUOTED = "misquoted"
    QUOTE_NOT_FOUND = "quote_not_found"
    WRONG_SOURCE = "wrong_source"
    CONTRADICTED = "contradicted"
    DATE_WRONG = "date_wrong"
    DATE_CONFLICT = "date_conflict"
    UNKNOWN_CITATION_KEY = "unknown_citation_key"
    SOURCE_NOT_IN_LIBRARY = "source_not_in_library"
    PAGE_MISMATCH = "page_mismatch"
    WRONG_SPEAKER = "wrong_speaker"
    CIRCULAR_CITATION = "circular_citation"
    PARTLY_SUPPORTED = "partly_supported"
    NOT_ADDRESSED = "not_addressed"
    NO_EVIDENCE = "no_evidence"


QUOTE_STATUSES = tuple(QuoteStatus)
# Verdicts of the judge on one piece of evidence, and of a claim.
VERDICTS = tuple(v for v in Verdict if v is not Verdict.NO_EVIDENCE)
CLAIM_VERDICTS = tuple(Verdict)


@dataclass
class Locator:
    """Where in a source a citation points: "p. 45", "pp. 45-47", "45f.", "at 45", "ch. 3"."""

    raw: str
    kind: str = "page"  # "page" | "chapter"
    first: int | None = None
    last: int | None = None  # same as first for one page; "45f." is 45-46, "45ff." is 45-47

    def label(self) -> str:
        unit = "ch." if self.kind == "chapter" else ("pp." if self.last != self.first else "p.")
        span = f"{self.first}" if self.last == self.first else f"{self.first}\u2013{self.last}"
        return f"{unit} {span}"


@dataclass
class Citation:
    """An attribution as written in a document: ``Title, Author, Year``, a key, a locator."""

    raw: str
    title: str | None = None
    author: str | None = None
    year: int | None = None
    locator: Locator | None = None  # a page or chapter; never part of the title/author/year
    key: str | None = None  # a bibliography key: Pandoc's @key, a BibTeX/CSL/RIS id
    doi: str | None = None  # a reference manager's item DOI (Word fields): matched to a bibliography entry's DOI


@dataclass
class Evidence:
    """A quotation offered in support of a claim, with its attribution."""

    quote: str
    citation: Citation | None
    line: int
    where: str | None = None  # a place that is not a line: "footnote 3" (docx), "refs.tex" (a LaTeX \input)


@dataclass
class Claim:
    """One claim of a document, with its line number (1-based) and its evidence.

    ``id`` is the claim's number in the document, or the id a JSON Lines row gives, kept as given
    (``"a1"`` stays ``"a1"``, ``7`` stays ``7``) in every report format.
    """

    id: int | str
    text: str
    line: int
    evidence: list[Evidence] = field(default_factory=list)
    citations: list[Citation] = field(default_factory=list)  # cited without a quotation (Pandoc, wikitext refs)
    anchor: int | None = None  # offset in the document where `cite` inserts a citation for it (Pandoc, wikitext)


@dataclass
class Document:
    path: str
    format: str  # "outline" | "prose" | "jsonl" | "pandoc" | "wikitext"
    claims: list[Claim]
    bibliographies: list[str] = field(default_factory=list)  # files the document names (YAML bibliography:)
    # line -> problem codes a ``<!-- sourcecheck: ignore[code, ...] -->`` on it accepts; () accepts every code
    ignores: dict[int, tuple[str, ...]] = field(default_factory=dict)


@dataclass
class SourceRef:
    """A source as every command's JSON shows it: ``{"id","title","author","year"}``."""

    id: str
    title: str
    author: str | None = None
    year: int | None = None


@dataclass
class Source:
    """A source in the library, with its whole original text."""

    id: str
    title: str
    author: str | None
    year: int | None
    path: str
    sha256: str
    text: str
    calendar: str | None = None  # "julian" | "gregorian" | None (undeclared)
    pages: list[int] = field(default_factory=list)  # start offset of each page, if any

    def ref(self) -> SourceRef:
        return SourceRef(self.id, self.title, self.author, self.year)


@dataclass
class Location:
    """A place in a source's original text: character offsets, 1-based line, page."""

    start: int
    end: int
    line: int
    page: int | None = None
    section: str | None = None  # the nearest chapter/section heading before it, where the source has them


@dataclass
class DiffOp:
    """One word-level edit between the quotation and the source's words."""

    op: str  # "equal" | "insert" | "delete" | "replace"
    quote: str  # words of the quotation
    source: str  # words of the source


@dataclass
class QuoteMatch:
    status: QuoteStatus
    source: SourceRef | None = None
    location: Location | None = None
    similarity: float = 0.0
    context: str = ""  # the source's own words around the match
    matched_text: str = ""  # the source's original text of the match
    diff: list[DiffOp] = field(default_factory=list)
    cited_source: SourceRef | None = None  # the source the citation named, if in library

    def __post_init__(self) -> None:  # stages may pass the plain string; records hold the enum
        self.status = QuoteStatus(self.status)


@dataclass
class PartEvidence:
    """The words that decide one part of a claim, and where they are.

    ``index`` points into the claim's ``evidence`` list; it is None for a passage found in the library.
    """

    index: int | None
    source: SourceRef | None
    location: Location | None
    text: str


@dataclass
class PartJudgement:
    """One atomic fact of a claim (an actor-action-object, a date, a number, a place, a qualifier)."""

    text: str
    verdict: Verdict  # supported | contradicted | not_addressed
    support: float
    contradiction: float
    evidence: PartEvidence | None = None
    kind: str = "fact"  # "fact" | "date" | "number" | "place" | "qualifier"
    note: str = ""  # why a judge left it not addressed, where it says (the LLM judge's refused quotation); "": none

    def __post_init__(self) -> None:
        self.verdict = Verdict(self.verdict)


@dataclass
class Judgement:
    """What evidence does for a claim."""

    verdict: Verdict  # one of VERDICTS
    support: float  # probability the evidence entails the claim
    contradiction: float  # probability the evidence contradicts the claim
    uncovered: list[str] = field(default_factory=list)  # claim words no evidence covers
    best_span: str | None = None  # the window of evidence that decided it
    provisional: bool = False
    parts: list[PartJudgement] = field(default_factory=list)  # the claim read part by part

    def __post_init__(self) -> None:
        self.verdict = Verdict(self.verdict)


@dataclass
class DateMention:
    """A date read from text, in both calendars where it can be known."""

    text: str
    start: int
    end: int
    gregorian: date | None = None
    julian: date | None = None
    precision: str = "day"  # "day" | "month" | "year" | "range"
    calendar: str = "unknown"  # how the text states it: "gregorian" | "julian" | "dual" | "unknown"
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # how it was read, where not stated (not problems)
    julian_text: str | None = None  # a Julian-only day (29 February 1900) that ``date`` cannot hold, as ISO text


@dataclass
class EvidenceFinding:
    evidence: Evidence
    match: QuoteMatch
    judgement: Judgement | None
    page_problem: str | None = None  # "cited p. 45, found on p. 47" where the source has pages
    page_note: str | None = None  # "page not checked: the source has no page marks" (not a problem)


@dataclass
class Problem:
    """One thing wrong with a claim, worst first in a finding's ``problems``.

    ``evidence`` is the index of the quotation it is about in the claim's evidence, or None
    when it is about the claim as a whole.
    """

    code: ProblemCode
    severity: Severity
    message: str
    evidence: int | None = None


@dataclass
class Suggestion:
    """A library passage offered as evidence for a claim: what ``find`` and ``check --suggest`` return."""

    source: SourceRef
    location: Location
    text: str  # the passage, exactly ``source.text[location.start:location.end]``
    judgement: Judgement | None  # None when ranked without the judge (``--no-rescore``)
    score: float  # the rank key of search/rerank.py's order (higher first)
    best_span: str | None = None  # the sentence(s) of the passage that decided it, when a slice of it

    @property
    def verdict(self) -> Verdict | None:
        return self.judgement.verdict if self.judgement else None

    @property
    def support(self) -> float:
        return self.judgement.support if self.judgement else 0.0


@dataclass
class Finding:
    """Everything sourcecheck says about one claim."""

    claim: Claim
    verdict: Verdict  # one of CLAIM_VERDICTS
    support: float
    contradiction: float
    uncovered: list[str]
    evidence: list[EvidenceFinding]
    dates: list[DateMention]
    problems: list[Problem]  # worst first
    suggestions: list[Suggestion] = field(default_factory=list)
    date_problems: list[str] = field(default_factory=list)  # the date findings among problems
    parts: list[PartJudgement] = field(default_factory=list)  # the claim part by part, each with its deciding words
    citation_problems: list[str] = field(default_factory=list)  # unknown keys among problems (errors)

    def __post_init__(self) -> None:
        self.verdict = Verdict(self.verdict)

    @property
    def severity(self) -> Severity | None:
        """The worst problem's severity, or None for a claim that is fine."""
        return self.problems[0].severity if self.problems else None


@dataclass
class Report:
    document: str
    library: str
    findings: list[Finding]
    judge: str = ""  # name/version of the judge that gave the verdicts
    provisional: bool = False
    # Counted, not shown: the summary still says them, so -q and accepted findings cannot change its counts.
    omitted: int = 0  # claims without a problem left out of ``findings`` (-q)
    ignored: int = 0  # problems accepted by an inline ``sourcecheck: ignore`` comment (pipeline/accept.py)
    baselined: int = 0  # problems accepted by the --baseline file


def to_dict(obj: Any) -> Any:
    """Plain JSON-able values from records (dates as ISO strings)."""
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return {f.name: to_dict(getattr(obj, f.name)) for f in dataclasses.fields(obj)}
    if isinstance(obj, (list, tuple)):
        return [to_dict(x) for x in obj]
    if isinstance(obj, dict):
        return {k: to_dict(v) for k, v in obj.items()}
    if isinstance(obj, date):
        return obj.isoformat()
    return obj
