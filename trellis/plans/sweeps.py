"""Plan reviews triggered by measurement: reliable deterioration or not on track.

Measures raises those alerts into the worklist and knows nothing of plans (plans reads
measures, never the reverse), so this sweep turns each open trigger alert into a review
request on the episode's plan, once per alert.
"""

from __future__ import annotations

from django.tasks import task

from trellis.plans.actions import do_request_plan_review
from trellis.plans.models import TreatmentPlan
from trellis.worklist.models import OPEN_ALERT_STATUSES, Alert, AlertKind

# Reason codes: short, coded text, since the reason goes into the audit trail.
TRIGGERS = {
    AlertKind.RELIABLE_DETERIORATION: "reliable deterioration",
    AlertKind.NOT_ON_TRACK: "not on track",
}


def do_request_reviews_from_alerts() -> int:
    """Request a review for every plan with an open trigger alert raised since its last
    review request; returns how many were requested. Safe to run any number of times."""
    alerts = list(
        Alert.objects.filter(
            kind__in=list(TRIGGERS),
            status__in=OPEN_ALERT_STATUSES,
            episode__isnull=False,
        )
        .select_related("episode", "episode__participant")
        .order_by("created_at")
    )
    plans = {
        plan.episode_id: plan
        for plan in TreatmentPlan.objects.filter(episode_id__in={a.episode_id for a in alerts})
    }
    requested = 0
    for alert in alerts:
        episode = alert.episode
        plan = plans.get(episode.pk) if episode is not None else None
        if plan is None or episode is None:
            continue
        if plan.review_requested_at is not None and plan.review_requested_at >= alert.created_at:
            continue
        updated = do_request_plan_review(episode, TRIGGERS[AlertKind(alert.kind)])
        if updated is not None:
            plans[episode.pk] = updated
            requested += 1
    return requested


@task
def request_reviews_from_alerts() -> None:
    do_request_reviews_from_alerts()
