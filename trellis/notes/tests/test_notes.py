from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from tests.listed import listed
from tests.personas import PASSWORD, World, make_staff, org_today
from trellis.accounts.actions import do_set_supervisor
from trellis.accounts.models import StaffProfile, User
from trellis.audit.models import Action, Event
from trellis.notes import actions, plugins, snapshot
from trellis.notes.models import Note, NoteStatus, SignedNoteError
from trellis.notes.tests.factory import (
    SOAP_TEXT,
    default_start,
    header,
    signed_note,
    written_note,
)
from trellis.participants.actions import do_add_care_team_member
from trellis.participants.models import Episode
from trellis.programs.models import ClinicianKind, Role


def test_signing_locks_the_note_and_changes_become_addenda(world: World) -> None:
    note = signed_note(world.clinician, world.participant.episodes.get(), PASSWORD)
    assert note.status == NoteStatus.SIGNED
    assert note.signer_credentials == "LPC"
    assert not note.late_entry
    with pytest.raises(ValidationError):
        actions.check_save_note(
            world.clinician, note, actions.NoteDraft(**vars(header())), revision=note.revision
        )
    loaded = Note.objects.get(pk=note.pk)
    loaded.risk_notes = "changed"
    with pytest.raises(SignedNoteError):
        loaded.save()
    addendum = actions.check_add_addendum(world.clinician, note, text="Correction: three attacks.")
    assert addendum.author_credentials == "LPC"
    assert Note.objects.get(pk=note.pk).sections == SOAP_TEXT


def test_signing_with_an_empty_section_is_refused_naming_it(world: World) -> None:
    text = dict(SOAP_TEXT, assessment=" ")
    note = written_note(world.clinician, world.participant.episodes.get(), text=text)
    with pytest.raises(ValidationError) as caught:
        actions.check_sign_note(
            world.clinician,
            note,
            typed_name="Casey Clinician",
            password=PASSWORD,
            revision=note.revision,
        )
    assert set(caught.value.message_dict) == {"assessment"}
    assert "Assessment is empty" in caught.value.message_dict["assessment"][0]


def test_a_note_signed_more_than_a_day_after_the_session_is_a_late_entry(world: World) -> None:
    start = timezone.now() - timedelta(days=3)
    note = signed_note(world.clinician, world.participant.episodes.get(), PASSWORD, start=start)
    assert note.late_entry


def test_only_the_author_edits_a_draft(world: World) -> None:
    note = written_note(world.clinician, world.participant.episodes.get())
    with pytest.raises(ValidationError):
        actions.check_save_note(
            world.director, note, actions.NoteDraft(**vars(header())), revision=note.revision
        )


def test_autosave_conflict_keeps_both_texts(
    world: World, client_for: Callable[[User], Client]
) -> None:
    note = written_note(world.clinician, world.participant.episodes.get())
    stale = note.revision
    draft = actions.NoteDraft(
        **vars(header(start=note.session_start)), sections={"subjective": "From the other tab"}
    )
    actions.check_save_note(world.clinician, note, draft, revision=stale)
    with pytest.raises(actions.NoteConflict):
        actions.check_save_note(world.clinician, note, draft, revision=stale)
    client = client_for(world.clinician)
    base = f"/participants/{world.participant.public_id}/notes/{note.public_id}/"
    start = timezone.localtime(note.session_start, world.organization.tz)
    form = {
        "revision": stale,
        "kind": "progress",
        "format": "soap",
        "service": "individual_therapy",
        "modality": "in_person",
        "session_date": start.date().isoformat(),
        "start_time": start.strftime("%H:%M"),
        "end_time": (start + timedelta(minutes=50)).strftime("%H:%M"),
        "section-subjective": "Typed in this tab",
        "risk_level": "none",
    }
    autosave = client.post(base + "autosave/", form, headers={"HX-Request": "true"})
    assert autosave.status_code == 200
    assert "autosave stopped" in autosave.content.decode()
    page = client.post(base + "edit/", form)
    body = page.content.decode()
    assert page.status_code == 409
    assert "Typed in this tab" in body
    assert "From the other tab" in body
    assert Note.objects.get(pk=note.pk).sections["subjective"] == "From the other tab"


