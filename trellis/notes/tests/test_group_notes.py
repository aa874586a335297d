"""Group notes: prefilled from attendance, standalone per member, name warnings, locking,
permissions for every persona, and the page's query count."""

from __future__ import annotations

import json
import re
from collections.abc import Callable

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client

from tests.personas import PASSWORD, World
from tests.queries import CountQueries
from trellis.accounts.actions import do_create_api_token
from trellis.accounts.models import User
from trellis.audit.models import Event
from trellis.notes.group import actions as ga
from trellis.notes.models import GroupNote, GroupNoteEntry, SignedNoteError
from trellis.notes.tests.group_factory import (
    entry_of,
    entry_text,
    group_session,
    members,
    signed_group_note,
    write_all,
)
from trellis.plans import content as c
from trellis.plans.tests.factory import signed_plan


def test_a_group_note_starts_prefilled_from_attendance(world: World) -> None:
    others = members(world, 3)
    slot = group_session(world, [world.participant, *others], absent=[others[2]])
    note = ga.check_start_group_note(world.clinician, slot)
    assert note.topic == "Distress tolerance: TIPP"
    assert note.number_present == 3
    assert "Casey Clinician, LPC" in note.facilitators
    statuses = {e.episode.participant_id: e.attendance_status for e in note.entries.all()}
    assert statuses[world.participant.pk] == "present"
    assert statuses[others[2].pk] == "absent_excused"
    # Pressing the button again opens the same note.
    assert ga.check_start_group_note(world.clinician, slot).pk == note.pk


def test_text_is_encrypted_at_rest(world: World) -> None:
    slot = group_session(world, [world.participant])
    signed_group_note(world.clinician, slot)
    with connection.cursor() as cursor:
        cursor.execute("SELECT response, themes FROM notes_groupnoteentry e "
                       "JOIN notes_groupnote g ON g.id = e.group_note_id")  # fmt: skip
        response, themes = cursor.fetchone()
    assert "coping plan" not in response
    assert "urges" not in themes


def test_a_members_chart_and_api_show_only_their_own_entry(
    world: World, client_for: Callable[[User], Client]
) -> None:
    a, b = world.participant, world.other_participant
    slot = group_session(world, [a, b])
    note = signed_group_note(world.clinician, slot)
    mine = entry_of(note, a)
    forbidden = [b.given_name, b.family_name, entry_text(b)]

    clinician = client_for(world.clinician)
    tab = clinician.get(f"/participants/{a.public_id}/notes/").content.decode()
    assert str(mine.public_id) in tab
    page = clinician.get(f"/participants/{a.public_id}/notes/group/{mine.public_id}/")
    body = page.content.decode()
    assert page.status_code == 200
    assert entry_text(a) in body
    assert "TIPP skills" in body
    assert not [text for text in forbidden if text in tab + body]
    # B's entry is not reachable through A's chart, even by its id.
    theirs = entry_of(note, b)
    assert (
        clinician.get(f"/participants/{a.public_id}/notes/group/{theirs.public_id}/").status_code
        == 404
    )

    _token, secret = do_create_api_token(world.clinician, name="t")
    api = Client().get(
        f"/api/v1/notes/participants/{a.public_id}/group-notes",
        headers={"authorization": f"Bearer {secret}"},
    )
    assert api.status_code == 200
    payload = json.dumps(api.json())
    assert entry_text(a) in payload
    assert not [t for t in forbidden if t in payload]

    own = client_for(world.participant_user)
    listing = own.get("/me/group-notes/").content.decode()
    detail = own.get(f"/me/group-notes/{mine.public_id}/").content.decode()
    assert entry_text(a) in detail
    assert not [t for t in forbidden if t in listing + detail]
    assert own.get(f"/me/group-notes/{theirs.public_id}/").status_code == 404


