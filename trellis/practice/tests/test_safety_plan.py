"""The safety plan: prefill, versions, signing, the participant's page and the "I am not
safe right now" button, privacy and the API (docs/practice.md)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from tests.personas import PASSWORD, World
from tests.queries import CountQueries
from trellis.accounts.models import User
from trellis.participants.models import Episode
from trellis.practice.actions.safety import (
    UNSAFE_ALERT_TITLE,
    do_report_unsafe,
    do_save_safety_plan,
    do_sign_safety_plan,
    do_start_safety_plan_version,
)
from trellis.practice.models.safety import SafetyPlan, SafetyPlanError, UnsafeReport
from trellis.worklist.models import Alert, AlertKind, Priority

pytestmark = pytest.mark.django_db

ClientFor = Callable[[User], Client]


def _episode(world: World) -> Episode:
    episode = world.participant.episodes.filter(program=world.program).first()
    assert episode is not None
    return episode


def _signed_plan(world: World) -> SafetyPlan:
    plan = do_start_safety_plan_version(world.clinician, _episode(world))
    plan = do_save_safety_plan(
        world.clinician,
        plan,
        {
            "warning_signs": "Not sleeping\nSkipping group",
            "reasons_for_living": "My sister",
            "professionals": "\n".join(plan.sections["professionals"]),
        },
    )
    return do_sign_safety_plan(
        world.clinician, plan, typed_name=world.clinician.name, password=PASSWORD
    )


def test_first_version_prefills_988_and_the_program_crisis_line(world: World) -> None:
    world.program.crisis_phone = "555-0100"
    world.program.save(update_fields=["crisis_phone"])
    plan = do_start_safety_plan_version(world.clinician, _episode(world))
    assert plan.version == 1
    professionals = " ".join(plan.sections["professionals"])
    assert "988" in professionals
    assert "555-0100" in professionals
    assert plan.sections["warning_signs"] == []


def test_sign_needs_name_and_password_and_then_the_version_is_frozen(world: World) -> None:
    plan = do_start_safety_plan_version(world.clinician, _episode(world))
    do_save_safety_plan(world.clinician, plan, {"warning_signs": "Not sleeping"})
    with pytest.raises(ValidationError) as error:
        do_sign_safety_plan(world.clinician, plan, typed_name="Someone", password="wrong")
    assert set(error.value.message_dict) == {"typed_name", "password"}
    signed = do_sign_safety_plan(
        world.clinician, plan, typed_name=world.clinician.name, password=PASSWORD
    )
    assert signed.is_signed
    assert signed.signed_by == world.clinician
    with pytest.raises(ValidationError):
        do_save_safety_plan(world.clinician, signed, {"warning_signs": "changed"})
    stored = SafetyPlan.objects.get(pk=plan.pk)
    stored.sections = {"warning_signs": ["tampered"]}
    with pytest.raises(SafetyPlanError):
        stored.save()
    # The participant's acknowledgement is the one field written after signing.
    stored = SafetyPlan.objects.get(pk=plan.pk)
    assert stored.sections["warning_signs"] == ["Not sleeping"]


def test_an_empty_plan_cannot_be_signed(world: World) -> None:
    plan = do_start_safety_plan_version(world.clinician, _episode(world))
    with pytest.raises(ValidationError) as error:
        do_sign_safety_plan(
            world.clinician, plan, typed_name=world.clinician.name, password=PASSWORD
        )
    assert "sections" in error.value.message_dict


def test_a_new_version_copies_the_last_and_old_versions_stay_readable(world: World) -> None:
    first = _signed_plan(world)
    draft = do_start_safety_plan_version(world.clinician, _episode(world))
    assert draft.version == 2
    assert not draft.is_signed
    assert draft.sections["warning_signs"] == ["Not sleeping", "Skipping group"]
    assert do_start_safety_plan_version(world.clinician, _episode(world)).pk == draft.pk
    do_save_safety_plan(world.clinician, draft, {"warning_signs": "Pacing at night"})
    assert SafetyPlan.objects.get(pk=first.pk).sections["warning_signs"] == [
        "Not sleeping",
        "Skipping group",
    ]


def test_bad_input_names_the_section_and_stores_nothing(world: World) -> None:
    plan = do_start_safety_plan_version(world.clinician, _episode(world))
    with pytest.raises(ValidationError) as error:
        do_save_safety_plan(world.clinician, plan, {"warning_signs": "x" * 301})
    assert "warning_signs" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        do_save_safety_plan(world.clinician, plan, {"nonsense": "x"})
    assert "nonsense" in error.value.message_dict
    assert SafetyPlan.objects.get(pk=plan.pk).sections["warning_signs"] == []


def test_sections_are_encrypted_at_rest(world: World) -> None:
    from django.db import connection

    _signed_plan(world)
    with connection.cursor() as cursor:
        cursor.execute("SELECT sections FROM practice_safetyplan")
        (raw,) = cursor.fetchone()
    assert "Not sleeping" not in raw


def test_the_button_raises_exactly_one_urgent_alert_per_day(
    world: World, client_for: ClientFor
) -> None:
    world.program.crisis_phone = "555-0100"
    world.program.save(update_fields=["crisis_phone"])
    _signed_plan(world)
    client = client_for(world.participant_user)
    url = "/me/practice/safety-plan/not-safe/"
    first = client.post(url, follow=True)
    client.post(url)
    assert first.status_code == 200
    body = first.content.decode()
    assert "988" in body
    assert "555-0100" in body
    assert 'role="alert"' in body
    alerts = Alert.objects.filter(kind=AlertKind.PRACTICE_RISK, participant=world.participant)
    assert alerts.count() == 1
    alert = alerts.get()
    assert alert.priority == Priority.URGENT
    assert alert.title == UNSAFE_ALERT_TITLE
    assert UnsafeReport.objects.filter(participant=world.participant).count() == 1
    # The action itself is idempotent for the same day too.
    _, created = do_report_unsafe(world.participant_user, _episode(world), None)
    assert created is False
    assert alerts.count() == 1


def test_the_button_needs_post_and_csrf(world: World) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.participant_user)
    assert client.get("/me/practice/safety-plan/not-safe/").status_code == 405
    assert client.post("/me/practice/safety-plan/not-safe/").status_code == 403
    assert not Alert.objects.filter(kind=AlertKind.PRACTICE_RISK).exists()


def test_participant_sees_only_the_signed_version_and_acknowledges_it(
    world: World, client_for: ClientFor
) -> None:
    signed = _signed_plan(world)
    do_start_safety_plan_version(world.clinician, _episode(world))  # a draft v2
    client = client_for(world.participant_user)
    page = client.get("/me/practice/safety-plan/").content.decode()
    assert "Not sleeping" in page
    assert "Version 1" in page
    assert "I am not safe right now" in page
    client.post("/me/practice/safety-plan/acknowledge/")
    assert SafetyPlan.objects.get(pk=signed.pk).acknowledged_at is not None


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("clinician", 200),
        ("director", 200),
        ("other_clinician", 404),
        ("front_desk", 404),
        ("intake", 404),
        ("compliance", 404),
        ("outsider", 404),
        ("participant", 404),
    ],
)
def test_staff_pages_privacy(
    world: World, client_for: ClientFor, persona: str, expected: int
) -> None:
    plan = _signed_plan(world)
    episode = _episode(world)
    client = client_for(world.personas[persona])
    urls = [
        f"/practice/episodes/{episode.public_id}/safety-plan/",
        f"/practice/safety-plans/{plan.public_id}/",
    ]
    for url in urls:
        assert client.get(url).status_code == expected, (persona, url)
    if expected == 404:
        response = client.post(f"/practice/episodes/{episode.public_id}/safety-plan/new/")
        assert response.status_code == 404
        assert SafetyPlan.objects.count() == 1


def test_staff_cannot_use_the_participant_pages(world: World, client_for: ClientFor) -> None:
    client = client_for(world.clinician)
    assert client.get("/me/practice/safety-plan/").status_code == 404
    assert client.post("/me/practice/safety-plan/not-safe/").status_code == 404
    assert not UnsafeReport.objects.exists()


def test_editor_saves_and_signs_through_the_pages(world: World, client_for: ClientFor) -> None:
    client = client_for(world.clinician)
    episode = _episode(world)
    response = client.post(f"/practice/episodes/{episode.public_id}/safety-plan/new/")
    plan = SafetyPlan.objects.get(episode=episode)
    editor = f"/practice/safety-plans/{plan.public_id}/"
    assert response["Location"] == editor
    bad = client.post(editor, {"warning_signs": "x" * 400})
    assert bad.status_code == 400
    assert "1. Warning signs" in bad.content.decode()
    client.post(editor, {"warning_signs": "Not sleeping", "professionals": "988"})
    client.post(
        f"/practice/safety-plans/{plan.public_id}/sign/",
        {"typed_name": world.clinician.name, "password": PASSWORD},
    )
    plan.refresh_from_db()
    assert plan.is_signed
    assert plan.sections["professionals"] == ["988"]


API = "/api/v1/practice"


def test_api_reads_versions_through_the_same_rules_as_pages(
    world: World, client_for: ClientFor
) -> None:
    signed = _signed_plan(world)
    do_start_safety_plan_version(world.clinician, _episode(world))
    episode = _episode(world)
    listed = client_for(world.clinician).get(f"{API}/episodes/{episode.public_id}/safety-plans")
    assert listed.status_code == 200
    body = listed.json()
    assert [p["version"] for p in body] == [2, 1]
    assert [p["status"] for p in body] == ["draft", "signed"]
    one = client_for(world.clinician).get(f"{API}/safety-plans/{signed.public_id}").json()
    warning = next(s for s in one["sections"] if s["key"] == "warning_signs")
    assert warning["items"] == ["Not sleeping", "Skipping group"]
    # The API is for staff: a participant's sign-in is refused outright (403).
    for persona, code in (
        ("front_desk", 404),
        ("other_clinician", 404),
        ("outsider", 404),
        ("participant", 403),
    ):
        client = client_for(world.personas[persona])
        assert client.get(f"{API}/safety-plans/{signed.public_id}").status_code == code, persona
        listed = client.get(f"{API}/episodes/{episode.public_id}/safety-plans")
        assert listed.status_code == code, persona
    assert Client().get(f"{API}/safety-plans/{signed.public_id}").status_code == 401


def test_summary_for_the_practice_tab(world: World) -> None:
    from trellis.practice.queries.safety import safety_plan_summary
    from trellis.privacy.access import access_participant

    _signed_plan(world)
    do_report_unsafe(world.participant_user, _episode(world), None)
    access = access_participant(world.clinician, world.participant.public_id, purpose="TREAT")
    summary = safety_plan_summary(access, _episode(world))
    assert summary is not None
    assert summary.current is not None
    assert summary.current.version == 1
    assert summary.last_unsafe is not None
    assert summary.has_draft is False


def _new_signed_version(world: World, text: str) -> None:
    plan = do_start_safety_plan_version(world.clinician, _episode(world))
    do_save_safety_plan(world.clinician, plan, {"warning_signs": text})
    do_sign_safety_plan(world.clinician, plan, typed_name=world.clinician.name, password=PASSWORD)


def test_versions_page_and_summary_cost_the_same_at_two_history_sizes(
    world: World, client_for: ClientFor, count_queries: CountQueries
) -> None:
    from trellis.practice.queries.safety import safety_plan_summary
    from trellis.privacy.access import access_participant

    client = client_for(world.clinician)
    url = f"/practice/episodes/{_episode(world).public_id}/safety-plan/"
    access = access_participant(world.clinician, world.participant.public_id, purpose="TREAT")
    _new_signed_version(world, "one")
    client.get(url)  # warm the session and caches
    with count_queries() as small_page:
        client.get(url)
    with count_queries() as small_summary:
        safety_plan_summary(access, _episode(world))
    for n in range(5):
        _new_signed_version(world, f"later {n}")
    with count_queries() as large_page:
        client.get(url)
    with count_queries() as large_summary:
        safety_plan_summary(access, _episode(world))
    assert small_page.count == large_page.count
    assert small_summary.count == large_summary.count
