"""The judge: does this evidence support, partly support, contradict or not address the claim?

It reads a claim as a careful historian would, part by part (decompose.py), and ties each part to
the words that decide it. How it decides, and why each step is there:

1. The evidence, however long, is cut into sentences and overlapping sentence windows (windows.py);
   a cheap lexical score over *every* window picks those the model reads, so nothing is cut off unread.
2. Each part of the claim is read by the trained cross-encoder (model.py) against its best windows
   (long pairs) and its best single sentences (short pairs: a quotation of one sentence is the
   commonest evidence, and the model reads a sentence best on its own).
3. Features beside the model (features.py: numbers, names, dates calendar-aware, negation; a coverage
   of the part by the evidence's word vectors from the static table the project ships) are combined
   with the model's scores by a logistic regression (calibration.json, fitted by
   training/calibrate.py on WiCE pages, attributed answers and sentence pairs), which gives each
   part's calibrated ``support``.
4. Each part gets a verdict (PART RULE below), and the claim's verdict follows from its parts
   (CLAIM RULE below, also in the README). Before the model the claim reader (reader.py) strips a
   reporting frame and reads first person; after it the SLOT RULE (slots.py) outranks everything:
   a typed value that differs from the aligned evidence sentence contradicts the part.

PART RULE: supported when its support reaches ``t_support_precise``; else contradicted when the
model's contradiction on one sentence about the same thing reaches ``t_contradiction_precise`` and
outweighs its entailment; else not addressed. Both thresholds are fitted for precision (0.95 of ✓
parts, 0.90 of ✗ parts, on held-out sentence pairs) because a wrong ✓ is what a reader trusts and a
wrong ✗ fails CI; a part between the precise and the balanced thresholds is "not addressed" with a
note, "weak support" or "weak contradiction", and its span. Measured cost: recall (WiCE's supported
claims that are long and partly paraphrased, BENCHMARKS.md). "About the same thing": a span that shares the part's words
(RELEVANT) or their meaning (MEANING_RELEVANT, by the static word vectors). Without it, an unrelated
sentence's "contradiction" counts against the claim: a model trained on SNLI calls two sentences
about different scenes a contradiction ("Lenin was born in Simbirsk" against "the garrison stayed in
its barracks"), even inside a quotation its author attached to the claim. Measured cost: e-SNLI's
contradictions between two scenes of one photo ("a woman is sleeping" / "a man plays the guitar")
share no words, so this rule misses them (contradiction recall in BENCHMARKS.md); a rule that took a
lone sentence as about a one-fact claim would catch them, and call the Simbirsk line above a denial.

CLAIM RULE: all parts supported -> supported; some supported and none contradicted -> partially
supported; no part supported and none contradicted -> not addressed, unless the WORD RULE applies; a
contradicted part ->
contradicted when the evidence denies at least as many parts as it confirms, else partially
supported with the contradiction named (then the contradicted part is a detail of a claim whose
other facts stand, and calling the whole claim contradicted would overstate it).

WORD RULE: a claim that the rules above leave "not addressed" is partially supported when at most
``t_words`` (fitted on WiCE dev, uncovered.json) of its content words are uncovered (uncovered.py).
Parts are found by rules and a one-clause claim is one part, so "Media Play News is the only outlet
dedicated to home entertainment" against a page that says all but "only" was "not addressed"; its
words show the evidence supports most of it.
"""

from __future__ import annotations

import json
import math
import threading
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Protocol

import numpy as np

from ..records import Judgement, PartEvidence, PartJudgement, Verdict
from .decompose import Part, clean_claim, decompose_parts
from .features import agreement, logit
from .model import MODEL_DIR, CrossEncoder, get_cross_encoder
from .reader import quoted_found
from .slots import denial_elsewhere, read_slots, rest_share
from .uncovered import ClaimToken, UncoveredModel, token_features
from .windows import Prepared, Window, best_windows, coverage, prepare, score_windows

