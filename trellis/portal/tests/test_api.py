"""My progress through the API (GET /api/v1/me/progress): the page's data as JSON, by the
page's code; item 9 never; the caller's own only; and the document lists every participant
endpoint added for issue 13's API."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import timedelta

import pytest
from django.test import Client

from tests.personas import PASSWORD, World, org_today
from tests.queries import CountQueries
from trellis.accounts.actions import do_create_api_token
from trellis.accounts.models import User
from trellis.audit.models import Event, Outcome
from trellis.measures.models import Score
from trellis.measures.tests.factories import complete_checkin
from trellis.plans.tests.factory import GOAL_WORDS, signed_plan
from trellis.portal.tests.history import add_practice_history, add_score_history
from trellis.scheduling.actions import Mark, check_record_attendance
from trellis.scheduling.tests.factory import daily_group, enroll, slot

pytestmark = pytest.mark.django_db

URL = "/api/v1/me/progress"


def token_client(user: User) -> Client:
    _, secret = do_create_api_token(user, name="phone")
    return Client(HTTP_AUTHORIZATION=f"Bearer {secret}")


def test_scores_with_band_words_hours_practice_and_goals(world: World) -> None:
    today = org_today()
    first = complete_checkin(world.participant, 18, code="PHQ-9", item9=2)
    Score.objects.filter(response=first).update(observed_on=today - timedelta(days=14))
    complete_checkin(world.participant, 11, code="PHQ-9", item9=1)
    series = daily_group(world, dtstart=today - timedelta(days=20), minutes=90)
    enroll(series, world.participant, today - timedelta(days=20))
    episode = world.participant.episodes.get()
    check_record_attendance(
        world.clinician, slot(series, today - timedelta(days=1)), episode, Mark("present")
    )
    signed_plan(episode.care_team.get(is_primary=True).user, episode, PASSWORD)
    add_practice_history(world.participant, 2, today)
    response = token_client(world.participant_user).get(URL)
    assert response.status_code == 200, response.content
    data = response.json()
    phq = next(m for m in data["measures"] if m["code"] == "PHQ-9")
    assert [s["total"] for s in phq["scores"]] == [11, 18]  # newest first, as the table
    assert phq["scores"][0]["band"] == "Moderate"
    assert "A moderate amount of low mood (depression)" in phq["band_text"]
    assert "7 points lower than your first score" in phq["change_text"]
    assert [float(h) for h in data["hours_plan"]] == [9, 19]
    assert data["hours"][0]["current"] is True
    assert any(float(w["attended"]) == 1.5 for w in data["hours"])
    assert data["practice"]["any_assigned"] is True
    assert data["practice"]["weeks"]
    assert [g["words"] for g in data["goals"]] == [GOAL_WORDS]
    assert data["goals"][0]["status"] in {"reached", "working", "open"}


def test_the_self_harm_item_and_answers_are_never_sent(world: World) -> None:
    complete_checkin(world.participant, 12, code="PHQ-9", item9=3)
    body = token_client(world.participant_user).get(URL).content.decode()
    assert "item9" not in body.lower().replace(" ", "")
    assert "better off dead" not in body
    assert "Nearly every day" not in body
    assert "answers" not in body


def test_another_persons_data_is_never_sent(world: World) -> None:
    complete_checkin(world.other_participant, 19, code="PHQ-9")
    add_practice_history(world.other_participant, 3, org_today())
    data = token_client(world.participant_user).get(URL).json()
    assert all(m["scores"] == [] for m in data["measures"])
    assert data["practice"]["any_assigned"] is False
    assert data["goals"] == []


def test_the_record_is_opened_once_audited_as_the_participants_own_request(
    world: World,
) -> None:
    client = token_client(world.participant_user)
    before = Event.objects.filter(actor=world.participant_user, participant=world.participant,
                                  purpose="PATRQT").count()  # fmt: skip
    assert client.get(URL).status_code == 200
    after = Event.objects.filter(actor=world.participant_user, participant=world.participant,
                                 purpose="PATRQT").count()  # fmt: skip
    assert after == before + 1


@pytest.mark.parametrize("persona", ["director", "clinician", "front_desk", "outsider"])
def test_anyone_who_is_not_a_participant_gets_the_audited_404(world: World, persona: str) -> None:
    user = world.personas[persona]
    response = token_client(user).get(URL)
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}
    assert Event.objects.filter(actor=user, outcome=Outcome.DENIED).exists()


def test_signed_out_gets_401(db: None) -> None:
    assert Client().get(URL).status_code == 401


def test_the_queries_do_not_grow_with_a_year_of_history(
    world: World, client_for: Callable[[User], Client], count_queries: CountQueries
) -> None:
    today = org_today()
    client = token_client(world.participant_user)
    client.get(URL)
    add_practice_history(world.participant, 4, today)
    add_score_history(world.participant, 4, today, codes=("PHQ-9", "GAD-7"))
    with count_queries() as small:
        assert client.get(URL).status_code == 200
    add_practice_history(world.participant, 48, today - timedelta(weeks=4))
    add_score_history(world.participant, 48, today - timedelta(weeks=4), codes=("PHQ-9",))
    with count_queries() as large:
        assert client.get(URL).status_code == 200
    assert len(large) == len(small)


PARTICIPANT_PATHS = {
    "/api/v1/me/progress": {"get"},
    "/api/v1/me/sessions": {"get"},
    "/api/v1/me/sessions/{series_id}/{occurrence_date}/notice": {"put"},
    "/api/v1/transitions/me/track-request": {"get", "post"},
    "/api/v1/transitions/me/track-request/withdraw": {"post"},
    "/api/v1/notifications/me/preferences": {"get", "put"},
    "/api/v1/messaging/me/threads": {"get", "post"},
    "/api/v1/messaging/me/threads/{thread_id}": {"get"},
    "/api/v1/messaging/me/threads/{thread_id}/messages": {"post"},
    "/api/v1/messaging/inbox": {"get"},
    "/api/v1/messaging/threads/{thread_id}": {"get"},
    "/api/v1/messaging/threads/{thread_id}/messages": {"post"},
}


def test_the_document_lists_the_participant_endpoints_with_their_errors(db: None) -> None:
    document = json.loads(Client().get("/api/v1/openapi.json").content)
    paths = document["paths"]
    for path, methods in PARTICIPANT_PATHS.items():
        assert path in paths, path
        assert methods <= set(paths[path]), path
        for method in methods:
            responses = set(paths[path][method]["responses"])
            assert {"401", "404"} <= responses or {"401", "403"} <= responses, (path, method)
            if method in {"post", "put"}:
                assert "422" in responses, (path, method)
