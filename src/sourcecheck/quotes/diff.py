"""Word-level differences between a quotation and the source's words.

Words are compared in their folded form (so case, quotes and dashes are not reported as
changes) and shown in their original form.
"""

from __future__ import annotations

import difflib
import re

from sourcecheck.records import DiffOp

from .fold import fold

__all__ = ["words", "word_diff", "render_diff"]

_WORD = re.compile(r"\S+")


def words(text: str) -> list[tuple[str, str]]:
    """``(folded, original)`` for each word of ``text``, split where folding splits."""
    f = fold(text)
    out = []
    for m in _WORD.finditer(f.text):
        start, end = f.span(m.start(), m.end())
        out.append((m.group(), text[start:end]))
    return out


def word_diff(quote: str, source_words: str) -> list[DiffOp]:
    """Edits that turn the quotation's words into the source's words.

    ``op`` is difflib's: ``delete`` = words only in the quotation, ``insert`` = words
    only in the source, ``replace`` = one for the other, ``equal`` = the same.
    """
    a = words(quote)
    b = words(source_words)
    # difflib's opcodes are exactly the edit script shown, and quotations are short
    # enough (tens of words) that its quadratic worst case does not matter.
    sm = difflib.SequenceMatcher(None, [w for w, _ in a], [w for w, _ in b], autojunk=False)
    ops = []
    for tag, i1, i2, j1, j2 in sm.get_opcodes():
        ops.append(
            DiffOp(
                tag,
                " ".join(o for _, o in a[i1:i2]),
                " ".join(o for _, o in b[j1:j2]),
            )
        )
    return ops


def render_diff(ops: list[DiffOp]) -> str:
    """One line for text reports: ``Bolsheviks [-seized-] {+took+} the city``.

    ``[-...-]`` are the quotation's words the source lacks, ``{+...+}`` the source's.
    """
    out = []
    for op in ops:
        if op.op == "equal":
            out.append(op.quote)
            continue
        if op.quote:
            out.append(f"[-{op.quote}-]")
        if op.source:
            out.append(f"{{+{op.source}+}}")
    return " ".join(out)