CALIBRATION = MODEL_DIR / "calibration.json"
RELEVANT = 0.3  # lexical coverage above which a span is "about" the part
# Word-vector coverage above which a span is "about" the part though it shares few words. The share of
# the contradictions among the training mix's held-out sentence pairs that count as "about" their claim:
# 81% at 0.50, 90% at 0.45, 96% at 0.40; unrelated history scores up to 0.42 ("minor armed skirmishes
# broke out" / "signed by Lenin, it was drafted by Lunacharskii" 0.40, "Lenin was born in Simbirsk" / a
# garrison sentence 0.32), so 0.45 keeps a margin above it.
MEANING_RELEVANT = 0.45
SHORT_EVIDENCE = 6  # sentences: evidence this short is read whole, every sentence on its own
K_WINDOWS = 6  # windows the model reads for the whole claim
K_PART_WINDOWS = 3  # windows it reads for each part
K_SENTENCES = 4  # single sentences it reads for each part (all of them in short evidence)
LONG_PAIR = 160  # word pieces for a window pair (claim + up to 3 sentences)
SHORT_PAIR = 96  # word pieces for a sentence pair
UNCALIBRATED = (0.5, 0.6)  # thresholds on the raw entailment / contradiction without calibration.json
FEATURES = ("ent_part", "ent_sent", "ent_claim", "ent_wmax", "con_part", "lex_best", "lex_union", "emb_cov",
            "num_missing", "name_missing", "date_conflict", "neg_mismatch")


class Judge(Protocol):
    """What every command needs of a judge; another model plugs in by giving this one call."""

    name: str

    def judge(self, claim: str, evidence: str | Sequence[str]) -> Judgement: ...

    def judge_many(self, claim: str, evidences: Sequence[str | Sequence[str]]) -> list[Judgement]:
        """One claim against several pieces of evidence, in order: a model batches them, an LLM runs them at once."""
        ...


@dataclass
class Span:
    """A window or sentence of the evidence that the model read, with its scores."""

    start: int
    end: int
    text: str
    ent: float
    con: float
    relevant: bool
    score: float = 0.0  # lexical coverage of the part by this span


@dataclass
class PartAnalysis:
    part: Part
    features: dict[str, float]
    best_ent: Span | None
    best_con: Span | None
    read: str = ""  # every window and sentence the model read for this part
    aligned: str = ""  # the single sentence sharing most of the part's words (slots.py compares with it)


@dataclass
class Analysis:
    """Everything the judge computed for one claim: per part features and deciding spans."""

    parts: list[PartAnalysis]
    windows: list[Window]
    window_probs: np.ndarray


def feature_vector(f: dict[str, float]) -> list[float]:
    """The model's probabilities enter as logits; the rest as they are."""
    return [logit(f[k]) if k.startswith(("ent_", "con_")) else f[k] for k in FEATURES]


def load_calibration(path=CALIBRATION) -> dict | None:
    """The fitted combination, checked against the features this code computes."""
    if not path.exists():
        return None
    cal = json.loads(path.read_text())
    if list(cal.get("features", [])) != list(FEATURES):
        raise RuntimeError(f"{path}: fitted on features {cal.get('features')}, but the judge computes "
                           f"{list(FEATURES)}; run training/calibrate.py again")
    return cal


@dataclass
class _Plan:
    """One evidence as the model will read it for one claim: its windows, and each part's windows and
    sentences (PART RULE); chosen lexically, so that a caller can decide what to run before running it."""

    prep: Prepared
    windows: list[Window]
    per_part: list[tuple[list[Window], list[Window]]]

    def claim_pairs(self, claim: str) -> list[tuple[str, str]]:
        return [(w.text, claim) for w in self.windows]

    def part_pairs(self, i: int, part: str) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
        pw, ps = self.per_part[i]
        return [(w.text, part) for w in pw], [(w.text, part) for w in ps]

    def cover(self, i: int, part: str) -> float:
        """How much of the part its windows cover (lexically): the order the GATE RULE reads parts in."""
        return coverage(part, self.per_part[i][0][:3], self.prep)


