"""Entries `cite` adds to the bibliography file a Pandoc document names, so every key it writes resolves.

Pandoc's citeproc fails on a key that is in no bibliography ("Citeproc: citation X not found" and no
reference list), so `cite` writes a key only when a bibliography has it, or when it adds the entry to
the document's *first* ``bibliography:`` file (the one a reader looks in first), in that file's format:
BibTeX/BibLaTeX (``.bib``) or CSL-JSON (``.json``). Another format (``.yaml``, ``.ris``) gets no entry,
and the claim is left uncited with that reason.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from ..errors import InputError
from ..records import SourceRef

WRITABLE = (".bib", ".bibtex", ".json")


def can_add(path: str | Path) -> bool:
    return Path(path).suffix.lower() in WRITABLE


def new_key(source: SourceRef, taken: set[str]) -> str:
    """``reed1919``, ``reed1919b`` ...: the surname and year, as reference managers make them."""
    name = (source.author or source.title or source.id).replace(",", " ").split()
    last = (name[0] if source.author and "," in (source.author or "") else name[-1]) if name else "source"
    base = re.sub(r"[^a-z0-9]", "", last.lower()) + (str(source.year) if source.year else "") or "source"
    key, n = base, 1
    while key in taken:
        n += 1
        key = f"{base}{chr(ord('a') + n - 1)}"
    return key


def _bibtex(key: str, s: SourceRef) -> str:
    def field(v: object) -> str:
        return "{" + str(v).replace("{", "(").replace("}", ")") + "}"

    rows = [("title", s.title), ("author", s.author), ("year", s.year)]
    body = ",\n".join(f"  {name} = {field(v)}" for name, v in rows if v)
    return f"@book{{{key},\n{body}\n}}\n"


def _csl(key: str, s: SourceRef) -> dict:
    entry: dict = {"id": key, "type": "book", "title": s.title}
    if s.author:
        words = s.author.split()
        entry["author"] = [{"family": words[-1], "given": " ".join(words[:-1])} if len(words) > 1
                           else {"literal": s.author}]
    if s.year:
        entry["issued"] = {"date-parts": [[s.year]]}
    return entry


def add_entries(path: str | Path, sources: list[SourceRef], taken: set[str]) -> tuple[str, str, dict[str, str]]:
    """(old text, new text, source id -> new key) of ``path`` with an entry for each source."""
    p = Path(path)
    try:
        old = p.read_text(encoding="utf-8") if p.exists() else ""
    except (OSError, UnicodeDecodeError) as err:
        raise InputError(p, f"cannot read the bibliography to add entries to: {err}") from None
    keys: dict[str, str] = {}
    taken = set(taken)
    by_id = {s.id: s for s in sources}
    for s in by_id.values():
        keys[s.id] = k = new_key(s, taken)
        taken.add(k)
    if p.suffix.lower() == ".json":
        try:
            items = json.loads(old) if old.strip() else []
        except json.JSONDecodeError as err:
            raise InputError(p, f"not CSL-JSON: {err.msg}", line=err.lineno) from None
        if not isinstance(items, list):
            raise InputError(p, "not CSL-JSON: the file is not a list of entries")
        items += [_csl(k, by_id[sid]) for sid, k in keys.items()]
        return old, json.dumps(items, indent=2, ensure_ascii=False) + "\n", keys
    sep = "" if not old or old.endswith("\n\n") else ("\n" if old.endswith("\n") else "\n\n")
    return old, old + sep + "\n".join(_bibtex(k, by_id[sid]) for sid, k in keys.items()), keys
