"""Which countries a sentence names, for the Old Style inference's bounds (dates/check.py).

A document whose dates are stated Old Style has its bare dates read as Old Style too; a bare date
in a sentence set in Paris in 1789 is not, because France had been Gregorian since 1582 (the false
alarm this prevents: "Tuesday, 14 July 1789" read as Old Style is a Saturday, a false date_wrong).
Only names that say a place: a country, its people, its cities. Languages are left out ("the
English translation" sets nothing in England), and so is every name the adoption table lacks.
"""

from __future__ import annotations

import re

__all__ = ["PLACES", "countries_named"]

# country (a key of calendars.ADOPTION) -> the words that set a sentence there
PLACES: dict[str, tuple[str, ...]] = {
    "russia": ("Russia", "Russian", "Russians", "Petrograd", "Petersburg", "Moscow", "Kronstadt", "Kronshtadt",
               "Kremlin", "Smolny", "Nevsky", "Soviet", "Soviets", "Tsar", "Tsarist", "Muscovy"),
    "france": ("France", "Paris", "Parisian", "Parisians", "Versailles", "Bastille", "Lyon", "Marseille"),
    "britain": ("Britain", "British", "London", "Scotland", "Scottish", "Edinburgh", "Westminster"),
    "germany": ("Germany", "Berlin", "Prussia", "Prussian", "Munich", "Hamburg"),
    "italy": ("Italy", "Rome", "Milan", "Venice", "Florence", "Naples"),
    "spain": ("Spain", "Madrid", "Seville", "Barcelona"),
    "united states": ("America", "Philadelphia", "Boston", "New York"),
    "sweden": ("Sweden", "Stockholm"),
    "greece": ("Greece", "Athens"),
}
_WORD = {w: c for c, words in PLACES.items() for w in words}
_NAMES = re.compile(r"\b(?:" + "|".join(sorted((re.escape(w) for w in _WORD), key=len, reverse=True)) + r")\b")


def countries_named(text: str) -> list[str]:
    """The countries ``text`` names, in order of first mention, each once (names are case-sensitive:
    "soviet" in lower case is a council anywhere, "Soviet" the Russian one)."""
    out: list[str] = []
    for m in _NAMES.finditer(text):
        c = _WORD[m.group(0)]
        if c not in out:
            out.append(c)
    return out
