"""``--format sarif``: SARIF 2.1.0, the log format code-scanning tools (GitHub, GitLab, VS Code) read."""

from __future__ import annotations

import json
from collections.abc import Sequence

from .. import __version__
from ..records import Report
from .issues import RULES, report_issues
from .registry import RenderOptions, register

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"


@register("sarif", "SARIF 2.1.0 for code-scanning tools")
def sarif(reports: Sequence[Report], opts: RenderOptions) -> str:
    rules = list(RULES)
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
    log = {
        "$schema": SCHEMA, "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": "sourcecheck", "version": __version__,
                                "rules": [{"id": k, "shortDescription": {"text": v}} for k, v in RULES.items()]}},
            "artifacts": [{"location": {"uri": r.document}} for r in reports],
            "results": results,
        }],
    }
    return json.dumps(log, indent=2, ensure_ascii=False) + "\n"
