"""Romanized forms of titles and authors, so a citation in one script finds a source in another.

"Десять дней, которые потрясли мир" is cited as "Desiat' dnei, kotorye potriasli mir"
(Library of Congress, what library catalogues and Zotero imports use) and as
"Desyat' dney, ..." (the popular system anyascii follows). Every form is compared, so
none of them is "not in the library" (the false alarm this prevents).

anyascii (ISC) covers every script; ALA-LC Cyrillic is a 40-letter table written here
because no maintained, permissively licensed package implements it.
"""

from __future__ import annotations

from functools import lru_cache

from anyascii import anyascii

from ..text import fold_key

# ALA-LC romanization of Russian, Ukrainian and Belarusian Cyrillic, with its diacritics
# dropped (catalogue records are usually searched that way): я -> ia, й -> i, ь -> '.
_ALA_LC = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh", "з": "z",
    "и": "i", "й": "i", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r",
    "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh",
    "щ": "shch", "ъ": "\"", "ы": "y", "ь": "'", "э": "e", "ю": "iu", "я": "ia",
    "і": "i", "ї": "i", "є": "ie", "ґ": "g", "ў": "u", "ѣ": "e", "ѳ": "f", "ѵ": "y",
}


def _ala_lc(text: str) -> str:
    out = []
    for ch in text:
        low = ch.lower()
        rom = _ALA_LC.get(low)
        if rom is None:
            out.append(ch)
        else:
            out.append(rom.capitalize() if ch != low else rom)
    return "".join(out)


_fold = fold_key  # the toolkit's one citation key: every script kept, accents and apostrophes off


@lru_cache(maxsize=1 << 16)  # a title per source of a large library, computed once
def forms(text: str) -> tuple[str, ...]:
    """The folded forms of ``text`` to compare: as written, ALA-LC, anyascii (duplicates dropped)."""
    candidates = [_fold(text)]
    if any(ord(ch) > 127 for ch in text):
        candidates += [_fold(anyascii(_ala_lc(text))), _fold(anyascii(text))]
    return tuple(dict.fromkeys(c for c in candidates if c))
