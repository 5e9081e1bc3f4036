"""``--format sarif``: SARIF 2.1.0, the log format code-scanning tools (GitHub, GitLab, VS Code) read."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from .. import __version__
from ..problems import PROBLEMS
from ..records import Report
from .issues import report_issues
from .registry import WriteOptions, Writer

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"


def _log(reports: Sequence[Report]) -> dict[str, Any]:
    """One run of the tool over every document: results from all of them, each document an artifact."""
    rules = [str(code) for code in PROBLEMS]
    results = []
    for r in reports:
        for i in report_issues(r):
            results.append({
                "ruleId": i.rule, "ruleIndex": rules.index(i.rule), "level": i.level,
                "message": {"text": i.message},
                "locations": [{"physicalLocation": {"artifactLocation": {"uri": i.document},
                                                    "region": {"startLine": i.line}}}],
                "properties": {"claim": i.claim},
            })
    return {
        "$schema": SCHEMA, "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": "sourcecheck", "version": __version__,
                                "rules": [{"id": str(k), "shortDescription": {"text": v.rule}} for k, v in PROBLEMS.items()]}},
            "artifacts": [{"location": {"uri": r.document}} for r in reports],
            "results": results,
        }],
    }


def _dump(log: dict[str, Any]) -> str:
    return json.dumps(log, indent=2, ensure_ascii=False) + "\n"


def _one_run(reports: Sequence[Report], outputs: list[str]) -> str:
    """Several documents: one log with one run (tools count one run as one analysis), not one log each."""
    return _dump(_log(reports))


def report_to_sarif(report: Report, options: WriteOptions) -> str:
    return _dump(_log([report]))


WRITER = Writer("sarif", report_to_sarif, suffix=".sarif", media_type="application/sarif+json",
          description="SARIF 2.1.0 for code-scanning tools", combine=_one_run)
