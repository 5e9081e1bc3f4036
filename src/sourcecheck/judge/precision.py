"""Support at the judge's precision threshold: the one test `cite` and search's order trust.

The balanced threshold (``t_support``) is fitted so that a ✓ is right as often as a ✗ of the same
score is wrong; `cite` writes a citation into someone's document, where a wrong one is worse than none,
so it asks for ``t_support_precise`` (fitted by training/calibrate.py for a precision of 0.95 on
held-out pairs; calibration.json). A judge without a calibration (an LLM, the rule-table judge of the
tests) states its own ``t_support_precise`` or none; with none, its verdict "supported" is taken as it is.
"""

from __future__ import annotations

from typing import Any

from ..records import Judgement, Verdict


def precise_support(judge: Any) -> float | None:
    """The support a verdict "supported" needs to count as precise, or None for a judge without one."""
    cal = getattr(judge, "cal", None)
    if isinstance(cal, dict) and "t_support_precise" in cal:
        return float(cal["t_support_precise"])
    value = getattr(judge, "t_support_precise", None)
    return float(value) if isinstance(value, int | float) else None


def supports_precisely(judgement: Judgement | None, threshold: float | None) -> bool:
    """Supported as a whole claim, with the support the precision threshold asks (when there is one)."""
    if judgement is None or judgement.verdict != Verdict.SUPPORTED:
        return False
    return threshold is None or judgement.support >= threshold
