"""Test helpers: check-ins built and answered through the real actions."""

from __future__ import annotations

from datetime import date, timedelta

from django.utils import timezone

from tests.personas import org_today
from trellis.measures.actions import check_submit_response, do_create_administration
from trellis.measures.models import Administration, Channel, Response
from trellis.measures.registry import get_instrument
from trellis.measures.scoring import Instrument
from trellis.participants.models import Participant


def answers_for(instrument: Instrument, total: int, *, item9: int = 0) -> dict[str, str]:
    """Complete answers adding up to `total`; for PHQ-9, item 9 is set to `item9` first."""
    answers: dict[str, str] = {}
    left = total
    scored = list(instrument.scored)
    if instrument.code == "PHQ-9":
        item = instrument.item("phq9-9")
        assert item is not None
        answers["phq9-9"] = next(o.code for o in item.options if o.value == item9)
        left -= item9
        scored.remove("phq9-9")
    for link_id in scored:
        item = instrument.item(link_id)
        assert item is not None
        chosen = max((o for o in item.options if o.value <= left), key=lambda o: o.value)
        answers[link_id] = chosen.code
        left -= chosen.value
    assert left == 0, "total out of range"
    return answers


def open_checkin(
    participant: Participant, code: str = "PHQ-9", due_on: date | None = None
) -> Administration:
    episode = participant.episodes.get()
    return do_create_administration(
        None, episode, code, due_on=due_on or org_today(), window_days=3
    )


def complete_checkin(
    participant: Participant,
    total: int,
    *,
    code: str = "PHQ-9",
    item9: int = 0,
    days_ago: int = 0,
) -> Response:
    """A check-in answered `days_ago` days ago (submitted_at is back-dated via freezing the
    administration window; scores are observed on the submission day)."""
    due_on = org_today() - timedelta(days=days_ago)
    administration = open_checkin(participant, code, due_on=due_on)
    instrument = get_instrument(code)
    if days_ago:
        Administration.objects.filter(pk=administration.pk).update(
            expires_at=timezone.now() + timedelta(days=1)
        )
        administration.refresh_from_db()
    return check_submit_response(
        None, administration, answers_for(instrument, total, item9=item9), channel=Channel.PORTAL
    )


def url_walk_values(target: Participant) -> dict[str, str]:
    """Values for tests/test_url_access.py: the target's measures and alert data (a PHQ-9 with
    item 9 above 0 raises an alert), an open check-in and its one-time link."""
    from trellis.measures.actions import ScheduleData, do_create_schedule, do_issue_link
    from trellis.worklist.models import Alert

    response = complete_checkin(target, 12, item9=1)
    administration = open_checkin(target, "GAD-7")
    return {
        "alert_id": str(Alert.objects.filter(participant=target).first().public_id),  # type: ignore[union-attr]
        "administration_id": str(administration.public_id),
        "response_id": str(response.public_id),
        "link": do_issue_link(None, administration),
        "code": "PHQ-9",
        "schedule_id": str(
            do_create_schedule(
                None,
                target.episodes.get().program,
                ScheduleData("GAD-7", "weekly", weekday=3, window_days=2),
            ).public_id
        ),
    }
