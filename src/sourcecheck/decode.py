"""Bytes of a document or a source file to text, or one line that says why they are not text.

Shared by the document readers and the source readers so both say the same thing: an empty or
all-NUL file is refused with its reason (it would otherwise be stored as a source with no text),
UTF-16 (with a byte-order mark, or the NUL-every-other-byte shape Windows tools write without
one) is read as UTF-16 rather than called "binary".
"""

from __future__ import annotations

from pathlib import Path

from .errors import InputError

_UTF16_SHARE = 0.3  # share of NUL bytes at even or odd offsets that marks BOM-less UTF-16 text


def _utf16_encoding(data: bytes) -> str | None:
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return "utf-16"
    if len(data) < 4:
        return None
    sample = data[:4096]
    even = sample[0::2].count(0) / max(1, len(sample[0::2]))
    odd = sample[1::2].count(0) / max(1, len(sample[1::2]))
    if odd >= _UTF16_SHARE and even == 0:
        return "utf-16-le"
    if even >= _UTF16_SHARE and odd == 0:
        return "utf-16-be"
    return None


def decode_text(data: bytes, path: str | Path) -> str:
    """The text of ``data``: UTF-8 (BOM allowed) or UTF-16; an InputError naming the problem otherwise."""
    if not data.strip():
        raise InputError(path, "file is empty")
    if not data.strip(b"\x00"):
        raise InputError(path, "file holds only NUL bytes (an empty or wiped file), no text")
    encoding = _utf16_encoding(data) if b"\x00" in data or data[:2] in (b"\xff\xfe", b"\xfe\xff") else None
    if encoding:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            raise InputError(path, f"looks like UTF-16 but is not valid {encoding.upper()}; save it as UTF-8") from None
        text = text.lstrip("\ufeff")
        if "\x00" not in text and text.strip():
            return text
    if b"\x00" in data:
        raise InputError(path, "binary file (contains NUL bytes), not text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = data[: err.start].count(b"\n") + 1
        raise InputError(path, f"not valid UTF-8 (byte 0x{data[err.start]:02x}); save it as UTF-8", line) from None
