from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from tests.personas import PASSWORD, World, org_today
from trellis.accounts.models import User
from trellis.plans import actions
from trellis.plans import content as c
from trellis.plans.models import PlanVersion, SignedVersionError, VersionStatus
from trellis.plans.queries import compare
from trellis.plans.tests.factory import complete_content, draft_with, signed_plan


def test_signing_with_an_empty_required_section_is_refused_naming_it(world: World) -> None:
    episode = world.participant.episodes.get()
    document = complete_content(world.clinician)
    document.strengths = "  "
    draft = draft_with(world.clinician, episode, document)
    with pytest.raises(ValidationError) as caught:
        actions.check_sign_plan(
            world.clinician,
            draft,
            typed_name="Casey Clinician",
            password=PASSWORD,
            revision=draft.revision,
        )
    assert set(caught.value.message_dict) == {"strengths"}
    assert "Strengths is empty" in caught.value.message_dict["strengths"][0]
    draft.refresh_from_db()
    assert draft.status == VersionStatus.DRAFT


def test_sign_page_names_the_empty_section(
    world: World, client_for: Callable[[User], Client]
) -> None:
    episode = world.participant.episodes.get()
    document = complete_content(world.clinician)
    document.discharge_criteria = ""
    draft = draft_with(world.clinician, episode, document)
    response = client_for(world.clinician).post(
        f"/participants/{world.participant.public_id}/plan/sign/",
        {"typed_name": "Casey Clinician", "password": PASSWORD, "revision": draft.revision},
    )
    assert response.status_code == 422
    assert "Discharge criteria is empty" in response.content.decode()


def test_a_signed_version_is_immutable_and_a_revision_is_a_new_version(world: World) -> None:
    episode = world.participant.episodes.get()
    first = signed_plan(world.clinician, episode, PASSWORD)
    assert first.signer_credentials == "LPC"
    with pytest.raises(ValidationError):
        actions.check_save_draft(world.clinician, first, c.PlanContent(), revision=first.revision)
    loaded = PlanVersion.objects.get(pk=first.pk)
    loaded.content = {}
    with pytest.raises(SignedVersionError):
        loaded.save()
    second = actions.check_start_plan(world.clinician, episode)
    assert (second.number, second.status) == (2, VersionStatus.DRAFT)
    assert second.content == first.content
    changed = c.load(second.content)
    changed.goals[0].words = "I want to take the bus to work again"
    actions.check_save_draft(world.clinician, second, changed, revision=second.revision)
    lines = compare(first, PlanVersion.objects.get(pk=second.pk))
    assert any(line.change == "removed" and "without panicking" in line.text for line in lines)
    assert any(line.change == "added" and "take the bus" in line.text for line in lines)
    assert PlanVersion.objects.get(pk=first.pk).content == first.content


