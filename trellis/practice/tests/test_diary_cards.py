"""The diary card: writing a day's card (bad input, late entry, double submit), each default
risk rule raising exactly one urgent alert in the card's transaction, the alert on the primary
clinician's Today and its escalation, the crisis text at once, and who may read the cards."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client, override_settings
from django.utils import timezone

from tests.personas import World, org_today
from trellis.accounts.models import User
from trellis.practice.access import DiaryAccess, access_diary
from trellis.practice.actions.diary import check_submit_diary_card, do_configure_diary
from trellis.practice.models import DiaryCard
from trellis.worklist.actions import do_escalate_overdue_alerts
from trellis.worklist.models import Alert, AlertKind, Priority, RecipientReason

pytestmark = pytest.mark.django_db


def own(world: World) -> DiaryAccess:
    return access_diary(world.participant_user, world.participant.public_id)


def submit(world: World, answers: dict[str, Any], days_ago: int = 0, key: str | None = None) -> Any:
    return check_submit_diary_card(
        world.participant_user,
        own(world),
        card_on=org_today() - timedelta(days=days_ago),
        answers=answers,
        idempotency_key=key,
    )


def risk_alerts(world: World) -> list[Alert]:
    return list(Alert.objects.filter(participant=world.participant, kind=AlertKind.PRACTICE_RISK))


@pytest.mark.parametrize(
    ("answers", "title"),
    [
        ({"suicide_urge": "4"}, "Diary card: urge to kill myself 4 of 5"),
        ({"self_harm_urge": "5"}, "Diary card: urge to hurt myself 5 of 5"),
        ({"self_harm_act": "yes", "self_harm_act_amount": "1"}, "Diary card: hurt myself (yes)"),
    ],
)
def test_each_default_rule_raises_exactly_one_urgent_alert(
    world: World, answers: dict[str, str], title: str
) -> None:
    result = submit(world, answers, key="k1")
    again = submit(world, answers, key="k1")  # a retry from a flaky connection
    same_day = submit(world, answers, key="k2")  # a second card for the same day
    assert again.card == result.card == same_day.card
    assert DiaryCard.objects.filter(episode__participant=world.participant).count() == 1
    [alert] = risk_alerts(world)
    assert alert.priority == Priority.URGENT
    assert alert.title == title
    assert alert.source == f"practice.diary_card:{result.card.public_id}"
    assert alert.recipients.filter(user=world.clinician).exists()


def test_below_the_thresholds_raises_nothing_and_two_rules_raise_two(world: World) -> None:
    submit(world, {"suicide_urge": "3", "self_harm_urge": "3", "self_harm_act": "no"}, days_ago=1)
    assert risk_alerts(world) == []
    submit(world, {"suicide_urge": "4", "self_harm_urge": "4"})
    assert len(risk_alerts(world)) == 2


def test_a_programs_own_rules_replace_the_defaults(world: World) -> None:
    rows = [
        {"key": "self_harm_urge", "label": "Urge to hurt myself", "kind": "urge"},
        {"key": "used", "label": "Used", "kind": "action"},
    ]
    do_configure_diary(None, world.program, rows=rows, risk_rules=[{"row": "used", "any": True}])
    submit(world, {"self_harm_urge": "5"}, days_ago=1)
    assert risk_alerts(world) == []
    submit(world, {"used": "yes"})
    assert [a.title for a in risk_alerts(world)] == ["Diary card: used (yes)"]
    with pytest.raises(ValidationError) as bad:
        do_configure_diary(
            None, world.program, rows=rows, risk_rules=[{"row": "nope", "any": True}]
        )
    assert "risk_rules" in bad.value.message_dict


@pytest.mark.parametrize(
    ("answers", "days_ago", "field"),
    [
        ({"sadness": "6"}, 0, "sadness"),
        ({"skills": "8"}, 0, "skills"),
        ({"anger": "-1"}, 0, "anger"),
        ({"fear": "lots"}, 0, "fear"),
        ({"self_harm_act": "maybe"}, 0, "self_harm_act"),
        ({"used": "yes", "used_amount": "-2"}, 0, "used_amount"),
        ({"made_up_row": "3"}, 0, "made_up_row"),
        ({"sadness_amount": "3"}, 0, "sadness_amount"),
        ({"sadness": "2"}, -1, "card_on"),  # tomorrow
        ({"sadness": "2"}, 3, "card_on"),  # beyond the default 2-day window
    ],
)
def test_bad_input_names_the_field_and_stores_nothing(
    world: World, answers: dict[str, str], days_ago: int, field: str
) -> None:
    with pytest.raises(ValidationError) as error:
        submit(world, {**answers, "suicide_urge": "5"}, days_ago=days_ago)
    assert field in error.value.message_dict
    assert not DiaryCard.objects.exists()
    assert risk_alerts(world) == []  # the urge of 5 raised nothing: nothing was stored


def test_a_past_day_is_marked_late_and_keeps_its_own_date(world: World) -> None:
    result = submit(world, {"sadness": "2"}, days_ago=2)
    assert result.card.card_on == org_today() - timedelta(days=2)
    assert result.card.late_entered
    assert not submit(world, {"sadness": "2"}).card.late_entered


def test_values_and_note_are_encrypted_at_rest(world: World) -> None:
    from django.db import connection

    submit(world, {"sadness": "3", "note": "argued with my sister"})
    with connection.cursor() as cursor:
        cursor.execute('select "values", note from practice_diarycard')
        raw = " ".join(str(v) for v in cursor.fetchone())
    assert "sister" not in raw
    assert '"sadness"' not in raw


def test_the_alert_is_on_the_primary_clinicians_today(
    world: World, client_for: Callable[[User], Client]
) -> None:
    submit(world, {"self_harm_urge": "4"})
    page = client_for(world.clinician).get("/").content.decode()
    assert "Diary card: urge to hurt myself 4 of 5" in page


@override_settings(TRELLIS_ALERT_ESCALATION_MINUTES=120)
def test_unacknowledged_alert_escalates_even_after_a_worker_restart(world: World) -> None:
    submit(world, {"suicide_urge": "5"})
    [alert] = risk_alerts(world)
    # The first sweep runs before the delay; then the worker dies. Nothing is held in memory:
    # the sweep that runs after the restart reads the alert from the database and escalates it.
    assert do_escalate_overdue_alerts() == 0
    later = timezone.now() + timedelta(minutes=121)
    fresh = Alert.objects.get(pk=alert.pk)
    assert fresh.escalated_at is None
    assert do_escalate_overdue_alerts(now=later) == 1
    fresh.refresh_from_db()
    assert fresh.escalated_at is not None
    assert fresh.recipients.filter(user=world.director, reason=RecipientReason.ESCALATION).exists()
    assert do_escalate_overdue_alerts(now=later + timedelta(minutes=5)) == 0


def test_the_participant_sees_the_crisis_text_at_once(
    world: World, client_for: Callable[[User], Client]
) -> None:
    client = client_for(world.participant_user)
    form = client.get("/me/practice/diary/")
    assert form.status_code == 200
    assert 'role="alert"' not in form.content.decode()
    response = client.post(
        "/me/practice/diary/",
        {"card_on": org_today().isoformat(), "self_harm_urge": "4", "idempotency_key": "x1"},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert 'role="alert"' in page
    assert "988" in page
    assert "Your care team has been told" in page
    # The double submit from a flaky connection: one card, one alert, the crisis text again.
    again = client.post(
        "/me/practice/diary/",
        {"card_on": org_today().isoformat(), "self_harm_urge": "4", "idempotency_key": "x1"},
    )
    assert 'role="alert"' in again.content.decode()
    assert DiaryCard.objects.count() == 1
    assert len(risk_alerts(world)) == 1


def test_the_participant_page_shows_bad_input_with_the_field(
    world: World, client_for: Callable[[User], Client]
) -> None:
    client = client_for(world.participant_user)
    response = client.post(
        "/me/practice/diary/", {"card_on": org_today().isoformat(), "sadness": "9"}
    )
    assert response.status_code == 400
    assert "sadness: Choose a whole number from 0 to 5." in response.content.decode()
    tomorrow = (org_today() + timedelta(days=1)).isoformat()
    response = client.post("/me/practice/diary/", {"card_on": tomorrow, "sadness": "1"})
    assert response.status_code == 400
    assert "card_on" in response.content.decode()
    assert not DiaryCard.objects.exists()


def test_the_week_shows_missing_days_as_missing_never_zero(
    world: World, client_for: Callable[[User], Client]
) -> None:
    submit(world, {"sadness": "0", "self_harm_act": "no"}, days_ago=1)
    page = client_for(world.clinician).get(f"/practice/diary/{world.participant.public_id}/")
    html = page.content.decode()
    assert page.status_code == 200
    assert 'class="diary-level-0">0<' in html  # the answered zero
    assert 'data-missing="1"' in html  # the unanswered days


@pytest.mark.parametrize("persona", ["front_desk", "outsider", "other_clinician", "intake"])
def test_who_may_not_read_the_diary(
    world: World, client_for: Callable[[User], Client], persona: str
) -> None:
    submit(world, {"sadness": "2"})
    url = f"/practice/diary/{world.participant.public_id}/"
    assert client_for(world.personas[persona]).get(url).status_code == 404


def test_staff_have_no_own_diary_page(world: World, client_for: Callable[[User], Client]) -> None:
    assert client_for(world.clinician).get("/me/practice/diary/").status_code == 404


def test_the_week_view_has_the_same_query_count_at_two_history_sizes(
    world: World, client_for: Callable[[User], Client], count_queries: Any
) -> None:
    from trellis.practice.models.diary import DiaryCard as Card

    client = client_for(world.clinician)
    url = f"/practice/diary/{world.participant.public_id}/"
    episode = world.participant.episodes.get()
    submit(world, {"sadness": "2"})
    client.get(url)
    with count_queries() as small:
        client.get(url)
    today = org_today()
    Card.objects.bulk_create(
        Card(
            participant=world.participant,
            episode=episode,
            card_on=today - timedelta(days=n),
            values={"sadness": n % 6, "self_harm_urge": n % 4},
            rows=[],
        )
        for n in range(1, 120)
    )
    with count_queries() as large:
        client.get(url)
    assert small.count == large.count


def test_the_api_writes_and_reads_cards_through_the_access_spine(
    world: World, client_for: Callable[[User], Client]
) -> None:
    url = f"/api/v1/practice/participants/{world.participant.public_id}/diary-cards"
    assert client_for(world.participant_user).get(url).status_code == 403  # the API is for staff
    participant = client_for(world.clinician)  # the care team writes a card given on paper
    body = {"card_on": org_today().isoformat(), "answers": {"self_harm_urge": 4, "joy": 1}}
    created = participant.post(url, body, content_type="application/json", HTTP_IDEMPOTENCY_KEY="a")
    assert created.status_code == 201, created.content
    assert created.json()["risk_raised"] is True
    retry = participant.post(url, body, content_type="application/json", HTTP_IDEMPOTENCY_KEY="a")
    assert retry.status_code == 200
    assert len(risk_alerts(world)) == 1
    bad = participant.post(
        url,
        {"card_on": org_today().isoformat(), "answers": {"joy": 9}},
        content_type="application/json",
    )
    assert bad.status_code == 422
    assert bad.json()["detail"][0]["field"] == "joy"
    cards = client_for(world.director).get(url).json()
    assert [c["values"]["self_harm_urge"] for c in cards] == [4]
    assert client_for(world.front_desk).get(url).status_code == 404
    assert client_for(world.other_clinician).get(url).status_code == 404
