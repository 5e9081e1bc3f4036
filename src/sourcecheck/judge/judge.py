"""The judge: does this evidence support, partly support, contradict or not address the claim?

How it decides, and why each step is there:
1. The evidence, however long, is cut into overlapping sentence windows (windows.py); a cheap
   lexical score over *every* window picks those the model reads, so nothing is cut off unread.
2. The claim is split into parts (decompose.py); each part is judged against its own best windows,
   so a claim half of which is unsupported comes out partially supported, with its uncovered words.
3. The trained cross-encoder (model.py) gives entailment / neutral / contradiction per pair.
4. Features beside the model (features.py: numbers, names, dates calendar-aware, negation; and a
   BERTScore-style coverage of the claim by the evidence's frozen MiniLM token vectors) are combined
   with the model's scores by a logistic regression fitted on WiCE dev (calibration.json; its
   out-of-fold figures are in the model card), which gives the calibrated ``support``.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, field

import numpy as np

from ..dates import find_dates
from ..records import Judgement
from .decompose import decompose
from .features import agreement
from .model import ENT, CON, MODEL_DIR, get_cross_encoder
from .windows import Window, best_windows, content_words, coverage, prepare, stem

CALIBRATION = MODEL_DIR / "calibration.json"
RELATIVE_DAY = re.compile(r"\b(?:the )?(?:next|following|previous) (?:day|morning|night|week)|\bthat (?:night|day|morning)|\bthe day before\b", re.I)
RELEVANT = 0.3  # lexical coverage above which a window is "about" the claim
FEATURES = ("ent_full", "ent_wmax", "ent_parts_min", "ent_parts_mean", "con_full", "lex_best", "lex_union", "emb_cov",
            "num_missing", "name_missing", "date_conflict", "neg_mismatch")


@dataclass
class Analysis:
    """Everything the judge computed for one claim: features, per-part scores, the windows read."""

    features: dict[str, float]
    parts: list[str]
    part_support: list[float]
    windows: list[Window]
    window_probs: np.ndarray
    part_windows: list[list[Window]] = field(default_factory=list)


def _logit(p: float) -> float:
    p = min(max(p, 1e-4), 1 - 1e-4)
    return math.log(p / (1 - p))


def feature_vector(f: dict[str, float]) -> list[float]:
    """The model's probabilities enter as logits; the rest as they are."""
    return [_logit(f[k]) if k.startswith(("ent_", "con_")) else f[k] for k in FEATURES]


