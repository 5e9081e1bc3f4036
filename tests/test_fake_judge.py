"""The rule-table judge (judge/fake.py): records in, records out, so pipeline tests need no ONNX."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from conftest import EXAMPLES
from sourcecheck.document import read_document
from sourcecheck.judge.fake import FakeJudge, Rule
from sourcecheck.library import Library
from sourcecheck.pipeline.check import Checker
from sourcecheck.pipeline.cite import choose_citations
from sourcecheck.records import Verdict
from sourcecheck.report import render


def test_rules_decide_each_part_and_the_claim_follows_from_them() -> None:
    j = FakeJudge([Rule("harbor", "no ships", "contradicted")])
    res = j.judge("The garrison stayed in its barracks, and a fleet entered the harbor.",
                  ["Most of the garrison stayed in its barracks.", "There were no ships that night."])
    assert [p.verdict for p in res.parts] == [Verdict.SUPPORTED, Verdict.CONTRADICTED]
    assert res.verdict == Verdict.CONTRADICTED  # one denied, one confirmed: denied at least as many
    assert res.parts[0].evidence.index == 0 and res.parts[1].evidence.index == 1
    assert j.judge_many("Lenin was born in Simbirsk.", ["Nothing here.", "Lenin was born in Simbirsk."])[1].verdict == "supported"
    assert len(j.calls) == 3


def test_check_report_and_cite_run_on_the_fake_judge(demo_library: Path) -> None:
    j = FakeJudge([Rule("stormed", "stayed in their barracks", "contradicted")])
    with Library(demo_library) as lib:
        doc = read_document(EXAMPLES / "october-days.md")
        report = Checker(lib, j, suggest=1).check(doc)
        verdicts = [f.verdict for f in report.findings]
        assert verdicts[2] == "contradicted" and verdicts[-1] == "no_evidence"
        assert report.judge == "fake (rule table)"
        data = json.loads(render(report, "json"))
        assert data["claims"][2]["problems"][0]["code"] == "contradicted"
        assert "CONTRADICTED" in render(report, "text")
        plan = choose_citations(Checker(lib, j, suggest=3), doc.claims[:2], 1)
        assert set(plan.additions) | {c.line for c in plan.uncited} == {1, 3}


def test_the_cli_takes_the_fake_judge_from_the_fixture(fake_judge: FakeJudge, demo_library: Path, tmp_path: Path) -> None:
    doc = tmp_path / "doc.md"
    doc.write_text("- The committee met in Smolny.\n    - `The committee met every night in Smolny.` - Notes on the October Days\n")
    fake_judge.rules = [Rule("Smolny", "Smolny", "contradicted")]
    res = CliRunner().invoke(__import__("sourcecheck.cli", fromlist=["main"]).main,
                             ["check", str(doc), "-l", str(demo_library), "--format", "json", "--fail-on", "none"])
    assert res.exit_code == 0, res.output
    assert json.loads(res.stdout)["claims"][0]["verdict"] == "contradicted" and fake_judge.calls
