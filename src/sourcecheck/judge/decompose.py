"""Compound claims split into parts that can each be judged.

"X did A in 1917, and B happened in 1918" is supported only if both halves are; a verdict on the
whole hides the half no evidence covers. Rules, each for a real shape of compound claim:
clauses joined by ";" or ", and"/", but"/", while"/", whereas"; a relative clause (", which ...",
", who ..."); an appositive or parenthesis kept out of the main part and judged as its own part
only when it makes a claim of its own (has a verb-like word or a date/number).
"""

from __future__ import annotations

import re

from .windows import content_words

CLAUSE_SPLIT = re.compile(r";\s+|,\s+(?:and|but|while|whereas|although|though)\s+|\s+and\s+(?=(?:was|were|is|are|has|had|became|then)\b)")
RELATIVE = re.compile(r",\s+(which|who|where)\s+")
PAREN = re.compile(r"\s*\(([^()]{3,200})\)")
SENT = re.compile(r"(?<=[a-z0-9\)][.!?])\s+(?=[A-Z])")


def _subject(text: str) -> str:
    """The words before the first verb-like word: a crude subject to give a dangling clause."""
    m = re.search(r"\b(was|were|is|are|has|had|led|became|began|did)\b", text)
    return text[: m.start()].strip() if m and m.start() < 80 else ""


ANTECEDENT = re.compile(r"(?:\b(?:the|a|an|his|her|its|their)\s+[\w'-]+(?:\s+[\w'-]+)?|(?:[A-Z][\w'-]+\s*)+)$")


def _antecedent(head: str) -> str:
    """What ", which ..." refers to: the noun phrase that ends the clause before it ("the garrison")."""
    m = ANTECEDENT.search(head.strip())
    return m.group(0).strip() if m else head.split(",")[0].strip()


def decompose(claim: str) -> list[str]:
    """Parts of the claim, each a small claim; a simple claim gives itself alone."""
    parts: list[str] = []
    for sent in SENT.split(claim.strip()):
        body = PAREN.sub("", sent).strip()
        extras = [m.group(1) for m in PAREN.finditer(sent) if re.search(r"\d|\b(now|then|seat|led)\b", m.group(1))]
        rel = RELATIVE.split(body, maxsplit=1)
        if len(rel) == 3:
            head, _, tail = rel
            body = head
            parts_extra = [f"{_antecedent(head)} {tail}".strip()]
        else:
            parts_extra = []
        pieces = [p.strip(" ,.") for p in CLAUSE_SPLIT.split(body) if p and p.strip(" ,.")]
        subj = _subject(pieces[0]) if pieces else ""
        for i, p in enumerate(pieces):
            if i > 0 and subj and not re.match(r"^[A-Z]", p) and _subject(p) == "":
                p = f"{subj} {p}"
            parts.append(p)
        parts.extend(parts_extra)
        parts.extend(f"{subj} ({x})" if subj else x for x in extras)
    parts = [p.rstrip(".") + "." for p in parts if len(content_words(p)) >= 2]
    return parts or [claim]
