"""The demo is what every evaluator sees first, so it must not contradict itself: no clinical
record before the episode's admission (or for someone never admitted) apart from intake's
screenings, which come before admission by nature, and a team meeting's
decisions follow what the team discussed and why the person was on the agenda.

The demo is seeded once for the module, inside a transaction that is rolled back at the end.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from datetime import date, timedelta
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.db import transaction
from django.db.models import Count, F, Q
from pytest_django import DjangoDbBlocker

from trellis.audit.models import Event
from trellis.demo.cast import PORTAL_USERNAME
from trellis.intake.models import Screening
from trellis.measures.models import Administration, Score
from trellis.meetings.demo import DISCUSSED, RULE_ORDER
from trellis.meetings.models import AgendaItem, Decision, DecisionKind, Discussion
from trellis.participants.models import Episode, EpisodeStatus
from trellis.plans.models import PlanVersion
from trellis.practice.models.assignments import (
    OPEN_ASSIGNMENT_STATUSES,
    Assignment,
    AssignmentStatus,
    PracticeEntry,
)
from trellis.worklist.models import Alert

TODAY = "2026-03-02"


@pytest.fixture(scope="module")
def demo(django_db_setup: None, django_db_blocker: DjangoDbBlocker) -> Iterator[None]:
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("seed_demo", "--today", TODAY, stdout=StringIO(), stderr=StringIO())
        yield
        transaction.set_rollback(True)


pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo")]


def _screened() -> Q:
    """Rows of an intake screening: its check-ins, scores and a positive risk screen's alert
    sit on the person's planned episode before any admission, on purpose."""
    return Q(episode__in=Screening.objects.values("episode"))


def _before_admission(field: str) -> Q:
    """A date field of a row that lies before its episode's admission, or an unadmitted episode
    (intake screenings apart)."""
    return (
        Q(episode__admitted_on__isnull=True) | Q(**{f"{field}__lt": F("episode__admitted_on")})
    ) & ~_screened()


def test_no_scores_or_check_ins_before_admission() -> None:
    assert Score.objects.exists()
    assert not Score.objects.filter(_before_admission("observed_on")).exists()
    assert not Administration.objects.filter(_before_admission("due_on")).exists()


def test_no_plan_written_before_admission() -> None:
    zones = {e.pk: ZoneInfo(e.program.organization.time_zone) for e in _episodes()}
    versions = PlanVersion.objects.select_related("plan__episode")
    assert versions.exists()
    for version in versions:
        episode = version.plan.episode
        written = version.created_at.astimezone(zones[episode.pk]).date()
        assert episode.admitted_on is not None, f"plan for unadmitted {episode.public_id}"
        assert written >= episode.admitted_on, f"plan version {version.pk} before admission"


def test_no_alert_before_admission() -> None:
    zones = {e.pk: ZoneInfo(e.program.organization.time_zone) for e in _episodes()}
    alerts = (
        Alert.objects.filter(episode__isnull=False).exclude(_screened()).select_related("episode")
    )
    assert alerts.exists()
    for alert in alerts:
        assert alert.episode is not None
        raised = alert.created_at.astimezone(zones[alert.episode.pk]).date()
        assert alert.episode.admitted_on is not None, f"alert {alert.pk} for unadmitted episode"
        assert raised >= alert.episode.admitted_on, f"alert {alert.pk} before admission"


def test_meetings_discuss_only_people_already_admitted() -> None:
    items = AgendaItem.objects.filter(
        Q(episode__admitted_on__isnull=True) | Q(episode__admitted_on__gt=F("meeting__date"))
    )
    assert not items.exists()


