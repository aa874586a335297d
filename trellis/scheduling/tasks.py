"""Background work: tomorrow's reminders, cancellation and schedule-change notices (Django
tasks).

Both are safe to run twice: a reminder is sent once per (series, date, participant) because
the SentReminder row is unique, and the row is written in the same transaction as the send,
so a failed send is retried by the next sweep.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.tasks import task

from trellis.accounts.models import User
from trellis.notifications.actions import queue_notification
from trellis.notifications.models import Kind
from trellis.participants.models import EpisodeStatus, Participant
from trellis.programs.models import Organization
from trellis.scheduling import notify
from trellis.scheduling.models import Occurrence, SentReminder
from trellis.scheduling.queries import (
    expected_episodes,
    find_slot,
    occurrences_between,
    roster_for,
    series_queryset,
)


@task
def send_due_reminders() -> int:
    """Queue a reminder for every participant expected at a session tomorrow (in their
    program's zone); the notifications outbox sends it by their preferences, content-free
    ("Trellis: you have a session tomorrow at 6:00 pm"). Returns the number queued."""
    sent = 0
    organizations = Organization.objects.filter(
        pk__in=series_queryset().values("track__program__organization_id")
    )
    for organization in organizations:
        tomorrow = organization.today() + timedelta(days=1)
        series = series_queryset().filter(track__program__organization=organization)
        slots = [
            s
            for s in occurrences_between(series.overlapping(tomorrow, tomorrow), tomorrow, tomorrow)
            if not s.cancelled
        ]
        roster = roster_for({s.series.pk for s in slots}, tomorrow, tomorrow)
        for slot in slots:
            for episode in expected_episodes(slot, roster):
                participant = episode.participant
                if episode.status == EpisodeStatus.DISCHARGED:
                    continue
                try:
                    with transaction.atomic():
                        _, created = SentReminder.objects.get_or_create(
                            series=slot.series,
                            original_date=slot.original_date,
                            participant=participant,
                        )
                        if created:
                            sent += queue_notification(
                                participant,
                                Kind.SESSION,
                                f"session:{slot.series.public_id}:{slot.original_date}",
                                starts_at=slot.starts_at,
                                expires_at=slot.starts_at,
                            )
                except IntegrityError:
                    continue  # another worker sent it first
    return sent


@task
def notify_cancellation(occurrence_id: int) -> int:
    """Tell the expected participants and the facilitators that a session is cancelled."""
    row = Occurrence.objects.select_related("series").filter(pk=occurrence_id).first()
    if row is None:
        return 0
    slot = find_slot(row.series.public_id, row.original_date)
    if slot is None or not slot.cancelled:
        return 0
    zone = slot.series.track.program.organization.tz
    local = slot.starts_at.astimezone(zone)
    roster = roster_for([slot.series.pk], slot.date, slot.date)
    sent = 0
    subject, body = notify.cancellation_text(local)
    for episode in expected_episodes(slot, roster):
        if episode.participant.email and episode.status != EpisodeStatus.DISCHARGED:
            send_mail(subject, body, None, [episode.participant.email])
            sent += 1
    subject, body = notify.staff_cancellation_text(local)
    for facilitator in slot.facilitators:
        if facilitator.email:
            send_mail(subject, body, None, [facilitator.email])
            sent += 1
    return sent


@task
def send_schedule_change(data: dict[str, Any]) -> int:
    """Email each person of a schedule change (`changes.payload`) one message listing their
    sessions, in the program's zone. Returns the number of emails sent."""
    zone = ZoneInfo(data["zone"])
    notices = data["notices"]
    participants = Participant.objects.in_bulk(
        [n["participant"] for n in notices if n["participant"]]
    )
    users = User.objects.in_bulk([n["user"] for n in notices if n["user"]])

    def span(times: list[str]) -> tuple[datetime, datetime] | None:
        if not times:
            return None
        return (
            datetime.fromisoformat(times[0]).astimezone(zone),
            datetime.fromisoformat(times[1]).astimezone(zone),
        )

    sent = 0
    for notice in notices:
        person = participants.get(notice["participant"]) or users.get(notice["user"])
        if person is None or not person.email:
            continue
        lines = [
            notify.change_line(data["kind"], span(before), span(after), place)
            for before, after, place in notice["lines"]
        ]
        subject, body = notify.change_text(data["kind"], lines, staff=notice["user"] is not None)
        send_mail(subject, body, None, [person.email])
        sent += 1
    return sent
