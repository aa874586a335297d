"""Public ids from user input: the one place that turns a string into a UUID (domain-free, so
every layer may use it; access functions, forms and the API all do)."""

from __future__ import annotations

import uuid

# No row has the nil UUID as its public id (they are uuid4), so filtering on it finds nothing.
MATCHES_NOTHING = uuid.UUID(int=0)


def parse_public_id(value: object) -> uuid.UUID | None:
    """The UUID that `value` spells, or None for anything else (empty, malformed, None)."""
    if isinstance(value, uuid.UUID):
        return value
    if value is None:
        return None
    try:
        return uuid.UUID(str(value))
    except ValueError:
        return None


def lookup_id(value: object) -> uuid.UUID:
    """`value` as a UUID to filter on: a malformed id becomes one that matches no row, so a
    lookup by it simply finds nothing (and the caller answers its usual 404)."""
    return parse_public_id(value) or MATCHES_NOTHING
