"""Agreement of numbers, dates, names and negation between a claim and its best evidence.

These are features beside the model, never a verdict on their own: a claim whose year or figure
is absent from the evidence is much less likely to be supported (and a different date for the
same event is a sign of contradiction), which a small cross-encoder reading 160 tokens often
misses. Dates are compared calendar-aware: "25 October 1917 (O.S.)" in the evidence agrees with
"7 November 1917" in the claim.
"""

from __future__ import annotations

import math
import re

from ..dates import find_dates
from .windows import STOP

NUMBER = re.compile(r"(?<![\w.])\d[\d,]*(?:\.\d+)?(?![\w])")
NAME = re.compile(r"(?<=[a-z,;:]\s)[A-Z][a-zA-Z'’-]+")
NEGATION = re.compile(r"\b(not|never|no|none|nor|neither|n't|without|failed to|denied|refused)\b", re.I)


def logit(p: float) -> float:
    """A probability as the regressions take it (judge.py's calibration, uncovered.py), clipped so that
    a model's 0 or 1 stays finite."""
    p = min(max(p, 1e-4), 1 - 1e-4)
    return math.log(p / (1 - p))


def _numbers(text: str) -> set[str]:
    return {n.replace(",", "").rstrip(".") for n in NUMBER.findall(text)}


def _day_dates(text: str) -> set[str]:
    """ISO dates (both calendars where known) of every day-precision date in the text."""
    out: set[str] = set()
    for m in find_dates(text):
        if m.precision == "day":
            out.update(d.isoformat() for d in (m.gregorian, m.julian) if d)
    return out


def agreement(claim: str, evidence: str) -> dict[str, float]:
    """Shares of the claim's numbers / names / dates that the evidence lacks, and negation mismatch."""
    ev_low = evidence.lower()
    nums = _numbers(claim)
    ev_nums = _numbers(evidence)
    num_missing = len([n for n in nums if n not in ev_nums]) / len(nums) if nums else 0.0
    names = {n for n in NAME.findall(claim) if n.lower() not in STOP}
    name_missing = len([n for n in names if n.lower() not in ev_low]) / len(names) if names else 0.0
    cd = _day_dates(claim)
    ed = _day_dates(evidence) if cd else set()
    date_conflict = 1.0 if cd and ed and not (cd & ed) else 0.0
    neg = float(bool(NEGATION.search(claim)) != bool(NEGATION.search(evidence)))
    return {"num_missing": num_missing, "name_missing": name_missing, "date_conflict": date_conflict,
            "neg_mismatch": neg, "has_numbers": float(bool(nums))}
