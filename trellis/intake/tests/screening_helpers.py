"""Helpers for screening tests: an inquiry with a battery, answers for each instrument."""

from __future__ import annotations

from datetime import date

from django.test import TestCase

from tests.personas import World
from trellis.intake.actions import (
    check_create_inquiry,
    check_start_screening,
    do_note_screening_progress,
)
from trellis.intake.models import Inquiry, Screening, ScreeningChannel
from trellis.intake.queries import battery
from trellis.intake.tests.test_inquiries import details
from trellis.measures.actions import check_submit_response
from trellis.measures.models import Channel
from trellis.measures.registry import get_instrument


def answers_for(code: str, value: int = 0, **extra: str) -> dict[str, str]:
    """Every scored item of `code` answered with the option worth `value` (ASQ: 0 no, 1 yes)."""
    instrument = get_instrument(code)
    answers = {}
    for item in instrument.items:
        if item.link_id not in instrument.scored:
            continue
        option = next(o for o in item.options if o.value == value)
        answers[item.link_id] = option.code
    return answers | extra


def screened_inquiry(
    world: World, *, email: str = "sam@example.org", **changes: object
) -> tuple[Inquiry, Screening, str]:
    inquiry = check_create_inquiry(world.intake, world.program, details(email=email, **changes))
    with TestCase.captureOnCommitCallbacks(execute=True):  # the email goes after commit
        screening, token = check_start_screening(
            world.intake,
            inquiry,
            channel=ScreeningChannel.LINK,
            mrn="S-1001",
            date_of_birth=date(1990, 4, 2),
        )
    inquiry.refresh_from_db()
    return inquiry, screening, token


def complete(
    screening: Screening,
    *,
    phq9: int = 2,
    gad7: int = 1,
    auditc: int = 0,
    asq: dict[str, str] | None = None,
) -> None:
    """Submit every questionnaire of the battery, as the person through the link."""
    values = {"PHQ-9": phq9, "GAD-7": gad7, "AUDIT-C": auditc}
    for administration in battery(screening):
        code = administration.instrument_code
        answers = (
            (asq or answers_for("ASQ", 0)) if code == "ASQ" else answers_for(code, values[code])
        )
        check_submit_response(None, administration, answers, channel=Channel.LINK)
    do_note_screening_progress(None, screening)
