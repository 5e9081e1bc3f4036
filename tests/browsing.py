"""Helpers for the serve and browser tests: axe-core from npm; the browser and the server come from
serve.launch; a served library for a fixture, and waiting on a check's job."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from sourcecheck.serve.launch import chromium_path, free_port, start_server

__all__ = ["AXE", "axe_violations", "chromium_path", "free_port", "served", "start_server", "wait_for_job"]

ROOT = Path(__file__).resolve().parents[1]
AXE = ROOT / ".browser" / "node_modules" / "axe-core" / "axe.min.js"


def axe_violations(page, serious_only: bool = True) -> list[dict]:
    """axe-core's WCAG 2 A/AA violations on the page (serious and critical ones by default)."""
    page.evaluate(AXE.read_text(encoding="utf-8"))
    result = page.evaluate("""() => axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21aa']}})""")
    out = [{"id": v["id"], "impact": v["impact"], "nodes": [n["html"] for n in v["nodes"][:3]]}
           for v in result["violations"]]
    return [v for v in out if v["impact"] in ("serious", "critical")] if serious_only else out


def served(library: Path, stop_timeout: float = 60) -> Iterator[str]:
    """A real `sourcecheck serve` of ``library`` on a free port, for a fixture to yield from: its base
    URL; a server that cannot start fails the test with the reason (never a silent skip)."""
    port = free_port()
    try:
        proc = start_server(library, port)
    except RuntimeError as err:
        pytest.fail(str(err))
    yield f"http://127.0.0.1:{port}"
    proc.terminate()
    proc.wait(timeout=stop_timeout)


def wait_for_job(client, location: str, timeout: float = 300) -> dict:
    """The status of the check at ``location`` once it is done or failed (a Starlette TestClient)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        state = client.get(location + "/status").json()
        if state["state"] in ("done", "failed"):
            return state
        time.sleep(0.2)
    raise AssertionError(f"{location} did not finish in {timeout} s")

