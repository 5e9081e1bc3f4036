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

__all__ = ["input_name", "iter_rows", "known_fields", "parse_line", "read_rows", "require"]


def parse_line(line: str | bytes, path: str | Path | None, number: int) -> dict[str, Any] | None:
    """The JSON object on one line; ``None`` for a blank line; an InputError for anything else.

    Bytes are UTF-8, with a byte order mark allowed on line 1 (Windows editors write one).
    """
    if isinstance(line, bytes):
        try:
            line = line.decode("utf-8-sig" if number == 1 else "utf-8")
        except UnicodeDecodeError as err:  # Latin-1 on stdin: named, not a traceback
            raise InputError(path, f"not UTF-8 text (byte 0x{line[err.start]:02x} at column {err.start + 1}); "
                                   "save it as UTF-8", number) from None
    if not line.strip():
        return None
    try:
        # NaN and Infinity are not JSON (Python writes them): read as text, so an echoed id stays JSON.
        row = json.loads(line, parse_constant=str)
    except json.JSONDecodeError as err:
        raise InputError(path, f"not valid JSON: {err.msg} (column {err.colno})", number) from None
    except RecursionError:
        raise InputError(path, "not valid JSON: nested too deeply", number) from None
    if not isinstance(row, dict):
        raise InputError(path, "each line must be a JSON object", number)
    if has_lone_surrogate(row):
        raise InputError(path, "holds a lone surrogate (a \\ud800-style escape), which is not text", number)
    return row


def has_lone_surrogate(value: Any) -> bool:
    """True if any string in ``value`` (nested too) cannot be encoded as UTF-8: JSON allows a lone
    ``\\ud800`` escape, but no text holds one, and SQLite and the tokenizer fail on it."""
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return True
        return False
    if isinstance(value, dict):
        return any(has_lone_surrogate(k) or has_lone_surrogate(v) for k, v in value.items())
    if isinstance(value, list):
        return any(has_lone_surrogate(v) for v in value)
    return False


def require(row: dict[str, Any], field: str, path: str | Path | None, number: int) -> None:
    """An InputError naming the line when ``row`` lacks ``field``."""
    if field not in row:
        raise InputError(path, f'each line needs a "{field}" field', number)


def known_fields(row: dict[str, Any], known: tuple[str, ...], path: str | Path | None, number: int,
                 where: str = "") -> None:
    """An InputError naming the line and the field when ``row`` has a field not in ``known``:
    a misspelled field ("evidance") is refused, never read as a row without it."""
    import difflib

    for name in row:
        if name not in known:
            near = difflib.get_close_matches(str(name), known, n=1)
            hint = f' (did you mean "{near[0]}"?)' if near else f" (known: {', '.join(known)})"
            raise InputError(path, f'unknown field "{name}"{where}{hint}', number)


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
    try:  # bytes, decoded line by line: a bad byte names its line
        data = sys.stdin.buffer.read() if path == "-" else Path(path).read_bytes()
    except OSError as err:
        raise InputError(name, f"cannot read: {err.strerror or err}") from None
    # b"\n" only: splitlines would also cut at U+2028 inside a JSON string.
    return list(iter_rows(data.split(b"\n"), name, required))
