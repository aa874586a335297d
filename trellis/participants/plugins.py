"""What participants plugs into its own chart: the Care team and Portal account tabs.

Registered by ParticipantsConfig.ready() (docs/architecture.md, "Extension points").
"""

from __future__ import annotations

from trellis.accounts import idle
from trellis.participants import chart
from trellis.participants.idle import own_device_minutes
from trellis.participants.scope import Scope


def register() -> None:
    # The Care team tab belongs to participants (which owns care teams); it is clinical
    # content, so front desk never gets the tab (and the page answers them 404).
    chart.register_tab(
        chart.ChartTab("care-team", "Care team", "participants:care-team", Scope.CLINICAL, order=5)
    )
    # The participant's own sign-in: invite, resend, revoke (docs/portal.md, "Accounts"). The
    # page itself answers 404 to clinical readers who may not manage it (access.py).
    chart.register_tab(
        chart.ChartTab(
            "portal-account",
            "Portal account",
            "participants:portal-account",
            Scope.CLINICAL,
            order=90,
        )
    )
    # A participant on their own device may stay signed in as long as their program allows
    # (docs/portal.md, "Accounts").
    idle.register(own_device_minutes)
