"""Helpers for the browser tests: axe-core from npm; the browser and the server come from serve.launch."""

from __future__ import annotations

from pathlib import Path

from sourcecheck.serve.launch import chromium_path, free_port, start_server

__all__ = ["AXE", "axe_violations", "chromium_path", "free_port", "start_server"]

ROOT = Path(__file__).resolve().parents[1]
AXE = ROOT / ".browser" / "node_modules" / "axe-core" / "axe.min.js"


def axe_violations(page, serious_only: bool = True) -> list[dict]:
    """axe-core's WCAG 2 A/AA violations on the page (serious and critical ones by default)."""
    page.evaluate(AXE.read_text(encoding="utf-8"))
    result = page.evaluate("""() => axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21aa']}})""")
    out = [{"id": v["id"], "impact": v["impact"], "nodes": [n["html"] for n in v["nodes"][:3]]}
           for v in result["violations"]]
    return [v for v in out if v["impact"] in ("serious", "critical")] if serious_only else out
