"""Helpers for the browser tests: Debian's chromium, axe-core from npm, a server on a free port."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
AXE = ROOT / ".browser" / "node_modules" / "axe-core" / "axe.min.js"


def chromium_path() -> str:
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if path is None:
        raise RuntimeError("Debian's chromium is not installed: run `make test` (it apt-installs it) "
                           "or `apt-get install chromium`")
    return path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(library: Path, port: int, *extra: str, timeout: float = 60) -> subprocess.Popen:
    """`sourcecheck serve` as a real process; waits until it answers, or fails saying why."""
    proc = subprocess.Popen([sys.executable, "-m", "sourcecheck.cli", "serve", "--library", str(library),
                             "--port", str(port), *extra], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            text=True)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"sourcecheck serve exited with {proc.returncode}: {proc.stdout.read()}")
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/app.css", timeout=1)
            return proc
        except urllib.error.HTTPError:  # it answers (a token-guarded server says 401)
            return proc
        except OSError:
            time.sleep(0.2)
    proc.kill()
    raise RuntimeError(f"sourcecheck serve did not answer on port {port} within {timeout} s")


def axe_violations(page, serious_only: bool = True) -> list[dict]:
    """axe-core's WCAG 2 A/AA violations on the page (serious and critical ones by default)."""
    page.evaluate(AXE.read_text(encoding="utf-8"))
    result = page.evaluate("""() => axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21aa']}})""")
    out = [{"id": v["id"], "impact": v["impact"], "nodes": [n["html"] for n in v["nodes"][:3]]}
           for v in result["violations"]]
    return [v for v in out if v["impact"] in ("serious", "critical")] if serious_only else out