def test_signing_warns_when_an_entry_names_another_member(world: World) -> None:
    a, b = world.participant, world.other_participant
    slot = group_session(world, [a, b])
    note = ga.check_start_group_note(world.clinician, slot)
    # Lower case and inside a sentence: still a whole-word mention of "Rowan".
    write_all(world.clinician, note, slot, mention="Sat next to rowan today.")
    note = GroupNote.objects.get(pk=note.pk)
    entries = list(note.entries.select_related("episode__participant"))
    mentions = ga.name_mentions(note, entries)
    assert [(m.where, m.names) for m in mentions] == [("Patricia Quillfeather", ("rowan",))]
    with pytest.raises(ValidationError) as refused:
        ga.check_sign_group_note(
            world.clinician, note, slot, typed_name=world.clinician.name, password=PASSWORD,
            revision=note.revision, mentions_confirmed=False,
        )  # fmt: skip
    assert "mentions" in refused.value.message_dict
    signed = ga.check_sign_group_note(
        world.clinician, note, slot, typed_name=world.clinician.name, password=PASSWORD,
        revision=note.revision, mentions_confirmed=True,
    )  # fmt: skip
    assert signed.is_signed


def test_a_name_inside_another_word_or_ones_own_name_is_no_warning(world: World) -> None:
    a, b = world.participant, world.other_participant
    slot = group_session(world, [a, b])
    note = ga.check_start_group_note(world.clinician, slot)
    write_all(world.clinician, note, slot, mention="Patricia said Rowanberry jam helps.")
    note = GroupNote.objects.get(pk=note.pk)
    assert ga.name_mentions(note, list(note.entries.select_related("episode__participant"))) == []


def test_the_group_part_must_name_nobody(world: World) -> None:
    slot = group_session(world, [world.participant, world.other_participant])
    note = ga.check_start_group_note(world.clinician, slot)
    note = ga.check_save_group_part(
        world.clinician, note, slot, ga.GroupPart(topic="TIPP", themes="Thistledown led"),
        revision=note.revision,
    )  # fmt: skip
    mentions = ga.name_mentions(note, list(note.entries.select_related("episode__participant")))
    assert mentions[0].where == "Group part"


def test_the_sign_page_asks_for_a_confirmation(
    world: World, client_for: Callable[[User], Client]
) -> None:
    slot = group_session(world, [world.participant, world.other_participant])
    note = ga.check_start_group_note(world.clinician, slot)
    write_all(world.clinician, note, slot, mention="Rowan helped.")
    note = GroupNote.objects.get(pk=note.pk)
    client = client_for(world.clinician)
    url = f"/notes/group/{note.public_id}/sign/"
    assert "Another member may be named" in client.get(url).content.decode()
    form = {"typed_name": world.clinician.name, "password": PASSWORD, "revision": note.revision}
    assert client.post(url, form).status_code == 422
    assert client.post(url, form | {"confirm_mentions": "yes"}).status_code == 302
    assert GroupNote.objects.get(pk=note.pk).is_signed


def test_signing_refuses_empty_entries_naming_the_member(world: World) -> None:
    slot = group_session(world, [world.participant])
    note = ga.check_start_group_note(world.clinician, slot)
    with pytest.raises(ValidationError) as refused:
        ga.check_sign_group_note(
            world.clinician, note, slot, typed_name=world.clinician.name, password=PASSWORD,
            revision=note.revision, mentions_confirmed=False,
        )  # fmt: skip
    messages = " ".join(t for ts in refused.value.message_dict.values() for t in ts)
    assert "Patricia Quillfeather: Response is empty" in messages


def test_signing_locks_the_note_and_every_entry(
    world: World, client_for: Callable[[User], Client]
) -> None:
    slot = group_session(world, [world.participant, world.other_participant])
    note = signed_group_note(world.clinician, slot)
    assert set(note.entries.values_list("locked", flat=True)) == {True}
    entry = GroupNoteEntry.objects.filter(group_note=note).first()
    assert entry is not None
    with pytest.raises(ValidationError):
        ga.check_save_entry(
            world.clinician, note, slot, entry, ga.EntryDraft(response="changed"),
            revision=entry.revision, objective_keys=set(),
        )  # fmt: skip
    with pytest.raises(ValidationError):
        ga.check_save_group_part(
            world.clinician, note, slot, ga.GroupPart(topic="x"), revision=note.revision
        )
    entry.response = "changed"
    with pytest.raises(SignedNoteError):
        entry.save()
    reloaded = GroupNote.objects.get(pk=note.pk)
    with pytest.raises(SignedNoteError):
        reloaded.save()
    # The pages answer with the note to read, not the editor.
    page = client_for(world.clinician).get(f"/notes/group/{note.public_id}/").content.decode()
    assert "Group part</h2>" not in page
    assert "Signed" in page
    # Signing wrote one event per member's chart.
    signed_events = Event.objects.filter(action="sign", object_type="notes.groupnoteentry")
    assert signed_events.count() == 2


