"""The JSON report: the shape of DESIGN.md's public contract (add fields freely, rename none)."""

from __future__ import annotations

import json
from typing import Any

from ..records import EvidenceFinding, Finding, Location, PartJudgement, Report, SourceRef, to_dict

SCHEMA_VERSION = 2


def source_json(ref: SourceRef | None) -> dict[str, Any] | None:
    return None if ref is None else {"id": ref.id, "title": ref.title, "author": ref.author, "year": ref.year}


def location_json(loc: Location | None) -> dict[str, Any] | None:
    return None if loc is None else {"start": loc.start, "end": loc.end, "line": loc.line, "page": loc.page,
                                     "section": loc.section}


def part_json(p: PartJudgement) -> dict[str, Any]:
    """One part of a claim: ``evidence`` is ``{index, source, location, text}`` or null (issue 9)."""
    ev = p.evidence
    return {"text": p.text, "kind": p.kind, "verdict": p.verdict, "support": p.support,
            "contradiction": p.contradiction,
            "evidence": None if ev is None else {"index": ev.index, "source": source_json(ev.source),
                                                 "location": location_json(ev.location), "text": ev.text}}


def citation_json(e: EvidenceFinding) -> dict[str, Any]:
    """The citation's key and page against the page the quotation was found on (schema 2)."""
    c = e.evidence.citation
    return {"key": c.key if c else None, "cited_page": c.locator.label() if c and c.locator else None,
            "found_page": e.match.location.page if e.match.location else None, "page_problem": e.page_problem}


def finding_json(f: Finding) -> dict[str, Any]:
    return {
        "id": f.claim.id, "line": f.claim.line, "text": f.claim.text, "verdict": f.verdict,
        "parts": [part_json(p) for p in f.parts],
        "support": round(f.support, 4), "contradiction": round(f.contradiction, 4), "uncovered": f.uncovered,
        "evidence": [{
            "quote": e.evidence.quote, "line": e.evidence.line,
            "citation": e.evidence.citation.raw if e.evidence.citation else None,
            **citation_json(e),
            "source": source_json(e.match.source), "cited_source": source_json(e.match.cited_source),
            "quote_status": e.match.status, "location": location_json(e.match.location),
            "similarity": round(e.match.similarity, 4), "context": e.match.context,
            "diff": [to_dict(d) for d in e.match.diff],
            "verdict": e.judgement.verdict if e.judgement else None,
            "support": e.judgement.support if e.judgement else None,
            "contradiction": e.judgement.contradiction if e.judgement else None,
        } for e in f.evidence],
        "dates": [{"text": d.text, "gregorian": d.gregorian.isoformat() if d.gregorian else None,
                   "julian": d.julian.isoformat() if d.julian else d.julian_text, "precision": d.precision,
                   "calendar": d.calendar, "problems": d.problems, "notes": d.notes} for d in f.dates],
        "problems": f.problems,
        "suggestions": f.suggestions,
    }


def report_dict(report: Report) -> dict[str, Any]:
    return {"schema_version": SCHEMA_VERSION, "document": report.document, "library": report.library,
            "judge": report.judge, "claims": [finding_json(f) for f in report.findings],
            "timeline": timeline_json(report)}


def report_to_json(report: Report) -> str:
    return json.dumps(report_dict(report), indent=2, ensure_ascii=False) + "\n"


def timeline_json(report: Report) -> list[dict[str, Any]]:
    """The ``timeline`` key: the rows ``sourcecheck dates --format json`` prints (issue 5)."""
    from ..dates.timeline import timeline_from_findings

    return timeline_from_findings(report.findings).rows()
