"""How much of a participant's record a user may see.

The record defines its scopes; `privacy.policy` decides which scope each user gets and
re-exports `Scope`. It lives here, below privacy, so the chart frame and the apps' tabs and
panels can declare the scope they need without importing privacy (which imports participants).
"""

from __future__ import annotations

import enum


class Scope(enum.IntEnum):
    """How much of a record a user may see. Higher includes lower."""

    NONE = 0
    DEMOGRAPHIC = 1  # names, contact, enrollment and schedule: front desk
    CLINICAL = 2  # the whole chart
