"""Walk every URL pattern of the project as every persona; no participant data may reach a
persona who must not see it.

When a new URL takes a parameter this walk does not know yet, the test fails and names it:
add a value to `parameter_values` that points the URL at the protected participant's data.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from tests.personas import World, add_discharged_episodes, discharge_all
from trellis.accounts.actions import do_create_api_token
from trellis.accounts.models import User
from trellis.intake.tests.walk import intake_board_walk_values, intake_walk_values
from trellis.measures.tests.factories import url_walk_values
from trellis.meetings.tests.factory import meeting_walk_values
from trellis.messaging.actions import NewThread, do_start_thread
from trellis.messaging.models import Message, Recipient
from trellis.messaging.tests.helpers import messaging_walk_values
from trellis.notes.tests.walk import group_notes_walk_values, plans_notes_walk_values
from trellis.participants.models import GuardianLink, Participant
from trellis.participants.tests.guardian_factories import build_teens
from trellis.peers.tests.helpers import alumnus, peers_walk_values
from trellis.practice.tests.helpers import dear_man
from trellis.practice.tests.walk import practice_assign_walk_values
from trellis.practice.tests.walk_safety import safety_walk_values
from trellis.scheduling.models import SessionNotice
from trellis.scheduling.tests.factory import daily_group, enroll, local_today
from trellis.scheduling.tests.walk import scheduling_walk_values
from trellis.transitions.tests.factory import director_signed_summary, transitions_walk_values
from trellis.worklist.tests.walk import on_call_walk_values

ROUTE_PARAMETER = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")
REGEX_GROUP = re.compile(r"\(\?P<(?P<name>\w+)>[^)]*\)")
API_PARAMETER = re.compile(r"\{(?P<name>\w+)\}")


def all_routes() -> Iterator[tuple[str, str]]:
    """Every (route, name) of the project, with nested prefixes joined."""

    def walk(
        patterns: list[URLPattern | URLResolver], prefix: str, namespace: str
    ) -> Iterator[tuple[str, str]]:
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                inner = ":".join(n for n in [namespace, pattern.namespace or ""] if n)
                yield from walk(pattern.url_patterns, route, inner)
            else:
                yield route, f"{namespace}:{pattern.name}" if namespace else str(pattern.name)

    yield from walk(get_resolver().url_patterns, "", "")


def parameter_values(
    world: World, target: Participant, *, with_inquiry: bool = True
) -> dict[str, str]:
    episode = target.episodes.get()
    token, _ = do_create_api_token(world.director, name="walk")
    return {
        "public_id": str(target.public_id),
        "episode_id": str(episode.public_id),
        "program_id": str(episode.program.public_id),
        "track_id": str(episode.track.public_id if episode.track else episode.program.public_id),
        "token_id": str(token.public_id),
        "user_id": str(world.clinician.public_id),  # a staff member of the program (set-up)
        "site_id": str(episode.program.site.public_id if episode.program.site else target.pk),
        "uidb64": "MQ",
        "token": "set-password",
        "object_id": str(target.pk),
        "content_type_id": "1",
        "id": str(target.pk),
        "app_label": "programs",
        "url": "no-such-page",
        "rest": "no-such-endpoint",
        **scheduling_walk_values(world, target),
        **url_walk_values(target),  # measures and worklist: trellis/measures/tests/factories.py
        **plans_notes_walk_values(world, target),  # plans and notes
        **meeting_walk_values(world, target),  # a team meeting discussing the target
        **group_notes_walk_values(world, target),  # group notes: the note and target's entry
        **on_call_walk_values(world, target),  # an on-call shift of the target's program
        **safety_walk_values(world, target),  # practice: a signed safety plan of the target
        **transitions_walk_values(target),  # the discharge summary, when the target has one
        # practice-library: a skill of the organization's library (set-up, not participant data)
        "skill_id": str(dear_man(world.organization).public_id),
        # practice-config: a library module (retire / restore; set-up, not participant data)
        "module_id": str(dear_man(world.organization).module.public_id),
        **practice_assign_walk_values(world, target),  # practice: an assignment of the target
        **messaging_walk_values(world, target),  # messages: a thread of the target and a reply
        **peers_walk_values(world, target),  # peer space: the target's post, in the queue
        "participant_id": str(target.public_id),  # practice: the diary card's week
        # finder: a directory listing (public data; none in this world, so every persona
        # gets the finder's 404, and no page can carry the target's data)
        "listing_id": str(target.public_id),
        # An inquiry about the target (the intake API).
        **(
            intake_walk_values(world, target)
            if with_inquiry
            else {
                "inquiry_id": str(target.pk),
                "waitlist_entry_id": str(target.pk),
                "document_id": str(target.pk),
                "consent_id": str(target.pk),
                "decision_id": str(target.pk),
            }
        ),
    }


def concrete_paths(values: dict[str, str]) -> Iterator[tuple[str, str]]:
    for route, name in all_routes():
        path = route.lstrip("^").rstrip("$").replace("^", "").replace("$", "")
        for pattern in (ROUTE_PARAMETER, REGEX_GROUP, API_PARAMETER):
            for match in pattern.finditer(path):
                if match.group("name") not in values:
                    pytest.fail(
                        f"URL {name} ({route}) takes “{match.group('name')}”: "
                        "add a value for it to parameter_values in tests/test_url_access.py"
                    )
            path = pattern.sub(lambda m: values[m.group("name")], path)
        yield "/" + path, name


def leaks(body: str, target: Participant) -> list[str]:
    identifiers = [target.family_name, target.mrn, target.email]
    return [text for text in identifiers if text and text in body]


def fetch_all(
    client: Client,
    values: dict[str, str],
    target: Participant,
    *,
    only: frozenset[str] = frozenset(),
) -> Iterator[tuple[str, str, int]]:
    """GET every path (or only the URLs named in `only`), plain and with a search for the
    target's name; yield any leaks."""
    for path, name in concrete_paths(values):
        if only and name not in only:
            continue
        # Search with part of the name: pages may echo the search box back, and an echo of
        # "Quillfeath" is not a leak of "Quillfeather"; a matching result still is.
        for query in ("", f"?q={target.family_name[:-2]}&status=active"):
            response = client.get(path + query)
            if response.get("Content-Type", "").startswith(("text/", "application/json")):
                # Iterating works for plain and streaming responses (the CSV export) alike.
                body = b"".join(response).decode()
                for text in leaks(body, target):
                    yield name, text, response.status_code


