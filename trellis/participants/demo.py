"""What the demo's history seeders share about participants (synthetic data only).

The people discharged in the last few weeks are the ones the demo shows a discharge summary
for, so their whole stay gets a record: sessions and attendance (scheduling), weekly
check-ins (measures), a signed treatment plan (plans). Each app's demo calls
`recently_discharged` so they all cover the same people.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.db.models import QuerySet

from trellis.participants.models import DischargeReason, Episode, EpisodeStatus
from trellis.programs.models import Organization

# Discharged in the last six weeks or so: their 30-day follow-up is open or coming up.
RECENT_DAYS = 44
# The reasons a discharge summary is written for in the demo (never a death).
SUMMARISED_REASONS = (DischargeReason.COMPLETED, DischargeReason.TRANSFERRED, DischargeReason.OTHER)


def recently_discharged(organization: Organization, today: date) -> QuerySet[Episode]:
    """Episodes of `organization` discharged (for a summarised reason) in the RECENT_DAYS
    before `today`, admitted, in a stable order."""
    return Episode.objects.filter(
        program__organization=organization,
        status=EpisodeStatus.DISCHARGED,
        discharge_reason__in=SUMMARISED_REASONS,
        admitted_on__isnull=False,
        discharged_on__range=(today - timedelta(days=RECENT_DAYS), today - timedelta(days=1)),
    ).order_by("pk")