class Judge:
    """Load once, call many times; ``judge`` is the one call every command uses."""

    def __init__(self, threads: int | None = None, k_windows: int = 8, k_part_windows: int = 3,
                 use_embeddings: bool = True):
        self.model = get_cross_encoder(threads)
        self.k = k_windows
        self.kp = k_part_windows
        self.encoder = None
        if use_embeddings:
            from ..embed import get_encoder

            self.encoder = get_encoder(threads)
        self.cal = json.loads(CALIBRATION.read_text()) if CALIBRATION.exists() else None
        self.name = self.model.name + (" + calibration" if self.cal else " (uncalibrated)")

    # -- scoring ---------------------------------------------------------------------------
    def _emb_coverage(self, claim: str, windows: list[Window]) -> float:
        """Mean over the claim's content word pieces of their best cosine to the evidence's pieces."""
        if not self.encoder or not windows:
            return 0.0
        texts = [claim] + [w.text for w in windows[:2]]
        vecs = self.encoder.token_vectors(texts)
        ctoks, cvec = vecs[0]
        keep = [i for i, t in enumerate(ctoks) if t.isalnum() and t.lower() not in {"the", "of", "and", "a", "in", "to", "was"}]
        if not keep:
            return 0.0
        ev = np.concatenate([v for _, v in vecs[1:] if len(v)] or [np.zeros((1, cvec.shape[1]), dtype=np.float32)])
        sims = cvec[keep] @ ev.T
        return float(sims.max(axis=1).mean())

    def analyse(self, claim: str, evidence: str | list[str]) -> Analysis:
        text = evidence if isinstance(evidence, str) else "\n\n".join(e for e in evidence if e)
        prep = prepare(text)
        windows = best_windows(claim, prep, self.k)
        parts = decompose(claim)
        part_windows = [best_windows(p, prep, self.kp) for p in parts] if len(parts) > 1 else []
        pairs = [(w.text, claim) for w in windows]
        for p, ws in zip(parts, part_windows):
            pairs += [(w.text, p) for w in ws]
        probs = self.model.predict(pairs) if pairs else np.zeros((0, 3), dtype=np.float32)
        full = probs[: len(windows)]
        ent_full = float(full[:, ENT].max()) if len(full) else 0.0
        con_full = float(full[:, CON].max()) if len(full) else 0.0
        part_con = 0.0  # contradiction of a part, from a window about that part
        if part_windows:
            part_support, i = [], len(windows)
            for ws in part_windows:
                part_support.append(max([ent_full] + [float(x) for x in probs[i: i + len(ws), ENT]]))
                part_con = max([part_con] + [float(probs[i + n, CON]) for n, w in enumerate(ws) if w.score >= RELEVANT])
                i += len(ws)
        else:
            part_support = [ent_full]
        best = windows[0].text if windows else ""
        # Entailment from a window that is about the claim counts more than from one that is not.
        rel = np.clip(np.array([w.score for w in windows], dtype=np.float32), 0, 1)
        ent_wmax = float((full[:, ENT] * rel).max()) if len(full) else 0.0
        f = {"ent_full": ent_full, "ent_wmax": ent_wmax, "ent_parts_min": min(part_support), "ent_parts_mean": float(np.mean(part_support)),
             "con_full": con_full, "lex_best": max((w.score for w in windows), default=0.0),
             "lex_union": coverage(claim, windows[:3], prep),
             "emb_cov": self._emb_coverage(claim, windows)}
        f.update(agreement(claim, " ".join(w.text for w in windows[:2]) or best))
        # Not inputs of the regression; kept for the verdict rules and the benchmark.
        relevant = [i for i, w in enumerate(windows) if w.score >= RELEVANT]
        f["con_relevant"] = max(part_con, float(max((full[i, CON] for i in relevant), default=0.0)))
        f["ent_parts_max"] = max(part_support)
        f["n_pairs"] = float(len(pairs))
        return Analysis(f, parts, part_support, windows, full, part_windows)

    def support_probability(self, f: dict[str, float]) -> float:
        if not self.cal:
            return f["ent_parts_min"]
        z = self.cal["intercept"] + sum(c * x for c, x in zip(self.cal["coef"], feature_vector(f)))
        return 1 / (1 + math.exp(-z))

    # -- the verdict -----------------------------------------------------------------------
    def judge(self, claim: str, evidence: str | list[str]) -> Judgement:
        a = self.analyse(claim, evidence)
        return self.verdict(claim, a)

    def thresholds(self) -> tuple[float, float]:
        if not self.cal:
            return 0.5, 0.6
        return self.cal["t_support"], self.cal.get("t_contradiction", 0.6)

    def verdict(self, claim: str, a: Analysis) -> Judgement:
        support = self.support_probability(a.features)
        contradiction = contradiction_probability(a.features, support)
        verdict = decide(support, contradiction, a.features["ent_parts_max"], *self.thresholds())
        best = a.windows[int(np.argmax(a.window_probs[:, ENT]))].text if len(a.windows) else None
        return Judgement(verdict, round(support, 4), round(contradiction, 4),
                         uncovered=self.uncovered(claim, a, verdict), best_span=best)

    def uncovered(self, claim: str, a: Analysis, verdict: str) -> list[str]:
        """Words of the claim's unsupported parts that none of the windows read contains."""
        if verdict == "supported":
            return []
        seen = {stem(w) for win in a.windows for w in content_words(win.text)}
        for ws in a.part_windows:
            seen |= {stem(w) for win in ws for w in content_words(win.text)}
        weak = [p for p, s in zip(a.parts, a.part_support) if s < 0.5] or [claim]
        out: list[str] = []
        for part in weak:
            # Dates are checked by the dates stage, calendar-aware; as words they would only add noise.
            for m in reversed(find_dates(part)):
                part = part[: m.start] + " " + part[m.end:]
            part = RELATIVE_DAY.sub(" ", part)
            for w in content_words(part):
                if stem(w) not in seen and w not in out:
                    out.append(w)
        return out


def contradiction_probability(f: dict[str, float], support: float) -> float:
    """The model's contradiction on windows about the same thing, or a clashing date there.

    Only lexically close windows count (RELEVANT), or an unrelated passage's "contradiction"
    logit would count against the claim; it can never exceed 1 - support.
    """
    con = max(f["con_relevant"], 0.8 * f["date_conflict"] * (f["lex_best"] >= RELEVANT))
    return min(con, 1 - support)


def decide(support: float, contradiction: float, best_part: float, t_support: float, t_contradiction: float) -> str:
    """The verdict rules, one place for the judge and the benchmark."""
    if support >= t_support:
        return "supported"
    if contradiction >= t_contradiction:
        return "contradicted"
    if best_part >= 0.5 or support >= t_support * 0.6:
        return "partially_supported"
    return "not_addressed"


_JUDGE: Judge | None = None


def get_judge() -> Judge:
    """One judge per process: loading the models costs about a second."""
    global _JUDGE
    if _JUDGE is None:
        _JUDGE = Judge()
    return _JUDGE
