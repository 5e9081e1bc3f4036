"""The text, Markdown and JSON reports as registered writers, for one document or many."""

from __future__ import annotations

import json
from collections.abc import Sequence

from ..records import Report
from .common import VERDICT_LABEL
from .jsonout import report_dict, report_to_json
from .markdown import report_to_markdown
from .registry import RenderOptions, register
from .text import report_to_text


def _overall(reports: Sequence[Report]) -> str:
    counts: dict[str, int] = {}
    for r in reports:
        for f in r.findings:
            counts[f.verdict] = counts.get(f.verdict, 0) + 1
    verdicts = ", ".join(f"{n} {VERDICT_LABEL[v].lower()}" for v, n in counts.items()) or "no claims"
    return f"{len(reports)} documents: {verdicts}"


@register("text", "for a terminal: one block per claim")
def text(reports: Sequence[Report], opts: RenderOptions) -> str:
    out = "\n".join(report_to_text(r, colour=opts.colour) for r in reports)
    return out if len(reports) == 1 else out + f"\nAll: {_overall(reports)}\n"


@register("md", "Markdown: a table, then a section per claim")
def markdown(reports: Sequence[Report], opts: RenderOptions) -> str:
    out = "\n".join(report_to_markdown(r) for r in reports)
    return out if len(reports) == 1 else out + f"\n**All:** {_overall(reports)}\n"


@register("json", "the JSON report; JSON Lines (one report a line) for several documents")
def json_report(reports: Sequence[Report], opts: RenderOptions) -> str:
    if len(reports) == 1:
        return report_to_json(reports[0])
    return "".join(json.dumps(report_dict(r), ensure_ascii=False) + "\n" for r in reports)
