"""Which problems count (issue 22): --select/--ignore by code (command line and settings file), a reviewed
finding accepted by an inline comment or a baseline file, and the summary's `ignored` and `baselined`.

The rule-table judge decides the verdicts, so the counts each test expects are derived in the test from a
plain run of the same document, never copied from a model's output.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from sourcecheck.cli import main
from sourcecheck.judge.fake import Rule

GARRISON = "The Petrograd Garrison in 1917"
NOTES = "Notes on the October Days"
# Line 1: supported (every word in the quotation); line 3: misquoted ("Central" for "State") and contradicted
# by the rule below; line 5: no evidence. Lines 2 and 4 are the quotations (outline format).
ESSAY = f"""- The garrison stayed in its barracks.{{c1}}
    - `Most of the garrison neither defended the Provisional Government nor took part in the rising: they stayed in their barracks` - {GARRISON}
- The committee's detachments occupied the State Bank.{{c3}}
    - `During the night of 24-25 October detachments under the orders of the committee occupied the railway stations, the telegraph office, the telephone exchange and the Central Bank.` - {NOTES}
- Kerensky left the city to look for loyal troops at the front.{{c5}}
"""


@pytest.fixture
def judge(fake_judge):
    fake_judge.rules = [Rule("State Bank", "", "contradicted")]
    return fake_judge


def essay(tmp_path: Path, name: str = "essay.md", **comments: str) -> Path:
    p = tmp_path / name
    p.write_text(ESSAY.format(**{k: comments.get(k, "") for k in ("c1", "c3", "c5")}), encoding="utf-8")
    return p


def check(doc: Path, library: Path, *args: str, cwd: Path | None = None):
    res = CliRunner().invoke(main, ["check", str(doc), "-l", str(library), *args], catch_exceptions=False)
    return res


def report(doc: Path, library: Path, *args: str) -> dict:
    res = check(doc, library, "--format", "json", "--fail-on", "none", *args)
    assert res.exit_code == 0, res.output
    return json.loads(res.stdout)


def codes(rep: dict) -> list[str]:
    return sorted(p["code"] for c in rep["claims"] for p in c["problems"])


def by_line(rep: dict) -> dict[int, list[str]]:
    return {c["line"]: sorted(p["code"] for p in c["problems"]) for c in rep["claims"]}


# -- --select / --ignore ----------------------------------------------------------------------

def test_the_plain_run_has_the_problems_the_tests_below_take_away(tmp_path, demo_library, judge) -> None:
    rep = report(essay(tmp_path), demo_library)
    assert rep["schema_version"] == 4 and rep["judge"] == judge.name
    assert by_line(rep) == {1: [], 3: ["contradicted", "misquoted"], 5: ["no_evidence"]}
    assert rep["summary"]["ignored"] == 0 and rep["summary"]["baselined"] == 0


@pytest.mark.parametrize("args, dropped", [
    (["--ignore", "no_evidence"], {"no_evidence"}),
    (["--ignore", "no_evidence,misquoted"], {"no_evidence", "misquoted"}),
    (["--ignore", "no_evidence", "--ignore", "contradicted"], {"no_evidence", "contradicted"}),
    (["--select", "misquoted"], {"no_evidence", "contradicted"}),
    (["--select", "misquoted,no_evidence", "--ignore", "no_evidence"], {"no_evidence", "contradicted"}),
])
def test_select_and_ignore_by_code(tmp_path, demo_library, judge, args: list[str], dropped: set[str]) -> None:
    doc = essay(tmp_path)
    plain = report(doc, demo_library)
    rep = report(doc, demo_library, *args)
    assert codes(rep) == [c for c in codes(plain) if c not in dropped]
    assert rep["summary"]["claims"] == plain["summary"]["claims"]
    assert rep["summary"]["fine"] == sum(1 for c in rep["claims"] if not c["problems"])
    assert set(rep["summary"]["by_code"]) == set(codes(rep))
    assert rep["summary"]["ignored"] == 0  # a code not selected is not checked for, not "ignored"


def test_ignoring_the_only_error_makes_the_exit_code_0(tmp_path, demo_library, judge) -> None:
    doc = essay(tmp_path)
    assert check(doc, demo_library).exit_code == 1
    assert check(doc, demo_library, "--ignore", "misquoted,contradicted").exit_code == 0
    assert check(doc, demo_library, "--select", "no_evidence", "--fail-on", "warning").exit_code == 1


@pytest.mark.parametrize("name", ["pyproject.toml", "sourcecheck.toml"])
def test_select_and_ignore_in_the_settings_file(tmp_path, demo_library, judge, name: str) -> None:
    doc = essay(tmp_path)
    plain = report(doc, demo_library)
    table = "[tool.sourcecheck]\n" if name == "pyproject.toml" else ""
    (tmp_path / name).write_text(table + 'select = ["misquoted", "no_evidence"]\nignore = ["no_evidence"]\n')
    rep = report(doc, demo_library)
    assert codes(rep) == [c for c in codes(plain) if c == "misquoted"]
    # the command line wins over the file, as for every setting
    assert codes(report(doc, demo_library, "--select", "contradicted,no_evidence")) == \
        [c for c in codes(plain) if c == "contradicted"]


def test_a_misspelt_code_is_refused_naming_where_it_was_written(tmp_path, demo_library, judge) -> None:
    doc = essay(tmp_path)
    res = check(doc, demo_library, "--ignore", "contradictd")
    assert res.exit_code == 2
    assert res.stderr.strip().splitlines() == \
        ['sourcecheck: error: --ignore: unknown problem code "contradictd" (did you mean "contradicted"?)']
    (tmp_path / "sourcecheck.toml").write_text('select = ["misquote"]\n')
    res = check(doc, demo_library)
    assert res.exit_code == 2 and len(res.stderr.strip().splitlines()) == 1
    assert f'{tmp_path / "sourcecheck.toml"}: unknown problem code "misquote" (did you mean "misquoted"?)' in res.stderr
    assert judge.calls == []  # said before any claim was judged
    (tmp_path / "sourcecheck.toml").write_text('ignore = "misquoted"\n')
    res = check(doc, demo_library)
    assert res.exit_code == 2 and "ignore must be a list" in res.stderr


# -- an inline comment on the claim's line ------------------------------------------------------

def test_an_inline_comment_accepts_the_codes_it_names(tmp_path, demo_library, judge) -> None:
    plain = report(essay(tmp_path, "plain.md"), demo_library)
    doc = essay(tmp_path, c3=" <!-- sourcecheck: ignore[contradicted] -->")
    rep = report(doc, demo_library)
    assert by_line(rep)[3] == [c for c in by_line(plain)[3] if c != "contradicted"]
    assert by_line(rep)[5] == by_line(plain)[5]
    assert rep["summary"]["ignored"] == 1
    assert all("sourcecheck" not in c["text"] and "<!--" not in c["text"] for c in rep["claims"])
    claim = next(c for c in rep["claims"] if c["line"] == 3)
    assert claim["verdict"] == "contradicted"  # the verdict stands; only its problem was accepted


def test_a_bare_ignore_accepts_every_problem_of_its_claim(tmp_path, demo_library, judge) -> None:
    plain = report(essay(tmp_path, "plain.md"), demo_library)
    doc = essay(tmp_path, c3="<!-- sourcecheck: ignore -->", c5="  <!--sourcecheck:ignore[no-evidence]-->")
    rep = report(doc, demo_library)
    assert by_line(rep) == {1: [], 3: [], 5: []}
    assert rep["summary"]["ignored"] == len(by_line(plain)[3]) + len(by_line(plain)[5])
    assert rep["summary"]["fine"] == rep["summary"]["claims"] == plain["summary"]["claims"]
    assert check(doc, demo_library, "--fail-on", "warning").exit_code == 0


def test_a_comment_on_the_quotation_line_accepts_that_quotation_s_problems(tmp_path, demo_library, judge) -> None:
    doc = tmp_path / "essay.md"
    lines = essay(tmp_path).read_text().splitlines()
    lines[3] += " <!-- sourcecheck: ignore[misquoted] -->"
    doc.write_text("\n".join(lines) + "\n")
    assert by_line(report(doc, demo_library))[3] == ["contradicted"]


def test_the_inline_comment_works_in_wikitext(tmp_path, demo_library, judge) -> None:
    ref = (f"<ref>{{{{cite book |last=Team |title={NOTES} |year=2026 |quote=During the night of 24-25 October "
           "detachments under the orders of the committee occupied the railway stations, the telegraph office, "
           "the telephone exchange and the Central Bank.}}</ref>")
    wiki = tmp_path / "night.wiki"
    body = "== The night ==\nThe committee's detachments occupied the State Bank." + ref + "COMMENT\n"
    wiki.write_text(body.replace("COMMENT", ""), encoding="utf-8")
    plain = report(wiki, demo_library)
    assert sorted(by_line(plain)[2]) == ["contradicted", "misquoted"]
    wiki.write_text(body.replace("COMMENT", " <!-- sourcecheck: ignore[misquoted] -->"), encoding="utf-8")
    rep = report(wiki, demo_library)
    assert by_line(rep)[2] == ["contradicted"] and rep["summary"]["ignored"] == 1


def test_a_misspelt_code_in_a_comment_is_an_error_at_its_line(tmp_path, demo_library, judge) -> None:
    doc = essay(tmp_path, c5=" <!-- sourcecheck: ignore[no_evidance] -->")
    res = check(doc, demo_library)
    assert res.exit_code == 2
    assert res.stderr.strip().splitlines() == \
        [f'sourcecheck: error: {doc}:5: unknown problem code "no_evidance" (did you mean "no_evidence"?)']


# -- a baseline file -----------------------------------------------------------------------------

def test_a_written_baseline_accepts_every_old_finding_and_only_new_ones_fail(tmp_path, demo_library, judge) -> None:
    doc = essay(tmp_path)
    plain = report(doc, demo_library)
    base = tmp_path / "baseline.json"
    res = check(doc, demo_library, "--write-baseline", str(base))
    assert res.exit_code == 0, res.output
    written = json.loads(base.read_text())
    assert sorted(f["code"] for f in written["findings"]) == codes(plain)
    assert {f["document"] for f in written["findings"]} == {"essay.md"}  # relative to the baseline's folder

    rep = report(doc, demo_library, "--baseline", str(base))
    assert codes(rep) == [] and rep["summary"]["baselined"] == len(codes(plain))
    assert check(doc, demo_library, "--baseline", str(base), "--fail-on", "warning").exit_code == 0

    # Lines move (a claim added above) and a new problem appears: only the new one is reported.
    new = "- The Winter Palace fell on 8 November 1917 (25 October Old Style).\n"
    doc.write_text(new + doc.read_text())
    rep = report(doc, demo_library, "--baseline", str(base))
    assert [c["line"] for c in rep["claims"] if c["problems"]] == [1]
    assert rep["summary"]["baselined"] == len(codes(plain))
    assert check(doc, demo_library, "--baseline", str(base)).exit_code == 1


def test_a_baseline_counts_each_finding_once(tmp_path, demo_library, judge) -> None:
    doc = essay(tmp_path)
    base = tmp_path / "baseline.json"
    assert check(doc, demo_library, "--write-baseline", str(base)).exit_code == 0
    doc.write_text(doc.read_text() + "- Kerensky left the city to look for loyal troops at the front.\n")
    rep = report(doc, demo_library, "--baseline", str(base))
    assert codes(rep) == ["no_evidence"]  # the same claim twice: the baseline accepted one of them


def test_a_baseline_setting_is_read_relative_to_the_settings_file(tmp_path, demo_library, judge) -> None:
    (tmp_path / "essays").mkdir()
    doc = essay(tmp_path / "essays")
    assert check(doc, demo_library, "--write-baseline", str(tmp_path / "accepted.json")).exit_code == 0
    (tmp_path / "sourcecheck.toml").write_text('baseline = "accepted.json"\n')
    rep = report(doc, demo_library)
    assert codes(rep) == [] and rep["summary"]["baselined"] > 0


@pytest.mark.parametrize("text, message", [
    ("{not json", "baseline.json:1: not valid JSON"),
    ('{"findings": []}', "baseline.json: not a baseline file"),
    ('{"format": "sourcecheck-baseline", "version": 1, "findings": [{"document": "a.md"}]}',
     'baseline.json: finding 1: needs "document", "claim" and "code" strings'),
    ('{"format": "sourcecheck-baseline", "version": 1, "findings": [{"document": "a.md", "claim": "x", "code": "nope"}]}',
     'unknown problem code in finding 1 "nope"'),
])
def test_a_bad_baseline_is_one_line_and_exit_2(tmp_path, demo_library, judge, text: str, message: str) -> None:
    (tmp_path / "baseline.json").write_text(text)
    res = check(essay(tmp_path), demo_library, "--baseline", str(tmp_path / "baseline.json"))
    assert res.exit_code == 2
    lines = res.stderr.strip().splitlines()
    assert len(lines) == 1 and message in lines[0], res.stderr
    assert judge.calls == []


def test_a_missing_baseline_is_named(tmp_path, demo_library, judge) -> None:
    res = check(essay(tmp_path), demo_library, "--baseline", str(tmp_path / "none.json"))
    assert res.exit_code == 2 and "none.json: no such baseline file" in res.stderr


@pytest.mark.parametrize("fmt", ["github", "sarif", "junit"])
def test_accepted_findings_are_in_no_ci_format(tmp_path, demo_library, judge, fmt: str) -> None:
    import re
    import xml.etree.ElementTree as ET

    doc = essay(tmp_path, c3=" <!-- sourcecheck: ignore[contradicted] -->")
    base = tmp_path / "baseline.json"
    base.write_text(json.dumps({"format": "sourcecheck-baseline", "version": 1, "findings": [
        {"document": "essay.md", "claim": "Kerensky left the city to look for loyal troops at the front.",
         "code": "no_evidence"}]}))
    left = [(p["code"], p["message"]) for c in report(doc, demo_library, "--baseline", str(base))["claims"]
            for p in c["problems"]]
    assert [code for code, _ in left] == ["misquoted"]
    out = check(doc, demo_library, "--format", fmt, "--baseline", str(base), "--fail-on", "none").stdout
    if fmt == "github":
        shown = re.findall(r"title=sourcecheck (\w+) ", out)
    elif fmt == "sarif":
        shown = [r["ruleId"] for run in json.loads(out)["runs"] for r in run["results"]]
    else:
        said = " ".join(" ".join([e.text or "", *e.attrib.values()]) for e in ET.fromstring(out).iter())
        shown = [code for code, message in left if message in said]
        assert "No evidence" not in said and "contradicts" not in said
    assert shown == [code for code, _ in left]


def test_one_baseline_for_several_documents(tmp_path, demo_library, judge) -> None:
    one, two = essay(tmp_path, "one.md"), essay(tmp_path, "two.md")
    base = tmp_path / "baseline.json"
    res = CliRunner().invoke(main, ["check", str(one), str(two), "-l", str(demo_library), "--write-baseline", str(base)])
    assert res.exit_code == 0, res.output
    assert {f["document"] for f in json.loads(base.read_text())["findings"]} == {"one.md", "two.md"}
    res = CliRunner().invoke(main, ["check", str(one), str(two), "-l", str(demo_library), "--baseline", str(base),
                                    "--format", "json", "--fail-on", "warning"])
    assert res.exit_code == 0
    reports = [json.loads(line) for line in res.stdout.splitlines()]
    assert [r["summary"]["baselined"] for r in reports] == [len(codes(report(one, demo_library)))] * 2


def test_write_baseline_to_a_folder_is_refused_before_any_work(tmp_path, demo_library, judge) -> None:
    res = check(essay(tmp_path), demo_library, "--write-baseline", str(tmp_path))
    assert res.exit_code == 2 and judge.calls == []


def test_the_ray_engine_refuses_what_it_cannot_apply(tmp_path, demo_library, judge) -> None:
    res = check(essay(tmp_path), demo_library, "--engine", "ray", "--format", "json", "--ignore", "no_evidence")
    assert res.exit_code == 2
    assert "--select, --ignore and baselines apply to documents checked without --engine ray" in res.stderr
