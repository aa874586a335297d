"""Demo discharge summaries: a few people discharged about a month ago get a signed summary
and aftercare plan, so their 30-day follow-up check-ins are due now. Synthetic, through the
actions (signing without a password: the seeder is not a person at a keyboard). Called by
seed_demo after the history:

    from trellis.transitions.demo import seed_transitions
    seed_transitions(organization, rng=rng, today=today)
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta

from trellis.participants.demo import recently_discharged
from trellis.participants.models import CareTeamMember, Episode
from trellis.programs.models import Organization
from trellis.transitions import actions
from trellis.transitions.models import DischargeSummary, StepDownLevel

HOW_MANY = 3
NARRATIVES = [
    "Attended most groups and engaged more from week three. Mood lifted with behavioural "
    "activation; uses the coping plan at work. Discharged as planned to weekly therapy.",
    "Steady attendance after a slow start. Worry reduced; sleep routine holding. Agreed "
    "step-down to weekly outpatient therapy with the alumni group for support.",
    "Completed the program. Cravings managed with the skills practised in group; a relapse "
    "prevention plan is in place and shared with the next provider.",
]
PROVIDERS = [
    "Lakeside Counseling (synthetic), 400 Example Street, Chicago, 555-0161",
    "North Branch Therapy Group (synthetic), 22 Sample Road, Chicago, 555-0172",
    "Harbor Recovery Outpatient (synthetic), 9 Placeholder Avenue, Chicago, 555-0183",
]


def seed_transitions(
    organization: Organization, *, rng: random.Random, today: date
) -> list[DischargeSummary]:
    """Signed summaries for up to HOW_MANY recent discharges (completed, transferred or other;
    never a death): first those whose 30-day follow-up is open today, then the most recent.
    Only people discharged recently (`participants.demo.recently_discharged`): the other
    apps' demos give their whole stay a record, which the summary is assembled from."""
    episodes = list(
        recently_discharged(organization, today)
        .filter(discharge_summary__isnull=True)
        .select_related("participant", "program__organization", "track")
        .order_by("-discharged_on", "pk")
    )
    rng.shuffle(episodes)

    def due_now_first(episode: Episode) -> tuple[bool, date]:
        assert episode.discharged_on is not None  # noqa: S101  # filtered above
        days = (today - episode.discharged_on).days
        return (not 30 <= days < 44, date.max - timedelta(days=days))

    episodes.sort(key=due_now_first)
    made = []
    for n, episode in enumerate(episodes[:HOW_MANY]):
        author = (
            CareTeamMember.objects.filter(episode=episode)
            .order_by("-is_primary", "pk")
            .select_related("user")
            .first()
        )
        if author is None or episode.discharged_on is None:
            continue
        summary = actions.do_start_summary(author.user, episode)
        summary = actions.do_save_summary(
            author.user,
            summary,
            narrative=NARRATIVES[n % len(NARRATIVES)],
            aftercare=actions.AftercareInput(
                step_down_level=StepDownLevel.OUTPATIENT,
                provider=PROVIDERS[n % len(PROVIDERS)],
                alumni_group="Alumni group, Thursdays 6 pm, Quillbrook Center",
                crisis_steps=actions.CRISIS_DEFAULT,
                notes_for_participant="Keep going with the skills you practised. You did the work.",
            ),
        )
        first_visit = episode.discharged_on + timedelta(days=rng.randint(5, 9))
        actions.do_add_appointment(
            author.user,
            summary,
            starts_at=datetime.combine(first_visit, time(10, 0), tzinfo=organization.tz),
            with_whom=PROVIDERS[n % len(PROVIDERS)].split(",")[0],
        )
        signed_at = datetime.combine(
            episode.discharged_on + timedelta(days=1), time(16, 30), tzinfo=organization.tz
        )
        made.append(actions.do_sign_summary(author.user, summary, now=signed_at))
    return made
