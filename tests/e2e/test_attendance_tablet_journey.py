"""A facilitator marks five people on a tablet, tapping fast: every tap shows its chosen
status and the counter follows without a reload; nobody can be marked present at a session
that has not started yet."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, time, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Locator, Page, expect

from tests.personas import World, make_participant
from trellis.participants.models import Participant
from trellis.programs.models import ClinicianKind
from trellis.scheduling import actions
from trellis.scheduling.models import Attendance, Mode
from trellis.scheduling.tests.factory import daily_group, enroll, local_today

pytestmark = pytest.mark.e2e

NAMES = [("Avery", "Ashgrove"), ("Blair", "Birchall"), ("Corin", "Coldwater"), ("Dario", "Dunmere")]


def five_people(world: World) -> list[Participant]:
    people = [world.participant]
    for number, (given, family) in enumerate(NAMES):
        person = make_participant(
            world.organization, f"MRN-T{number:03d}", given, family, program=world.program,
            track=world.evening, team=[(world.clinician, ClinicianKind.THERAPIST, True)],
        )  # fmt: skip
        people.append(person)
    return people


def test_fast_taps_show_the_chosen_status_and_count_without_a_reload(
    e2e_world: World, sign_in: Callable[[str], Page], live_server: object
) -> None:
    world = e2e_world
    today = local_today(world)
    # Midnight to 2 am: today's session has always started, whenever the test runs.
    group = daily_group(world, dtstart=today - timedelta(days=7), at=time(0, 0), minutes=120)
    people = five_people(world)
    for person in people:
        enroll(group, person)

    page = sign_in("casey.clinician")
    page.set_viewport_size({"width": 820, "height": 1180})  # a tablet, portrait
    page.goto(f"{live_server}/schedule/series/{group.public_id}/{today:%Y-%m-%d}/")
    counter = page.locator("#marked-count")
    expect(counter).to_have_text("0 of 5 marked")

    rows = page.locator(".attendance-row")
    expect(rows).to_have_count(5)
    for index in range(5):
        box = rows.nth(index).bounding_box()
        assert box is not None
        assert box["height"] <= 100, f"row {index} is {box['height']} px tall"
    for button in page.locator("button.tap").all():
        box = button.bounding_box()
        assert box is not None
        assert box["height"] >= 44
        assert box["width"] >= 44

    # Fast taps, one after another without waiting for the answers.
    names = [p.display_name for p in people]
    for name in names[:4]:
        page.get_by_role("button", name=f"Present: {name}").click()
    page.get_by_role("button", name=f"Excused: {names[4]}").click()
    expect(counter).to_have_text("5 of 5 marked")
    for name in names[:4]:
        expect(page.get_by_role("button", name=f"Present: {name}")).to_have_attribute(
            "aria-pressed", "true"
        )
        expect(page.get_by_role("button", name=f"Present: {name}")).to_contain_text("✓")
    chosen = page.get_by_role("button", name=f"Excused: {names[4]}")
    other = page.get_by_role("button", name=f"Present: {names[4]}")
    expect(chosen).to_have_attribute("aria-pressed", "true")

    def style(locator: Locator, prop: str) -> str:
        return str(locator.evaluate(f"e => getComputedStyle(e).{prop}"))

    # The chosen status stands out from the others: not the site's blue submit buttons.
    assert style(other, "backgroundColor") == "rgb(255, 255, 255)"
    assert style(chosen, "backgroundColor") != style(other, "backgroundColor")
    assert style(chosen, "fontWeight") != style(other, "fontWeight")

    page.get_by_role("button", name=f"Undo: {names[0]}").click()
    expect(counter).to_have_text("4 of 5 marked")
    assert Attendance.objects.count() == 4
    assert page.evaluate("document.documentElement.scrollWidth") <= 820


def test_presence_before_the_start_is_refused_on_the_tablet(
    e2e_world: World, sign_in: Callable[[str], Page], live_server: object
) -> None:
    world = e2e_world
    starts = timezone.now().astimezone(world.organization.tz) + timedelta(hours=2)
    starts = datetime.combine(starts.date(), time(starts.hour, starts.minute))
    group = daily_group(world, dtstart=starts.date(), at=starts.time(), name="Later group")
    enroll(group, world.participant)

    page = sign_in("casey.clinician")
    page.set_viewport_size({"width": 820, "height": 1180})
    page.goto(f"{live_server}/schedule/series/{group.public_id}/{starts.date():%Y-%m-%d}/")
    expect(page.locator("#not-started")).to_contain_text("Excused absences and cancellations")
    name = world.participant.display_name
    page.get_by_role("button", name=f"Present: {name}").click()
    row = page.locator(f"#row-{world.participant.episodes.get().public_id}")
    expect(row.get_by_role("alert")).to_contain_text("has not started yet")
    expect(page.locator("#marked-count")).to_have_text("0 of 1 marked")
    assert not Attendance.objects.exists()
    # Someone who called in ahead is excused before the start.
    page.get_by_role("button", name=f"Excused: {name}").click()
    expect(page.get_by_role("button", name=f"Excused: {name}")).to_have_attribute(
        "aria-pressed", "true"
    )
    expect(page.locator("#marked-count")).to_have_text("1 of 1 marked")
    expect(page.get_by_role("button", name="Mark attendance complete")).to_have_count(0)


def test_at_a_hybrid_session_each_person_is_marked_in_person_or_by_video(
    e2e_world: World, sign_in: Callable[[str], Page], live_server: object
) -> None:
    world = e2e_world
    today = local_today(world)
    group = actions.do_create_series(
        world.director, world.evening,
        actions.SeriesData(
            name="Hybrid group", start_time=time(0, 0), duration_minutes=120,
            rrule="FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR,SA,SU", dtstart=today - timedelta(days=7),
            capacity=12, mode=Mode.HYBRID, room=world.room,
            telehealth_url="https://video.example.test/hybrid", facilitators=[world.clinician],
        ),
    )  # fmt: skip
    enroll(group, world.participant)
    name = world.participant.display_name

    page = sign_in("casey.clinician")
    page.set_viewport_size({"width": 820, "height": 1180})
    page.goto(f"{live_server}/schedule/series/{group.public_id}/{today:%Y-%m-%d}/")
    expect(page.get_by_text("Room 2 and video")).to_be_visible()
    row_id = f"row-{world.participant.episodes.get().public_id}"
    # The fastest hand there is: the moment the marked row lands, "Video" is chosen. A
    # control swapped in by htmx must answer at once (no settle delay), or the change is lost
    # while the select shows "Video".
    page.evaluate(
        """(rowId) => {
            const list = document.getElementById("attendance-rows");
            new MutationObserver((changes, observer) => {
                const row = document.getElementById(rowId);
                if (!row || !row.classList.contains("marked")) return;
                observer.disconnect();
                const select = row.querySelector("select[name=mode]");
                select.value = "telehealth";
                select.dispatchEvent(new Event("change", {bubbles: true}));
            }).observe(list, {childList: true, subtree: true});
        }""",
        row_id,
    )
    page.get_by_role("button", name=f"Present: {name}").click()
    row = page.locator(f"#{row_id}")
    # Changing how they joined re-records the same status with the new mode.
    expect(row).to_contain_text("by video")
    mark = Attendance.objects.get()
    assert (mark.status, mark.mode) == ("present", Mode.TELEHEALTH)
    box = row.bounding_box()
    assert box is not None
    assert box["height"] <= 100
