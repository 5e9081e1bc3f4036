"""The main job: every claim of a document through every stage, into one Finding per claim.

Only this module (and the CLI) sees all the stages; each stage stays usable on its own.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from ..dates import check_claim_dates
from ..dates.check import DocumentCalendar, document_calendar
from ..dates.declared import calendar_at
from ..errors import InputError
from ..judge import Judge
from ..judge.longclaim import windowed
from ..judge.reader import read as read_claim
from ..judge.windows import stem
from ..library import Store as Library
from ..library.citekeys import KeyMap, library_keys
from ..problems import ORDER, PROBLEMS
from ..quotes import QuoteIndex, locate_quote
from ..records import (
    Claim,
    Document,
    EvidenceFinding,
    Finding,
    Judgement,
    PartJudgement,
    Problem,
    ProblemCode,
    QuoteMatch,
    QuoteStatus,
    Report,
    Severity,
    Verdict,
)
from ..text import fold_key, shown_words
from ..tuning import MAX_EVIDENCE, PER_SOURCE_CAP, RESCORE_CANDIDATES
from .accept import accept_inline
from .citecheck import circular, not_in_library, page_note, page_problem, unknown_key

QUOTE_CODE = {QuoteStatus.DRIFT: ProblemCode.MISQUOTED, QuoteStatus.ABSENT: ProblemCode.QUOTE_NOT_FOUND,
              QuoteStatus.WRONG_SOURCE: ProblemCode.WRONG_SOURCE,
              QuoteStatus.SOURCE_MISSING: ProblemCode.SOURCE_NOT_IN_LIBRARY}
VERDICT_CODE = {Verdict.CONTRADICTED: ProblemCode.CONTRADICTED, Verdict.PARTIALLY_SUPPORTED: ProblemCode.PARTLY_SUPPORTED,
                Verdict.NOT_ADDRESSED: ProblemCode.NOT_ADDRESSED, Verdict.NO_EVIDENCE: ProblemCode.NO_EVIDENCE}


def problem(code: ProblemCode, message: str, evidence: int | None = None) -> Problem:
    """A Problem with its code's severity, its message as a sentence."""
    message = message[0].upper() + message[1:]
    return Problem(code, PROBLEMS[code].severity, message if message.endswith(".") else message + ".", evidence)


def worst_first(problems: list[Problem]) -> list[Problem]:
    """Errors before warnings; the same code and message once (two quotations from one missing book)."""
    seen: dict[tuple[str, str], Problem] = {}
    for p in problems:
        seen.setdefault((p.code, p.message), p)
    return sorted(seen.values(), key=lambda p: (p.severity != Severity.ERROR, ORDER[p.code]))

QUOTE_PROBLEMS = {
    "drift": "the quotation differs from {src}: {diff}",
    "absent": "the quotation is not in {src}, nor anywhere else in the library",
    "wrong_source": "the quotation is not in {cited} but in {src}",
    "source_missing": "the cited source \u201c{citation}\u201d is not in the library, so the quotation "
                      "could not be checked against it{found}",
}


def _name(ref) -> str:
    if ref is None:
        return "the library"
    who = f"{ref.author}, " if ref.author else ""
    year = f" ({ref.year})" if ref.year else ""
    return f"{who}\u201c{ref.title}\u201d{year}"


def changes(diff) -> str:
    """Only what changed, as a person would say it: “State” where the source has “Central”."""
    out = []
    for d in diff:
        if d.op == "replace":
            out.append(f"\u201c{d.quote}\u201d where the source has \u201c{d.source}\u201d")
        elif d.op == "delete":  # difflib's delete: words only in the quotation
            out.append(f"\u201c{d.quote}\u201d is not in the source")
        elif d.op == "insert":  # words only in the source
            out.append(f"the source also has \u201c{d.source}\u201d here")
    return "; ".join(out[:6]) + ("; \u2026" if len(out) > 6 else "")