def test_meeting_decisions_follow_the_discussion_and_the_agenda() -> None:
    discussions = list(Discussion.objects.all())
    assert discussions
    for discussion in discussions:
        rules = set(
            AgendaItem.objects.filter(
                meeting=discussion.meeting, episode=discussion.episode
            ).values_list("rule", flat=True)
        )
        rule = next(rule for rule in RULE_ORDER if rule in rules)
        said, revision, task = DISCUSSED[rule]
        assert discussion.text == said
        decisions = list(
            Decision.objects.filter(meeting=discussion.meeting, episode=discussion.episode)
        )
        assert len(decisions) == 1
        decision = decisions[0]
        if decision.kind == DecisionKind.PLAN_REVISION:
            assert decision.text == revision
        else:
            assert decision.text == task


def _episodes() -> list[Episode]:
    return list(Episode.objects.select_related("program__organization"))


def test_some_discharged_people_have_signed_summaries_with_follow_ups_due() -> None:
    from datetime import timedelta

    from trellis.transitions.models import DischargeSummary

    summaries = list(
        DischargeSummary.objects.select_related("episode", "aftercare").filter(status="signed")
    )
    assert len(summaries) >= 2
    today = date.fromisoformat(TODAY)
    for summary in summaries:
        episode = summary.episode
        assert episode.discharged_on is not None
        assert summary.signed_at is not None
        assert summary.figures["discharged_on"] == episode.discharged_on.isoformat()
        due = sorted(
            Administration.objects.filter(
                public_id__in=summary.aftercare.follow_up_ids
            ).values_list("due_on", flat=True)
        )
        assert due, "every signed plan has a follow-up still to come or open"
        offsets = {(d - episode.discharged_on).days for d in due}
        assert offsets <= {30, 90}
        assert max(due) + timedelta(days=14) > today
    assert any(
        (today - s.episode.discharged_on).days >= 30  # type: ignore[operator]  # checked above
        for s in summaries
    ), "at least one person's 30-day follow-up is due on the demo's date"


def test_completed_stays_with_a_summary_have_a_whole_record() -> None:
    """A signed summary that says "Treatment completed" rests on a stay of six weeks or more,
    weekly check-ins from baseline to discharge that improved, a signed plan with diagnoses
    and goals, and hours in the track's groups: assembled from the record, not written in."""
    from trellis.transitions.models import DischargeSummary

    summaries = list(
        DischargeSummary.objects.select_related("episode").filter(
            status="signed", episode__discharge_reason="completed"
        )
    )
    assert summaries
    for summary in summaries:
        figures = summary.figures
        mrn = summary.episode.participant_id
        assert figures["length_of_stay_days"] >= 42, mrn
        measures = {m["code"]: m for m in figures["measures"]}
        assert {"PHQ-9", "GAD-7"} <= set(measures), mrn
        for row in measures.values():
            assert row["baseline_on"] == figures["admitted_on"], mrn
            assert row["latest_on"] == figures["discharged_on"], mrn
            assert row["scores"] >= 6, mrn
            assert row["reliable_improvement"], mrn
        assert figures["plan_version"] >= 1, mrn
        assert figures["diagnoses"], mrn
        assert figures["goals"], mrn
        assert float(figures["hours"]["attended"]) > 0, mrn
        assert figures["hours"]["weeks"] >= 6, mrn


def test_every_evening_track_has_a_group_on_the_demo_date() -> None:
    """The evening groups are the heart of an IOP for people who work: each program's evening
    track has at least four people active on the demo's date."""
    from trellis.programs.models import Track

    evenings = list(Track.objects.filter(name="Evening").select_related("program"))
    assert len(evenings) == 3
    today = date.fromisoformat(TODAY)
    for track in evenings:
        active = Episode.objects.filter(
            track=track, status=EpisodeStatus.ACTIVE, admitted_on__lte=today
        ).count()
        assert active >= 4, f"{track.program.name} evening: {active} active"


def test_discharged_peoples_plans_were_signed_during_their_stay() -> None:
    """A plan the summary reads was signed while the person was in the program, not after."""
    versions = PlanVersion.objects.filter(
        plan__episode__status=EpisodeStatus.DISCHARGED, signed_at__isnull=False
    ).select_related("plan__episode__program__organization")
    assert versions.exists()
    for version in versions:
        episode = version.plan.episode
        assert version.signed_at is not None
        signed = version.signed_at.astimezone(episode.program.organization.tz).date()
        assert episode.admitted_on is not None
        assert episode.discharged_on is not None
        assert episode.admitted_on <= signed <= episode.discharged_on, episode.public_id


