"""Completing a check-in: one-time link, sign-in, drafts, double taps, bad input,
corrections, and the item-9 alert (docs/domain.md §4)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from tests.personas import World, org_today
from trellis.accounts.models import User
from trellis.audit.models import Event
from trellis.measures.actions import check_correct_response, check_submit_response, do_issue_link
from trellis.measures.models import Administration, AdministrationStatus, Channel, Response, Score
from trellis.measures.registry import get_instrument
from trellis.measures.tests.factories import answers_for, complete_checkin, open_checkin
from trellis.worklist.actions import do_set_on_call
from trellis.worklist.models import Alert, AlertKind, Priority, RecipientReason

PHQ9 = get_instrument("PHQ-9")


def post_answers(client: Client, url: str, answers: dict[str, str], **extra: str) -> object:
    return client.post(url, answers | {"action": "submit"} | extra)


def test_a_participant_completes_a_phq9_through_a_one_time_link(world: World) -> None:
    administration = open_checkin(world.participant)
    token = do_issue_link(None, administration)
    client = Client()
    page = client.get(f"/measures/c/{token}/")
    assert page.status_code == 200
    body = page.content.decode()
    assert "988" in body
    assert "Little interest or pleasure" in body
    assert world.participant.family_name not in body  # a link shows a first name at most
    response = post_answers(client, f"/measures/c/{token}/", answers_for(PHQ9, 12))
    assert response.status_code == 302  # type: ignore[attr-defined]
    score = Score.objects.get(participant=world.participant)
    assert (score.total, score.band_code, score.instrument_version) == (12, "moderate", "1.0.0")
    administration.refresh_from_db()
    assert administration.status == AdministrationStatus.COMPLETED
    # One-time: the link is spent.
    assert client.get(f"/measures/c/{token}/").status_code == 404


def test_a_double_tap_stores_one_response(world: World) -> None:
    administration = open_checkin(world.participant)
    token = do_issue_link(None, administration)
    client = Client()
    key = "1b4e28ba-2fa1-11d2-883f-0016d3cca427"
    answers = answers_for(PHQ9, 9)
    first = post_answers(client, f"/measures/c/{token}/", answers, submission_key=key)
    assert first.status_code == 302  # type: ignore[attr-defined]
    # The second tap reaches the server after the first committed (the link is spent now),
    # and through the action with the same key it returns the first response.
    again = check_submit_response(
        None, administration, answers, channel=Channel.LINK, idempotency_key=key
    )
    assert Response.objects.count() == 1
    assert again.pk == Response.objects.get().pk


def test_a_draft_keeps_partial_answers_and_submission_needs_every_required_item(
    world: World,
) -> None:
    world.participant.user = world.participant_user
    client = Client()
    client.force_login(world.participant_user)
    administration = open_checkin(world.participant)
    url = f"/me/check-ins/{administration.public_id}/"
    assert client.get("/me/check-ins/").status_code == 200
    client.post(url, {"phq9-1": "LA6569-3", "action": "draft"})
    administration.refresh_from_db()
    assert administration.draft_answers == {"phq9-1": "LA6569-3"}
    assert administration.status == AdministrationStatus.IN_PROGRESS
    page = client.post(url, {"phq9-1": "LA6569-3", "action": "submit"})
    assert page.status_code == 422
    assert "This question needs an answer." in page.content.decode()
    assert Response.objects.count() == 0
    assert Score.objects.count() == 0


def test_saving_a_draft_is_audited_with_how_many_items_not_which_answers(world: World) -> None:
    client = Client()
    client.force_login(world.participant_user)
    administration = open_checkin(world.participant)
    client.post(
        f"/me/check-ins/{administration.public_id}/",
        {"phq9-1": "LA6569-3", "phq9-2": "LA6568-5", "action": "draft"},
    )
    event = Event.objects.get(
        object_type="measures.administration",
        object_id=str(administration.public_id),
        detail__draft=True,
    )
    assert event.participant == world.participant
    assert event.actor == world.participant_user
    assert event.purpose == "PATRQT"
    assert event.detail == {"draft": True, "answered": 2, "channel": Channel.PORTAL}
    assert "LA6569-3" not in str(event.detail)


@pytest.mark.parametrize(
    ("answers", "field"),
    [
        ({"phq9-1": "LA0000-0"}, "phq9-1"),  # unknown answer code
        ({"phq9-42": "LA6568-5"}, "phq9-42"),  # unknown item
        ({"phq9-1": "7"}, "phq9-1"),  # out of range
    ],
)
def test_bad_answers_are_refused_and_nothing_is_stored(
    world: World, answers: dict[str, str], field: str
) -> None:
    administration = open_checkin(world.participant)
    full = answers_for(PHQ9, 5) | answers
    with pytest.raises(ValidationError) as error:
        check_submit_response(None, administration, full, channel=Channel.PORTAL)
    assert field in error.value.message_dict
    assert Response.objects.count() == 0
    assert Alert.objects.count() == 0
    administration.refresh_from_db()
    assert administration.status == AdministrationStatus.DUE


def test_a_response_for_another_instrument_version_is_refused(world: World) -> None:
    administration = open_checkin(world.participant)
    with pytest.raises(ValidationError, match=r"not version 0\.9"):
        check_submit_response(
            None,
            administration,
            answers_for(PHQ9, 5),
            channel=Channel.API,
            instrument_version="0.9",
        )
    assert Response.objects.count() == 0


def test_an_expired_link_shows_a_clear_page_and_stores_nothing(world: World) -> None:
    administration = open_checkin(world.participant, due_on=org_today() - timedelta(days=5))
    token = do_issue_link(None, administration)
    page = Client().get(f"/measures/c/{token}/")
    assert page.status_code == 410
    assert "This check-in has closed" in page.content.decode()
    posted = Client().post(f"/measures/c/{token}/", answers_for(PHQ9, 5) | {"action": "submit"})
    assert posted.status_code == 410
    assert Response.objects.count() == 0


def test_a_mistyped_link_is_a_clear_404(db: None) -> None:
    page = Client().get("/measures/c/not-a-real-token/")
    assert page.status_code == 404
    assert "This link does not work" in page.content.decode()


def test_submitted_responses_never_change_and_corrections_are_linked_and_audited(
    world: World,
) -> None:
    original = complete_checkin(world.participant, 14)
    with pytest.raises(PermissionError):
        original.save()
    correction = check_correct_response(
        world.clinician, original, answers_for(PHQ9, 11), reason="Entered on the wrong line"
    )
    assert correction.corrects == original
    original.refresh_from_db()
    assert original.answers == answers_for(PHQ9, 14)
    assert [s.total for s in Score.objects.current()] == [11]
    assert Event.objects.filter(object_id=str(correction.public_id), action="update").exists()
    with pytest.raises(ValidationError):
        check_correct_response(world.clinician, original, answers_for(PHQ9, 10), reason="again")


def test_item_9_above_zero_raises_an_urgent_alert_to_primary_and_on_call(world: World) -> None:
    now = timezone.now()
    do_set_on_call(
        None,
        world.program,
        world.other_clinician,
        starts_at=now - timedelta(hours=1),
        ends_at=now + timedelta(hours=8),
    )
    response = complete_checkin(world.participant, 6, item9=1)
    alert = Alert.objects.get()
    assert (alert.kind, alert.priority) == (AlertKind.CRITICAL_ITEM, Priority.URGENT)
    assert alert.owner == world.clinician
    assert alert.source == f"measures.response:{response.public_id}"
    recipients = {(r.user, r.reason) for r in alert.recipients.all()}
    assert recipients == {
        (world.clinician, RecipientReason.PRIMARY),
        (world.other_clinician, RecipientReason.ON_CALL),
    }


def test_item_9_at_zero_raises_no_alert(world: World) -> None:
    complete_checkin(world.participant, 20, item9=0)
    assert not Alert.objects.filter(kind=AlertKind.CRITICAL_ITEM).exists()


def test_reliable_deterioration_raises_one_alert(world: World) -> None:
    complete_checkin(world.participant, 8, days_ago=14)
    complete_checkin(world.participant, 15, days_ago=7)
    complete_checkin(world.participant, 16)
    alerts = Alert.objects.filter(kind=AlertKind.RELIABLE_DETERIORATION)
    assert alerts.count() == 1
    assert alerts.get().priority == Priority.HIGH


def test_the_urgent_alert_is_on_the_clinicians_today_page_at_the_top(
    world: World, client_for: Callable[[User], Client]
) -> None:
    complete_checkin(world.participant, 6, item9=2)
    body = client_for(world.clinician).get("/").content.decode()
    assert "Alerts for you" in body
    assert "Item 9" in body
    assert body.index("Alerts for you") < body.index("Census you can see")
    assert "Alerts for you" not in client_for(world.other_clinician).get("/").content.decode()


def test_tablet_hand_over_signs_staff_out_until_they_reenter_their_password(
    world: World, client_for: Callable[[User], Client]
) -> None:
    from tests.personas import PASSWORD

    administration = open_checkin(world.participant)
    client = client_for(world.clinician)
    chart = f"/participants/{world.participant.public_id}/measures/"
    assert (
        client.post(f"/measures/administrations/{administration.public_id}/hand-over/").status_code
        == 302
    )
    assert client.get(chart).status_code == 302  # signed out: the chart is out of reach
    page = client.get("/measures/tablet/")
    assert page.status_code == 200
    assert "Little interest" in page.content.decode()
    assert world.participant.family_name not in page.content.decode()
    client.post("/measures/tablet/", answers_for(PHQ9, 4) | {"action": "submit"})
    assert Response.objects.get().channel == Channel.TABLET
    wrong = client.post("/measures/tablet/return/", {"password": "nope"})
    assert wrong.status_code == 422
    assert client.get(chart).status_code == 302
    back = client.post("/measures/tablet/return/", {"password": PASSWORD})
    assert back.status_code == 302
    assert client.get(chart).status_code == 200


def test_open_now_only_offers_checkins_inside_their_window(world: World) -> None:
    future = open_checkin(world.participant, due_on=org_today() + timedelta(days=2))
    assert not Administration.objects.open_now().filter(pk=future.pk).exists()


def test_today_records_whom_its_alerts_name(
    world: World, client_for: Callable[[User], Client]
) -> None:
    from trellis.audit.models import Event

    complete_checkin(world.participant, 6, item9=2)
    assert client_for(world.clinician).get("/").status_code == 200
    named = Event.objects.filter(actor=world.clinician, action="list", object_type="today")
    assert list(named.values_list("participant_id", flat=True)) == [world.participant.pk]
    # Nobody shown, nothing recorded: a Today page without alerts is not a list of people.
    assert client_for(world.other_clinician).get("/").status_code == 200
    assert not Event.objects.filter(actor=world.other_clinician, object_type="today").exists()
