"""After attendance changes: callbacks that higher apps register, so scheduling never
imports them (docs/architecture.md, "Extension points").

Notes registers one (notes/plugins.py): a person marked after the occurrence's group note
was started gets an entry in the draft. The actions call `attendance_changed` inside their own
transaction, so a hook's writes commit with the mark or not at all; a hook that raises undoes
the mark with it (nothing half-written).

    from trellis.scheduling import attendance_hooks

    def follow(actor, slot, episode, status):  # status "" when a mark is undone
        ...

    attendance_hooks.register("notes.group", follow)
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from trellis.accounts.models import User
    from trellis.participants.models import Episode
    from trellis.scheduling.queries import Slot

AttendanceHook = Callable[["User | None", "Slot", "Episode", str], None]

_hooks: dict[str, AttendanceHook] = {}


def register(name: str, hook: AttendanceHook) -> None:
    """Keyed by name: registering again replaces (plugins.register() may run twice)."""
    _hooks[name] = hook


def attendance_changed(actor: User | None, slot: Slot, episode: Episode, status: str) -> None:
    """Tell every hook that `episode`'s attendance at `slot` is now `status` ("" = unmarked)."""
    for hook in list(_hooks.values()):
        hook(actor, slot, episode, status)