# The intake board's pages: walked a second time with an open inquiry (intake_walk_values'
# is admitted, so it is not on the board).
INTAKE_BOARD = frozenset(
    {"intake:board", "intake:detail", "intake:log", "intake:assign", "intake:status",
     "intake:merge", "intake:link", "intake:new", "intake:settings"}
)  # fmt: skip

# (persona, participant they must never see). The compliance officer reads identities in the
# audit report (their job), so compliance pages are exempt for them; nowhere else.
FORBIDDEN = [
    ("anonymous", "participant"),
    ("other_clinician", "participant"),
    ("outsider", "participant"),
    ("compliance", "participant"),
    ("participant", "other_participant"),
    ("clinician", "other_participant"),
    ("director", "sud_participant"),
    ("clinician", "sud_participant"),
    ("front_desk", "sud_participant"),
    ("intake", "sud_participant"),
    ("participant", "sud_participant"),
]


@pytest.mark.parametrize(("persona", "target_name"), FORBIDDEN)
def test_no_url_shows_a_participant_to_a_persona_who_must_not_see_them(
    world: World, client_for: Callable[[User], Client], persona: str, target_name: str
) -> None:
    target: Participant = getattr(world, target_name)
    client = Client() if persona == "anonymous" else client_for(world.personas[persona])
    values = parameter_values(world, target)
    found = [
        (name, text, status)
        for name, text, status in fetch_all(client, values, target)
        if not (persona == "compliance" and name.startswith("compliance:"))
    ]
    # The intake board's pages again, with an open inquiry from the target in their program.
    found += fetch_all(
        client, values | intake_board_walk_values(world, target), target, only=INTAKE_BOARD
    )
    assert found == [], f"{persona} saw {target_name}'s data at: {found}"


# After discharge, once the care team has ended, intake's window does not reopen and a Part 2
# episode stays out of the other program. trellis/privacy/tests/test_discharged.py checks every
# persona's scope on both; this walks every URL for those who must see nothing at all. (Former
# team members keep what their work shows them: the roster of a group they ran, their tasks.)
FORBIDDEN_AFTER_DISCHARGE = [
    ("intake", "mental_health"),
    ("intake", "substance_use"),
    ("director", "substance_use"),
    ("front_desk", "substance_use"),
]


