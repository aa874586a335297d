"""The peer space end to end (docs/portal.md, "Peer space"): membership, the first visit,
posting, bad input, reports and the moderation queue, pre-moderation, self-harm surfacing,
who may see what, audit, and the query counts of the board and the queue."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from tests.personas import PASSWORD, World, make_participant
from tests.queries import CountQueries
from trellis.accounts.actions import do_create_user
from trellis.accounts.models import User
from trellis.audit.models import Action, Event
from trellis.participants.actions import do_discharge
from trellis.participants.actions.enrollment import do_change_track
from trellis.participants.models import DischargeReason, EpisodeStatus, Participant
from trellis.peers.actions import ALERT_TITLE, MAX_POST, do_report
from trellis.peers.models import (
    RULES_VERSION,
    Moderation,
    PeerSettings,
    Post,
    PostStatus,
    Profile,
    Report,
)
from trellis.peers.queries import boards_of, moderated_program_ids
from trellis.peers.screening import mentions_self_harm
from trellis.peers.tests.helpers import join, write
from trellis.worklist.models import Alert, Priority

pytestmark = pytest.mark.django_db

Clients = Callable[[User], Client]


def _member(world: World, n: int = 1, *, track: Any = None) -> Participant:
    """Another participant with a sign-in, on the evening track (the participant's) unless
    told otherwise."""
    user = do_create_user(None, username=f"member{n}", password=PASSWORD, is_staff_profile=False)
    return make_participant(
        world.organization,
        f"MRN-90{n:02d}",
        f"Given{n}",
        f"Family{n}",
        program=world.program,
        track=track or world.evening,
        user=user,
    )


def _board_url(world: World, track: Any = None) -> str:
    return reverse("peers:track-board", args=[(track or world.evening).public_id])


def _join(client: Client, world: World, name: str = "Sunny", **extra: str) -> Any:
    data = {"form": "join", "display_name": name, "accept_rules": "yes"} | extra
    return client.post(_board_url(world), data)


def _post(client: Client, world: World, body: str, key: str = "") -> Any:
    return client.post(_board_url(world), {"form": "post", "body": body, "idempotency_key": key})


# --- membership ---


def test_members_are_the_people_in_care_on_the_track_and_a_track_change_moves_them(
    world: World,
) -> None:
    boards = boards_of(world.participant)
    assert [(b.program, b.track) for b in boards] == [(world.program, world.evening)]
    assert [b.track for b in boards_of(world.other_participant)] == [world.morning]
    episode = world.participant.episodes.get()
    do_change_track(None, episode, world.morning, effective_on=world.organization.today())
    assert [b.track for b in boards_of(world.participant)] == [world.morning]
    # The old board answers 404 now, the new one opens.
    client = Client()
    client.force_login(world.participant_user)
    assert client.get(_board_url(world)).status_code == 404
    assert client.get(_board_url(world, world.morning)).status_code == 200


def test_discharge_moves_a_member_to_the_alumni_board(world: World, client_for: Clients) -> None:
    episode = world.participant.episodes.get()
    do_discharge(
        None, episode, discharged_on=world.organization.today(), reason=DischargeReason.COMPLETED
    )
    boards = boards_of(world.participant)
    assert [(b.program, b.track) for b in boards] == [(world.program, None)]
    alumni = client_for(world.participant_user)
    url = reverse("peers:alumni-board", args=[world.program.public_id])
    page = alumni.get(url)
    assert page.status_code == 200
    assert "alumni" in page.content.decode()
    assert alumni.get(_board_url(world)).status_code == 404
    # People in care are not on the alumni board.
    member = _member(world)
    assert client_for(member.user).get(url).status_code == 404  # type: ignore[arg-type]


def test_planned_and_closed_before_admission_are_on_no_board(world: World) -> None:
    planned = make_participant(
        world.organization, "MRN-9500", "Pl", "Anned", program=world.program,
        track=world.evening, status=EpisodeStatus.PLANNED,
    )  # fmt: skip
    assert boards_of(planned) == []


# --- the first visit ---


def test_the_first_visit_asks_for_a_display_name_and_the_rules(
    world: World, client_for: Clients
) -> None:
    pat = client_for(world.participant_user)
    first = pat.get(_board_url(world)).content.decode()
    assert "Before you join" in first
    assert "Be kind." in first
    assert 'href="tel:988"' in first  # the crisis line
    # Without the rules: nothing stored, the field named.
    response = pat.post(_board_url(world), {"form": "join", "display_name": "Sunny"})
    assert response.status_code == 400
    assert "Accept the community rules to join." in response.content.decode()
    assert not Profile.objects.exists()
    assert _join(pat, world).status_code == 302
    profile = Profile.objects.get()
    assert (profile.display_name, profile.rules_version) == ("Sunny", RULES_VERSION)
    assert profile.rules_accepted_at is not None
    with connection.cursor() as cursor:
        cursor.execute("SELECT display_name FROM peers_profile")
        (stored,) = cursor.fetchone()
    assert "Sunny" not in stored
    assert Event.objects.filter(
        action=Action.CREATE, object_type="peers.profile", participant=world.participant
    ).exists()


def test_the_legal_name_needs_a_tick_and_names_are_unique_in_the_program(
    world: World, client_for: Clients
) -> None:
    pat = client_for(world.participant_user)
    refused = _join(pat, world, "patricia  QUILLFEATHER")
    assert refused.status_code == 400
    assert "This is your full name" in refused.content.decode()
    assert not Profile.objects.exists()
    assert _join(pat, world, "Patricia Quillfeather", use_legal_name="yes").status_code == 302
    other = _member(world)
    taken = _join(client_for(other.user), world, "pátricia quillfeather")  # type: ignore[arg-type]
    assert taken.status_code == 400
    assert "Someone in your program uses this name" in taken.content.decode()
    for bad in ("", "x", "a" * 31, "<b>bold</b>", "name\u202e"):
        assert _join(client_for(other.user), world, bad).status_code == 400, bad  # type: ignore[arg-type]
    assert Profile.objects.count() == 1


def test_new_rules_are_accepted_again_before_posting(world: World, client_for: Clients) -> None:
    join(world.participant, "Sunny")
    Profile.objects.update(rules_version=RULES_VERSION - 1)
    pat = client_for(world.participant_user)
    assert "The community rules have changed" in pat.get(_board_url(world)).content.decode()
    assert pat.post(_board_url(world), {"form": "join", "accept_rules": "yes"}).status_code == 302
    assert Profile.objects.get().rules_version == RULES_VERSION


# --- posting ---


def test_a_post_is_stored_encrypted_shown_escaped_and_stored_once(
    world: World, client_for: Clients
) -> None:
    pat = client_for(world.participant_user)
    _join(pat, world)
    body = "Walked <script>alert(1)</script> today & it helped"
    assert _post(pat, world, body, key="k1").status_code == 302
    assert _post(pat, world, body, key="k1").status_code == 302  # a double submit
    post = Post.objects.get()
    assert (post.status, post.track, post.mentions_self_harm) == (
        PostStatus.VISIBLE, world.evening, False,
    )  # fmt: skip
    with connection.cursor() as cursor:
        cursor.execute("SELECT body FROM peers_post")
        (stored,) = cursor.fetchone()
    assert stored.startswith("gAAAAA")
    member = _member(world)
    join(member, "Robin")
    page = client_for(member.user).get(_board_url(world)).content.decode()  # type: ignore[arg-type]
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<script>alert(1)" not in page
    assert "Sunny" in page
    assert "Quillfeather" not in page
    assert Event.objects.filter(action=Action.CREATE, object_type="peers.post").count() == 1
    # The member's read of the board names the author in the trail.
    assert Event.objects.filter(
        actor=member.user, action=Action.LIST, object_type="peers.board",
        participant=world.participant,
    ).exists()  # fmt: skip


def test_bad_posts_are_refused_with_the_field_named(world: World, client_for: Clients) -> None:
    pat = client_for(world.participant_user)
    _join(pat, world)
    too_long = _post(pat, world, "x" * (MAX_POST + 1))
    assert too_long.status_code == 400
    assert "Keep a post under 2,000 characters" in too_long.content.decode()
    assert _post(pat, world, "   ").status_code == 400
    assert _post(pat, world, "a\x00b").status_code in {400}
    assert _post(pat, world, "x" * 1_000_000).status_code == 400
    assert not Post.objects.exists()
    # Posting before joining stores nothing either.
    member = _member(world)
    assert _post(client_for(member.user), world, "hi").status_code == 400  # type: ignore[arg-type]
    assert not Post.objects.exists()


def test_replies_go_under_a_visible_post(world: World, client_for: Clients) -> None:
    join(world.participant, "Sunny")
    post = write(world.participant, "First day!")
    member = _member(world)
    join(member, "Robin")
    robin = client_for(member.user)  # type: ignore[arg-type]
    url = reverse("peers:post", args=[post.public_id])
    assert robin.post(url, {"body": "Welcome!"}).status_code == 302
    page = client_for(world.participant_user).get(url).content.decode()
    assert "Welcome!" in page
    assert "Robin" in page
    assert "1 reply" in client_for(world.participant_user).get(_board_url(world)).content.decode()


# --- reports, the queue, hiding ---


def test_a_report_reaches_the_queue_and_a_moderator_hides_the_post_with_a_reason(
    world: World, client_for: Clients
) -> None:
    join(world.participant, "Sunny")
    post = write(world.participant, "Buy my supplements")
    member = _member(world)
    join(member, "Robin")
    robin = client_for(member.user)  # type: ignore[arg-type]
    report_url = reverse("peers:report", args=[post.public_id])
    assert robin.post(report_url, {"reason": "nonsense"}).status_code == 400
    assert robin.post(report_url, {"reason": "spam", "note": "ads"}).status_code == 302
    assert robin.post(report_url, {"reason": "spam"}).status_code == 302  # once only
    assert Report.objects.count() == 1
    # Reporting one's own post is refused.
    own = client_for(world.participant_user).post(report_url, {"reason": "spam"})
    assert own.status_code == 400

    director = client_for(world.director)
    queue = director.get(reverse("peers:queue")).content.decode()
    assert "Buy my supplements" in queue
    assert "Reported 1×" in queue
    assert "Quillfeather" not in queue  # display names only
    assert Event.objects.filter(
        actor=world.director, action=Action.LIST, object_id="queue", participant=world.participant
    ).exists()
    moderate = reverse("peers:moderate", args=[post.public_id])
    assert "Spam or selling" in director.get(moderate).content.decode()
    assert director.post(moderate, {"kind": "hide"}).status_code == 400  # a reason is required
    assert director.post(moderate, {"kind": "hide", "reason": "Selling"}).status_code == 302
    post.refresh_from_db()
    assert (post.status, post.needs_review) == (PostStatus.HIDDEN, False)
    assert Report.objects.get().resolved_at is not None
    assert Moderation.objects.get().reason == "Selling"
    assert "Buy my supplements" not in robin.get(_board_url(world)).content.decode()
    own_view = client_for(world.participant_user).get(_board_url(world)).content.decode()
    assert "Hidden by a moderator" in own_view
    assert "Nothing waits" in director.get(reverse("peers:queue")).content.decode()
    assert director.post(moderate, {"kind": "approve"}).status_code == 400  # restore, with a reason
    # Restored, with its reason.
    assert (
        director.post(moderate, {"kind": "restore", "reason": "On second look"}).status_code == 302
    )
    assert "Buy my supplements" in robin.get(_board_url(world)).content.decode()
    assert list(Moderation.objects.values_list("kind", flat=True)) == ["hide", "restore"]


def test_pre_moderation_holds_posts_until_approved(world: World, client_for: Clients) -> None:
    PeerSettings.objects.create(program=world.program, premoderation=True)
    pat = client_for(world.participant_user)
    _join(pat, world)
    _post(pat, world, "Hello everyone")
    post = Post.objects.get()
    assert (post.status, post.needs_review) == (PostStatus.PENDING, True)
    assert "Waiting for a moderator" in pat.get(_board_url(world)).content.decode()
    member = _member(world)
    join(member, "Robin")
    robin = client_for(member.user)  # type: ignore[arg-type]
    assert "Hello everyone" not in robin.get(_board_url(world)).content.decode()
    assert robin.get(reverse("peers:post", args=[post.public_id])).status_code == 404
    director = client_for(world.director)
    assert "Waiting for approval" in director.get(reverse("peers:queue")).content.decode()
    moderate = reverse("peers:moderate", args=[post.public_id])
    assert director.post(moderate, {"kind": "approve"}).status_code == 302
    assert "Hello everyone" in robin.get(_board_url(world)).content.decode()


# --- self-harm ---


def test_a_post_about_self_harm_alerts_the_moderators_once_and_shows_the_crisis_line(
    world: World, client_for: Clients
) -> None:
    PeerSettings.objects.create(program=world.program).moderators.add(world.clinician)
    pat = client_for(world.participant_user)
    _join(pat, world)
    response = _post(pat, world, "Some nights I want to die", key="sh1")
    _post(pat, world, "Some nights I want to die", key="sh1")  # a double submit
    assert response.status_code == 302
    assert response["Location"].endswith("?help=1#crisis")
    shown = pat.get(response["Location"]).content.decode()
    assert 'href="tel:988"' in shown
    assert "A moderator from your program will read it soon" in shown
    assert shown.index("Need help now?") < shown.index("Some nights")  # the crisis text first
    post = Post.objects.get()
    assert post.mentions_self_harm
    assert post.needs_review
    # It waits for a moderator: its author sees it marked, the other members do not see it.
    assert post.status == PostStatus.PENDING
    assert "Waiting for a moderator" in shown
    member = _member(world)
    join(member, "Robin")
    assert member.user is not None
    assert "Some nights" not in client_for(member.user).get(_board_url(world)).content.decode()
    alert = Alert.objects.get()
    assert alert.priority == Priority.URGENT
    assert alert.title == ALERT_TITLE
    assert "die" not in alert.title + alert.detail
    recipients = set(alert.recipients.values_list("user_id", flat=True))
    assert {world.director.pk, world.clinician.pk} <= recipients
    detail = client_for(world.director).get(reverse("worklist:detail", args=[alert.public_id]))
    assert reverse("peers:moderate", args=[post.public_id]) in detail.content.decode()
    queue = client_for(world.director).get(reverse("peers:queue")).content.decode()
    assert "Mentions self-harm" in queue
    assert Alert.objects.count() == 1
    # A refused post about it (too long) still opens on the crisis line; nothing is stored.
    refused = _post(pat, world, "I want to die " + "x" * MAX_POST).content.decode()
    assert refused.index("Need help now?") < refused.index("Write a post")
    assert Post.objects.count() == 1
    # A reply that mentions it (in Spanish) the same day joins the day's item: it is marked and
    # at the top of the queue.
    reply = write(world.participant, "a veces me quiero morir", parent=post)
    assert reply.mentions_self_harm
    assert reply.needs_review
    assert Alert.objects.count() == 1
    # Another member's post raises their own.
    write(member, "I keep thinking about suicide")
    assert Alert.objects.count() == 2


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("I want to kill myself", True),
        ("thinking about SUICIDE again", True),
        ("I've been cutting myself", True),
        ("Quiero quitarme la vida", True),
        ("pensé en hacerme daño", True),
        ("a veces me quiero morir", True),
        ("I'm not suicidal anymore", True),  # conservative: a moderator reads it
        ("This group is killing it", False),
        ("The skills help me a lot", False),
        ("Me cortaron el pelo", False),
    ],
)
def test_the_self_harm_check(text: str, expected: bool) -> None:
    assert mentions_self_harm(text) is expected


# --- who may see what ---


@pytest.mark.parametrize(
    "persona", ["clinician", "other_clinician", "front_desk", "intake", "compliance", "outsider"]
)
def test_staff_who_do_not_moderate_the_program_get_404(
    world: World, client_for: Clients, persona: str
) -> None:
    join(world.participant, "Sunny")
    post = write(world.participant, "Hello")
    client = client_for(world.personas[persona])
    assert client.get(reverse("peers:queue")).status_code == 404
    moderate = reverse("peers:moderate", args=[post.public_id])
    assert client.get(moderate).status_code == 404
    assert client.post(moderate, {"kind": "hide", "reason": "x"}).status_code == 404
    assert Post.objects.get().status == PostStatus.VISIBLE
    # Staff on /me/peers/ go to their Today.
    assert client.get(reverse("peers:mine")).status_code == 302


def test_moderators_see_only_their_programs_boards(world: World, client_for: Clients) -> None:
    settings = PeerSettings.objects.create(program=world.program)
    settings.moderators.add(world.outsider)  # staff of the other program: named, not counted
    assert moderated_program_ids(world.outsider) == set()
    assert moderated_program_ids(world.director) == {world.program.pk}
    settings.moderators.add(world.clinician)
    assert moderated_program_ids(world.clinician) == {world.program.pk}
    sud_member = make_participant(
        world.organization, "MRN-9600", "Sud", "Member", program=world.sud_program,
        track=world.sud_track,
    )  # fmt: skip
    join(sud_member, "Oak")
    PeerSettings.objects.create(program=world.sud_program, premoderation=True)
    post = write(sud_member, "Other program's post")
    director = client_for(world.director)
    assert "Other program" not in director.get(reverse("peers:queue")).content.decode()
    assert director.get(reverse("peers:moderate", args=[post.public_id])).status_code == 404


def test_other_members_and_other_tracks_get_404(world: World, client_for: Clients) -> None:
    morning = _member(world, 2, track=world.morning)
    join(morning, "Dawn")
    post = write(morning, "Morning post")
    pat = client_for(world.participant_user)
    assert pat.get(_board_url(world, world.morning)).status_code == 404
    assert pat.get(reverse("peers:post", args=[post.public_id])).status_code == 404
    assert pat.get(reverse("peers:report", args=[post.public_id])).status_code == 404
    assert pat.get(reverse("peers:alumni-board", args=[world.program.public_id])).status_code == 404
    assert pat.get(reverse("peers:queue")).status_code in {403, 404}


def test_the_boards_are_not_on_the_chart(world: World, client_for: Clients) -> None:
    join(world.participant, "Sunny")
    write(world.participant, "Board words only")
    chart = client_for(world.director).get(
        reverse("participants:chart", args=[world.participant.public_id])
    )
    assert chart.status_code == 200
    assert "Board words only" not in chart.content.decode()


# --- speed ---


def _fill(world: World, n: int) -> None:
    members = [world.participant]
    for i in range(3):
        member = _member(world, 10 + i + n)
        join(member, f"Name {n}-{i}")
        members.append(member)
    for i in range(n):
        author = members[i % len(members)]
        post = write(author, f"post {i}")
        write(members[(i + 1) % len(members)], f"reply {i}", parent=post)
        reporter = members[(i + 2) % len(members)]
        if reporter != author:
            profile = Profile.objects.get(participant=reporter, program=world.program)
            do_report(reporter.user, profile, post, "unkind", "")


def test_the_board_and_the_queue_run_the_same_queries_at_two_sizes(
    world: World, client_for: Clients, count_queries: CountQueries
) -> None:
    join(world.participant, "Sunny")
    pat = client_for(world.participant_user)
    director = client_for(world.director)
    _fill(world, 2)
    pat.get(_board_url(world))
    director.get(reverse("peers:queue"))
    with count_queries() as small_board:
        pat.get(_board_url(world))
    with count_queries() as small_queue:
        director.get(reverse("peers:queue"))
    _fill(world, 12)
    with count_queries() as large_board:
        assert "post 11" in pat.get(_board_url(world)).content.decode()
    with count_queries() as large_queue:
        assert "post 11" in director.get(reverse("peers:queue")).content.decode()
    assert small_board.count == large_board.count
    assert small_queue.count == large_queue.count


def test_an_old_post_keeps_its_time_in_the_programs_zone(world: World, client_for: Clients) -> None:
    join(world.participant, "Sunny")
    post = write(world.participant, "Earlier")
    Post.objects.filter(pk=post.pk).update(created_at=post.created_at - timedelta(days=2))
    assert client_for(world.participant_user).get(_board_url(world)).status_code == 200


def test_the_admin_sets_pre_moderation_and_names_staff_moderators(
    world: World, client_for: Clients
) -> None:
    from trellis.accounts.actions import do_set_administrator

    do_set_administrator(None, world.director, is_administrator=True)
    admin = client_for(world.director)
    form = admin.get("/admin/peers/peersettings/add/").content.decode()
    assert f'value="{world.clinician.pk}"' in form  # staff are offered
    assert f'value="{world.participant_user.pk}"' not in form  # participants are not
    response = admin.post(
        "/admin/peers/peersettings/add/",
        {"program": world.program.pk, "premoderation": "on", "moderators": [world.clinician.pk]},
    )
    assert response.status_code == 302
    settings = PeerSettings.objects.get()
    assert settings.premoderation
    assert list(settings.moderators.all()) == [world.clinician]
    assert Event.objects.filter(object_type="peers.peersettings").exists()