def quote_problem(match: QuoteMatch, citation_raw: str) -> str | None:
    template = QUOTE_PROBLEMS.get(match.status)
    if template is None:
        return None
    found = ""
    if match.status == "source_missing" and match.source is not None:
        found = f"; the same words are in {_name(match.source)}"
    return template.format(src=_name(match.source), cited=_name(match.cited_source), citation=citation_raw,
                           diff=changes(match.diff), found=found)


def place_parts(judgement: Judgement | None, evidence: list[EvidenceFinding]) -> list[PartJudgement]:
    """The judge's parts, each deciding span tied to its quotation's source and location.

    The judge knows only which quotation a span came from (``index``); where that quotation stands
    in its source is the quotation stage's finding, so it is attached here.
    """
    if judgement is None:
        return []
    for p in judgement.parts:
        if p.evidence is not None and p.evidence.index is not None and p.evidence.index < len(evidence):
            m = evidence[p.evidence.index].match
            p.evidence.source, p.evidence.location = m.source, m.location
    return judgement.parts


def claim_verdict(judgement: Judgement | None, n_evidence: int) -> Verdict:
    # Verdict(...) also takes a plain string from a judge that does not use the enum
    return Verdict.NO_EVIDENCE if n_evidence == 0 or judgement is None else Verdict(judgement.verdict)


def not_in_evidence(words: list[str], evidence: list[str]) -> list[str]:
    """The judge's uncovered words less every word the evidence itself has, compared folded (case,
    accents, punctuation) and stemmed ("events" meets "event"), so "not covered: 1889" is never said
    of a quotation that says 1889. The judge may still leave such a word uncovered (it is there, but
    about something else); the report lists what a reader cannot find, and a listed word that is in
    the quotation read as a false alarm. The verdict is the judge's and is not changed here."""
    have = {stem(w) for text in evidence for w in fold_key(text).split()}
    return [w for w in words if not (folded := fold_key(w).split()) or not all(stem(p) in have for p in folded)]


def verdict_problem(verdict: str, j: Judgement | None, uncovered: list[str] | None = None) -> str | None:
    if verdict == "no_evidence":
        return "no evidence is given for this claim"
    if j is None:
        return None
    shown = shown_words(j.uncovered if uncovered is None else uncovered)
    missing = f" (not covered: {', '.join(shown[:8])})" if shown else ""
    # A contradicted part is named wherever it stands: in a partly supported claim it is the detail
    # the evidence denies (the claim rule keeps the other facts), and a reader must see which.
    denied = [p for p in j.parts if p.verdict == "contradicted"]
    named = "; ".join(f"\u201c{p.text.rstrip('.')}\u201d is contradicted by \u201c{p.evidence.text}\u201d"
                      for p in denied if p.evidence) if denied else ""
    return {
        "contradicted": "the evidence contradicts the claim" + (f": {named}" if named else ""),
        "partially_supported": f"the evidence supports only part of the claim{missing}" + (f"; {named}" if named else ""),
        "not_addressed": f"the evidence does not address the claim{missing}",
    }.get(verdict)


def severity(f: Finding) -> str:
    """"error", "warning" or "ok" for one finding, as --fail-on counts it: its worst problem's severity."""
    return str(f.severity or "ok")


def date_problems(mentions, claim_level: list[str]) -> list[Problem]:
    """A date wrong in itself (no such day, halves that disagree) vs one that disagrees with another date."""
    return ([problem(ProblemCode.DATE_WRONG, p) for d in mentions for p in d.problems]
            + [problem(ProblemCode.DATE_CONFLICT, p) for p in claim_level])




