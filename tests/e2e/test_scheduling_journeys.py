"""A facilitator takes attendance for tonight's evening group on a tablet."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import time, timedelta

import pytest
from playwright.sync_api import Page, expect

from tests.personas import World, make_participant
from trellis.participants.models import EpisodeStatus
from trellis.programs.models import ClinicianKind
from trellis.scheduling.models import Attendance
from trellis.scheduling.tests.factory import daily_group, enroll, local_today

pytestmark = pytest.mark.e2e


def test_facilitator_takes_attendance_with_a_late_arrival_and_a_walk_in(
    e2e_world: World, sign_in: Callable[[str], Page], live_server: object
) -> None:
    world = e2e_world
    # Midnight to 2 am: tonight's session has always started, whenever the test runs (nobody
    # is marked present before the start).
    group = daily_group(
        world, dtstart=local_today(world) - timedelta(days=7), at=time(0, 0), minutes=120
    )
    enroll(group, world.participant)
    regular = make_participant(
        world.organization, "MRN-1003", "Avery", "Fernsby", program=world.program,
        track=world.evening, team=[(world.clinician, ClinicianKind.THERAPIST, True)],
        status=EpisodeStatus.ACTIVE,
    )  # fmt: skip
    enroll(group, regular)
    walk_in = make_participant(
        world.organization, "MRN-1004", "Jules", "Marrowby", program=world.program,
        track=world.morning, team=[(world.clinician, ClinicianKind.THERAPIST, True)],
    )  # fmt: skip

    page = sign_in("casey.clinician")
    page.set_viewport_size({"width": 820, "height": 1180})  # a tablet, portrait
    expect(page.get_by_role("heading", name="Sessions", exact=True)).to_be_visible()
    page.get_by_role("link", name="Evening group").click()
    expect(page.get_by_role("heading", name="Evening group")).to_be_visible()

    page.get_by_label("Minutes for Patricia Quillfeather").fill("15")
    page.get_by_role("button", name="Late: Patricia Quillfeather").click()
    row = page.locator(f"#row-{world.participant.episodes.get().public_id}")
    expect(row).to_contain_text("15 min late")
    expect(row).to_contain_text("by Casey Clinician")

    page.get_by_role("button", name="Present: Avery Fernsby").click()
    expect(page.locator(f"#row-{regular.episodes.get().public_id}")).to_contain_text("Present")
    # One tap, then undo, then the right tap: nothing is lost on the way.
    page.get_by_role("button", name="Undo: Avery Fernsby").click()
    expect(page.locator(f"#row-{regular.episodes.get().public_id}")).to_contain_text("Not marked")
    page.get_by_role("button", name="Present: Avery Fernsby").click()
    expect(page.locator(f"#row-{regular.episodes.get().public_id}")).to_contain_text("Present")

    page.get_by_label("Participant", exact=True).select_option(label="Jules Marrowby")
    page.get_by_label("Why they joined this session").fill("Switching to evenings")
    page.get_by_role("button", name="Add walk-in").click()
    expect(page.get_by_text("Jules Marrowby added as a walk-in.")).to_be_visible()
    expect(page.locator(f"#row-{walk_in.episodes.get().public_id}")).to_contain_text("walk-in")

    page.get_by_role("button", name="Mark attendance complete").click()
    expect(page.get_by_text("Attendance complete and locked.")).to_be_visible()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 820

    assert Attendance.objects.count() == 3
    page.goto(f"{live_server}/participants/{world.participant.public_id}/")
    hours = page.locator("#hours-this-week")
    expect(hours).to_contain_text(re.compile(r"Hours this week\s+1\.8 / 9"))