def test_autosave_saves_and_hands_back_the_new_revision(
    world: World, client_for: Callable[[User], Client]
) -> None:
    note = written_note(world.clinician, world.participant.episodes.get())
    start = timezone.localtime(note.session_start, world.organization.tz)
    response = client_for(world.clinician).post(
        f"/participants/{world.participant.public_id}/notes/{note.public_id}/autosave/",
        {
            "revision": note.revision,
            "kind": "progress",
            "format": "soap",
            "service": "individual_therapy",
            "modality": "video",
            "session_date": start.date().isoformat(),
            "start_time": start.strftime("%H:%M"),
            "end_time": (start + timedelta(minutes=45)).strftime("%H:%M"),
            "section-plan": "Autosaved plan text",
        },
        headers={"HX-Request": "true"},
    )
    saved = Note.objects.get(pk=note.pk)
    assert saved.sections["plan"] == "Autosaved plan text"
    assert saved.sections["subjective"] == SOAP_TEXT["subjective"]
    assert f'value="{saved.revision}"' in response.content.decode()
    assert 'hx-swap-oob="true"' in response.content.decode()


@pytest.fixture
def trainee(world: World) -> User:
    user = make_staff(
        "tara.trainee",
        "Tara",
        "Trainee",
        world.organization,
        Role.CLINICIAN,
        world.program,
        ClinicianKind.COUNSELOR,
    )
    StaffProfile.objects.filter(user=user).update(is_trainee=True)
    do_set_supervisor(None, user, world.director)
    do_add_care_team_member(
        None,
        world.participant.episodes.get(),
        user,
        role=ClinicianKind.COUNSELOR,
        start_date=org_today() - timedelta(days=1),
    )
    return User.objects.get(pk=user.pk)


def test_a_trainees_note_goes_to_the_supervisor_who_cosigns(
    world: World, trainee: User, client_for: Callable[[User], Client]
) -> None:
    note = signed_note(trainee, world.participant.episodes.get(), PASSWORD)
    assert (note.status, note.cosigner) == (NoteStatus.AWAITING_COSIGN, world.director)
    supervisor = client_for(world.director)
    queue = supervisor.get("/notes/cosign/").content.decode()
    assert str(note.public_id) in queue
    assert listed(world.director, "notes.note") == {world.participant}  # who the queue names
    assert client_for(world.clinician).get(f"/notes/cosign/{note.public_id}/").status_code == 404
    done = supervisor.post(
        f"/notes/cosign/{note.public_id}/",
        {"decision": "cosign", "typed_name": "Dana Director", "password": PASSWORD},
    )
    assert done.status_code == 302
    note.refresh_from_db()
    assert note.status == NoteStatus.SIGNED
    assert note.cosigner_credentials == "LCSW"


def test_the_supervisor_returns_a_note_with_comments(
    world: World, trainee: User, client_for: Callable[[User], Client]
) -> None:
    note = signed_note(trainee, world.participant.episodes.get(), PASSWORD)
    refused = client_for(world.director).post(
        f"/notes/cosign/{note.public_id}/", {"decision": "return"}
    )
    assert refused.status_code == 422
    client_for(world.director).post(
        f"/notes/cosign/{note.public_id}/",
        {"decision": "return", "comment": "Add the risk screen details."},
    )
    note.refresh_from_db()
    assert note.status == NoteStatus.RETURNED
    page = client_for(trainee).get(
        f"/participants/{world.participant.public_id}/notes/{note.public_id}/edit/"
    )
    assert "Add the risk screen details." in page.content.decode()
    note = actions.check_save_note(
        trainee,
        note,
        actions.NoteDraft(
            **vars(header(start=note.session_start)), sections=SOAP_TEXT, risk_level="none"
        ),
        revision=note.revision,
    )
    again = actions.check_sign_note(
        trainee, note, typed_name="Tara Trainee", password=PASSWORD, revision=note.revision
    )
    assert again.status == NoteStatus.AWAITING_COSIGN


