"""Guardians of adolescents (docs/portal.md, "Guardians"): who may be linked, the invitation's
life, what the program's policy and the adolescent's consent grant for each kind, the audit
of every guardian look, and who manages it all."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, time, timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection
from django.http import Http404
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.personas import PASSWORD, World
from trellis.accounts.models import User
from trellis.audit.models import Action, Event, Outcome, Purpose
from trellis.participants.access import access_as_guardian
from trellis.participants.actions.guardians import (
    check_invite_guardian,
    check_set_guardian_consent,
    do_end_guardian_link,
    do_invite_guardian,
    do_link_guardian,
    do_revoke_guardian_invitation,
    do_set_guardian_policy,
)
from trellis.participants.models import (
    GuardianInvitation,
    GuardianKind,
    GuardianLink,
    GuardianRelationship,
    Participant,
)
from trellis.participants.tests.guardian_factories import (
    GUARDIAN_USERNAME,
    Teens,
    born_years_ago,
    build_teens,
    make_teen,
)

pytestmark = pytest.mark.django_db

ON_BY_DEFAULT: list[str] = [
    GuardianKind.SCHEDULE,
    GuardianKind.ATTENDANCE,
    GuardianKind.CHECKINS_DUE,
    GuardianKind.MESSAGES,
]
# Each kind's section on the guardian's page, by its heading's id.
SECTION: dict[str, str] = {
    GuardianKind.SCHEDULE: 'id="upcoming-h"',
    GuardianKind.ATTENDANCE: 'id="past-h"',
    GuardianKind.CHECKINS_DUE: 'id="checkins-h"',
    GuardianKind.SCORES: 'id="scores-h"',
    GuardianKind.MESSAGES: 'id="messages-h"',
}


@pytest.fixture
def teens(world: World) -> Teens:
    return build_teens(world)


def page(client: Client, participant: Participant) -> str:
    response = client.get(f"/family/{participant.public_id}/")
    assert response.status_code == 200
    return response.content.decode()


def token_of(body: str) -> str:
    return body.split("/invite/")[1].split("/")[0]


# -- who may be linked ------------------------------------------------------------------------


def test_a_link_to_an_adult_is_refused_with_a_clear_message_and_nothing_is_stored(
    world: World,
) -> None:
    with pytest.raises(ValidationError) as refused:
        check_invite_guardian(
            world.clinician,
            world.participant,
            name="Pat's mother",
            relationship=GuardianRelationship.PARENT,
            email="mother@example.test",
            phone="",
        )
    assert "guardian" in refused.value.message_dict
    assert "under 18" in refused.value.message_dict["guardian"][0]
    assert not GuardianInvitation.objects.exists()
    assert mail.outbox == []


def test_a_minor_outside_an_adolescent_program_cannot_have_a_guardian(
    world: World, teens: Teens
) -> None:
    Participant.objects.filter(pk=world.participant.pk).update(
        date_of_birth=born_years_ago(world.organization.today(), 17)
    )
    world.participant.refresh_from_db()
    with pytest.raises(ValidationError, match="adolescent program"):
        check_invite_guardian(
            world.clinician,
            world.participant,
            name="A parent",
            relationship=GuardianRelationship.PARENT,
            email="p@example.test",
            phone="",
        )


def test_the_eighteenth_birthday_on_the_organizations_date_ends_what_a_guardian_sees(
    world: World, teens: Teens
) -> None:
    today = world.organization.today()
    Participant.objects.filter(pk=teens.teen.pk).update(date_of_birth=born_years_ago(today, 18))
    with pytest.raises(Http404):
        access_as_guardian(teens.guardian, teens.teen.public_id)
    # The day before the birthday, the link still works.
    birthday_tomorrow = today.replace(year=today.year - 18) + timedelta(days=1)
    Participant.objects.filter(pk=teens.teen.pk).update(date_of_birth=birthday_tomorrow)
    assert access_as_guardian(teens.guardian, teens.teen.public_id).works


def test_bad_input_names_the_field_and_stores_nothing(world: World, teens: Teens) -> None:
    with pytest.raises(ValidationError) as refused:
        check_invite_guardian(
            world.clinician,
            teens.sibling,
            name="",
            relationship="uncle",
            email="not-an-email",
            phone="",
            language="fr",
        )
    assert set(refused.value.message_dict) == {"name", "relationship", "email", "language"}
    assert GuardianInvitation.objects.filter(participant=teens.sibling).count() == 0


# -- the invitation's life -------------------------------------------------------------------


def test_invitation_lifecycle_accept_once_then_410(world: World, teens: Teens) -> None:
    mail.outbox.clear()
    check_invite_guardian(
        world.clinician,
        teens.sibling,
        name="Robin Wexcombe",
        relationship=GuardianRelationship.LEGAL_GUARDIAN,
        email="robin@example.test",
        phone="",
        language="en",
    )
    (message,) = mail.outbox
    # Nothing clinical: the organization's name only.
    assert "Adolescent" not in message.body
    assert "IOP" not in message.body
    token = token_of(str(message.body))
    client = Client()
    opened = client.get(f"/invite/{token}/")
    assert opened.status_code == 200
    assert "Robin Wexcombe" in opened.content.decode()
    accepted = client.post(
        f"/invite/{token}/",
        {"username": "robin.w", "password1": PASSWORD, "password2": PASSWORD},
    )
    assert accepted.status_code == 302
    assert accepted["Location"] == "/family/"
    robin = User.objects.get(username="robin.w")
    link = GuardianLink.objects.get(guardian=robin)
    assert link.participant == teens.sibling
    assert link.relationship == "legal_guardian"
    assert client.get("/family/").status_code == 200
    # Used: the same 410 page as a participant's spent link.
    assert Client().get(f"/invite/{token}/").status_code == 410
    assert Client().post(f"/invite/{token}/", {}).status_code == 410


def test_expired_and_revoked_guardian_links_get_the_410_page(world: World, teens: Teens) -> None:
    invitation, token = do_invite_guardian(
        world.clinician,
        teens.sibling,
        name="A",
        relationship=GuardianRelationship.OTHER,
        email="a@example.test",
    )
    GuardianInvitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )
    assert Client().get(f"/invite/{token}/").status_code == 410
    other, other_token = do_invite_guardian(
        world.clinician,
        teens.sibling,
        name="B",
        relationship=GuardianRelationship.OTHER,
        email="b@example.test",
    )
    do_revoke_guardian_invitation(world.clinician, other)
    assert Client().get(f"/invite/{other_token}/").status_code == 410
    assert not GuardianLink.objects.filter(participant=teens.sibling).exists()


def test_a_signed_in_guardian_adds_a_sibling_to_the_same_sign_in(
    world: World, teens: Teens, client_for: Callable[[User], Client]
) -> None:
    _, token = do_invite_guardian(
        world.clinician,
        teens.sibling,
        name="Gale Wexcombe",
        relationship=GuardianRelationship.PARENT,
        email="gale@example.test",
    )
    client = client_for(teens.guardian)
    assert "gale.guardian" in client.get(f"/invite/{token}/").content.decode()
    assert client.post(f"/invite/{token}/", {}).status_code == 302
    assert set(
        GuardianLink.objects.filter(guardian=teens.guardian).values_list("participant", flat=True)
    ) == {teens.teen.pk, teens.sibling.pk}
    home = client.get("/family/").content.decode()
    assert "Tobin" in home
    assert "Ivy" in home


def test_staff_and_participants_cannot_accept_a_guardian_link_with_their_own_sign_in(
    world: World, teens: Teens, client_for: Callable[[User], Client]
) -> None:
    _, token = do_invite_guardian(
        world.clinician,
        teens.sibling,
        name="X",
        relationship=GuardianRelationship.PARENT,
        email="x@example.test",
    )
    for user in (world.clinician, world.participant_user):
        client = client_for(user)
        assert client.get(f"/invite/{token}/").status_code == 200
        client.post(f"/invite/{token}/", {})
    assert not GuardianLink.objects.filter(participant=teens.sibling).exists()
    # The link was not spent.
    assert GuardianInvitation.objects.get(participant=teens.sibling).accepted_at is None


# -- the policy, kind by kind ---------------------------------------------------------------


@pytest.mark.parametrize("kind", ON_BY_DEFAULT)
def test_each_default_kind_is_shown_and_goes_when_the_program_turns_it_off(
    teens: Teens, client_for: Callable[[User], Client], kind: str, world: World
) -> None:
    client = client_for(teens.guardian)
    assert SECTION[kind] in page(client, teens.teen)
    assert SECTION[GuardianKind.SCORES] not in page(client, teens.teen)
    others = {k for k in ON_BY_DEFAULT if k != kind}
    do_set_guardian_policy(world.director, teens.program, others)
    body = page(client, teens.teen)
    assert SECTION[kind] not in body
    assert all(SECTION[k] in body for k in others)
    with pytest.raises(Http404):
        access_as_guardian(teens.guardian, teens.teen.public_id, kind)


def test_scores_need_the_programs_policy_and_the_adolescents_consent(
    world: World, teens: Teens, client_for: Callable[[User], Client]
) -> None:
    client = client_for(teens.guardian)
    scores = SECTION[GuardianKind.SCORES]
    # Consent without the policy: nothing.
    check_set_guardian_consent(world.clinician, teens.link, GuardianKind.SCORES, given=True)
    assert scores not in page(client, teens.teen)
    # Policy and consent: shown.
    do_set_guardian_policy(world.director, teens.program, {*ON_BY_DEFAULT, GuardianKind.SCORES})
    assert scores in page(client, teens.teen)
    assert GuardianKind.SCORES in access_as_guardian(teens.guardian, teens.teen.public_id).kinds
    # Withdrawn by the adolescent: gone at once.
    check_set_guardian_consent(world.clinician, teens.link, GuardianKind.SCORES, given=False)
    assert scores not in page(client, teens.teen)
    with pytest.raises(Http404):
        access_as_guardian(teens.guardian, teens.teen.public_id, GuardianKind.SCORES)


def test_kinds_without_consent_refuse_consent(world: World, teens: Teens) -> None:
    with pytest.raises(ValidationError, match="does not need consent"):
        check_set_guardian_consent(world.clinician, teens.link, GuardianKind.SCHEDULE, given=True)


def test_the_guardians_page_never_carries_notes_diary_or_practice_addresses(
    teens: Teens, client_for: Callable[[User], Client], world: World
) -> None:
    do_set_guardian_policy(world.director, teens.program, set(GuardianKind.values))
    body = page(client_for(teens.guardian), teens.teen)
    for address in ("/notes/", "/me/practice/", "/diary", "/measures/", teens.teen.mrn):
        assert address not in body


# -- the audit of every guardian look ----------------------------------------------------------


def test_every_guardian_look_is_audited_as_a_guardians(
    teens: Teens, client_for: Callable[[User], Client]
) -> None:
    before = Event.objects.count()
    page(client_for(teens.guardian), teens.teen)
    (event,) = Event.objects.filter(
        pk__gt=before, actor=teens.guardian, action=Action.VIEW, participant=teens.teen
    ).exclude(object_type="participants.guardianlink")
    assert event.purpose == Purpose.FAMRQT
    assert event.role == "guardian"
    assert event.detail["as"] == "guardian"
    assert set(event.detail["kinds"]) == set(ON_BY_DEFAULT)


def test_another_persons_id_gets_the_audited_404(
    world: World, teens: Teens, client_for: Callable[[User], Client]
) -> None:
    client = client_for(teens.guardian)
    for target in (teens.sibling, world.participant):
        response = client.get(f"/family/{target.public_id}/")
        assert response.status_code == 404
        assert target.given_name not in response.content.decode()
        assert Event.objects.filter(
            actor=teens.guardian,
            action=Action.DENY,
            outcome=Outcome.DENIED,
            object_id=str(target.public_id),
            purpose=Purpose.FAMRQT,
        ).exists()


def test_an_ended_link_shows_nothing(
    world: World, teens: Teens, client_for: Callable[[User], Client]
) -> None:
    do_end_guardian_link(world.clinician, teens.link)
    client = client_for(teens.guardian)
    assert client.get(f"/family/{teens.teen.public_id}/").status_code == 404
    assert client.get("/family/").status_code == 403


def test_the_guardian_is_sent_to_their_home_from_me_and_today(
    teens: Teens, client_for: Callable[[User], Client]
) -> None:
    client = client_for(teens.guardian)
    assert client.get("/me/")["Location"] == "/family/"
    assert client.get("/")["Location"] == "/family/"


def test_the_guardians_pages_are_in_their_language(
    teens: Teens, client_for: Callable[[User], Client]
) -> None:
    # The invitation chose Spanish for Gale (guardian_factories).
    body = page(client_for(teens.guardian), teens.teen)
    assert 'lang="es"' in body
    assert "Próximas sesiones" in body


# -- the adolescent, the team and the director -----------------------------------------------


def test_the_adolescent_sees_their_guardians_and_withdraws_consent(
    world: World, teens: Teens, client_for: Callable[[User], Client]
) -> None:
    teen_user = User.objects.create_user(username="tobin", password=PASSWORD)
    Participant.objects.filter(pk=teens.teen.pk).update(user=teen_user)
    do_set_guardian_policy(world.director, teens.program, {*ON_BY_DEFAULT, GuardianKind.SCORES})
    client = client_for(teen_user)
    body = client.get("/me/guardians/").content.decode()
    assert "Gale Wexcombe" in body
    client.post(
        "/me/guardians/",
        {"link": str(teens.link.public_id), "kind": "scores", "operation": "consent"},
    )
    assert GuardianKind.SCORES in access_as_guardian(teens.guardian, teens.teen.public_id).kinds
    client.post(
        "/me/guardians/",
        {"link": str(teens.link.public_id), "kind": "scores", "operation": "withdraw"},
    )
    assert GuardianKind.SCORES not in access_as_guardian(teens.guardian, teens.teen.public_id).kinds


def test_the_care_team_manages_guardians_on_the_portal_account_tab(
    world: World, teens: Teens, client_for: Callable[[User], Client]
) -> None:
    url = f"/participants/{teens.teen.public_id}/portal-account/"
    tab = client_for(world.clinician).get(url).content.decode()
    assert "Gale Wexcombe" in tab
    assert "Invite a guardian" in tab
    change = f"/participants/{teens.teen.public_id}/portal-account/guardians/"
    bad = client_for(world.clinician).post(
        change, {"operation": "invite", "guardian-name": "", "guardian-relationship": "parent"}
    )
    assert bad.status_code == 422
    # Not on the team: the audited 404, nothing changes.
    for outsider in (world.front_desk, world.other_clinician, world.outsider):
        response = client_for(outsider).post(
            change, {"operation": "unlink", "link": str(teens.link.public_id)}
        )
        assert response.status_code == 404
    assert GuardianLink.objects.get(pk=teens.link.pk).is_active
    unlinked = client_for(world.clinician).post(
        change, {"operation": "unlink", "link": str(teens.link.public_id)}
    )
    assert unlinked.status_code == 302
    assert not GuardianLink.objects.get(pk=teens.link.pk).is_active


def test_the_director_sets_the_policy(
    world: World, teens: Teens, client_for: Callable[[User], Client]
) -> None:
    url = f"/participants/guardian-policy/{teens.program.public_id}/"
    assert client_for(world.clinician).get(url).status_code == 404
    director = client_for(world.director)
    assert director.get(url).status_code == 200
    director.post(url, {"kinds": ["schedule"]})
    view = access_as_guardian(teens.guardian, teens.teen.public_id)
    assert view.kinds == {GuardianKind.SCHEDULE}
    assert teens.guardian.username == GUARDIAN_USERNAME


def test_the_guardians_home_costs_the_same_queries_for_one_child_or_three(
    world: World, teens: Teens, client_for: Callable[[User], Client]
) -> None:
    client = client_for(teens.guardian)
    client.get("/family/")  # the session's language and zone, looked up once

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/family/").status_code == 200
        return len(queries)

    one = count()
    today = world.organization.today()
    third = make_teen(
        world, "MRN-3003", "Wren", "Wexcombe", born_years_ago(today, 15), teens.program, teens.track
    )
    for child in (teens.sibling, third):
        do_link_guardian(None, teens.guardian, child, relationship=GuardianRelationship.PARENT)
    assert count() == one


def test_the_guardian_switches_their_own_language(
    teens: Teens, client_for: Callable[[User], Client]
) -> None:
    client = client_for(teens.guardian)
    response = client.post("/language/", {"language": "en", "next": "/family/"})
    assert response["Location"] == "/family/"
    assert GuardianLink.objects.get(pk=teens.link.pk).language == "en"
    assert "Upcoming sessions" in page(client, teens.teen)
    assert client.post("/language/", {"language": "xx"}).status_code == 302
    assert GuardianLink.objects.get(pk=teens.link.pk).language == "en"


def test_the_guardians_view_of_a_teen_costs_the_same_queries_for_one_group_or_three(
    world: World, teens: Teens, client_for: Callable[[User], Client]
) -> None:
    from trellis.scheduling import actions as scheduling
    from trellis.scheduling.tests.factory import enroll

    def group(name: str) -> None:
        series = scheduling.do_create_series(
            world.director,
            teens.track,
            scheduling.SeriesData(
                name=name,
                start_time=time(16, 0),
                duration_minutes=60,
                rrule="FREQ=WEEKLY;BYDAY=MO,WE,FR",
                dtstart=date(2026, 9, 7),
                capacity=10,
                room=world.room,
                facilitators=[world.clinician],
            ),
        )
        enroll(series, teens.teen, world.organization.today() - timedelta(days=10))

    client = client_for(teens.guardian)
    group("Skills")
    client.get(f"/family/{teens.teen.public_id}/")

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            page(client, teens.teen)
        return len(queries)

    one = count()
    group("Family group")
    group("Art group")
    assert count() == one
