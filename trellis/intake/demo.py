"""Intake's part of `seed_demo` (`seed_intake`): a live intake board (`seed_board`), then
screenings (`demo_screening`).

About a dozen open inquiries in the first two programs: new ones from the web form, a
hospital discharge planner's referral and phone calls, some contacted with call notes, owners
and next actions (one overdue), and one possible duplicate (the same person phoned after
sending the web form). Written through the actions, then dated back so the board shows real
waits. Synthetic people: invented names, 555-01xx phone numbers, example.test emails. The
screening, decision and waitlist demos add their own inquiries."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.utils import timezone

from trellis.intake.actions import (
    InquiryDetails,
    do_assign_inquiry,
    do_change_inquiry_status,
    do_create_inquiry,
    do_log_inquiry_event,
)
from trellis.intake.models import EventKind, Inquiry, InquiryEvent, InquirySource, InquiryStatus
from trellis.programs.models import Membership, Organization, Role


@dataclass(frozen=True)
class DemoInquiry:
    program: int  # index into the organization's active programs, by name
    hours_ago: int  # when it arrived
    details: InquiryDetails
    calls: tuple[str, ...] = ()  # call notes, after which it is "contacted"
    owner: str = ""  # "intake" or "director"
    next_action: str = ""
    due_in_days: int | None = None  # from today; negative is overdue
    extra: dict[str, str] = field(default_factory=dict)


def _web(given: str, family: str, phone: str, reason: str, **more: str) -> InquiryDetails:
    return InquiryDetails(
        source=InquirySource.WEB, given_name=given, family_name=family, phone=phone,
        reason=reason, consent_to_contact=True, **more,  # type: ignore[arg-type]  # str fields
    )  # fmt: skip


def _phone(given: str, family: str, phone: str, reason: str, **more: str) -> InquiryDetails:
    return InquiryDetails(
        source=InquirySource.PHONE, given_name=given, family_name=family, phone=phone,
        reason=reason, consent_to_contact=True, **more,  # type: ignore[arg-type]  # str fields
    )  # fmt: skip


BOARD: tuple[DemoInquiry, ...] = (
    DemoInquiry(0, 2, _web("Jordan", "Vale", "555-0171",
        "Panic attacks at work, I've had to leave twice this month.",
        email="jordan.vale@example.test", preferred_schedule="evening")),
    DemoInquiry(0, 1, _phone("Jordan", "Vale", "555 0171",
        "Calling to follow up on the form he sent.")),  # the possible duplicate
    DemoInquiry(0, 5, InquiryDetails(
        source=InquirySource.REFERRAL, given_name="Marcus", family_name="Delacroix",
        phone="555-0172", reason="Discharged after a 5-day inpatient stay for depression; "
        "needs step-down to IOP within a week.", consent_to_contact=True,
        referrer_organization="Lakeview Hospital, discharge planning",
        referrer_name="Dana Whitcombe, RN", referrer_contact="555-0190",
        payment="medicaid", preferred_schedule="day")),
    DemoInquiry(0, 98, _web("Priya", "Nandakumar", "555-0173",
        "I haven't been able to get out of bed most days since my father died.",
        email="priya.n@example.test")),
    DemoInquiry(0, 30, _web("Lucía", "Ferreira", "555-0174",
        "Busco ayuda para la ansiedad. Prefiero español.", language="es")),
    DemoInquiry(0, 0, InquiryDetails(
        source=InquirySource.WALK_IN, given_name="Tomasz", family_name="Wierzbicki",
        phone="555-0175", reason="Asked at the desk about the evening group.",
        consent_to_contact=True, preferred_schedule="evening")),
    DemoInquiry(0, 52, _phone("Renée", "Castellanos", "555-0176",
        "Therapist recommended an IOP for mood swings."),
        calls=("Spoke with Renée: works days, wants evenings. Interested in screening.",),
        owner="intake", next_action="Send the screening link", due_in_days=0),
    DemoInquiry(0, 75, _web("Devon", "Ashgrove", "555-0177",
        "Drinking more since the layoff and it scares me.", email="devon.a@example.test"),
        calls=("No answer; left a voicemail with our number.",
               "Devon called back: can talk after 5 pm on weekdays."),
        owner="director", next_action="Call back after 5 pm", due_in_days=-1),
    DemoInquiry(0, 28, _phone("Hana", "Okonkwo-Reyes", "555-0178",
        "Needs a program her insurance covers.", payment="commercial", payer_name="Blue Prairie"),
        calls=("Checked: Blue Prairie needs a prior authorization.",),
        owner="intake", next_action="Check benefits with Blue Prairie", due_in_days=1),
    DemoInquiry(1, 6, InquiryDetails(
        source=InquirySource.REFERRAL, given_name="Wes", family_name="Thornbury",
        phone="555-0179", reason="Court-ordered assessment for substance use treatment.",
        consent_to_contact=True, referrer_organization="County Drug Court",
        referrer_name="Probation officer M. Ilves", referrer_contact="555-0191")),
    DemoInquiry(1, 20, InquiryDetails(
        source=InquirySource.EMAIL, given_name="Sage", family_name="Pemberton",
        email="sage.pemberton@example.test", reason="Wants help cutting down on opioids.",
        consent_to_contact=True)),
    DemoInquiry(1, 45, _web("Imani", "Blackwood", "555-0180",
        "Six months sober, worried about relapsing.", email="imani.b@example.test"),
        calls=("Talked through the schedule; she works nights.",),
        owner="intake", next_action="Offer the morning track", due_in_days=2),
)  # fmt: skip


def seed_board(organization: Organization, *, rng: random.Random, today: date) -> list[Inquiry]:
    """The open inquiries of the demo board (none when it already has new or contacted ones)."""
    programs = list(organization.programs.filter(is_active=True).order_by("name"))
    board = Inquiry.objects.filter(
        organization=organization, status__in=[InquiryStatus.NEW, InquiryStatus.CONTACTED]
    )
    # Other intake demos (waitlists, screenings) add inquiries of their own: only a board that
    # already has new or contacted inquiries is left as it is.
    if not programs or board.exists():
        return []
    now = timezone.now()
    made = []
    for spec in BOARD:
        program = programs[min(spec.program, len(programs) - 1)]
        staff = {
            m.role: m.user
            for m in Membership.objects.active()
            .filter(role__in=[Role.INTAKE_COORDINATOR, Role.PROGRAM_DIRECTOR])
            .filter(organization=organization)
            .select_related("user")
            .order_by("-program_id")
            if m.program_id in (None, program.pk)
        }
        intake = staff.get(Role.INTAKE_COORDINATOR)
        director = staff.get(Role.PROGRAM_DIRECTOR, intake)
        arrived = now - timedelta(hours=spec.hours_ago, minutes=rng.randint(5, 55))
        by = None if spec.details.source == InquirySource.WEB else intake
        inquiry = do_create_inquiry(by, program, spec.details, received_at=arrived)
        for number, text in enumerate(spec.calls, start=1):
            event = do_log_inquiry_event(intake, inquiry, EventKind.CALL, text)  # type: ignore[arg-type]  # the demo has an intake coordinator
            InquiryEvent.objects.filter(pk=event.pk).update(
                at=arrived + timedelta(hours=number * 3)
            )
        if spec.calls:
            do_change_inquiry_status(intake, inquiry, InquiryStatus.CONTACTED)
            contacted = arrived + timedelta(hours=len(spec.calls) * 3)
            Inquiry.objects.filter(pk=inquiry.pk).update(status_changed_at=contacted)
            InquiryEvent.objects.filter(inquiry=inquiry, kind=EventKind.STATUS).update(at=contacted)
        if spec.owner:
            do_assign_inquiry(
                intake,  # type: ignore[arg-type]  # the demo has an intake coordinator
                inquiry,
                owner=intake if spec.owner == "intake" else director,
                next_action=spec.next_action,
                next_action_due=(
                    today + timedelta(days=spec.due_in_days)
                    if spec.due_in_days is not None
                    else None
                ),
            )
        made.append(inquiry)
    return made


def seed_intake(organization: Organization, *, rng: random.Random, today: date) -> None:
    """The whole intake demo: the board first (it seeds only an empty board), then the
    screenings under way or waiting on a decision."""
    from trellis.intake.demo_screening import seed_screening

    seed_board(organization, rng=rng, today=today)
    seed_screening(organization, rng=rng, today=today)
