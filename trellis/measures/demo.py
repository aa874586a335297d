"""Demo histories: weekly PHQ-9 and GAD-7 for every active participant (synthetic).

Most improve, some stay flat, a few worsen; one or two answer PHQ-9 item 9 above 0 and have
a documented follow-up. Called by `seed_demo`; deterministic for a given `rng`.
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from trellis.measures.actions import do_record_past_response
from trellis.measures.registry import get_instrument
from trellis.measures.scoring import Instrument
from trellis.participants.models import CareTeamMember, Episode, EpisodeStatus
from trellis.programs.models import Organization
from trellis.worklist.actions import do_document_follow_up
from trellis.worklist.models import Alert, AlertKind


def _answers(instrument: Instrument, total: int, rng: random.Random, item9: int) -> dict[str, str]:
    """Answers adding up to `total` (clipped to the range), spread at random over the items."""
    items = [i for i in instrument.scored if i != "phq9-9"]
    values = dict.fromkeys(instrument.scored, 0)
    if "phq9-9" in values:
        values["phq9-9"] = item9
    left = max(0, min(total, instrument.high) - item9)
    while left > 0:
        candidates = [i for i in items if values[i] < 3]
        if not candidates:
            break
        values[rng.choice(candidates)] += 1
        left -= 1
    answers = {}
    for link_id, value in values.items():
        item = instrument.item(link_id)
        assert item is not None  # noqa: S101  # scored items exist
        answers[link_id] = next(o.code for o in item.options if o.value == value)
    return answers


def _trajectory(rng: random.Random, baseline: int, weeks: int, kind: str) -> list[int]:
    scores = []
    for week in range(weeks):
        if kind == "improve":
            target = baseline - week * rng.uniform(0.8, 1.6)
        elif kind == "worsen":
            target = baseline + week * rng.uniform(0.5, 1.0)
        else:
            target = baseline
        scores.append(round(target + rng.gauss(0, 1.5)))
    return scores


def seed_measure_history(
    organization: Organization, *, rng: random.Random, weeks: int = 12, today: date | None = None
) -> None:
    today = today or organization.today()
    phq9, gad7 = get_instrument("PHQ-9"), get_instrument("GAD-7")
    episodes = list(
        Episode.objects.filter(
            program__organization=organization,
            status=EpisodeStatus.ACTIVE,
            admitted_on__isnull=False,
        )
        .select_related("participant", "program__organization")
        .order_by("pk")
    )
    # One or two positive item-9 answers in the whole program, each on a last check-in.
    positive = set(rng.sample(range(len(episodes)), min(2, len(episodes))))
    for n, episode in enumerate(episodes):
        assert episode.admitted_on is not None  # noqa: S101  # filtered above
        first = episode.admitted_on
        span = min(weeks, (today - first).days // 7 + 1)
        if span <= 0:
            continue
        kind = rng.choices(["improve", "flat", "worsen"], weights=[65, 25, 10])[0]
        phq = _trajectory(rng, rng.randint(11, 22), span, kind)
        gad = _trajectory(rng, rng.randint(8, 17), span, kind)
        for week in range(span):
            day = first + timedelta(weeks=week)
            at = datetime.combine(day, time(10, rng.randint(0, 59)), organization.tz)
            at = min(at, timezone.now() - timedelta(minutes=5))  # today's, if not yet 10 am
            item9 = 1 if n in positive and week == span - 1 else 0  # followed up below
            for instrument, total, mark in ((phq9, phq[week], item9), (gad7, gad[week], 0)):
                clipped = max(0, min(instrument.high, total))
                answers = _answers(instrument, clipped, rng, mark)
                do_record_past_response(None, episode, instrument.code, answers, submitted_at=at)
    clinician_of = {
        m.episode_id: m.user
        for m in CareTeamMember.objects.filter(
            episode__in=episodes, is_primary=True, end_date__isnull=True
        ).select_related("user")
    }
    for alert in Alert.objects.filter(
        participant__organization=organization, kind=AlertKind.CRITICAL_ITEM, status="open"
    ):
        user = clinician_of.get(alert.episode_id or 0)
        if user is not None:
            do_document_follow_up(
                user,
                alert,
                risk_assessment_done=True,
                safety_plan_reviewed=True,
                referred_higher_level=False,
                note="Risk assessment done the same day; safety plan reviewed together.",
            )
