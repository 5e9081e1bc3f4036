"""Readers and the check at growing sizes (issue 22 "Hostile input", issue 24 "Time that grows too fast").

Each input of bench/growing_cases.py at its large size, and what must come out of it: the claims and
their evidence in order, nothing of the input lost, the limits named in one line. How long each takes
at n and at 8n is the benchmark's (bench/hostile_bench.py), never a test's.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import needs_model
from growing_cases import (
    NOTES,
    braces_outline,
    citation_keys,
    nested_templates,
    pandoc_claims,
    quote,
    wikitext_refs,
)
from sourcecheck.cli import main
from sourcecheck.document import read_document
from sourcecheck.judge.longclaim import NO_WORDS
from sourcecheck.tuning import MAX_EVIDENCE


def run(*args: str | Path):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def check_json(doc: Path, library: Path, *extra: str) -> dict:
    res = run("check", doc, "--library", library, "--format", "json", "--fail-on", "none", *extra)
    assert res.exit_code == 0, res.output[-2000:]
    return json.loads(res.stdout)


# -- wikitext: 10,000 refs on one sentence ----------------------------------------------------

def test_ten_thousand_refs_are_read_in_order(tmp_path: Path) -> None:
    (claim,) = read_document(wikitext_refs(tmp_path / "refs.wiki", 10_000)).claims
    assert claim.text == "The garrison waited in its barracks."
    assert len(claim.evidence) == 10_000
    assert [e.citation.locator.first for e in claim.evidence] == list(range(1, 10_001))
    assert all(e.quote == quote(i) and e.citation.title == NOTES for i, e in enumerate(claim.evidence))


def test_a_named_ref_reused_on_one_claim_is_one_citation(tmp_path: Path) -> None:
    (claim,) = read_document(wikitext_refs(tmp_path / "named.wiki", 10_000, named=True)).claims
    assert [(e.quote, e.citation.raw) for e in claim.evidence] == [(quote(0), f"{NOTES}, p. 1")]


def test_more_quotations_than_max_evidence_is_one_line_before_any_check(tmp_path: Path, demo_library: Path,
                                                                         fake_judge) -> None:
    doc = wikitext_refs(tmp_path / "refs.wiki", 10_000)
    res = run("check", doc, "--library", demo_library, "--format", "json")
    assert res.exit_code == 2 and res.stdout == ""
    (line,) = res.stderr.strip().splitlines()
    assert line == (f"sourcecheck: error: {doc}:1: claim 1 has 10000 quotations, more than max-evidence = "
                    f"{MAX_EVIDENCE} (raise it with --max-evidence N or max-evidence in sourcecheck.toml)")
    assert fake_judge.calls == []  # refused before the first claim was judged


def test_max_evidence_is_settable_on_the_command_line_and_in_the_config(tmp_path: Path, demo_library: Path,
                                                                          fake_judge) -> None:
    doc = wikitext_refs(tmp_path / "refs.wiki", MAX_EVIDENCE + 20)
    assert run("check", doc, "--library", demo_library).exit_code == 2
    report = check_json(doc, demo_library, "--max-evidence", str(MAX_EVIDENCE + 20))
    (claim,) = report["claims"]
    assert len(claim["evidence"]) == MAX_EVIDENCE + 20
    assert all(e["quote_status"] in ("exact", "normalized") for e in claim["evidence"])
    assert [e["cited_page"] for e in claim["evidence"]][-1] == f"p. {MAX_EVIDENCE + 20}"
    (tmp_path / "sourcecheck.toml").write_text("max-evidence = 0\n")  # 0: no limit
    assert len(check_json(doc, demo_library)["claims"][0]["evidence"]) == MAX_EVIDENCE + 20
    res = run("check", doc, "--library", demo_library, "--max-evidence", "-1")
    assert res.exit_code == 2 and "--max-evidence" in res.stderr


# -- nesting -------------------------------------------------------------------------------

def test_templates_nested_past_the_parsers_depth_leave_no_braces_in_the_claim(tmp_path: Path) -> None:
    for depth in (10, 100, 16_000):
        first, second = read_document(nested_templates(tmp_path / f"deep{depth}.wiki", depth)).claims
        assert first.text == "The garrison waited in its barracks.", (depth, first.text[:80])
        assert first.line == 1 and [e.quote for e in first.evidence] == [quote(0)]
        assert second.text == "The second sentence stands on line 3." and second.line == 3


@needs_model
def test_a_claim_of_forty_kilobytes_of_braces_is_judged_by_its_words(tmp_path: Path, demo_library: Path) -> None:
    report = check_json(braces_outline(tmp_path / "braces.md", 40_000), demo_library)
    (claim,) = report["claims"]
    assert claim["verdict"] == "supported", claim["problems"]
    words = [p for p in claim["parts"] if p["note"] != NO_WORDS]
    assert words and all(p["verdict"] == "supported" for p in words)
    wordless = [p for p in claim["parts"] if p["note"] == NO_WORDS]
    assert len(wordless) > 10 and all(p["verdict"] == "not_addressed" and not any(c.isalnum() for c in p["text"])
                                      for p in wordless)
    # nothing of the claim is dropped: its parts hold every brace
    text = "".join(p["text"] for p in claim["parts"])
    assert text.count("{") == text.count("}") == 20_000


# -- many keys, many claims ------------------------------------------------------------------

def test_four_thousand_keys_on_one_claim_each_said_once(tmp_path: Path, demo_library: Path, fake_judge) -> None:
    report = check_json(citation_keys(tmp_path / "keys.md", 4_000), demo_library)
    (claim,) = report["claims"]
    unknown = [p["message"] for p in claim["problems"] if p["code"] == "unknown_citation_key"]
    assert len(unknown) == len(set(unknown)) == 3_999
    assert not any("@k0:" in m for m in unknown) and any("@k3999:" in m for m in unknown)


def test_five_thousand_pandoc_claims_in_order_with_progress_in_json_mode(tmp_path: Path, demo_library: Path,
                                                                         fake_judge, monkeypatch) -> None:
    import sourcecheck.console as console

    monkeypatch.setattr(console, "PROGRESS_LOG_EVERY_S", 0.0)  # every claim's line, rather than every 10 s
    doc = pandoc_claims(tmp_path / "claims.md", 5_000)
    res = run("check", doc, "--library", demo_library, "--format", "json", "--fail-on", "none")
    assert res.exit_code == 0, res.stderr[-2000:]
    report = json.loads(res.stdout)  # stdout holds the report only: progress went to stderr
    assert [c["id"] for c in report["claims"]] == list(range(1, 5_001))
    assert [c["line"] for c in report["claims"]] == [6 + 2 * i for i in range(5_000)]
    assert all(c["evidence"][0]["quote_status"] in ("exact", "normalized") for c in report["claims"])
    assert all(c["evidence"][0]["cited_page"] == f"p. {i + 1}" for i, c in enumerate(report["claims"]))
    progress = [ln for ln in res.stderr.splitlines() if ln.startswith("sourcecheck: checking claims")]
    assert progress and progress[-1].startswith("sourcecheck: checking claims 5000/5000")
    assert "\r" not in res.stderr and "\x1b" not in res.stderr


@pytest.mark.parametrize("chars", [40_000])
def test_reading_nested_braces_is_one_claim_with_every_brace(tmp_path: Path, chars: int) -> None:
    (claim,) = read_document(braces_outline(tmp_path / "braces.md", chars)).claims
    assert claim.text.count("{") == claim.text.count("}") == chars // 2
    assert [e.quote for e in claim.evidence] == [quote(0)]
