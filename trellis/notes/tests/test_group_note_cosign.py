"""Issue 9 item 7: a trainee facilitator signs a group note; it then waits in their
supervisor's co-sign queue, and its entries reach the attendees' charts as final only once
co-signed (as a trainee's progress note does). The supervisor co-signs or returns it."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from tests.personas import PASSWORD, World
from tests.queries import CountQueries
from trellis.accounts.actions import do_create_api_token, do_set_supervisor
from trellis.accounts.models import StaffProfile, User
from trellis.audit.models import Event
from trellis.notes.actions import do_sign_note
from trellis.notes.group import actions as ga
from trellis.notes.models import GroupNote, GroupNoteStatus
from trellis.notes.tests.factory import written_note
from trellis.notes.tests.group_factory import (
    entry_of,
    entry_text,
    group_session,
    members,
    write_all,
)
from trellis.scheduling.queries import Slot


def make_trainee(world: World, supervisor: User | None = None) -> None:
    StaffProfile.objects.filter(user=world.clinician).update(is_trainee=True)
    if supervisor is not None:
        do_set_supervisor(None, world.clinician, supervisor)
    world.clinician.refresh_from_db()


def trainee_signs(world: World, slot: Slot) -> GroupNote:
    note = ga.check_start_group_note(world.clinician, slot)
    write_all(world.clinician, note, slot)
    note = GroupNote.objects.get(pk=note.pk)
    return ga.check_sign_group_note(
        world.clinician, note, slot, typed_name=world.clinician.name, password=PASSWORD,
        revision=note.revision, mentions_confirmed=False,
    )  # fmt: skip


def test_a_trainees_group_note_waits_for_the_supervisor_and_is_not_final_until_cosigned(
    world: World, client_for: Callable[[User], Client]
) -> None:
    make_trainee(world, world.other_clinician)
    a = world.participant
    slot = group_session(world, [a])
    note = trainee_signs(world, slot)
    assert (note.status, note.cosigner) == (GroupNoteStatus.AWAITING_COSIGN, world.other_clinician)
    mine = entry_of(note, a)

    # The chart shows it, marked as awaiting co-signature (as a progress note is); the
    # API says so; the participant does not see it yet.
    care_team = client_for(world.director)
    tab = care_team.get(f"/participants/{a.public_id}/notes/").content.decode()
    assert "awaiting co-signature" in tab.lower()
    entry_page = care_team.get(f"/participants/{a.public_id}/notes/group/{mine.public_id}/")
    assert "awaiting co-signature" in entry_page.content.decode().lower()
    _token, secret = do_create_api_token(world.director, name="t")
    api = (
        Client()
        .get(
            f"/api/v1/notes/participants/{a.public_id}/group-notes",
            headers={"authorization": f"Bearer {secret}"},
        )
        .json()
    )
    assert [(row["status"], row["cosigned_at"]) for row in api] == [("awaiting_cosign", None)]
    own = client_for(world.participant_user)
    assert entry_text(a) not in own.get("/me/group-notes/").content.decode()
    assert own.get(f"/me/group-notes/{mine.public_id}/").status_code == 404

    # The trainee cannot change it while it waits.
    with pytest.raises(ValidationError):
        ga.check_save_group_part(
            world.clinician, note, slot, ga.GroupPart(topic="Changed"), revision=note.revision
        )

    # The queue lists it with a link to the group note; the supervisor co-signs.
    supervisor = client_for(world.other_clinician)
    queue = supervisor.get("/notes/cosign/").content.decode()
    assert f"/notes/cosign/group/{note.public_id}/" in queue
    assert note.session_name in queue
    assert (
        client_for(world.director).get(f"/notes/cosign/group/{note.public_id}/").status_code == 404
    )
    page = supervisor.get(f"/notes/cosign/group/{note.public_id}/")
    assert entry_text(a) in page.content.decode()
    answer = supervisor.post(
        f"/notes/cosign/group/{note.public_id}/",
        {"decision": "cosign", "typed_name": world.other_clinician.name, "password": PASSWORD},
    )
    assert answer.status_code == 302
    note.refresh_from_db()
    assert note.is_signed
    assert note.cosigner_name == world.other_clinician.name
    assert Event.objects.filter(
        object_type="notes.groupnote", object_id=str(note.public_id), action="sign",
        actor=world.other_clinician, detail__cosigned=True,
    ).exists()  # fmt: skip
    assert entry_text(a) in own.get(f"/me/group-notes/{mine.public_id}/").content.decode()
    assert "awaiting co-signature" not in (
        care_team.get(f"/participants/{a.public_id}/notes/").content.decode().lower()
    )
    assert f"/notes/cosign/group/{note.public_id}/" not in (
        supervisor.get("/notes/cosign/").content.decode()
    )


def test_the_supervisor_returns_a_group_note_with_comments(
    world: World, client_for: Callable[[User], Client]
) -> None:
    make_trainee(world, world.other_clinician)
    slot = group_session(world, [world.participant])
    note = trainee_signs(world, slot)
    supervisor = client_for(world.other_clinician)
    refused = supervisor.post(f"/notes/cosign/group/{note.public_id}/", {"decision": "return"})
    assert refused.status_code == 422
    supervisor.post(
        f"/notes/cosign/group/{note.public_id}/",
        {"decision": "return", "comment": "Add the interventions you used."},
    )
    note.refresh_from_db()
    assert note.status == GroupNoteStatus.RETURNED
    assert not note.entries.filter(locked=True).exists()
    editor = client_for(world.clinician).get(f"/notes/group/{note.public_id}/").content.decode()
    assert "Add the interventions you used." in editor
    # The returned note is out of the chart again and editable by the trainee.
    tab = client_for(world.director).get(f"/participants/{world.participant.public_id}/notes/")
    assert str(entry_of(note, world.participant).public_id) not in tab.content.decode()
    ga.check_save_group_part(
        world.clinician, note, slot, ga.GroupPart(topic="TIPP skills", interventions="Role play"),
        revision=note.revision,
    )  # fmt: skip


def test_a_trainee_without_a_supervisor_cannot_sign_a_group_note(world: World) -> None:
    make_trainee(world)
    slot = group_session(world, [world.participant])
    with pytest.raises(ValidationError) as refused:
        trainee_signs(world, slot)
    assert "cosigner" in refused.value.message_dict
    assert not GroupNote.objects.filter(status__in=["signed", "awaiting_cosign"]).exists()


def test_a_licensed_facilitators_group_note_needs_no_cosignature(world: World) -> None:
    slot = group_session(world, [world.participant])
    note = trainee_signs(world, slot)
    assert note.is_signed
    assert note.cosigner is None


def test_the_cosign_queue_lists_both_kinds_in_a_fixed_number_of_queries(
    world: World, client_for: Callable[[User], Client], count_queries: CountQueries
) -> None:
    make_trainee(world, world.director)
    client = client_for(world.director)

    def queue_queries() -> tuple[int, str]:
        with count_queries() as counted:
            page = client.get("/notes/cosign/")
        assert page.status_code == 200
        return counted.count, page.content.decode()

    progress = written_note(world.clinician, world.participant.episodes.get())
    ga_note = trainee_signs(world, group_session(world, [world.participant]))
    do_sign_note(world.clinician, progress, cosigner=world.director)
    queue_queries()  # warm up: the first request of a session writes it
    few, page = queue_queries()
    assert f"/notes/cosign/group/{ga_note.public_id}/" in page
    assert f"/notes/cosign/{progress.public_id}/" in page
    for i in range(3):
        people = members(world, 2, clinician=world.clinician)
        trainee_signs(world, group_session(world, people, name=f"Group {i}"))
        extra = written_note(world.clinician, world.participant.episodes.get())
        do_sign_note(world.clinician, extra, cosigner=world.director)
    many, page = queue_queries()
    assert page.count("/notes/cosign/group/") == 4
    assert many == few


def test_group_cosign_api_shows_cosignature(world: World) -> None:
    make_trainee(world, world.director)
    a = world.participant
    note = trainee_signs(world, group_session(world, [a]))
    ga.check_cosign_group_note(world.director, note, typed_name="Dana Director", password=PASSWORD)
    _token, secret = do_create_api_token(world.director, name="t")
    rows = (
        Client()
        .get(
            f"/api/v1/notes/participants/{a.public_id}/group-notes",
            headers={"authorization": f"Bearer {secret}"},
        )
        .json()
    )
    assert [(r["status"], r["cosigner_name"]) for r in rows] == [("signed", "Dana Director")]
    assert json.dumps(rows).count(entry_text(a)) == 1


def test_todays_cosign_panel_lists_a_trainees_group_note_and_the_trainee_sees_it_returned(
    world: World, client_for: Callable[[User], Client]
) -> None:
    """A supervisor's Today counts and links a trainee's group note awaiting co-signature
    (naming the session, not the attendees); once returned, the trainee's Today lists it."""
    make_trainee(world, world.other_clinician)
    slot = group_session(world, [world.participant])
    note = trainee_signs(world, slot)
    today = client_for(world.other_clinician).get("/").content.decode()
    panel = today[today.index('id="cosign-h"') :]
    panel = panel[: panel.index("</section>")]
    assert f"/notes/cosign/group/{note.public_id}/" in panel
    assert world.participant.family_name not in panel
    assert "<strong>1</strong> co-signature awaiting" in today
    client_for(world.other_clinician).post(
        f"/notes/cosign/group/{note.public_id}/",
        {"decision": "return", "comment": "Add the interventions you used."},
    )
    mine = client_for(world.clinician).get("/").content.decode()
    unsigned = mine[mine.index('id="unsigned-h"') :]
    assert f"/notes/group/{note.public_id}/" in unsigned
    assert "Returned by your supervisor" in unsigned