@pytest.mark.parametrize(("persona", "program"), FORBIDDEN_AFTER_DISCHARGE)
def test_no_url_shows_a_discharged_episode_to_a_persona_who_must_not_see_it(
    world: World, client_for: Callable[[User], Client], persona: str, program: str
) -> None:
    discharged = add_discharged_episodes(world, discharge=False)
    target: Participant = getattr(discharged, program)
    # Without an inquiry: intake keeps its program's inquiries, admitted ones included
    # (intake.access; issue 11: "intake coordinators see inquiries ... of their programs"),
    # so the inquiry that brought a person in stays readable to intake after discharge.
    values = parameter_values(world, target, with_inquiry=False)  # written while open
    discharge_all(world, discharged)
    found = list(fetch_all(client_for(world.personas[persona]), values, target))
    assert found == [], f"{persona} saw the discharged {program} episode at: {found}"


# A signed discharge summary and aftercare plan: the care team, the program's director and the
# participant themself read it. Front desk and intake may know who the person is, so this walk
# looks for the summary's own words rather than the person's identity.
SUMMARY_MARKERS = ("Walk narrative", "Walk provider")
FORBIDDEN_SUMMARY = [
    ("other_clinician", "participant"),
    ("front_desk", "participant"),
    ("intake", "participant"),
    ("participant", "other_participant"),
]


@pytest.mark.parametrize(("persona", "target_name"), FORBIDDEN_SUMMARY)
def test_no_url_shows_a_discharge_summary_to_a_persona_who_must_not_see_it(
    world: World, client_for: Callable[[User], Client], persona: str, target_name: str
) -> None:
    target: Participant = getattr(world, target_name)
    values = parameter_values(world, target)  # notes, plans, scores… written while open
    director_signed_summary(world, target)
    values |= transitions_walk_values(target)
    client = client_for(world.personas[persona])
    found = []
    for path, name in concrete_paths(values):
        body = b"".join(client.get(path)).decode(errors="replace")
        found += [(name, marker) for marker in SUMMARY_MARKERS if marker in body]
    assert found == [], f"{persona} saw {target_name}'s discharge summary at: {found}"


def test_the_walk_reaches_the_chart_and_finds_data_where_it_is_allowed(
    world: World, client_for: Callable[[User], Client]
) -> None:
    """Guards the guard: the same walk does see the participant for their own clinician."""
    values = parameter_values(world, world.participant)
    seen = {
        name for name, _, _ in fetch_all(client_for(world.clinician), values, world.participant)
    }
    board = values | intake_board_walk_values(world, world.participant)
    seen_by_intake = {
        name
        for name, _, _ in fetch_all(
            client_for(world.director), board, world.participant, only=INTAKE_BOARD
        )
    }
    assert {"intake:board", "intake:detail"} <= seen_by_intake  # the inquiry is reached
    assert "participants:chart" in seen
    assert "participants:list" in seen
    assert "meetings:detail" in seen  # the team meeting that discusses them
    assert {"notes:group", "notes:chart-group-entry"} <= seen  # group notes reached too
    assert "practice:diary" in seen  # the diary card's week names whose card it is
    assert "participants:portal-account" in seen  # the care team manages the sign-in
    assert {"messaging:thread", "messaging:chart-tab", "messaging:inbox"} <= seen  # messages


def test_the_walk_reaches_inquiries_and_the_funnel_for_the_programs_director(
    world: World, client_for: Callable[[User], Client]
) -> None:
    values = parameter_values(world, world.participant)
    client = client_for(world.director)
    seen = {name for name, _, _ in fetch_all(client, values, world.participant)}
    assert "api:get_inquiry" in seen  # the inquiry about the participant, by id
    assert {"peers:queue", "peers:moderate"} <= seen  # the director moderates the boards
    paths = {name: path for path, name in concrete_paths(values)}
    assert client.get(paths["intake:funnel"]).status_code == 200  # figures, never names


def test_the_walk_reaches_a_discharge_summary_for_its_readers(
    world: World, client_for: Callable[[User], Client]
) -> None:
    values = parameter_values(world, world.participant)
    director_signed_summary(world, world.participant)
    values |= transitions_walk_values(world.participant)
    seen = {name for name, _, _ in fetch_all(client_for(world.director), values, world.participant)}
    assert {"transitions:summary", "transitions:print"} <= seen


PERSONAS_FOR_ME = frozenset(
    {"participant", "clinician", "other_clinician", "director", "front_desk", "intake",
     "compliance", "outsider"}
)  # fmt: skip

