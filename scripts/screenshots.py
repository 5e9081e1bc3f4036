"""The README's pictures, made from the bundled example so they stay current: `make screenshots`.

Builds the example library in a temporary folder, renders the HTML report, starts `sourcecheck serve`,
and photographs both with Debian's chromium (driven by Playwright; no browser is downloaded).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

from sourcecheck.serve.launch import chromium_path, free_port, start_server

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--out", default=str(ROOT / "docs" / "images"))
    args = ap.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        lib, report = Path(tmp) / "demo.db", Path(tmp) / "report.html"
        cli = [sys.executable, "-m", "sourcecheck.cli"]
        subprocess.run(cli + ["add", str(ROOT / "examples" / "sources"), "--library", str(lib)], check=True,
                       capture_output=True)
        subprocess.run(cli + ["check", "examples/october-days.md", "--library", str(lib), "--format", "html",
                              "-o", str(report), "--fail-on", "none"], check=True, cwd=ROOT)  # the path as a user types it
        port = free_port()
        server = start_server(lib, port)
        try:
            with sync_playwright() as pw:
                browser = pw.chromium.launch(executable_path=chromium_path(), args=["--no-sandbox"])
                page = browser.new_page(viewport={"width": 1100, "height": 1300})
                page.goto(report.as_uri())
                page.screenshot(path=str(out / "report.png"))
                page.goto(f"http://127.0.0.1:{port}/")
                page.fill("#text", (ROOT / "examples" / "october-days.md").read_text())
                page.click("button[type=submit]")
                page.locator("article.card").first.wait_for(timeout=120_000)  # the report is the page once done
                page.screenshot(path=str(out / "serve.png"))
                browser.close()
        finally:
            server.terminate()
            server.wait(timeout=20)
    print(f"wrote {out / 'report.png'} and {out / 'serve.png'}")


if __name__ == "__main__":
    main()
