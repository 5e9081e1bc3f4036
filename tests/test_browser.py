"""The HTML report and `serve` in a real browser: Playwright driving Debian's chromium (never a downloaded one).

Everything slow (the browser, the server, the reports) is built once per session.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from browsing import AXE, axe_violations, chromium_path, served
from conftest import EXAMPLES, needs_model
from sourcecheck.cli import main

DOC = EXAMPLES / "october-days.md"
HOSTILE_TITLE = '<script>window.__pwned = "title"</script>Notes <img src=x onerror="window.__pwned=1">'
HOSTILE_DOC = (
    '- The committee met <script>window.__pwned = "claim"</script> every night \x1b[31min Smolny\x1b[0m.\n'
    '    - `The committee met every night <img src=x onerror="window.__pwned=2"> in Smolny.` - '
    'Hostile <b onmouseover=alert(1)>Book</b>, [x](javascript:window.__pwned=3), 1917\n'
    '- The garrison [stayed](javascript:alert(1)) in its barracks.\n'
    '    - `The committee met every night in Smolny and <a href="javascript:window.__pwned=4">decided</a> nothing.` - '
    f'{HOSTILE_TITLE}, Nobody, 1917\n')


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    try:
        path = chromium_path()
    except RuntimeError as err:
        pytest.fail(str(err))
    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=path, args=["--no-sandbox"])  # root in a container: no sandbox
        yield b
        b.close()


@pytest.fixture(scope="session")
def demo_html(tmp_path_factory, demo_library: Path) -> Path:
    out = tmp_path_factory.mktemp("html") / "report.html"
    res = CliRunner().invoke(main, ["check", str(DOC), "--library", str(demo_library), "--format", "html",
                                    "-o", str(out), "--fail-on", "none", "--suggest", "1"], catch_exceptions=False)
    assert res.exit_code == 0, res.output
    return out


@pytest.fixture(scope="session")
def hostile_html(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("hostile")
    (folder / "notes.txt").write_text("The committee met every night in Smolny and decided nothing at all.\n")
    lib = folder / "lib.db"
    runner = CliRunner()
    assert runner.invoke(main, ["add", str(folder / "notes.txt"), "--library", str(lib), "--title", HOSTILE_TITLE,
                                "--author", "<i>Nobody</i>", "--year", "1917"]).exit_code == 0
    doc = folder / "hostile.md"
    doc.write_text(HOSTILE_DOC)
    out = folder / "hostile.html"
    res = runner.invoke(main, ["check", str(doc), "--library", str(lib), "--format", "html", "-o", str(out),
                               "--fail-on", "none"], catch_exceptions=False)
    assert res.exit_code == 0, res.output
    return out


def open_offline(browser, path: Path, **context):
    """The page, with every console error and every request it made recorded."""
    ctx = browser.new_context(**context)
    page = ctx.new_page()
    errors, requests = [], []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("request", lambda r: requests.append(r.url))
    page.on("dialog", lambda d: (errors.append(f"dialog: {d.message}"), d.dismiss()))
    page.goto(path.as_uri())
    return page, errors, requests


@needs_model
def test_report_opens_from_file_with_no_error_and_no_request(browser, demo_html: Path) -> None:
    page, errors, requests = open_offline(browser, demo_html)
    assert errors == []
    assert requests == [demo_html.as_uri()]  # the file itself, nothing else
    assert page.locator("article.card").count() == 8
    assert "MISQUOTED" in page.locator("#claim-4 h3").inner_text()
    assert page.locator("#timeline svg").count() == 1 and page.locator("#timeline svg .pt-problem").count() == 1
    page.context.close()


@needs_model
def test_filters_show_errors_warnings_all(browser, demo_html: Path) -> None:
    page, errors, _ = open_offline(browser, demo_html)
    cards = page.locator("article.card")
    severities = [cards.nth(i).get_attribute("data-severity") for i in range(cards.count())]
    for name, want in (("error", "error"), ("warning", "warning")):
        page.click(f"#filters button[data-filter={name}]")
        visible = page.locator("article.card:visible")
        assert visible.count() == severities.count(want) > 0
        assert {visible.nth(i).get_attribute("data-severity") for i in range(visible.count())} == {want}
        assert page.get_attribute(f"#filters button[data-filter={name}]", "aria-pressed") == "true"
    page.click("#filters button[data-filter=all]")
    assert page.locator("article.card:visible").count() == len(severities)
    # The keyboard alone: Tab to a filter button and press it.
    page.focus("#filters button[data-filter=error]")
    page.keyboard.press("Enter")
    assert page.locator("article.card:visible").count() == severities.count("error")
    assert errors == []
    page.context.close()


@needs_model
def test_report_reads_without_javascript(browser, demo_html: Path) -> None:
    page, _errors, _ = open_offline(browser, demo_html, java_script_enabled=False)
    assert page.locator("article.card:visible").count() == 8
    assert not page.locator("#filters").is_visible()  # the filters need JS, so they are hidden without it
    page.click("#claim-4 a[href='#line-7']")
    assert page.locator("#line-7").is_visible()
    page.context.close()


@needs_model
def test_hostile_text_executes_nothing_and_shows_as_text(browser, hostile_html: Path) -> None:
    page, errors, requests = open_offline(browser, hostile_html)
    assert page.evaluate("window.__pwned") is None
    assert errors == [] and requests == [hostile_html.as_uri()]  # no <img src=x> fetched, no CSP report
    assert page.locator("main img, main script, main b, main i").count() == 0
    assert page.locator("a[href^='javascript']").count() == 0
    body = page.inner_text("body")
    assert '<script>window.__pwned = "claim"</script>' in body and 'onerror="window.__pwned=2"' in body
    assert "<script>window.__pwned" in page.inner_text("#sources") or "<script>" in body
    assert "[31m" in body  # the ANSI escape shows as text; it colours nothing
    page.context.close()


@needs_model
@pytest.mark.skipif(not AXE.exists(), reason="never: make test installs axe-core first")
def test_report_has_no_serious_accessibility_violation(browser, demo_html: Path) -> None:
    page, _, _ = open_offline(browser, demo_html, bypass_csp=True)  # the CSP would block axe's injection
    assert axe_violations(page) == []
    page.context.close()


# -- serve, end to end ------------------------------------------------------------------------------------

@pytest.fixture(scope="session")
def server(demo_library: Path):
    yield from served(demo_library, stop_timeout=20)


@needs_model
def test_serve_end_to_end(browser, server: str, demo_library: Path) -> None:
    ctx = browser.new_context(accept_downloads=True)
    page = ctx.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(server + "/")
    page.fill("#text", DOC.read_text())
    page.click("button[type=submit]")
    page.locator("article.card").first.wait_for(timeout=120_000)  # once done, the job's page is the report
    headings = page.locator("article.card h3").all_inner_texts()
    # The whole page, not a frame in it: one scrollbar (nothing inside scrolls on its own), the summary once.
    assert page.locator("iframe").count() == 0 and page.locator(".summary").count() == 1
    inner_scrollers = page.evaluate("""() => [...document.querySelectorAll('body *')].filter(e =>
        ['auto', 'scroll'].includes(getComputedStyle(e).overflowY) && e.scrollHeight > e.clientHeight + 1).length""")
    assert inner_scrollers == 0
    assert page.evaluate("() => document.scrollingElement.scrollHeight > innerHeight")  # the page itself scrolls
    nav = page.get_by_role("navigation", name="sourcecheck serve")
    assert nav.get_by_role("link", name="Check another document").get_attribute("href") == "/"
    # The headings shown are the ones the CLI gives for the same document and library.
    cli = CliRunner().invoke(main, ["check", str(DOC), "--library", str(demo_library), "--fail-on", "none"]).stdout
    expected = re.findall(r"^Claim (\d+) \(line \d+\): (.+?)(?:  support|$)", cli, re.M)
    assert len(headings) == len(expected) == 8
    for shown, (n, heading) in zip(headings, expected):
        assert shown.split(None, 1)[1] == f"Claim {n}: {heading}", (shown, heading)
    assert headings[3].split(None, 1)[1].startswith("Claim 4: MISQUOTED \u00b7")
    with page.expect_download() as dl:
        page.click("a[href$='report.json']")
    data = json.loads(Path(dl.value.path()).read_text())
    assert [c["id"] for c in data["claims"]] == list(range(1, 9)) and data["document"] == "pasted.md"
    assert all(f"Claim {c['id']}: " in headings[c["id"] - 1] for c in data["claims"])
    assert data["summary"]["by_code"]["misquoted"] == 1 and data["claims"][3]["problems"][0]["code"] == "misquoted"
    # The app's pages pass axe too (the report inside is checked on its own above).
    for url in (server + "/", page.url, server + "/sources"):
        page.goto(url)
        assert axe_violations(page) == [], url
    assert errors == []
    ctx.close()


@needs_model
def test_serve_shows_bad_input_in_the_page(browser, server: str) -> None:
    page = browser.new_page()
    page.goto(server + "/")
    page.select_option("#format", "jsonl")
    page.fill("#text", '{"claim": "ok", "evidence": []}\nnot json\n')
    page.click("button[type=submit]")
    alert = page.locator("[role=alert]").inner_text()
    assert "pasted.jsonl:2" in alert and "JSON" in alert
    page.close()
