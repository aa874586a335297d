"""Schedules: admission and weekly check-ins created idempotently by the sweep, reminders
without clinical content, and an alert after two missed check-ins in a row."""

from __future__ import annotations

from datetime import timedelta

from django.core import mail

from tests.personas import World, org_today
from trellis.measures.actions import do_mark_missed, do_schedule_checkins
from trellis.measures.models import Administration, AdministrationStatus, Schedule
from trellis.measures.tasks import schedule_checkins, send_reminders
from trellis.measures.tests.factories import open_checkin
from trellis.notifications.actions import do_deliver_due
from trellis.notifications.models import Kind, Notification
from trellis.worklist.models import Alert, AlertKind


def test_the_sweep_creates_weekly_checkins_once(world: World) -> None:
    today = org_today()
    first = do_schedule_checkins(today)
    assert Schedule.objects.filter(program=world.program).count() == 10  # PHQ-9 and GAD-7 × 5
    weekly = [a for a in first if a.schedule and a.schedule.kind == "weekly"]
    # Personas were admitted 21 days ago: this week's Tuesday check-in is due (PHQ-9, GAD-7).
    assert {a.instrument_code for a in weekly} <= {"PHQ-9", "GAD-7"}
    assert do_schedule_checkins(today) == []
    schedule_checkins.enqueue()
    assert Administration.objects.count() == len(first)


def test_reminders_carry_a_link_and_no_clinical_content(world: World) -> None:
    # Without a portal sign-in: an email with a one-time link.
    open_checkin(world.other_participant)
    send_reminders.enqueue()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert "/measures/c/" in message.body
    for word in ("PHQ", "depress", "GAD", "anxi", world.other_participant.family_name):
        assert word not in message.body
        assert word not in message.subject
    send_reminders.enqueue()
    assert len(mail.outbox) == 1  # reminded once


def test_a_portal_participant_is_notified_through_their_preferences(world: World) -> None:
    administration = open_checkin(world.participant)
    send_reminders.enqueue()
    send_reminders.enqueue()
    assert mail.outbox == []  # no link by email: they sign in
    notice = Notification.objects.get(participant=world.participant)
    assert (notice.kind, notice.expires_at) == (Kind.CHECKIN, administration.expires_at)
    assert do_deliver_due() == 1
    assert mail.outbox[0].subject == "A check-in is waiting for you"
    assert "/measures/c/" not in mail.outbox[0].body


def test_two_missed_checkins_in_a_row_raise_an_alert(world: World) -> None:
    old = open_checkin(world.participant, due_on=org_today() - timedelta(days=14))
    do_mark_missed()
    old.refresh_from_db()
    assert old.status == AdministrationStatus.MISSED
    assert not Alert.objects.exists()
    open_checkin(world.participant, due_on=org_today() - timedelta(days=7))
    do_mark_missed()
    assert Alert.objects.get().kind == AlertKind.MISSED_CHECKINS
    do_mark_missed()
    assert Alert.objects.count() == 1


def test_marking_a_checkin_missed_is_audited_once(world: World) -> None:
    from trellis.audit.models import Event

    old = open_checkin(world.participant, due_on=org_today() - timedelta(days=14))
    do_mark_missed()
    do_mark_missed()
    event = Event.objects.get(object_id=str(old.public_id), detail__missed=True)
    assert (event.participant, event.actor, event.actor_label) == (
        world.participant,
        None,
        "system",
    )
