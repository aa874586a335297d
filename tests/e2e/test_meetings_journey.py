"""A team meeting goes from a generated agenda to discussion, decisions and tasks, and its
minutes are signed."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from tests.personas import PASSWORD, World
from trellis.meetings.models import Decision
from trellis.worklist.models import AlertKind

pytestmark = pytest.mark.e2e


def test_team_meeting_from_agenda_to_decisions_to_tasks(
    e2e_world: World, sign_in: Callable[[str], Page], live_server: object
) -> None:
    page = sign_in("dana.director")
    page.get_by_role("link", name="Meetings").click()
    expect(page.get_by_text("No meetings scheduled")).to_be_visible()

    # The weekly meeting, on today's weekday late in the evening (so today's is upcoming).
    today = timezone.now().astimezone(e2e_world.organization.tz).date()
    page.get_by_label("Day").select_option(str(today.weekday()))
    page.get_by_label("Time (organization's zone)").fill("23:30")
    page.get_by_role("button", name="Add a weekly meeting").click()
    expect(page.get_by_text("Team meeting scheduled.")).to_be_visible()
    page.locator("#upcoming-meetings a").first.click()

    page.get_by_role("button", name="Generate the agenda").click()
    expect(page.get_by_text("Agenda updated")).to_be_visible()
    person = page.locator("article.agenda-participant", has_text="Patricia Quillfeather")
    expect(person.get_by_text("No treatment plan yet")).to_be_visible()
    plan_item = person.locator("li.rule-unsigned_plan")
    expect(plan_item.get_by_role("link", name="evidence")).to_have_attribute(
        "href", f"/participants/{e2e_world.participant.public_id}/plan/"
    )

    person.get_by_text("Record discussion and decisions").click()
    person.get_by_label("Discussion").fill("Sleeping poorly; missed two groups.")
    person.get_by_role("button", name="Save discussion").click()
    expect(page.get_by_text("Discussion recorded.")).to_be_visible()

    person = page.locator("article.agenda-participant", has_text="Patricia Quillfeather")
    expect(person.get_by_text("Sleeping poorly; missed two groups.")).to_be_visible()
    person.get_by_text("Record discussion and decisions").click()
    person.get_by_label("Decision", exact=True).fill("Write the treatment plan this week")
    person.get_by_label("Decision does").select_option("task")
    person.get_by_label("Owner").select_option(label="Casey Clinician")
    person.get_by_label("Due").fill((today + timedelta(days=3)).isoformat())
    person.get_by_role("button", name="Record decision").click()
    expect(page.get_by_text("Decision recorded: task for Casey Clinician.")).to_be_visible()

    page.get_by_label("Dana Director").check()
    page.get_by_label("Casey Clinician").check()
    page.get_by_role("button", name="Save attendance").click()
    expect(page.get_by_text("Attendance saved.")).to_be_visible()
    page.get_by_label("Type your name").fill("Dana Director")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign the minutes").click()
    expect(page.get_by_text("Minutes signed. Later changes are addenda.")).to_be_visible()
    expect(page.get_by_role("button", name="Record decision")).to_have_count(0)

    # The decision became Casey's task on the worklist.
    page.get_by_role("link", name="task for Casey Clinician").click()
    expect(page.get_by_role("heading", name="Team-meeting decision")).to_be_visible()
    expect(page.get_by_text("Write the treatment plan this week")).to_be_visible()
    task = Decision.objects.get().task
    assert task is not None
    assert task.kind == AlertKind.MEETING_DECISION
    assert task.owner is not None
    assert task.owner.username == "casey.clinician"
