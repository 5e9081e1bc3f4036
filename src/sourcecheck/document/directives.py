"""``<!-- sourcecheck: ignore[code, ...] -->``: a reviewed finding accepted where it is written, as ruff's ``noqa``.

The comment is an HTML comment, so it is invisible in rendered Markdown and in wikitext (which
keeps HTML comments out of the page) and needs no syntax of its own in either. It accepts the
problems of the claim on its line, or of the quotation on its line (an outline's evidence line);
``ignore`` without codes accepts every problem there. It is found in the text before any reader
sees it and blanked to spaces of the same length, so no reader reads it as a claim's words and
every offset and line number stays where it was (``cite`` writes back at those offsets).

A code that is not a problem code is an error at its line: a misspelt ``ignore[contradictd]`` that
accepted nothing would look like a reviewed finding that still fails CI, or worse, like none.
"""

from __future__ import annotations

import difflib
import re

from ..errors import InputError
from ..records import ProblemCode

DIRECTIVE = re.compile(r"<!--\s*sourcecheck\s*:\s*ignore\s*(?:\[([^\]]*)\])?\s*-->", re.IGNORECASE)
CODES = tuple(str(c) for c in ProblemCode)


def problem_code(name: str, where: str | None, line: int | None = None, what: str = "problem code") -> str:
    """``name`` as a problem code, or an InputError naming it and the nearest code."""
    code = name.strip().lower().replace("-", "_")
    if code in CODES:
        return code
    near = difflib.get_close_matches(code, CODES, n=1)
    hint = f' (did you mean "{near[0]}"?)' if near else f" (known: {', '.join(CODES)})"
    raise InputError(where, f'unknown {what} "{name.strip()}"{hint}', line)


def read_ignores(text: str, name: str | None) -> tuple[str, dict[int, tuple[str, ...]]]:
    """The text with every ignore comment blanked, and line -> the codes it accepts (``()``: every code).

    Two comments on one line accept the union; a bare ``ignore`` there wins over any list.
    """
    found: dict[int, tuple[str, ...]] = {}
    pieces: list[str] = []
    pos = 0
    for m in DIRECTIVE.finditer(text):
        line = text.count("\n", 0, m.start()) + 1
        names = [n for n in (m.group(1) or "").split(",") if n.strip()]
        if m.group(1) is not None and not names:
            raise InputError(name, "an empty ignore[] accepts nothing: name the codes, or write a bare `ignore`", line)
        codes = tuple(problem_code(n, name, line) for n in names)
        if line in found:
            codes = () if not codes or not found[line] else tuple(dict.fromkeys(found[line] + codes))
        found[line] = codes
        pieces += [text[pos:m.start()], re.sub(r"[^\n]", " ", m.group(0))]
        pos = m.end()
    if not found:
        return text, {}
    return "".join(pieces) + text[pos:], found
