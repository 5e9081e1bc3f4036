"""CI formats (issue 13 §5): GitHub annotations, SARIF checked by sarif-pydantic, JUnit read by junitparser."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from junitparser import Failure, JUnitXml
from pydantic import BaseModel
from sarif_pydantic import Sarif

from conftest import EXAMPLES, needs_model
from sourcecheck.cli import main
from sourcecheck.report import format_names

DOC = EXAMPLES / "october-days.md"
pytestmark = needs_model


@pytest.fixture(scope="module")
def outputs(demo_library: Path, tmp_path_factory) -> dict[str, str]:
    """The example checked once per CI format, through the CLI (two documents for each)."""
    two = tmp_path_factory.mktemp("ci") / "two.md"
    two.write_text("".join(DOC.read_text().splitlines(True)[6:8]))  # the contradicted claim (4) alone
    out = {}
    for fmt in ("github", "sarif", "junit", "json"):
        res = CliRunner().invoke(main, ["check", str(DOC), str(two), "--library", str(demo_library),
                                        "--format", fmt], catch_exceptions=False)
        assert res.exit_code == 1, res.output
        out[fmt] = res.stdout
    out["two"] = str(two)
    return out


def test_writers_are_registered() -> None:
    assert {"text", "md", "json", "github", "sarif", "junit"} <= set(format_names())


def test_github_annotations_point_at_document_lines(outputs: dict[str, str]) -> None:
    lines = outputs["github"].splitlines()
    pattern = re.compile(r"^::(error|warning) file=([^,]+),line=(\d+),title=sourcecheck ([a-z_]+) \(claim (\d+)\)::.+$")
    parsed = [pattern.match(line) for line in lines]
    assert all(parsed), lines
    doc_lines = DOC.read_text().splitlines()
    for m in parsed:
        assert 1 <= int(m[3]) <= len(doc_lines)
    contradicted = {(m[2], int(m[3])) for m in parsed if m[4] == "contradicted"}
    reports = [json.loads(line) for line in outputs["json"].splitlines()]
    assert contradicted == {(r["document"], c["line"]) for r in reports for c in r["claims"] if c["verdict"] == "contradicted"}
    # Claim 4 (line 7) names the State Bank where its evidence says the Central Bank: a typed-slot conflict.
    assert (str(DOC), 7) in contradicted and (outputs["two"], 1) in contradicted
    # The misquotation points at the quotation's own line, under its claim.
    drift = [m for m in parsed if m[4] == "misquoted" and m[2] == str(DOC)]
    assert drift and all(doc_lines[int(m[3]) - 1].lstrip().startswith("- `") for m in drift)


def _extras(model: object, path: str = "log") -> list[str]:
    """Properties the SARIF models did not know (sarif-pydantic allows them; a misspelling would hide there)."""
    found = []
    if isinstance(model, BaseModel):
        found += [f"{path}.{k}" for k in (model.model_extra or {}) if k not in ("$schema", "properties")]
        for name in type(model).model_fields:
            found += _extras(getattr(model, name), f"{path}.{name}")
    elif isinstance(model, list):
        for i, x in enumerate(model):
            found += _extras(x, f"{path}[{i}]")
    return found


def test_sarif_validates(outputs: dict[str, str]) -> None:
    data = json.loads(outputs["sarif"])
    log = Sarif.model_validate(data)
    assert log.version == "2.1.0" and _extras(log) == []
    run = log.runs[0]
    rules = [r.id for r in run.tool.driver.rules]
    assert run.results and all(rules[r.rule_index] == r.rule_id for r in run.results)
    assert {r.level for r in run.results} == {"error", "warning"}
    uris = {r.locations[0].physical_location.artifact_location.uri for r in run.results}
    assert uris == {str(DOC), outputs["two"]}
    report = json.loads(outputs["json"].splitlines()[0])
    problems = sum(len(c["problems"]) for c in report["claims"])
    assert len([r for r in run.results if r.locations[0].physical_location.artifact_location.uri == str(DOC)]) <= problems


def test_junit_reads_back(outputs: dict[str, str], tmp_path: Path) -> None:
    path = tmp_path / "junit.xml"
    path.write_text(outputs["junit"])
    xml = JUnitXml.fromfile(str(path))
    suites = list(xml)
    assert [s.name for s in suites] == [str(DOC), outputs["two"]]
    reports = [json.loads(line) for line in outputs["json"].splitlines()]
    for suite, report in zip(suites, reports):
        cases = list(suite)
        assert len(cases) == len(report["claims"]) == suite.tests
        failed = [c for c in cases if any(isinstance(r, Failure) for r in c.result)]
        assert suite.failures == len(failed) >= 1
        assert any("contradicts" in (r.text or "") for c in failed for r in c.result)
