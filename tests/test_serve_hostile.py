"""Hostile input of the web app (issues 22 and 24): every serve row of the robustness benchmark as a test.

Each case of ``bench/serve_cases.py`` starts a real `sourcecheck serve` process and attacks it as a
client would (raw sockets for bodies without a length, 80 uploads at once, Chromium for markup in
every page); any answer but the expected one fails here, with what the server did instead.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import MODEL
from serve_cases import CASES, run_serve_case


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_serve_hostile_case(case, tmp_path: Path) -> None:
    if case.judge and not MODEL.exists():
        pytest.fail("the judge model is missing: these cases need it (make train)")
    outcome, verdict = run_serve_case(case, tmp_path)
    assert verdict == "as expected", f"{verdict} ({outcome})"
