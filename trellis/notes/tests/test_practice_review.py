"""Practice in notes (issue 12, "Assignments"): assigning practice from the group note, and
"Practice reviewed" prefilled in progress notes and group-note entries, frozen and marked
reviewed at signing, never offered twice, and shown by who may see what."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any

from django.test import Client
from django.utils import timezone

from tests.personas import PASSWORD, World
from tests.queries import CountQueries
from trellis.accounts.models import User
from trellis.audit.models import Event
from trellis.notes import actions, practice_review
from trellis.notes.group import actions as ga
from trellis.notes.models import GroupNote, Note
from trellis.notes.tests.factory import written_note
from trellis.notes.tests.group_factory import (
    entry_of,
    group_session,
    local_today,
    members,
    signed_group_note,
)
from trellis.participants.models import Episode, Participant
from trellis.practice.actions.assignments import (
    AssignmentData,
    EntryData,
    do_assign,
    do_assign_to_present,
    do_could_not,
    do_record_entry,
)
from trellis.practice.models.assignments import Assignment, PracticeEntry
from trellis.practice.tests.helpers import dear_man
from trellis.scheduling import actions as sactions
from trellis.scheduling.queries import Slot, attendance_for, find_slot

Clients = Callable[[User], Client]

WORDS = "Asked my sister for help with the rent"
REASON = "Night shifts all week"


def _assign_post(world: World, episodes: list[Episode], **extra: object) -> dict[str, object]:
    skill = dear_man(world.organization)
    return {
        "focus": f"skill:{skill.public_id}",
        "due_on": f"{local_today(world) + timedelta(days=3):%Y-%m-%d}",
        "frequency": "once",
        "times_required": "1",
        "note": "",
        "batch_key": str(uuid.uuid4()),
        "episode": [str(e.public_id) for e in episodes],
        **extra,
    }


def _data(world: World, starts_on: date, title: str = "Practise DEAR MAN and log it") -> Any:
    return AssignmentData(
        title=title,
        due_on=local_today(world) + timedelta(days=3),
        starts_on=starts_on,
        skill=dear_man(world.organization),
    )


def _log(
    person: Participant, assignment: Assignment, day: date, rating: int, before: datetime
) -> PracticeEntry:
    """The participant logs practice; it was written before `before` (the session)."""
    entry = do_record_entry(
        person.user,
        assignment,
        EntryData(
            practiced_on=day,
            idempotency_key=uuid.uuid4().hex,
            rating=rating,
            what_happened=f"{WORDS} ({person.mrn})",
        ),
    )
    # Test set-up only: the entry was sent the morning before the session.
    PracticeEntry.objects.filter(pk=entry.pk).update(submitted_at=before - timedelta(hours=8))
    return entry


def _earlier_session(world: World, slot: Slot, people: list[Participant]) -> Slot:
    """The same group two days before `slot`, everyone present."""
    earlier = find_slot(slot.series.public_id, slot.date - timedelta(days=2))
    assert earlier is not None
    for person in people:
        sactions.do_record_attendance(
            slot.facilitators[0], earlier, person.episodes.get(), sactions.Mark("present")
        )
    earlier = find_slot(slot.series.public_id, slot.date - timedelta(days=2))
    assert earlier is not None
    attendance_for([earlier])
    return earlier


def _practised_in_group(
    world: World, slot: Slot, people: list[Participant]
) -> tuple[list[Assignment], Assignment]:
    """Practice assigned at the group's earlier session and logged by everyone; one more
    assignment given by the care team outside the group (to the first person)."""
    earlier = _earlier_session(world, slot, people)
    rows = do_assign_to_present(slot.facilitators[0], earlier, _data(world, earlier.date))
    for row in rows:
        person = row.participant
        _log(person, row, earlier.date + timedelta(days=1), 6, slot.starts_at)
    outside = do_assign(
        world.clinician,
        people[0].episodes.get(),
        _data(world, earlier.date, title="Thought record at home"),
    )
    _log(people[0], outside, earlier.date, 3, slot.starts_at)
    return rows, outside


def _with_users(people: list[Participant]) -> list[Participant]:
    from trellis.accounts.actions import do_create_user
    from trellis.participants.actions.enrollment import do_link_participant_user

    for person in people:
        user = do_create_user(
            None, username=f"p-{person.mrn.lower()}", password=PASSWORD, is_staff_profile=False
        )
        do_link_participant_user(None, person, user)
    return [Participant.objects.select_related("user").get(pk=p.pk) for p in people]


# --- assigning from the group note --------------------------------------------------------


def test_facilitator_assigns_practice_to_everyone_present_from_the_group_note(
    world: World, client_for: Clients
) -> None:
    people = members(world, 3, clinician=world.clinician)
    absent = people[2]
    slot = group_session(world, people, absent=[absent])
    note = ga.check_start_group_note(world.clinician, slot)
    url = f"/notes/group/{note.public_id}/"
    facilitator = client_for(world.clinician)
    page = facilitator.get(url).content.decode()
    assert "Assign practice to everyone present" in page
    assert f'name="next" value="{url}"' in page
    assert str(absent.episodes.get().public_id) not in page  # only people present are offered

    present = [p.episodes.get() for p in people[:2]]
    post = _assign_post(world, present, next=url)
    assign = f"/practice/sessions/{slot.series.public_id}/{slot.original_date:%Y-%m-%d}/assign/"
    response = facilitator.post(assign, post)
    assert response.status_code == 302
    assert response["Location"] == f"{url}#practice-panel"
    facilitator.post(assign, post)  # a double submit
    rows = list(Assignment.objects.all())
    assert len(rows) == 2
    assert len({a.batch for a in rows}) == 1
    assert {a.episode_id for a in rows} == {e.pk for e in present}
    assert all(a.occurrence_id == slot.row.pk for a in rows if slot.row is not None)
    page = facilitator.get(url).content.decode()
    assert "Practise DEAR MAN and log it" in page
    assert "0 of 2 practised" in page  # what was already assigned in this session


def test_naming_someone_absent_from_the_group_note_stores_nothing(
    world: World, client_for: Clients
) -> None:
    people = members(world, 2, clinician=world.clinician)
    slot = group_session(world, people, absent=[people[1]])
    note = ga.check_start_group_note(world.clinician, slot)
    url = f"/notes/group/{note.public_id}/"
    post = _assign_post(world, [p.episodes.get() for p in people], next=url)
    assign = f"/practice/sessions/{slot.series.public_id}/{slot.original_date:%Y-%m-%d}/assign/"
    response = client_for(world.clinician).post(assign, post, follow=True)
    assert "were not present at this session" in response.content.decode()
    assert not Assignment.objects.exists()


def test_next_never_leaves_the_site(world: World, client_for: Clients) -> None:
    people = members(world, 1, clinician=world.clinician)
    slot = group_session(world, people)
    post = _assign_post(world, [people[0].episodes.get()], next="https://evil.example/x")
    assign = f"/practice/sessions/{slot.series.public_id}/{slot.original_date:%Y-%m-%d}/assign/"
    response = client_for(world.clinician).post(assign, post)
    assert response["Location"].startswith("/schedule/")


def test_front_desk_gets_no_group_note_and_no_practice(world: World, client_for: Clients) -> None:
    people = _with_users(members(world, 2, clinician=world.clinician))
    slot = group_session(world, people)
    _practised_in_group(world, slot, people)
    note = ga.check_start_group_note(world.clinician, slot)
    response = client_for(world.front_desk).get(f"/notes/group/{note.public_id}/")
    assert response.status_code == 404
    assert WORDS not in response.content.decode()
    # Nor through a progress note's list: front desk has no clinical access to anyone.
    offered = practice_review.live(
        world.front_desk, [p.episodes.get() for p in people], up_to=timezone.now()
    )
    assert offered == {p.episodes.get().pk: [] for p in people}


# --- "Practice reviewed" in the group note ------------------------------------------------


def test_group_note_prefills_practice_and_signing_marks_it_reviewed_once(
    world: World, client_for: Clients
) -> None:
    people = _with_users(members(world, 2, clinician=world.clinician))
    slot = group_session(world, people)
    _rows, _outside = _practised_in_group(world, slot, people)
    note = ga.check_start_group_note(world.clinician, slot)
    page = client_for(world.clinician).get(f"/notes/group/{note.public_id}/").content.decode()
    # The facilitator is on these people's care team: all their practice, with their words.
    assert page.count("Practise DEAR MAN and log it") >= 2
    assert "how it went 6/10" in page
    assert "Thought record at home" in page
    assert "how it went 3/10" in page
    assert f"{WORDS} ({people[0].mrn})" in page

    signed = signed_group_note(world.clinician, slot)
    entry = entry_of(signed, people[0])
    assert [line["title"] for line in entry.practice_lines] == [
        "Thought record at home",
        "Practise DEAR MAN and log it",
    ]
    reviewed = PracticeEntry.objects.filter(reviewed_at__isnull=False)
    assert reviewed.count() == 3
    assert set(reviewed.values_list("reviewed_in", flat=True)) == {
        f"notes.group:{entry_of(signed, p).public_id}" for p in people
    }
    assert set(reviewed.values_list("reviewed_by", flat=True)) == {world.clinician.pk}
    assert Event.objects.filter(object_type="practice.review", action="update").count() == 2

    # The chart keeps the frozen copy.
    chart = client_for(world.clinician).get(
        f"/participants/{people[0].public_id}/notes/group/{entry.public_id}/"
    )
    assert "Thought record at home" in chart.content.decode()

    # The next session (or a progress note) offers nothing already reviewed.
    offered = practice_review.live(
        world.clinician,
        [p.episodes.get() for p in people],
        up_to=timezone.now() + timedelta(days=1),
        series_id=slot.series.pk,
    )
    assert offered == {p.episodes.get().pk: [] for p in people}
    assert not PracticeEntry.objects.filter(reviewed_at__isnull=True).exists()


def test_a_facilitator_outside_the_care_team_sees_completion_of_their_own_group_only(
    world: World, client_for: Clients
) -> None:
    people = _with_users(members(world, 2, clinician=world.clinician))
    slot = group_session(world, people, facilitator=world.other_clinician)
    _practised_in_group(world, slot, people)
    note = ga.check_start_group_note(world.other_clinician, slot)
    page = client_for(world.other_clinician).get(f"/notes/group/{note.public_id}/")
    text = page.content.decode()
    assert "Practise DEAR MAN and log it" in text
    assert "how it went 6/10" in text
    assert "Thought record at home" not in text  # not given at their group
    assert WORDS not in text  # never the participant's words

    signed = signed_group_note(world.other_clinician, slot)
    lines = entry_of(signed, people[0]).practice_lines
    assert [line["title"] for line in lines] == ["Practise DEAR MAN and log it"]
    assert all(not line["detail"] for line in lines)
    # What the facilitator could not see stays to be reviewed by the care team.
    left = PracticeEntry.objects.filter(reviewed_at__isnull=True)
    assert [e.assignment.title for e in left] == ["Thought record at home"]


# --- "Practice reviewed" in a progress note -----------------------------------------------


def _progress_set_up(world: World) -> tuple[Episode, datetime, Assignment]:
    episode = world.participant.episodes.get()
    start = timezone.now().replace(second=0, microsecond=0) - timedelta(minutes=10)
    today = local_today(world)
    done = do_assign(world.clinician, episode, _data(world, today - timedelta(days=3)))
    _log(world.participant, done, today - timedelta(days=1), 8, start)
    blocked = do_assign(
        world.clinician, episode, _data(world, today - timedelta(days=3), title="Mindful walk")
    )
    do_could_not(world.participant_user, blocked, REASON)
    Assignment.objects.filter(pk=blocked.pk).update(could_not_at=start - timedelta(hours=5))
    return episode, start, blocked


def _sign(author: User, note: Note) -> Note:
    return actions.check_sign_note(
        author, note, typed_name=author.name, password=PASSWORD, revision=note.revision
    )


def test_progress_note_prefills_practice_reviewed_and_signing_freezes_and_marks_it(
    world: World, client_for: Clients
) -> None:
    episode, start, blocked = _progress_set_up(world)
    note = written_note(world.clinician, episode, start=start)
    base = f"/participants/{world.participant.public_id}/notes/{note.public_id}"
    page = client_for(world.clinician).get(f"{base}/edit/").content.decode()
    assert "Practice reviewed" in page
    assert "Practise DEAR MAN and log it" in page
    assert "how it went 8/10" in page
    assert f"{WORDS} ({world.participant.mrn})" in page  # the care team reads their words
    assert "Mindful walk" in page
    assert REASON in page

    signed = _sign(world.clinician, note)
    assert [line["title"] for line in signed.practice_lines] == [
        "Practise DEAR MAN and log it",
        "Mindful walk",
    ]
    entry = PracticeEntry.objects.get()
    assert entry.reviewed_in == f"notes.progress:{signed.public_id}"
    assert entry.reviewed_by_id == world.clinician.pk
    blocked.refresh_from_db()
    assert blocked.could_not_reviewed_at is not None
    detail = client_for(world.director).get(f"{base}/").content.decode()
    assert "Mindful walk" in detail
    assert "how it went 8/10" in detail

    second = written_note(world.clinician, episode, start=start)
    again = client_for(world.clinician).get(
        f"/participants/{world.participant.public_id}/notes/{second.public_id}/edit/"
    )
    text = again.content.decode()
    assert "Nothing new since the last review." in text
    assert "Mindful walk" not in text


def test_signing_twice_from_two_drafts_reviews_each_entry_once(world: World) -> None:
    episode, start, _ = _progress_set_up(world)
    first = written_note(world.clinician, episode, start=start)
    second = written_note(world.director, episode, start=start)
    for author, note in ((world.clinician, first), (world.director, second)):
        _sign(author, note)
    first.refresh_from_db()
    second.refresh_from_db()
    assert len(first.practice_lines) == 2
    assert second.practice_lines == []
    assert PracticeEntry.objects.get().reviewed_in == f"notes.progress:{first.public_id}"


# --- query count --------------------------------------------------------------------------


def _group_page_queries(
    world: World, client_for: Clients, count_queries: CountQueries, size: int, name: str
) -> int:
    people = _with_users(members(world, size, clinician=world.clinician))
    slot = group_session(world, people, name=name)
    _practised_in_group(world, slot, people)
    note = GroupNote.objects.get(pk=ga.check_start_group_note(world.clinician, slot).pk)
    client = client_for(world.clinician)
    url = f"/notes/group/{note.public_id}/"
    client.get(url)  # warm up: the first request of a session writes it
    with count_queries() as captured:
        response = client.get(url)
    assert response.status_code == 200
    assert response.content.decode().count("how it went 6/10") == size
    return captured.count


def test_the_group_note_page_runs_the_same_queries_for_3_and_12_people(
    world: World, client_for: Clients, count_queries: CountQueries
) -> None:
    few = _group_page_queries(world, client_for, count_queries, 3, "Small group")
    many = _group_page_queries(world, client_for, count_queries, 12, "Large group")
    assert few == many


def test_a_returned_note_keeps_what_it_reviewed_and_adds_what_is_new(world: World) -> None:
    episode, start, _ = _progress_set_up(world)
    note = written_note(world.clinician, episode, start=start)
    note = actions.do_sign_note(world.clinician, note, cosigner=world.director)
    actions.do_return_note(world.director, note, comment="Say more about the plan.")
    later = do_assign(
        world.clinician, episode, _data(world, local_today(world), title="Opposite action")
    )
    _log(world.participant, later, local_today(world), 5, start)
    note = Note.objects.get(pk=note.pk)
    signed = _sign(world.clinician, note)
    assert [line["title"] for line in signed.practice_lines] == [
        "Practise DEAR MAN and log it",
        "Mindful walk",
        "Opposite action",
    ]
    assert not PracticeEntry.objects.filter(reviewed_at__isnull=True).exists()
