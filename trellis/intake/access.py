"""Who may open an inquiry, and how much of it (audited, deny by default).

- program directors and intake coordinators: everything of their programs' inquiries,
  including the reason in the person's words and screening results;
- front desk: contact details, source, status, owner and next action; never the reason, the
  history's text or screening answers;
- everyone else (clinicians, compliance, administrators, participants, referrers): nothing,
  the same 404 as a missing inquiry.

An inquiry is health information (someone asked a treatment program for help), so every
view is audited with the person's participant record when one is linked. Programs are
separate: a Part 2 program's inquiries are invisible from the mental-health program."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Q
from django.http import Http404

from trellis.audit.models import Action, Purpose
from trellis.audit.trail import record
from trellis.intake.models import (
    ConsentSignature,
    Inquiry,
    InquiryStatus,
    LevelOfCareDecision,
    WaitlistEntry,
)
from trellis.lib.ids import lookup_id
from trellis.privacy.access import Scope, access_participant, deny_object
from trellis.privacy.policy import grants_for
from trellis.programs.models import Membership, Program, Role, Track

if TYPE_CHECKING:
    from trellis.accounts.models import User


@dataclass(frozen=True)
class InquiryAccess:
    inquiry: Inquiry
    role: str
    # Reason in their words, the history's text and screening results: directors and intake.
    clinical: bool


def inquiry_role(user: User, program: Program) -> tuple[str, bool] | None:
    """(role, sees clinical detail) for `user` on `program`'s inquiries, or None."""
    if not user.is_authenticated or not user.is_active:
        return None
    grants = grants_for(user)
    if grants.directs(program):
        return Role.PROGRAM_DIRECTOR, True
    if grants.does_intake(program):
        return Role.INTAKE_COORDINATOR, True
    if grants.works_front_desk(program):
        return Role.FRONT_DESK, False
    return None


def inquiry_program_filter(user: User, *, clinical: bool = False) -> Q:
    """A filter on Program: the programs whose inquiries `user` sees (with `clinical`, only
    those where they also see the reason and screening)."""
    if not user.is_authenticated or not user.is_active:
        return Q(pk__in=[])
    grants = grants_for(user)
    programs = grants.clinical_programs | grants.intake_programs
    orgs = grants.clinical_orgs | grants.intake_orgs
    if not clinical:
        programs |= grants.demographic_programs
        orgs |= grants.demographic_orgs
    return Q(pk__in=programs) | Q(organization_id__in=orgs)


def inquiry_programs(user: User, *, clinical: bool = False) -> list[Program]:
    """The active programs whose inquiries `user` works, by name."""
    return list(
        Program.objects.filter(inquiry_program_filter(user, clinical=clinical), is_active=True)
        .select_related("organization")
        .order_by("name")
    )


def access_inquiry(
    user: User,
    public_id: uuid.UUID | str,
    *,
    clinical: bool = False,
    paperwork: bool = False,
    purpose: str = Purpose.HOPERAT,
    action: str = Action.VIEW,
) -> InquiryAccess:
    """The inquiry and how much of it `user` sees, with an audit event; else the audited
    404. With `clinical=True` the front desk is refused too (screening, the reason).

    `paperwork=True` is for the admission's own pages (its confirmation, consents still to
    sign): there an intake coordinator keeps an admitted inquiry while its episode is open.
    Everywhere else an admitted inquiry is the chart's, and intake loses it with the chart."""
    inquiry = (
        Inquiry.objects.filter(public_id=lookup_id(public_id))
        .select_related("program__organization", "participant", "episode", "owner")
        .first()
    )
    allowed = inquiry_role(user, inquiry.program) if inquiry is not None else None
    if (
        inquiry is not None
        and allowed is not None
        and allowed[0] == Role.INTAKE_COORDINATOR
        and inquiry.status == InquiryStatus.ADMITTED
        and not (paperwork and inquiry.episode is not None and inquiry.episode.is_open)
    ):
        # Once admitted, the inquiry is part of the chart: an intake coordinator loses it with
        # the chart, as its screening (`access_screening`). Directors and the front desk keep
        # what they see of the participant anyway.
        allowed = None
    if inquiry is None or allowed is None or (clinical and not allowed[1]):
        raise deny_object(
            user,
            object_type="intake.inquiry",
            object_id=public_id,
            participant=inquiry.participant if inquiry is not None else None,
            purpose=purpose,
        )
    role, sees_clinical = allowed
    record(
        user,
        action,
        participant=inquiry.participant,
        obj=inquiry,
        purpose=purpose,
        role=role,
        detail={"scope": "clinical" if sees_clinical else "contact"},
    )
    return InquiryAccess(inquiry=inquiry, role=role, clinical=sees_clinical)


