"""Issue 9 item 9: a user's own autosave is never a conflict. Each editor page carries an
editor token; a save from a form that is stale only because this same editor (tab) autosaved
since still saves. A save from another tab (another token, or none) still gets the conflict
with the other text kept."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from django.test import Client
from django.utils import timezone

from tests.personas import World
from trellis.accounts.models import User
from trellis.notes.group import actions as ga
from trellis.notes.models import GroupNote, GroupNoteEntry, Note
from trellis.notes.tests.factory import written_note
from trellis.notes.tests.group_factory import group_session

HTMX = {"HX-Request": "true"}


def _form(note: Note, world: World, text: str, editor: str) -> dict[str, object]:
    start = timezone.localtime(note.session_start, world.organization.tz)
    return {
        "revision": note.revision,
        "editor": editor,
        "kind": "progress",
        "format": "soap",
        "service": "individual_therapy",
        "modality": "in_person",
        "session_date": start.date().isoformat(),
        "start_time": start.strftime("%H:%M"),
        "end_time": (start + timedelta(minutes=50)).strftime("%H:%M"),
        "section-subjective": text,
        "risk_level": "none",
    }


def test_the_editor_page_carries_an_editor_token(
    world: World, client_for: Callable[[User], Client]
) -> None:
    note = written_note(world.clinician, world.participant.episodes.get())
    base = f"/participants/{world.participant.public_id}/notes/{note.public_id}/"
    page = client_for(world.clinician).get(f"{base}edit/").content.decode()
    assert 'name="editor"' in page


def test_save_right_after_ones_own_autosave_is_no_conflict(
    world: World, client_for: Callable[[User], Client]
) -> None:
    note = written_note(world.clinician, world.participant.episodes.get())
    client = client_for(world.clinician)
    base = f"/participants/{world.participant.public_id}/notes/{note.public_id}/"
    # The blur autosave and the Save button leave with the same (now stale) revision.
    autosave = client.post(f"{base}autosave/", _form(note, world, "Typ", "tab-1"), headers=HTMX)
    assert "Saved at" in autosave.content.decode()
    saved = client.post(
        f"{base}edit/", _form(note, world, "Typed fast", "tab-1") | {"next": "sign"}
    )
    assert saved.status_code == 302
    assert saved["Location"].endswith("/sign/")
    assert Note.objects.get(pk=note.pk).sections["subjective"] == "Typed fast"


def test_another_tab_still_gets_the_conflict_with_both_texts(
    world: World, client_for: Callable[[User], Client]
) -> None:
    note = written_note(world.clinician, world.participant.episodes.get())
    client = client_for(world.clinician)
    base = f"/participants/{world.participant.public_id}/notes/{note.public_id}/"
    client.post(f"{base}autosave/", _form(note, world, "From tab one", "tab-1"), headers=HTMX)
    other = client.post(f"{base}edit/", _form(note, world, "From tab two", "tab-2"))
    assert other.status_code == 409
    body = other.content.decode()
    assert "From tab one" in body
    assert "From tab two" in body
    assert Note.objects.get(pk=note.pk).sections["subjective"] == "From tab one"
    # A form without a token (an old page) is another editor too.
    bare = _form(note, world, "No token", "")
    assert client.post(f"{base}edit/", bare).status_code == 409


def test_a_tab_that_lost_to_another_stays_in_conflict(
    world: World, client_for: Callable[[User], Client]
) -> None:
    """Tab 1 autosaves, tab 2 overwrites deliberately; tab 1's stale form must not then
    pass as "its own autosave"."""
    note = written_note(world.clinician, world.participant.episodes.get())
    client = client_for(world.clinician)
    base = f"/participants/{world.participant.public_id}/notes/{note.public_id}/"
    client.post(f"{base}autosave/", _form(note, world, "One", "tab-1"), headers=HTMX)
    current = Note.objects.get(pk=note.pk)
    client.post(f"{base}autosave/", _form(current, world, "Two", "tab-2"), headers=HTMX)
    assert client.post(f"{base}edit/", _form(note, world, "One again", "tab-1")).status_code == 409


def test_group_entry_and_part_saves_after_own_autosave(
    world: World, client_for: Callable[[User], Client]
) -> None:
    slot = group_session(world, [world.participant])
    note = ga.check_start_group_note(world.clinician, slot)
    entry = note.entries.get()
    client = client_for(world.clinician)
    entry_url = f"/notes/group/{note.public_id}/entries/{entry.public_id}/"
    part_url = f"/notes/group/{note.public_id}/part/"
    page = client.get(f"/notes/group/{note.public_id}/").content.decode()
    assert 'name="editor"' in page
    for url, field in ((entry_url, "response"), (part_url, "topic")):
        first = client.post(url, {field: "on", "revision": 1, "editor": "t"}, headers=HTMX)
        assert "Saved at" in first.content.decode()
        again = client.post(url, {field: "on time", "revision": 1, "editor": "t"}, headers=HTMX)
        assert "Saved at" in again.content.decode()
        stranger = client.post(url, {field: "x", "revision": 1, "editor": "u"}, headers=HTMX)
        assert "Saved elsewhere" in stranger.content.decode()
    assert GroupNoteEntry.objects.get(pk=entry.pk).response == "on time"
    assert GroupNote.objects.get(pk=note.pk).topic == "on time"
