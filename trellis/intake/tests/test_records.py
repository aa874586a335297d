"""An inquiry's record: a participant and a planned episode, created once or linked."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from tests.personas import World, org_today
from trellis.intake.actions import check_create_inquiry, check_open_record
from trellis.intake.models import Inquiry
from trellis.intake.tests.test_inquiries import details
from trellis.participants.models import Episode, EpisodeStatus, Participant

pytestmark = pytest.mark.django_db


def test_opening_the_record_registers_the_person_with_a_planned_episode(world: World) -> None:
    inquiry = check_create_inquiry(world.intake, world.program, details())
    check_open_record(world.intake, inquiry, mrn="N-1001", date_of_birth=date(1990, 4, 2))
    inquiry.refresh_from_db()
    assert inquiry.participant is not None
    assert inquiry.participant.given_name == "Sam"
    assert inquiry.participant.phone == "555-0100"
    assert inquiry.episode is not None
    assert (inquiry.episode.program, inquiry.episode.status) == (
        world.program,
        EpisodeStatus.PLANNED,
    )
    assert inquiry.date_of_birth == date(1990, 4, 2)
    # Again: the same record, nothing new.
    check_open_record(world.intake, inquiry, mrn="N-1002", date_of_birth=date(1990, 4, 2))
    assert Participant.objects.filter(mrn__startswith="N-").count() == 1


def test_a_returning_person_gets_a_new_episode_not_a_new_record(world: World) -> None:
    known = world.other_participant
    Episode.objects.filter(participant=known).update(
        status=EpisodeStatus.DISCHARGED, discharged_on=org_today(), discharge_reason="completed"
    )
    inquiry = check_create_inquiry(world.intake, world.program, details())
    check_open_record(world.intake, inquiry, participant=known)
    inquiry.refresh_from_db()
    assert inquiry.participant == known
    assert known.episodes.count() == 2


def test_a_refused_record_leaves_nothing(world: World) -> None:
    inquiry = check_create_inquiry(world.intake, world.program, details())
    people = Participant.objects.count()
    with pytest.raises(ValidationError) as error:
        check_open_record(world.intake, inquiry, mrn="N-1")
    assert "date_of_birth" in error.value.message_dict
    # An MRN already in use is refused, naming the field.
    taken = world.participant.mrn
    with pytest.raises(ValidationError) as error:
        check_open_record(world.intake, inquiry, mrn=taken, date_of_birth=date(1990, 1, 1))
    assert "mrn" in error.value.message_dict
    # Someone already open in the program cannot be opened twice.
    with pytest.raises(ValidationError) as error:
        check_open_record(world.intake, inquiry, participant=world.participant)
    assert "program" in error.value.message_dict
    assert Participant.objects.count() == people
    assert Inquiry.objects.get(pk=inquiry.pk).episode is None


def test_closing_after_screening_closes_the_planned_episode_and_reopening_keeps_the_person(
    world: World,
) -> None:
    from trellis.intake.actions import check_change_inquiry_status

    inquiry = check_create_inquiry(world.intake, world.program, details())
    check_open_record(world.intake, inquiry, mrn="N-2001", date_of_birth=date(1988, 1, 5))
    first = inquiry.episode
    assert first is not None
    check_change_inquiry_status(world.intake, inquiry, "closed", close_reason="chose_elsewhere")
    first.refresh_from_db()
    assert first.status == EpisodeStatus.CANCELLED
    assert first.status_changes.filter(status=EpisodeStatus.CANCELLED).exists()
    # They call back: the inquiry reopens and screening opens a new episode for the same person.
    check_change_inquiry_status(world.intake, inquiry, "new")
    check_open_record(world.intake, inquiry)
    inquiry.refresh_from_db()
    assert inquiry.episode != first
    assert inquiry.participant == first.participant
    assert first.participant.episodes.count() == 2
