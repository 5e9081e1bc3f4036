"""What one source may cost to read, with defaults and a way to change each (``add --limit``).

Without them a 2.5 MB EPUB that decompresses to gigabytes took 4 GB of memory in 16 seconds, and
HTML nested 100,000 deep hung. Each limit is checked before the work it bounds (declared sizes in
the ZIP directory, the file's size on disk), so memory stays under a stated bound: about
``text_mb`` x 4 (bytes, text, passages) for a plain source, ``epub_book_mb`` x 3 for an EPUB.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from .errors import InputError


@dataclass(frozen=True)
class Limits:
    text_mb: int = 64  # text of one source (a long book is ~2 MB; the 96 M-char corpus is split in articles)
    epub_member_mb: int = 32  # one decompressed file inside an EPUB (a chapter is well under 1 MB)
    epub_book_mb: int = 256  # all of an EPUB's members together, decompressed
    pdf_pages: int = 5000  # pages read from one PDF (a long book has under 1,500)
    html_depth: int = 256  # element nesting; lxml's own safe limit, beyond it text would be dropped silently

    def parse(self, pairs: tuple[str, ...]) -> Limits:
        """These limits with ``NAME=N`` items applied (the ``--limit`` option)."""
        names = {f.name for f in dataclasses.fields(self)}
        changes: dict[str, int] = {}
        for item in pairs:
            name, _, value = item.partition("=")
            if name not in names or not value.isdigit() or int(value) <= 0:
                raise InputError(None, f"--limit {item!r}: use NAME=N with N > 0, "
                                       f"NAME one of {', '.join(sorted(names))}")
            changes[name] = int(value)
        return dataclasses.replace(self, **changes)


DEFAULT = Limits()
MB = 1024 * 1024


def exceeded(path: object, what: str, size: str, name: str, limit: int, unit: str = "") -> InputError:
    """The one wording for a limit reached: what, how big, the limit and the flag that raises it."""
    return InputError(str(path), f"{what} is {size}, over the limit of {limit}{unit} "
                                 f"(raise it with --limit {name}=N)")
