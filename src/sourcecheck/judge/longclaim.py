"""Claims longer than the judge's model can read, judged window by window and never cut.

The cross-encoder has 512 positions for claim and evidence together; a claim of ~450 words used
to end the whole run with a tokenizer error. Such a claim is cut at sentence ends (then at word
ends, then anywhere) into windows the model reads whole, each judged against all the evidence;
the verdicts combine as a reader would: every window supported is supported, any contradicted is
contradicted, some supported is partly supported. Each window is listed in ``Judgement.parts``,
so nothing is dropped silently. This wraps the judge from outside, so a new judge keeps it.

A window with no letter or digit in it (a run of braces or dashes cut out of a hostile claim)
states nothing evidence could support or contradict: it is listed as a part, not addressed, with
a note, and never sent to the model (the cost it prevents: 40 KB of braces, 250 model runs).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from ..records import Judgement, PartJudgement, Verdict
from ..text import split_sentences

PART_TOKENS = 200  # a window of the claim: leaves 300 of the 512 positions for evidence
_CHARS_PER_TOKEN_GUESS = 3  # only where the judge has no tokenizer to ask


def _token_counter(judge: Any) -> Callable[[str], int]:
    tok = getattr(getattr(judge, "model", None), "claim_tokenizer", None)
    if tok is not None:
        return lambda text: len(tok.encode(text).ids)
    return lambda text: len(text) // _CHARS_PER_TOKEN_GUESS + 1


def _cut(text: str, count: Callable[[str], int], budget: int) -> list[str]:
    """Pieces of one over-long sentence: halves at a space (or anywhere) until each fits."""
    if count(text) <= budget or len(text) < 2:
        return [text]
    mid = len(text) // 2
    space = text.rfind(" ", 0, mid)
    cut = space if space > len(text) // 4 else mid
    left, right = text[:cut].strip(), text[cut:].strip()
    return [p for half in (left, right) if half for p in _cut(half, count, budget)]


def claim_windows(claim: str, count: Callable[[str], int], budget: int = PART_TOKENS) -> list[str]:
    """The claim itself when it fits, else consecutive windows of whole sentences that each fit."""
    if count(claim) <= budget:
        return [claim]
    pieces: list[str] = []
    for s, e in split_sentences(claim):
        pieces.extend(_cut(claim[s:e], count, budget))
    windows: list[str] = []
    current, used = "", 0
    for piece in pieces:
        n = count(piece)
        if current and used + n > budget:
            windows.append(current)
            current, used = "", 0
        current = f"{current} {piece}".strip()
        used += n
    if current:
        windows.append(current)
    return windows


_PART_VERDICT = {"supported": Verdict.SUPPORTED, "contradicted": Verdict.CONTRADICTED}
NO_WORDS = "no words in this part of the claim: nothing to judge"


def has_words(text: str) -> bool:
    return any(ch.isalnum() for ch in text)


def wordless(window: str) -> Judgement:
    """The judgement of a window without words, made without the model."""
    return Judgement(Verdict.NOT_ADDRESSED, 0.0, 0.0,
                     parts=[PartJudgement(window, Verdict.NOT_ADDRESSED, 0.0, 0.0, note=NO_WORDS)])


def combine(windows: list[str], judgements: list[Judgement]) -> Judgement:
    """One verdict for the whole claim from its windows' judgements.

    Each window's parts (the judge reads a claim part by part) are the claim's parts, and the claim's
    verdict follows from them by the judge's own rule, as for a claim of any length; a judge that
    gives no parts has its windows taken as the parts.
    """
    from .judge import claim_verdict

    parts: list[PartJudgement] = []
    for w, j in zip(windows, judgements, strict=True):
        parts += j.parts or [PartJudgement(w, _PART_VERDICT.get(j.verdict, Verdict.NOT_ADDRESSED), j.support, j.contradiction)]
    uncovered: list[str] = []
    for j in judgements:
        uncovered += [w for w in j.uncovered if w not in uncovered]
    # Wordless windows are listed but decide nothing: the claim is what its words say.
    judged = [j for w, j in zip(windows, judgements) if has_words(w)] or judgements
    deciding = [p for p in parts if p.note != NO_WORDS] or parts
    best = max(judged, key=lambda j: j.support)
    verdict = claim_verdict([p.verdict for p in deciding])
    if verdict == Verdict.NOT_ADDRESSED and any(j.verdict == Verdict.PARTIALLY_SUPPORTED for j in judged):
        verdict = Verdict.PARTIALLY_SUPPORTED  # a window the WORD RULE found mostly supported: part of the claim is
    return Judgement(verdict, min(j.support for j in judged),
                     max(j.contradiction for j in judged), uncovered=uncovered, best_span=best.best_span,
                     parts=parts)


class WindowedJudge:
    """A judge that reads over-long claims in windows; everything else is the wrapped judge's."""

    def __init__(self, judge: Any):
        self.inner = judge
        self._count = _token_counter(judge)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)

    def fits(self, claim: str) -> bool:
        """Whether the wrapped judge reads ``claim`` whole (one window)."""
        return len(claim_windows(claim, self._count)) == 1

    def judge(self, claim: str, evidence: str | Sequence[str]) -> Judgement:
        windows = claim_windows(claim, self._count)
        if len(windows) == 1:
            return self.inner.judge(claim, evidence)
        return combine(windows, [self.inner.judge(w, evidence) if has_words(w) else wordless(w) for w in windows])

    def judge_many(self, claim: str, evidences: Sequence[str | Sequence[str]]) -> list[Judgement]:
        """``judge`` on each evidence, batched by the wrapped judge where it can batch."""
        windows = claim_windows(claim, self._count)

        def each(c: str) -> list[Judgement]:
            return self.inner.judge_many(c, evidences) if has_words(c) else [wordless(c) for _ in evidences]

        if len(windows) == 1:
            return each(claim)
        per_window = [each(w) for w in windows]  # [window][evidence]
        return [combine(windows, [row[i] for row in per_window]) for i in range(len(evidences))]


def windowed(judge: Any) -> Any:
    """``judge`` able to read claims of any length (a judge already wrapped is returned as it is)."""
    return judge if judge is None or isinstance(judge, WindowedJudge) else WindowedJudge(judge)
