"""Tasks: created by hand, reassigned (audited), commented (encrypted), completed; the My
work page and the API."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.utils import timezone

from tests.personas import World, org_today
from trellis.accounts.models import User
from trellis.audit.models import Event
from trellis.worklist import actions
from trellis.worklist.models import Alert, AlertKind, AlertStatus, Priority, Reassignment
from trellis.worklist.queries import open_work_count

Clients = Callable[[User], Client]


def a_task(world: World, owner: User | None = None) -> Alert:
    return actions.check_create_task(
        world.clinician,
        episode=world.participant.episodes.get(),
        owner=owner or world.clinician,
        title="Send the release form",
        due_at=timezone.now() + timedelta(days=2),
    )


def test_a_task_has_owner_participant_kind_priority_due_status_and_source(world: World) -> None:
    task = a_task(world)
    assert task.owner == world.clinician
    assert task.participant == world.participant
    assert task.kind == AlertKind.TASK
    assert task.priority == Priority.NORMAL
    assert task.status == AlertStatus.OPEN
    assert task.source.startswith("worklist.task:")
    assert task.is_task
    assert open_work_count(world.clinician) == 1


def test_the_owner_must_see_the_participant(world: World) -> None:
    with pytest.raises(ValidationError) as refused:
        a_task(world, owner=world.outsider)
    assert "owner" in refused.value.message_dict


def test_reassignment_moves_the_item_and_keeps_the_history(world: World) -> None:
    task = a_task(world)
    moved = actions.check_reassign(world.clinician, task, world.director)
    assert moved.owner == world.director
    assert open_work_count(world.clinician) == 0
    assert open_work_count(world.director) == 1
    history = Reassignment.objects.get(alert=task)
    assert (history.from_user, history.to_user, history.by) == (
        world.clinician,
        world.director,
        world.clinician,
    )
    assert Event.objects.filter(
        object_id=str(task.public_id), detail__reassigned_to=str(world.director.public_id)
    ).exists()
    with pytest.raises(ValidationError):
        actions.check_reassign(world.clinician, moved, world.front_desk)


def test_comments_are_encrypted_at_rest_and_kept_out_of_the_audit(world: World) -> None:
    task = a_task(world)
    comment = actions.check_add_comment(world.clinician, task, "Partner worried about relapse")
    with connection.cursor() as cursor:
        cursor.execute("SELECT text FROM worklist_comment WHERE id = %s", [comment.pk])
        assert "relapse" not in cursor.fetchone()[0]
    assert task.comments.get().text == "Partner worried about relapse"
    event = Event.objects.get(object_id=str(comment.public_id))
    assert "relapse" not in str(event.detail)
    with pytest.raises(ValidationError):
        actions.check_add_comment(world.clinician, task, "   ")


def test_completion_closes_tasks_but_not_clinical_alerts(world: World) -> None:
    task = a_task(world)
    done = actions.check_complete_task(world.clinician, task, note="Sent")
    assert done.status == AlertStatus.RESOLVED
    with pytest.raises(ValidationError):
        actions.check_complete_task(world.clinician, done)
    risk = actions.do_raise_alert(
        None,
        participant=world.participant,
        episode=world.participant.episodes.get(),
        kind=AlertKind.CRITICAL_ITEM,
        priority=Priority.URGENT,
        title="PHQ-9 item 9",
        source="test",
        dedupe_key="test:risk",
    )
    with pytest.raises(ValidationError):
        actions.check_complete_task(world.clinician, risk)


def test_my_work_page_filters_reassigns_and_comments(world: World, client_for: Clients) -> None:
    task = a_task(world)
    client = client_for(world.clinician)
    page = client.get("/worklist/?kind=tasks&mine=1").content.decode()
    assert "Send the release form" in page
    assert "Send the release form" not in client.get("/worklist/?kind=alerts").content.decode()
    detail = f"/worklist/{task.public_id}/"
    response = client.post(detail + "comment/", {"text": "Left a voicemail"})
    assert response.status_code == 302
    assert "Left a voicemail" in client.get(detail).content.decode()
    response = client.post(detail + "reassign/", {"owner": str(world.director.public_id)})
    assert response.status_code == 302
    task.refresh_from_db()
    assert task.owner == world.director
    response = client.post(detail + "complete/", {"note": "done"})
    assert response.status_code == 302
    task.refresh_from_db()
    assert task.status == AlertStatus.RESOLVED
    new = client.post(
        "/worklist/tasks/new/",
        {
            "participant": str(world.participant.episodes.get().public_id),
            "title": "Book the family session",
            "due_on": (org_today() + timedelta(days=3)).isoformat(),
            "priority": "high",
        },
    )
    assert new.status_code == 302
    assert Alert.objects.filter(title="Book the family session", owner=world.clinician).exists()


def test_people_who_cannot_see_the_participant_cannot_open_the_task(
    world: World, client_for: Clients
) -> None:
    task = a_task(world)
    for persona in (world.other_clinician, world.front_desk, world.outsider, world.compliance):
        response = client_for(persona).get(f"/worklist/{task.public_id}/")
        assert response.status_code in (403, 404), persona.username
        response = client_for(persona).post(f"/worklist/{task.public_id}/comment/", {"text": "x"})
        assert response.status_code in (403, 404), persona.username


def test_the_tasks_api(world: World, client_for: Clients) -> None:
    client = client_for(world.clinician)
    episode = world.participant.episodes.get()
    made = client.post(
        "/api/v1/worklist/tasks",
        {
            "episode": str(episode.public_id),
            "title": "Check in by phone",
            "due_at": (timezone.now() + timedelta(days=1)).isoformat(),
        },
        content_type="application/json",
    )
    assert made.status_code == 201, made.content
    task_id = made.json()["public_id"]
    assert [t["public_id"] for t in client.get("/api/v1/worklist/tasks").json()] == [task_id]
    commented = client.post(
        f"/api/v1/worklist/tasks/{task_id}/comments",
        {"text": "No answer"},
        content_type="application/json",
    )
    assert commented.status_code == 201
    assert client.get(f"/api/v1/worklist/tasks/{task_id}/comments").json()[0]["text"] == (
        "No answer"
    )
    moved = client.post(
        f"/api/v1/worklist/tasks/{task_id}/reassign",
        {"owner": str(world.director.public_id)},
        content_type="application/json",
    )
    assert moved.json()["owner"] == str(world.director.public_id)
    bad = client.post(
        f"/api/v1/worklist/tasks/{task_id}/reassign",
        {"owner": str(world.front_desk.public_id)},
        content_type="application/json",
    )
    assert bad.status_code == 422
    done = client_for(world.director).post(
        f"/api/v1/worklist/tasks/{task_id}/complete", {}, content_type="application/json"
    )
    assert done.json()["status"] == "resolved"
    # Someone who does not treat the participant cannot create a task about them.
    denied = client_for(world.other_clinician).post(
        "/api/v1/worklist/tasks",
        {"episode": str(episode.public_id), "title": "x", "due_at": timezone.now().isoformat()},
        content_type="application/json",
    )
    assert denied.status_code == 404


def test_my_work_page_and_api_name_each_person_listed(
    world: World, client_for: Callable[[User], Client]
) -> None:
    from tests.listed import listed

    for person in (world.participant, world.other_participant):
        actions.check_create_task(
            world.director,
            episode=person.episodes.get(),
            owner=world.director,
            title="Call about transport",
            due_at=timezone.now() + timedelta(days=2),
        )
    client = client_for(world.director)
    assert client.get("/worklist/").status_code == 200
    assert listed(world.director, "worklist.alert") == {world.participant, world.other_participant}
    for url in ("/api/v1/worklist/alerts", "/api/v1/worklist/tasks"):
        before = Event.objects.filter(actor=world.director, action="list").count()
        assert client.get(url).status_code == 200
        after = Event.objects.filter(actor=world.director, action="list").count()
        assert after - before == 2, url  # one event per person returned
