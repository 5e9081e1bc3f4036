"""The JSON report: the shape of the README's public contract (add fields freely, rename none).

This module is the only place where records become JSON-shaped dicts: commands that print JSON
(``check``, ``quote``, ``find``) call the functions here, so a concept has one name everywhere.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any, overload

from ..records import (
    EvidenceFinding,
    Finding,
    Judgement,
    Location,
    PartJudgement,
    Problem,
    QuoteMatch,
    Report,
    SourceRef,
    Suggestion,
    to_dict,
)
from .registry import WriteOptions, Writer
from .summary import repeated, summarize_report

SCHEMA_VERSION = 4


@overload
def source_json(ref: SourceRef) -> dict[str, Any]: ...
@overload
def source_json(ref: None) -> None: ...
@overload
def source_json(ref: SourceRef | None) -> dict[str, Any] | None: ...
def source_json(ref: SourceRef | None) -> dict[str, Any] | None:  # a source's JSON is null only where there is none
    return None if ref is None else {"id": ref.id, "title": ref.title, "author": ref.author, "year": ref.year}


def location_json(loc: Location | None) -> dict[str, Any] | None:
    return None if loc is None else {"start": loc.start, "end": loc.end, "line": loc.line, "page": loc.page,
                                     "section": loc.section}


def match_json(m: QuoteMatch) -> dict[str, Any]:
    """Where a quotation was found: the same keys under ``check``'s evidence and ``quote``'s output."""
    return {"source": source_json(m.source), "cited_source": source_json(m.cited_source),
            "quote_status": str(m.status), "location": location_json(m.location),
            "similarity": round(m.similarity, 4), "context": m.context, "diff": [to_dict(d) for d in m.diff]}


def judgement_json(j: Judgement | None) -> dict[str, Any]:
    if j is None:
        return {"verdict": None, "support": None, "contradiction": None}
    return {"verdict": str(j.verdict), "support": j.support, "contradiction": j.contradiction}


def part_json(p: PartJudgement) -> dict[str, Any]:
    """One part of a claim: ``evidence`` is ``{index, source, location, text}`` or null (issue 9)."""
    ev = p.evidence
    out = {"text": p.text, "kind": p.kind, "verdict": str(p.verdict), "support": p.support,
           "contradiction": p.contradiction,
           "evidence": None if ev is None else {"index": ev.index, "source": source_json(ev.source),
                                                "location": location_json(ev.location), "text": ev.text}}
    return {**out, "note": p.note}  # always there ("" when the judge gave none), as the judge branch writes it


def citation_json(e: EvidenceFinding) -> dict[str, Any]:
    """The citation's key and page against the page the quotation was found on (schema 2; page_note: 4)."""
    c = e.evidence.citation
    return {"key": c.key if c else None, "cited_page": c.locator.label() if c and c.locator else None,
            "found_page": e.match.location.page if e.match.location else None, "page_problem": e.page_problem,
            "page_note": e.page_note}


def problem_json(p: Problem) -> dict[str, Any]:
    return {"code": str(p.code), "severity": str(p.severity), "message": p.message, "evidence": p.evidence}


def suggestion_json(s: Suggestion) -> dict[str, Any]:
    """A library passage offered as evidence (``find``'s results, ``check --suggest``'s suggestions)."""
    j = s.judgement
    return {"quote": s.text, "source": source_json(s.source), "location": location_json(s.location),
            "support": j.support if j else 0.0, "contradiction": j.contradiction if j else 0.0,
            "verdict": str(j.verdict) if j else None, "best_span": s.best_span, "score": s.score}


def finding_json(f: Finding) -> dict[str, Any]:
    return {
        "id": f.claim.id, "line": f.claim.line, "text": f.claim.text, "verdict": str(f.verdict),
        "severity": str(f.severity) if f.severity else None, "parts": [part_json(p) for p in f.parts],
        "support": round(f.support, 4), "contradiction": round(f.contradiction, 4), "uncovered": f.uncovered,
        "evidence": [{
            "quote": e.evidence.quote, "line": e.evidence.line,
            "citation": e.evidence.citation.raw if e.evidence.citation else None,
            **citation_json(e), **match_json(e.match), **judgement_json(e.judgement),
        } for e in f.evidence],
        "dates": [{"text": d.text, "gregorian": d.gregorian.isoformat() if d.gregorian else None,
                   "julian": d.julian.isoformat() if d.julian else d.julian_text, "precision": d.precision,
                   "calendar": d.calendar, "problems": d.problems, "notes": d.notes} for d in f.dates],
        "problems": [problem_json(p) for p in f.problems],
        "suggestions": [suggestion_json(s) for s in f.suggestions],
    }


def summary_json(report: Report) -> dict[str, Any]:
    s = summarize_report(report)
    return {"claims": s.claims, "fine": s.fine, "ignored": s.ignored, "baselined": s.baselined,
            "by_severity": s.by_severity, "by_code": s.by_code,
            "repeated": [{"code": str(g.code), "severity": str(g.severity), "message": g.message, "claims": g.claims}
                         for g in repeated(report.findings)]}


def report_dict(report: Report) -> dict[str, Any]:
    return {"schema_version": SCHEMA_VERSION, "document": report.document, "library": report.library,
            "judge": report.judge, "summary": summary_json(report),
            "claims": [finding_json(f) for f in report.findings], "timeline": timeline_json(report)}


def report_line(report: Report) -> str:
    """One document's JSON report on one line."""
    return json.dumps(report_dict(report), ensure_ascii=False)


def json_lines(reports: Sequence[Report], outputs: list[str]) -> str:
    """Several documents: JSON Lines, one report a line, in input order."""
    return "".join(report_line(r) + "\n" for r in reports)


def report_to_json(report: Report, options: WriteOptions = WriteOptions()) -> str:
    return json.dumps(report_dict(report), indent=2, ensure_ascii=False) + "\n"


def timeline_json(report: Report) -> list[dict[str, Any]]:
    """The ``timeline`` key: the rows ``sourcecheck dates --format json`` prints (issue 5)."""
    from ..dates.timeline import timeline_from_findings

    return timeline_from_findings(report.findings).rows()


WRITER = Writer("json", report_to_json, suffix=".json", media_type="application/json",
          description="the public JSON shape (schema 4); JSON Lines for several documents", combine=json_lines)
