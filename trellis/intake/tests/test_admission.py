"""Admission: one transaction from a decided inquiry to an active episode on a track."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from tests.personas import World, org_today
from trellis.audit.models import Action, Event
from trellis.intake.actions import admission as admission_module
from trellis.intake.actions import check_admit, check_open_record
from trellis.intake.models import (
    ConsentDocument,
    ConsentMethod,
    ConsentSignature,
    EventKind,
    InquiryStatus,
)
from trellis.intake.tests.helpers import admission, decided_inquiry, evening_group
from trellis.measures.actions import do_get_or_create_administration
from trellis.measures.actions.schedules import do_create_default_schedules
from trellis.measures.models import (
    Administration,
    AdministrationStatus,
    ScheduleOverride,
)
from trellis.participants.models import CareTeamMember, Episode, EpisodeStatus
from trellis.programs.models import Track
from trellis.scheduling.models import RosterMembership
from trellis.worklist.models import Alert, AlertKind

pytestmark = pytest.mark.django_db


def test_admission_opens_the_episode_with_team_roster_consents_baseline_and_plan_task(
    world: World,
) -> None:
    evening_group(world)
    do_create_default_schedules(None, world.program)
    inquiry = decided_inquiry(world)
    today = org_today()
    done = check_admit(world.intake, inquiry, admission(world, today))
    episode = done.episode
    episode.refresh_from_db()
    assert (episode.status, episode.track, episode.admitted_on) == (
        EpisodeStatus.ACTIVE, world.evening, today,
    )  # fmt: skip
    inquiry.refresh_from_db()
    assert inquiry.status == InquiryStatus.ADMITTED
    team = {(m.user, m.is_primary) for m in CareTeamMember.objects.filter(episode=episode)}
    assert team == {(world.clinician, True), (world.director, False)}
    roster = RosterMembership.objects.get(episode=episode)
    assert roster.start_date == today
    assert done.first_session is not None
    assert done.first_session.date >= today
    assert done.first_session.date.weekday() in (0, 2)
    signed = ConsentSignature.objects.filter(episode=episode)
    assert {s.document.key for s in signed} == {"treatment", "telehealth"}
    assert {s.witnessed_by for s in signed} == {world.intake}
    # No screening on file: the admission check-ins are created, due today.
    assert set(done.baseline_scheduled) == {"PHQ-9", "GAD-7"}
    assert Administration.objects.filter(episode=episode, due_on=today).count() == 2
    task = Alert.objects.get(episode=episode, kind=AlertKind.TASK)
    assert task.owner == world.clinician
    assert task.due_at.astimezone(world.organization.tz).date() == today + timedelta(days=7)


def test_recent_screening_is_the_baseline_and_no_second_checkin_is_made(world: World) -> None:
    do_create_default_schedules(None, world.program)
    inquiry = decided_inquiry(world)
    assert inquiry.episode is not None
    screening, _ = do_get_or_create_administration(
        None, inquiry.episode, "PHQ-9", due_on=org_today() - timedelta(days=3)
    )
    Administration.objects.filter(pk=screening.pk).update(
        status=AdministrationStatus.COMPLETED, completed_at=timezone.now() - timedelta(days=3)
    )
    done = check_admit(world.intake, inquiry, admission(world, org_today()))
    assert done.baseline_reused == ["PHQ-9"]
    assert done.baseline_scheduled == ["GAD-7"]
    assert not Administration.objects.filter(
        episode=done.episode, instrument_code="PHQ-9", status=AdministrationStatus.DUE
    ).exists()
    override = ScheduleOverride.objects.get(episode=done.episode)
    assert override.skip
    assert "baseline" in override.reason


def test_a_full_track_is_refused_naming_the_field(world: World) -> None:
    Track.objects.filter(pk=world.evening.pk).update(capacity=1)  # Casey's person holds it
    world.evening.refresh_from_db()
    inquiry = decided_inquiry(world)
    with pytest.raises(ValidationError) as error:
        check_admit(world.intake, inquiry, admission(world, org_today()))
    assert "track" in error.value.message_dict
    assert "full (1 of 1" in error.value.message_dict["track"][0]
    inquiry.refresh_from_db()
    assert inquiry.status == InquiryStatus.DECISION


def test_an_override_with_a_reason_admits_over_capacity_and_is_audited(world: World) -> None:
    Track.objects.filter(pk=world.evening.pk).update(capacity=1)
    world.evening.refresh_from_db()
    inquiry = decided_inquiry(world)
    reason = "Stepping down from inpatient on Friday; the group agreed to one extra seat."
    done = check_admit(
        world.intake, inquiry, admission(world, org_today(), capacity_override=reason)
    )
    assert done.episode.status == EpisodeStatus.ACTIVE
    events = Event.objects.filter(
        action=Action.UPDATE,
        object_type="participants.episode",
        object_id=str(done.episode.public_id),
    )
    event = next(e for e in events if "admission" in e.detail)
    assert event.detail["capacity_override"] is True
    assert "inpatient" not in str(event.detail)  # the reason stays in the inquiry's history
    assert inquiry.events.filter(kind=EventKind.DECISION, text__isnull=False).exists()


def test_double_admission_of_the_same_person_is_refused(world: World) -> None:
    inquiry = decided_inquiry(world)
    check_admit(world.intake, inquiry, admission(world, org_today()))
    inquiry.refresh_from_db()
    with pytest.raises(ValidationError) as error:
        check_admit(world.intake, inquiry, admission(world, org_today()))
    assert "status" in error.value.message_dict
    # Someone already active in the program, inquiring again, cannot be admitted twice.
    again = decided_inquiry(world, "Alex", record=False)
    with pytest.raises(ValidationError) as error:
        check_open_record(world.intake, again, participant=world.participant)
    assert "program" in error.value.message_dict


def test_a_failure_in_the_last_step_leaves_nothing(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    evening_group(world)
    do_create_default_schedules(None, world.program)
    inquiry = decided_inquiry(world, record=False)
    episodes = Episode.objects.count()

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("the last step failed")

    monkeypatch.setattr(admission_module, "do_change_inquiry_status", broken)
    with pytest.raises(RuntimeError):
        check_admit(world.intake, inquiry, admission(world, org_today(), mrn="N-4242"))
    inquiry.refresh_from_db()
    assert inquiry.status == InquiryStatus.DECISION
    assert inquiry.episode is None
    assert Episode.objects.count() == episodes
    assert not RosterMembership.objects.filter(episode__participant__mrn="N-4242").exists()
    assert not ConsentSignature.objects.exists()
    assert not Alert.objects.filter(kind=AlertKind.TASK).exists()


def test_admission_dates_are_bounded(world: World) -> None:
    inquiry = decided_inquiry(world)
    for day in (org_today() - timedelta(days=30), org_today() + timedelta(days=31)):
        with pytest.raises(ValidationError) as error:
            check_admit(world.intake, inquiry, admission(world, day))
        assert "admitted_on" in error.value.message_dict
    # A start booked for next week is fine: the person is not in the program until then.
    done = check_admit(world.intake, inquiry, admission(world, org_today() + timedelta(days=7)))
    assert not done.episode.in_program_on(org_today())
    assert done.episode.in_program_on(org_today() + timedelta(days=7))


def test_consents_must_be_signed_and_treatment_consent_cannot_follow(world: World) -> None:
    inquiry = decided_inquiry(world)
    details = admission(world, org_today())
    treatment = next(c for c in details.consents if c.document.key == "treatment")
    for entry, message in [
        (None, "record how it is signed"),
        (type(treatment)(treatment.document, ConsentMethod.TABLET, typed_name="Sam"), "ticks"),
        (type(treatment)(treatment.document, ConsentMethod.TO_FOLLOW), "before admission"),
        (type(treatment)(treatment.document, ConsentMethod.PAPER), "date on the paper"),
    ]:
        details.consents = [] if entry is None else [entry]
        with pytest.raises(ValidationError) as error:
            check_admit(world.intake, inquiry, details)
        assert message in error.value.message_dict["consent_treatment"][0]
    assert not ConsentSignature.objects.exists()


def test_an_optional_form_is_checked_when_given_and_may_be_left_for_now(world: World) -> None:
    from trellis.intake.actions import ConsentEntry, check_add_consent_document

    inquiry = decided_inquiry(world)
    details = admission(world, org_today())
    rules = check_add_consent_document(
        world.director, world.program, key="group-rules", title="Group agreement",
        summary="I keep what others share private.", may_follow=False,
    )  # fmt: skip
    ConsentDocument.objects.filter(pk=rules.pk).update(required=False)
    rules.refresh_from_db()
    half_signed = ConsentEntry(rules, ConsentMethod.TABLET, typed_name="")
    with pytest.raises(ValidationError) as error:
        check_admit(world.intake, inquiry, admission(
            world, org_today(), consents=[*details.consents, half_signed]
        ))  # fmt: skip
    assert "consent_group-rules" in error.value.message_dict
    done = check_admit(world.intake, inquiry, details)  # left for now
    keys = set(
        ConsentSignature.objects.filter(episode=done.episode).values_list(
            "document__key", flat=True
        )
    )
    assert keys == {"treatment", "telehealth"}