class _Pairs:
    """The model's probabilities for (evidence, hypothesis) pairs at one pair width, each distinct pair
    read once per call (a one-part claim's part is the claim; a quotation alone and among the others)."""

    def __init__(self, model: CrossEncoder):
        self.model = model
        self.probs: dict[tuple[int, str, str], np.ndarray] = {}

    def read(self, width: int, pairs: list[tuple[str, str]]) -> None:
        todo = [pair for pair in dict.fromkeys(pairs) if (width, *pair) not in self.probs]
        if todo:
            for pair, row in zip(todo, self.model.predict(todo, max_len=width)):
                self.probs[(width, *pair)] = row

    def get(self, width: int, pairs: list[tuple[str, str]]) -> np.ndarray:
        return np.array([self.probs[(width, *pair)] for pair in pairs], dtype=np.float32).reshape(-1, 3)


class CrossEncoderJudge:
    """The trained cross-encoder with its calibration. Load once, call ``judge`` many times."""

    def __init__(self, threads: int | None = None, model: CrossEncoder | None = None):
        self.model = model or get_cross_encoder(threads)
        from ..library.embed import get_static_encoder

        self.vectors = get_static_encoder()
        self.cal = load_calibration()
        self.uncovered = UncoveredModel()
        self.name = self.model.name + (" + calibration" if self.cal else " (uncalibrated)")

    # -- scoring ---------------------------------------------------------------------------
    def analyse(self, claim: str, evidence: str | Sequence[str]) -> Analysis:
        return self.analyse_many(claim, [evidence])[0]

    def analyse_many(self, claim: str, evidences: Sequence[str | Sequence[str]]) -> list[Analysis]:
        """One claim against several evidences (search's candidates), the model run once for all:
        one batch sorted by length wastes less than many small ones, and a pair two evidences share
        (a quotation alone and with the others) is read once."""
        claim = clean_claim(claim)
        parts = decompose_parts(claim)
        plans = [self._plan(claim, parts, e) for e in evidences]
        pairs = _Pairs(self.model)
        pairs.read(LONG_PAIR, [pair for pl in plans for pair in pl.claim_pairs(claim)]
                   + [pair for pl in plans for i, p in enumerate(parts) for pair in pl.part_pairs(i, p.text)[0]])
        pairs.read(SHORT_PAIR, [pair for pl in plans for i, p in enumerate(parts) for pair in pl.part_pairs(i, p.text)[1]])
        out = []
        for pl in plans:
            full, ent_claim = self._claim_probs(claim, pl, pairs)
            out.append(Analysis([self._part_analysis(p, i, pl, pairs, ent_claim) for i, p in enumerate(parts)],
                                pl.windows, full))
        return out

    def analyse_gated(self, claim: str, evidences: Sequence[str | Sequence[str]],
                      t_support: float) -> list[Analysis | PartAnalysis]:
        """``analyse_many`` for a caller that needs only the evidences whose verdict can be "supported".

        GATE RULE: a claim is supported only when every part's support reaches ``t_support`` (PART and
        CLAIM RULES; the SLOT and WORD RULES can only take a ✓ away), so the parts are read one at a
        time, the one the evidences cover least first, and an evidence is dropped at its first part
        below ``t_support``: its result is that part's analysis instead of the whole. What survives is
        read in full, exactly as ``analyse_many`` reads it. Prevents paying the model for the parts of a
        passage already ruled out (`cite`'s candidates, most of which support nothing)."""
        claim = clean_claim(claim)
        parts = decompose_parts(claim)
        plans = [self._plan(claim, parts, e) for e in evidences]
        pairs = _Pairs(self.model)
        pairs.read(LONG_PAIR, [pair for pl in plans for pair in pl.claim_pairs(claim)])
        claim_probs = [self._claim_probs(claim, pl, pairs) for pl in plans]
        read: list[dict[int, PartAnalysis]] = [{} for _ in plans]
        out: list[Analysis | PartAnalysis | None] = [None] * len(plans)
        alive = list(range(len(plans)))
        for i in sorted(range(len(parts)), key=lambda i: sum(pl.cover(i, parts[i].text) for pl in plans)):
            p = parts[i]
            pairs.read(LONG_PAIR, [pair for k in alive for pair in plans[k].part_pairs(i, p.text)[0]])
            pairs.read(SHORT_PAIR, [pair for k in alive for pair in plans[k].part_pairs(i, p.text)[1]])
            for k in list(alive):
                pa = self._part_analysis(p, i, plans[k], pairs, claim_probs[k][1])
                read[k][i] = pa
                if self.part_support(pa.features) < t_support:
                    out[k] = pa
                    alive.remove(k)
        for k in alive:
            out[k] = Analysis([read[k][i] for i in range(len(parts))], plans[k].windows, claim_probs[k][0])
        return [a for a in out if a is not None]

    def _plan(self, claim: str, parts: list[Part], evidence: str | Sequence[str]) -> _Plan:
        """What the model will read of one evidence, chosen lexically (before any model run)."""
        text = evidence if isinstance(evidence, str) else "\n\n".join(e for e in evidence if e)
        prep = prepare(text)
        short = len(prep.sents) <= SHORT_EVIDENCE
        windows = best_windows(claim, prep, K_WINDOWS)
        per_part: list[tuple[list[Window], list[Window]]] = []
        for p in parts:
            # In a short evidence the claim's own windows already hold every sentence near the part.
            pw = windows[:K_PART_WINDOWS] if len(parts) == 1 or short else best_windows(p.text, prep, K_PART_WINDOWS)
            per_part.append((pw, self._sentences(p.text, prep, short)))
        return _Plan(prep, windows, per_part)

    def _claim_probs(self, claim: str, pl: _Plan, pairs: _Pairs) -> tuple[np.ndarray, float]:
        full = pairs.get(LONG_PAIR, pl.claim_pairs(claim))
        return full, float(full[:, self.model.ent].max()) if len(full) else 0.0

    def _part_analysis(self, p: Part, i: int, pl: _Plan, pairs: _Pairs, ent_claim: float) -> PartAnalysis:
        pw, ps = pl.per_part[i]
        long_pairs, short_pairs = pl.part_pairs(i, p.text)
        wprob, sprob = pairs.get(LONG_PAIR, long_pairs), pairs.get(SHORT_PAIR, short_pairs)
        spans = [self._span(p.text, w, pr) for w, pr in zip(pw, wprob)] + \
                [self._span(p.text, w, pr) for w, pr in zip(ps, sprob)]
        return self._part_features(p, pl.prep, pw, ps, spans, ent_claim, sprob)

    def _sentences(self, part: str, prep: Prepared, short: bool) -> list[Window]:
        """The part's best single sentences (every sentence of a short evidence)."""
        singles = [w for w in score_windows(part, prep) if len(w.sentences) == 1]
        if short:
            return singles
        return sorted(singles, key=lambda w: -w.score)[:K_SENTENCES]

    def _span(self, part: str, w: Window, probs: np.ndarray) -> Span:
        about = w.score >= RELEVANT or self.vectors.coverage(part, [w.text]) >= MEANING_RELEVANT
        return Span(w.start, w.end, w.text, float(probs[self.model.ent]), float(probs[self.model.con]),
                    relevant=about, score=w.score)

    def _part_features(self, p: Part, prep: Prepared, pw: list[Window], ps: list[Window], spans: list[Span],
                       ent_claim: float, sprob: np.ndarray) -> PartAnalysis:
        best_ent = max(spans, key=lambda s: s.ent, default=None)
        # A denial is read in one sentence: in a window, a negation in one sentence ("not those of the
        # district staff") leaks onto the next one, which may say exactly what the part says.
        rel = [s for s in spans[len(pw):] if s.relevant]
        best_con = max(rel, key=lambda s: s.con - s.ent, default=None)
        near = " ".join(w.text for w in (pw[:2] or ps[:2]))
        f = {"ent_part": max([ent_claim] + [s.ent for s in spans]),
             "ent_sent": float(sprob[:, self.model.ent].max()) if len(sprob) else 0.0,
             "ent_claim": ent_claim,
             # Entailment from a span that shares the part's words counts more than from one that does not.
             "ent_wmax": max((s.ent * min(max(s.score, 0.0), 1.0) for s in spans), default=0.0),
             "con_part": best_con.con if best_con else 0.0,
             "lex_best": max((w.score for w in pw + ps), default=0.0),
             "lex_union": coverage(p.text, pw[:3], prep),
             "emb_cov": self.vectors.coverage(p.text, [w.text for w in (pw[:2] or ps[:2])])}
        f.update(agreement(p.text, near))
        f["con_date"] = 0.8 * f["date_conflict"] * float(f["lex_best"] >= RELEVANT)
        aligned = max(ps, key=lambda w: w.score).text if ps else ""
        return PartAnalysis(p, f, best_ent, best_con, " ".join(s.text for s in spans), aligned)

    def part_support(self, f: dict[str, float]) -> float:
        if not self.cal:
            return f["ent_part"]
        z = self.cal["intercept"] + sum(c * x for c, x in zip(self.cal["coef"], feature_vector(f)))
        return 1 / (1 + math.exp(-z))

    def thresholds(self) -> tuple[float, float]:
        """The thresholds a part's ✓ and ✗ verdicts need, both fitted for precision (calibrate.py: 0.95 of
        supported parts, 0.90 of contradicted ones, on the sentence pairs). A wrong ✓ is the mistake a
        reader trusts, and a wrong ✗ is an error that fails CI; a part between them is not addressed and
        its report names the weak support or contradiction (`weak_thresholds`)."""
        if not self.cal:
            return UNCALIBRATED
        return (self.cal.get("t_support_precise", self.cal["t_support"]),
                self.cal.get("t_contradiction_precise", self.cal["t_contradiction"]))

    def weak_thresholds(self) -> tuple[float, float]:
        """The balanced thresholds: below the precise one and at or above these, a part is "not addressed",
        noted as weak support or weak contradiction with its span, so the reader still sees it."""
        return (self.cal["t_support"], self.cal["t_contradiction"]) if self.cal else UNCALIBRATED

    # -- the verdict -----------------------------------------------------------------------
    def judge(self, claim: str, evidence: str | Sequence[str]) -> Judgement:
        return self.verdict(claim, self.analyse(claim, evidence), evidence)

    def judge_many(self, claim: str, evidences: Sequence[str | Sequence[str]]) -> list[Judgement]:
        """The same verdicts as ``judge`` on each evidence, for the cost of one batched model run."""
        return [self.verdict(claim, a, e) for a, e in zip(self.analyse_many(claim, evidences), evidences)]

    def judge_many_gated(self, claim: str, evidences: Sequence[str | Sequence[str]]) -> list[Judgement]:
        """``judge_many`` where only a "supported" verdict matters (GATE RULE, ``analyse_gated``): an
        evidence that can be supported gets the same verdict as from ``judge_many``; one ruled out gets a
        ``provisional`` judgement of the part that ruled it out, whose support is at least the claim's."""
        t_s, t_c = self.thresholds()
        out = []
        for a, e in zip(self.analyse_gated(claim, evidences, t_s), evidences):
            if isinstance(a, Analysis):
                out.append(self.verdict(claim, a, e))
                continue
            sup = self.part_support(a.features)
            con = max(a.features["con_part"], a.features["con_date"])
            v = part_verdict(sup, con, a.features["ent_part"], t_s, t_c)
            note = f"support {sup:.2f}, below the {t_s:.2f} a \u2713 needs; the claim's other parts were not read"
            part = PartJudgement(a.part.text, v, round(sup, 4), round(min(con, 1 - sup), 4), None, a.part.kind, note)
            out.append(Judgement(claim_verdict([v]), part.support, part.contradiction, parts=[part], provisional=True))
        return out

    def verdict(self, claim: str, a: Analysis, evidence: str | Sequence[str] = "") -> Judgement:
        t_s, t_c = self.thresholds()
        w_s, w_c = self.weak_thresholds()
        starts = _piece_starts(evidence)
        page = evidence if isinstance(evidence, str) else "\n\n".join(e for e in evidence if e)
        parts: list[PartJudgement] = []
        for pa in a.parts:
            sup = self.part_support(pa.features)
            con = max(pa.features["con_part"], pa.features["con_date"])
            v = part_verdict(sup, con, pa.features["ent_part"], t_s, t_c)
            span = pa.best_ent if v == "supported" else pa.best_con if v == "contradicted" else None
            ev = PartEvidence(_piece_of(span.start, starts), None, None, span.text) if span else None
            note = ""
            if v == "contradicted" and span and (rest := denial_elsewhere(pa.part.text, span.text)):
                # NEGATION ELSEWHERE (slots.denial_elsewhere): judged again on the sentence without it.
                again = self.judge(pa.part.text, rest[0])
                if again.verdict != Verdict.CONTRADICTED:
                    v = Verdict.SUPPORTED if again.verdict == Verdict.SUPPORTED else Verdict.NOT_ADDRESSED
                    sup, con = again.support, again.contradiction
                    ev = ev if v == Verdict.SUPPORTED else None
                    note = f"the denial \u201c{rest[1]}\u201d is about something else: judged on the rest of the sentence"
            if v == "not_addressed" and not note:
                weak = part_verdict(sup, con, pa.features["ent_part"], w_s, w_c)
                if weak == "supported" and pa.best_ent:
                    note = f"weak support ({sup:.2f}, below the {t_s:.2f} support needs): " \
                           f"\u201c{short_text(pa.best_ent.text)}\u201d"
                elif weak == "contradicted" and pa.best_con:
                    note = f"weak contradiction ({con:.2f}, below the {t_c:.2f} a contradiction needs): " \
                           f"\u201c{short_text(pa.best_con.text)}\u201d"
            # SLOT RULE (slots.py): a typed value outranks the model and the coverage.
            slot = read_slots(pa.part.text, pa.aligned, page) if pa.aligned else None
            if slot and slot.conflict:
                v, note = Verdict.CONTRADICTED, slot.note()
                where = page.find(slot.conflict.sentence)
                ev = PartEvidence(_piece_of(max(where, 0), starts), None, None, slot.conflict.sentence)
            elif slot and slot.missing and v == "supported":
                v, note, ev = Verdict.NOT_ADDRESSED, slot.note(), None
            parts.append(PartJudgement(pa.part.text, v, round(sup, 4), round(min(con, 1 - sup), 4), ev, pa.part.kind,
                                       note))
        self._whole_claim_slots(clean_claim(claim), a, parts, page, starts)
        # Given for every verdict: for a claim judged supported they are the words a reader should check
        # first (on WiCE's partly supported claims the judge often says "supported").
        # Words the claim quotes, found in the evidence as written, are covered (reader.quoted_found).
        uncovered, share = self.uncovered.decide(*self.uncovered_features(claim, a, parts, evidence),
                                                 covered=quoted_found(clean_claim(claim), page))
        verdict = claim_verdict([p.verdict for p in parts], share, self.uncovered.t_words)
        support = min((p.support for p in parts), default=0.0)
        contradiction = max((p.contradiction for p in parts), default=0.0)
        best = self._best_window(a)
        return Judgement(verdict, round(support, 4), round(min(contradiction, 1 - support), 4),
                         uncovered=uncovered, best_span=best, parts=parts)

    def _whole_claim_slots(self, claim: str, a: Analysis, parts: list[PartJudgement], page: str,
                           starts: list[int]) -> None:
        """The SLOT RULE once more on the whole claim, against the part-aligned sentence that repeats most
        of it: decomposition drops parentheses and some clauses ("(25 March, O.S.)", "for we were not
        foreigners"), and a value swapped there would otherwise go unread. Its conflict contradicts the
        parts read against that same sentence (the value changed is in the sentence they stand on)."""
        if any(p.verdict == Verdict.CONTRADICTED for p in parts):
            return
        aligned = {pa.aligned for pa in a.parts if pa.aligned}
        if not aligned:
            return
        best = max(sorted(aligned), key=lambda sent: rest_share(claim, sent))
        slot = read_slots(claim, best, page)
        if not (slot and slot.conflict):
            return
        where = page.find(slot.conflict.sentence)
        ev = PartEvidence(_piece_of(max(where, 0), starts), None, None, slot.conflict.sentence)
        for i, (pa, pj) in enumerate(zip(a.parts, parts)):
            if pa.aligned == best:
                parts[i] = replace(pj, verdict=Verdict.CONTRADICTED, evidence=ev, note=slot.note())

    def uncovered_features(self, claim: str, a: Analysis, parts: list[PartJudgement],
                           evidence: str | Sequence[str]) -> tuple[list[ClaimToken], list[list[float]]]:
        """The per-word rows of uncovered.py: what was read for each part and the part's support."""
        page = evidence if isinstance(evidence, str) else "\n".join(e for e in evidence if e)
        read = [(pa.part.text, pa.read, pj.support, pa.best_ent.text if pa.best_ent else "")
                for pa, pj in zip(a.parts, parts)]
        return token_features(clean_claim(claim), page, read, self._best_window(a) or "", self.vectors.word_similarity)

    def _best_window(self, a: Analysis) -> str | None:
        """The window with the model's highest entailment for the whole claim."""
        return a.windows[int(np.argmax(a.window_probs[:, self.model.ent]))].text if len(a.windows) else None


