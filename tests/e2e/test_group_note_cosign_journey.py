"""A trainee signs a group note; their supervisor co-signs it from the co-sign queue, and
only then does the participant's own page show it (issue 9, item 7)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

from tests.personas import PASSWORD, World
from trellis.accounts.actions import do_set_supervisor
from trellis.accounts.models import StaffProfile
from trellis.notes.group import actions as ga
from trellis.notes.models import GroupNote, GroupNoteStatus
from trellis.notes.tests.group_factory import group_session, write_all

pytestmark = pytest.mark.e2e


def test_a_trainee_signs_and_the_supervisor_cosigns_from_the_queue(
    e2e_world: World, sign_in: Callable[[str], Page], live_server: object
) -> None:
    world = e2e_world
    StaffProfile.objects.filter(user=world.clinician).update(is_trainee=True)
    do_set_supervisor(None, world.clinician, world.other_clinician)
    slot = group_session(world, [world.participant], name="Evening DBT skills")
    note = ga.check_start_group_note(world.clinician, slot)
    write_all(world.clinician, note, slot)

    page = sign_in("casey.clinician")
    page.goto(f"{live_server}/notes/group/{note.public_id}/sign/")
    page.get_by_label("Type your name to sign").fill("Casey Clinician")
    page.get_by_label("Your password").fill(PASSWORD)
    page.get_by_role("button", name="Sign the group note").click()
    expect(page.get_by_text("sent to your supervisor for co-signature")).to_be_visible()
    expect(page.get_by_text("awaiting co-signature", exact=True)).to_be_visible()
    assert GroupNote.objects.get(pk=note.pk).status == GroupNoteStatus.AWAITING_COSIGN

    page.context.clear_cookies()
    page = sign_in("morgan.morning")
    page.goto(f"{live_server}/notes/cosign/")
    expect(page.get_by_role("heading", name="Group notes")).to_be_visible()
    page.get_by_role("link", name="Evening DBT skills").click()
    expect(page.get_by_role("heading", name="Co-sign the group note", exact=False)).to_be_visible()
    expect(page.get_by_text("Shared a coping plan", exact=False)).to_be_visible()
    page.get_by_label("Type your name to co-sign").fill("Morgan Morning")
    page.get_by_label("Your password").fill(PASSWORD)
    page.get_by_role("button", name="Co-sign the group note").click()
    expect(page.get_by_text("Group note co-signed")).to_be_visible()
    expect(page.get_by_text("No group notes waiting for your co-signature.")).to_be_visible()
    signed = GroupNote.objects.get(pk=note.pk)
    assert signed.is_signed
    assert signed.cosigner_name == "Morgan Morning"

    page.context.clear_cookies()
    page.set_viewport_size({"width": 390, "height": 844})  # the participant's phone
    page.goto(f"{live_server}/accounts/sign-in/")
    page.get_by_label("Email or username").fill("pat.participant")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("button", name="Sign in")).to_have_count(0)
    page.goto(f"{live_server}/me/group-notes/")
    page.get_by_role("link", name="Evening DBT skills", exact=False).click()
    expect(page.get_by_text("Co-signed", exact=False)).to_be_visible()
