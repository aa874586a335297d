"""Business dates come from the organization's clock, in pages, the token API and tasks alike.

The organization here is in America/Los_Angeles. At 23:30 UTC it is 3:30 pm there, the same
date; at 00:30 UTC it is 4:30 pm of the *previous* date. Django's active time zone follows the
organization only in browser sessions (middleware), so any business date taken from it gives a
token request or a task the UTC date instead: these scenarios fail on such code.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from tests.personas import World, build_world
from trellis.accounts.actions import do_create_api_token
from trellis.accounts.models import User
from trellis.measures.models import Administration
from trellis.measures.registry import get_instrument
from trellis.measures.tasks import schedule_checkins
from trellis.measures.tests.factories import answers_for
from trellis.measures.tests.test_fhir_api import qr
from trellis.participants.actions import do_add_care_team_member
from trellis.programs.models import ClinicianKind
from trellis.worklist.models import Alert

ZONE = "America/Los_Angeles"
# Monday 30 November 2026 in Los Angeles, at two UTC instants on either side of UTC midnight.
BEFORE_UTC_MIDNIGHT = datetime(2026, 11, 30, 23, 30, tzinfo=UTC)  # Mon 3:30 pm in LA
AFTER_UTC_MIDNIGHT = datetime(2026, 12, 1, 0, 30, tzinfo=UTC)  # still Mon, 4:30 pm in LA
LA_MONDAY = date(2026, 11, 30)
INSTANTS = [
    pytest.param(BEFORE_UTC_MIDNIGHT, id="23:30-UTC"),
    pytest.param(AFTER_UTC_MIDNIGHT, id="00:30-UTC"),
]


@pytest.fixture(params=INSTANTS)
def at(request: pytest.FixtureRequest) -> Iterator[datetime]:
    instant: datetime = request.param
    with time_machine.travel(instant, tick=False):
        yield instant


@pytest.fixture
def la_world(db: None, at: datetime) -> World:
    return build_world(time_zone=ZONE)


def token_client(user: User) -> Client:
    _, secret = do_create_api_token(user, name="integration")
    return Client(HTTP_AUTHORIZATION=f"Bearer {secret}")


def session_client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_organization_knows_its_own_date(la_world: World) -> None:
    assert la_world.organization.today() == LA_MONDAY
    assert la_world.program.today() == LA_MONDAY


def test_a_token_api_phq9_with_item_9_is_stored_and_raises_the_urgent_alert(
    la_world: World,
) -> None:
    phq9 = get_instrument("PHQ-9")
    answer = token_client(la_world.clinician).post(
        f"/api/v1/measures/participants/{la_world.participant.public_id}/questionnaire-responses",
        qr(answers_for(phq9, 12, item9=2), participant=la_world.participant),
        content_type="application/json",
    )
    assert answer.status_code == 201, answer.content
    assert Administration.objects.get().due_on == LA_MONDAY
    assert Alert.objects.filter(kind="critical_item", participant=la_world.participant).exists()


def test_a_care_team_member_added_outside_a_request_opens_the_chart_by_page_and_api(
    la_world: World,
) -> None:
    episode = la_world.participant.episodes.get()
    member = do_add_care_team_member(
        None, episode, la_world.other_clinician, role=ClinicianKind.THERAPIST
    )
    assert member.start_date == LA_MONDAY
    public_id = la_world.participant.public_id
    page = session_client(la_world.other_clinician).get(f"/participants/{public_id}/")
    api = token_client(la_world.other_clinician).get(f"/api/v1/participants/{public_id}")
    assert page.status_code == 200
    assert api.status_code == 200
    assert api.json()["scope"] == "clinical"


def test_the_check_in_sweep_uses_the_programs_date(la_world: World, at: datetime) -> None:
    """The weekly check-in is on Tuesdays: on Monday afternoon in Los Angeles none is due,
    whatever the date in UTC; a day later the sweep opens it, and the participant sees it."""
    schedule_checkins.enqueue()
    assert not Administration.objects.filter(due_on__gt=LA_MONDAY).exists()
    with time_machine.travel(at + timedelta(days=1), tick=False):
        schedule_checkins.enqueue()
        weekly = Administration.objects.filter(participant=la_world.participant)
        assert {a.due_on for a in weekly} == {LA_MONDAY + timedelta(days=1)}
        assert all(a.available_from <= timezone.now() for a in weekly)
        page = session_client(la_world.participant_user).get("/me/check-ins/")
    assert str(weekly[0].public_id) in page.content.decode()


def test_a_check_in_started_on_the_chart_is_open_at_once(la_world: World) -> None:
    public_id = la_world.participant.public_id
    started = session_client(la_world.clinician).post(
        f"/participants/{public_id}/measures/start/", {"instrument": "GAD-7"}
    )
    assert started.status_code == 302
    administration = Administration.objects.get(instrument_code="GAD-7")
    assert administration.due_on == LA_MONDAY
    mine = session_client(la_world.participant_user).get("/me/check-ins/")
    assert str(administration.public_id) in mine.content.decode()


# -- no business date from the active time zone -----------------------------------------------

TRELLIS = Path(__file__).resolve().parent.parent / "trellis"
ZONELESS = {"localdate": 0, "localtime": 1}  # positional arguments before the zone


def zoneless_calls(source: str) -> list[int]:
    """Lines that call timezone.localdate()/localtime(value) without naming a zone."""
    lines = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Attribute):
            continue
        name = node.func.attr
        if name not in ZONELESS:
            continue
        has_zone = len(node.args) > ZONELESS[name] or any(
            k.arg == "timezone" for k in node.keywords
        )
        if not has_zone:
            lines.append(node.lineno)
    return lines


def test_the_zone_check_finds_a_zoneless_call() -> None:
    assert zoneless_calls("from django.utils import timezone\nday = timezone.localdate()\n") == [2]
    assert zoneless_calls("t = timezone.localtime(moment)\n") == [1]
    assert zoneless_calls("d = timezone.localdate(timezone=zone)\n") == []
    assert zoneless_calls("t = timezone.localtime(moment, zone)\n") == []


def test_domain_code_never_takes_a_date_from_the_active_time_zone() -> None:
    offenders = [
        f"{path.relative_to(TRELLIS.parent)}:{line}"
        for path in sorted(TRELLIS.rglob("*.py"))
        if "tests" not in path.parts and "migrations" not in path.parts
        for line in zoneless_calls(path.read_text())
    ]
    assert offenders == [], "use Organization.today() or trellis.lib.clock: " + ", ".join(offenders)