def test_a_trainee_without_a_supervisor_cannot_sign(world: World, trainee: User) -> None:
    note = written_note(trainee, world.participant.episodes.get())
    StaffProfile.objects.filter(user=trainee).update(supervisor=None)
    trainee = User.objects.get(pk=trainee.pk)
    with pytest.raises(ValidationError) as caught:
        actions.check_sign_note(
            trainee, note, typed_name="Tara Trainee", password=PASSWORD, revision=note.revision
        )
    assert "cosigner" in caught.value.message_dict


def test_scores_are_snapshotted_from_the_provider_at_signing(world: World) -> None:
    taken = timezone.now()
    snapshot.register_provider(
        "scores", lambda episode: [snapshot.ScoreLine("PHQ-9", 12, taken, "moderate")]
    )
    try:
        note = signed_note(world.clinician, world.participant.episodes.get(), PASSWORD)
    finally:
        plugins.register()  # the real one, from NotesConfig.ready()
    stored = Note.objects.get(pk=note.pk).scores
    assert stored[0]["instrument"] == "PHQ-9"
    assert stored[0]["value"] == 12


@pytest.fixture
def failing_scores() -> Iterator[None]:
    def broken(episode: Episode) -> list[snapshot.ScoreLine]:
        raise RuntimeError("measures is down")

    snapshot.register_provider("scores", broken)
    yield
    plugins.register()  # the real one, from NotesConfig.ready()


def test_a_failing_score_provider_refuses_signing_and_writes_nothing(
    world: World, failing_scores: None
) -> None:
    note = written_note(world.clinician, world.participant.episodes.get())
    signs_before = Event.objects.filter(action=Action.SIGN).count()
    with pytest.raises(ValidationError) as refused:
        actions.check_sign_note(
            world.clinician,
            note,
            typed_name=world.clinician.name,
            password=PASSWORD,
            revision=note.revision,
        )
    assert "could not be read" in refused.value.message_dict["scores"][0]
    assert note.signed_at is None
    assert note.status == NoteStatus.DRAFT
    stored = Note.objects.get(pk=note.pk)
    assert (stored.status, stored.signed_at, stored.revision) == (
        NoteStatus.DRAFT,
        None,
        note.revision,
    )
    assert Event.objects.filter(action=Action.SIGN).count() == signs_before


def test_the_pages_say_when_scores_cannot_be_read(
    world: World, client_for: Callable[[User], Client], failing_scores: None
) -> None:
    note = written_note(world.clinician, world.participant.episodes.get())
    client = client_for(world.clinician)
    base = f"/participants/{world.participant.public_id}/notes/{note.public_id}/"
    edit = client.get(base + "edit/")
    assert edit.status_code == 200
    assert "latest scores could not be read" in edit.content.decode()
    signing = client.post(
        base + "sign/",
        {"typed_name": world.clinician.name, "password": PASSWORD, "revision": note.revision},
    )
    assert signing.status_code == 422
    assert "so the note was not signed" in signing.content.decode()
    assert Note.objects.get(pk=note.pk).status == NoteStatus.DRAFT


def test_writing_a_note_through_the_pages(
    world: World, client_for: Callable[[User], Client]
) -> None:
    client = client_for(world.clinician)
    base = f"/participants/{world.participant.public_id}/notes/"
    start = default_start()
    created = client.post(
        base + "new/",
        {
            "kind": "progress",
            "format": "dap",
            "service": "individual_therapy",
            "modality": "in_person",
            "session_date": start.date().isoformat(),
            "start_time": start.strftime("%H:%M"),
            "end_time": (start + timedelta(minutes=50)).strftime("%H:%M"),
        },
    )
    assert created.status_code == 302
    note = Note.objects.get(episode__participant=world.participant)
    assert note.format == "dap"
    edit = client.get(created["Location"]).content.decode()
    assert 'name="section-data"' in edit
    assert 'name="section-subjective"' not in edit
