"""Severity first: headings, the summary, problems as objects, repeats said once, the format registry."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import EXAMPLES, ROOT, needs_model
from sourcecheck.cli import main
from sourcecheck.records import ProblemCode

DOC = EXAMPLES / "october-days.md"


def run(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


@pytest.fixture(scope="module")
def reports(demo_library: Path) -> dict[str, str]:
    out = {}
    for fmt in ("text", "md", "json"):
        res = run("check", str(DOC), "--library", str(demo_library), "--format", fmt, "--fail-on", "none")
        assert res.exit_code == 0, res.output
        out[fmt] = res.stdout
    return out


@needs_model
def test_heading_names_the_worst_problem_first(reports: dict[str, str]) -> None:
    text, data = reports["text"], json.loads(reports["json"])
    label = {"supported": "SUPPORTED", "partially_supported": "PARTLY SUPPORTED", "contradicted": "CONTRADICTED",
             "not_addressed": "NOT ADDRESSED"}
    # Claim 4's quotation is misquoted, claim 6's comes from another source: whatever the judge says of
    # their support, that is named first, then the verdict.
    four, six = (label[data["claims"][i]["verdict"]] for i in (3, 5))
    assert re.search(rf"Claim 4 \(line 7\): MISQUOTED \u00b7 {four}\b", text)
    assert re.search(rf"Claim 6 \(line 11\): WRONG SOURCE \u00b7 {six}\b", text)
    assert f"## Claim 4 (line 7): MISQUOTED \u00b7 {four}" in reports["md"]


@needs_model
def test_problems_are_objects_and_summary_counts_them(reports: dict[str, str]) -> None:
    data = json.loads(reports["json"])
    assert data["schema_version"] == 4
    parts = [p for c in data["claims"] for p in c["parts"]]
    assert parts and all(isinstance(p["note"], str) for p in parts)  # version 3: always there ("" for none)
    # Claim 4 says "the State Bank" where its quotation says "the Central Bank": the SLOT RULE names both.
    four = data["claims"][3]["parts"]
    assert any(p["verdict"] == "contradicted" and "Central Bank" in p["note"] for p in four), four
    codes = {str(c) for c in ProblemCode}
    for claim in data["claims"]:
        sev = [p["severity"] for p in claim["problems"]]
        assert sev == sorted(sev, key=lambda s: s != "error")  # errors first
        for p in claim["problems"]:
            assert set(p) == {"code", "severity", "message", "evidence"} and p["code"] in codes
            assert p["evidence"] is None or 0 <= p["evidence"] < len(claim["evidence"])
        assert claim["severity"] == (sev[0] if sev else None)
    misquoted = data["claims"][3]["problems"][0]
    assert misquoted["code"] == "misquoted" and misquoted["evidence"] == 0 and misquoted["severity"] == "error"
    s = data["summary"]
    all_problems = [p for c in data["claims"] for p in c["problems"]]
    assert s["by_severity"]["error"] == sum(p["severity"] == "error" for p in all_problems)
    assert sum(s["by_code"].values()) == len(all_problems)
    assert s["fine"] == sum(not c["problems"] for c in data["claims"]) and s["claims"] == len(data["claims"])
    # The same counts, in words, in the terminal report.
    line = next(ln for ln in reports["text"].splitlines() if ln.startswith("Summary: "))
    assert line.startswith(f"Summary: {s['by_severity']['error']} errors (")
    fine = f"{s['fine']} claim fine" if s["fine"] == 1 else f"{s['fine']} claims fine"
    assert fine in line and "1 misquotation" in line


def test_a_missing_source_shared_by_claims_is_said_once(tmp_path: Path, demo_library: Path, fake_judge) -> None:
    doc = tmp_path / "doc.md"
    doc.write_text("".join(f"- {claim}\n    - `The committee met every night in Smolny.` - A Lost Book, Nobody, 1950\n"
                           for claim in ("The committee met at night.", "The committee met in Smolny.",
                                         "The committee sat in Smolny every night.")))
    res = run("check", str(doc), "--library", str(demo_library), "--fail-on", "none")
    assert res.stdout.count("is not in the library") == 1, res.stdout
    assert "3 claims: 1, 2, 3" in res.stdout
    data = json.loads(run("check", str(doc), "--library", str(demo_library), "--format", "json",
                          "--fail-on", "none").stdout)
    [shared] = data["summary"]["repeated"]
    assert shared["code"] == "source_not_in_library" and shared["claims"] == [1, 2, 3]
    assert all(c["problems"][0]["code"] == "source_not_in_library" for c in data["claims"])


def test_every_problem_code_is_documented_in_the_readme() -> None:
    readme = (ROOT / "README.md").read_text()
    table = readme[readme.index("### Problem codes"):]
    for code in ProblemCode:
        assert f"| `{code}` |" in table, code


