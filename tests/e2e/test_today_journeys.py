"""Today as people open it: a facilitator on a tablet sees tonight's session without
scrolling past their alerts; a supervisor finds the note a trainee left for co-signature."""

from __future__ import annotations

from collections.abc import Callable
from datetime import time, timedelta

import pytest
from playwright.sync_api import Page, expect

from tests.personas import PASSWORD, World, make_staff, org_today
from trellis.accounts.actions import do_set_supervisor
from trellis.accounts.models import StaffProfile, User
from trellis.notes.tests.factory import signed_note
from trellis.participants.actions import do_add_care_team_member
from trellis.programs.models import ClinicianKind, Role
from trellis.scheduling.tests.factory import daily_group, enroll
from trellis.worklist.actions import do_raise_alert
from trellis.worklist.models import AlertKind, Priority

pytestmark = pytest.mark.e2e


def test_on_a_tablet_tonights_session_is_on_screen_above_seventeen_alerts(
    e2e_world: World, sign_in: Callable[[str], Page]
) -> None:
    world = e2e_world
    group = daily_group(world, dtstart=org_today() - timedelta(days=7), at=time(23, 0), minutes=50)
    enroll(group, world.participant, org_today() - timedelta(days=7))
    for n in range(17):
        do_raise_alert(
            None,
            participant=world.participant,
            episode=world.participant.episodes.get(),
            kind=AlertKind.MISSED_CHECKINS,
            priority=Priority.URGENT if n == 0 else Priority.HIGH,
            title="Missed check-ins",
            source="test",
            dedupe_key=f"tablet-{n}",
        )

    page = sign_in("casey.clinician")
    page.set_viewport_size({"width": 820, "height": 1180})  # a tablet, portrait
    page.reload()
    expect(page.locator(".today-date")).to_have_text(org_today().strftime("%A, %B %-d, %Y"))
    tonight = page.get_by_role("link", name="Evening group").first
    expect(tonight).to_be_in_viewport()
    # The alerts are one tap away: their count at the top links to the list.
    glance = page.locator(".glance")
    expect(glance).to_contain_text("17 alerts for you")
    expect(glance).to_be_in_viewport()
    # Yesterday's session ended with nobody marked: flagged, and it opens the attendance page.
    expect(page.get_by_role("heading", name="Attendance not taken")).to_be_visible()
    glance.get_by_role("link", name="17 alerts for you").click()
    expect(page.get_by_role("heading", name="Alerts for you")).to_be_in_viewport()


def test_a_supervisor_opens_a_trainees_note_from_today(
    e2e_world: World, sign_in: Callable[[str], Page]
) -> None:
    world = e2e_world
    trainee = make_staff(
        "tara.trainee",
        "Tara",
        "Trainee",
        world.organization,
        Role.CLINICIAN,
        world.program,
        ClinicianKind.COUNSELOR,
    )
    StaffProfile.objects.filter(user=trainee).update(is_trainee=True)
    do_set_supervisor(None, trainee, world.director)
    do_add_care_team_member(
        None,
        world.participant.episodes.get(),
        trainee,
        role=ClinicianKind.COUNSELOR,
        start_date=org_today() - timedelta(days=1),
    )
    # Fresh from the database: signing reads the trainee flag from the profile.
    signed_note(User.objects.get(pk=trainee.pk), world.participant.episodes.get(), PASSWORD)

    page = sign_in("dana.director")
    expect(page.locator(".glance")).to_contain_text("1 co-signature awaiting")
    cosign = page.locator("#cosign")
    expect(cosign).to_contain_text("Tara Trainee")
    expect(
        page.get_by_role("navigation", name="Main").get_by_role("link", name="Co-sign")
    ).to_be_visible()
    cosign.get_by_role("link", name="Patricia Quillfeather").click()
    expect(page.get_by_role("button", name="Co-sign the note")).to_be_visible()