def may_own_inquiry(user: User, program: Program) -> bool:
    """Who an inquiry can be assigned to: the program's intake coordinators and directors."""
    allowed = inquiry_role(user, program)
    return allowed is not None and allowed[1]


def may_decide_level_of_care(user: User, program: Program) -> bool:
    """Who decides an inquiry's level of care: the program's directors and its clinicians
    (a clinician membership of the program, or of its whole organization). Intake
    coordinators see the recommendation; they do not decide."""
    if not user.is_authenticated or not user.is_active:
        return False
    if grants_for(user).directs(program):
        return True
    return (
        Membership.objects.active()
        .filter(user=user, role=Role.CLINICIAN, organization_id=program.organization_id)
        .filter(Q(program=program) | Q(program__isnull=True))
        .exists()
    )


def access_screening(
    user: User,
    public_id: uuid.UUID | str,
    *,
    purpose: str = Purpose.TREAT,
    action: str = Action.VIEW,
) -> InquiryAccess:
    """An inquiry's screening results and recommendation, with an audit event: its directors,
    its intake coordinators (until the person is admitted: then it is the chart's), and the
    program's clinicians while the inquiry is open (they review and decide before admission;
    afterwards the care team's access governs).
    The front desk and everyone else get the audited 404."""
    inquiry = (
        Inquiry.objects.filter(public_id=lookup_id(public_id))
        .select_related("program__organization", "participant", "episode", "owner")
        .first()
    )
    role: str | None = None
    if inquiry is not None:
        allowed = inquiry_role(user, inquiry.program)
        # Once admitted, the screening is part of the chart: intake loses it with the chart.
        handed_over = inquiry.status == InquiryStatus.ADMITTED
        if allowed is not None and allowed[1]:
            if not (handed_over and allowed[0] == Role.INTAKE_COORDINATOR):
                role = allowed[0]
        elif inquiry.is_open and may_decide_level_of_care(user, inquiry.program):
            role = Role.CLINICIAN
    if inquiry is None or role is None:
        raise deny_object(
            user,
            object_type="intake.inquiry",
            object_id=public_id,
            participant=inquiry.participant if inquiry is not None else None,
            purpose=purpose,
        )
    record(
        user,
        action,
        participant=inquiry.participant,
        obj=inquiry,
        purpose=purpose,
        role=role,
        detail={"scope": "screening"},
    )
    return InquiryAccess(inquiry=inquiry, role=role, clinical=True)


@dataclass(frozen=True)
class TrackAccess:
    track: Track
    role: str
    # Directors and intake manage the list (move, offer) and see why someone is first.
    manages: bool


def access_waitlist(
    user: User,
    public_id: uuid.UUID | str,
    *,
    manage: bool = False,
    purpose: str = Purpose.HOPERAT,
    action: str = Action.VIEW,
) -> TrackAccess:
    """A track's waitlist: directors and intake manage it; front desk reads who waits and
    since when (no priority reasons, no history); everyone else the audited 404."""
    track = (
        Track.objects.filter(public_id=lookup_id(public_id))
        .select_related("program__organization")
        .first()
    )
    allowed = inquiry_role(user, track.program) if track is not None else None
    if track is None or allowed is None or (manage and not allowed[1]):
        raise deny_object(user, object_type="programs.track", object_id=public_id, purpose=purpose)
    record(user, action, obj=track, purpose=purpose, role=allowed[0], detail={"page": "waitlist"})
    return TrackAccess(track=track, role=allowed[0], manages=allowed[1])