def test_the_demo_intake_board_is_live_at_every_stage() -> None:
    from trellis.intake.models import Inquiry, WaitlistEntry

    statuses = set(Inquiry.objects.values_list("status", flat=True))
    assert {"new", "contacted", "screening", "decision", "waitlisted", "closed"} <= statuses
    assert WaitlistEntry.objects.values("track").distinct().count() >= 2
    assert Screening.objects.filter(completed_at__isnull=False).exists()


# --- practice (practice/demo_assign.py): twelve weeks of batches from past group sessions
# with entries by habit, and practice still open for the portal participant.

DEMO_DAY = date.fromisoformat(TODAY)


def test_practice_batches_from_past_sessions_with_every_status() -> None:
    statuses = Counter(Assignment.objects.values_list("status", flat=True))
    assert statuses[AssignmentStatus.DONE] > 20
    assert statuses[AssignmentStatus.MISSED] > 10
    assert sum(statuses[s] for s in OPEN_ASSIGNMENT_STATUSES) > 0
    assert not Assignment.objects.filter(Q(occurrence__isnull=True) | Q(batch__isnull=True))
    assert not Assignment.objects.filter(starts_on__lt=DEMO_DAY - timedelta(weeks=12)).exists()
    assert not Assignment.objects.filter(starts_on__lt=F("episode__admitted_on")).exists()
    # The sweep ran on the demo's day: nothing open is past due.
    assert not Assignment.objects.filter(
        status__in=OPEN_ASSIGNMENT_STATUSES, due_on__lt=DEMO_DAY
    ).exists()
    # Through the actions: every assignment and entry has its audit event.
    assert Event.objects.filter(object_type="practice.assignment").count() >= (
        Assignment.objects.count()
    )


def test_practice_adherence_is_realistic_some_faithful_some_not() -> None:
    per_person = Assignment.objects.values("episode").annotate(
        done=Count("pk", filter=Q(status=AssignmentStatus.DONE)),
        missed=Count("pk", filter=Q(status=AssignmentStatus.MISSED)),
    )
    faithful = [p for p in per_person if p["done"] >= 2 and p["missed"] == 0]
    lapsed = [p for p in per_person if p["missed"] >= 2 and p["done"] == 0]
    assert faithful
    assert lapsed


def test_practice_entries_fall_inside_their_assignment_and_never_after_the_demos_day() -> None:
    entries = PracticeEntry.objects.all()
    assert entries.count() > 50
    assert not entries.filter(practiced_on__lt=F("assignment__starts_on")).exists()
    assert not entries.filter(practiced_on__gt=DEMO_DAY).exists()
    assert not entries.filter(episode__admitted_on__gt=F("practiced_on")).exists()
    assert entries.filter(late_entered=True).exists()
    assert entries.filter(late_entered=False).exists()


def test_the_portal_participant_has_open_practice_and_history() -> None:
    own = Assignment.objects.filter(participant__user__username=PORTAL_USERNAME)
    assert own.filter(status__in=OPEN_ASSIGNMENT_STATUSES, due_on__gte=DEMO_DAY).exists()
    assert own.filter(status=AssignmentStatus.DONE).exists()
    assert PracticeEntry.objects.filter(
        participant__user__username=PORTAL_USERNAME, entered_by__username=PORTAL_USERNAME
    ).exists()


def test_the_portal_participant_has_notification_preferences_and_nothing_was_sent() -> None:
    from trellis.notifications.models import Channel, Notification, Preference

    preference = Preference.objects.get(participant__user__username=PORTAL_USERNAME)
    assert preference.message_channel == Channel.EMAIL
    assert preference.quiet_start is not None
    assert not Notification.objects.exists()  # seeding queues and sends nothing