def test_compare_page_shows_added_and_removed_lines(
    world: World, client_for: Callable[[User], Client]
) -> None:
    episode = world.participant.episodes.get()
    signed_plan(world.clinician, episode, PASSWORD)
    second = actions.check_start_plan(world.clinician, episode)
    changed = c.load(second.content)
    changed.strengths = "Motivated; supportive partner\nPlays guitar"
    actions.check_save_draft(world.clinician, second, changed, revision=second.revision)
    response = client_for(world.clinician).get(
        f"/participants/{world.participant.public_id}/plan/compare/?a=1&b=2"
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "diff-add" in body
    assert "Plays guitar" in body


def test_signing_sets_the_review_from_the_program_cycle(world: World) -> None:
    actions.do_set_review_interval(None, world.program, 14)
    version = signed_plan(world.clinician, world.participant.episodes.get(), PASSWORD)
    assert version.plan.review_due_on == org_today() + timedelta(days=14)
    assert not version.plan.review_is_due(org_today())


def test_the_default_review_cycle_is_30_days(world: World) -> None:
    version = signed_plan(world.clinician, world.participant.episodes.get(), PASSWORD)
    assert version.plan.review_due_on == org_today() + timedelta(days=30)


def test_a_trigger_makes_the_review_due_now(world: World) -> None:
    episode = world.participant.episodes.get()
    signed_plan(world.clinician, episode, PASSWORD)
    plan = actions.do_request_plan_review(episode, "reliable deterioration")
    assert plan is not None
    assert plan.review_is_due(org_today())
    assert plan.review_reason == "reliable deterioration"
    assert actions.do_request_plan_review(world.other_participant.episodes.get(), "x") is None


def test_signing_needs_the_password_and_the_typed_name(world: World) -> None:
    draft = draft_with(
        world.clinician, world.participant.episodes.get(), complete_content(world.clinician)
    )
    with pytest.raises(ValidationError) as caught:
        actions.check_sign_plan(
            world.clinician,
            draft,
            typed_name="Someone Else",
            password="wrong",
            revision=draft.revision,
        )
    assert set(caught.value.message_dict) == {"typed_name", "password"}


def test_a_plan_signed_unchanged_from_its_template_needs_confirmation_and_is_flagged(
    world: World,
) -> None:
    template = actions.do_create_plan_template(
        None, world.program, actions.TemplateData("Anxiety", complete_content(world.clinician))
    )
    draft = actions.check_start_plan(
        world.clinician, world.participant.episodes.get(), template=template
    )
    with pytest.raises(ValidationError) as caught:
        actions.check_sign_plan(
            world.clinician,
            draft,
            typed_name="Casey Clinician",
            password=PASSWORD,
            revision=draft.revision,
        )
    assert "confirm_unchanged" in caught.value.message_dict
    signed = actions.check_sign_plan(
        world.clinician,
        draft,
        typed_name="Casey Clinician",
        password=PASSWORD,
        revision=draft.revision,
        confirm_unchanged=True,
    )
    assert signed.unchanged_from_template


def test_the_participant_acknowledges_on_the_tablet(
    world: World, client_for: Callable[[User], Client]
) -> None:
    version = signed_plan(world.clinician, world.participant.episodes.get(), PASSWORD)
    client = client_for(world.clinician)
    url = f"/participants/{world.participant.public_id}/plan/acknowledge/"
    page = client.get(url)
    assert "without panicking" in page.content.decode()
    refused = client.post(url, {"typed_name": "Patricia Quillfeather"})
    assert refused.status_code == 422
    assert (
        client.post(url, {"typed_name": "Patricia Quillfeather", "agreed": "on"}).status_code == 302
    )
    version.refresh_from_db()
    assert version.acknowledged_name == "Patricia Quillfeather"
    assert version.acknowledged_at is not None


def test_the_editor_adds_rows_and_saves_a_goal_in_the_participants_words(
    world: World, client_for: Callable[[User], Client]
) -> None:
    client = client_for(world.clinician)
    base = f"/participants/{world.participant.public_id}/plan/"
    assert client.post(base + "start/").status_code == 302
    draft = PlanVersion.objects.get(plan__episode__participant=world.participant)
    document = c.load(draft.content)
    goal = document.goals[0]
    response = client.post(
        base + "draft/",
        {
            "revision": draft.revision,
            f"goals-{goal.key}-problem": goal.problem,
            f"goals-{goal.key}-words": "I want to sleep through the night",
            f"problems-{document.problems[0].key}-description": "Insomnia",
            f"problems-{document.problems[0].key}-diagnosis": "f41.1",
            "add": "intervention",
        },
    )
    assert response.status_code == 302
    saved = c.load(PlanVersion.objects.get(pk=draft.pk).content)
    assert saved.goals[0].words == "I want to sleep through the night"
    assert saved.problems[0].diagnosis == "F41.1"
    assert len(saved.interventions) == 1  # the added row; the objective without fields is dropped
    page = client.get(base + "draft/").content.decode()
    assert "I want to sleep through the night" in page


def test_an_unknown_diagnosis_is_refused_and_the_text_is_kept(
    world: World, client_for: Callable[[User], Client]
) -> None:
    client = client_for(world.clinician)
    base = f"/participants/{world.participant.public_id}/plan/"
    client.post(base + "start/")
    draft = PlanVersion.objects.get(plan__episode__participant=world.participant)
    problem = c.load(draft.content).problems[0]
    response = client.post(
        base + "draft/",
        {
            "revision": draft.revision,
            f"problems-{problem.key}-description": "Worry all day",
            f"problems-{problem.key}-diagnosis": "Z99.99",
        },
    )
    assert response.status_code == 422
    body = response.content.decode()
    assert "Z99.99 is not in the diagnosis list" in body
    assert "Worry all day" in body