def access_waitlist_entry(
    user: User,
    public_id: uuid.UUID | str,
    *,
    purpose: str = Purpose.HOPERAT,
    action: str = Action.UPDATE,
) -> WaitlistEntry:
    """One waitlist entry, to move it, offer a seat or record an answer: directors and
    intake coordinators of its program; else the audited 404 (a position that does not
    exist answers the same)."""
    entry = (
        WaitlistEntry.objects.filter(public_id=lookup_id(public_id))
        .select_related("track__program__organization", "inquiry", "episode__participant")
        .first()
    )
    allowed = inquiry_role(user, entry.track.program) if entry is not None else None
    if entry is None or allowed is None or not allowed[1]:
        raise deny_object(
            user,
            object_type="intake.waitlistentry",
            object_id=public_id,
            participant=entry.episode.participant if entry is not None else None,
            purpose=purpose,
        )
    record(
        user, action, participant=entry.episode.participant, obj=entry, purpose=purpose,
        role=allowed[0],
    )  # fmt: skip
    return entry


def access_consent(
    user: User, public_id: uuid.UUID | str, *, purpose: str = Purpose.TREAT
) -> ConsentSignature:
    """One consent as the chart shows it (FHIR `Consent`): people who see the episode at
    clinical scope (its care team, the program's directors); the participant's own account,
    the front desk and everyone else get the audited 404 (a missing consent answers the same).
    The view is recorded against the consent."""
    signature = (
        ConsentSignature.objects.filter(public_id=lookup_id(public_id))
        .select_related("document", "episode__participant", "episode__program__organization")
        .first()
    )
    opened = None
    if signature is not None:
        try:
            opened = access_participant(
                user,
                signature.episode.participant.public_id,
                purpose=purpose,
                minimum=Scope.CLINICAL,
                audit=False,
            )
        except Http404:
            opened = None
    if (
        signature is None
        or opened is None
        or opened.is_own_record
        or not opened.is_clinical_for(signature.episode)
    ):
        raise deny_object(
            user,
            object_type="intake.consentsignature",
            object_id=public_id,
            participant=signature.episode.participant if signature is not None else None,
            purpose=purpose,
        )
    record(
        user,
        Action.VIEW,
        participant=signature.episode.participant,
        obj=signature,
        purpose=purpose,
        role=opened.role,
        detail={"via": "fhir"},
    )
    return signature


def may_read_referral(user: User, inquiry: Inquiry) -> bool:
    """Who reads a referral elsewhere (FHIR `ServiceRequest`): as the screening page, the
    program's directors and its intake coordinators (who lose it, as the screening, once the
    person is admitted)."""
    allowed = inquiry_role(user, inquiry.program)
    if allowed is None or not allowed[1]:
        return False
    return not (allowed[0] == Role.INTAKE_COORDINATOR and inquiry.status == InquiryStatus.ADMITTED)


def access_referral(
    user: User, public_id: uuid.UUID | str, *, purpose: str = Purpose.TREAT
) -> LevelOfCareDecision:
    """One referral elsewhere (a level-of-care decision with a destination), with a view
    event; a decision that kept the person here, and anyone `may_read_referral` refuses, get
    the audited 404."""
    decision = (
        LevelOfCareDecision.objects.filter(public_id=lookup_id(public_id))
        .exclude(destination="")
        .select_related("inquiry__program__organization", "inquiry__participant", "decided_by")
        .first()
    )
    if decision is None or not may_read_referral(user, decision.inquiry):
        raise deny_object(
            user,
            object_type="intake.levelofcaredecision",
            object_id=public_id,
            participant=decision.inquiry.participant if decision is not None else None,
            purpose=purpose,
        )
    record(
        user,
        Action.VIEW,
        participant=decision.inquiry.participant,
        obj=decision,
        purpose=purpose,
        detail={"via": "fhir"},
    )
    return decision


def referral_program_filters(user: User) -> tuple[Q, Q]:
    """Filters on Program for the referral search: the programs whose referrals `user` reads
    (`may_read_referral`), and among them those they direct (who keep an admitted person's)."""
    if not user.is_authenticated or not user.is_active:
        return Q(pk__in=[]), Q(pk__in=[])
    grants = grants_for(user)
    directed = Q(pk__in=grants.clinical_programs) | Q(organization_id__in=grants.clinical_orgs)
    return inquiry_program_filter(user, clinical=True), directed
