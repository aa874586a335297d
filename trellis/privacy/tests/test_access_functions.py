"""Every per-object access function answers the same audited 404 for an id the user may not
open, an id that names nothing, and an id that is not an id.

To add an access function, add one `Case` to CASES (and, if it has a URL, one `Page` to
PAGES): the tests below then hold it to the same rules.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.http import Http404
from django.test import Client

from tests.personas import World, org_today
from trellis.accounts.models import User
from trellis.audit.models import Action, Event, Outcome
from trellis.intake.access import access_waitlist, access_waitlist_entry
from trellis.intake.tests.walk import intake_walk_values
from trellis.measures.access import (
    access_administration,
    access_own_administration,
    access_response,
)
from trellis.measures.actions import check_submit_response, do_create_administration
from trellis.measures.models import Channel
from trellis.measures.registry import get_instrument
from trellis.measures.tests.factories import answers_for, url_walk_values
from trellis.meetings.access import access_meeting, access_meeting_episode
from trellis.meetings.tests.factory import meeting_walk_values
from trellis.notes.access import access_note, access_note_to_cosign
from trellis.notes.group.access import (
    access_chart_group_entry,
    access_group_note,
    access_group_note_to_cosign,
    access_own_group_entry,
)
from trellis.notes.tests.walk import group_notes_walk_values, plans_notes_walk_values
from trellis.participants.access import access_details, access_portal_account
from trellis.participants.actions import do_open_episode
from trellis.participants.models import EpisodeStatus
from trellis.plans.access import access_clinical_episode
from trellis.privacy.access import access_directed_program, access_episode, access_participant
from trellis.privacy.setup import (
    access_setup_program,
    access_setup_room,
    access_setup_site,
    access_setup_staff,
    access_setup_track,
)
from trellis.scheduling.access import (
    access_attendee,
    access_occurrence,
    access_schedule_program,
    access_series,
)
from trellis.scheduling.queries import find_slot
from trellis.scheduling.tests.walk import scheduling_walk_values
from trellis.transitions.access import access_discharge, access_episode_discharge, access_summary
from trellis.transitions.tests.factory import director_signed_summary
from trellis.worklist.access import access_alert

MALFORMED = "not-an-id"

# Opens one object for `user` by `object_id`; `values` are the ids the walk made.
Opener = Callable[[World, dict[str, str], User, str], Any]


@dataclass(frozen=True)
class Case:
    name: str
    open: Opener
    object_key: str  # which of `values` is an id the forbidden persona may not open
    forbidden: str  # a persona who must not open it
    allowed: str | None  # a persona who may (proves the id is real), if any


def _slot(world: World, values: dict[str, str]) -> Any:
    slot = find_slot(values["series_id"], _date(values["occurrence_date"]))
    assert slot is not None
    return slot


def _date(text: str) -> Any:
    from datetime import date

    return date.fromisoformat(text)


def _meeting(world: World, values: dict[str, str]) -> Any:
    return access_meeting(world.director, values["meeting_id"])


CASES = [
    Case(
        "participant",
        lambda w, v, u, i: access_participant(u, i, purpose="TREAT"),
        "public_id",
        "outsider",
        "clinician",
    ),
    Case(
        "episode",
        lambda w, v, u, i: access_episode(u, i, purpose="TREAT"),
        "episode_id",
        "outsider",
        "clinician",
    ),
    Case(
        "clinical episode (plans)",
        lambda w, v, u, i: access_clinical_episode(u, i),
        "public_id",
        "front_desk",  # sees the person, not the clinical record
        "clinician",
    ),
    Case(
        "note",
        lambda w, v, u, i: access_note(u, v["public_id"], i),
        "note_id",
        "outsider",
        "clinician",
    ),
    Case(
        "note to co-sign",
        lambda w, v, u, i: access_note_to_cosign(u, i),
        "note_id",
        "director",  # not asked to co-sign it
        None,
    ),
    Case(
        "group note",
        lambda w, v, u, i: access_group_note(u, i),
        "group_note_id",
        "other_clinician",  # same program, does not facilitate that group
        "clinician",
    ),
    Case(
        "group note to co-sign",
        lambda w, v, u, i: access_group_note_to_cosign(u, i),
        "group_note_id",
        "director",  # not asked to co-sign it
        None,
    ),
    Case(
        "group note entry in a chart",
        lambda w, v, u, i: access_chart_group_entry(u, v["public_id"], i),
        "entry_id",
        "outsider",
        "clinician",
    ),
    Case(
        "group note entry of one's own",
        lambda w, v, u, i: access_own_group_entry(u, i),
        "entry_id",
        "clinician",  # not their own
        "participant",
    ),
    Case(
        "alert",
        lambda w, v, u, i: access_alert(u, i),
        "alert_id",
        "outsider",
        "clinician",
    ),
    Case(
        "meeting",
        lambda w, v, u, i: access_meeting(u, i),
        "meeting_id",
        "outsider",
        "director",
    ),
    Case(
        "episode discussed in a meeting",
        lambda w, v, u, i: access_meeting_episode(u, _meeting(w, v), i),
        "episode_id",
        "other_clinician",  # runs the program's meetings, not on this care team
        "clinician",
    ),
    Case(
        "a program's set-up (its director only)",
        lambda w, v, u, i: access_directed_program(u, i),
        "program_id",
        "clinician",  # works in the program, does not direct it
        "director",
    ),
    Case(
        "a program's schedule",
        lambda w, v, u, i: access_schedule_program(u, i),
        "program_id",
        "outsider",
        "front_desk",
    ),
    Case(
        "session series",
        lambda w, v, u, i: access_series(u, i),
        "series_id",
        "outsider",
        "front_desk",
    ),
    Case(
        "occurrence",
        lambda w, v, u, i: access_occurrence(u, i, v["occurrence_date"]),
        "series_id",
        "outsider",
        "front_desk",
    ),
    Case(
        "person on an attendance sheet",
        lambda w, v, u, i: access_attendee(u, _slot(w, v), i),
        "episode_id",
        "other_clinician",  # neither manages the schedule nor facilitates
        "front_desk",
    ),
    Case(
        "program set-up",
        lambda w, v, u, i: access_setup_program(u, i),
        "program_id",
        "front_desk",  # works in the program, does not direct it
        "director",
    ),
    Case(
        "site's rooms (set-up)",
        lambda w, v, u, i: access_setup_site(u, i, rooms=True),
        "site_id",
        "clinician",
        "director",
    ),
    Case(
        "site (set-up, administrators only)",
        lambda w, v, u, i: access_setup_site(u, i),
        "site_id",
        "director",
        None,
    ),
    Case(
        "room (set-up)",
        lambda w, v, u, i: access_setup_room(u, i),
        "room_id",
        "front_desk",
        "director",
    ),
    Case(
        "track (set-up)",
        lambda w, v, u, i: access_setup_track(u, i),
        "track_id",
        "outsider",
        "director",
    ),
    Case(
        "staff member (set-up)",
        lambda w, v, u, i: access_setup_staff(u, w.program, i),
        "user_id",
        "front_desk",
        "director",
    ),
    Case(
        "check-in (staff)",
        lambda w, v, u, i: access_administration(u, i),
        "administration_id",
        "outsider",
        "clinician",
    ),
    Case(
        "check-in (participant)",
        lambda w, v, u, i: access_own_administration(u, i),
        "administration_id",
        "clinician",  # not their own
        "participant",
    ),
    Case(
        "discharge summary",
        lambda w, v, u, i: access_summary(u, i),
        "summary_id",
        "clinician",  # same program, not on that person's care team
        "director",
    ),
    Case(
        "episode to discharge (API)",
        lambda w, v, u, i: access_episode_discharge(u, i),
        "episode_id",
        "front_desk",  # sees the episode, may not discharge it
        "director",
    ),
    Case(
        "signed discharge summary (FHIR)",
        lambda w, v, u, i: access_summary(u, i, signed_only=True),
        "summary_id",
        "outsider",
        "director",
    ),
    Case(
        "participant's details to correct",
        lambda w, v, u, i: access_details(u, i),
        "public_id",
        "other_clinician",  # same program, not on the care team, not front desk
        "front_desk",
    ),
    Case(
        "participant's portal account (invite, resend, revoke)",
        lambda w, v, u, i: access_portal_account(u, i, action=Action.UPDATE),
        "public_id",
        "front_desk",  # sees the person, never their account
        "clinician",
    ),
    Case(
        "episode to change (hold, track, step)",
        lambda w, v, u, i: access_discharge(u, i),
        "public_id",
        "front_desk",  # sees the person, may not change the episode
        "clinician",
    ),
    Case(
        "waitlist of a track",
        lambda w, v, u, i: access_waitlist(u, i),
        "track_id",
        "clinician",  # clinicians do not run intake
        "front_desk",
    ),
    Case(
        "waitlist entry",
        lambda w, v, u, i: access_waitlist_entry(u, i),
        "waitlist_entry_id",
        "front_desk",  # sees the line, does not move people on it
        "intake",
    ),
    Case(
        "stored response",
        lambda w, v, u, i: access_response(u, i),
        "response_id",
        "outsider",
        "clinician",
    ),
]


@pytest.fixture
def values(world: World) -> dict[str, str]:
    """Real objects about `world.participant`, made the way the URL walk makes them."""
    target = world.participant
    return {
        "public_id": str(target.public_id),
        "episode_id": str(target.episodes.get().public_id),
        "program_id": str(target.episodes.get().program.public_id),
        "site_id": str(world.site.public_id),
        "track_id": str(world.evening.public_id),
        "user_id": str(world.clinician.public_id),
        **scheduling_walk_values(world, target),
        **url_walk_values(target),
        **plans_notes_walk_values(world, target),
        **meeting_walk_values(world, target),
        **group_notes_walk_values(world, target),
        **intake_walk_values(world, target),
        # Another persona's signed summary: discharging the target would change the others.
        "summary_id": str(director_signed_summary(world, world.other_participant).public_id),
    }


def _denied(world: World, values: dict[str, str], case: Case, user: User, object_id: str) -> str:
    """Open and expect a 404; return its message, having checked that exactly one event was
    recorded for the attempt and that it is a denial."""
    before = Event.objects.filter(actor=user).count()
    with pytest.raises(Http404) as raised:
        case.open(world, values, user, object_id)
    events = list(Event.objects.filter(actor=user).order_by("pk")[before:])
    assert [(e.action, e.outcome) for e in events] == [(Action.DENY, Outcome.DENIED)], (
        case.name,
        object_id,
    )
    return str(raised.value)


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_forbidden_missing_and_malformed_ids_get_the_same_audited_404(
    world: World, values: dict[str, str], case: Case
) -> None:
    user = world.personas[case.forbidden]
    forbidden = _denied(world, values, case, user, values[case.object_key])
    missing = _denied(world, values, case, user, str(uuid.uuid4()))
    malformed = _denied(world, values, case, user, MALFORMED)
    assert forbidden == missing == malformed


@pytest.mark.parametrize(
    "case", [c for c in CASES if c.allowed], ids=[c.name for c in CASES if c.allowed]
)
def test_the_same_id_opens_for_someone_allowed_and_is_recorded(
    world: World, values: dict[str, str], case: Case
) -> None:
    assert case.allowed is not None
    user = world.personas[case.allowed]
    before = Event.objects.filter(actor=user).count()
    assert case.open(world, values, user, values[case.object_key]) is not None
    recorded = Event.objects.filter(actor=user).order_by("pk")[before:]
    assert recorded, case.name
    assert all(e.outcome == Outcome.SUCCESS for e in recorded), case.name


# --- through the URL: pages and the API answer forbidden and missing alike ------------------


@dataclass(frozen=True)
class Page:
    url: str  # `{id}` is the object's id; other `{name}`s come from the walk's values
    object_key: str
    forbidden: str


PAGES = [
    Page("/participants/{public_id}/plan/", "public_id", "front_desk"),
    Page("/participants/{public_id}/notes/{id}/", "note_id", "outsider"),
    Page("/notes/group/{id}/", "group_note_id", "other_clinician"),
    Page("/me/group-notes/{id}/", "entry_id", "clinician"),
    Page("/participants/{public_id}/notes/group/{id}/", "entry_id", "outsider"),
    Page("/worklist/{id}/", "alert_id", "outsider"),
    Page("/meetings/{id}/", "meeting_id", "outsider"),
    Page("/schedule/programs/{id}/attendance/", "program_id", "outsider"),
    Page("/worklist/programs/{id}/on-call/", "program_id", "clinician"),
    Page("/schedule/series/{id}/", "series_id", "outsider"),
    Page("/programs/{id}/setup/", "program_id", "front_desk"),
    Page("/programs/{id}/setup/tracks/", "program_id", "outsider"),
    Page("/programs/tracks/{id}/edit/", "track_id", "outsider"),
    Page("/programs/sites/{id}/rooms/", "site_id", "clinician"),
    Page("/programs/rooms/{id}/edit/", "room_id", "front_desk"),
    Page("/participants/{id}/schedule/hours/", "public_id", "outsider"),
    Page("/participants/{id}/portal-account/", "public_id", "front_desk"),
    Page("/schedule/series/{id}/{occurrence_date}/", "series_id", "outsider"),
    Page("/api/v1/worklist/alerts/{id}", "alert_id", "outsider"),
    Page("/api/v1/meetings/{id}/agenda", "meeting_id", "outsider"),
    Page("/api/v1/scheduling/series/{id}", "series_id", "outsider"),
    Page(
        "/api/v1/scheduling/occurrences/{id}/{occurrence_date}/attendance", "series_id", "outsider"
    ),
    Page("/api/v1/measures/questionnaire-responses/{id}", "response_id", "outsider"),
    Page("/api/v1/notes/participants/{public_id}/{id}", "note_id", "outsider"),
    Page("/discharge-summaries/{id}/", "summary_id", "clinician"),
    Page("/discharge-summaries/{id}/print/", "summary_id", "outsider"),
    Page("/api/v1/discharge-summaries/{id}", "summary_id", "outsider"),
    Page("/api/v1/fhir/DocumentReference/{id}", "summary_id", "front_desk"),
    Page("/api/v1/fhir/EpisodeOfCare/{id}", "episode_id", "outsider"),
    Page("/participants/{id}/details/", "public_id", "other_clinician"),
    Page("/participants/{id}/episode-changes/", "public_id", "front_desk"),
    Page("/intake/waitlist/{id}/", "track_id", "clinician"),
    Page("/intake/{id}/admit/", "inquiry_id", "front_desk"),
    Page("/intake/{id}/consents/", "inquiry_id", "clinician"),
]


def _get(client: Client, page: Page, values: dict[str, str], object_id: str) -> tuple[int, bytes]:
    url = page.url.format(**{**values, "id": object_id})
    response = client.get(url)
    return response.status_code, response.content


@pytest.mark.parametrize("page", PAGES, ids=[p.url for p in PAGES])
def test_pages_and_api_answer_forbidden_and_missing_ids_alike(
    world: World,
    values: dict[str, str],
    client_for: Callable[[User], Client],
    page: Page,
) -> None:
    user = world.personas[page.forbidden]
    client = client_for(user)
    before = Event.objects.filter(actor=user, action=Action.DENY).count()
    forbidden = _get(client, page, values, values[page.object_key])
    missing = _get(client, page, values, str(uuid.uuid4()))
    assert forbidden[0] == 404
    assert forbidden == missing
    if page.url.startswith("/api/"):
        assert _get(client, page, values, MALFORMED) == forbidden
    denials = Event.objects.filter(actor=user, action=Action.DENY).count() - before
    assert denials >= 2


def test_a_response_of_an_episode_the_user_does_not_see_clinically_is_denied_and_recorded(
    world: World,
) -> None:
    """The director sees the participant (their mental-health episode) but not the same
    person's substance-use episode (42 CFR Part 2): a response stored on that episode is the
    same audited 404 (the API answered 404 here without recording the denial)."""
    sud = do_open_episode(None, world.participant, world.sud_program, status=EpisodeStatus.ACTIVE)
    administration = do_create_administration(None, sud, "PHQ-9", due_on=org_today())
    response = check_submit_response(
        None, administration, answers_for(get_instrument("PHQ-9"), 5), channel=Channel.PORTAL
    )
    before = Event.objects.filter(actor=world.director).count()
    with pytest.raises(Http404):
        access_response(world.director, response.public_id)
    events = Event.objects.filter(actor=world.director).order_by("pk")[before:]
    assert [(e.action, e.object_type) for e in events] == [(Action.DENY, "measures.response")]
