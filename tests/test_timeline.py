"""The timeline: every claim on one line of dates, both calendars, undated claims apart."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from click.testing import CliRunner

from sourcecheck.cli import main
from sourcecheck.dates import build_timeline, document_timeline, find_dates, timeline_from_findings
from sourcecheck.dates.timeline import timeline_markdown, timeline_text
from sourcecheck.records import Claim, Document, Finding

KEYS = {"claim", "text", "gregorian", "julian", "precision", "problems"}

DOC = """- On 7 November 1917 (25 October Old Style), the Bolsheviks took power.
- The October Revolution followed the February Revolution.
- On 23 October 1917 (10 October Old Style), the Petrograd Soviet voted for a rising.
- The civil war lasted from 1917 until 1922, and in 1922 the Soviet Union was formed.
- The next day the Winter Palace fell.
- The Congress met on 25 October (O.S.; 9 November, N.S.), 1917.
- Lenin died in 1924.
"""


def _doc(tmp_path: Path) -> Path:
    p = tmp_path / "doc.md"
    p.write_text(DOC, encoding="utf-8")
    return p


def test_cli_json_shape_sorting_and_undated(tmp_path: Path) -> None:
    res = CliRunner().invoke(main, ["dates", str(_doc(tmp_path)), "--format", "json"])
    assert res.exit_code == 0, res.output
    rows = json.loads(res.output)
    assert all(set(r) >= KEYS for r in rows)
    dated = [r for r in rows if r["gregorian"]]
    undated = [r for r in rows if not r["gregorian"]]
    assert rows == dated + undated  # undated listed apart, after the timeline
    assert [r["claim"] for r in undated] == [2]
    assert dated == sorted(dated, key=lambda r: r["gregorian"])
    # the range 1917-1922 starts the timeline; claim 4 sits at both its dates
    assert [r["claim"] for r in dated] == [4, 3, 5, 1, 6, 4, 7]
    first = dated[1]
    assert (first["gregorian"], first["julian"], first["precision"]) == ("1917-10-23", "1917-10-10", "day")
    assert first["text"].startswith("On 23 October 1917")
    # "the next day" resolves against the last day before it in reading order (claim 3's)
    nxt = next(r for r in dated if r["claim"] == 5)
    assert (nxt["gregorian"], nxt["julian"]) == ("1917-10-24", "1917-10-11")
    # a range keeps its end; the wrong dual date carries its problem
    rng = next(r for r in dated if r["precision"] == "range")
    assert (rng["gregorian"], rng["gregorian_end"]) == ("1917-01-01", "1922-01-01")
    bad = next(r for r in dated if r["claim"] == 6)
    assert bad["problems"] and "is 7 November" in bad["problems"][0]
    for r in dated:
        date.fromisoformat(r["gregorian"]), date.fromisoformat(r["julian"])
        assert r["precision"] in ("day", "month", "year", "range")


def test_cli_text_lists_both_calendars_and_undated(tmp_path: Path) -> None:
    res = CliRunner().invoke(main, ["dates", str(_doc(tmp_path))])
    assert res.exit_code == 0, res.output
    lines = res.output.splitlines()
    row = next(line for line in lines if "claim" not in line.lower() and "1917-11-07" in line)
    assert "1917-10-25" in row  # both calendars on one line
    assert "Undated claims:" in lines
    assert any(line.strip().startswith("2: The October Revolution") for line in lines)
    assert "PROBLEM" in res.output


def test_year_covered_by_a_day_of_the_same_claim_is_left_out() -> None:
    claim = Claim(1, "In 1917, on 7 November 1917, it fell.", 1)
    tl = build_timeline([(claim, find_dates(claim.text), [])])
    assert [e.date for e in tl.dated] == ["7 November 1917"]


def test_julian_only_dates_sort_by_their_gregorian_day() -> None:
    a = Claim(1, "On 1 January 1918 (O.S.) it was cold.", 1)  # = 14 January N.S.
    b = Claim(2, "On 10 January 1918 (N.S.) it was warm.", 2)
    tl = build_timeline([(c, find_dates(c.text), []) for c in (a, b)])
    assert [e.claim for e in tl.dated] == [2, 1]
    assert tl.dated[1].julian == date(1918, 1, 1) and tl.dated[1].gregorian == date(1918, 1, 14)


def test_timeline_from_findings_and_formats(tmp_path: Path) -> None:
    doc = Document("x.md", "outline", [Claim(1, "On 24\u201325 October 1917 (O.S.) the rising.", 1),
                                       Claim(2, "No date here.", 2)])
    findings = [Finding(c, "no_evidence", 0.0, 0.0, [], [], find_dates(c.text), []) for c in doc.claims]
    tl = timeline_from_findings(findings)
    assert [e.claim for e in tl.dated] == [1] and [e.claim for e in tl.undated] == [2]
    e = tl.dated[0]
    assert (e.julian, e.julian_end, e.gregorian, e.gregorian_end) == (
        date(1917, 10, 24), date(1917, 10, 25), date(1917, 11, 6), date(1917, 11, 7))
    assert "1917-11-06..1917-11-07" in "\n".join(timeline_text(tl))
    md = timeline_markdown(tl)
    assert md[0].startswith("| New Style") and any("1917-10-24..1917-10-25" in x for x in md)
    assert document_timeline(doc).rows()[0]["julian_end"] == "1917-10-25"


def test_report_formats_end_with_the_timeline() -> None:
    from sourcecheck.records import Report
    from sourcecheck.report import report_to_json, report_to_markdown, report_to_text

    claims = [Claim(1, "On 7 November 1917 (25 October Old Style) it began.", 1), Claim(2, "Undated.", 2)]
    findings = [Finding(c, "no_evidence", 0.0, 0.0, [], [], find_dates(c.text), []) for c in claims]
    report = Report("doc.md", "lib", findings)
    data = json.loads(report_to_json(report))
    assert [r["claim"] for r in data["timeline"]] == [1, 2]
    assert set(data["timeline"][0]) >= KEYS and data["timeline"][0]["julian"] == "1917-10-25"
    assert "## Timeline" in report_to_markdown(report)
    text = report_to_text(report)
    assert "Timeline:" in text and "Undated claims:" in text.split("Timeline:")[1]
