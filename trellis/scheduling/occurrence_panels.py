"""Panels on the take-attendance page that higher apps register, so scheduling never imports
them (docs/architecture.md, "Extension points"; docs/practice.md).

A panel is a template and a context function. The function gets the signed-in user and the
slot (its attendance loaded) and returns the template's context, or None to show nothing
(for example to a user who may not see it). It must run a fixed number of queries.

    from trellis.scheduling import occurrence_panels

    def practice(user, slot):
        return {"assignments": ...}

    occurrence_panels.register("practice.assign", "practice/assignments/_attendance.html", practice)
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from trellis.accounts.models import User
    from trellis.scheduling.queries import Slot

PanelContext = Callable[["User", "Slot"], "dict[str, Any] | None"]


@dataclass(frozen=True)
class OccurrencePanel:
    template: str
    context: PanelContext


_panels: dict[str, OccurrencePanel] = {}


def register(name: str, template: str, context: PanelContext) -> None:
    """Keyed by name: registering again replaces (plugins.register() may run twice)."""
    _panels[name] = OccurrencePanel(template, context)


def panels_for(user: User, slot: Slot) -> list[tuple[str, dict[str, Any]]]:
    """(template, context) for every registered panel that has something to show."""
    shown: list[tuple[str, dict[str, Any]]] = []
    for panel in list(_panels.values()):
        context = panel.context(user, slot)
        if context is not None:
            shown.append((panel.template, context))
    return shown