def test_objectives_come_from_each_members_own_plan(world: World) -> None:
    a = world.participant
    version = signed_plan(world.clinician, a.episodes.get(), PASSWORD)
    keys = {o.key for o in c.load(version.content).objectives}
    slot = group_session(world, [a, world.other_participant])
    note = ga.check_start_group_note(world.clinician, slot)
    mine, theirs = entry_of(note, a), entry_of(note, world.other_participant)
    saved = ga.check_save_entry(
        world.clinician, note, slot, mine, ga.EntryDraft(objectives=sorted(keys)[:1]),
        revision=mine.revision, objective_keys=keys,
    )  # fmt: skip
    assert saved.objectives == sorted(keys)[:1]
    with pytest.raises(ValidationError):  # A's objective is not B's
        ga.check_save_entry(
            world.clinician, note, slot, theirs, ga.EntryDraft(objectives=sorted(keys)[:1]),
            revision=theirs.revision, objective_keys=set(),
        )  # fmt: skip


def test_autosave_keeps_both_texts_on_a_conflict(
    world: World, client_for: Callable[[User], Client]
) -> None:
    slot = group_session(world, [world.participant])
    note = ga.check_start_group_note(world.clinician, slot)
    entry = note.entries.get()
    client = client_for(world.clinician)
    url = f"/notes/group/{note.public_id}/entries/{entry.public_id}/"
    first = client.post(url, {"response": "one", "revision": 1}, headers={"HX-Request": "true"})
    assert "Saved at" in first.content.decode()
    stale = client.post(url, {"response": "two", "revision": 1}, headers={"HX-Request": "true"})
    assert "Saved elsewhere" in stale.content.decode()
    assert GroupNoteEntry.objects.get(pk=entry.pk).response == "one"


# --- Permissions ----------------------------------------------------------------------------

WHOLE_NOTE = {  # persona: status of the whole group note (every entry)
    "clinician": 200,  # facilitates the group
    "director": 200,  # program director: reads it (does not write it)
    "other_clinician": 404,
    "front_desk": 404,
    "intake": 404,
    "compliance": 404,
    "outsider": 404,
    "participant": 403,  # staff pages refuse participants outright
}
STANDALONE = {  # persona: status of the participant's standalone note in their chart
    "clinician": 200,  # care team
    "director": 200,
    "other_clinician": 404,
    "front_desk": 404,
    "intake": 404,
    "compliance": 404,
    "outsider": 404,
    "participant": 403,  # staff page: the participant reads it under /me/group-notes/
}


@pytest.mark.parametrize("persona", sorted(WHOLE_NOTE))
def test_who_opens_the_group_note_and_the_standalone_note(
    world: World, client_for: Callable[[User], Client], persona: str
) -> None:
    slot = group_session(world, [world.participant])
    note = signed_group_note(world.clinician, slot)
    entry = entry_of(note, world.participant)
    client = client_for(world.personas[persona])
    assert client.get(f"/notes/group/{note.public_id}/").status_code == WHOLE_NOTE[persona]
    chart = f"/participants/{world.participant.public_id}/notes/group/{entry.public_id}/"
    assert client.get(chart).status_code == STANDALONE[persona]
    mine = client.get(f"/me/group-notes/{entry.public_id}/")
    assert mine.status_code == (200 if persona == "participant" else 404)


def test_only_facilitators_start_or_write_a_group_note(
    world: World, client_for: Callable[[User], Client]
) -> None:
    slot = group_session(world, [world.participant])
    url = f"/notes/group/start/{slot.series.public_id}/{slot.original_date:%Y-%m-%d}/"
    for persona in ("director", "front_desk", "other_clinician", "outsider"):
        assert client_for(world.personas[persona]).post(url).status_code == 404
    assert client_for(world.clinician).post(url).status_code == 302
    note = GroupNote.objects.get()
    # The director reads the draft but gets no editor and cannot save.
    director = client_for(world.director)
    assert "Group part</h2>" not in director.get(f"/notes/group/{note.public_id}/").content.decode()
    saved = director.post(f"/notes/group/{note.public_id}/part/", {"topic": "x", "revision": 1})
    assert saved.status_code == 302
    assert GroupNote.objects.get().topic != "x"


