"""A clinician corrects a stored check-in response from the Measures tab, with a reason; the
original stays on the record, shown as corrected."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from tests.personas import World
from trellis.accounts.models import User
from trellis.audit.models import Action, Event
from trellis.measures.actions import check_correct_response
from trellis.measures.models import Response, Score
from trellis.measures.registry import get_instrument
from trellis.measures.tests.factories import answers_for, complete_checkin

PHQ9 = get_instrument("PHQ-9")


def url(response: Response) -> str:
    return f"/measures/responses/{response.public_id}/correct/"


def test_the_reason_for_a_correction_is_kept_with_it(world: World) -> None:
    original = complete_checkin(world.participant, 14)
    correction = check_correct_response(
        world.clinician, original, answers_for(PHQ9, 9), reason="Item 3 read back wrongly"
    )
    correction.refresh_from_db()
    assert correction.correction_reason == "Item 3 read back wrongly"


def test_a_clinician_corrects_a_response_and_the_tab_shows_the_original_as_corrected(
    world: World, client_for: Callable[[User], Client]
) -> None:
    original = complete_checkin(world.participant, 14)
    client = client_for(world.clinician)
    page = client.get(url(original))
    assert page.status_code == 200
    posted = answers_for(PHQ9, 9) | {"reason": "Item 3 read back wrongly"}
    response = client.post(url(original), posted)
    assert response.status_code == 302
    correction = Response.objects.get(corrects=original)
    assert correction.submitted_by == world.clinician
    assert Score.objects.current().get(episode=original.episode).total == 9
    assert Response.objects.filter(pk=original.pk).exists()  # the original stays
    assert Score.objects.get(response=original).total == 14
    tab = client.get(f"/participants/{world.participant.public_id}/measures/").content.decode()
    assert "<del>14</del>" in tab
    assert "Item 3 read back wrongly" in tab
    event = Event.objects.get(action=Action.UPDATE, object_id=str(correction.public_id))
    assert "wrongly" not in str(event.detail)  # the reason is clinical: not in the trail


@pytest.mark.parametrize(
    ("drop", "reason", "message"),
    [(None, "  ", "Say why the response is corrected."), ("phq9-1", "typo", "answer every")],
)
def test_a_correction_without_a_reason_or_with_missing_answers_saves_nothing(
    world: World,
    client_for: Callable[[User], Client],
    drop: str | None,
    reason: str,
    message: str,
) -> None:
    original = complete_checkin(world.participant, 14)
    posted = answers_for(PHQ9, 9) | {"reason": reason}
    if drop:
        posted.pop(drop)
    response = client_for(world.clinician).post(url(original), posted)
    assert response.status_code == 422
    assert message in response.content.decode()
    assert not Response.objects.filter(corrects=original).exists()


def test_a_corrected_response_points_to_its_latest_version_instead_of_a_second_correction(
    world: World, client_for: Callable[[User], Client]
) -> None:
    original = complete_checkin(world.participant, 14)
    check_correct_response(world.clinician, original, answers_for(PHQ9, 9), reason="typo")
    client = client_for(world.clinician)
    page = client.get(url(original)).content.decode()
    assert "Correct the latest version" in page
    again = client.post(url(original), answers_for(PHQ9, 5) | {"reason": "again"})
    assert again.status_code == 422
    assert Response.objects.filter(corrects=original).count() == 1


@pytest.mark.parametrize("persona", ["other_clinician", "front_desk", "outsider"])
def test_staff_who_do_not_treat_the_participant_get_an_audited_404(
    world: World, client_for: Callable[[User], Client], persona: str
) -> None:
    original = complete_checkin(world.participant, 14)
    user = world.personas[persona]
    client = client_for(user)
    assert client.get(url(original)).status_code == 404
    posted = answers_for(PHQ9, 9) | {"reason": "x"}
    assert client.post(url(original), posted).status_code == 404
    assert Event.objects.filter(actor=user, action=Action.DENY).count() == 2
    assert not Response.objects.filter(corrects=original).exists()
