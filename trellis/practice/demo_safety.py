"""Demo safety plans (docs/practice.md): about a third of active participants have a
signed plan written with their primary clinician, in our own words; about a quarter of
those have a second, later version."""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta

from trellis.participants.models import Episode, EpisodeStatus
from trellis.practice.actions.safety import (
    default_sections,
    do_save_safety_plan,
    do_sign_safety_plan_as_history,
    do_start_safety_plan_version,
)
from trellis.programs.models import Organization

WARNING_SIGNS = [
    "Staying in bed past noon",
    "Not answering texts from friends",
    "Thinking nobody would notice if I were gone",
    "Drinking alone in the evening",
    "Arguments at home that end with me leaving",
    "Not sleeping for two nights in a row",
]
COPING = [
    "Walk around the block with music on",
    "Hold ice or splash cold water on my face",
    "Play a game on my phone for ten minutes",
    "Write down what I am feeling",
    "Take a shower and change clothes",
]
DISTRACTION = ["The library downtown", "Coffee shop on Main Street", "My cousin's house", "The gym"]
PEOPLE = ["My sister", "My neighbour", "A friend from group", "My sponsor", "My aunt"]
ENVIRONMENT = [
    "Ask my partner to keep my medications and give me a week at a time",
    "Keep no alcohol at home",
    "Give the extra car keys to my brother on bad nights",
]
REASONS = ["My kids", "My dog", "Finishing my degree", "Seeing the ocean again", "My grandmother"]


def _lines(rng: random.Random, pool: list[str], low: int, high: int) -> str:
    return "\n".join(rng.sample(pool, rng.randint(low, min(high, len(pool)))))


def seed_safety_plans(
    organization: Organization, *, rng: random.Random, today: date | None = None
) -> None:
    today = today or organization.today()
    episodes = list(
        Episode.objects.filter(program__organization=organization, status=EpisodeStatus.ACTIVE)
        .select_related("participant", "program")
        .order_by("pk")
    )
    for episode in episodes:
        if rng.random() > 0.35:
            continue
        primary = (
            episode.care_team.filter(is_primary=True, end_date__isnull=True)
            .select_related("user")
            .first()
        )
        if primary is None:
            continue
        author = primary.user
        versions = 2 if rng.random() < 0.25 else 1
        for number in range(versions):
            plan = do_start_safety_plan_version(author, episode)
            professionals = "\n".join(default_sections(episode)["professionals"])
            do_save_safety_plan(
                author,
                plan,
                {
                    "warning_signs": _lines(rng, WARNING_SIGNS, 2, 4),
                    "internal_coping": _lines(rng, COPING, 2, 3),
                    "distraction": _lines(rng, DISTRACTION, 1, 2),
                    "people_to_ask": _lines(rng, PEOPLE, 1, 3),
                    "professionals": professionals,
                    "environment": _lines(rng, ENVIRONMENT, 1, 2),
                    "reasons_for_living": _lines(rng, REASONS, 1, 3),
                },
            )
            day = today - timedelta(days=rng.randint(14, 40) if number == 0 else rng.randint(1, 10))
            signed_at = datetime.combine(day, time(15, 30), tzinfo=organization.tz)
            do_sign_safety_plan_as_history(author, plan, now=signed_at)
