"""Does a post mention self-harm? A conservative list of words and phrases in English and
Spanish (docs/portal.md, "Peer space": "What the self-harm check can and cannot do").

Conservative means it errs towards surfacing: "I'm not suicidal anymore" is surfaced too, and a
moderator reads it. It is a keyword match, not an assessment: it misses misspellings beyond the
variants below, slang, euphemisms ("I won't be around much longer"), other languages, emoji and
anything said across two posts. It never replaces the team's own judgment or the crisis line.
"""

from __future__ import annotations

import re
import unicodedata

# Matched on whole words, case- and accent-insensitive (so "suicidarme" and "suicidarmé" alike).
PHRASES_EN = (
    "suicide", "suicidal", "kill myself", "killing myself", "kms", "end my life",
    "ending my life", "end it all", "take my life", "take my own life", "want to die",
    "wanna die", "want to be dead", "better off dead", "no reason to live",
    "dont want to live", "don't want to live", "dont want to be alive",
    "don't want to be alive", "self harm", "self-harm", "selfharm", "self injury",
    "hurt myself", "hurting myself", "harm myself", "harming myself", "cut myself",
    "cutting myself", "cutting again", "overdose", "overdosing", "hang myself",
    "jump off a bridge",
)  # fmt: skip
PHRASES_ES = (
    "suicidio", "suicida", "suicidarme", "suicidarse", "matarme", "me quiero matar",
    "quitarme la vida", "acabar con mi vida", "quiero morir", "quiero morirme",
    "me quiero morir", "no quiero vivir", "no quiero seguir viviendo", "mejor muerto",
    "mejor muerta", "hacerme dano", "lastimarme", "cortarme", "me corto", "autolesion",
    "autolesiones", "sobredosis", "ahorcarme",
)  # fmt: skip


def _fold(text: str) -> str:
    """Lower case, accents off, typographic apostrophes straight, blanks collapsed."""
    text = text.replace("\u2019", "'").replace("\u2018", "'").casefold()
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return re.sub(r"\s+", " ", plain)


_PATTERN = re.compile(
    r"(?<![\w])(?:"
    + "|".join(re.escape(_fold(p)).replace(r"\ ", r"\s+") for p in PHRASES_EN + PHRASES_ES)
    + r")(?![\w])"
)


def mentions_self_harm(text: str) -> bool:
    return _PATTERN.search(_fold(text)) is not None
