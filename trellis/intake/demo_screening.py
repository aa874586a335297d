"""Demo screenings: four people on the intake board in screening or waiting on a decision.

- one started with the intake coordinator on the phone: the PHQ-9 is done, three to go;
- one finished: moderately severe depression, moderate anxiety, a negative risk screen;
  the recommendation waits for a clinician's decision;
- one finished with a positive (non-acute) risk screen: the urgent alert went to the program's
  on-call clinician or directors before any admission, exactly as a PHQ-9 item 9 answer does;
- one screened and then closed (they chose a program nearer home): their planned episode is
  "closed before admission".

Synthetic people (555-01xx phone numbers, example.test addresses), written through the
actions as the coordinator's clicks would. Called by seed_demo after the board.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from django.utils import timezone

from trellis.accounts.models import User
from trellis.intake.actions import (
    InquiryDetails,
    check_change_inquiry_status,
    check_start_screening,
    do_create_inquiry,
    do_log_inquiry_event,
    do_note_screening_progress,
)
from trellis.intake.models import (
    CloseReason,
    EventKind,
    Inquiry,
    InquirySource,
    InquiryStatus,
    PreferredSchedule,
)
from trellis.measures.actions import check_submit_response
from trellis.measures.models import Channel
from trellis.measures.registry import get_instrument
from trellis.measures.scoring import Instrument
from trellis.programs.models import Organization, Program, Role

# (given, family, born, schedule, {instrument: total}, ASQ answers "yes" among items 1-4)
PEOPLE: tuple[tuple[str, str, date, str, dict[str, int], tuple[str, ...]], ...] = (
    ("Soren", "Ellery", date(1991, 3, 14), PreferredSchedule.EVENING, {"PHQ-9": 16}, ()),
    (
        "Marisol",
        "Quintero",
        date(1986, 9, 2),
        PreferredSchedule.EVENING,
        {"PHQ-9": 18, "GAD-7": 13, "AUDIT-C": 2, "ASQ": 0},
        (),
    ),
    (
        "Dashiell",
        "Achterberg",
        date(1979, 11, 23),
        PreferredSchedule.DAY,
        {"PHQ-9": 15, "GAD-7": 11, "AUDIT-C": 3, "ASQ": 1},
        ("asq-4",),
    ),
    # Screened, then chose a program nearer home: closed, the planned episode with it.
    (
        "Imani",
        "Okafor-Lindqvist",
        date(1995, 6, 30),
        PreferredSchedule.WEEKEND,
        {"PHQ-9": 11, "GAD-7": 9, "AUDIT-C": 1, "ASQ": 0},
        (),
    ),
)
CLOSED_AFTER_SCREENING = 3
REASONS = (
    "Feeling low for months, not sleeping, struggling to keep up at work.",
    "My therapist suggested more support; panic attacks are back and I stopped going out.",
    "Since my hospital stay last year things got bad again; my sister told me to call.",
    "Looking for a weekend group for anxiety; I work weekdays.",
)


def _answers(instrument: Instrument, total: int, yes: tuple[str, ...]) -> dict[str, str]:
    """Answers adding up to `total` (the ASQ: "yes" to the items in `yes`, "no" to the rest),
    spread over the items from the first."""
    answers: dict[str, str] = {}
    left = total
    for link_id in instrument.scored:
        item = instrument.item(link_id)
        assert item is not None  # noqa: S101  # scored items exist
        if instrument.code == "ASQ":
            wanted = 1 if link_id in yes else 0
        else:
            wanted = max(o.value for o in item.options if o.value <= left)
        answers[link_id] = next(o.code for o in item.options if o.value == wanted)
        left -= wanted
    if instrument.acuity is not None and yes:
        item = instrument.item(instrument.acuity.item)
        assert item is not None  # noqa: S101  # the acuity item exists
        answers[instrument.acuity.item] = next(o.code for o in item.options if o.value == 0)
    return answers


def seed_screening(organization: Organization, *, rng: random.Random, today: date) -> list[Inquiry]:
    """The four screenings above, in the organization's first adult program."""
    program = (
        Program.objects.filter(organization=organization, is_active=True).order_by("pk").first()
    )
    coordinator = (
        User.objects.filter(
            memberships__organization=organization,
            memberships__role=Role.INTAKE_COORDINATOR,
        )
        .order_by("pk")
        .first()
    )
    if program is None or coordinator is None:
        return []
    made = []
    for n, (given, family, born, schedule, totals, yes) in enumerate(PEOPLE):
        received = timezone.now() - timedelta(days=2 - min(n, 1), hours=rng.randint(1, 5))
        inquiry = do_create_inquiry(
            coordinator,
            program,
            InquiryDetails(
                source=InquirySource.PHONE if n != 1 else InquirySource.WEB,
                given_name=given,
                family_name=family,
                date_of_birth=born,
                phone=f"555-01{60 + n:02d}",
                email=f"{given.lower()}.{family.lower()}@example.test",
                consent_to_contact=True,
                reason=REASONS[n],
                preferred_schedule=schedule,
            ),
            owner=coordinator,
            received_at=received,
        )
        do_log_inquiry_event(
            coordinator,
            inquiry,
            EventKind.CALL,
            "Called back; talked through the program and screened with them on the phone.",
        )
        screening, _ = check_start_screening(
            coordinator,
            inquiry,
            channel="staff",
            mrn=f"DEMO-S{today:%y%m}{n:02d}",
            date_of_birth=born,
        )
        for administration in screening.administrations.order_by("pk"):
            code = administration.instrument_code
            if code not in totals:
                continue
            instrument = get_instrument(code, administration.instrument_version)
            check_submit_response(
                coordinator,
                administration,
                _answers(instrument, totals[code], yes),
                channel=Channel.STAFF,
            )
        do_note_screening_progress(coordinator, screening)
        inquiry.refresh_from_db()
        if n == CLOSED_AFTER_SCREENING:
            check_change_inquiry_status(
                coordinator,
                inquiry,
                InquiryStatus.CLOSED,
                close_reason=CloseReason.CHOSE_ELSEWHERE,
                note="Found a weekend program nearer home.",
            )
            inquiry.refresh_from_db()
        made.append(inquiry)
    return made
