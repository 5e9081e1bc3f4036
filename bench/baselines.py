"""Figures measured once before this work, typed here only, for every report that quotes them."""

from __future__ import annotations

# Balanced accuracy on WiCE dev of the simple judges the shipped one must beat (issue 2),
# each with its threshold picked on dev itself (so each is a ceiling for its method).
WICE_FLOORS = {
    "SNLI MiniLM max-entailment": 0.588,
    "word-overlap tier": 0.685,
    "frozen-MiniLM coverage": 0.709,
}
