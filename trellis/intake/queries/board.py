"""Reads for the intake board and one inquiry's page: open inquiries by status with their
waits, the history (merged duplicates included), owners, and possible duplicates."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING

from django.db.models import Q
from django.utils import timezone

from trellis.intake.access import inquiry_program_filter, inquiry_programs
from trellis.intake.models import (
    DEFAULT_REPLY_DAYS,
    OPEN_STATUSES,
    Inquiry,
    InquiryEvent,
    InquiryStatus,
    IntakeSettings,
)
from trellis.intake.waiting import reply_due, waited_words
from trellis.participants.models import Participant
from trellis.programs.models import Membership, Program, Role

if TYPE_CHECKING:
    from trellis.accounts.models import User


# The board's columns, in the order an inquiry moves through them.
BOARD_STATUSES = [
    InquiryStatus.NEW,
    InquiryStatus.CONTACTED,
    InquiryStatus.SCREENING,
    InquiryStatus.DECISION,
    InquiryStatus.WAITLISTED,
]


@dataclass
class BoardCard:
    inquiry: Inquiry
    waited: str
    reply_due: datetime
    reply_overdue: bool
    action_overdue: bool


@dataclass
class BoardColumn:
    status: str
    label: str
    cards: list[BoardCard] = field(default_factory=list)


@dataclass
class Board:
    programs: list[Program]
    columns: list[BoardColumn]
    count: int
    overdue: int
    # The participant records of the inquiries shown (for the list audit), and the ids of
    # those without one (recorded in the inquiry list's own event).
    participants_shown: list[Participant]
    inquiries_without_record: list[str]


def reply_days_by_program(programs: list[Program]) -> dict[int, int]:
    """Each program's reply time in business days (one query; the default where unset)."""
    days = dict(
        IntakeSettings.objects.filter(program__in=programs).values_list(
            "program_id", "reply_within_days"
        )
    )
    return {p.pk: days.get(p.pk, DEFAULT_REPLY_DAYS) for p in programs}


def intake_board(
    user: User, *, program_id: str = "", owner: str = "", now: datetime | None = None
) -> Board:
    """The open inquiries of the programs whose inquiries `user` works, by status, longest
    waiting first. `owner` is "mine", "none" (nobody owns it) or "" (anyone). Four queries
    whatever the number of inquiries."""
    programs = inquiry_programs(user)
    shown = [p for p in programs if not program_id or str(p.public_id) == program_id]
    rows = (
        Inquiry.objects.filter(program__in=shown, status__in=BOARD_STATUSES)
        .select_related("program__organization", "owner", "participant")
        # The reason is encrypted and not on the board: decrypting 500 of them is most of
        # the page's time (bench/intake.py).
        .defer("reason")
        .order_by("status_changed_at", "pk")
    )
    if owner == "mine":
        rows = rows.filter(owner=user)
    elif owner == "none":
        rows = rows.filter(owner__isnull=True)
    reply_days = reply_days_by_program(shown) if shown else {}
    now = now or timezone.now()
    columns: dict[str, BoardColumn] = {
        s: BoardColumn(s, InquiryStatus(s).label) for s in BOARD_STATUSES
    }
    people: list[Participant] = []
    without: list[str] = []
    overdue = 0
    for inquiry in rows:
        organization = inquiry.program.organization
        due = reply_due(inquiry.status_changed_at, reply_days[inquiry.program_id], organization.tz)
        card = BoardCard(
            inquiry=inquiry,
            waited=waited_words(inquiry.status_changed_at, now),
            reply_due=due,
            reply_overdue=now > due,
            action_overdue=inquiry.next_action_due is not None
            and inquiry.next_action_due < organization.today(),
        )
        overdue += card.reply_overdue
        columns[inquiry.status].cards.append(card)
        if inquiry.participant is not None:
            people.append(inquiry.participant)
        else:
            without.append(str(inquiry.public_id))
    return Board(
        programs=programs,
        columns=list(columns.values()),
        count=sum(len(c.cards) for c in columns.values()),
        overdue=overdue,
        participants_shown=people,
        inquiries_without_record=without,
    )


def overdue_inquiry_count(user: User, now: datetime | None = None) -> int:
    """Open inquiries of `user`'s programs (where they see the clinical side: directors and
    intake) waiting longer than the program's reply time. Three queries; names nobody."""
    programs = inquiry_programs(user, clinical=True)
    if not programs:
        return 0
    reply_days = reply_days_by_program(programs)
    zones = {p.pk: p.organization.tz for p in programs}
    now = now or timezone.now()
    waiting = Inquiry.objects.filter(program__in=programs, status__in=BOARD_STATUSES)
    return sum(
        1
        for program_id, since in waiting.values_list("program_id", "status_changed_at")
        if now > reply_due(since, reply_days[program_id], zones[program_id])
    )


