"""What practice plugs into other apps. Called once from PracticeConfig.ready()."""

from __future__ import annotations


def register() -> None:
    """Chart tab, plan-progress provider, agenda rule, Today panels: added by each part."""
