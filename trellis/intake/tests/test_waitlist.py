"""Waitlists: priority order, moving with a reason, offers and answers, the weekly message,
the page per persona and its query count."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from tests.personas import World, org_today
from trellis.accounts.models import User
from trellis.audit.models import Action, Event
from trellis.intake.actions import (
    check_add_to_waitlist,
    check_admit,
    check_decline_offer,
    check_move_entry,
    check_offer_seat,
    do_send_waitlist_checkins,
)
from trellis.intake.models import (
    InquiryStatus,
    WaitlistEntry,
    WaitlistEventKind,
    WaitlistStatus,
)
from trellis.intake.queries import waiting_entries
from trellis.intake.tests.helpers import admission, decided_inquiry
from trellis.participants.models import EpisodeStatus

pytestmark = pytest.mark.django_db


def names(world: World) -> list[str]:
    return [e.inquiry.given_name for e in waiting_entries(world.evening)]


def line_up(world: World, *people: tuple[str, bool]) -> list[WaitlistEntry]:
    return [
        check_add_to_waitlist(world.intake, decided_inquiry(world, name), world.evening,
                              step_down=step_down)
        for name, step_down in people
    ]  # fmt: skip


def test_waitlisting_sets_the_statuses_and_step_downs_go_first(world: World) -> None:
    first, *_ = line_up(world, ("Ana", False), ("Ben", False), ("Cy", True))
    assert names(world) == ["Cy", "Ana", "Ben"]
    first.refresh_from_db()
    assert first.inquiry.status == InquiryStatus.WAITLISTED
    assert first.episode.status == EpisodeStatus.WAITLIST
    assert first.episode.track == world.evening
    # A second step-down goes after the first one, still before everyone else.
    line_up(world, ("Dee", True))
    assert names(world) == ["Cy", "Dee", "Ana", "Ben"]
    assert [e.rank for e in waiting_entries(world.evening)] == [1, 2, 3, 4]


def test_moving_someone_needs_a_reason_kept_in_the_history(world: World) -> None:
    _, ben, _ = line_up(world, ("Ana", False), ("Ben", False), ("Cy", False))
    with pytest.raises(ValidationError) as error:
        check_move_entry(world.intake, ben, 1, "")
    assert "reason" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        check_move_entry(world.intake, ben, 7, "Schedule")
    assert "There is no position 7 on this waitlist (1 to 3)." in error.value.messages
    check_move_entry(world.intake, ben, 1, "Only evenings work with their new job")
    assert names(world) == ["Ben", "Ana", "Cy"]
    event = ben.events.get(kind=WaitlistEventKind.MOVED)
    assert (event.from_rank, event.to_rank, event.by) == (2, 1, world.intake)
    assert "job" in event.reason
    audit = Event.objects.filter(object_type="intake.waitlistentry", action=Action.UPDATE).last()
    assert audit is not None
    assert "job" not in str(audit.detail)


def test_only_the_first_person_is_offered_and_an_answer_is_recorded(world: World) -> None:
    ana, ben = line_up(world, ("Ana", False), ("Ben", False))
    start = org_today() + timedelta(days=2)
    with pytest.raises(ValidationError) as error:
        check_offer_seat(world.intake, ben, start)
    assert "position" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        check_offer_seat(world.intake, ana, org_today() - timedelta(days=1))
    assert "offered_start" in error.value.message_dict
    check_offer_seat(world.intake, ana, start)
    # Declines and stays: waiting again, in the same place.
    check_decline_offer(world.intake, ana, leave=False)
    assert names(world) == ["Ana", "Ben"]
    check_offer_seat(world.intake, ana, start)
    with pytest.raises(ValidationError) as error:
        check_decline_offer(world.intake, ana, leave=True)
    assert "leave_reason" in error.value.message_dict
    check_decline_offer(world.intake, ana, leave=True, leave_reason="chose_elsewhere")
    ana.refresh_from_db()
    assert ana.status == WaitlistStatus.LEFT
    assert ana.inquiry.status == InquiryStatus.CLOSED
    assert ana.episode.status == EpisodeStatus.CANCELLED
    assert names(world) == ["Ben"]
    assert waiting_entries(world.evening).get().rank == 1


def test_admitting_from_the_waitlist_ends_the_entry_and_closes_the_gap(world: World) -> None:
    ana, _ = line_up(world, ("Ana", False), ("Ben", False))
    check_admit(world.intake, ana.inquiry, admission(world, org_today()))
    ana.refresh_from_db()
    assert ana.status == WaitlistStatus.ADMITTED
    assert ana.episode.status == EpisodeStatus.ACTIVE
    assert [(e.inquiry.given_name, e.rank) for e in waiting_entries(world.evening)] == [("Ben", 1)]


def test_the_weekly_message_goes_once_a_week_without_clinical_words(world: World) -> None:
    (ana,) = line_up(world, ("Ana", False))
    ana.inquiry.email = "ana@example.test"
    ana.inquiry.save(update_fields=["email"])
    now = timezone.now()
    assert do_send_waitlist_checkins(now) == 0  # waitlisted today: not yet a week
    later = now + timedelta(days=7, hours=1)
    assert do_send_waitlist_checkins(later) == 1
    assert do_send_waitlist_checkins(later) == 0  # twice in the same week: nothing more
    assert do_send_waitlist_checkins(later + timedelta(days=3)) == 0
    assert do_send_waitlist_checkins(later + timedelta(days=7)) == 1
    assert len(mail.outbox) == 2
    message = mail.outbox[0]
    text = f"{message.subject} {message.body}".lower()
    assert world.organization.name.lower() in text
    for word in ("mental", "health iop", "substance", "screen", "phq", "therapy", "evening"):
        assert word not in text
    assert "still interested" in text


def test_no_message_without_consent_to_contact(world: World) -> None:
    (ana,) = line_up(world, ("Ana", False))
    ana.inquiry.email, ana.inquiry.consent_to_contact = "ana@example.test", False
    ana.inquiry.save(update_fields=["email", "consent_to_contact"])
    assert do_send_waitlist_checkins(timezone.now() + timedelta(days=8)) == 0


def test_the_waitlist_page_per_persona(world: World, client_for: Callable[[User], Client]) -> None:
    line_up(world, ("Ana", False), ("Cy", True))
    url = f"/intake/waitlist/{world.evening.public_id}/"
    page = client_for(world.intake).get(url)
    assert page.status_code == 200
    body = page.content.decode()
    assert body.index("Cy") < body.index("Ana")
    assert "Step-down" in body
    assert "Offer seat" in body
    front = client_for(world.front_desk).get(url).content.decode()
    assert "Ana" in front
    assert "Step-down" not in front  # why someone is first is clinical
    assert "Offer seat" not in front
    for persona in (world.clinician, world.outsider, world.compliance):
        assert client_for(persona).get(url).status_code == 404
    assert client_for(world.participant_user).get(url).status_code == 403  # staff pages


def test_a_waitlist_position_that_does_not_exist_gets_a_clear_error(
    world: World, client_for: Callable[[User], Client]
) -> None:
    ana, _ = line_up(world, ("Ana", False), ("Ben", False))
    client = client_for(world.intake)
    response = client.post(
        f"/intake/waitlist/entry/{ana.public_id}/move/",
        {"position": "9", "reason": "typo"},
        follow=True,
    )
    assert "There is no position 9 on this waitlist (1 to 2)." in response.content.decode()
    assert names(world) == ["Ana", "Ben"]
    missing = client.post(
        "/intake/waitlist/entry/00000000-0000-0000-0000-000000000000/move/",
        {"position": "1", "reason": "x"},
    )
    assert missing.status_code == 404


def test_the_waitlist_page_takes_the_same_queries_for_2_and_12_people(
    world: World, client_for: Callable[[User], Client], count_queries: type
) -> None:
    client = client_for(world.intake)
    url = f"/intake/waitlist/{world.evening.public_id}/"
    line_up(world, ("Ana", False), ("Ben", True))
    client.get(url)  # the session's first page loads the user's grants once
    with count_queries() as small:
        assert client.get(url).status_code == 200
    line_up(world, *[(f"P{i}", i % 3 == 0) for i in range(10)])
    with count_queries() as large:
        assert client.get(url).status_code == 200
    assert small.count == large.count


def test_an_accepted_offer_opens_the_admission_page_prefilled(
    world: World, client_for: Callable[[User], Client]
) -> None:
    (ana,) = line_up(world, ("Ana", False))
    start = org_today() + timedelta(days=3)
    client = client_for(world.intake)
    client.post(f"/intake/waitlist/entry/{ana.public_id}/offer/", {"offered_start": start})
    ana.refresh_from_db()
    assert (ana.status, ana.offered_start) == (WaitlistStatus.OFFERED, start)
    response = client.post(f"/intake/waitlist/entry/{ana.public_id}/accept/", follow=True)
    body = response.content.decode()
    assert "Admit Ana Rivera" in body
    assert f'value="{start.isoformat()}"' in body
    assert f'value="{world.evening.public_id}" selected' in body
    page = client.get(f"/intake/waitlist/{world.evening.public_id}/").content.decode()
    assert "Moved" not in page
    check_move_entry(world.intake, ana, 1, "Same place, noted")
    history = client.get(f"/intake/waitlist/{world.evening.public_id}/").content.decode()
    assert "Same place, noted" in history
    assert (
        "Same place, noted"
        not in client_for(world.front_desk)
        .get(f"/intake/waitlist/{world.evening.public_id}/")
        .content.decode()
    )


def test_the_waitlist_index_takes_the_same_queries_for_2_and_12_people(
    world: World, client_for: Callable[[User], Client], count_queries: type
) -> None:
    client = client_for(world.intake)
    line_up(world, ("Ana", False), ("Ben", True))
    client.get("/intake/waitlist/")
    with count_queries() as small:
        page = client.get("/intake/waitlist/")
    assert "Evening</a>: 2 waiting" in page.content.decode()
    line_up(world, *[(f"P{i}", False) for i in range(10)])
    with count_queries() as large:
        page = client.get("/intake/waitlist/")
    assert "Evening</a>: 12 waiting" in page.content.decode()
    assert small.count == large.count
    assert client_for(world.clinician).get("/intake/waitlist/").status_code == 200  # empty list
