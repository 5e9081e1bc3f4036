"""check.py: what reaches --fail-on, decided from the findings (no evidence: the rule-table judge suffices)."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from sourcecheck.cli import main


@pytest.mark.parametrize("claim, fail_on, code", [
    ("The Winter Palace fell on 8 November 1917 (25 October Old Style).", "error", 1),   # wrong offset: an error
    ("The Winter Palace fell on 8 November 1917 (26 October Old Style).", "error", 0),   # no evidence: a warning only
    ("The Winter Palace fell on 8 November 1917 (26 October Old Style).", "warning", 1),
    ("The Winter Palace fell on 30 February 1917.", "error", 1),                          # no such day
])
def test_date_problems_are_errors_and_missing_evidence_a_warning(tmp_path: Path, demo_library: Path, fake_judge,
                                                                 claim: str, fail_on: str, code: int) -> None:
    doc = tmp_path / "doc.md"
    doc.write_text(f"- {claim}\n")
    res = CliRunner().invoke(main, ["check", str(doc), "--library", str(demo_library), "--fail-on", fail_on],
                             catch_exceptions=False)
    assert res.exit_code == code, res.output
