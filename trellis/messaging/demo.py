"""Demo messages: the portal participant's conversations with their care team, written
through the actions (so the worklist task, read states and audit events are real):

- a question about changing tracks, answered by the primary clinician and read;
- a note about a missed group to the program's team, answered;
- a question sent this morning and not answered yet: a task in the clinician's My work.

Nothing is emailed while seeding (`notify=False`)."""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from trellis.messaging.actions import NewThread, do_mark_read, do_reply, do_start_thread
from trellis.messaging.models import Recipient
from trellis.participants.models import CareTeamMember, EpisodeStatus, Participant
from trellis.programs.models import Organization


def _at(organization: Organization, day: date, hour: int, minute: int) -> datetime:
    moment = datetime.combine(day, time(hour, minute), tzinfo=organization.tz)
    return min(moment, timezone.now() - timedelta(minutes=5))


def seed_messages(
    organization: Organization, *, rng: random.Random, today: date | None = None
) -> int:
    """Three threads for the participant with a sign-in (the demo's portal participant);
    the number of threads written."""
    today = today or organization.today()
    participant = (
        Participant.objects.filter(organization=organization, user__isnull=False)
        .select_related("user")
        .order_by("pk")
        .first()
    )
    if participant is None or participant.user is None:
        return 0
    episode = participant.episodes.filter(status=EpisodeStatus.ACTIVE).first()
    member = (
        CareTeamMember.objects.filter(episode=episode, is_primary=True, end_date__isnull=True)
        .select_related("user")
        .first()
    )
    if episode is None or member is None:
        return 0
    me, clinician = participant.user, member.user
    admitted = episode.admitted_on or today

    def back(days: int) -> date:  # never before the admission
        return max(today - timedelta(days=days), admitted)

    earlier = back(rng.randint(8, 12))
    thread = do_start_thread(
        me,
        participant,
        episode,
        NewThread(
            recipient=Recipient.CARE_TEAM,
            subject="Changing to the evening track",
            body="My shifts at work are changing to days from next month. Could I move to "
            "the evening group? I don't want to miss the DBT skills part.",
        ),
        now=_at(organization, earlier, 7, 40),
    )
    do_reply(
        clinician,
        thread,
        "Thanks for telling us early. The evening track has room from the first of the "
        "month, and it follows the same skills module. Let's talk it over at our session on "
        "Thursday and I'll change your schedule then.",
        now=_at(organization, earlier, 13, 5),
        notify=False,
    )
    do_mark_read(me, thread, now=_at(organization, earlier, 19, 30))

    missed = back(rng.randint(3, 5))
    thread = do_start_thread(
        me,
        participant,
        episode,
        NewThread(
            recipient=Recipient.PROGRAM,
            subject="Missed group yesterday",
            body="Sorry I missed group yesterday, my daughter was sick. Is there anything I "
            "should read to catch up?",
        ),
        now=_at(organization, missed, 8, 15),
    )
    do_reply(
        clinician,
        thread,
        "I hope she is feeling better. Yesterday's handout is the one on opposite action; "
        "we'll give you a copy at your next group.",
        now=_at(organization, missed, 11, 50),
        notify=False,
    )
    do_mark_read(me, thread, now=_at(organization, missed, 12, 20))

    do_start_thread(
        me,
        participant,
        episode,
        NewThread(
            recipient=Recipient.CARE_TEAM,
            subject="",
            body="I tried the DEAR MAN practice with my manager and it went better than I "
            "expected, but I froze when she said no. What can I do in that moment?",
        ),
        now=_at(organization, today, 7, 10),
    )
    return 3


def seed_guardian_messages(organization: Organization, *, today: date | None = None) -> int:
    """The demo guardian's question to their teenager's care team (docs/portal.md,
    "Guardians", "Messages"), answered by the primary clinician; the number of threads."""
    from trellis.participants.guardianship import adolescent_episode
    from trellis.participants.models import GuardianLink

    today = today or organization.today()
    link = (
        GuardianLink.objects.active()
        .filter(participant__organization=organization)
        .select_related("guardian", "participant", "participant__organization")
        .order_by("pk")
        .first()
    )
    episode = adolescent_episode(link.participant) if link is not None else None
    member = (
        CareTeamMember.objects.filter(episode=episode, is_primary=True, end_date__isnull=True)
        .select_related("user")
        .first()
        if episode is not None
        else None
    )
    if link is None or episode is None or member is None:
        return 0
    day = max(today - timedelta(days=2), episode.admitted_on or today)
    thread = do_start_thread(
        link.guardian,
        link.participant,
        episode,
        NewThread(
            recipient=Recipient.CARE_TEAM,
            subject="Sueño",
            body="Buenas tardes. Mi hijo casi no duerme esta semana y está muy cansado en la "
            "escuela. ¿Es algo que deban saber? Gracias.",
        ),
        now=_at(organization, day, 18, 20),
        guardian_link=link,
    )
    do_reply(
        member.user,
        thread,
        "Gracias por avisarnos. Lo hablaremos en la próxima sesión y la llamaremos si "
        "necesitamos algo más.",
        now=_at(organization, day + timedelta(days=1), 10, 5),
        notify=False,
    )
    return 1
