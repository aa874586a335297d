"""Reads of intake for pages and actions, in a fixed number of queries; no writes.

Parts of the journey add their own functions here: screening and the level of care first,
then the intake board's."""

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
    LevelOfCareDecision,
    LevelOfCareRule,
    Screening,
)
from trellis.intake.rules import (
    DEFAULT_RULES,
    RISK_ACUTE,
    RISK_NEGATIVE,
    RISK_POSITIVE,
    Facts,
    Rule,
    ScoreFact,
    TrackHours,
)
from trellis.intake.waiting import reply_due, waited_words
from trellis.measures.models import Administration, Score
from trellis.measures.queries import AnsweredItem, hash_token
from trellis.measures.registry import get_instrument
from trellis.participants.models import Participant
from trellis.programs.models import Membership, Program, Role, Track

if TYPE_CHECKING:
    from trellis.accounts.models import User


def program_rules(program: Program) -> tuple[list[Rule], bool]:
    """The program's level-of-care rules in order, and whether they are its own (False: the
    defaults, until its director saves rules)."""
    rows = list(LevelOfCareRule.objects.filter(program=program).order_by("position"))
    if not rows:
        return list(DEFAULT_RULES), False
    return [
        Rule(r.condition, r.level, r.instrument_code, r.threshold, r.reason) for r in rows
    ], True


def screening_for_link(token: str) -> Screening | None:
    """The battery a one-time link opens (only the token's hash is stored)."""
    if not token or len(token) > 100:
        return None
    return (
        Screening.objects.filter(link_token_hash=hash_token(token))
        .select_related("inquiry__program__organization", "episode")
        .first()
    )


def battery(screening: Screening) -> list[Administration]:
    """The screening's check-ins in the battery's order."""
    rows = list(screening.administrations.select_related("participant"))
    order = {code: n for n, code in enumerate(["PHQ-9", "GAD-7", "AUDIT-C", "ASQ"])}
    return sorted(rows, key=lambda a: (order.get(a.instrument_code, 99), a.instrument_code))


@dataclass(frozen=True)
class ScreeningResult:
    code: str
    title: str
    status: str  # the check-in's status label
    score: Score | None
    critical: list[AnsweredItem]

    @property
    def is_risk_positive(self) -> bool:
        return self.score is not None and self.score.band_code in {
            "non-acute-positive",
            "acute-positive",
        }


@dataclass(frozen=True)
class ScreeningView:
    screening: Screening | None
    results: list[ScreeningResult]
    risk: str | None
    decisions: list[LevelOfCareDecision]


def screening_view(inquiry: Inquiry) -> ScreeningView:
    """The inquiry's latest screening with each questionnaire's score and critical answers,
    and its level-of-care decisions: five queries whatever the battery's size."""
    screening = Screening.objects.filter(inquiry=inquiry).order_by("-created_at", "-pk").first()
    decisions = list(
        LevelOfCareDecision.objects.filter(inquiry=inquiry)
        .select_related("decided_by", "track")
        .order_by("decided_at", "pk")
    )
    if screening is None:
        return ScreeningView(None, [], None, decisions)
    administrations = battery(screening)
    scores = {
        s.response.administration_id: s
        for s in Score.objects.current()
        .filter(response__administration__in=[a.pk for a in administrations])
        .select_related("response")
    }
    results = []
    risk: str | None = None
    for administration in administrations:
        instrument = get_instrument(
            administration.instrument_code, administration.instrument_version
        )
        score = scores.get(administration.pk)
        critical: list[AnsweredItem] = []
        if score is not None:
            wanted = set(score.critical_items)
            for number, item in enumerate(instrument.items, start=1):
                if item.link_id in wanted:
                    option = item.option(str(score.response.answers.get(item.link_id, "")))
                    critical.append(
                        AnsweredItem(number, item.text, option.display if option else "—")
                    )
            if instrument.code == "ASQ":
                risk = {
                    "acute-positive": RISK_ACUTE,
                    "non-acute-positive": RISK_POSITIVE,
                }.get(score.band_code, RISK_NEGATIVE)
        results.append(
            ScreeningResult(
                instrument.code,
                instrument.short_title,
                administration.get_status_display(),
                score,
                critical,
            )
        )
    return ScreeningView(screening, results, risk, decisions)


def open_tracks(program: Program) -> tuple[TrackHours, ...]:
    return tuple(
        TrackHours(t.pk, t.name, t.day_starts_at, t.day_ends_at, tuple(t.weekdays or ()))
        for t in Track.objects.filter(program=program, is_active=True).order_by("name")
    )


def screening_facts(inquiry: Inquiry, view: ScreeningView) -> Facts:
    """What the rules read about this person: scores, risk, age, schedule, the tracks."""
    program = inquiry.program
    return Facts(
        scores={
            r.code: ScoreFact(r.score.total, r.score.band_label)
            for r in view.results
            if r.score is not None
        },
        risk=view.risk,
        age=inquiry.age_on(program.organization.today()),
        population=program.population,
        preferred_schedule=inquiry.preferred_schedule,
        tracks=open_tracks(program),
    )


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
