"""Checks on the text people type that ends up on pages, in exports and in other systems."""

from __future__ import annotations

import unicodedata

# Embeddings, overrides and isolates reorder how the text around them is shown: "Lark" plus
# U+202E plus "gnp.exe" reads as "Larkexe.png", so a name could pass for another one. (The
# marks U+200E/U+200F only nudge neutral characters and stay allowed for right-to-left names.)
DIRECTION_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")

CONTROL_CHARACTERS_MESSAGE = "Remove the control or text-direction characters."


def has_control_characters(text: str) -> bool:
    """True for NUL, tabs, line breaks and other C0/C1 controls, and direction overrides."""
    return any(unicodedata.category(ch) == "Cc" or ch in DIRECTION_CONTROLS for ch in text)
