"""A program director sets up the program on pages: a track's hours, a room, the staff-feed
switch, a trainee's supervisor; a clinician gives one person a step-down week."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

from tests.personas import World, make_staff
from trellis.accounts.models import StaffProfile
from trellis.programs.models import ClinicianKind, Role, Track
from trellis.scheduling.models import EpisodeHoursOverride, ProgramScheduleSettings

pytestmark = pytest.mark.e2e


def test_director_sets_up_tracks_rooms_feeds_and_supervision(
    e2e_world: World, sign_in: Callable[[str], Page], live_server: object
) -> None:
    world = e2e_world
    trainee = make_staff(
        "toni.trainee", "Toni", "Trainee", world.organization, Role.CLINICIAN, world.program,
        ClinicianKind.THERAPIST,
    )  # fmt: skip
    StaffProfile.objects.update_or_create(user=trainee, defaults={"is_trainee": True})
    page = sign_in("dana.director")
    page.goto(f"{live_server}/programs/{world.program.public_id}/")
    page.get_by_role("link", name="Set up this program").click()
    expect(page.get_by_role("heading", name="Set up Adult Mental Health IOP")).to_be_visible()

    page.get_by_role("link", name="Tracks", exact=True).click()
    page.get_by_label("Name").fill("After-school")
    page.get_by_label("Delivery").select_option(label="In person")
    page.get_by_label("Capacity").fill("10")
    page.get_by_label("Day starts").fill("15:30")
    page.get_by_label("Day ends").fill("18:30")
    for day in ("Monday", "Wednesday", "Thursday"):
        page.get_by_label(day).check()
    page.get_by_role("button", name="Add track").click()
    expect(page.get_by_role("cell", name="Mon, Wed, Thu 3:30 pm–6:30 pm")).to_be_visible()
    assert Track.objects.get(name="After-school").weekdays == [0, 2, 3]

    page.get_by_role("link", name="← Set up Adult Mental Health IOP").click()
    page.get_by_label("Show session and track names in staff calendar feeds").check()
    page.get_by_role("button", name="Save feed setting").click()
    expect(
        page.get_by_text("Staff calendar feeds now show session and track names.")
    ).to_be_visible()
    assert ProgramScheduleSettings.objects.get(program=world.program).staff_feed_details

    page.get_by_role("link", name="Rooms at Riverbend Main").click()
    page.get_by_label("Name").fill("Group room B")
    page.get_by_label("Capacity").fill("10")
    page.get_by_role("button", name="Add room").click()
    expect(page.get_by_role("link", name="Group room B", exact=True)).to_be_visible()

    page.goto(f"{live_server}/programs/{world.program.public_id}/setup/staff/")
    expect(page.get_by_role("heading", name="Trainees without a supervisor")).to_be_visible()
    page.get_by_role("link", name="Change Toni Trainee").click()
    page.get_by_label("Supervisor", exact=True).select_option(label="Casey Clinician")
    page.get_by_role("button", name="Save supervision").click()
    expect(page.get_by_text("Supervision saved.")).to_be_visible()
    assert StaffProfile.objects.get(user=trainee).supervisor == world.clinician


def test_clinician_sets_a_step_down_week_from_the_chart(
    e2e_world: World, sign_in: Callable[[str], Page], live_server: object
) -> None:
    world = e2e_world
    page = sign_in("casey.clinician")
    page.goto(f"{live_server}/participants/{world.participant.public_id}/")
    page.get_by_role("link", name="Weekly hours for this person").click()
    page.get_by_label("Minimum hours a week").fill("6")
    page.get_by_label("Maximum hours a week").fill("9")
    page.get_by_label("Reason").fill("Step-down week agreed with the participant")
    page.get_by_role("button", name="Save weekly hours").click()
    expect(page.get_by_text("Weekly hours saved.")).to_be_visible()
    expect(page.locator("#hours-this-week")).to_contain_text("Own weekly hours: 6–9")
    assert EpisodeHoursOverride.objects.get().min_hours_per_week == 6
