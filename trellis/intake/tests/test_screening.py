"""Screening: the battery by one-time link or with staff, the ASQ and its urgent alert before
admission, status moves, and who sees the answers."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.personas import World
from trellis.accounts.models import User
from trellis.audit.models import Action, Event
from trellis.intake.actions import check_create_inquiry, check_start_screening
from trellis.intake.models import (
    EventKind,
    InquiryStatus,
    Screening,
    ScreeningChannel,
)
from trellis.intake.queries import battery
from trellis.intake.tests.screening_helpers import answers_for, complete, screened_inquiry
from trellis.intake.tests.test_inquiries import details
from trellis.measures.models import AdministrationStatus, Channel, Response
from trellis.measures.scoring import bundled, check_complete, score
from trellis.participants.models import EpisodeStatus
from trellis.worklist.actions import do_set_on_call
from trellis.worklist.models import Alert, AlertRecipient, Priority, RecipientReason

pytestmark = pytest.mark.django_db

NO = answers_for("ASQ", 0)


# --- the ASQ's own rules ------------------------------------------------------------------


def test_asq_all_no_is_negative_and_not_critical() -> None:
    result = score(bundled()["ASQ"], NO)
    assert result.band is not None
    assert result.band.code == "negative"
    assert result.critical == ()


def test_asq_any_yes_to_items_1_to_4_asks_item_5_then_is_a_non_acute_positive() -> None:
    asq = bundled()["ASQ"]
    answers = NO | {"asq-3": "asq-3-yes"}
    with pytest.raises(ValueError, match="asq-5"):
        check_complete(asq, answers)  # item 5 (acuity) must be asked after a yes
    result = score(asq, answers | {"asq-5": "asq-5-no"})
    assert result.band is not None
    assert result.band.code == "non-acute-positive"
    assert [(r.priority, r.items) for r in result.critical] == [("urgent", ("asq-3",))]


def test_asq_yes_to_item_5_is_acute_whatever_the_count() -> None:
    result = score(bundled()["ASQ"], NO | {"asq-1": "asq-1-yes", "asq-5": "asq-5-yes"})
    assert result.band is not None
    assert result.band.code == "acute-positive"
    (rule,) = result.critical
    assert rule.priority == Priority.URGENT
    assert "act now" in rule.label.lower()
    assert "911" in rule.detail
    assert "988" in rule.detail


def test_asq_declining_to_answer_counts_as_positive_as_the_asq_instructs() -> None:
    result = score(bundled()["ASQ"], NO | {"asq-2": "asq-2-declined", "asq-5": "asq-5-no"})
    assert result.band is not None
    assert result.band.code == "non-acute-positive"


def test_asq_is_bundled_with_its_licence_and_no_unverified_loinc() -> None:
    asq = bundled()["ASQ"]
    assert "NIMH" in asq.copyright
    assert asq.panel_code == ""
    assert asq.total_code == ""


# --- sending the battery --------------------------------------------------------------------


def test_sending_a_link_opens_the_record_creates_the_battery_and_emails_no_health_information(
    world: World,
) -> None:
    inquiry, screening, token = screened_inquiry(world)
    assert inquiry.status == InquiryStatus.SCREENING
    assert inquiry.episode is not None
    assert inquiry.episode.status == EpisodeStatus.PLANNED
    assert [a.instrument_code for a in battery(screening)] == ["PHQ-9", "GAD-7", "AUDIT-C", "ASQ"]
    assert screening.link_token_hash
    assert token not in screening.link_token_hash
    (message,) = mail.outbox
    assert message.subject == "Riverbend Health asked you to complete a short questionnaire"
    assert f"/intake/s/{token}/" in message.body
    for word in ("PHQ", "suicide", "depress", "alcohol", "Mental Health", "Sam"):
        assert word.lower() not in (message.subject + message.body).lower()
    assert inquiry.events.filter(kind=EventKind.SCREENING).exists()


def test_a_link_needs_an_email_address_and_a_refusal_writes_nothing(world: World) -> None:
    inquiry = check_create_inquiry(world.intake, world.program, details())
    with pytest.raises(ValidationError) as error:
        check_start_screening(world.intake, inquiry, channel=ScreeningChannel.LINK)
    assert "email" in error.value.message_dict
    inquiry.refresh_from_db()
    assert inquiry.participant is None
    assert not Screening.objects.exists()


def test_screen_now_without_a_date_of_birth_is_refused_naming_the_field(world: World) -> None:
    inquiry = check_create_inquiry(world.intake, world.program, details())
    with pytest.raises(ValidationError) as error:
        check_start_screening(world.intake, inquiry, channel=ScreeningChannel.STAFF)
    assert "date_of_birth" in error.value.message_dict
    assert not Screening.objects.exists()


def test_completing_the_battery_moves_the_inquiry_to_decision(world: World) -> None:
    inquiry, screening, _ = screened_inquiry(world)
    complete(screening)
    from trellis.intake.actions import do_note_screening_progress

    assert do_note_screening_progress(None, screening)
    inquiry.refresh_from_db()
    assert inquiry.status == InquiryStatus.DECISION
    assert inquiry.events.filter(kind=EventKind.STATUS, to_status="decision").exists()
    screening.refresh_from_db()
    assert screening.completed_at is not None
    assert screening.link_token_hash == ""


# --- the one-time link ----------------------------------------------------------------------


def _walk_link(client: Client, token: str, asq: dict[str, str] | None = None) -> None:
    url = reverse("intake:battery", kwargs={"token": token})
    for code, value in (("PHQ-9", 2), ("GAD-7", 2), ("AUDIT-C", 0)):
        response = client.post(url, answers_for(code, value))
        assert response.status_code == 302, code
    response = client.post(url, asq or NO)
    assert response.status_code == 302


def test_the_link_walks_through_every_questionnaire_then_is_spent(world: World) -> None:
    inquiry, _screening, token = screened_inquiry(world)
    client = Client()
    url = reverse("intake:battery", kwargs={"token": token})
    first = client.get(url)
    assert first.status_code == 200
    assert "questionnaire 1 of 4" in first.content.decode()
    _walk_link(client, token)
    inquiry.refresh_from_db()
    assert inquiry.status == InquiryStatus.DECISION
    assert set(Response.objects.values_list("channel", flat=True)) == {Channel.LINK}
    again = client.get(url)
    assert again.status_code == 404
    assert "does not work" in again.content.decode()
    assert "Sam" not in again.content.decode()


def test_the_asq_link_asks_item_5_only_after_a_yes(world: World) -> None:
    _, screening, token = screened_inquiry(world)
    complete_three = [a for a in battery(screening) if a.instrument_code != "ASQ"]
    from trellis.measures.actions import check_submit_response

    for administration in complete_three:
        check_submit_response(
            None, administration, answers_for(administration.instrument_code, 0), channel="link"
        )
    client = Client()
    url = reverse("intake:battery", kwargs={"token": token})
    page = client.get(url).content.decode()
    item_5 = "thoughts of killing yourself right now"
    assert item_5 not in page  # item 5 hidden at first
    asked = client.post(url, NO | {"asq-1": "asq-1-yes"})
    assert asked.status_code == 200
    assert item_5 in asked.content.decode()
    assert not Response.objects.filter(instrument_code="ASQ").exists()
    done = client.post(url, NO | {"asq-1": "asq-1-yes", "asq-5": "asq-5-no"})
    assert done.status_code == 302


def test_an_expired_link_gets_a_clear_page_and_nothing_is_written(world: World) -> None:
    _, screening, token = screened_inquiry(world)
    Screening.objects.filter(pk=screening.pk).update(
        expires_at=timezone.now() - timedelta(minutes=1)
    )
    before = Event.objects.count()
    response = Client().post(
        reverse("intake:battery", kwargs={"token": token}), answers_for("PHQ-9", 3)
    )
    assert response.status_code == 410
    body = response.content.decode()
    assert "expired" in body
    assert "Sam" not in body
    assert "PHQ" not in body
    assert not Response.objects.exists()
    assert Event.objects.count() == before


def test_a_wrong_token_reveals_nothing_and_writes_nothing(world: World) -> None:
    screened_inquiry(world)
    before = Event.objects.count()
    response = Client().post(
        reverse("intake:battery", kwargs={"token": "not-the-token"}), answers_for("PHQ-9", 3)
    )
    assert response.status_code == 404
    assert "Sam" not in response.content.decode()
    assert not Response.objects.exists()
    assert Event.objects.count() == before


def test_a_new_link_replaces_the_old_one(world: World) -> None:
    inquiry, _, old = screened_inquiry(world)
    check_start_screening(world.intake, inquiry, channel=ScreeningChannel.LINK)
    assert Client().get(reverse("intake:battery", kwargs={"token": old})).status_code == 404


# --- the urgent alert before admission -------------------------------------------------------


def test_a_positive_risk_screen_alerts_the_on_call_clinician_before_any_admission(
    world: World,
) -> None:
    now = timezone.now()
    do_set_on_call(
        None, world.program, world.clinician, starts_at=now - timedelta(hours=1),
        ends_at=now + timedelta(hours=8),
    )  # fmt: skip
    inquiry, _, token = screened_inquiry(world)
    _walk_link(Client(), token, NO | {"asq-4": "asq-4-yes", "asq-5": "asq-5-no"})
    alert = Alert.objects.get(kind="critical_item", title__startswith="ASQ")
    assert alert.episode == inquiry.episode
    assert alert.episode is not None
    assert alert.episode.status == EpisodeStatus.PLANNED
    assert alert.priority == Priority.URGENT
    assert "non-acute" in alert.title
    assert AlertRecipient.objects.filter(
        alert=alert, user=world.clinician, reason=RecipientReason.ON_CALL
    ).exists()


def test_an_acute_positive_without_anyone_on_call_reaches_the_director_at_once(
    world: World,
) -> None:
    _, _, token = screened_inquiry(world)
    _walk_link(Client(), token, NO | {"asq-1": "asq-1-yes", "asq-5": "asq-5-yes"})
    (alert,) = Alert.objects.filter(kind="critical_item", title__startswith="ASQ")
    assert alert.priority == Priority.URGENT
    assert "act now" in alert.title.lower()
    assert "911" in alert.detail
    assert AlertRecipient.objects.filter(alert=alert, user=world.director).exists()


# --- screen now, with staff -----------------------------------------------------------------


def test_screen_now_records_the_answers_as_entered_by_staff(
    world: World, client_for: Callable[[User], Client]
) -> None:
    inquiry = check_create_inquiry(world.intake, world.program, details())
    client = client_for(world.intake)
    url = reverse("intake:screening", kwargs={"inquiry_id": inquiry.public_id})
    response = client.post(url, {"action": "now", "mrn": "S-2001", "date_of_birth": "1991-05-06"})
    enter = reverse("intake:screen-now", kwargs={"inquiry_id": inquiry.public_id})
    assert response.status_code == 302
    assert response["Location"] == enter
    assert not mail.outbox
    for code in ("PHQ-9", "GAD-7", "AUDIT-C"):
        assert client.post(enter, answers_for(code, 1)).status_code == 302
    assert client.post(enter, NO).status_code == 302
    inquiry.refresh_from_db()
    assert inquiry.status == InquiryStatus.DECISION
    responses = Response.objects.all()
    assert {r.channel for r in responses} == {Channel.STAFF}
    assert {r.submitted_by for r in responses} == {world.intake}


# --- who sees what ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("director", 200),
        ("intake", 200),
        ("clinician", 200),  # a clinician of the program reviews and decides
        ("front_desk", 404),
        ("outsider", 404),
        ("participant_user", 404),
    ],
)
def test_who_sees_the_screening_page(
    world: World, client_for: Callable[[User], Client], persona: str, status: int
) -> None:
    inquiry, screening, _ = screened_inquiry(world)
    complete(screening, phq9=3)
    url = reverse("intake:screening", kwargs={"inquiry_id": inquiry.public_id})
    response = client_for(getattr(world, persona)).get(url)
    assert response.status_code in ((status,) if status == 200 else (404, 403, 302))
    if status != 200:
        assert "Severe" not in response.content.decode()
        if persona == "front_desk":
            assert Event.objects.filter(
                action=Action.DENY, object_id=str(inquiry.public_id), actor=world.front_desk
            ).exists()


def test_front_desk_cannot_start_a_screening_or_enter_answers(
    world: World, client_for: Callable[[User], Client]
) -> None:
    inquiry, screening, _ = screened_inquiry(world)
    client = client_for(world.front_desk)
    kwargs = {"inquiry_id": inquiry.public_id}
    assert (
        client.post(reverse("intake:screening", kwargs=kwargs), {"action": "link"}).status_code
        == 404
    )
    assert client.get(reverse("intake:screen-now", kwargs=kwargs)).status_code == 404
    assert Screening.objects.count() == 1
    assert all(a.status == AdministrationStatus.DUE for a in battery(screening))


def test_a_clinician_cannot_start_a_screening(
    world: World, client_for: Callable[[User], Client]
) -> None:
    inquiry = check_create_inquiry(world.intake, world.program, details(email="s@example.org"))
    url = reverse("intake:screening", kwargs={"inquiry_id": inquiry.public_id})
    response = client_for(world.clinician).post(
        url, {"action": "link", "date_of_birth": "1990-01-01"}
    )
    assert response.status_code == 404
    assert not Screening.objects.exists()


def test_the_screening_page_shows_scores_bands_and_the_risk_flag_in_few_queries(
    world: World, client_for: Callable[[User], Client], count_queries: Callable[..., object]
) -> None:
    inquiry, screening, _ = screened_inquiry(world)
    complete(screening, phq9=2, asq=NO | {"asq-2": "asq-2-yes", "asq-5": "asq-5-no"})
    client = client_for(world.director)
    url = reverse("intake:screening", kwargs={"inquiry_id": inquiry.public_id})
    body = client.get(url).content.decode()
    assert "Moderately severe" in body or "moderately severe" in body.lower()
    assert "Positive suicide-risk screen (non-acute)" in body
    assert "better off if you were dead" in body  # the critical answer, shown
    assert "Recommended level of care" in body
