"""Which words of a claim the evidence does not support: a per-word model fitted on WiCE's word labels.

The first rule ("content words of unsupported parts that the text read does not contain") missed
most of what annotators mark, for three reasons this model takes up, each with its own feature:
- annotators mark whole spans, function words included ("is the only one dedicated"): a stop word
  between two unsupported words is unsupported too (``left_absent``, ``right_absent``, ``between``);
- a word can be on the page and still unsupported where the claim uses it ("only" is somewhere on a
  long page): the part's calibrated support counts beside the word's presence (``sup_max``);
- a word can be absent and still supported ("took" for "seized"): its best static-vector cosine to
  the page's words (``vec_best``).

The weights are a logistic regression fitted by training/uncovered.py on ``wice_partial_train.jsonl``
(374 partly supported claims; its OOF figures are in the model card) and stored in
``models/judge/uncovered.json`` with their feature names, which are checked against FEATURES here.
Without that file the judge falls back to the baseline "words absent from the evidence".
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from .features import logit
from .model import MODEL_DIR
from .windows import STOP, stem

WEIGHTS = MODEL_DIR / "uncovered.json"
TOKEN = re.compile(r"[A-Za-z0-9]+(?:['’][A-Za-z]+)?")
FEATURES = ("absent_page", "absent_read", "absent_best", "absent_top", "page_count", "vec_best", "stop", "capital",
            "number", "sup_max", "sup_min", "left_absent", "right_absent", "between", "claim_absent", "rel_pos")
SMOOTH = ("logit", "left", "right", "max_lr", "min_lr", "mean2", "claim_mean", "stop")


@dataclass(frozen=True)
class ClaimToken:
    text: str
    start: int
    end: int


def claim_tokens(claim: str) -> list[ClaimToken]:
    return [ClaimToken(m.group(), m.start(), m.end()) for m in TOKEN.finditer(claim)]


def _is_stop(w: str) -> bool:
    return w.lower() in STOP or (len(w) <= 2 and not w.isdigit())


def _stems(text: str) -> set[str]:
    return {stem(w.lower()) for w in TOKEN.findall(text)}


def token_features(claim: str, page: str, parts: Sequence[tuple[str, str, float, str]], top: str,
                   similarity) -> tuple[list[ClaimToken], list[list[float]]]:
    """One feature row per claim word. ``parts`` are (part text, text read for it, calibrated support,
    the span that best supports it); ``top`` the window that best supports the whole claim;
    ``similarity(words, text)`` gives each word's best static-vector cosine to the text's words."""
    toks = claim_tokens(claim)
    if not toks:
        return [], []
    counts: dict[str, int] = {}
    for w in TOKEN.findall(page):
        k = stem(w.lower())
        counts[k] = counts.get(k, 0) + 1
    page_stems = set(counts)
    top_stems = _stems(top)
    part_words = [(_stems(t), _stems(r), s, _stems(b)) for t, r, s, b in parts]
    all_read = set().union(*(r for _, r, _, _ in part_words)) if part_words else page_stems
    all_best = set().union(*(b for _, _, _, b in part_words)) if part_words else top_stems
    floor = min((s for _, _, s, _ in part_words), default=0.0)
    stems = [stem(t.text.lower()) for t in toks]
    stop = [_is_stop(t.text) for t in toks]
    absent_page = [float(s not in page_stems) for s in stems]
    content = [i for i, st in enumerate(stop) if not st]
    claim_absent = float(np.mean([absent_page[i] for i in content])) if content else 0.0
    sims = similarity([toks[i].text for i in content], page) if content else []
    vec = dict(zip(content, sims))
    rows: list[list[float]] = []
    for i, (t, s) in enumerate(zip(toks, stems)):
        holders = [(read, sup, best) for words, read, sup, best in part_words if s in words]
        read = set().union(*(r for r, _, _ in holders)) if holders else all_read
        best = set().union(*(b for _, _, b in holders)) if holders else all_best
        sups = [sup for _, sup, _ in holders] or [floor]
        left = next((absent_page[j] for j in reversed(content) if j < i), 0.5)
        right = next((absent_page[j] for j in content if j > i), 0.5)
        rows.append([absent_page[i], float(s not in read), float(s not in best), float(s not in top_stems),
                     math.log1p(counts.get(s, 0)), vec.get(i, 1.0), float(stop[i]),
                     float(t.text[:1].isupper() and i > 0), float(any(c.isdigit() for c in t.text)),
                     logit(max(sups)), logit(min(sups)), left, right, left * right, claim_absent,
                     i / max(1, len(toks) - 1)])
    return toks, rows


def smooth_rows(p: list[float], rows: list[list[float]]) -> list[list[float]]:
    """Stage two: each word's first-stage probability beside its neighbours' (annotators mark spans,
    so a word between two unsupported ones is likely unsupported, and an isolated one less so)."""
    n, stop, out = len(p), FEATURES.index("stop"), []
    mean = float(np.mean(p)) if p else 0.0
    for i in range(n):
        left, right = (p[i - 1] if i > 0 else 0.5), (p[i + 1] if i < n - 1 else 0.5)
        far = ((p[i - 2] if i > 1 else 0.5) + (p[i + 2] if i < n - 2 else 0.5)) / 2
        out.append([logit(p[i]), left, right, max(left, right), min(left, right), far, mean, rows[i][stop]])
    return out


def _apply(w: dict, rows: list[list[float]]) -> list[float]:
    """A fitted logistic regression over standardised features (training/uncovered.py writes them)."""
    x = (np.asarray(rows, dtype=np.float64) - np.asarray(w["mean"])) / np.asarray(w["scale"])
    z = x @ np.asarray(w["coef"]) + w["intercept"]
    return [float(v) for v in 1 / (1 + np.exp(-z))]


class UncoveredModel:
    """The fitted per-word regression and its threshold."""

    def __init__(self, path=WEIGHTS):
        self.weights: dict | None = None
        if path.exists():
            w = json.loads(path.read_text())
            if list(w.get("features", [])) != list(FEATURES) or list(w.get("smooth_features", [])) != list(SMOOTH):
                raise RuntimeError(f"{path}: fitted on features {w.get('features')}, but the judge computes "
                                   f"{list(FEATURES)}; run training/uncovered.py again")
            self.weights = w

    def probabilities(self, rows: list[list[float]]) -> list[float]:
        if not rows:
            return []
        if self.weights is None:  # the baseline: words absent from the evidence
            stop = FEATURES.index("stop")
            return [float(r[0] and not r[stop]) for r in rows]
        p = _apply(self.weights["word"], rows)
        return _apply(self.weights["smooth"], smooth_rows(p, rows))

    @property
    def threshold(self) -> float:
        return float(self.weights["threshold"]) if self.weights else 0.5

    @property
    def t_words(self) -> float | None:
        """The WORD RULE's threshold (judge.py), where fitted."""
        return self.weights.get("t_words") if self.weights else None

    def decide(self, toks: list[ClaimToken], rows: list[list[float]],
               covered: Sequence[tuple[int, int]] = ()) -> tuple[list[str], float | None]:
        """The claim's unsupported words (in order, each once) and the share of its content words they
        are (None for a claim without content words). Words inside a ``covered`` span are supported."""
        out: list[str] = []
        flags = [p >= self.threshold and not any(a <= t.start < b for a, b in covered)
                 for t, p in zip(toks, self.probabilities(rows))]
        for t, flag in zip(toks, flags):
            if flag and t.text not in out:
                out.append(t.text)
        content = [f for t, f in zip(toks, flags) if not _is_stop(t.text)]
        return out, (sum(content) / len(content) if content else None)

    def words(self, toks: list[ClaimToken], rows: list[list[float]]) -> list[str]:
        return self.decide(toks, rows)[0]
