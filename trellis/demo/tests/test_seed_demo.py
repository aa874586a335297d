"""`manage.py seed_demo` and `manage.py demo_signins`: the demo people try Trellis with."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction
from django.db.models import Count
from django.test import Client

from trellis.accounts.models import Credential, User
from trellis.demo.cast import DEMO_PASSWORD, PORTAL_USERNAME, STAFF
from trellis.demo.plan import plan_participants
from trellis.participants.models import (
    CareTeamMember,
    DischargeReason,
    Episode,
    EpisodeStatus,
    Participant,
)
from trellis.programs.models import (
    ClinicianKind,
    Delivery,
    Membership,
    Organization,
    Program,
    Role,
    Track,
)

TODAY = date(2026, 3, 2)
# Inquiries with a record, whatever the participant count: 9 waitlisted or ready to admit
# (intake/demo_admission.py) and 4 screened (intake/demo_screening.py).
INTAKE_DEMO_PEOPLE = 9 + 4
pytestmark = pytest.mark.django_db


def seed(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("seed_demo", "--today", TODAY.isoformat(), *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def seed_and_read(*args: str) -> list[tuple[str, str, str, date]]:
    """Seed inside a savepoint, read the people back, then roll the load back."""
    with transaction.atomic():
        seed(*args)
        people = list(
            Participant.objects.order_by("mrn").values_list(
                "mrn", "given_name", "family_name", "date_of_birth"
            )
        )
        transaction.set_rollback(True)
    return people


def test_same_seed_and_date_give_the_same_people() -> None:
    first = seed_and_read("--seed", "7")
    second = seed_and_read("--seed", "7")
    assert first == second
    assert first[0][0] == "DEMO-000001"


def test_another_seed_gives_other_people() -> None:
    assert seed_and_read("--seed", "7") != seed_and_read("--seed", "8")


def test_plans_are_identical_for_the_same_seed_and_date() -> None:
    assert plan_participants(72, 7, TODAY) == plan_participants(72, 7, TODAY)


def test_default_demo_meets_the_minimums() -> None:
    out, err = seed()
    assert "Loaded" in out
    assert "100%" in err  # the progress bar finished
    assert Organization.objects.get().time_zone == "America/Chicago"
    # 72 planned participants, and the nine people of the intake demo: waitlisted, left a
    # waitlist, or about to be admitted (trellis/intake/demo_admission.py).
    assert Participant.objects.count() == 72 + INTAKE_DEMO_PEOPLE
    staff = User.objects.filter(memberships__isnull=False).distinct()
    assert staff.count() >= 12
    programs = {p.name: p for p in Program.objects.all()}
    assert set(programs) == {
        "Adult Mental Health IOP",
        "Adolescent IOP",
        "Adult Substance Use IOP",
    }
    teen = programs["Adolescent IOP"]
    assert (teen.min_hours_per_week, teen.max_hours_per_week) == (Decimal(6), Decimal(19))
    assert programs["Adult Substance Use IOP"].level_of_care == "ASAM3:2.1"
    for program in programs.values():
        assert program.tracks.count() == 3
        assert not program.tracks.filter(schedule_summary="").exists()
    assert set(Track.objects.values_list("delivery", flat=True)) == set(Delivery.values)
    statuses = set(Episode.objects.values_list("status", flat=True))
    assert statuses == set(EpisodeStatus.values)
    reasons = set(
        Episode.objects.exclude(discharge_reason="").values_list("discharge_reason", flat=True)
    )
    assert reasons == set(DischargeReason.values)
    roles = set(Membership.objects.values_list("role", flat=True))
    assert roles == set(Role.values)
    kinds = set(
        Membership.objects.exclude(clinician_kind="").values_list("clinician_kind", flat=True)
    )
    assert kinds == set(ClinicianKind.values)
    assert User.objects.filter(is_superuser=True, is_staff=True).count() == 1


def test_participants_cover_the_life_of_an_episode() -> None:
    seed()
    by_episodes = Participant.objects.annotate(n=Count("episodes"))
    assert by_episodes.filter(n=0).count() >= 3  # registered, not yet enrolled
    returning = by_episodes.filter(n__gte=2)
    assert returning.count() >= 3
    for person in returning:
        episodes = list(person.episodes.order_by("created_at", "pk"))
        assert episodes[0].status == EpisodeStatus.DISCHARGED
        assert episodes[-1].status != EpisodeStatus.DISCHARGED
    assert Participant.objects.filter(user__username=PORTAL_USERNAME).count() == 1
    assert all(
        p.endswith("@example.test") for p in Participant.objects.values_list("email", flat=True)
    )
    assert all("555-01" in p for p in Participant.objects.values_list("phone", flat=True))


def test_care_teams_follow_the_rules_of_the_actions() -> None:
    seed()
    admitted = Episode.objects.exclude(admitted_on=None)
    for episode in admitted.prefetch_related("care_team"):
        primaries = [m for m in episode.care_team.all() if m.is_primary]
        assert len(primaries) == 1
        for member in episode.care_team.all():
            assert member.start_date == episode.admitted_on
            assert member.end_date == episode.discharged_on
    not_admitted = Episode.objects.filter(admitted_on=None)
    assert not CareTeamMember.objects.filter(episode__in=not_admitted).exists()
    for discharged in Episode.objects.filter(status=EpisodeStatus.DISCHARGED):
        assert discharged.discharged_on is not None
        assert discharged.admitted_on is not None
        assert discharged.admitted_on <= discharged.discharged_on < TODAY


def test_every_loaded_row_has_its_audit_event_and_the_chain_holds() -> None:
    from trellis.audit.models import Event
    from trellis.audit.trail import verify_chain
    from trellis.scheduling.models import Attendance, RosterMembership

    seed("--weeks", "2")
    created = Event.objects.filter(action="create")
    for model, object_type in (
        (Participant, "participants.participant"),
        (Episode, "participants.episode"),
        (CareTeamMember, "participants.careteammember"),
        (RosterMembership, "scheduling.rostermembership"),
        (Attendance, "scheduling.attendance"),
    ):
        assert model.objects.exists()
        assert created.filter(object_type=object_type).count() == model.objects.count()
    named = set(
        created.filter(object_type="participants.participant").values_list(
            "participant_id", flat=True
        )
    )
    assert named == set(Participant.objects.values_list("pk", flat=True))
    result = verify_chain()
    assert result.ok, result.first_break


def test_credentials_have_numbers_states_and_some_expire_soon() -> None:
    seed()
    credentials = Credential.objects.all()
    assert {"MD", "PMHNP", "LCSW", "LPC", "LMFT", "PsyD", "CADC", "RN", "CPRS"} <= set(
        credentials.values_list("kind", flat=True)
    )
    assert not credentials.filter(licence_number="").exists()
    assert set(credentials.values_list("state", flat=True)) == {"IL"}
    assert sum(c.expires_soon(TODAY) for c in credentials) >= 2


def test_if_empty_is_a_no_op_the_second_time() -> None:
    seed("--if-empty")
    before = Participant.objects.count(), User.objects.count(), Episode.objects.count()
    out, _ = seed("--if-empty", "--seed", "99")
    assert "already exists" in out
    assert (Participant.objects.count(), User.objects.count(), Episode.objects.count()) == before


def test_seeding_a_database_with_data_is_refused() -> None:
    from django.core.management.base import CommandError

    seed()
    with pytest.raises(CommandError, match="already has an organization"):
        seed()


def test_two_hundred_participants() -> None:
    seed("--participants", "200")
    assert Participant.objects.count() == 200 + INTAKE_DEMO_PEOPLE
    assert Participant.objects.filter(mrn="DEMO-000200").exists()


def test_demo_director_signs_in_with_the_demo_password_and_lists_participants() -> None:
    seed()
    client = Client()
    response = client.post(
        "/accounts/sign-in/", {"username": "director", "password": DEMO_PASSWORD}
    )
    assert response.status_code == 302
    response = client.get("/participants/")
    assert response.status_code == 200
    body = response.content.decode()
    first = Participant.objects.order_by("family_name", "given_name", "pk").first()
    assert first is not None
    assert first.family_name in body


def test_portal_participant_sees_their_own_record() -> None:
    seed()
    client = Client()
    assert client.login(username=PORTAL_USERNAME, password=DEMO_PASSWORD)
    response = client.get("/me/record/")
    assert response.status_code == 200
    home = client.get("/me/")  # the portal's home over the demo's data
    assert home.status_code == 200
    assert 'href="tel:988"' in home.content.decode()


def test_demo_signins_lists_every_account_with_the_password_and_url() -> None:
    seed()
    out = StringIO()
    call_command("demo_signins", stdout=out)
    text = out.getvalue()
    assert "http://127.0.0.1:8000" in text
    assert DEMO_PASSWORD in text
    for spec in STAFF:
        assert f"  {spec.username} " in text
    assert f"  {PORTAL_USERNAME} " in text


def test_demo_signins_without_demo_data_says_how_to_seed() -> None:
    out = StringIO()
    call_command("demo_signins", stdout=out)
    assert "seed_demo" in out.getvalue()