def inquiry_history(inquiry: Inquiry) -> list[InquiryEvent]:
    """The inquiry's history newest first, with that of the inquiries merged into it."""
    return list(
        InquiryEvent.objects.filter(Q(inquiry=inquiry) | Q(inquiry__merged_into=inquiry))
        .select_related("by", "inquiry")
        .order_by("-at", "-pk")
    )


def merged_inquiries(inquiry: Inquiry) -> list[Inquiry]:
    return list(Inquiry.objects.filter(merged_into=inquiry).order_by("received_at"))


def inquiry_owner_choices(program: Program) -> list[User]:
    """Who may own the program's inquiries: its intake coordinators and directors (the
    program's own or the organization's), active, by name."""
    memberships = (
        Membership.objects.active()
        .filter(role__in=[Role.INTAKE_COORDINATOR, Role.PROGRAM_DIRECTOR])
        .filter(
            Q(program=program) | Q(program__isnull=True, organization_id=program.organization_id)
        )
        .select_related("user")
    )
    owners = {m.user.pk: m.user for m in memberships if m.user.is_active}
    return sorted(owners.values(), key=lambda u: (u.last_name, u.first_name, u.pk))


def phone_digits(phone: str) -> str:
    """The digits of a phone number, without a leading US country code."""
    digits = re.sub(r"\D", "", phone)
    return digits[1:] if len(digits) == 11 and digits.startswith("1") else digits


@dataclass
class Match:
    reasons: list[str]
    inquiry: Inquiry | None = None
    participant: Participant | None = None


def _same_name(a_given: str, a_family: str, b_given: str, b_family: str) -> bool:
    return (a_given.strip().casefold(), a_family.strip().casefold()) == (
        b_given.strip().casefold(),
        b_family.strip().casefold(),
    )


def _reasons(
    inquiry: Inquiry, *, given: str, family: str, born: date | None, phone: str, email: str
) -> list[str]:
    reasons = []
    digits = phone_digits(inquiry.phone)
    if len(digits) >= 7 and phone_digits(phone) == digits:
        reasons.append("same phone")
    if inquiry.email and email and inquiry.email.casefold() == email.casefold():
        reasons.append("same email")
    if (
        inquiry.date_of_birth is not None
        and born == inquiry.date_of_birth
        and _same_name(inquiry.given_name, inquiry.family_name, given, family)
    ):
        reasons.append("same name and date of birth")
    return reasons


def _candidates_q(inquiry: Inquiry, phone_field: str) -> Q:
    """A broad filter (the last four digits of the phone, the email, the name); the exact
    rules are applied in Python on the few rows it finds."""
    q = Q(pk__in=[])
    digits = phone_digits(inquiry.phone)
    if len(digits) >= 7:
        q |= Q(**{f"{phone_field}__contains": digits[-4:]})
    if inquiry.email:
        q |= Q(email__iexact=inquiry.email)
    if inquiry.date_of_birth is not None:
        q |= Q(
            given_name__iexact=inquiry.given_name.strip(),
            family_name__iexact=inquiry.family_name.strip(),
            date_of_birth=inquiry.date_of_birth,
        )
    return q


def possible_duplicates(user: User, inquiry: Inquiry) -> list[Match]:
    """Other open inquiries of the organization in programs `user` works on the clinical side,
    and participants `user` may see, that look like the same person: the same phone (digits
    only), the same email (any case), or the same name and date of birth. Two queries. A
    participant `user` may not see (a Part 2 program's) is never among them."""
    matches: list[Match] = []
    others = (
        Inquiry.objects.filter(
            _candidates_q(inquiry, "phone"),
            organization_id=inquiry.organization_id,
            status__in=OPEN_STATUSES,
            program__in=Program.objects.filter(inquiry_program_filter(user, clinical=True)),
        )
        .exclude(pk=inquiry.pk)
        .select_related("program", "owner")
    )
    for other in others:
        reasons = _reasons(
            inquiry, given=other.given_name, family=other.family_name,
            born=other.date_of_birth, phone=other.phone, email=other.email,
        )  # fmt: skip
        if reasons:
            matches.append(Match(reasons=reasons, inquiry=other))
    if inquiry.participant_id is None:
        people = Participant.objects.visible_to(user).filter(
            _candidates_q(inquiry, "phone"), organization_id=inquiry.organization_id
        )
        for person in people:
            reasons = _reasons(
                inquiry, given=person.given_name, family=person.family_name,
                born=person.date_of_birth, phone=person.phone, email=person.email,
            )  # fmt: skip
            if reasons:
                matches.append(Match(reasons=reasons, participant=person))
    return matches