# The participant's portal (docs/portal.md): every /me/ address answers every persona
# clearly (the participant: their own pages; staff: their Today; no role: the "no role"
# page; signed out: the sign-in page), never with a 500.
ME_PATHS = [
    "/me/", "/me/record/", "/me/schedule/", "/me/check-ins/", "/me/plan/", "/me/group-notes/",
    "/me/practice/", "/me/practice/diary/", "/me/practice/safety-plan/", "/me/aftercare/",
    "/me/schedule/track/", "/me/messages/", "/me/messages/new/", "/me/progress/",
    "/me/offline/", "/me/offline/key/", "/me/manifest.webmanifest", "/me/sw.js",
    "/me/notifications/", "/me/guardians/", "/family/", "/me/peers/",
]  # fmt: skip


@pytest.mark.parametrize("persona", ["anonymous", *sorted(PERSONAS_FOR_ME)])
def test_every_portal_address_answers_every_persona(
    world: World, client_for: Callable[[User], Client], persona: str
) -> None:
    client = Client() if persona == "anonymous" else client_for(world.personas[persona])
    answers = {path: client.get(path).status_code for path in ME_PATHS}
    assert all(status < 500 for status in answers.values()), answers
    # Installable and offline: the manifest and the worker answer anyone (browsers fetch the
    # manifest without cookies); the offline page and the device key only the participant.
    assert answers["/me/manifest.webmanifest"] == 200
    assert answers["/me/sw.js"] == 200
    if persona == "anonymous":
        assert answers["/me/offline/key/"] == 401
    elif persona != "participant":
        assert answers["/me/offline/key/"] == 404
        assert answers["/me/offline/"] in {302, 403}
        assert answers["/me/notifications/"] in {302, 403}
    if persona == "participant":
        assert answers["/me/notifications/"] == 200
        assert answers["/me/"] == 200
        assert answers["/me/record/"] == 200
        assert answers["/me/schedule/track/"] == 200
        assert answers["/me/messages/"] == 200
        assert answers["/me/messages/new/"] == 200
        assert answers["/me/progress/"] == 200
        assert answers["/me/offline/"] == 200
        assert answers["/me/offline/key/"] == 200
        assert answers["/me/peers/"] == 200


# The participant's own API (docs/api.md, "The participant's own API"): the participant
# gets their own data; everyone else signed in the audited 404; signed out 401.
ME_API_PATHS = [
    "/api/v1/me/sessions", "/api/v1/me/progress", "/api/v1/transitions/me/track-request",
    "/api/v1/notifications/me/preferences", "/api/v1/messaging/me/threads",
]  # fmt: skip


@pytest.mark.parametrize("persona", ["anonymous", *sorted(PERSONAS_FOR_ME)])
def test_every_participant_api_address_answers_only_the_participant(
    world: World, client_for: Callable[[User], Client], persona: str
) -> None:
    client = Client() if persona == "anonymous" else client_for(world.personas[persona])
    answers = {path: client.get(path).status_code for path in ME_API_PATHS}
    expected = {"anonymous": 401, "participant": 200}.get(persona, 404)
    assert answers == dict.fromkeys(ME_API_PATHS, expected), persona
    inbox = client.get("/api/v1/messaging/inbox").status_code
    assert inbox == {"anonymous": 401, "participant": 403}.get(persona, 200), persona


@pytest.mark.parametrize("persona", ["anonymous", *sorted(PERSONAS_FOR_ME)])
def test_only_the_participant_sends_a_session_notice_for_their_session(
    world: World, client_for: Callable[[User], Client], persona: str
) -> None:
    """scheduling:my-notice is POST only (the walk's GET gets 405): each persona posts "I'll
    be late" for the participant's session tomorrow; only the participant's is stored."""
    series = daily_group(world, dtstart=local_today(world))
    enroll(series, world.participant, series.dtstart)
    day = local_today(world) + timedelta(days=1)
    client = Client() if persona == "anonymous" else client_for(world.personas[persona])
    response = client.post(
        f"/me/schedule/{series.public_id}/{day:%Y-%m-%d}/notice/", {"kind": "late", "minutes": 10}
    )
    if persona == "participant":
        assert response.status_code == 302
        assert SessionNotice.objects.count() == 1
    else:
        assert response.status_code in {302, 404}, persona  # anonymous: the sign-in page
        assert persona == "anonymous" or response.status_code == 404
        assert not SessionNotice.objects.exists()