def test_a_facilitator_of_another_track_writes_only_for_their_group(
    world: World, client_for: Callable[[User], Client]
) -> None:
    """Morgan (morning track, not on Patricia's care team) covers an evening group with
    Patricia in it: Morgan writes that note and sees its entries, never Patricia's chart."""
    morgan = world.other_clinician
    slot = group_session(world, [world.participant], facilitator=morgan)
    note = signed_group_note(morgan, slot)
    client = client_for(morgan)
    page = client.get(f"/notes/group/{note.public_id}/").content.decode()
    assert entry_text(world.participant) in page
    entry = entry_of(note, world.participant)
    chart = f"/participants/{world.participant.public_id}/notes/group/{entry.public_id}/"
    assert client.get(chart).status_code == 404
    assert client.get(f"/participants/{world.participant.public_id}/notes/").status_code == 404
    # And not the notes of groups Casey runs.
    other = signed_group_note(world.clinician, group_session(world, [world.participant], name="B"))
    assert client.get(f"/notes/group/{other.public_id}/").status_code == 404


def test_front_desk_gets_no_group_note_button(
    world: World, client_for: Callable[[User], Client]
) -> None:
    slot = group_session(world, [world.participant])
    url = f"/schedule/series/{slot.series.public_id}/{slot.original_date:%Y-%m-%d}/"
    assert 'id="group-note-button"' not in client_for(world.front_desk).get(url).content.decode()
    assert 'id="group-note-button"' in client_for(world.clinician).get(url).content.decode()


# --- Query count ----------------------------------------------------------------------------


def _editor_queries(
    world: World, client: Client, size: int, name: str, count_queries: CountQueries
) -> int:
    people = members(world, size, clinician=world.clinician)
    for person in people[:2]:
        signed_plan(world.clinician, person.episodes.get(), PASSWORD)
    slot = group_session(world, people, name=name)
    note = ga.check_start_group_note(world.clinician, slot)
    url = f"/notes/group/{note.public_id}/"
    client.get(url)  # warm up the session
    with count_queries() as captured:
        response = client.get(url)
    assert response.status_code == 200
    assert response.content.decode().count('class="card group-entry"') == size
    return captured.count


def test_the_group_note_page_runs_the_same_queries_for_3_and_12_attendees(
    world: World, client_for: Callable[[User], Client], count_queries: CountQueries
) -> None:
    client = client_for(world.clinician)
    small = _editor_queries(world, client, 3, "Small", count_queries)
    assert small == _editor_queries(world, client, 12, "Big", count_queries)


def test_the_whole_group_note_names_every_attendee_it_shows(
    world: World, client_for: Callable[[User], Client]
) -> None:
    others = members(world, 2)
    slot = group_session(world, [world.participant, *others])
    note = ga.check_start_group_note(world.clinician, slot)
    for viewer in (world.clinician, world.director):  # the editor, then the whole note
        assert client_for(viewer).get(f"/notes/group/{note.public_id}/").status_code == 200
        named = Event.objects.filter(
            actor=viewer, action="view", object_id=str(note.public_id), participant__isnull=False
        ).values_list("participant_id", flat=True)
        assert set(named) == {world.participant.pk, *(p.pk for p in others)}


def test_the_save_buttons_of_a_group_note_are_reachable_by_keyboard(
    world: World, client_for: Callable[[User], Client]
) -> None:
    """Autosave needs JavaScript; the Save buttons are the keyboard and no-script path."""
    slot = group_session(world, [world.participant])
    note = ga.check_start_group_note(world.clinician, slot)
    page = client_for(world.clinician).get(f"/notes/group/{note.public_id}/").content.decode()
    buttons = re.findall(r"<button[^>]*>Save (?:group part|entry)</button>", page)
    assert len(buttons) == 2
    assert not [b for b in buttons if "tabindex" in b]
