"""Reads for the FHIR Consent and ServiceRequest endpoints (trellis/intake/api_fhir.py), each
in a fixed number of queries."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import Q, QuerySet

from trellis.intake.models import ConsentSignature, InquiryStatus, LevelOfCareDecision
from trellis.programs.models import Program

if TYPE_CHECKING:
    from trellis.participants.models import Episode


def episode_signatures(episodes: list[Episode]) -> list[ConsentSignature]:
    """The consents of these episodes, newest first (one query)."""
    return list(
        ConsentSignature.objects.filter(episode__in=episodes)
        .select_related("document", "episode__participant", "episode__program__organization")
        .order_by("-recorded_at", "pk")
    )


def referrals(
    programs: Q, *, directed: Q, participant: str | None = None
) -> QuerySet[LevelOfCareDecision]:
    """Referrals elsewhere (decisions with a destination) of inquiries in `programs` (a filter
    on Program), newest first. An admitted inquiry's referral only where `directed` (its
    directors: intake loses it with the chart, as the screening)."""
    decisions = LevelOfCareDecision.objects.exclude(destination="").filter(
        inquiry__program__in=_program_ids(programs)
    )
    decisions = decisions.exclude(
        Q(inquiry__status=InquiryStatus.ADMITTED) & ~Q(inquiry__program__in=_program_ids(directed))
    )
    if participant is not None:
        decisions = decisions.filter(inquiry__participant__public_id=participant)
    return decisions.select_related(
        "inquiry__program__organization", "inquiry__participant", "decided_by"
    ).order_by("-decided_at", "-pk")


def _program_ids(programs: Q) -> QuerySet[Program, Any]:
    return Program.objects.filter(programs).values("pk")
