"""The safety plan's summary for the chart's Practice tab (docs/practice.md)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from trellis.practice.models.safety import SafetyPlan, UnsafeReport

if TYPE_CHECKING:
    from trellis.participants.models import Episode
    from trellis.privacy.access import ParticipantAccess


@dataclass(frozen=True)
class SafetyPlanSummary:
    episode: Episode
    current: SafetyPlan | None  # the latest signed version
    has_draft: bool
    last_unsafe: UnsafeReport | None


def safety_plan_summary(access: ParticipantAccess, episode: Episode) -> SafetyPlanSummary | None:
    """None unless `access` (already opened and audited by the chart) sees the episode
    clinically; a fixed number of queries whatever the history length."""
    if not access.is_clinical_for(episode):
        return None
    plans = list(
        SafetyPlan.objects.filter(episode=episode)
        .order_by("-version")
        .only("public_id", "version", "signed_at", "acknowledged_at", "episode_id")[:2]
    )
    current = next((p for p in plans if p.is_signed), None)
    has_draft = bool(plans) and not plans[0].is_signed
    if current is None and len(plans) == 2:
        current = (
            SafetyPlan.objects.filter(episode=episode, signed_at__isnull=False)
            .order_by("-version")
            .first()
        )
    last_unsafe = UnsafeReport.objects.filter(episode=episode).order_by("-reported_on").first()
    return SafetyPlanSummary(
        episode=episode, current=current, has_draft=has_draft, last_unsafe=last_unsafe
    )
