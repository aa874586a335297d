"""The outbox and its sweep: content-free words, preferences, quiet hours in the
organization's zone, the digest, exactly once, and bounded retries."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, time, timedelta
from typing import Any

import pytest
from django.core import mail
from django.test import override_settings

from tests.personas import World
from trellis.audit.models import Event, Outcome
from trellis.lib import periodic, sms
from trellis.messaging.actions import do_reply
from trellis.messaging.tests.helpers import participant_writes
from trellis.notifications import texts
from trellis.notifications.actions import MAX_ATTEMPTS, do_deliver_due, queue_notification
from trellis.notifications.models import Channel, Kind, Notification, Preference, Status
from trellis.notifications.preferences import defaults_for
from trellis.participants.models import Participant

# 22:30 on 10 March in Chicago (CDT, UTC-5) is 03:30 on 11 March in UTC: the dates differ.
LATE_EVENING = datetime(2026, 3, 11, 3, 30, tzinfo=UTC)
SECRETS = ("DBT", "IOP", "Adult", "PHQ", "GAD", "Casey", "Riverbend", "group", "therapy")


class FailingBackend(sms.BaseSmsBackend):
    def send_messages(self, messages: list[sms.TextMessage]) -> int:
        raise sms.SmsError("provider refused")


@pytest.fixture
def texts_out() -> Iterator[list[sms.TextMessage]]:
    sms.outbox.clear()
    yield sms.outbox
    sms.outbox.clear()


def prefer(participant: Participant, **fields: Any) -> Preference:
    preference = defaults_for(participant)
    for name, value in fields.items():
        setattr(preference, name, value)
    preference.save()
    return preference


def assert_content_free(text: str) -> None:
    for secret in SECRETS:
        assert secret not in text


def test_each_kind_has_content_free_words() -> None:
    six_pm = datetime(2026, 3, 10, 18, 0, tzinfo=UTC)
    message = texts.words_for(Kind.MESSAGE)
    assert message.subject == "You have a new message from your care team"
    checkin = texts.words_for(Kind.CHECKIN)
    assert checkin.text == "Trellis: a check-in is waiting for you."
    session = texts.words_for(Kind.SESSION, six_pm)
    assert session.text == "Trellis: you have a session tomorrow at 6:00 pm."
    digest = texts.digest_words([Kind.MESSAGE, Kind.MESSAGE, Kind.CHECKIN])
    assert digest.text == "Trellis today: 2 new messages, 1 check-in waiting."
    for words in (message, checkin, session, digest):
        assert_content_free(texts.email_body(words) + texts.text_body(words) + words.subject)
        assert len(texts.text_body(words)) <= sms.MAX_LENGTH


def test_a_staff_reply_queues_a_notification_sent_once_by_email(world: World) -> None:
    thread = participant_writes(world.participant)
    mail.outbox.clear()
    do_reply(world.clinician, thread, "Yes: Monday, the DBT group at 6 pm.")
    assert mail.outbox == []  # queued, not sent in the request
    row = Notification.objects.get(participant=world.participant)
    assert (row.kind, row.status) == (Kind.MESSAGE, Status.PENDING)
    assert do_deliver_due() == 1
    assert do_deliver_due() == 0  # the second run sends nothing
    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert email.to == [world.participant.email]
    assert email.subject == "You have a new message from your care team"
    assert_content_free(email.subject + email.body)
    assert "Monday" not in email.body
    row.refresh_from_db()
    assert (row.status, row.channel) == (Status.SENT, Channel.EMAIL)
    event = Event.objects.get(
        object_type="notifications.notification", object_id=str(row.public_id)
    )
    assert event.detail == {"kind": "message", "channel": "email", "digest": False}
    assert event.outcome == Outcome.SUCCESS


def test_the_same_event_is_queued_once(world: World) -> None:
    assert queue_notification(world.participant, Kind.CHECKIN, "checkin:1") is True
    assert queue_notification(world.participant, Kind.CHECKIN, "checkin:1") is False
    assert Notification.objects.count() == 1


def test_turned_off_is_not_sent_and_says_why(world: World) -> None:
    prefer(world.participant, message_channel=Channel.NONE)
    queue_notification(world.participant, Kind.MESSAGE, "message:1")
    assert do_deliver_due() == 0
    assert mail.outbox == []
    row = Notification.objects.get()
    assert (row.status, row.last_error) == (Status.SKIPPED, "turned off")
    assert Event.objects.filter(object_id=str(row.public_id)).count() == 1


def test_text_only_goes_by_text(world: World, texts_out: list[sms.TextMessage]) -> None:
    prefer(
        world.participant,
        message_channel=Channel.TEXT,
        checkin_channel=Channel.TEXT,
        text_consent_at=LATE_EVENING,
        text_consent_to=world.participant.phone,
    )
    queue_notification(world.participant, Kind.MESSAGE, "message:1")
    queue_notification(world.participant, Kind.CHECKIN, "checkin:1")
    assert do_deliver_due() == 2
    assert mail.outbox == []
    assert [m.to for m in texts_out] == [world.participant.phone] * 2
    assert texts_out[0].body.startswith("Trellis: you have a new message from your care team.")
    for message in texts_out:
        assert_content_free(message.body)


def test_text_without_consent_is_not_sent(world: World, texts_out: list[sms.TextMessage]) -> None:
    prefer(world.participant, message_channel=Channel.TEXT, text_consent_at=None)
    queue_notification(world.participant, Kind.MESSAGE, "message:1")
    do_deliver_due()
    assert texts_out == []
    assert Notification.objects.get().status == Status.SKIPPED


def test_a_changed_number_is_not_texted_until_agreed_again(
    world: World, texts_out: list[sms.TextMessage]
) -> None:
    prefer(
        world.participant,
        message_channel=Channel.TEXT,
        text_consent_at=LATE_EVENING,
        text_consent_to="555-0199",  # the number they agreed to, since changed
    )
    queue_notification(world.participant, Kind.MESSAGE, "message:1")
    do_deliver_due()
    assert texts_out == []
    row = Notification.objects.get()
    assert (row.status, row.last_error) == (Status.SKIPPED, "no mobile number or consent")


def test_quiet_hours_hold_until_the_organizations_morning(world: World) -> None:
    prefer(world.participant, quiet_start=time(21), quiet_end=time(8))
    queue_notification(world.participant, Kind.MESSAGE, "message:1", now=LATE_EVENING)
    assert do_deliver_due(LATE_EVENING) == 0
    row = Notification.objects.get()
    # 08:00 on 11 March in Chicago, not 08:00 UTC and not 12 March.
    assert row.not_before == datetime(2026, 3, 11, 13, 0, tzinfo=UTC)
    assert row.status == Status.PENDING
    assert do_deliver_due(datetime(2026, 3, 11, 12, 59, tzinfo=UTC)) == 0
    assert mail.outbox == []
    assert do_deliver_due(datetime(2026, 3, 11, 13, 0, tzinfo=UTC)) == 1
    assert len(mail.outbox) == 1


def test_the_digest_groups_the_days_notifications_at_the_chosen_hour(world: World) -> None:
    prefer(world.participant, digest=True, digest_hour=18)
    morning = datetime(2026, 3, 10, 15, 0, tzinfo=UTC)  # 10:00 in Chicago
    for n, kind in enumerate([Kind.MESSAGE, Kind.MESSAGE, Kind.CHECKIN]):
        queue_notification(world.participant, kind, f"{kind}:{n}", now=morning)
    assert do_deliver_due(morning) == 0
    assert do_deliver_due(datetime(2026, 3, 10, 22, 59, tzinfo=UTC)) == 0  # 17:59 local
    six_pm = datetime(2026, 3, 10, 23, 0, tzinfo=UTC)
    assert do_deliver_due(six_pm) == 3
    assert do_deliver_due(six_pm) == 0
    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject == "Your Trellis summary"
    assert "2 new messages, 1 check-in waiting" in mail.outbox[0].body
    assert set(Notification.objects.values_list("status", "digest")) == {(Status.SENT, True)}


def test_a_session_reminder_that_would_arrive_late_is_dropped(world: World) -> None:
    starts = LATE_EVENING + timedelta(hours=1)
    queue_notification(
        world.participant,
        Kind.SESSION,
        "session:x:2026-03-10",
        starts_at=starts,
        expires_at=starts,
        now=LATE_EVENING,
    )
    assert do_deliver_due(starts) == 0
    row = Notification.objects.get()
    assert (row.status, row.last_error) == (Status.SKIPPED, "too late")


@override_settings(TRELLIS_SMS_BACKEND="trellis.notifications.tests.test_delivery.FailingBackend")
def test_a_failing_backend_is_retried_then_given_up_visibly(world: World, client_for: Any) -> None:
    prefer(
        world.participant,
        message_channel=Channel.TEXT,
        text_consent_at=LATE_EVENING,
        text_consent_to=world.participant.phone,
    )
    queue_notification(world.participant, Kind.MESSAGE, "message:1", now=LATE_EVENING)
    at = LATE_EVENING
    for attempt in range(1, MAX_ATTEMPTS + 1):
        assert do_deliver_due(at) == 0
        row = Notification.objects.get()
        assert (row.attempts, row.last_error) == (attempt, "SmsError")
        if attempt < MAX_ATTEMPTS:
            assert row.status == Status.PENDING
            assert do_deliver_due(row.not_before - timedelta(seconds=1)) == 0  # not yet
            at = row.not_before
    assert row.status == Status.FAILED
    assert do_deliver_due(at + timedelta(days=1)) == 0
    assert Notification.objects.get().attempts == MAX_ATTEMPTS
    event = Event.objects.get(object_id=str(row.public_id))
    assert event.outcome == Outcome.FAILURE
    page = client_for(world.participant_user).get("/me/notifications/").content.decode()
    assert "Trellis could not send you 1 notification." in page


def test_defaults_text_only_with_a_texted_invitation_and_no_email(world: World) -> None:
    participant = world.participant
    assert defaults_for(participant).message_channel == Channel.EMAIL
    assert defaults_for(participant).text_consent_at is None
    participant.invitations.create(
        phone=participant.phone,
        token_digest="0" * 64,
        expires_at=LATE_EVENING,
        accepted_at=LATE_EVENING,
    )
    participant.email = ""
    participant.save(update_fields=["email"])
    assert participant.user is not None
    participant.user.email = ""
    defaults = defaults_for(participant)
    assert defaults.message_channel == Channel.TEXT
    assert defaults.text_consent_at == LATE_EVENING
    assert defaults.text_consent_to == participant.phone


def test_the_sweep_is_on_the_clock() -> None:
    assert "notifications.deliver" in [job.name for job in periodic.registered()]


def test_a_row_whose_worker_died_is_never_resent_and_is_reported(
    world: World, caplog: pytest.LogCaptureFixture
) -> None:
    queue_notification(world.participant, Kind.MESSAGE, "message:1", now=LATE_EVENING)
    Notification.objects.update(status=Status.SENDING)  # claimed, then the worker was killed
    later = LATE_EVENING + timedelta(hours=2)
    with caplog.at_level("WARNING", logger="trellis.notifications.actions"):
        assert do_deliver_due(later) == 0
    assert mail.outbox == []
    assert "1 notifications claimed over an hour ago were never finished" in caplog.text
