"""The participant chart's frame: header, tabs and panels that other apps plug into.

Clinical apps sit above `participants` and must not be imported by it, so they register
their chart tabs and panels here from their plugins.py (docs/architecture.md):

    from trellis.participants import chart
    chart.register_tab(chart.ChartTab(
        "schedule", "Schedule", "scheduling:chart-schedule", Scope.DEMOGRAPHIC, order=20
    ))
    chart.register_panel(chart.ChartPanel(
        "hours", "scheduling/chart_hours.html", hours_context, Scope.CLINICAL, place="header"
    ))

A tab is a page of its own (its app's view, URL `participants/<public_id>/<tab>/`) that
extends "participants/chart_base.html" and gets its frame from `chart_context(...)`.
A panel is a fragment rendered on the overview ("overview") or under the chart header
("header") of every tab. Panel context functions must run a fixed number of queries.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from django.urls import reverse

from trellis.participants.scope import Scope

if TYPE_CHECKING:
    # Handed in by the views that opened the chart; privacy imports participants, so the
    # chart frame never imports privacy when it runs.
    from trellis.privacy.access import ParticipantAccess


@dataclass(frozen=True)
class ChartTab:
    key: str
    label: str
    url_name: str  # reversed with public_id=...
    minimum: Scope
    order: int = 50


@dataclass(frozen=True)
class ChartPanel:
    key: str
    template: str
    context: Callable[[ParticipantAccess], dict[str, Any]]
    minimum: Scope
    place: Literal["header", "overview"] = "overview"
    order: int = 50


_TABS: dict[str, ChartTab] = {
    "overview": ChartTab("overview", "Overview", "participants:chart", Scope.DEMOGRAPHIC, order=0)
}
_PANELS: dict[str, ChartPanel] = {}


def register_tab(tab: ChartTab) -> None:
    _TABS[tab.key] = tab


def register_panel(panel: ChartPanel) -> None:
    _PANELS[panel.key] = panel


@dataclass
class RenderedPanel:
    key: str
    template: str
    context: dict[str, Any] = field(default_factory=dict)


def _panels(access: ParticipantAccess, place: str) -> list[RenderedPanel]:
    chosen = sorted(
        (p for p in _PANELS.values() if p.place == place and access.scope >= p.minimum),
        key=lambda p: (p.order, p.key),
    )
    return [RenderedPanel(p.key, p.template, p.context(access)) for p in chosen]


def chart_context(access: ParticipantAccess, active_tab: str) -> dict[str, Any]:
    """Everything chart_base.html needs: the participant, scope, tabs, header panels."""
    public_id = access.participant.public_id
    tabs = [
        {
            "key": tab.key,
            "label": tab.label,
            "url": reverse(tab.url_name, kwargs={"public_id": public_id}),
            "active": tab.key == active_tab,
        }
        for tab in sorted(_TABS.values(), key=lambda t: (t.order, t.key))
        if access.scope >= tab.minimum
    ]
    return {
        "access": access,
        "participant": access.participant,
        "episode": access.current_episode,
        "status_episode": access.status_episode,
        "age": access.participant.age_on(access.participant.organization.today()),
        "tabs": tabs,
        "active_tab": active_tab,
        "header_panels": _panels(access, "header"),
    }


def overview_panels(access: ParticipantAccess) -> list[RenderedPanel]:
    return _panels(access, "overview")
