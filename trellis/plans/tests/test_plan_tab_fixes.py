"""The Plan tab as clinicians read it: each objective's target said once, attendance
targets with their % sign, a revision draft that can be discarded (the signed plan stays
current), and an acknowledgement that ends on a neutral hand-back page, not the chart."""

from __future__ import annotations

from collections.abc import Callable

from django.test import Client

from tests.personas import PASSWORD, World
from trellis.accounts.models import User
from trellis.audit.models import Event
from trellis.plans import actions
from trellis.plans import content as c
from trellis.plans.models import PlanVersion, VersionStatus
from trellis.plans.tests.factory import signed_plan


def _tab(world: World, client: Client) -> str:
    return client.get(f"/participants/{world.participant.public_id}/plan/").content.decode()


def test_an_objective_that_states_its_target_is_not_repeated(
    world: World, client_for: Callable[[User], Client]
) -> None:
    signed_plan(world.clinician, world.participant.episodes.get(), PASSWORD)
    page = _tab(world, client_for(world.clinician))
    assert "GAD-7 below 10" in page
    assert "GAD-7 below 10</strong>" in page
    assert "— GAD-7 below 10" not in page


def test_attendance_targets_carry_their_percent_sign() -> None:
    objective = c.Objective(
        description="Comes to groups", kind=c.ObjectiveKind.ATTENDANCE,
        comparator=c.Comparator.GE, target=90,
    )  # fmt: skip
    assert objective.target_label == "attendance at least 90%"
    assert objective.unit == "%"
    assert c.Objective(kind=c.ObjectiveKind.MEASURE, instrument="PHQ-9").unit == ""


def test_the_plan_tab_shows_attendance_with_percent(
    world: World, client_for: Callable[[User], Client]
) -> None:
    signed_plan(world.clinician, world.participant.episodes.get(), PASSWORD)
    page = _tab(world, client_for(world.clinician))
    assert "attendance at least 90%" in page


def _revision(world: World) -> tuple[PlanVersion, PlanVersion]:
    episode = world.participant.episodes.get()
    signed = signed_plan(world.clinician, episode, PASSWORD)
    draft = actions.check_start_plan(world.clinician, episode)
    return signed, draft


def test_a_revision_draft_can_be_discarded_and_the_signed_plan_stays_current(
    world: World, client_for: Callable[[User], Client]
) -> None:
    _, draft = _revision(world)
    client = client_for(world.clinician)
    assert "Discard this draft" in _tab(world, client)
    url = f"/participants/{world.participant.public_id}/plan/discard/"
    confirm = client.get(url).content.decode()
    assert "version 2" in confirm
    assert "Version 1 stays the current plan" in confirm
    page = client.post(url, {"number": draft.number}, follow=True).content.decode()
    assert not PlanVersion.objects.filter(pk=draft.pk).exists()
    assert list(PlanVersion.objects.values_list("number", "status")) == [(1, VersionStatus.SIGNED)]
    assert "Draft discarded" in page
    assert "Revise the plan" in page
    assert Event.objects.filter(
        action="delete", object_id=str(draft.public_id), actor=world.clinician
    ).exists()


def test_discarding_needs_a_writer_and_a_current_draft(
    world: World, client_for: Callable[[User], Client]
) -> None:
    _, draft = _revision(world)
    url = f"/participants/{world.participant.public_id}/plan/discard/"
    assert client_for(world.front_desk).post(url, {"number": draft.number}).status_code == 404
    assert PlanVersion.objects.filter(pk=draft.pk).exists()
    client = client_for(world.clinician)
    stale = client.post(url, {"number": draft.number + 1}, follow=True).content.decode()
    assert PlanVersion.objects.filter(pk=draft.pk).exists()  # not the draft they looked at
    assert "changed since" in stale


def test_a_first_draft_offers_no_discard(
    world: World, client_for: Callable[[User], Client]
) -> None:
    actions.check_start_plan(world.clinician, world.participant.episodes.get())
    assert "Discard this draft" not in _tab(world, client_for(world.clinician))


def test_after_acknowledging_the_tablet_shows_a_neutral_hand_back_page(
    world: World, client_for: Callable[[User], Client]
) -> None:
    signed_plan(world.clinician, world.participant.episodes.get(), PASSWORD)
    client = client_for(world.clinician)
    url = f"/participants/{world.participant.public_id}/plan/acknowledge/"
    done = client.post(url, {"typed_name": "Patricia Quillfeather", "agreed": "on"}, follow=True)
    body = done.content.decode()
    assert "please hand the tablet back" in body.lower()
    for clinical in ("GAD-7", "Panic", "Quillfeather", "Participants", "Plan"):
        assert clinical not in body.split("<main")[1], clinical
    # The chart is closed until the clinician enters their password.
    chart = client.get(f"/participants/{world.participant.public_id}/plan/")
    assert chart.status_code == 302
    wrong = client.post("/plans/hand-back/", {"password": "not it"})
    assert wrong.status_code == 422
    back = client.post("/plans/hand-back/", {"password": PASSWORD})
    assert back.status_code == 302
    assert back["Location"] == f"/participants/{world.participant.public_id}/plan/"
    assert "by the participant (“Patricia Quillfeather”)" in _tab(world, client)
