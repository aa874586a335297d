"""Practice from the group note: the facilitator writing the note assigns practice to
everyone present from the note's own page and stays on it; practice logged since the
group's last session is listed under each member present, ready to review."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import timedelta

import pytest
from playwright.sync_api import Page, expect

from tests.personas import World
from trellis.notes.group import actions as ga
from trellis.notes.tests.group_factory import group_session, local_today, members
from trellis.practice.actions.assignments import (
    AssignmentData,
    EntryData,
    do_assign,
    do_record_entry,
)
from trellis.practice.models.assignments import PracticeEntry
from trellis.practice.tests.helpers import dear_man

pytestmark = pytest.mark.e2e


def test_facilitator_assigns_and_reviews_practice_from_the_group_note(
    e2e_world: World, page: Page, sign_in: Callable[[str], Page], live_server: object
) -> None:
    world = e2e_world
    page.set_default_timeout(30_000)  # a shared, busy machine
    skill = dear_man(world.organization)
    people = members(world, 3, clinician=world.clinician)
    slot = group_session(world, people, absent=[people[2]])
    earlier = do_assign(
        world.clinician,
        people[0].episodes.get(),
        AssignmentData(
            title="Wise mind minute",
            due_on=local_today(world) + timedelta(days=2),
            starts_on=slot.date - timedelta(days=3),
            skill=skill,
        ),
    )
    entry = do_record_entry(
        None,
        earlier,
        EntryData(practiced_on=slot.date - timedelta(days=1), idempotency_key=uuid.uuid4().hex,
                  rating=7, what_happened="Paused before answering"),
    )  # fmt: skip
    # Test set-up only: it was logged the day before the session.
    PracticeEntry.objects.filter(pk=entry.pk).update(
        submitted_at=slot.starts_at - timedelta(days=1)
    )
    note = ga.check_start_group_note(world.clinician, slot)

    page = sign_in("casey.clinician")
    page.goto(f"{live_server}/notes/group/{note.public_id}/")
    first = page.locator(
        f"#practice-reviewed-{note.entries.get(episode__participant=people[0]).public_id}"
    )
    expect(first).to_contain_text("Wise mind minute")
    expect(first).to_contain_text("how it went 7/10")
    panel = page.locator("#practice-panel")
    expect(panel.get_by_role("checkbox")).to_have_count(2)  # the two present, not the absent
    panel.get_by_label("Skill or worksheet").select_option(
        label="Asking for what you need (DEAR MAN)"
    )
    panel.get_by_role("button", name="Assign practice").click()
    expect(page.get_by_text("Practice assigned to 2 people.")).to_be_visible()
    assert f"/notes/group/{note.public_id}/" in page.url
    expect(page.locator("#practice-panel")).to_contain_text("0 of 2 practised")
