"""The waitlist of a track: adding someone, moving them with a reason, offering the first
person a start date, their answer, leaving, and the weekly "still interested?" message.

Ranks stay 1..n over the waiting entries of a track: every change renumbers inside the
transaction, with the track's row locked so two coordinators do not interleave."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from trellis.audit.models import Action, Purpose
from trellis.audit.trail import record
from trellis.intake.actions.inquiries import do_change_inquiry_status, lock_inquiry
from trellis.intake.actions.records import check_open_record
from trellis.intake.models import (
    WAITING_STATUSES,
    CloseReason,
    Inquiry,
    InquiryStatus,
    LeaveReason,
    WaitlistEntry,
    WaitlistEvent,
    WaitlistEventKind,
    WaitlistStatus,
)
from trellis.intake.queries import waiting_entries, waiting_everywhere
from trellis.participants.actions import do_change_status
from trellis.participants.models import EpisodeStatus
from trellis.programs.models import Track

if TYPE_CHECKING:
    from trellis.accounts.models import User

WAITLISTABLE = (InquiryStatus.DECISION, InquiryStatus.CONTACTED)
OFFER_HORIZON = timedelta(days=30)
CHECKIN_EVERY = timedelta(days=7)
# The weekly message names the organization only: a program's name ("Substance Use IOP")
# would tell whoever reads the inbox what the person asked for.
CHECKIN_SUBJECT = "Your place on our list: {organization}"
CHECKIN_BODY = (
    "Hello {name},\n\nYou are on our list for a place with {organization}. We are writing "
    "once a week to check: are you still interested?\n\nPlease reply to this email to keep "
    "your place, or to tell us you no longer need it. If your situation has changed, call "
    "us and we will talk it through.\n\nIf you are in crisis, call or text 988 any time."
)
LEAVE_TO_CLOSE = {
    LeaveReason.NOT_INTERESTED: CloseReason.NOT_INTERESTED,
    LeaveReason.CHOSE_ELSEWHERE: CloseReason.CHOSE_ELSEWHERE,
    LeaveReason.NO_RESPONSE: CloseReason.NO_RESPONSE,
    LeaveReason.OTHER: CloseReason.OTHER,
}


def _lock_track(track: Track) -> None:
    Track.objects.select_for_update().filter(pk=track.pk).first()


def _event(
    entry: WaitlistEntry, kind: str, by: User | None, *, reason: str = "",
    from_rank: int | None = None, to_rank: int | None = None,
) -> None:  # fmt: skip
    WaitlistEvent.objects.create(
        entry=entry, kind=kind, by=by, reason=reason, from_rank=from_rank, to_rank=to_rank
    )


def check_add_to_waitlist(
    actor: User,
    inquiry: Inquiry,
    track: Track,
    *,
    step_down: bool = False,
    mrn: str = "",
    date_of_birth: date | None = None,
) -> WaitlistEntry:
    errors: dict[str, str] = {}
    if inquiry.status not in WAITLISTABLE:
        errors["status"] = (
            f"An inquiry that is “{inquiry.get_status_display().lower()}” cannot join a "
            "waitlist: it needs a decision first."
        )
    if track.program_id != inquiry.program_id or not track.is_active:
        errors["track"] = f"Choose one of {inquiry.program.name}'s tracks."
    if errors:
        raise ValidationError(errors)
    return do_add_to_waitlist(
        actor, inquiry, track, step_down=step_down, mrn=mrn, date_of_birth=date_of_birth
    )


@transaction.atomic
def do_add_to_waitlist(
    actor: User,
    inquiry: Inquiry,
    track: Track,
    *,
    step_down: bool = False,
    mrn: str = "",
    date_of_birth: date | None = None,
    at: datetime | None = None,
) -> WaitlistEntry:
    """Insert by the priority rules: a step-down goes before the first person who is not a
    step-down; everyone else at the end (the date waitlisted orders them)."""
    _lock_track(track)
    fresh = check_open_record(actor, lock_inquiry(inquiry), mrn=mrn, date_of_birth=date_of_birth)
    episode = fresh.episode
    assert episode is not None  # noqa: S101 - check_open_record gave it one
    if episode.status == EpisodeStatus.PLANNED:
        do_change_status(
            actor, episode, status=EpisodeStatus.WAITLIST,
            effective_on=fresh.program.organization.today(),
        )  # fmt: skip
    episode.track = track
    episode.save(update_fields=["track"])
    waiting = list(waiting_entries(track))
    rank = len(waiting) + 1
    if step_down:
        rank = next((e.rank for e in waiting if not e.step_down), rank)
        WaitlistEntry.objects.filter(
            track=track, status__in=WAITING_STATUSES, rank__gte=rank
        ).update(rank=F("rank") + 1)
    entry = WaitlistEntry.objects.create(
        track=track, inquiry=fresh, episode=episode, rank=rank, step_down=step_down,
        waitlisted_at=at or timezone.now(),
    )  # fmt: skip
    _event(entry, WaitlistEventKind.ADDED, actor, to_rank=rank)
    do_change_inquiry_status(actor, fresh, InquiryStatus.WAITLISTED)
    record(
        actor,
        Action.CREATE,
        participant=episode.participant,
        obj=entry,
        purpose=Purpose.HOPERAT,
        detail={"track": str(track.public_id), "rank": rank, "step_down": step_down},
    )
    inquiry.status, inquiry.participant, inquiry.episode = fresh.status, fresh.participant, episode
    return entry


def _position_error(entry: WaitlistEntry, position: int, count: int) -> dict[str, str]:
    if not entry.is_waiting:
        return {"position": "This person is no longer waiting."}
    if not 1 <= position <= count:
        return {"position": f"There is no position {position} on this waitlist (1 to {count})."}
    return {}


def check_move_entry(
    actor: User, entry: WaitlistEntry, position: int, reason: str
) -> WaitlistEntry:
    count = waiting_entries(entry.track).count()
    errors = _position_error(entry, position, count)
    if not reason.strip():
        errors["reason"] = "Say why the order changes: it is kept in the waitlist's history."
    elif len(reason) > 300:
        errors["reason"] = "Keep the reason to 300 characters."
    if errors:
        raise ValidationError(errors)
    return do_move_entry(actor, entry, position, reason.strip())


@transaction.atomic
def do_move_entry(actor: User, entry: WaitlistEntry, position: int, reason: str) -> WaitlistEntry:
    _lock_track(entry.track)
    ordered = [e for e in waiting_entries(entry.track) if e.pk != entry.pk]
    before = next((i + 1 for i, e in enumerate(waiting_entries(entry.track)) if e.pk == entry.pk))
    ordered.insert(position - 1, entry)
    for rank, item in enumerate(ordered, start=1):
        if item.rank != rank:
            WaitlistEntry.objects.filter(pk=item.pk).update(rank=rank)
    entry.rank = position
    _event(entry, WaitlistEventKind.MOVED, actor, reason=reason, from_rank=before, to_rank=position)
    record(
        actor,
        Action.UPDATE,
        participant=entry.episode.participant,
        obj=entry,
        purpose=Purpose.HOPERAT,
        detail={"from": before, "to": position, "reordered": True},
    )
    return entry


def check_offer_seat(actor: User, entry: WaitlistEntry, start: date) -> WaitlistEntry:
    """Offer the first person waiting a start date (someone else: move them up first)."""
    errors: dict[str, str] = {}
    today = entry.track.program.organization.today()
    if entry.status != WaitlistStatus.WAITING:
        errors["position"] = "This person is not waiting for an offer."
    else:
        first = waiting_entries(entry.track).first()
        if first is None or first.pk != entry.pk:
            errors["position"] = (
                "Offer the seat to the first person waiting, or move this person up with a "
                "reason first."
            )
    if start < today:
        errors["offered_start"] = "The start date has passed."
    elif start > today + OFFER_HORIZON:
        errors["offered_start"] = "Offer a start within 30 days."
    if errors:
        raise ValidationError(errors)
    return do_offer_seat(actor, entry, start)


@transaction.atomic
def do_offer_seat(actor: User, entry: WaitlistEntry, start: date) -> WaitlistEntry:
    entry.status = WaitlistStatus.OFFERED
    entry.offered_start, entry.offered_at = start, timezone.now()
    entry.save(update_fields=["status", "offered_start", "offered_at"])
    _event(entry, WaitlistEventKind.OFFERED, actor, to_rank=entry.rank)
    record(
        actor, Action.UPDATE, participant=entry.episode.participant, obj=entry,
        purpose=Purpose.HOPERAT, detail={"offered_start": start.isoformat()},
    )  # fmt: skip
    return entry


def check_decline_offer(
    actor: User, entry: WaitlistEntry, *, leave: bool, leave_reason: str = ""
) -> WaitlistEntry:
    """They said no: they keep their place (waiting again), or leave with a reason."""
    errors: dict[str, str] = {}
    if entry.status != WaitlistStatus.OFFERED:
        errors["status"] = "There is no open offer to decline."
    if leave and leave_reason not in LeaveReason.values:
        errors["leave_reason"] = "Say why they leave the waitlist."
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        _event(entry, WaitlistEventKind.DECLINED, actor, from_rank=entry.rank)
        if leave:
            return do_leave_waitlist(actor, entry, leave_reason)
        entry.status, entry.offered_start, entry.offered_at = WaitlistStatus.WAITING, None, None
        entry.save(update_fields=["status", "offered_start", "offered_at"])
        record(
            actor, Action.UPDATE, participant=entry.episode.participant, obj=entry,
            purpose=Purpose.HOPERAT, detail={"offer": "declined", "stays": True},
        )  # fmt: skip
        return entry


def check_leave_waitlist(actor: User, entry: WaitlistEntry, leave_reason: str) -> WaitlistEntry:
    if not entry.is_waiting:
        raise ValidationError({"status": "This person is no longer waiting."})
    if leave_reason not in LeaveReason.values:
        raise ValidationError({"leave_reason": "Say why they leave the waitlist."})
    return do_leave_waitlist(actor, entry, leave_reason)


@transaction.atomic
def do_leave_waitlist(actor: User, entry: WaitlistEntry, leave_reason: str) -> WaitlistEntry:
    """Off the waitlist: the inquiry closes with the reason, the episode closes before
    admission (its screening stays in the record)."""
    do_end_waitlist_entry(actor, entry, WaitlistStatus.LEFT, leave_reason=leave_reason)
    episode = entry.episode
    if episode.status in (EpisodeStatus.WAITLIST, EpisodeStatus.PLANNED):
        do_change_status(
            actor, episode, status=EpisodeStatus.CANCELLED,
            effective_on=max(episode.program.organization.today(), _last_change(entry)),
        )  # fmt: skip
    inquiry = entry.inquiry
    if inquiry.status == InquiryStatus.WAITLISTED:
        do_change_inquiry_status(
            actor, inquiry, InquiryStatus.CLOSED,
            close_reason=LEAVE_TO_CLOSE[LeaveReason(leave_reason)],
            note="Left the waitlist.",
        )  # fmt: skip
    return entry


def _last_change(entry: WaitlistEntry) -> date:
    last = (
        entry.episode.status_changes.order_by("-effective_on")
        .values_list("effective_on", flat=True)
        .first()
    )
    return last or date.min


@transaction.atomic
def do_end_waitlist_entry(
    actor: User | None, entry: WaitlistEntry, status: str, *, leave_reason: str = ""
) -> WaitlistEntry:
    """Take the entry off the line (admitted or left) and close the gap behind it."""
    _lock_track(entry.track)
    was = entry.rank
    WaitlistEntry.objects.filter(
        track=entry.track, status__in=WAITING_STATUSES, rank__gt=was
    ).update(rank=F("rank") - 1)
    entry.status, entry.leave_reason, entry.ended_at = status, leave_reason, timezone.now()
    entry.save(update_fields=["status", "leave_reason", "ended_at"])
    kind = (
        WaitlistEventKind.ADMITTED
        if status == WaitlistStatus.ADMITTED
        else (WaitlistEventKind.LEFT)
    )
    _event(entry, kind, actor, from_rank=was)
    record(
        actor, Action.UPDATE, participant=entry.episode.participant, obj=entry,
        purpose=Purpose.HOPERAT, detail={"status": status, "leave_reason": leave_reason},
    )  # fmt: skip
    return entry


def do_send_waitlist_checkins(now: datetime | None = None) -> int:
    """The weekly "still interested?" email to people waiting who agreed to be contacted
    and gave an email address. Idempotent: the entry's `last_checkin_on` is claimed with a
    conditional update before the message goes, so a second run (or a second worker) in
    the same week sends nothing. Weeks count in each organization's own dates."""
    now = now or timezone.now()
    sent = 0
    for entry in waiting_everywhere():
        inquiry = entry.inquiry
        if not inquiry.consent_to_contact or not inquiry.email:
            continue
        organization = entry.track.program.organization
        today = now.astimezone(organization.tz).date()
        since = entry.last_checkin_on or entry.waitlisted_at.astimezone(organization.tz).date()
        if today < since + CHECKIN_EVERY:
            continue
        with transaction.atomic():
            claimed = WaitlistEntry.objects.filter(
                pk=entry.pk, last_checkin_on=entry.last_checkin_on
            ).update(last_checkin_on=today)
            if not claimed:
                continue
            _event(entry, WaitlistEventKind.CHECKIN, None)
            record(
                None, Action.UPDATE, participant=entry.episode.participant, obj=entry,
                purpose=Purpose.HOPERAT, actor_label="system",
                detail={"message": "waitlist_checkin"},
            )  # fmt: skip
            # Inside the transaction: a message that fails to go releases the claim, and the
            # next run tries again.
            send_mail(
                CHECKIN_SUBJECT.format(organization=organization.name),
                CHECKIN_BODY.format(
                    name=inquiry.preferred_name or inquiry.given_name,
                    organization=organization.name,
                ),
                None,
                [inquiry.email],
            )
        sent += 1
    return sent
