"""A unified diff of two texts that stays well-formed when a text has no final newline.

difflib joins a last line without "\\n" to the next diff line; `diff` and `patch` mark it with
"\\ No newline at end of file" instead, so the output applies with `patch`.
"""

from __future__ import annotations

import difflib

NO_NEWLINE = "\\ No newline at end of file\n"


def unified_diff(old: str, new: str, name: str) -> str:
    out: list[str] = []
    for line in difflib.unified_diff(old.splitlines(True), new.splitlines(True), name, name + " (cited)"):
        if line.endswith("\n"):
            out.append(line)
        else:
            out += [line + "\n", NO_NEWLINE]
    return "".join(out)