@pytest.mark.parametrize("persona", ["anonymous", *sorted(PERSONAS_FOR_ME)])
def test_the_language_switcher_changes_only_the_participants_own_record(
    world: World, client_for: Callable[[User], Client], persona: str
) -> None:
    """portal:language (docs/portal.md, "Spanish") is POST only: the participant's choice
    goes on their own record; signed out it is the language cookie; staff (English only)
    are sent back with nothing changed, nobody's record touched."""
    client = Client() if persona == "anonymous" else client_for(world.personas[persona])
    assert client.get("/language/").status_code == 405
    response = client.post("/language/", {"language": "es", "next": "/"})
    assert response.status_code == 302, persona
    languages = set(Participant.objects.values_list("language", flat=True))
    if persona == "participant":
        world.participant.refresh_from_db()
        assert world.participant.language == "es"
    else:
        assert "es" not in languages, persona
    if persona == "anonymous":
        assert response.cookies["trellis_language"].value == "es"


# Guardians (docs/portal.md, "Guardians"): a guardian persona, linked to one adolescent, walks
# every URL with the ids of another adolescent of the same program (a sibling nobody guards)
# and of an adult participant: nothing of either may reach them.
@pytest.mark.parametrize("target_name", ["sibling", "participant"])
def test_no_url_shows_a_guardian_anyone_they_do_not_guard(
    world: World, client_for: Callable[[User], Client], target_name: str
) -> None:
    teens = build_teens(world)
    target = teens.sibling if target_name == "sibling" else world.participant
    values = parameter_values(world, target)
    found = list(fetch_all(client_for(teens.guardian), values, target))
    assert found == [], f"the guardian saw {target_name}'s data at: {found}"


def test_the_guardians_addresses_answer_every_persona(
    world: World, client_for: Callable[[User], Client]
) -> None:
    """/family/ and /family/<id>/ (the guarded teenager's id) for every persona; only the
    guardian sees the teenager; /me/guardians/ is the participant's."""
    teens = build_teens(world)
    own = f"/family/{teens.teen.public_id}/"
    # The guardian's messages (docs/portal.md, "Guardians", "Messages"): their own thread.
    thread = do_start_thread(
        teens.guardian,
        teens.teen,
        teens.teen.episodes.get(),
        NewThread(recipient=Recipient.CARE_TEAM, subject="", body="Guardian-only words"),
        guardian_link=teens.link,
    )
    family_messages = [
        f"{own}messages/",
        f"{own}messages/new/",
        f"{own}messages/{thread.public_id}/",
    ]
    personas = {"anonymous": None, **world.personas, "guardian": teens.guardian}
    for persona, user in personas.items():
        client = Client() if user is None else client_for(user)
        paths = ("/family/", own, "/me/guardians/", *family_messages)
        answers = {path: client.get(path) for path in paths}
        assert all(r.status_code < 500 for r in answers.values()), persona
        if persona == "guardian":
            assert answers["/family/"].status_code == 200
            assert answers[own].status_code == 200
            assert answers["/me/guardians/"].status_code == 302  # to their home
            assert all(answers[path].status_code == 200 for path in family_messages)
        elif persona == "anonymous":
            assert all(r.status_code == 302 for r in answers.values())
        else:
            for path in (own, *family_messages):
                assert answers[path].status_code == 404, (persona, path)
                assert teens.teen.given_name not in answers[path].content.decode()
                assert "Guardian-only words" not in answers[path].content.decode()
            assert answers["/family/"].status_code in {302, 403}, persona
            posted = client.post(family_messages[1], {"body": "Not theirs"})
            assert posted.status_code == 404, persona
        if persona == "participant":
            assert answers["/me/guardians/"].status_code == 200
    assert GuardianLink.objects.count() == 1
    assert Message.objects.count() == 1


def test_an_alumnus_reaches_the_alumni_board_and_nobody_elses_data(
    world: World, client_for: Callable[[User], Client]
) -> None:
    """The alumni persona (docs/portal.md, "Peer space"): a discharged participant who still
    signs in reads their program's alumni board and no longer their track's; every URL with
    the participant's ids shows them nothing of the participant."""
    former = alumnus(world)
    assert former.user is not None
    client = client_for(former.user)
    values = parameter_values(world, world.participant)
    assert client.get("/me/peers/").status_code == 200
    assert client.get(f"/me/peers/alumni/{world.program.public_id}/").status_code == 200
    assert client.get(f"/me/peers/alumni/{world.sud_program.public_id}/").status_code == 404
    assert client.get(f"/me/peers/track/{world.evening.public_id}/").status_code == 404
    found = list(fetch_all(client, values, world.participant))
    assert found == [], f"the alumnus saw the participant's data at: {found}"
