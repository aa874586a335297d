"""Intake test data for admission and the waitlist, built through the actions."""

from __future__ import annotations

from datetime import date, time

from tests.personas import World
from trellis.intake.actions import (
    AdmissionDetails,
    ConsentEntry,
    check_create_inquiry,
    check_open_record,
    do_change_inquiry_status,
    do_seed_consent_documents,
)
from trellis.intake.models import ConsentMethod, Inquiry, InquiryStatus
from trellis.intake.queries import required_consents
from trellis.intake.tests.test_inquiries import details
from trellis.programs.models import ClinicianKind, Track
from trellis.scheduling import actions as scheduling
from trellis.scheduling.models import SessionSeries


def decided_inquiry(world: World, given: str = "Sam", *, record: bool = True) -> Inquiry:
    """An inquiry waiting on a decision, with its record (participant, planned episode)."""
    inquiry = check_create_inquiry(
        world.intake, world.program, details(given_name=given, date_of_birth=date(1991, 5, 3))
    )
    if record:
        check_open_record(world.intake, inquiry, mrn=f"N-{given}-{inquiry.pk}")
    for status in (InquiryStatus.CONTACTED, InquiryStatus.DECISION):
        do_change_inquiry_status(world.intake, inquiry, status)
    inquiry.refresh_from_db()
    return inquiry


def evening_group(world: World, track: Track | None = None) -> SessionSeries:
    """An open group every Monday and Wednesday at 6 pm, from a Monday in the past."""
    return scheduling.do_create_series(
        world.director,
        track or world.evening,
        scheduling.SeriesData(
            name="Evening process group",
            start_time=time(18, 0),
            duration_minutes=150,
            rrule="FREQ=WEEKLY;BYDAY=MO,WE",
            dtstart=date(2026, 1, 5),
            capacity=14,
            room=world.room,
            facilitators=[world.clinician],
        ),
    )


def signed_consents(world: World, name: str = "Sam Rivera") -> list[ConsentEntry]:
    do_seed_consent_documents(None, world.program)
    return [
        ConsentEntry(d, ConsentMethod.TABLET, typed_name=name, agreed=True)
        for d in required_consents(world.program)
    ]


def admission(world: World, on: date, **changes: object) -> AdmissionDetails:
    base = AdmissionDetails(
        track=world.evening,
        admitted_on=on,
        primary=world.clinician,
        primary_role=ClinicianKind.THERAPIST,
        others=[(world.director, ClinicianKind.COUNSELOR)],
        consents=signed_consents(world),
    )
    for key, value in changes.items():
        setattr(base, key, value)
    return base
