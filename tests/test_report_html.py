"""The HTML writer without a browser: self-contained, CSP by hash, escaped, every part present."""

from __future__ import annotations

import re
from pathlib import Path

from click.testing import CliRunner

from conftest import EXAMPLES, needs_model
from sourcecheck.cli import main
from sourcecheck.records import (
    Claim,
    Evidence,
    EvidenceFinding,
    Finding,
    Judgement,
    PartEvidence,
    PartJudgement,
    QuoteMatch,
    Report,
)
from sourcecheck.report import render
from sourcecheck.report.html import csp_hash, segments


def test_deciding_words_come_from_the_judges_parts() -> None:
    quote = "The palace was taken in the early hours of 26 October."
    part = PartJudgement("the palace fell on 26 October", "supported", 0.9, 0.05,
                         PartEvidence(0, None, None, "early hours of 26 October"), kind="date")
    f = Finding(Claim(1, "The palace fell on 26 October.", 1), "supported", 0.9, 0.05, [],
                [EvidenceFinding(Evidence(quote, None, 2), QuoteMatch("exact", context=quote),
                                 Judgement("supported", 0.9, 0.05, parts=[part]))], [], [])
    html = render(Report("doc.md", "lib.db", [f]), "html")
    assert '<mark class="decides">early hours of 26 October</mark>' in html
    assert "the palace fell on 26 October</td>" in html  # the part-by-part table


def test_segments_mark_phrases_and_words() -> None:
    segs = segments("Red Guards took the Winter Palace", ["winter palace"], {"guards"})
    assert [(s.text, s.mark) for s in segs] == [("Red ", ""), ("Guards", "decides"), (" took the ", ""),
                                                ("Winter Palace", "decides")]


@needs_model
def test_html_report_is_self_contained_and_escaped(tmp_path: Path, demo_library: Path) -> None:
    doc = tmp_path / "doc.md"
    doc.write_text((EXAMPLES / "october-days.md").read_text().replace("Lenin", "<script>alert('Lenin')</script>"))
    out = tmp_path / "r.html"
    res = CliRunner().invoke(main, ["check", str(doc), "--library", str(demo_library), "--format", "html", "-o",
                                    str(out), "--fail-on", "none"], catch_exceptions=False)
    assert res.exit_code == 0
    html = out.read_text()
    assert "<script>alert" not in html and "&lt;script&gt;alert(&#39;Lenin&#39;)&lt;/script&gt;" in html
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", html)  # nothing external
    css = re.search(r"<style>(.*?)</style>", html, re.S).group(1)
    js = re.search(r"<script>(.*?)</script>", html, re.S).group(1)
    csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', html).group(1).replace("&#39;", "'")
    assert "default-src 'none'" in csp and csp_hash(css) in csp and csp_hash(js) in csp
    assert html.count('<article class="card') == 8 and 'href="#line-7"' in html and 'id="line-7"' in html
    assert "<del" in html and "<ins" in html  # claim 4's misquotation as an inline diff
    assert "Chapter 2. The Night of 24-25 October" in html  # where in the source
    assert "1917-10-25" in html and "<svg" in html  # the timeline, both calendars
