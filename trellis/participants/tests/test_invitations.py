"""Participants' own accounts by invitation (docs/portal.md, "Accounts"): the lifecycle, the
messages, the invitee's page and who may invite."""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterator
from datetime import timedelta
from typing import Any
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections
from django.test import Client, override_settings
from django.utils import timezone

from tests.personas import World, build_world, make_participant
from trellis.accounts.middleware import SESSION_KEY as IDLE_KEY
from trellis.accounts.models import User
from trellis.audit.models import Action, Event
from trellis.lib import sms
from trellis.participants.access import access_invitation
from trellis.participants.actions import (
    InvitationClosed,
    check_accept_invitation,
    check_invite,
    check_resend_invitation,
    check_revoke_invitation,
    do_accept_invitation,
    do_discharge,
    do_open_episode,
)
from trellis.participants.models import (
    DischargeReason,
    EpisodeStatus,
    Invitation,
    InvitationEnd,
    Participant,
)
from trellis.participants.queries import portal_account

NEW_PASSWORD = "lantern orchard pebble river"
# Words that would tell a reader of the message what kind of care this is, or by whom.
CLINICAL_WORDS = (
    "mental", "health iop", "iop", "substance", "therapy", "therapist", "treatment",
    "clinic", "diagnos", "counsel", "psychiat", "morgan", "casey", "program", "dbt",
)  # fmt: skip


@pytest.fixture(autouse=True)
def texts() -> Iterator[list[sms.TextMessage]]:
    sms.outbox.clear()
    yield sms.outbox
    sms.outbox.clear()


def link_of(text: str) -> str:
    found = re.search(r"http://[^\s)]+/invite/[^\s/)]+/", text)
    assert found, text
    return found.group(0)


def invite(world: World, **addresses: str) -> tuple[Invitation, str]:
    addresses = addresses or {"email": world.other_participant.email, "phone": ""}
    return check_invite(
        world.other_clinician,
        world.other_participant,
        email=addresses.get("email", ""),
        phone=addresses.get("phone", ""),
    )


# -- the lifecycle ---------------------------------------------------------------------------


def test_an_invitation_emails_and_texts_a_one_time_link_and_stores_only_its_digest(
    world: World, mailoutbox: list[Any], texts: list[sms.TextMessage]
) -> None:
    invitation, token = invite(world, email="rowan@example.test", phone="503-555-0142")
    assert len(mailoutbox) == 1
    assert len(texts) == 1
    mail, text = mailoutbox[0], texts[0]
    assert mail.to == ["rowan@example.test"]
    assert text.to == "503-555-0142"
    assert link_of(mail.body) == link_of(text.body) == f"http://127.0.0.1:8000/invite/{token}/"
    assert "Riverbend Health (test)" in mail.subject
    assert "your care team at" in text.body.lower()
    # The token itself is nowhere in the database: not in the row, not in the audit trail.
    assert invitation.token_digest != token
    assert len(invitation.token_digest) == 64
    with connection.cursor() as cursor:
        cursor.execute("SELECT detail, object_id FROM audit_event")
        assert all(token not in str(row) for row in cursor.fetchall())
    created = Event.objects.get(object_id=str(invitation.public_id), action=Action.CREATE)
    assert created.actor == world.other_clinician
    assert created.detail["channels"] == ["email", "text"]
    # The default life is 72 hours.
    assert invitation.expires_at - invitation.created_at == timedelta(hours=72)


def test_messages_say_nothing_clinical(
    world: World, mailoutbox: list[Any], texts: list[sms.TextMessage]
) -> None:
    invite(world, email="rowan@example.test", phone="503-555-0142")
    for message in (mailoutbox[0].subject, mailoutbox[0].body, texts[0].body):
        lowered = message.lower()
        assert [w for w in CLINICAL_WORDS if w in lowered] == [], message
        assert "Thistledown" not in message
        assert "MRN" not in message
    assert len(texts[0].body) <= 320  # two SMS segments at most


