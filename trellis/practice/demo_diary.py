"""Demo diary cards: every program uses the default card; twelve weeks of daily cards for
the active participants with realistic adherence (some faithful, some sporadic, a few who
stopped), and two cards with a high urge, raised through the real action (so their urgent
alerts are real) and followed up by the primary clinician."""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

from trellis.participants.models import CareTeamMember, Episode, EpisodeStatus
from trellis.practice.access import access_diary
from trellis.practice.actions.diary import check_submit_diary_card, do_configure_diary
from trellis.practice.models.diary import DEFAULT_ROWS, DiaryCard
from trellis.programs.models import Organization, Program
from trellis.worklist.actions import do_document_follow_up

NOTES = ["", "", "", "Hard day at work.", "Used opposite action.", "Slept badly.", "Good walk."]


def card_values(rng: random.Random, mood: float) -> dict[str, Any]:
    """The values of one default-row card below every risk threshold (urges ≤ 3, no
    self-harm action); `mood` 0 (well) to 3 (low) biases them. Used by the bench too."""

    def scale(top: int, bias: float) -> int:
        return max(0, min(top, round(rng.gauss(bias, 1.0))))

    values: dict[str, Any] = {
        "suicide_urge": scale(3, mood * 0.6),
        "self_harm_urge": scale(3, mood * 0.8),
        "use_urge": scale(3, mood),
        "self_harm_act": {"done": False, "amount": None},
        "sadness": scale(5, mood + 1),
        "anger": scale(5, mood),
        "fear": scale(5, mood),
        "shame": scale(5, mood),
        "joy": scale(5, 4 - mood),
        "skills": scale(7, 3.5),
    }
    used = rng.random() < 0.08
    values["used"] = {"done": used, "amount": rng.randint(1, 4) if used else None}
    # Sometimes a row is left blank: missing, never zero.
    for key in rng.sample(list(values), rng.randint(0, 2)):
        del values[key]
    return values


def seed_diary(
    organization: Organization, *, rng: random.Random, weeks: int = 12, today: date | None = None
) -> None:
    today = today or organization.today()
    for program in Program.objects.filter(organization=organization):
        do_configure_diary(None, program)
    episodes = list(
        Episode.objects.filter(
            program__organization=organization,
            status=EpisodeStatus.ACTIVE,
            admitted_on__isnull=False,
        )
        .select_related("participant")
        .order_by("pk")
    )
    cards: list[DiaryCard] = []
    for episode in episodes:
        assert episode.admitted_on is not None  # noqa: S101  # filtered above
        first = max(episode.admitted_on, today - timedelta(weeks=weeks))
        habit = rng.choices(["faithful", "sporadic", "stopped"], weights=[55, 35, 10])[0]
        stop_on = first + timedelta(days=rng.randint(7, 28)) if habit == "stopped" else None
        chance = 0.92 if habit == "faithful" else 0.45
        mood = rng.uniform(0.5, 3.0)
        day = first
        while day < today - timedelta(days=1):  # the last two days are left to write
            if (stop_on is None or day < stop_on) and rng.random() < chance:
                late = rng.random() < 0.1
                cards.append(
                    DiaryCard(
                        participant=episode.participant,
                        episode=episode,
                        card_on=day,
                        values=card_values(rng, mood),
                        note=rng.choice(NOTES),
                        rows=DEFAULT_ROWS,
                        late_entered=late,
                    )
                )
            mood = max(0.0, mood - 0.01)
            day += timedelta(days=1)
    DiaryCard.objects.bulk_create(cards, batch_size=1000)
    _two_risk_cards(episodes[:], rng, today)


def _two_risk_cards(episodes: list[Episode], rng: random.Random, today: date) -> None:
    primary = {
        m.episode_id: m.user
        for m in CareTeamMember.objects.filter(
            episode__in=episodes, is_primary=True, end_date__isnull=True
        ).select_related("user")
    }
    chosen = [e for e in episodes if e.pk in primary]
    for episode, answers in zip(
        rng.sample(chosen, min(2, len(chosen))),
        [{"self_harm_urge": "4", "sadness": "4"}, {"suicide_urge": "4", "shame": "5"}],
        strict=False,
    ):
        clinician = primary[episode.pk]
        diary = access_diary(clinician, episode.participant.public_id)
        # The card the participant gave their clinician yesterday (entered late, as on paper).
        result = check_submit_diary_card(
            clinician, diary, card_on=today - timedelta(days=1), answers=answers, today=today
        )
        for alert in result.alerts:
            do_document_follow_up(
                clinician,
                alert,
                risk_assessment_done=True,
                safety_plan_reviewed=True,
                referred_higher_level=False,
                note="Called the same evening: risk assessed, safety plan reviewed together.",
            )