class Checker:
    """Holds the library's sources and the judge for a run over one or many documents."""

    def __init__(self, library: Library, judge: Judge, suggest: int = 0, keys: KeyMap | None = None,
                 max_evidence: int | None = None):
        self.library = library
        self.max_evidence = MAX_EVIDENCE if max_evidence is None else max_evidence
        self.judge = windowed(judge)  # a claim longer than the model reads is judged in windows
        self.suggest = suggest
        self.quotes = QuoteIndex(library)  # held for the run: it remembers what it verified last
        self.keys = keys if keys is not None else library_keys(library)
        self.claim_calendar: DocumentCalendar | None = None  # the document's own calendar, where its dates state one
        self.suggest_candidates = RESCORE_CANDIDATES  # passages judged per weak claim (`cite` judges fewer)
        self.document_format: str | None = None  # "wikitext": refs citing Wikipedia are a problem (WP:CIRCULAR)
        # False: only the quotations together are judged (what the claim's verdict is made of), not each
        # alone as well (`cite` needs the verdict, not the per-quotation judgements of the report).
        self.judge_each_quotation = True

    def check_claim(self, claim: Claim, previous_date: date | None = None) -> Finding:
        evidence: list[EvidenceFinding] = []
        calendars: list[str] = []
        problems = [problem(ProblemCode.UNKNOWN_CITATION_KEY, unknown_key(c))
                    for c in claim.citations if c.key and not self.keys.known(c.key)]
        problems += [problem(ProblemCode.SOURCE_NOT_IN_LIBRARY, not_in_library(c)) for c in claim.citations
                     if (not c.key or self.keys.known(c.key)) and self.keys.resolve(c) is None]
        if self.document_format == "wikitext":
            written = [*claim.citations, *(e.citation for e in claim.evidence if e.citation)]
            problems += [problem(ProblemCode.CIRCULAR_CITATION, why) for c in written
                         if (why := circular(c, self.keys.resolve(c), self.library))]
        authors: list[str | None] = []
        for i, ev in enumerate(claim.evidence):
            ref = self.keys.resolve(ev.citation) if ev.citation else None
            if ev.citation and ev.citation.key and not self.keys.known(ev.citation.key):
                problems.append(problem(ProblemCode.UNKNOWN_CITATION_KEY, unknown_key(ev.citation), i))
            cited = self.library.get(ref.id) if ref else None
            authors.append(cited.author if cited else (ev.citation.author if ev.citation else None))
            match = locate_quote(ev.quote, cited, self.quotes, cited_missing=ev.citation is not None and cited is None)
            if cited is not None and match.cited_source is None:
                match.cited_source = cited.ref()
            # The calendar of the text the quotation was found in (not the one cited), at that place.
            found_in = self.library.get(match.source.id) if match.source else None
            if found_in is not None:
                cal = calendar_at(found_in.text, match.location.start, found_in.calendar) if match.location \
                    else found_in.calendar
                if cal:
                    calendars.append(cal)
            elif cited is not None and cited.calendar:  # not found in it: the cited source's own declaration
                calendars.append(cited.calendar)
            evidence.append(EvidenceFinding(ev, match, None, page_problem=page_problem(ev.citation, match),
                                            page_note=page_note(ev.citation, match, found_in)))
        # Each quotation alone, and all of them together (each may cover a different part of the
        # claim), in one call of judge_many (one batched model run).
        # The claim reader (judge/reader.py): the claim's reporting frame split off, first person read
        # as the cited author, numbers in the evidence's form; every judge reads what it gives.
        reading = read_claim(claim.text, [e.quote for e in claim.evidence], authors)
        if reading.speaker_problem:
            problems.append(problem(ProblemCode.WRONG_SPEAKER, reading.speaker_problem))
        quotes = reading.evidence
        each = self.judge_each_quotation or len(quotes) < 2
        asks: list[str | list[str]] = list(quotes) + ([quotes] if len(quotes) > 1 else []) if each else [quotes]
        judged = self.judge.judge_many(reading.claim, asks) if asks else []
        if reading.notes:
            for j in judged:
                for p in j.parts:
                    p.note = "; ".join(filter(None, ["; ".join(reading.notes), p.note]))
        for e, j in zip(evidence, judged if each else []):
            e.judgement = j
        overall = judged[-1] if judged else None
        verdict = claim_verdict(overall, len(claim.evidence))
        parts = place_parts(overall, evidence)
        default_cal = calendars[0] if calendars and len(set(calendars)) == 1 else None
        dates, claim_dates = check_claim_dates(claim.text, [e.quote for e in claim.evidence],
                                               default_calendar=default_cal, previous_date=previous_date,
                                               claim_calendar=self.claim_calendar)
        for i, e in enumerate(evidence):
            qp = quote_problem(e.match, e.evidence.citation.raw if e.evidence.citation else "")
            if qp:
                problems.append(problem(QUOTE_CODE[e.match.status], qp, i))
            if e.page_problem:
                problems.append(problem(ProblemCode.PAGE_MISMATCH, e.page_problem, i))
        uncovered = not_in_evidence(overall.uncovered, [e.quote for e in claim.evidence] + list(quotes)) \
            if overall else []
        vp = verdict_problem(verdict, overall, uncovered)
        if vp:
            problems.append(problem(VERDICT_CODE[Verdict(verdict)], vp))
        dated = date_problems(dates, claim_dates)
        finding = Finding(claim, verdict, overall.support if overall else 0.0,
                          overall.contradiction if overall else 0.0,
                          uncovered, evidence, dates, worst_first(problems + dated),
                          date_problems=[p.message for p in dated], parts=parts,
                          citation_problems=list(dict.fromkeys(
                              p.message for p in problems if p.code == ProblemCode.UNKNOWN_CITATION_KEY)))
        if self.suggest and verdict in ("no_evidence", "not_addressed", "partially_supported", "contradicted"):
            from ..search import find_evidence

            finding.suggestions = find_evidence(self.library, self.judge, claim.text, k=self.suggest,
                                                candidates=self.suggest_candidates, per_source=PER_SOURCE_CAP)
        return finding

    def check(self, doc: Document, progress: Callable[[int, int], None] | None = None) -> Report:
        """Every claim of ``doc``; keys of the document's own bibliography (YAML) count for it alone."""
        run_keys = self.keys
        self.document_format = doc.format
        self.keys = run_keys.extended(doc.bibliographies) if doc.bibliographies else run_keys
        try:  # an inline `sourcecheck: ignore` comment is the document's own word: it holds in every run
            return accept_inline(self._check(doc, progress), doc)
        finally:
            self.keys = run_keys

    def within_limits(self, doc: Document) -> None:
        """Refuse, before any claim is checked, a claim with more quotations than ``max_evidence``.

        Each quotation is located and judged, so the check's time grows with them; the limit keeps
        one hostile sentence (10,000 refs) from running for minutes, and says so in one line.
        """
        for claim in doc.claims:
            if len(claim.evidence) > self.max_evidence > 0:
                raise InputError(doc.path, f"claim {claim.id} has {len(claim.evidence)} quotations, more than "
                                           f"max-evidence = {self.max_evidence} (raise it with --max-evidence N "
                                           "or max-evidence in sourcecheck.toml)", claim.line)

    def _check(self, doc: Document, progress: Callable[[int, int], None] | None = None) -> Report:
        self.within_limits(doc)
        findings: list[Finding] = []
        previous: date | None = None
        self.claim_calendar = document_calendar(doc)
        for i, claim in enumerate(doc.claims):
            f = self.check_claim(claim, previous)
            findings.append(f)
            day = [d.gregorian for d in f.dates if d.gregorian and d.precision == "day"]
            previous = day[-1] if day else previous
            if progress:
                progress(i + 1, len(doc.claims))
        return Report(doc.path, self.library.name, findings, judge=self.judge.name)


def check_document(doc: Document, library: Library, judge: Judge | None = None, suggest: int = 0) -> Report:
    """Check every claim of ``doc`` against ``library``; the library function behind ``check``."""
    from ..judge import get_judge

    return Checker(library, judge or get_judge(), suggest).check(doc)
