"""The one JSON Lines reader: claims for ``judge``/``find``, quotations for ``quote``, JSON Lines
documents, and JSON Lines sources for ``add`` all go through it, so a bad line reads the same
everywhere: ``FILE:LINE: not valid JSON: ...``, ``... each line must be a JSON object``,
``... each line needs a "claim" field``.

Written by hand (a dozen lines over :mod:`json`): the jsonlines package would add a dependency
and its own error types, which would still need turning into :class:`InputError` here.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from .errors import InputError

__all__ = ["input_name", "iter_rows", "parse_line", "read_rows", "require"]


def parse_line(line: str | bytes, path: str | Path | None, number: int) -> dict[str, Any] | None:
    """The JSON object on one line; ``None`` for a blank line; an InputError for anything else.

    Bytes are UTF-8, with a byte order mark allowed on line 1 (Windows editors write one).
    """
    if isinstance(line, bytes):
        try:
            line = line.decode("utf-8-sig" if number == 1 else "utf-8")
        except UnicodeDecodeError:
            raise InputError(path, "not UTF-8 text", number) from None
    if not line.strip():
        return None
    try:
        row = json.loads(line)
    except json.JSONDecodeError as err:
        raise InputError(path, f"not valid JSON: {err.msg} (column {err.colno})", number) from None
    if not isinstance(row, dict):
        raise InputError(path, "each line must be a JSON object", number)
    return row


def require(row: dict[str, Any], field: str, path: str | Path | None, number: int) -> None:
    """An InputError naming the line when ``row`` lacks ``field``."""
    if field not in row:
        raise InputError(path, f'each line needs a "{field}" field', number)


def iter_rows(lines: Iterable[str | bytes], path: str | Path | None,
              required: str | None = None) -> Iterator[tuple[int, dict[str, Any]]]:
    """``(line number, object)`` for each non-blank line, numbered from 1."""
    for number, line in enumerate(lines, 1):
        row = parse_line(line, path, number)
        if row is None:
            continue
        if required is not None:
            require(row, required, path, number)
        yield number, row


def input_name(path: str) -> str:
    """How a file argument is named in messages: ``-`` is standard input."""
    return "<stdin>" if path == "-" else path


def read_rows(path: str, required: str | None = None) -> list[tuple[int, dict[str, Any]]]:
    """Every row of a JSON Lines file, or of standard input for ``-``."""
    name = input_name(path)
    try:
        text = sys.stdin.read() if path == "-" else Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        raise InputError(name, f"cannot read: {err.__class__.__name__}: {err}") from None
    # "\n" only: str.splitlines would also cut at U+2028 inside a JSON string.
    return list(iter_rows(text.split("\n"), name, required))
