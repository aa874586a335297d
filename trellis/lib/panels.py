"""Panels that apps add to shared pages (Today) without the page importing the apps.

An app registers from its plugins.py (docs/architecture.md, "Extension points"):

    from trellis.lib.panels import PagePanel, register
    register("today", PagePanel("urgent-alerts", "worklist/today_alerts.html", alerts_for, order=0))

The context function gets the signed-in user and returns the template's context, or None
to show nothing (for example when the user's role has no business with the panel). It must
run a fixed number of queries and do its own access checks. A panel that names people puts
them in the context as `participants_shown`; the page records one list event per person.

Two optional context keys shape the page: `lead` (true) puts the panel before the others
whatever its order (a facilitator's sessions today, which must be on screen without
scrolling), and `counts`, a list of `Count`s, that the page shows together at its top.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class PagePanel:
    key: str
    template: str
    context: Callable[[Any], dict[str, Any] | None]
    order: int = 50


@dataclass(frozen=True)
class Count:
    """A number for the top of the page, with the page that lists what it counts."""

    label: str
    number: int
    url: str
    urgent: bool = False


@dataclass(frozen=True)
class RenderedPanel:
    key: str
    template: str
    context: dict[str, Any]


_PAGES: dict[str, dict[str, PagePanel]] = {}


def register(page: str, panel: PagePanel) -> None:
    _PAGES.setdefault(page, {})[panel.key] = panel


def panels_for(page: str, user: Any) -> list[RenderedPanel]:
    rendered = []
    for panel in sorted(_PAGES.get(page, {}).values(), key=lambda p: (p.order, p.key)):
        context = panel.context(user)
        if context is not None:
            rendered.append(RenderedPanel(panel.key, panel.template, context))
    # Stable: lead panels first, each group in its registered order.
    return sorted(rendered, key=lambda p: not p.context.get("lead", False))
