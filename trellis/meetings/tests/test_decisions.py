"""During the meeting: discussion, decisions that become tasks or plan revisions,
attendance, signing (locks) and addenda."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from tests.personas import PASSWORD, World
from trellis.audit.models import Event
from trellis.lib.models import SignedRecordError
from trellis.meetings import actions
from trellis.meetings.models import DecisionKind, Discussion, Meeting
from trellis.plans.models import VersionStatus
from trellis.plans.tests.factory import signed_plan
from trellis.worklist.models import AlertKind, AlertStatus, Comment

from .factory import todays_meeting


def test_a_task_decision_creates_a_worklist_task_for_its_owner(world: World) -> None:
    meeting = todays_meeting(world)
    episode = world.participant.episodes.get()
    due = meeting.date + timedelta(days=3)
    decision = actions.check_decide(
        world.director,
        meeting,
        episode,
        kind=DecisionKind.TASK,
        text="Call the partner about the relapse plan",
        owner=world.clinician,
        due_on=due,
    )
    task = decision.task
    assert task is not None
    assert task.kind == AlertKind.MEETING_DECISION
    assert task.owner == world.clinician
    assert task.recipients.filter(user=world.clinician).exists()
    assert task.due_at.astimezone(world.organization.tz).date() == due
    assert task.created_by == world.director
    # The decision's text travels as an (encrypted) comment, never in the task's title.
    assert "partner" not in task.title
    assert task.comments.get().text == "Call the partner about the relapse plan"


def test_a_task_needs_an_owner_who_can_see_the_participant(world: World) -> None:
    meeting = todays_meeting(world)
    episode = world.participant.episodes.get()
    with pytest.raises(ValidationError) as refused:
        actions.check_decide(
            world.director,
            meeting,
            episode,
            kind=DecisionKind.TASK,
            text="Call",
            owner=world.front_desk,
            due_on=meeting.date,
        )
    assert "owner" in refused.value.message_dict
    with pytest.raises(ValidationError) as missing:
        actions.check_decide(world.director, meeting, episode, kind=DecisionKind.TASK, text="x")
    assert {"owner", "due_on"} <= set(missing.value.message_dict)


def test_a_plan_revision_decision_requests_review_and_opens_a_draft(world: World) -> None:
    meeting = todays_meeting(world)
    episode = world.participant.episodes.get()
    signed = signed_plan(world.clinician, episode, PASSWORD)
    decision = actions.check_decide(
        world.clinician,
        meeting,
        episode,
        kind=DecisionKind.PLAN_REVISION,
        text="Add an exposure objective",
        owner=world.clinician,
    )
    plan = signed.plan
    plan.refresh_from_db()
    assert plan.review_reason == actions.TEAM_MEETING_REASON
    draft = plan.versions.get(status=VersionStatus.DRAFT)
    assert draft.number == signed.number + 1 == decision.plan_version_number
    assert draft.content == signed.content
    assert decision.task is not None
    assert decision.task.title.startswith("Revise the treatment plan")


def test_a_plan_revision_without_a_plan_is_refused_clearly(world: World) -> None:
    meeting = todays_meeting(world)
    with pytest.raises(ValidationError) as refused:
        actions.check_decide(
            world.clinician,
            meeting,
            world.participant.episodes.get(),
            kind=DecisionKind.PLAN_REVISION,
            text="Revise",
        )
    assert "no treatment plan" in refused.value.message_dict["kind"][0]


def test_only_a_participants_clinicians_discuss_them(world: World) -> None:
    meeting = todays_meeting(world)
    episode = world.participant.episodes.get()
    with pytest.raises(ValidationError):
        actions.check_discuss(world.other_clinician, meeting, episode, "Doing better")
    discussion = actions.check_discuss(world.clinician, meeting, episode, "Doing better")
    with connection.cursor() as cursor:
        cursor.execute("SELECT text FROM meetings_discussion WHERE id = %s", [discussion.pk])
        stored = cursor.fetchone()[0]
    assert "better" not in stored  # encrypted at rest
    assert Discussion.objects.get().text == "Doing better"
    assert Event.objects.filter(
        object_type="meetings.discussion", participant=world.participant
    ).exists()


def test_signed_minutes_are_locked_and_take_addenda(world: World) -> None:
    meeting = todays_meeting(world)
    episode = world.participant.episodes.get()
    actions.check_discuss(world.director, meeting, episode, "Reviewed")
    with pytest.raises(ValidationError):  # attendance first
        actions.check_sign(
            world.director, meeting, typed_name=world.director.name, password=PASSWORD
        )
    actions.do_record_attendance(world.director, meeting, [world.director, world.clinician])
    with pytest.raises(ValidationError) as wrong:
        actions.check_sign(world.director, meeting, typed_name=world.director.name, password="x")
    assert "password" in wrong.value.message_dict
    signed = actions.check_sign(
        world.director, meeting, typed_name=world.director.name, password=PASSWORD
    )
    assert signed.signer_credentials == "LCSW"
    for attempt in (
        lambda: actions.check_discuss(world.director, signed, episode, "More"),
        lambda: actions.check_decide(
            world.director, signed, episode, kind=DecisionKind.RECORD, text="More"
        ),
        lambda: actions.do_generate_agenda(world.director, signed),
        lambda: actions.check_add_item(world.director, signed, episode, "More"),
        lambda: actions.do_record_attendance(world.director, signed, []),
    ):
        with pytest.raises(ValidationError):
            attempt()
    addendum = actions.check_addendum(world.director, signed, "Partner called back")
    assert addendum.author_name == world.director.name
    # Behind the actions: minutes read back as signed are never written again.
    reread = Meeting.objects.get(pk=signed.pk)
    reread.signer_name = "Someone else"
    with pytest.raises(SignedRecordError):
        reread.save()


def test_completing_a_decision_task_closes_it(world: World) -> None:
    from trellis.worklist.actions import check_complete_task

    meeting = todays_meeting(world)
    decision = actions.check_decide(
        world.director,
        meeting,
        world.participant.episodes.get(),
        kind=DecisionKind.TASK,
        text="Call",
        owner=world.clinician,
        due_on=meeting.date,
    )
    assert decision.task is not None
    done = check_complete_task(world.clinician, decision.task, note="Called")
    assert done.status == AlertStatus.RESOLVED
    assert done.resolved_by == world.clinician
    assert Comment.objects.filter(alert=done).count() == 1
