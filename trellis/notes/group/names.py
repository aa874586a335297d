"""The name check of group notes: each member's chart gets the group part and their own
entry, so no text may name another attendee. A full name, family name, preferred name or MRN
identifies a person beyond doubt (signing, and an addendum, are refused); a first name alone
may be an ordinary word ("Will", "Hope"), so it only warns. Whole words, case-insensitive."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from trellis.notes.models import ENTRY_TEXT_FIELDS

if TYPE_CHECKING:
    from trellis.notes.models import GroupNote, GroupNoteEntry
    from trellis.participants.models import Episode


@dataclass(frozen=True)
class Mention:
    where: str  # "Group part" or the attendee whose entry it is
    entry_id: str  # "" for the group part
    names: tuple[str, ...]  # every name-like word found
    # Of those, the ones that identify another member beyond doubt (a full name, a family
    # name, a preferred name, an MRN): signing is refused while any is there.
    identifying: tuple[str, ...] = ()


@dataclass(frozen=True)
class _Names:
    """An attendee's names as the check reads them: first names may be ordinary words
    ("Will", "Hope"), so they only warn; the rest identify the person and block signing."""

    first: set[str]
    identifying: set[str]

    @property
    def all(self) -> set[str]:
        return self.first | self.identifying


def _names(episode: Episode) -> _Names:
    p = episode.participant
    given, preferred, family = (n.strip() for n in (p.given_name, p.preferred_name, p.family_name))
    identifying = {n for n in (family, p.mrn.strip()) if n}
    if given and family:
        identifying.add(f"{given} {family}")
    if preferred and preferred.casefold() != given.casefold():
        identifying.add(preferred)
        if family:
            identifying.add(f"{preferred} {family}")
    return _Names(first={given} if given else set(), identifying=identifying)


def _pattern(names: set[str]) -> re.Pattern[str] | None:
    if not names:
        return None
    # Whole words, case-insensitive; longest first so "Anna Lee" never half-matches as "Ann";
    # any run of spaces between the words of a full name.
    alternatives = "|".join(
        r"\s+".join(re.escape(word) for word in n.split())
        for n in sorted(names, key=len, reverse=True)
    )
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE)


def _mention(
    where: str, entry_id: str, text: str, first: set[str], identifying: set[str]
) -> Mention | None:
    pattern = _pattern(first | identifying)
    if pattern is None:
        return None
    hits = {" ".join(m.group(0).split()) for m in pattern.finditer(text)}
    if not hits:
        return None
    strong = {n.casefold() for n in identifying}
    return Mention(
        where,
        entry_id,
        tuple(sorted(hits, key=str.lower)),
        tuple(sorted((h for h in hits if h.casefold() in strong), key=str.lower)),
    )


def name_mentions(note: GroupNote, entries: list[GroupNoteEntry]) -> list[Mention]:
    """Entries that mention another attendee (and a group part that mentions any attendee):
    each chart must stand alone without naming others. Whole words, case-insensitive."""
    names_of = {entry.pk: _names(entry.episode) for entry in entries}
    first: set[str] = set().union(*(n.first for n in names_of.values()))
    identifying: set[str] = set().union(*(n.identifying for n in names_of.values()))
    found: list[Mention] = []
    group_text = "\n".join((note.topic, note.interventions, note.themes))
    group = _mention("Group part", "", group_text, first, identifying)
    if group is not None:
        found.append(group)
    for entry in entries:
        own = {n.casefold() for n in names_of[entry.pk].all}
        text = "\n".join(getattr(entry, f) for f in ENTRY_TEXT_FIELDS)
        mention = _mention(
            entry.episode.participant.display_name,
            str(entry.public_id),
            text,
            {n for n in first if n.casefold() not in own},
            {n for n in identifying if n.casefold() not in own},
        )
        if mention is not None:
            found.append(mention)
    return found


def identifying_message(mentions: list[Mention]) -> str:
    """The refusal: whose entry (or the group part) names someone, and with which words."""
    parts = [
        f"{m.where}: " + ", ".join(f"“{n}”" for n in m.identifying)
        for m in mentions
        if m.identifying
    ]
    return (
        "Another member is named, so the note cannot be signed (each member's chart gets it). "
        "Remove these words: " + "; ".join(parts) + "."
    )


def names_in_text(
    where: str, text: str, entries: list[GroupNoteEntry], own: GroupNoteEntry | None = None
) -> Mention | None:
    """The names of attendees (other than `own`'s) found in `text`: the check of an addendum
    to one entry (`own`) or to the group part (no attendee at all)."""
    names = [_names(e.episode) for e in entries if own is None or e.pk != own.pk]
    own_names = {n.casefold() for n in _names(own.episode).all} if own is not None else set()
    first: set[str] = set().union(*(n.first for n in names))
    identifying: set[str] = set().union(*(n.identifying for n in names))
    return _mention(
        where,
        str(own.public_id) if own is not None else "",
        text,
        {n for n in first if n.casefold() not in own_names},
        {n for n in identifying if n.casefold() not in own_names},
    )
