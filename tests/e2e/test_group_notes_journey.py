"""After the evening group, the facilitator writes one group note for eight attendees from
the attendance sheet, keyboard first, with every entry autosaving, and signs it; each
member's chart then shows the group part and their own entry only."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

from tests.personas import PASSWORD, World
from trellis.notes.models import GroupNote
from trellis.notes.tests.group_factory import group_session, members

pytestmark = pytest.mark.e2e


def _settle(page: Page) -> None:
    """Let the entry's delayed autosave (2 s after typing) go out and come back before the
    next entry. The test server's in-memory SQLite cannot take two writes at once (a real
    database waits); people type slower than this anyway."""
    page.wait_for_timeout(2300)
    page.wait_for_function("() => !document.querySelector('.htmx-request')")


def test_a_facilitator_writes_and_signs_a_group_note_for_eight(
    e2e_world: World, sign_in: Callable[[str], Page], live_server: object
) -> None:
    people = [e2e_world.participant, *members(e2e_world, 7, clinician=e2e_world.clinician)]
    slot = group_session(e2e_world, people)
    page = sign_in("casey.clinician")
    page.goto(
        f"{live_server}/schedule/series/{slot.series.public_id}/{slot.original_date:%Y-%m-%d}/"
    )
    page.get_by_role("button", name="Group note").click()
    expect(page.get_by_role("heading", name="Group part")).to_be_visible()
    expect(page.locator("#number-present")).to_have_text("8")

    page.get_by_label("Topic or skill").fill("TIPP skills")
    page.get_by_label("Interventions").fill("Skills teaching, role play")
    expect(page.locator("#status-group")).to_contain_text("Saved at")
    _settle(page)

    forms = page.locator("form.group-entry")
    expect(forms).to_have_count(8)
    for i in range(8):
        form = forms.nth(i)
        # Keyboard first: participation, then Tab straight down through the entry.
        form.locator("select[name='participation']").focus()
        page.keyboard.press("ArrowDown")  # "Active, initiated sharing"
        page.keyboard.press("Tab")  # risk screen
        page.keyboard.press("ArrowDown")  # "No risk indicated"
        page.keyboard.press("Tab")  # response
        page.keyboard.type(f"Practised TIPP in pairs, entry {i + 1}.")
        form.locator("textarea[name='plan']").fill("Continue group.")
        page.keyboard.press("Tab")
        expect(form.locator(".autosave-status")).to_contain_text("Saved at")
        _settle(page)

    page.get_by_role("link", name="Review and sign").click()
    expect(
        page.get_by_role("heading", name="Sign the group note · Evening skills group")
    ).to_be_visible()
    expect(page.locator("#mentions")).to_have_count(0)
    page.get_by_label("Type your name to sign").fill("Casey Clinician")
    page.get_by_label("Your password").fill(PASSWORD)
    page.get_by_role("button", name="Sign the group note").click()
    expect(page.get_by_text("Group note signed")).to_be_visible()

    note = GroupNote.objects.get()
    assert note.is_signed
    assert note.number_present == 8
    assert set(note.entries.values_list("risk_level", flat=True)) == {"none"}

    # Patricia's chart: the group part and her own entry (roster order is by family name:
    # hers, Quillfeather, is the eighth), nobody else's.
    page.goto(f"{live_server}/participants/{e2e_world.participant.public_id}/notes/")
    page.locator("a[href*='/notes/group/']").first.click()
    expect(page.get_by_text("TIPP skills")).to_be_visible()
    expect(page.get_by_text("entry 8.")).to_be_visible()
    body = page.content()
    assert not [n for n in range(1, 8) if f"entry {n}." in body]
    assert not [p.family_name for p in people[1:] if p.family_name in body]
