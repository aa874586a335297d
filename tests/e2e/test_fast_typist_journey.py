"""A fast typist: type, then press Save and sign (or Review and sign) at once, with no
pause. The autosave that leaves as the text box loses focus must not race the button: no
"saved elsewhere" conflict, and the signing page shows what was typed."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

from tests.personas import World
from trellis.notes.group import actions as ga
from trellis.notes.models import GroupNote, Note
from trellis.notes.tests.factory import written_note
from trellis.notes.tests.group_factory import group_session

pytestmark = pytest.mark.e2e


def test_type_then_save_and_sign_at_once_on_a_progress_note(
    e2e_world: World, sign_in: Callable[[str], Page], live_server: object
) -> None:
    participant = e2e_world.participant
    note = written_note(e2e_world.clinician, participant.episodes.get())
    page = sign_in("casey.clinician")
    page.goto(f"{live_server}/participants/{participant.public_id}/notes/{note.public_id}/edit/")
    box = page.get_by_label("Assessment")
    box.click()
    box.press("End")
    page.keyboard.type(" Added at the last moment.")
    page.get_by_role("button", name="Save and sign").click()
    expect(page.get_by_role("heading", name="Sign the note")).to_be_visible()
    expect(page.get_by_text("saved elsewhere")).to_have_count(0)
    expect(page.get_by_text("Added at the last moment.")).to_be_visible()
    assert Note.objects.get(pk=note.pk).sections["assessment"].endswith("Added at the last moment.")


def test_type_then_review_and_sign_at_once_on_a_group_note(
    e2e_world: World, sign_in: Callable[[str], Page], live_server: object
) -> None:
    slot = group_session(e2e_world, [e2e_world.participant])
    note = ga.check_start_group_note(e2e_world.clinician, slot)
    page = sign_in("casey.clinician")
    page.goto(f"{live_server}/notes/group/{note.public_id}/")
    topic = page.get_by_label("Topic or skill")
    topic.fill("")
    topic.press_sequentially("Opposite action")
    page.get_by_role("link", name="Review and sign").click()
    expect(page.get_by_role("heading", name="Sign the group note", exact=False)).to_be_visible()
    expect(page.get_by_text("Topic or skill is empty")).to_have_count(0)
    expect(page.locator(".note-section").first).to_have_text("Opposite action")
    assert GroupNote.objects.get(pk=note.pk).topic == "Opposite action"

    # Back on the editor: type in an entry and go straight to signing again.
    page.go_back()
    page.reload()
    response = page.get_by_label("Response")
    response.press_sequentially("Named two urges and used paced breathing.")
    page.get_by_role("link", name="Review and sign").click()
    expect(page.get_by_role("heading", name="Sign the group note", exact=False)).to_be_visible()
    expect(page.get_by_text("Response: Named two urges and used paced breathing.")).to_be_visible()