def part_verdict(support: float, contradiction: float, entailment: float, t_support: float, t_contradiction: float) -> Verdict:
    """PART RULE (module docstring)."""
    if support >= t_support:
        return Verdict.SUPPORTED
    if contradiction >= t_contradiction and contradiction > entailment:
        return Verdict.CONTRADICTED
    return Verdict.NOT_ADDRESSED


def claim_verdict(part_verdicts: Sequence[str], uncovered_share: float | None = None,
                  t_words: float | None = None) -> Verdict:
    """CLAIM RULE (module docstring): the claim's verdict from its parts' verdicts, and the WORD RULE
    when the share of the claim's content words left uncovered is given with its fitted threshold."""
    n_sup = part_verdicts.count("supported")
    n_con = part_verdicts.count("contradicted")
    if part_verdicts and n_sup == len(part_verdicts):
        return Verdict.SUPPORTED
    if n_con:
        return Verdict.CONTRADICTED if n_con >= n_sup else Verdict.PARTIALLY_SUPPORTED
    if n_sup:
        return Verdict.PARTIALLY_SUPPORTED
    if uncovered_share is not None and t_words is not None and uncovered_share <= t_words:
        return Verdict.PARTIALLY_SUPPORTED
    return Verdict.NOT_ADDRESSED


def short_text(text: str, width: int = 100) -> str:
    return text if len(text) <= width else text[: width - 1].rsplit(" ", 1)[0] + "\u2026"


def _piece_starts(evidence: str | Sequence[str]) -> list[int]:
    """Where each piece of a list of evidence starts in the joined text (as analyse joins it)."""
    if isinstance(evidence, str):
        return [0]
    starts, pos = [], 0
    for e in evidence:
        starts.append(pos)
        if e:
            pos += len(e) + 2
    return starts


def _piece_of(offset: int, starts: list[int]) -> int:
    return max((i for i, s in enumerate(starts) if s <= offset), default=0)


_JUDGE: CrossEncoderJudge | None = None
_JUDGE_LOCK = threading.Lock()  # several threads asking first (serve's requests) still get one judge


def get_judge() -> CrossEncoderJudge:
    """One judge per process: loading the models costs about a second."""
    global _JUDGE
    with _JUDGE_LOCK:
        if _JUDGE is None:
            _JUDGE = CrossEncoderJudge()
        return _JUDGE