def test_accepting_signs_the_person_in_once_and_the_link_is_spent(
    world: World, mailoutbox: list[Any]
) -> None:
    _, token = invite(world)
    client = Client()
    page = client.get(f"/invite/{token}/")
    assert page.status_code == 200
    body = page.content.decode()
    assert "Hello, Rowan" in body
    assert "Morgan Morning" in body
    assert "Riverbend Health" in body
    assert "no-store" in page["Cache-Control"]
    assert page["Referrer-Policy"] == "strict-origin"
    viewed = Event.objects.get(action=Action.VIEW, object_type="participants.invitation")
    assert viewed.actor is None
    assert viewed.actor_label == "invitee (one-time link)"
    assert viewed.participant_id == world.other_participant.pk
    posted = client.post(
        f"/invite/{token}/",
        {"username": "rowan.t", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert posted.status_code == 302
    assert posted["Location"] == "/"
    participant = Participant.objects.get(pk=world.other_participant.pk)
    user = User.objects.get(username="rowan.t")
    assert participant.user == user
    assert user.is_active
    assert user.check_password(NEW_PASSWORD)
    assert not hasattr(user, "staff_profile")
    assert client.get("/me/record/").status_code == 200  # signed in as themself
    assert Event.objects.filter(actor=user, action=Action.SIGN_IN).exists()
    # The link is spent: any browser gets the one closed page, and nothing changes.
    again = Client().post(
        f"/invite/{token}/",
        {"username": "rowan.2", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert again.status_code == 410
    assert "This link has expired or was already used" in again.content.decode()
    assert "no-store" in again["Cache-Control"]
    assert again["Referrer-Policy"] == "strict-origin"
    assert not User.objects.filter(username="rowan.2").exists()
    # The new sign-in works through the ordinary (throttled) sign-in form.
    signed = Client().post("/accounts/sign-in/", {"username": "rowan.t", "password": NEW_PASSWORD})
    assert signed.status_code == 302


def test_a_second_acceptance_of_the_same_invitation_is_refused_even_when_stale(
    world: World,
) -> None:
    invitation, token = invite(world)
    stale = access_invitation(token)
    do_accept_invitation(invitation, username="rowan.t", password=NEW_PASSWORD)
    # The other tab still holds the invitation it loaded before: the conditional update stops it.
    with pytest.raises(InvitationClosed):
        do_accept_invitation(stale, username="rowan.other", password=NEW_PASSWORD)
    with pytest.raises(InvitationClosed):
        access_invitation(token)
    with pytest.raises(InvitationClosed):
        check_accept_invitation(stale, username="rowan.3", password=NEW_PASSWORD)
    assert User.objects.filter(participant=world.other_participant).count() == 1


def test_resend_replaces_the_link_and_the_old_one_stops_working(
    world: World, mailoutbox: list[Any]
) -> None:
    first, old_token = invite(world)
    second, new_token = check_resend_invitation(world.other_clinician, first)
    assert len(mailoutbox) == 2
    assert new_token != old_token
    first.refresh_from_db()
    assert first.end_reason == InvitationEnd.REPLACED
    assert first.revoked_by == world.other_clinician
    assert Client().get(f"/invite/{old_token}/").status_code == 410
    assert Client().get(f"/invite/{new_token}/").status_code == 200
    assert second.email == first.email
    # A new invitation replaces an open one as well: never two open at once.
    third, _ = invite(world)
    assert list(
        Invitation.objects.filter(
            participant=world.other_participant, accepted_at=None, revoked_at=None
        )
    ) == [third]


def test_a_revoked_link_stops_working(world: World) -> None:
    invitation, token = invite(world)
    check_revoke_invitation(world.other_clinician, invitation)
    assert Client().get(f"/invite/{token}/").status_code == 410
    with pytest.raises(ValidationError) as refused:
        check_revoke_invitation(world.other_clinician, invitation)
    assert "invitation" in refused.value.message_dict
    with pytest.raises(ValidationError):
        check_resend_invitation(world.other_clinician, invitation)


def test_the_link_expires_at_the_boundary(world: World) -> None:
    invitation, token = invite(world)
    # The organization's clock is an instant: 72 hours later, to the microsecond.
    just_before = invitation.expires_at - timedelta(microseconds=1)
    with mock.patch("django.utils.timezone.now", return_value=just_before):
        assert Client().get(f"/invite/{token}/").status_code == 200
    with mock.patch("django.utils.timezone.now", return_value=invitation.expires_at):
        assert Client().get(f"/invite/{token}/").status_code == 410
        with pytest.raises(InvitationClosed):
            do_accept_invitation(invitation, username="late.rowan", password=NEW_PASSWORD)
    assert world.organization.now().tzinfo is not None


@override_settings(TRELLIS_INVITATION_HOURS=1)
def test_the_life_of_a_link_is_a_setting(world: World) -> None:
    invitation, _ = invite(world)
    assert invitation.expires_at - invitation.created_at == timedelta(hours=1)


def test_the_invitee_page_carries_the_crisis_line_of_their_program(world: World) -> None:
    world.program.crisis_phone = "503-555-0199"
    world.program.save(update_fields=["crisis_phone"])
    _, token = invite(world)
    body = Client().get(f"/invite/{token}/").content.decode()
    assert 'href="tel:988"' in body
    assert "503-555-0199" in body
    assert world.program.name not in body


def test_unknown_and_malformed_tokens_get_the_closed_page(world: World) -> None:
    for token in ("nope", "x" * 300, "%00", "set-password"):
        response = Client().get(f"/invite/{token}/")
        assert response.status_code in (400, 410), token


# -- bad input -----------------------------------------------------------------------------


def test_a_participant_with_an_active_account_is_not_invited_again(
    world: World, mailoutbox: list[Any]
) -> None:
    with pytest.raises(ValidationError) as refused:
        check_invite(world.clinician, world.participant, email="pat@example.test", phone="")
    assert "already has an active account" in refused.value.message_dict["account"][0]
    assert not Invitation.objects.exists()
    assert mailoutbox == []


@pytest.mark.parametrize(
    ("email", "phone", "field"),
    [
        ("", "", "email"),
        ("not-an-email", "", "email"),
        ("", "12", "phone"),
        ("", "503\n555 0142", "phone"),
    ],
)
def test_bad_addresses_are_named_and_nothing_is_stored(
    world: World, mailoutbox: list[Any], email: str, phone: str, field: str
) -> None:
    with pytest.raises(ValidationError) as refused:
        invite(world, email=email, phone=phone)
    assert field in refused.value.message_dict
    assert not Invitation.objects.exists()
    assert mailoutbox == []


@override_settings(TRELLIS_SMS_BACKEND="trellis.lib.sms.DisabledBackend")
def test_texting_is_refused_when_no_sender_is_set_up(world: World) -> None:
    with pytest.raises(ValidationError) as refused:
        invite(world, email="", phone="503-555-0142")
    assert "not set up" in refused.value.message_dict["phone"][0]
    assert not Invitation.objects.exists()


def test_a_message_that_cannot_be_sent_leaves_nothing_behind(world: World) -> None:
    with (
        mock.patch(
            "trellis.participants.actions.invitations.send_mail", side_effect=OSError("down")
        ),
        pytest.raises(ValidationError) as refused,
    ):
        invite(world)
    assert "could not be sent" in refused.value.message_dict["email"][0]
    assert not Invitation.objects.exists()
    assert not Event.objects.filter(object_type="participants.invitation").exists()


def test_weak_passwords_and_taken_usernames_are_named_and_the_link_still_works(
    world: World,
) -> None:
    _, token = invite(world)
    client = Client()
    for data, field in (
        ({"username": "rowan.t", "password1": "short", "password2": "short"}, "password1"),
        ({"username": "rowan.t", "password1": "Thistledown1990", "password2": "x"}, "password2"),
        ({"username": "pat.participant", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
         "username"),
        ({"username": "bad name!", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
         "username"),
    ):  # fmt: skip
        response = client.post(f"/invite/{token}/", data)
        assert response.status_code == 422, data
        assert field in response.context["form"].errors, (data, response.context["form"].errors)
    assert Participant.objects.get(pk=world.other_participant.pk).user is None
    assert client.get(f"/invite/{token}/").status_code == 200


def test_an_idle_session_ends_without_carrying_the_token_to_the_sign_in_page(
    world: World, client_for: Callable[[User], Client]
) -> None:
    _, token = invite(world)
    client = client_for(world.clinician)
    session = client.session
    session[IDLE_KEY] = 0.0  # idle since 1970
    session.save()
    response = client.get(f"/invite/{token}/")
    assert response.status_code == 200  # the invitee's page, signed out
    assert "Hello, Rowan" in response.content.decode()


def test_someone_signed_in_is_asked_to_sign_out_and_the_link_is_not_spent(
    world: World, client_for: Callable[[User], Client]
) -> None:
    _, token = invite(world)
    response = client_for(world.clinician).get(f"/invite/{token}/")
    assert response.status_code == 200
    assert "already signed in" in response.content.decode()
    assert access_invitation(token).accepted_at is None


# -- discharge and readmission --------------------------------------------------------------


def test_a_discharged_participant_keeps_signing_in_as_alumni(
    world: World, client_for: Callable[[User], Client], mailoutbox: list[Any]
) -> None:
    participant, user = world.participant, world.participant_user
    client = client_for(user)
    do_discharge(
        world.clinician,
        participant.episodes.get(),
        discharged_on=world.organization.today(),
        reason=DischargeReason.COMPLETED,
    )
    user.refresh_from_db()
    assert user.is_active
    assert client.get("/me/record/").status_code == 200  # their own record stays
    assert portal_account(participant, timezone.now()).status == "alumni"
    page = client_for(world.director).get(tab(participant)).content.decode()
    assert 'data-portal-status="alumni"' in page
    # Readmitted: the same sign-in simply goes on; nobody invites them twice.
    do_open_episode(
        None,
        participant,
        world.program,
        track=world.evening,
        status=EpisodeStatus.ACTIVE,
        admitted_on=world.organization.today(),
    )
    assert portal_account(participant, timezone.now()).status == "active"
    with pytest.raises(ValidationError):
        check_invite(world.director, participant, email=participant.email, phone="")


def test_an_invitation_reopens_a_deactivated_sign_in_with_the_same_username(
    world: World, client_for: Callable[[User], Client]
) -> None:
    participant, user = world.participant, world.participant_user
    user.is_active = False  # an administrator switched it off
    user.save(update_fields=["is_active"])
    assert portal_account(participant, timezone.now()).status == "deactivated"
    _, token = check_invite(world.clinician, participant, email=participant.email, phone="")
    page = Client().get(f"/invite/{token}/")
    assert "Your username is <strong>pat.participant</strong>" in page.content.decode()
    Client().post(f"/invite/{token}/", {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    user.refresh_from_db()
    assert user.is_active
    assert user.check_password(NEW_PASSWORD)
    assert User.objects.filter(participant=participant).count() == 1
    assert Event.objects.filter(object_id=str(user.public_id), detail__reactivated=True).exists()


def test_discharge_ends_an_open_invitation(world: World) -> None:
    invitation, token = invite(world)
    do_discharge(
        None,
        world.other_participant.episodes.get(),
        discharged_on=world.organization.today(),
        reason=DischargeReason.DROPPED_OUT,
    )
    invitation.refresh_from_db()
    assert invitation.end_reason == InvitationEnd.DISCHARGED
    assert Client().get(f"/invite/{token}/").status_code == 410
    with pytest.raises(ValidationError) as refused:
        invite(world)
    assert "open episode" in refused.value.message_dict["account"][0]


# -- who may invite --------------------------------------------------------------------------


def tab(participant: Participant) -> str:
    return f"/participants/{participant.public_id}/portal-account/"


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("clinician", 404),  # not on Rowan's care team
        ("other_clinician", 200),  # Rowan's therapist
        ("director", 200),
        ("front_desk", 404),
        ("intake", 404),  # intake's window closed when the care team was set
        ("compliance", 404),
        ("outsider", 404),
        ("participant", 403),
    ],
)
def test_who_opens_the_portal_account_tab_and_who_may_invite(
    world: World, client_for: Callable[[User], Client], persona: str, status: int
) -> None:
    client = client_for(world.personas[persona])
    assert client.get(tab(world.other_participant)).status_code == status
    posted = client.post(
        tab(world.other_participant), {"operation": "invite", "email": "rowan@example.test"}
    )
    assert posted.status_code == (302 if status == 200 else status)
    assert Invitation.objects.exists() == (status == 200)


def test_anonymous_visitors_are_sent_to_sign_in(world: World) -> None:
    response = Client().get(tab(world.other_participant))
    assert response.status_code == 302
    assert "/accounts/sign-in/" in response["Location"]


def test_intake_invites_before_a_care_team_is_set(
    world: World, client_for: Callable[[User], Client], mailoutbox: list[Any]
) -> None:
    newcomer = make_participant(
        world.organization, "MRN-8001", "Nova", "Lindqvist", program=world.program,
        status=EpisodeStatus.PLANNED,
    )  # fmt: skip
    client = client_for(world.intake)
    page = client.get(tab(newcomer))
    assert page.status_code == 200
    assert 'value="mrn-8001@example.test"' in page.content.decode()  # prefilled from contact
    client.post(tab(newcomer), {"operation": "invite", "email": "nova@example.test"})
    assert mailoutbox[0].to == ["nova@example.test"]
    assert 'data-portal-status="invited"' in client.get(tab(newcomer)).content.decode()


def test_a_reader_without_an_open_episode_to_manage_sees_the_status_only(
    world: World, client_for: Callable[[User], Client]
) -> None:
    do_discharge(
        None,
        world.other_participant.episodes.get(),
        discharged_on=world.organization.today(),
        reason=DischargeReason.COMPLETED,
    )
    client = client_for(world.director)
    page = client.get(tab(world.other_participant))
    assert page.status_code == 200
    assert "Send invitation" not in page.content.decode()
    posted = client.post(
        tab(world.other_participant), {"operation": "invite", "email": "rowan@example.test"}
    )
    assert posted.status_code == 404
    assert not Invitation.objects.exists()


def test_the_tab_shows_each_status_and_resend_and_revoke_work(
    world: World, client_for: Callable[[User], Client], mailoutbox: list[Any]
) -> None:
    client = client_for(world.other_clinician)
    url = tab(world.other_participant)
    assert 'data-portal-status="none"' in client.get(url).content.decode()
    bad = client.post(url, {"operation": "invite", "email": "nope"})
    assert bad.status_code == 422
    assert "valid email" in bad.content.decode()
    client.post(url, {"operation": "invite", "email": "rowan@example.test"})
    invitation = Invitation.objects.get()
    page = client.get(url).content.decode()
    assert 'data-portal-status="invited"' in page
    assert "rowan@example.test" in page
    client.post(url, {"operation": "resend", "invitation": str(invitation.public_id)})
    assert len(mailoutbox) == 2
    current = Invitation.objects.get(revoked_at=None)
    stale = client.post(url, {"operation": "revoke", "invitation": str(invitation.public_id)})
    assert stale.status_code == 422
    assert "reload the page" in stale.content.decode()
    client.post(url, {"operation": "revoke", "invitation": str(current.public_id)})
    assert 'data-portal-status="revoked"' in client.get(url).content.decode()
    client.post(url, {"operation": "invite", "email": "rowan@example.test"})
    later = timezone.now() + timedelta(hours=73)  # the session would end: ask the query
    assert portal_account(world.other_participant, later).status == "expired"
    assert (
        'data-portal-status="active"'
        in client_for(world.clinician).get(tab(world.participant)).content.decode()
    )


@pytest.mark.django_db(transaction=True)
def test_two_acceptances_at_once_make_one_account() -> None:
    """Two tabs submit at the same moment, each with the invitation loaded before either wrote:
    the row lock and the conditional update let exactly one through."""
    world = build_world()
    _, token = invite(world)
    loaded = [access_invitation(token), access_invitation(token)]
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def accept(index: int) -> None:
        try:
            barrier.wait()
            check_accept_invitation(loaded[index], username=f"rowan.{index}", password=NEW_PASSWORD)
            outcomes.append("accepted")
        except InvitationClosed:
            outcomes.append("closed")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=accept, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["accepted", "closed"]
    assert User.objects.filter(participant=world.other_participant).count() == 1
    assert Invitation.objects.filter(accepted_at__isnull=False).count() == 1
